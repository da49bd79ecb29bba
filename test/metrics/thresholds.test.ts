import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.check_thresholds() judges the daily tables against performance_thresholds and keeps one
 * alert per threshold, scope and day: opened, updated, escalated, resolved by itself. The shipped
 * default thresholds are disabled here, except in the document's sample query, which only joins
 * them.
 */
const test = databaseSuite('thresholds and alerts');

const DAY = '2026-11-03';

async function interactions(pool: pg.Pool, channel: string, outcomes: string[], day = DAY) {
  const refs: given.InteractionRef[] = [];
  for (const [i, resolution] of outcomes.entries()) {
    const start = `${day}T${String(9 + i).padStart(2, '0')}:00:00Z`;
    const end = `${day}T${String(9 + i).padStart(2, '0')}:05:00Z`;
    refs.push(
      await given.interaction(pool, {
        start,
        end,
        channel,
        mode: 'live_chat',
        resolution,
        status: 'completed',
      }),
    );
  }
  await pool.query('select cx.refresh_metrics()');
  return refs;
}

async function check(pool: pg.Pool, day = DAY) {
  return (await pool.query('select * from cx.check_thresholds($1)', [day])).rows[0];
}

async function alerts(pool: pg.Pool, metric: string) {
  const { rows } = await pool.query(
    `select a.severity, a.alert_status, a.observed_value, a.threshold_value, a.message, a.resolution,
            a.escalated_at is not null as escalated, c.channel_name
       from cx.system_alerts a left join cx.channels c on c.channel_id = a.scope_id
      where a.metric_name = $1 order by c.channel_name, a.opened_at`,
    [metric],
  );
  return rows;
}

async function threshold(pool: pg.Pool, fields: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(fields);
  const { rows } = await pool.query(
    `insert into cx.performance_thresholds (${columns.join(', ')}, min_sample)
     values (${columns.map((_, i) => `$${i + 1}`).join(', ')}, 1) returning threshold_id`,
    Object.values(fields),
  );
  return rows[0].threshold_id;
}

const chatbot = "(select channel_id from cx.channels where channel_name = 'chatbot')";

/** Each test starts from no interactions, no alerts, and only the shipped thresholds, disabled. */
test.before.each(async ({ pool }) => {
  await pool.query('delete from cx.system_alerts');
  await pool.query('delete from cx.performance_thresholds where description is null');
  await pool.query('update cx.performance_thresholds set enabled = false');
  await pool.query(
    "update cx.performance_thresholds set warning_threshold = 0.8, critical_threshold = 0.7, min_sample = 20 where metric_name = 'success_rate' and scope_kind = 'global'",
  );
  const { rows } = await pool.query('select interaction_id from cx.customer_interactions');
  await given.deleteInteractions(
    pool,
    rows.map((r) => r.interaction_id),
  );
  await pool.query('select cx.refresh_metrics()');
});

test('a channel threshold: warning, no duplicate on re-check, warning to critical, acknowledged, resolved by itself', async ({
  pool,
}) => {
  await pool.query(
    `insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, min_sample)
     values ('success_rate', 'channel', ${chatbot}, 0.8, 0.5, 1)`,
  );
  // 3 of 4 completed contacts resolved: 0.75 is below the warning level 0.8
  const refs = await interactions(pool, 'chatbot', ['resolved', 'resolved', 'resolved', 'unresolved']);
  assert.equal(await check(pool), { evaluated: 1, opened: 1, escalated: 0, updated: 0, resolved: 0 });
  assert.equal(await alerts(pool, 'success_rate'), [
    {
      severity: 'warning',
      alert_status: 'open',
      observed_value: 0.75,
      threshold_value: 0.8,
      message:
        'Success rate (success_rate) on channel chatbot is 0.7500, below the warning level 0.8 (1 day ending 2026-11-03, 4 observations)',
      resolution: null,
      escalated: false,
      channel_name: 'chatbot',
    },
  ]);

  assert.equal(await check(pool), { evaluated: 1, opened: 0, escalated: 0, updated: 1, resolved: 0 });
  assert.is((await alerts(pool, 'success_rate')).length, 1);

  // three more unresolved: 3 of 7 = 0.4286, below the critical level 0.5
  await interactions(pool, 'chatbot', ['unresolved', 'unresolved', 'unresolved'], DAY);
  assert.equal(await check(pool), { evaluated: 1, opened: 0, escalated: 1, updated: 0, resolved: 0 });
  let [alert] = await alerts(pool, 'success_rate');
  assert.equal([alert.severity, alert.alert_status, alert.escalated], ['critical', 'open', true]);
  assert.is(
    alert.message,
    'Success rate (success_rate) on channel chatbot is 0.4286, below the critical level 0.5 (1 day ending 2026-11-03, 7 observations)',
  );

  const { rows } = await pool.query(
    "select (cx.acknowledge_alert(alert_id, 'duty manager')).alert_status as status from cx.system_alerts",
  );
  assert.equal(rows, [{ status: 'acknowledged' }]);
  await check(pool);
  [alert] = await alerts(pool, 'success_rate');
  assert.is(alert.alert_status, 'acknowledged');

  // all resolved after all: back within bounds, resolved by the check
  await pool.query(
    `select count(*)
       from cx.correct_interactions((
              select coalesce(jsonb_agg(jsonb_build_object(
                       'customer_id', customer_id, 'interaction_id', interaction_id, 'start_timestamp', start_timestamp,
                       'set', jsonb_build_object('resolution_status', 'resolved'))), '[]')
                from cx.customer_interactions where start_timestamp::date = $1))`,
    [DAY],
  );
  await pool.query('select cx.refresh_metrics()');
  assert.equal(await check(pool), { evaluated: 1, opened: 0, escalated: 0, updated: 0, resolved: 1 });
  [alert] = await alerts(pool, 'success_rate');
  assert.equal(
    [alert.alert_status, alert.resolution],
    [
      'resolved',
      'back within bounds: Success rate (success_rate) on channel chatbot is 1.0000 (warning at 0.8)',
    ],
  );
  // a new breach the same day opens a new alert beside the resolved one
  await given.correctInteractions(pool, refs, { resolution_status: 'unresolved' });
  await pool.query('select cx.refresh_metrics()');
  assert.equal(await check(pool), { evaluated: 1, opened: 1, escalated: 0, updated: 0, resolved: 0 });
});

test('a global threshold judges every channel on its own; a channel threshold of the metric takes over', async ({
  pool,
}) => {
  await interactions(pool, 'email', ['resolved', 'unresolved']);
  await interactions(pool, 'sms', ['resolved', 'resolved']);
  await interactions(pool, 'chatbot', ['unresolved', 'unresolved']);
  // the shipped global success_rate threshold, with other levels
  await pool.query(
    "update cx.performance_thresholds set enabled = true, warning_threshold = 0.9, critical_threshold = 0.6, min_sample = 1 where metric_name = 'success_rate' and scope_kind = 'global'",
  );
  await pool.query(
    `insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, min_sample)
     values ('success_rate', 'channel', ${chatbot}, 0.0, 0.0, 1)`,
  );
  // email 0.5 critical, sms 1.0 fine, chatbot 0.0 judged only by its own threshold (0.0: fine)
  assert.equal(await check(pool), { evaluated: 3, opened: 1, escalated: 0, updated: 0, resolved: 0 });
  assert.equal(
    (await alerts(pool, 'success_rate')).map((a) => [a.channel_name, a.severity, a.observed_value]),
    [['email', 'critical', 0.5]],
  );
});

test('an interaction type threshold and an agent threshold, each alert naming its scope', async ({
  pool,
  client,
}) => {
  const billing = await given.interactionType(pool, 'billing_question');
  const agent = await given.agent(pool, 'slow-agent');
  const ref = await given.interaction(pool, {
    start: `${DAY}T10:00:00Z`,
    end: `${DAY}T10:30:00Z`,
    channel: 'web_app',
    mode: 'live_chat',
    typeId: billing,
  });
  // 20 minutes with the agent, 5 minutes wrap-up: AHT 1,500 s
  await given.steps(pool, ref, [
    ['human', '10:00:00', '10:20:00', agent],
    ['wrap_up', '10:20:00', '10:25:00', agent],
  ]);
  await pool.query('select cx.refresh_metrics()');
  await threshold(pool, {
    metric_name: 'aht_seconds',
    scope_kind: 'interaction_type',
    scope_id: billing,
    warning_threshold: 600,
    critical_threshold: 1800,
  });
  await threshold(pool, {
    metric_name: 'agent_aht_seconds',
    scope_kind: 'agent',
    scope_id: agent,
    warning_threshold: 600,
    critical_threshold: 1200,
  });
  assert.equal(await check(pool), { evaluated: 2, opened: 2, escalated: 0, updated: 0, resolved: 0 });
  const { rows } = await pool.query(
    'select metric_name, scope_kind, scope_id, severity, observed_value from cx.system_alerts order by metric_name',
  );
  assert.equal(rows, [
    {
      metric_name: 'agent_aht_seconds',
      scope_kind: 'agent',
      scope_id: agent,
      severity: 'critical',
      observed_value: 1500,
    },
    {
      metric_name: 'aht_seconds',
      scope_kind: 'interaction_type',
      scope_id: billing,
      severity: 'warning',
      observed_value: 1500,
    },
  ]);
  // by severity, then scope; the message and the list name the agent and the type
  const listed = await client.alerts.list();
  assert.equal(
    listed.map((a) => [a.severity, a.scopeKind, a.scopeName, a.message]),
    [
      [
        'critical',
        'agent',
        'slow-agent',
        `Agent average handle time (agent_aht_seconds) on agent slow-agent is 1500.0000, above the critical level 1200 (1 day ending ${DAY}, 1 observations)`,
      ],
      [
        'warning',
        'interaction_type',
        'billing_question',
        `Average handle time (aht_seconds) on interaction type billing_question is 1500.0000, above the warning level 600 (1 day ending ${DAY}, 1 observations)`,
      ],
    ],
  );
});

test('too small a sample raises nothing; a threshold whose levels are the wrong way round is refused', async ({
  pool,
}) => {
  await interactions(pool, 'sms', ['unresolved']);
  await pool.query(
    "update cx.performance_thresholds set enabled = true, warning_threshold = 0.9, critical_threshold = 0.5, min_sample = 2 where metric_name = 'success_rate' and scope_kind = 'global'",
  );
  assert.equal(await check(pool), { evaluated: 1, opened: 0, escalated: 0, updated: 0, resolved: 0 });
  const refused = await pool
    .query(
      "insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold) values ('success_rate', 'channel', " +
        chatbot +
        ', 0.5, 0.9)',
    )
    .then(
      () => undefined,
      (e) => e,
    );
  assert.is(refused?.constraint, 'performance_thresholds_levels_ordered');
});

test("the document's threshold query: one status per channel today", async ({ pool }) => {
  await pool.query("update cx.performance_thresholds set enabled = true where metric_name = 'success_rate'");
  const today = new Date().toISOString().slice(0, 10);
  await interactions(pool, 'chatbot', ['resolved', 'unresolved'], today);
  await interactions(pool, 'email', ['resolved', 'resolved', 'resolved', 'resolved'], today);
  await interactions(pool, 'sms', ['resolved', 'resolved', 'resolved', 'unresolved'], today);
  const { rows } = await pool.query(`
SELECT 
    pt.metric_name,
    dcm.channel_id,
    dcm.success_rate,
    pt.warning_threshold,
    pt.critical_threshold,
    CASE 
        WHEN dcm.success_rate < pt.critical_threshold THEN 'CRITICAL'
        WHEN dcm.success_rate < pt.warning_threshold THEN 'WARNING'
        ELSE 'OK'
    END as status
FROM daily_channel_metrics dcm
JOIN performance_thresholds pt ON pt.metric_name = 'success_rate'
WHERE dcm.metric_date = CURRENT_DATE;`);
  const names = await pool.query('select channel_id, channel_name from cx.channels');
  const name = new Map(names.rows.map((r) => [r.channel_id, r.channel_name]));
  assert.equal(
    rows
      .map((r) => [
        name.get(r.channel_id),
        r.success_rate,
        r.warning_threshold,
        r.critical_threshold,
        r.status,
      ])
      .sort(),
    [
      ['chatbot', 0.5, 0.8, 0.7, 'CRITICAL'],
      ['email', 1, 0.8, 0.7, 'OK'],
      ['sms', 0.75, 0.8, 0.7, 'WARNING'],
    ],
  );
});

test('the 30-day scorecard and bot effectiveness views show the catalog numbers after a concurrent refresh', async ({
  pool,
}) => {
  const today = new Date().toISOString().slice(0, 10);
  const contained = await given.botInteraction(pool, {
    start: `${today}T00:10:00Z`,
    end: `${today}T00:12:00Z`,
  });
  await given.steps(pool, contained, [['bot', '00:10:00', '00:12:00']]);
  const escalated = await given.botInteraction(pool, {
    start: `${today}T00:20:00Z`,
    end: `${today}T00:30:00Z`,
  });
  await given.steps(pool, escalated, [
    ['bot', '00:20:00', '00:21:00'],
    ['human', '00:21:00', '00:30:00'],
  ]);
  await pool.query('select cx.refresh_metrics()');
  await pool.query('select cx.refresh_materialized_views()');
  const { rows } = await pool.query(
    "select interactions, containment_rate, escalation_rate, success_rate from cx.channel_scorecard_30d where channel_name = 'chatbot'",
  );
  assert.equal(rows, [{ interactions: 2, containment_rate: 0.5, escalation_rate: 0.5, success_rate: 1 }]);
  const bots = await pool.query(
    'select interaction_type_key, bot_started, containment_rate, avg_bot_seconds from cx.bot_effectiveness_30d',
  );
  // bot time: 120 s + 60 s over 2 bot starts
  assert.equal(bots.rows, [
    { interaction_type_key: 'none', bot_started: 2, containment_rate: 0.5, avg_bot_seconds: 90 },
  ]);
});

test.run();
