import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/** Each customer's history counters follow their interactions: bulk, updates, deletes, concurrency. */
const test = databaseSuite('customer history');

async function history(pool: pg.Pool, customerId: string) {
  const { rows } = await pool.query(
    `select total_interactions as total, successful_interactions as successful, escalation_count as escalated,
            success_rate from cx.customers where customer_id = $1`,
    [customerId],
  );
  return rows[0];
}

/** One cx.record_interactions batch of the rows the arrays give (customer, start, status, resolution, escalated). */
const insertMany = `
  select count(*)
    from cx.record_interactions((
           select jsonb_agg(jsonb_build_object(
                    'customer_id', s.customer_id, 'start_timestamp', s.start_timestamp,
                    'end_timestamp', s.start_timestamp + interval '5 minutes',
                    'channel_id', (select channel_id from cx.channels where channel_name = 'chatbot'), 'initial_mode', 'bot',
                    'status', s.status, 'resolution_status', s.resolution, 'escalated_to_human', s.escalated)
                  order by s.ord)
             from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::boolean[]) with ordinality
                  s(customer_id, start_timestamp, status, resolution, escalated, ord)))`;

test('one multi-row insert for several customers counts each exactly', async ({ pool }) => {
  const a = await given.customer(pool);
  const b = await given.customer(pool);
  await pool.query(insertMany, [
    [a, a, a, b, b],
    [
      '2026-11-01T09:00:00Z',
      '2026-11-02T09:00:00Z',
      '2026-11-03T09:00:00Z',
      '2026-11-01T09:00:00Z',
      '2026-11-02T09:00:00Z',
    ],
    ['completed', 'completed', 'abandoned', 'completed', 'failed'],
    ['resolved', 'unresolved', 'unresolved', 'resolved', 'unresolved'],
    [false, true, true, false, false],
  ]);
  assert.equal(await history(pool, a), { total: 3, successful: 1, escalated: 2, success_rate: 0.3333 });
  assert.equal(await history(pool, b), { total: 2, successful: 1, escalated: 0, success_rate: 0.5 });
});

test('updates move the counters; an escalation through steps counts; deletes take away', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const ref = await given.botInteraction(pool, { customerId, start: '2026-11-02T09:00:00Z' });
  const other = await given.botInteraction(pool, { customerId, start: '2026-11-02T10:00:00Z' });
  assert.equal(await history(pool, customerId), { total: 2, successful: 0, escalated: 0, success_rate: 0 });
  await given.steps(pool, ref, [['queue', '09:01:00', '09:02:00']]);
  await pool.query(
    `select count(*)
       from cx.correct_interactions((
              select jsonb_agg(jsonb_build_object(
                       'customer_id', customer_id, 'interaction_id', interaction_id, 'start_timestamp', start_timestamp,
                       'set', jsonb_build_object('status', 'completed', 'resolution_status', 'resolved',
                                                 'end_timestamp', start_timestamp + interval '10 minutes')))
                from cx.customer_interactions where customer_id = $1))`,
    [customerId],
  );
  assert.equal(await history(pool, customerId), { total: 2, successful: 2, escalated: 1, success_rate: 1 });
  await given.deleteInteractions(pool, other);
  assert.equal(await history(pool, customerId), { total: 1, successful: 1, escalated: 1, success_rate: 1 });
});

test('a statement refused by a constraint leaves the counters unchanged', async ({ pool }) => {
  const customerId = await given.customer(pool);
  await given.interaction(pool, { customerId, start: '2026-11-02T09:00:00Z' });
  const error = await pool
    .query(insertMany, [
      [customerId, customerId],
      ['2026-11-03T09:00:00Z', '2026-11-04T09:00:00Z'],
      ['completed', 'finished'],
      ['resolved', 'resolved'],
      [false, false],
    ])
    .then(
      () => undefined,
      (e: { constraint: string }) => e,
    );
  assert.is(error?.constraint, 'customer_interactions_status_known');
  assert.equal(await history(pool, customerId), { total: 1, successful: 0, escalated: 0, success_rate: 0 });
});

test('eight concurrent writers, rows for the same two customers in opposite orders: no deadlock, exact totals', async ({
  pool,
  connectionString,
}) => {
  const a = await given.customer(pool);
  const b = await given.customer(pool);
  const { default: pgModule } = await import('pg');
  const writers = Array.from({ length: 8 }, async (_, writer) => {
    const client = new pgModule.Client({ connectionString });
    await client.connect();
    try {
      await client.query('begin');
      // every statement names both customers, half the writers b first: the write function locks them
      // in customer_id order, so statements of different transactions cannot wait on each other in a cycle
      const customers = writer % 2 === 0 ? [a, b] : [b, a];
      for (const n of [0, 1, 2]) {
        await client.query(insertMany, [
          customers,
          customers.map((_, i) => new Date(Date.UTC(2026, 10, 1 + writer, n, i)).toISOString()),
          [n === 2 ? 'abandoned' : 'completed', n === 2 ? 'abandoned' : 'completed'],
          [n === 0 ? 'resolved' : 'unresolved', n === 0 ? 'resolved' : 'unresolved'],
          [n === 1, n === 1],
        ]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await client.query('commit');
    } finally {
      await client.end();
    }
  });
  await Promise.all(writers);
  // 8 writers × 3 statements, one row per customer each; 1 resolved and 1 escalated in each 3
  assert.equal(await history(pool, a), { total: 24, successful: 8, escalated: 8, success_rate: 0.3333 });
  assert.equal(await history(pool, b), { total: 24, successful: 8, escalated: 8, success_rate: 0.3333 });
});

test.run();
