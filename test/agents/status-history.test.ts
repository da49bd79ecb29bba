import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/** agent_status_history follows current_status changes and takes back-dated intervals that do not overlap. */
const test = databaseSuite('agent status history');

async function newAgent(pool: pg.Pool, code: string, status: string, at: string): Promise<string> {
  const { rows } = await pool.query(
    `insert into cx.agents (agent_code, agent_name, agent_type, current_status, status_changed_at)
     values ($1, $1, 'human', $2, $3) returning agent_id`,
    [code, status, at],
  );
  return rows[0].agent_id;
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

test('a new agent opens an interval; each change closes it and opens the next', async ({ pool }) => {
  const agentId = await newAgent(pool, 'status-a', 'available', '2026-11-07T08:00:00Z');
  await pool.query(
    "update cx.agents set current_status = 'busy', status_changed_at = '2026-11-07T08:30:00Z' where agent_id = $1",
    [agentId],
  );
  await pool.query(
    "update cx.agents set current_status = 'on_break', status_changed_at = '2026-11-07T10:00:00Z' where agent_id = $1",
    [agentId],
  );
  // same status again: nothing to record
  await pool.query("update cx.agents set current_status = 'on_break' where agent_id = $1", [agentId]);
  assert.equal(await intervals(pool, agentId), [
    ['available', '2026-11-07T08:00:00.000Z', '2026-11-07T08:30:00.000Z', 'status_change'],
    ['busy', '2026-11-07T08:30:00.000Z', '2026-11-07T10:00:00.000Z', 'status_change'],
    ['on_break', '2026-11-07T10:00:00.000Z', null, 'status_change'],
  ]);
});

test('a change without a time happens now', async ({ pool }) => {
  const agentId = await newAgent(pool, 'status-now', 'available', '2026-11-07T08:00:00Z');
  const before = Date.now();
  await pool.query("update cx.agents set current_status = 'offline' where agent_id = $1", [agentId]);
  const [, open] = await intervals(pool, agentId);
  const started = new Date(open?.[1] as string).getTime();
  assert.ok(started >= before - 1000 && started <= Date.now() + 1000, `started ${open?.[1]}`);
});

test('back-dated intervals are accepted unless they overlap', async ({ pool }) => {
  const agentId = await newAgent(pool, 'status-loader', 'available', '2026-11-07T08:00:00Z');
  await pool.query(
    `insert into cx.agent_status_history (agent_id, status, started_at, ended_at)
     values ($1, 'available', '2026-11-06T08:00:00Z', '2026-11-06T12:00:00Z'),
            ($1, 'offline', '2026-11-06T12:00:00Z', '2026-11-07T08:00:00Z')`,
    [agentId],
  );
  assert.equal(
    await refusal(
      pool.query(
        `insert into cx.agent_status_history (agent_id, status, started_at, ended_at)
         values ($1, 'busy', '2026-11-06T11:00:00Z', '2026-11-06T13:00:00Z')`,
        [agentId],
      ),
    ),
    ['23P01', 'agent_status_history_no_overlap'],
  );
  assert.is((await intervals(pool, agentId)).length, 3);
});

test('a change dated before the open interval began is refused and records nothing', async ({ pool }) => {
  const agentId = await newAgent(pool, 'status-early', 'available', '2026-11-07T08:00:00Z');
  assert.equal(
    await refusal(
      pool.query(
        "update cx.agents set current_status = 'busy', status_changed_at = '2026-11-07T07:00:00Z' where agent_id = $1",
        [agentId],
      ),
    ),
    ['23514', 'agent_status_history_status_changed_at_order'],
  );
  assert.equal(await intervals(pool, agentId), [
    ['available', '2026-11-07T08:00:00.000Z', null, 'status_change'],
  ]);
  const message = await pool
    .query(
      "update cx.agents set current_status = 'busy', status_changed_at = '2026-11-07T07:00:00Z' where agent_id = $1",
      [agentId],
    )
    .then(
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

test.run();
