import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.metric_values by region and by day and agent, a region filter, and a threshold over a window
 * of two days. On chatbot, live chats that completed:
 * - 2026-11-06: two of an R9 customer, both resolved, with agent X (10 and 5 minutes)
 * - 2026-11-07: one of a DEUR customer, unresolved, with agent Y (8 minutes)
 */
const test = databaseSuite('metrics: groupings, filters and windows');

let agentX: string;
let agentY: string;

async function values(pool: pg.Pool, group: string, names: string[], region: string | null = null) {
  const { rows } = await pool.query(
    `select metric_name, metric_date::text as day, group_key, value, sample
       from cx.metric_values('2026-11-06', '2026-11-07', $1, p_region => $3)
      where metric_name = any($2) order by metric_date nulls first, group_key, metric_name`,
    [group, names, region],
  );
  return rows.map((r) => [r.day, r.group_key, r.metric_name, r.value, r.sample]);
}

test.before(async ({ pool }) => {
  agentX = await given.agent(pool, 'grouping-x');
  agentY = await given.agent(pool, 'grouping-y');
  const r9 = await given.customer(pool, { region: 'R9' });
  const deur = await given.customer(pool, { region: 'DEUR' });
  const chat = { channel: 'chatbot', mode: 'live_chat', status: 'completed' } as const;
  const contacts: Array<[string, string, string, string, string]> = [
    [r9, '2026-11-06T09:00:00Z', '2026-11-06T09:10:00Z', 'resolved', agentX],
    [r9, '2026-11-06T10:00:00Z', '2026-11-06T10:05:00Z', 'resolved', agentX],
    [deur, '2026-11-07T09:00:00Z', '2026-11-07T09:08:00Z', 'unresolved', agentY],
  ];
  for (const [customerId, start, end, resolution, agent] of contacts) {
    const ref = await given.interaction(pool, { ...chat, customerId, start, end, resolution });
    await given.steps(pool, ref, [['human', start, end, agent]]);
  }
  await pool.query('select * from cx.refresh_metrics()');
});

test('by region, and filtered to one region', async ({ pool }) => {
  assert.equal(await values(pool, 'region', ['interactions', 'success_rate']), [
    [null, 'DEUR', 'interactions', 1, 1],
    [null, 'DEUR', 'success_rate', 0, 1],
    [null, 'R9', 'interactions', 2, 2],
    [null, 'R9', 'success_rate', 1, 2],
  ]);
  assert.equal(await values(pool, 'none', ['interactions', 'success_rate'], 'R9'), [
    [null, null, 'interactions', 2, 2],
    [null, null, 'success_rate', 1, 2],
  ]);
});

test('by day and agent', async ({ pool }) => {
  const rows = await values(pool, 'day_agent', ['agent_handled', 'agent_aht_seconds']);
  const named = rows.map(([day, key, ...rest]) => [
    day,
    key === agentX ? 'X' : key === agentY ? 'Y' : key,
    ...rest,
  ]);
  assert.equal(named, [
    // X: (600 + 300) / 2 = 450 s
    ['2026-11-06', 'X', 'agent_aht_seconds', 450, 2],
    ['2026-11-06', 'X', 'agent_handled', 2, 2],
    ['2026-11-07', 'Y', 'agent_aht_seconds', 480, 1],
    ['2026-11-07', 'Y', 'agent_handled', 1, 1],
  ]);
});

test('a threshold over a window of two days judges both days together', async ({ pool }) => {
  // 2 of 3 resolved over the two days: 0.6667, below the warning level 0.8 (each day alone: 1 and 0)
  await pool.query(
    `insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, min_sample, window_days)
     values ('success_rate', 'channel', (select channel_id from cx.channels where channel_name = 'chatbot'), 0.8, 0.5, 3, 2)`,
  );
  await pool.query(`select * from cx.check_thresholds('2026-11-07')`);
  const { rows } = await pool.query(
    `select severity, observed_value, sample, window_days, message from cx.system_alerts where metric_name = 'success_rate'`,
  );
  assert.equal(rows, [
    {
      severity: 'warning',
      observed_value: 0.666667,
      sample: 3,
      window_days: 2,
      message:
        'Success rate (success_rate) on channel chatbot is 0.6667, below the warning level 0.8 (2 days ending 2026-11-07, 3 observations)',
    },
  ]);
});

test.run();
