import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * A month without a partition lands in the DEFAULT partition; creating the month moves its rows
 * (and their steps) out unchanged. Far-future months: migrate only makes the months around today.
 */
const test = databaseSuite('monthly partitions');

async function partitionOf(pool: pg.Pool, table: string, interactionId: string): Promise<string[]> {
  const { rows } = await pool.query(
    `select distinct c.relname as part from cx.${table} t join pg_class c on c.oid = t.tableoid where t.interaction_id = $1 order by 1`,
    [interactionId],
  );
  return rows.map((r) => r.part);
}

async function snapshot(pool: pg.Pool, ref: given.InteractionRef) {
  const row = await given.interactionRow(pool, ref);
  const { rows: customer } = await pool.query(
    'select total_interactions, successful_interactions, escalation_count, satisfaction_sum from cx.customers where customer_id = $1',
    [ref.customerId],
  );
  const { rows: linked } = await pool.query(
    `select (select count(*) from cx.customer_feedback where interaction_id = $1)::int as feedback,
            (select count(*) from cx.interaction_external_refs where interaction_id = $1)::int as refs,
            (select count(*) from cx.interaction_steps where interaction_id = $1)::int as steps`,
    [ref.interactionId],
  );
  return {
    mode: row.interaction_mode,
    human: row.human_duration_seconds,
    escalated: row.escalated_to_human,
    fcr: row.first_contact_resolution,
    csat: row.customer_satisfaction_score,
    cost: row.cost_to_serve,
    customer: customer[0],
    linked: linked[0],
  };
}

test('a month without a partition lands in DEFAULT; creating it moves rows and steps unchanged', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, {
    start: '2031-05-02T09:00:00Z',
    end: '2031-05-02T09:20:00Z',
  });
  await given.steps(pool, ref, [
    ['bot', '09:00:00', '09:05:00'],
    ['human', '09:05:00', '09:15:00'],
  ]);
  await given.feedback(pool, ref, { csat_score: 4, submitted_at: '2031-05-02T10:00:00Z' });
  await pool.query(
    `insert into cx.interaction_external_refs (source_system, external_reference, customer_id, interaction_id, start_timestamp)
     values ('chatbot', 'conv-2031-05', $1, $2, $3)`,
    [ref.customerId, ref.interactionId, ref.startTimestamp],
  );
  assert.equal(await partitionOf(pool, 'customer_interactions', ref.interactionId), [
    'customer_interactions_default',
  ]);
  assert.equal(await partitionOf(pool, 'interaction_steps', ref.interactionId), [
    'interaction_steps_default',
  ]);
  const before = await snapshot(pool, ref);
  assert.equal(before, {
    mode: 'live_chat',
    human: 600,
    escalated: true,
    fcr: true,
    csat: 4,
    // (300 × 0.01 + 600 × 0.85) / 60 = 8.55
    cost: 8.55,
    customer: { total_interactions: 1, successful_interactions: 1, escalation_count: 1, satisfaction_sum: 4 },
    linked: { feedback: 1, refs: 1, steps: 2 },
  });

  const { rows } = await pool.query("select cx.create_monthly_partitions('2031-05-15', 2) as created");
  assert.is(rows[0].created, 2);
  assert.equal(await partitionOf(pool, 'customer_interactions', ref.interactionId), [
    'customer_interactions_y2031m05',
  ]);
  assert.equal(await partitionOf(pool, 'interaction_steps', ref.interactionId), [
    'interaction_steps_y2031m05',
  ]);
  assert.equal(await snapshot(pool, ref), before);
  const { rows: role } = await pool.query("select current_setting('session_replication_role') as role");
  assert.is(role[0].role, 'origin');

  const { rows: again } = await pool.query("select cx.create_monthly_partitions('2031-05-15', 2) as created");
  assert.is(again[0].created, 0);
});

test('ensure_partitions counts only the months it had to make', async ({ pool }) => {
  await pool.query("select cx.create_monthly_partitions('2032-02-01', 1)");
  const { rows } = await pool.query("select cx.ensure_partitions('2032-01-20', '2032-04-02') as created");
  assert.is(rows[0].created, 3);
  const { rows: parts } = await pool.query(
    `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'cx.customer_interactions'::regclass and c.relname like '%y2032%' order by 1`,
  );
  assert.equal(
    parts.map((p) => p.relname),
    [
      'customer_interactions_y2032m01',
      'customer_interactions_y2032m02',
      'customer_interactions_y2032m03',
      'customer_interactions_y2032m04',
    ],
  );
});

test('a month count outside 1 to 240 is refused', async ({ pool }) => {
  for (const months of [0, 241]) {
    const error = await pool.query('select cx.create_monthly_partitions(now(), $1)', [months]).then(
      () => undefined,
      (e: { code: string; message: string }) => e,
    );
    assert.equal(
      [error?.code, error?.message],
      ['22023', `p_months must be a whole number from 1 to 240, got ${months}`],
    );
  }
});

test('correcting a start into another month moves the steps along, escalated or not', async ({ pool }) => {
  await pool.query("select cx.create_monthly_partitions('2031-08-01', 2)");
  const ref = await given.botInteraction(pool, { start: '2031-08-31T23:50:00Z' });
  await given.steps(pool, ref, [['human', '2031-09-01T00:10:00Z', '2031-09-01T00:20:00Z']]);
  await given.correctInteractions(pool, ref, { start_timestamp: '2031-09-01T00:05:00Z' });
  assert.equal(await partitionOf(pool, 'customer_interactions', ref.interactionId), [
    'customer_interactions_y2031m09',
  ]);
  assert.equal(await partitionOf(pool, 'interaction_steps', ref.interactionId), [
    'interaction_steps_y2031m09',
  ]);
  const moved = await given.interactionRow(pool, { ...ref, startTimestamp: '2031-09-01T00:05:00Z' });
  assert.equal(
    [moved.escalated_to_human, moved.human_duration_seconds, moved.cost_to_serve_source],
    [true, 600, 'derived'],
  );
});

test.run();
