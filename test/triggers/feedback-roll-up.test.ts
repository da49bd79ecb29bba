import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/** Feedback linked to an interaction sets its CSAT / NPS / CES: per score, the latest response wins. */
const test = databaseSuite('feedback roll-up');

interface Scores {
  csat?: number | null;
  nps?: number | null;
  ces?: number | null;
}

function feedback(
  pool: pg.Pool,
  ref: given.InteractionRef,
  submittedAt: string,
  scores: Scores,
): Promise<string> {
  return given.feedback(pool, ref, {
    submitted_at: submittedAt,
    csat_score: scores.csat,
    nps_score: scores.nps,
    ces_score: scores.ces,
  });
}

async function scores(pool: pg.Pool, ref: given.InteractionRef): Promise<[unknown, unknown, unknown]> {
  const row = await given.interactionRow(pool, ref);
  return [row.customer_satisfaction_score, row.nps_score, row.customer_effort_score];
}

test('the latest response wins, score by score', async ({ pool }) => {
  const ref = await given.interaction(pool, { start: '2026-11-05T09:00:00Z', end: '2026-11-05T09:10:00Z' });
  await feedback(pool, ref, '2026-11-05T10:00:00Z', { csat: 2, nps: 3, ces: 4 });
  assert.equal(await scores(pool, ref), [2, 3, 4]);
  await feedback(pool, ref, '2026-11-06T10:00:00Z', { csat: 5 });
  assert.equal(await scores(pool, ref), [5, 3, 4]);
});

test('late-arriving feedback answered earlier does not override a newer answer', async ({ pool }) => {
  const ref = await given.interaction(pool, { start: '2026-11-05T09:00:00Z', end: '2026-11-05T09:10:00Z' });
  await feedback(pool, ref, '2026-11-07T10:00:00Z', { csat: 4 });
  await feedback(pool, ref, '2026-11-06T10:00:00Z', { csat: 1, nps: 9 });
  assert.equal(await scores(pool, ref), [4, 9, null]);
});

test('feedback corrected in the table by hand: cx.recompute_derived brings the scores back in line; with none left they are empty', async ({
  pool,
}) => {
  const ref = await given.interaction(pool, { start: '2026-11-05T09:00:00Z', end: '2026-11-05T09:10:00Z' });
  const older = await feedback(pool, ref, '2026-11-05T10:00:00Z', { csat: 3, ces: 6 });
  const newer = await feedback(pool, ref, '2026-11-05T11:00:00Z', { csat: 4 });
  const recompute = () => pool.query('select * from cx.recompute_derived(array[$1::uuid])', [ref.customerId]);
  await pool.query('update cx.customer_feedback set csat_score = 1 where feedback_id = $1', [newer]);
  // a write straight into the table derives nothing
  assert.equal(await scores(pool, ref), [4, null, 6]);
  assert.equal((await recompute()).rows, [{ interactions: 1, outcome_buckets: 0 }]);
  assert.equal(await scores(pool, ref), [1, null, 6]);
  await pool.query('delete from cx.customer_feedback where feedback_id = $1', [newer]);
  await recompute();
  assert.equal(await scores(pool, ref), [3, null, 6]);
  await pool.query('delete from cx.customer_feedback where feedback_id = $1', [older]);
  await recompute();
  assert.equal(await scores(pool, ref), [null, null, null]);
});

test('the customer averages follow the interactions scores', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const a = await given.interaction(pool, {
    customerId,
    start: '2026-11-05T09:00:00Z',
    end: '2026-11-05T09:10:00Z',
  });
  const b = await given.interaction(pool, {
    customerId,
    start: '2026-11-05T12:00:00Z',
    end: '2026-11-05T12:10:00Z',
  });
  await feedback(pool, a, '2026-11-05T10:00:00Z', { csat: 5, nps: 10, ces: 7 });
  await feedback(pool, b, '2026-11-05T13:00:00Z', { csat: 2, nps: 5 });
  const { rows } = await pool.query(
    `select satisfaction_sum, satisfaction_count, avg_satisfaction_score, nps_sum, nps_count, nps_score,
            effort_sum, effort_count, customer_effort_score
       from cx.customers where customer_id = $1`,
    [customerId],
  );
  assert.equal(rows[0], {
    satisfaction_sum: 7,
    satisfaction_count: 2,
    avg_satisfaction_score: 3.5,
    nps_sum: 15,
    nps_count: 2,
    nps_score: 7.5,
    effort_sum: 7,
    effort_count: 1,
    customer_effort_score: 7,
  });
});

test('feedback for an interaction that does not exist is refused and writes nothing', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const missing = {
    customerId,
    interactionId: '01900000-0000-7000-8000-00000000ffff',
    startTimestamp: '2026-11-05T09:00:00Z',
  };
  const error = await feedback(pool, missing, '2026-11-05T10:00:00Z', { csat: 5 }).then(
    () => undefined,
    (e: { code: string; constraint: string }) => e,
  );
  assert.equal([error?.code, error?.constraint], ['23503', 'customer_feedback_interaction_fkey']);
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.customer_feedback where customer_id = $1',
    [customerId],
  );
  assert.is(rows[0].n, 0);
});

test.run();
