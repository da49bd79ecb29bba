import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.compute_customer_experience_scores(date, window) scores every customer with interactions in
 * the window of reporting days ending with the date. Score date 2026-11-03, 7 days: 28 October to
 * 3 November.
 * - Customer A: K1 1 Nov chatbot, resolved, CSAT 4, NPS 9, CES 5; K2 2 Nov web_app, unresolved,
 *   CSAT 2, NPS 6; K3 3 Nov chatbot, resolved, escalated. Outside: K0 27 Oct (CSAT 1), K4 4 Nov.
 *   3 interactions, 2 resolved, 1 escalation, 2 channels; CSAT 2 answers, sum 6, mean 3, one 4-5;
 *   NPS one promoter, one detractor: 0; CES 5.
 *   cx_score = 100 x (0.35 x (3 - 1) / 4 + 0.25 x (0 + 100) / 200 + 0.20 x (5 - 1) / 6 + 0.20 x 2/3)
 *            / (0.35 + 0.25 + 0.20 + 0.20) = 100 x (0.175 + 0.125 + 0.13333 + 0.13333) = 56.67
 * - Customer B: K5 29 Oct email, resolved, no feedback: resolution alone, cx_score 100.
 * - Customer C: only K6 on 20 October: no row.
 */
const test = databaseSuite('customer experience scores');

const SCORE_DATE = '2026-11-03';
let customers: Record<'a' | 'b' | 'c', string>;
let k5: given.InteractionRef;

async function feedback(pool: pg.Pool, ref: given.InteractionRef, scores: Record<string, number>) {
  await given.feedback(pool, ref, scores);
}

async function compute(pool: pg.Pool, date: string | null = SCORE_DATE, windowDays = 7) {
  const { rows } = await pool.query('select * from cx.compute_customer_experience_scores($1, $2)', [
    date,
    windowDays,
  ]);
  return rows[0];
}

async function scores(pool: pg.Pool, date = SCORE_DATE) {
  const { rows } = await pool.query(
    `select * from cx.customer_experience_scores where score_date = $1 order by customer_id`,
    [date],
  );
  return rows;
}

test.before(async ({ pool }) => {
  customers = {
    a: await given.customer(pool),
    b: await given.customer(pool),
    c: await given.customer(pool),
  };
  const a = customers.a;
  const k0 = await given.interaction(pool, {
    customerId: a,
    start: '2026-10-27T10:00:00Z',
    end: '2026-10-27T10:05:00Z',
  });
  await feedback(pool, k0, { csat_score: 1 });
  const k1 = await given.botInteraction(pool, {
    customerId: a,
    start: '2026-11-01T10:00:00Z',
    end: '2026-11-01T10:05:00Z',
  });
  await feedback(pool, k1, { csat_score: 4, nps_score: 9, ces_score: 5 });
  const k2 = await given.interaction(pool, {
    customerId: a,
    start: '2026-11-02T10:00:00Z',
    end: '2026-11-02T10:05:00Z',
    channel: 'web_app',
    mode: 'live_chat',
    resolution: 'unresolved',
  });
  await feedback(pool, k2, { csat_score: 2, nps_score: 6 });
  await given.botInteraction(pool, {
    customerId: a,
    start: '2026-11-03T23:59:00Z',
    end: '2026-11-04T00:10:00Z',
    escalated: true,
  });
  await given.interaction(pool, {
    customerId: a,
    start: '2026-11-04T00:00:00Z',
    end: '2026-11-04T00:05:00Z',
  });
  k5 = await given.interaction(pool, {
    customerId: customers.b,
    start: '2026-10-29T10:00:00Z',
    end: '2026-10-29T10:05:00Z',
    channel: 'email',
    mode: 'live_chat',
  });
  await given.interaction(pool, {
    customerId: customers.c,
    start: '2026-10-20T10:00:00Z',
    end: '2026-10-20T10:05:00Z',
  });
});

test.before.each(async ({ pool }) => {
  await pool.query('delete from cx.customer_experience_scores');
});

test('one row per customer with interactions in the window: counts, CSAT, NPS, CES and the composite', async ({
  pool,
}) => {
  assert.equal(await compute(pool), {
    score_date: new Date(`${SCORE_DATE}T00:00:00`),
    window_days: 7,
    customers: 2,
    rows_written: 2,
    rows_removed: 0,
  });
  const rows = await scores(pool);
  const byCustomer = new Map(rows.map((r) => [r.customer_id, r]));
  assert.equal([...byCustomer.keys()].sort(), [customers.a, customers.b].sort());
  const a = byCustomer.get(customers.a);
  assert.equal(
    {
      counts: [a.window_days, a.interactions, a.resolved, a.escalations, a.channels_used],
      csat: [a.csat_responses, a.csat_sum, a.csat_top2, a.csat_score],
      nps: [a.nps_responses, a.nps_promoters, a.nps_detractors, a.nps],
      ces: [a.ces_responses, a.ces_sum, a.ces_score],
      cx: [a.cx_score, a.churn_risk_score],
    },
    {
      counts: [7, 3, 2, 1, 2],
      csat: [2, 6, 1, 3],
      nps: [2, 1, 1, 0],
      ces: [1, 5, 5],
      cx: [56.67, null],
    },
  );
  const b = byCustomer.get(customers.b);
  assert.equal(
    [b.interactions, b.resolved, b.csat_score, b.nps, b.ces_score, b.cx_score],
    [1, 1, null, null, null, 100],
  );
});

test('a second run writes nothing; a removed interaction removes its customer and keeps the churn risk of others', async ({
  pool,
}) => {
  await compute(pool);
  // the analytics pipeline's churn risk, which the computation keeps
  await pool.query(
    'update cx.customer_experience_scores set churn_risk_score = 0.25 where customer_id = $1',
    [customers.a],
  );
  const before = await scores(pool);
  assert.equal(await compute(pool), {
    score_date: new Date(`${SCORE_DATE}T00:00:00`),
    window_days: 7,
    customers: 2,
    rows_written: 0,
    rows_removed: 0,
  });
  assert.equal(await scores(pool), before);

  await given.correctInteractions(pool, k5, { start_timestamp: '2026-10-20T10:00:00Z' });
  try {
    const done = await compute(pool);
    assert.equal([done.customers, done.rows_written, done.rows_removed], [1, 0, 1]);
    const after = await scores(pool);
    assert.equal(
      after.map((r) => [r.customer_id, r.churn_risk_score, r.cx_score]),
      [[customers.a, 0.25, 56.67]],
    );
  } finally {
    await given.correctInteractions(pool, k5, { start_timestamp: k5.startTimestamp });
  }
});

test('another window replaces the figures of that date; other dates keep theirs', async ({ pool }) => {
  await compute(pool);
  await compute(pool, '2026-11-04', 7);
  // 8 days take in K0 of 27 October: 4 interactions, CSAT 1, 4 and 2
  const done = await compute(pool, SCORE_DATE, 8);
  assert.equal([done.customers, done.rows_written, done.rows_removed], [2, 2, 0]);
  const a = (await scores(pool)).find((r) => r.customer_id === customers.a);
  assert.equal([a.window_days, a.interactions, a.csat_responses, a.csat_sum], [8, 4, 3, 7]);
  // 28 Oct to 4 Nov: K1, K2, K3 and K4
  const next = (await scores(pool, '2026-11-04')).find((r) => r.customer_id === customers.a);
  assert.equal([next.window_days, next.interactions, next.resolved], [7, 4, 3]);
});

test('the score date defaults to today in the reporting time zone; a window of no days is refused', async ({
  pool,
}) => {
  const done = await compute(pool, null, 90);
  assert.is(
    done.score_date.getTime(),
    new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00`).getTime(),
  );
  const error = await compute(pool, SCORE_DATE, 0).then(
    () => undefined,
    (e: { code: string; message: string }) => e,
  );
  assert.equal(
    [error?.code, error?.message],
    ['22023', 'p_window_days must be a whole number of days from 1 to 3660, got 0'],
  );
});

test.run();
