import type pg from 'pg';
import * as assert from 'uvu/assert';
import { simulate } from '../../src/simulate/load.js';
import { databaseSuite, inRollbackTransaction, withSecondDatabase } from '../support/database.js';
import * as given from '../support/given.js';
import { simulationDigests } from '../support/simulation-digests.js';

/**
 * cx.ingest_staged has one path for every role: set-based SQL for the batch's rules and foreign
 * keys, then cx_private.interactions_changed for what the batch does to other rows, as every write
 * function of interactions does. It needs no superuser (no session_replication_role), and where a
 * batch ends changes nothing: repeat contacts in later batches turn earlier contacts into repeats.
 */
const test = databaseSuite('client: bulk ingest, one path for every role');

/** Small batches, so repeat contacts reach back into earlier batches and flip their FCR. */
const SIMULATION = {
  seed: 11,
  days: 4,
  interactions: 2000,
  customers: 250,
  batchSize: 150,
  end: new Date('2026-11-20T00:00:00Z'),
};

test('batches of 150 customers write exactly what one batch of all 250 writes', async ({ pool }) => {
  await simulate(pool, SIMULATION);
  const small = await simulationDigests(pool);
  const { rows } = await pool.query(`
    select count(*) filter (where resolution_status = 'resolved' and not first_contact_resolution)::int as repeats,
           count(*) filter (where escalated_to_human)::int as escalated,
           count(*) filter (where session_id is not null)::int as in_journeys
      from cx.customer_interactions`);
  // the comparison means something only if the batches hold what the rules act on
  assert.ok(rows[0].repeats > 50, `${rows[0].repeats} resolved repeats`);
  assert.ok(rows[0].escalated > 50, `${rows[0].escalated} escalations`);
  assert.ok(rows[0].in_journeys > 50, `${rows[0].in_journeys} interactions in journeys`);
  const oneBatch = await withSecondDatabase(async (other) => {
    await simulate(other, { ...SIMULATION, batchSize: SIMULATION.customers });
    return simulationDigests(other);
  });
  assert.equal(oneBatch, small);
});

interface PathCalls {
  rowRules: number;
  /** cx_private.steps_changed: a batch computes its steps' totals itself, on both paths */
  stepRules: number;
  foreignKeyChecks: number;
}

/**
 * Ingests one escalated bot contact in `client`'s transaction and counts what ran (the caller
 * sets track_functions, a superuser's setting).
 */
async function ingestOne(
  client: pg.PoolClient,
  { customerId, channelId, agentId }: { customerId: string; channelId: string; agentId: string },
): Promise<PathCalls> {
  const before = await callCounts(client);
  await client.query('select cx.ingest_begin()');
  await client.query(
    `insert into pg_temp.ingest_interactions (ord, customer_id, start_timestamp, end_timestamp, channel_id,
                                               initial_mode, status, resolution_status)
     values (0, $1, '2026-11-10 09:00Z', '2026-11-10 09:10Z', $2, 'bot', 'completed', 'resolved')`,
    [customerId, channelId],
  );
  await client.query(
    `insert into pg_temp.ingest_steps (interaction_ord, step_type, agent_id, started_at, ended_at)
     values (0, 'bot', null, '2026-11-10 09:00Z', '2026-11-10 09:02Z'),
            (0, 'human', $1, '2026-11-10 09:02Z', '2026-11-10 09:10Z')`,
    [agentId],
  );
  await client.query('select * from cx.ingest_staged()');
  const after = await callCounts(client);
  return {
    rowRules: after.rowRules - before.rowRules,
    stepRules: after.stepRules - before.stepRules,
    foreignKeyChecks: after.foreignKeyChecks - before.foreignKeyChecks,
  };
}

/**
 * The session's function calls not yet reported to the statistics collector: since PostgreSQL 15
 * they can include earlier transactions of a pooled session, so callers take differences.
 */
async function callCounts(client: pg.PoolClient): Promise<PathCalls> {
  const { rows } = await client.query(`
    select coalesce(pg_stat_get_xact_function_calls('cx_private.tg_customer_interactions__apply_rules'::regproc), 0)::int as "rowRules",
           coalesce(pg_stat_get_xact_function_calls('cx_private.steps_changed'::regproc), 0)::int as "stepRules",
           coalesce(pg_stat_get_xact_function_calls('cx_private.require_staged_references'::regproc), 0)::int as "foreignKeyChecks"`);
  return rows[0];
}

async function ingestedRow(client: pg.PoolClient, customerId: string): Promise<Record<string, unknown>> {
  const { rows } = await client.query(
    `select interaction_mode, escalated_to_human, escalation_timestamp, bot_duration_seconds, human_duration_seconds,
            cost_to_serve, cost_to_serve_source, first_contact_resolution,
            (select total_interactions from cx.customers c where c.customer_id = i.customer_id) as customer_total
       from cx.customer_interactions i where customer_id = $1`,
    [customerId],
  );
  return rows[0];
}

/** 120 bot seconds at 0.01 and 480 human seconds at 0.85 a minute: (1.2 + 408) / 60 = 6.82. */
const EXPECTED_ROW = {
  interaction_mode: 'live_chat',
  escalated_to_human: true,
  escalation_timestamp: new Date('2026-11-10T09:02:00Z'),
  bot_duration_seconds: 120,
  human_duration_seconds: 480,
  cost_to_serve: 6.82,
  cost_to_serve_source: 'derived',
  first_contact_resolution: true,
  customer_total: 1,
};

test('a superuser batch runs the row-local trigger once a row and leaves session_replication_role alone', async ({
  pool,
}) => {
  const channelId = await given.channelId(pool, 'chatbot');
  const agentId = await given.agent(pool, 'paths-human');
  const customerId = await given.customer(pool);
  await inRollbackTransaction(pool, async (client) => {
    await client.query(`set local track_functions = 'pl'`);
    const calls = await ingestOne(client, { customerId, channelId, agentId });
    assert.equal(calls, { rowRules: 1, stepRules: 0, foreignKeyChecks: 6 });
    assert.equal(await ingestedRow(client, customerId), EXPECTED_ROW);
    const role = await client.query('select current_setting($1) as r', ['session_replication_role']);
    assert.is(role.rows[0].r, 'origin');
  });
});

test('a role that may not turn triggers off writes the same rows the same way', async ({ pool }) => {
  const channelId = await given.channelId(pool, 'chatbot');
  const agentId = await given.agent(pool, 'paths-loader-human');
  const customerId = await given.customer(pool);
  const role = `carepulse_loader_${process.pid}`;
  await pool.query(`create role ${role}`);
  try {
    await pool.query(`
      grant usage on schema cx, cx_private to ${role};
      grant select, insert, update on all tables in schema cx, cx_private to ${role};
      grant usage on all sequences in schema cx, cx_private to ${role};
      grant execute on all functions in schema cx, cx_private to ${role};`);
    await inRollbackTransaction(pool, async (client) => {
      // the refresh job is the worker's business, not this role's: mark it requested already
      await client.query(`set local carepulse.metrics_refresh_requested = 'on'`);
      await client.query(`set local track_functions = 'pl'`);
      await client.query(`set local role ${role}`);
      const calls = await ingestOne(client, { customerId, channelId, agentId });
      assert.equal(calls, { rowRules: 1, stepRules: 0, foreignKeyChecks: 6 });
      assert.equal(await ingestedRow(client, customerId), EXPECTED_ROW);
    });
  } finally {
    await pool.query(`drop owned by ${role}; drop role ${role}`);
  }
});

test.run();
