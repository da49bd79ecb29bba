import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { eventually, withWorker } from '../support/worker.js';

/**
 * Metric definitions as care organisations and the anchors define them (issue 14), each on a day
 * built by hand:
 * - a mean or a rate over nothing has no value; a total over nothing is 0;
 * - ASA is queue seconds over every contact a human answered, one answered at once counting 0 s;
 * - occupancy needs availability: an agent with handling time and no status history has none;
 * - the nightly threshold check's "yesterday" is the reporting time zone's yesterday.
 */
const test = databaseSuite('metric definitions');

const DAY = '2026-11-04';

async function refresh(pool: pg.Pool): Promise<void> {
  await pool.query('select * from cx.refresh_metrics()');
}

/** metric -> [value, sample] of cx.metric_values over DAY, in one group or filtered to a channel. */
async function values(
  pool: pg.Pool,
  group: string,
  key: string | null,
  names: string[],
  channelId: string | null = null,
) {
  const { rows } = await pool.query(
    `select metric_name, value, sample from cx.metric_values($1, $1, $2, p_channel_id => $5)
      where group_key is not distinct from $3 and metric_name = any($4) order by metric_name`,
    [DAY, group, key, names, channelId],
  );
  return Object.fromEntries(rows.map((r) => [r.metric_name, [r.value, r.sample]]));
}

/**
 * One journey enters on web_app and touches web_app twice and mobile_app once: 2 channels and 3
 * touchpoints for 1 journey. No journey enters on mobile_app that day, so over mobile_app the
 * means have no value and the count is 0 (they showed 0 and 0).
 */
test('a mean over no journeys has no value; the count of journeys is 0', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const web = await given.channelId(pool, 'web_app');
  const app = await given.channelId(pool, 'mobile_app');
  const [sessionId] = await given.sessions(pool, [
    { customer_id: customerId, start_timestamp: `${DAY}T08:00:00Z`, entry_channel_id: web },
  ]);
  const touch = (channel: string, at: string, type: string) => ({
    customer_id: customerId,
    session_id: sessionId,
    channel_id: channel,
    touchpoint_type: type,
    occurred_at: `${DAY}T${at}Z`,
  });
  await given.touchpoints(pool, [
    touch(web, '08:00:00', 'page_view'),
    touch(web, '08:01:00', 'page_view'),
    touch(app, '08:05:00', 'app_screen'),
  ]);
  await refresh(pool);
  const names = ['channels_per_journey', 'journeys', 'touchpoints_per_journey'];
  assert.equal(await values(pool, 'none', null, names, web), {
    channels_per_journey: [2, 1],
    journeys: [1, 1],
    touchpoints_per_journey: [3, 1],
  });
  assert.equal(await values(pool, 'none', null, names, app), {
    channels_per_journey: [null, 0],
    journeys: [0, 0],
    touchpoints_per_journey: [null, 0],
  });
});

/**
 * On voice_call: C1 queued 60 s, then a human; C2 queued 30 s, then a human; C3 a human at once;
 * C4 queued 100 s and hung up. ASA = (60 + 30 + 0) / 3 answered = 30 s (it was 90 / 2 = 45 s,
 * counting only the answers after a queue).
 */
test('ASA counts every contact a human answered, a direct answer as zero wait', async ({ pool }) => {
  const agent = await given.agent(pool, 'asa-human');
  const voice = { channel: 'voice_call', mode: 'live_chat' } as const;
  const c1 = await given.interaction(pool, { ...voice, start: `${DAY}T09:00:00Z`, end: `${DAY}T09:10:00Z` });
  await given.steps(pool, c1, [
    ['queue', '09:00:00', '09:01:00'],
    ['human', '09:01:00', '09:10:00', agent],
  ]);
  const c2 = await given.interaction(pool, { ...voice, start: `${DAY}T10:00:00Z`, end: `${DAY}T10:10:00Z` });
  await given.steps(pool, c2, [
    ['queue', '10:00:00', '10:00:30'],
    ['human', '10:00:30', '10:10:00', agent],
  ]);
  const c3 = await given.interaction(pool, { ...voice, start: `${DAY}T11:00:00Z`, end: `${DAY}T11:05:00Z` });
  await given.steps(pool, c3, [['human', '11:00:00', '11:05:00', agent]]);
  const c4 = await given.interaction(pool, {
    ...voice,
    start: `${DAY}T12:00:00Z`,
    end: `${DAY}T12:01:40Z`,
    status: 'abandoned',
    resolution: 'unresolved',
  });
  await given.steps(pool, c4, [['queue', '12:00:00', '12:01:40']]);
  await refresh(pool);
  const voiceId = await given.channelId(pool, 'voice_call');
  assert.equal(await values(pool, 'channel', voiceId, ['asa_seconds', 'abandonment_rate']), {
    // abandoned 1 of 3 queued
    abandonment_rate: [0.333333, 3],
    asa_seconds: [30, 3],
  });
});

/**
 * Agent P was available 14:00-15:00 and handled 14:10-14:40: occupancy 1,800 / 3,600 = 0.5.
 * Agent Q handled 14:00-14:30 with no status history at all: no occupancy (it was 1.0).
 */
test('occupancy needs availability: none for an agent without status history', async ({ pool }) => {
  const p = await given.agent(pool, 'occupancy-p');
  const q = await given.agent(pool, 'occupancy-q');
  const chat = { channel: 'chatbot', mode: 'live_chat' } as const;
  const a = await given.interaction(pool, { ...chat, start: `${DAY}T14:10:00Z`, end: `${DAY}T14:40:00Z` });
  await given.steps(pool, a, [['human', '14:10:00', '14:40:00', p]]);
  const b = await given.interaction(pool, { ...chat, start: `${DAY}T14:00:00Z`, end: `${DAY}T14:30:00Z` });
  await given.steps(pool, b, [['human', '14:00:00', '14:30:00', q]]);
  await given.statusIntervals(pool, p, [['available', `${DAY}T14:00:00Z`, `${DAY}T15:00:00Z`]]);
  await refresh(pool);
  assert.equal(await values(pool, 'agent', p, ['agent_handled', 'agent_occupancy']), {
    agent_handled: [1, 1],
    agent_occupancy: [0.5, 3600],
  });
  assert.equal(await values(pool, 'agent', q, ['agent_handled', 'agent_occupancy']), {
    agent_handled: [1, 1],
    agent_occupancy: [null, 0],
  });
  const { rows } = await pool.query(
    `select agent_id, handling_seconds, available_seconds, occupancy from cx.daily_agent_metrics
      where metric_date = $1 and agent_id = any($2) order by available_seconds desc`,
    [DAY, [p, q]],
  );
  assert.equal(
    rows.map((r) => [r.agent_id === p ? 'p' : 'q', r.handling_seconds, r.available_seconds, r.occupancy]),
    [
      ['p', 1800, 3600, 0.5],
      ['q', 1800, 0, null],
    ],
  );
});

/** The date in a time zone, as YYYY-MM-DD (en-CA writes dates that way). */
function dateIn(zone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(at);
}

test("the nightly check's yesterday is the reporting time zone's yesterday", async ({
  pool,
  connectionString,
}) => {
  // of UTC-11 and UTC+14, one is on another date than UTC at any moment
  const now = new Date();
  const zone =
    dateIn('Pacific/Pago_Pago', now) !== dateIn('UTC', now) ? 'Pacific/Pago_Pago' : 'Pacific/Kiritimati';
  const today = new Date(`${dateIn(zone, now)}T00:00:00Z`);
  const yesterday = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
  const utcYesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  assert.is.not(yesterday, utcYesterday, 'the zone is on another date than UTC');
  await pool.query(`update cx.settings set setting_value = $1 where setting_name = 'reporting_time_zone'`, [
    zone,
  ]);
  try {
    await withWorker(connectionString, async (worker) => {
      await pool.query(`select graphile_worker.add_job('thresholds__check', '{"yesterday": true}'::json)`);
      const report = await eventually('the nightly check ran', async () =>
        worker.reports.find((r) => r.task === 'thresholds__check'),
      );
      assert.match(report.summary, new RegExp(`^yesterday \\(${yesterday}\\): thresholds \\d+ evaluated`));
    });
  } finally {
    await pool.query(
      `update cx.settings set setting_value = 'UTC' where setting_name = 'reporting_time_zone'`,
    );
  }
});

test.run();
