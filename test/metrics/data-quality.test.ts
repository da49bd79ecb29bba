import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.check_data_quality(day) raises volume-anomaly and integrity alerts with the lifecycle of
 * threshold alerts. Tuesday 3 November 2026 against the Tuesdays of the 4 weeks before (6, 13, 20
 * and 27 October):
 * - sms      10, 12, 8, 10: mean 10, sample sd 1.63; 30 is 3x the mean and beyond 4 sd: critical
 * - email    10, 20, 10, 20: mean 15, sd 5.77; 35 is 2.33x, beyond 3 sd (32.32), within 4 (38.09): warning
 * - chatbot  10, 10, 10, 10: sd 0; 12 is beyond it, but only 1.2x the mean: fine
 * - web_app  10, 10, 10, 10: sd 0; 4 is 0.4x the mean: critical
 * - other channels have no history and are not judged.
 * Integrity, on voice_call the same day: P1 completed without an end; P2 still active with an end;
 * P3 still active without an end (it and P2 more than 24 h after their start), with a step open
 * since then; P1 has a closed step. 30 + 35 + 12 + 4 + 3 = 84 interactions, 2 steps.
 */
const test = databaseSuite('data quality');

const DAY = '2026-11-03';
const HISTORY = ['2026-10-06', '2026-10-13', '2026-10-20', '2026-10-27'];
let problems: Record<'p1' | 'p2' | 'p3', given.InteractionRef>;

/** n completed, resolved interactions on the channel that day, one a minute from 08:00, in one batch. */
async function volume(pool: pg.Pool, channel: string, day: string, n: number): Promise<string[]> {
  const customer = await given.customer(pool);
  const { rows } = await pool.query(
    `select interaction_id
       from cx.record_interactions((
              select coalesce(jsonb_agg(jsonb_build_object(
                       'customer_id', $1::uuid, 'start_timestamp', $2::timestamptz + g * interval '1 minute',
                       'end_timestamp', $2::timestamptz + g * interval '1 minute' + interval '30 seconds',
                       'channel_id', (select channel_id from cx.channels where channel_name = $3),
                       'initial_mode', 'live_chat', 'status', 'completed', 'resolution_status', 'resolved')
                     order by g), '[]')
                from generate_series(0, $4 - 1) g))
      order by ord`,
    [customer, `${day}T08:00:00Z`, channel, n],
  );
  return rows.map((r) => r.interaction_id);
}

/** Moves the interactions' start and end by `by` (an interval), in one cx.correct_interactions batch. */
async function shift(pool: pg.Pool, interactionIds: string[], by: string) {
  await pool.query(
    `select count(*)
       from cx.correct_interactions((
              select coalesce(jsonb_agg(jsonb_build_object(
                       'customer_id', customer_id, 'interaction_id', interaction_id, 'start_timestamp', start_timestamp,
                       'set', jsonb_build_object('start_timestamp', start_timestamp + $2::interval,
                                                 'end_timestamp', end_timestamp + $2::interval))), '[]')
                from cx.customer_interactions where interaction_id = any($1)))`,
    [interactionIds, by],
  );
}

async function check(pool: pg.Pool, day: string | null = DAY) {
  return (await pool.query('select * from cx.check_data_quality($1)', [day])).rows[0];
}

async function alerts(pool: pg.Pool) {
  const { rows } = await pool.query(
    `select a.alert_kind, a.alert_key, a.metric_name, a.scope_kind, c.channel_name, a.severity, a.alert_status,
            a.observed_value, a.threshold_value, a.sample, a.message, a.resolution,
            a.escalated_at is not null as escalated
       from cx.system_alerts a left join cx.channels c on c.channel_id = a.scope_id
      order by a.alert_kind desc, coalesce(c.channel_name, a.alert_key), a.opened_at`,
  );
  return rows;
}

test.before(async ({ pool }) => {
  const history: Record<string, number[]> = {
    sms: [10, 12, 8, 10],
    email: [10, 20, 10, 20],
    chatbot: [10, 10, 10, 10],
    web_app: [10, 10, 10, 10],
  };
  const today: Record<string, number> = { sms: 30, email: 35, chatbot: 12, web_app: 4 };
  for (const [channel, counts] of Object.entries(history)) {
    for (const [i, n] of counts.entries()) await volume(pool, channel, HISTORY[i] as string, n);
    await volume(pool, channel, DAY, today[channel] as number);
  }
  const voice = { channel: 'voice_call', mode: 'live_chat' } as const;
  const p1 = await given.interaction(pool, { ...voice, start: `${DAY}T09:00:00Z`, status: 'completed' });
  await given.steps(pool, p1, [['bot', '09:00:00', '09:01:00']]);
  const p2 = await given.interaction(pool, {
    ...voice,
    start: `${DAY}T09:10:00Z`,
    end: `${DAY}T09:20:00Z`,
    status: 'active',
  });
  const p3 = await given.interaction(pool, { ...voice, start: `${DAY}T10:00:00Z` });
  await given.steps(pool, p3, [['bot', '10:00:00', null]]);
  problems = { p1, p2, p3 };
});

test.before.each(async ({ pool }) => {
  await pool.query('delete from cx.system_alerts');
});

test('volume anomalies per channel and integrity problems of the day, one alert each', async ({ pool }) => {
  assert.equal(await check(pool), { checked: 13, opened: 7, escalated: 0, updated: 0, resolved: 0 });
  const open = (kind: string, key: string, severity: string) => ({
    alert_kind: kind,
    alert_key: key,
    severity,
    alert_status: 'open',
    resolution: null,
    escalated: false,
  });
  const rows = await alerts(pool);
  const channelIds = new Map(
    (await pool.query('select channel_name, channel_id from cx.channels')).rows.map((r) => [
      r.channel_name,
      r.channel_id,
    ]),
  );
  assert.equal(rows, [
    {
      ...open('volume_anomaly', `volume:${channelIds.get('email')}`, 'warning'),
      metric_name: 'interactions',
      scope_kind: 'channel',
      channel_name: 'email',
      observed_value: 35,
      threshold_value: 32.32,
      sample: 4,
      message:
        'email: 35 interactions on 2026-11-03, 2.33 times the mean 15.00 of the same weekday in the 4 weeks before (sd 5.77)',
    },
    {
      ...open('volume_anomaly', `volume:${channelIds.get('sms')}`, 'critical'),
      metric_name: 'interactions',
      scope_kind: 'channel',
      channel_name: 'sms',
      observed_value: 30,
      threshold_value: 16.53,
      sample: 4,
      message:
        'sms: 30 interactions on 2026-11-03, 3.00 times the mean 10.00 of the same weekday in the 4 weeks before (sd 1.63)',
    },
    {
      ...open('volume_anomaly', `volume:${channelIds.get('web_app')}`, 'critical'),
      metric_name: 'interactions',
      scope_kind: 'channel',
      channel_name: 'web_app',
      observed_value: 4,
      threshold_value: 10,
      sample: 4,
      message:
        'web_app: 4 interactions on 2026-11-03, 0.40 times the mean 10.00 of the same weekday in the 4 weeks before (sd 0.00)',
    },
    {
      ...open('integrity', 'integrity:active_over_24h', 'warning'),
      metric_name: null,
      scope_kind: 'global',
      channel_name: null,
      observed_value: 2,
      threshold_value: 0,
      sample: 84,
      message:
        '2 of 84 interactions started on 2026-11-03 are still active more than 24 hours after their start',
    },
    {
      ...open('integrity', 'integrity:active_with_end', 'warning'),
      metric_name: null,
      scope_kind: 'global',
      channel_name: null,
      observed_value: 1,
      threshold_value: 0,
      sample: 84,
      message: '1 of 84 interactions started on 2026-11-03 have an end_timestamp but are still active',
    },
    {
      ...open('integrity', 'integrity:closed_without_end', 'warning'),
      metric_name: null,
      scope_kind: 'global',
      channel_name: null,
      observed_value: 1,
      threshold_value: 0,
      sample: 84,
      message:
        '1 of 84 interactions started on 2026-11-03 are completed, abandoned or failed but have no end_timestamp',
    },
    {
      ...open('integrity', 'integrity:open_step_over_12h', 'warning'),
      metric_name: null,
      scope_kind: 'global',
      channel_name: null,
      observed_value: 1,
      threshold_value: 0,
      sample: 2,
      message:
        '1 of 2 steps of interactions started on 2026-11-03 are still open more than 12 hours after they started',
    },
  ]);
});

test('re-checks update instead of duplicating, escalate warning to critical, and resolve what cleared', async ({
  pool,
}) => {
  await check(pool);
  assert.equal(await check(pool), { checked: 13, opened: 0, escalated: 0, updated: 7, resolved: 0 });
  assert.is((await alerts(pool)).length, 7);

  // email: 40 is beyond 4 sd (38.09): the acknowledged warning becomes an open critical alert
  await pool.query(
    "select cx.acknowledge_alert(alert_id, 'duty manager') from cx.system_alerts where alert_key like 'volume:%' and severity = 'warning'",
  );
  const extraEmail = await volume(pool, 'email', DAY, 5);
  // the data is fixed: an end for P1, P2 completed, P3 ended with its step; 18 of the sms day moved away
  const smsDay = await pool.query(
    `select interaction_id from cx.customer_interactions
      where channel_id = (select channel_id from cx.channels where channel_name = 'sms') and start_timestamp::date = $1
      order by start_timestamp limit 18`,
    [DAY],
  );
  const moved = smsDay.rows.map((r) => r.interaction_id);
  try {
    const escalated = await check(pool);
    assert.equal(escalated, { checked: 13, opened: 0, escalated: 1, updated: 6, resolved: 0 });
    const email = (await alerts(pool)).find((a) => a.channel_name === 'email');
    assert.equal(
      [email.severity, email.alert_status, email.escalated, email.observed_value, email.threshold_value],
      ['critical', 'open', true, 40, 38.09],
    );

    await given.correctInteractions(pool, problems.p1, { end_timestamp: `${DAY}T09:05:00Z` });
    await given.correctInteractions(pool, problems.p2, { status: 'completed' });
    await given.endSteps(pool, problems.p3.interactionId, `${DAY}T10:02:00Z`);
    await given.correctInteractions(pool, problems.p3, {
      status: 'completed',
      end_timestamp: `${DAY}T10:05:00Z`,
    });
    await shift(pool, moved, '1 day');
    // 84 + 5 - 18 = 71 interactions that day; sms 12 is 1.2x its mean
    assert.equal(await check(pool), { checked: 13, opened: 0, escalated: 0, updated: 2, resolved: 5 });
    const resolved = (await alerts(pool)).filter((a) => a.alert_status === 'resolved');
    assert.equal(
      resolved.map((a) => [a.channel_name ?? a.alert_key, a.resolution]),
      [
        ['sms', 'sms back within the usual volume: 12 interactions on 2026-11-03, mean 10.00, sd 1.63'],
        [
          'integrity:active_over_24h',
          'cleared: no interactions started on 2026-11-03 are still active more than 24 hours after their start (71 checked)',
        ],
        [
          'integrity:active_with_end',
          'cleared: no interactions started on 2026-11-03 have an end_timestamp but are still active (71 checked)',
        ],
        [
          'integrity:closed_without_end',
          'cleared: no interactions started on 2026-11-03 are completed, abandoned or failed but have no end_timestamp (71 checked)',
        ],
        [
          'integrity:open_step_over_12h',
          'cleared: no steps of interactions started on 2026-11-03 are still open more than 12 hours after they started (2 checked)',
        ],
      ],
    );
    // resolved alerts stay resolved; the two still open are updated
    assert.equal(await check(pool), { checked: 13, opened: 0, escalated: 0, updated: 2, resolved: 0 });
  } finally {
    await shift(pool, moved, '-1 day');
    await given.deleteInteractions(pool, extraEmail);
    await given.correctInteractions(pool, problems.p1, { status: 'completed', end_timestamp: null });
    await given.correctInteractions(pool, problems.p2, { status: 'active' });
    await given.correctInteractions(pool, problems.p3, { status: 'active', end_timestamp: null });
    // no write function opens an ended step again: the owner's correction, then the repair
    await pool.query('update cx.interaction_steps set ended_at = null where interaction_id = $1', [
      problems.p3.interactionId,
    ]);
    await pool.query('select * from cx.recompute_derived(array[$1::uuid])', [problems.p3.customerId]);
  }
});

test('a day with nothing unusual raises nothing; the day defaults to today', async ({ pool }) => {
  assert.equal(await check(pool, '2026-10-27'), {
    checked: 13,
    opened: 0,
    escalated: 0,
    updated: 0,
    resolved: 0,
  });
  assert.equal(await check(pool, null), { checked: 13, opened: 0, escalated: 0, updated: 0, resolved: 0 });
});

test.run();
