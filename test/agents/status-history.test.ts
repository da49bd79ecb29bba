import type pg from 'pg';
import * as assert from 'uvu/assert';
import type { AgentStatus } from '../../src/client/agents.js';
import type { CarepulseClient } from '../../src/client/connect.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * agent_status_history follows the status changes made through cx.set_agent_statuses (the client's
 * agents.setStatus) and takes back-dated intervals that do not overlap; a new agent opens its first.
 */
const test = databaseSuite('agent status history');

async function newAgent(
  client: CarepulseClient,
  code: string,
  status: AgentStatus,
  at: string,
): Promise<string> {
  const agent = await client.agents.create({
    agentCode: code,
    agentName: code,
    agentType: 'human',
    currentStatus: status,
    statusChangedAt: new Date(at),
  });
  return agent.agentId;
}

/** Sets statuses in one call: [agent, status, at or null]. */
function setStatuses(pool: pg.Pool, changes: Array<[string, string, string | null]>) {
  return pool.query('select * from cx.set_agent_statuses($1::uuid[], $2::text[], $3::timestamptz[])', [
    changes.map(([agent]) => agent),
    changes.map(([, status]) => status),
    changes.map(([, , at]) => at),
  ]);
}

async function intervals(pool: pg.Pool, agentId: string) {
  const { rows } = await pool.query(
    'select status, started_at, ended_at, source from cx.agent_status_history where agent_id = $1 order by started_at',
    [agentId],
  );
  return rows.map((r) => [r.status, r.started_at.toISOString(), r.ended_at?.toISOString() ?? null, r.source]);
}

function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => undefined,
    (e: { code: string; constraint: string }) => [e.code, e.constraint],
  );
}

test('a new agent opens an interval; each change closes it and opens the next', async ({ pool, client }) => {
  const agentId = await newAgent(client, 'status-a', 'available', '2026-11-07T08:00:00Z');
  await client.agents.setStatus(agentId, 'busy', new Date('2026-11-07T08:30:00Z'));
  await setStatuses(pool, [[agentId, 'on_break', '2026-11-07T10:00:00Z']]);
  // same status again: nothing to record
  await client.agents.setStatus(agentId, 'on_break');
  assert.equal(await intervals(pool, agentId), [
    ['available', '2026-11-07T08:00:00.000Z', '2026-11-07T08:30:00.000Z', 'status_change'],
    ['busy', '2026-11-07T08:30:00.000Z', '2026-11-07T10:00:00.000Z', 'status_change'],
    ['on_break', '2026-11-07T10:00:00.000Z', null, 'status_change'],
  ]);
});

test('a batch of changes, in one call; one without a time happens now', async ({ pool, client }) => {
  const agentId = await newAgent(client, 'status-now', 'available', '2026-11-07T08:00:00Z');
  const other = await newAgent(client, 'status-other', 'offline', '2026-11-07T07:00:00Z');
  const before = Date.now();
  const { rows } = await setStatuses(pool, [
    [agentId, 'offline', null],
    [other, 'available', '2026-11-07T09:00:00Z'],
  ]);
  // the agents' statuses now, in the order given
  assert.equal(
    rows.map((r) => [r.agent_id, r.current_status]),
    [
      [agentId, 'offline'],
      [other, 'available'],
    ],
  );
  assert.equal(await intervals(pool, other), [
    ['offline', '2026-11-07T07:00:00.000Z', '2026-11-07T09:00:00.000Z', 'status_change'],
    ['available', '2026-11-07T09:00:00.000Z', null, 'status_change'],
  ]);
  const [, open] = await intervals(pool, agentId);
  const started = new Date(open?.[1] as string).getTime();
  assert.ok(started >= before - 1000 && started <= Date.now() + 1000, `started ${open?.[1]}`);
});

test('back-dated intervals are accepted unless they overlap', async ({ pool, client }) => {
  const agentId = await newAgent(client, 'status-loader', 'available', '2026-11-07T08:00:00Z');
  await given.statusIntervals(pool, agentId, [
    ['available', '2026-11-06T08:00:00Z', '2026-11-06T12:00:00Z'],
    ['offline', '2026-11-06T12:00:00Z', '2026-11-07T08:00:00Z'],
  ]);
  // one overlapping interval refuses its batch: the good one beside it is not recorded either
  assert.equal(
    await refusal(
      given.statusIntervals(pool, agentId, [
        ['busy', '2026-11-05T11:00:00Z', '2026-11-05T13:00:00Z'],
        ['busy', '2026-11-06T11:00:00Z', '2026-11-06T13:00:00Z'],
      ]),
    ),
    ['23P01', 'agent_status_history_no_overlap'],
  );
  assert.is((await intervals(pool, agentId)).length, 3);
});

test('a change dated before the open interval began is refused and records nothing', async ({
  pool,
  client,
}) => {
  const agentId = await newAgent(client, 'status-early', 'available', '2026-11-07T08:00:00Z');
  const other = await newAgent(client, 'status-early-other', 'offline', '2026-11-07T06:00:00Z');
  // the whole batch is refused: the other agent's change, which is fine, is not made either
  assert.equal(
    await refusal(
      setStatuses(pool, [
        [other, 'available', '2026-11-07T07:00:00Z'],
        [agentId, 'busy', '2026-11-07T07:00:00Z'],
      ]),
    ),
    ['23514', 'agent_status_history_status_changed_at_order'],
  );
  assert.is((await intervals(pool, other)).length, 1);
  assert.equal(await intervals(pool, agentId), [
    ['available', '2026-11-07T08:00:00.000Z', null, 'status_change'],
  ]);
  const message = await setStatuses(pool, [[agentId, 'busy', '2026-11-07T07:00:00Z']]).then(
    () => '',
    (e: Error) => e.message,
  );
  assert.is(
    message,
    `status_changed_at 2026-11-07 07:00:00+00 is before the start 2026-11-07 08:00:00+00 of agent ${agentId}'s current status interval`,
  );
  const { rows } = await pool.query('select current_status from cx.agents where agent_id = $1', [agentId]);
  assert.is(rows[0].current_status, 'available');
});

test('two writers changing one agent at once: the second waits, then continues the history', async ({
  pool,
  client,
}) => {
  const agentId = await newAgent(client, 'status-concurrent', 'available', '2026-11-07T08:00:00Z');
  const first = await pool.connect();
  const second = await pool.connect();
  try {
    await first.query('begin');
    await first.query(
      `select * from cx.set_agent_statuses(array[$1::uuid], array['busy'], array['2026-11-07T09:00:00Z'::timestamptz])`,
      [agentId],
    );
    // waits for the first writer's lock on the agent
    const waiting = second.query(
      `select * from cx.set_agent_statuses(array[$1::uuid], array['on_break'], array['2026-11-07T09:30:00Z'::timestamptz])`,
      [agentId],
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.query('commit');
    await waiting;
  } finally {
    first.release();
    second.release();
  }
  assert.equal(await intervals(pool, agentId), [
    ['available', '2026-11-07T08:00:00.000Z', '2026-11-07T09:00:00.000Z', 'status_change'],
    ['busy', '2026-11-07T09:00:00.000Z', '2026-11-07T09:30:00.000Z', 'status_change'],
    ['on_break', '2026-11-07T09:30:00.000Z', null, 'status_change'],
  ]);
});

/** The days logged for the agent rollup of one agent, as [first, last, how many]. */
async function loggedDays(pool: pg.Pool, agentId: string) {
  const { rows } = await pool.query(
    `select min(metric_date)::text as first, max(metric_date)::text as last, count(distinct metric_date)::int as days
       from cx_private.metric_bucket_log where bucket_kind = 'agent' and bucket_key = $1`,
    [agentId],
  );
  return rows[0];
}

test('every day an interval covers is logged for the agent rollup, by every writer of intervals', async ({
  pool,
  client,
}) => {
  const agentId = await newAgent(client, 'status-days', 'available', '2026-11-07T08:00:00Z');
  const { rows } = await pool.query(
    `select cx.reporting_day(now())::text as today, (cx.reporting_day(now()) - date '2026-11-07' + 1)::int as since_7th`,
  );
  const [{ today, since_7th: since7th }] = rows;
  // the new agent's open interval: the 7th up to today
  assert.equal(await loggedDays(pool, agentId), { first: '2026-11-07', last: today, days: since7th });

  await pool.query('delete from cx_private.metric_bucket_log where bucket_key = $1', [agentId]);
  // a loader's back-dated interval over two midnights: three days
  await given.statusIntervals(pool, agentId, [['offline', '2026-11-05T22:00:00Z', '2026-11-07T08:00:00Z']]);
  assert.equal(await loggedDays(pool, agentId), { first: '2026-11-05', last: '2026-11-07', days: 3 });

  await pool.query('delete from cx_private.metric_bucket_log where bucket_key = $1', [agentId]);
  // a change on the 8th: the days the open interval no longer covers are logged with the ones it does
  await setStatuses(pool, [[agentId, 'busy', '2026-11-08T10:00:00Z']]);
  assert.equal(await loggedDays(pool, agentId), { first: '2026-11-07', last: today, days: since7th });
});

test.run();
