import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.record_feedback, the write function every writer records feedback through (issue 15): a JSON
 * batch of rows keyed by the table's columns, its interactions checked, their scores rolled up.
 */
const test = databaseSuite('write functions: feedback');

let contact: given.InteractionRef;

test.before(async ({ pool }) => {
  contact = await given.interaction(pool, { start: '2026-11-18T09:00:00Z', end: '2026-11-18T09:05:00Z' });
});

const record = (pool: import('pg').Pool, rows: unknown[]) =>
  pool.query('select ord, feedback_id, submitted_at from cx.record_feedback($1::jsonb)', [
    JSON.stringify(rows),
  ]);

const about = () => ({
  customer_id: contact.customerId,
  interaction_id: contact.interactionId,
  interaction_start_timestamp: contact.startTimestamp,
});

test('a batch: defaults where a row says nothing, lists and JSON kept, the latest answers rolled up', async ({
  pool,
}) => {
  const { rows } = await record(pool, [
    {
      ...about(),
      submitted_at: '2026-11-18T10:00:00Z',
      csat_score: 2,
      nps_score: 3,
      feedback_topics: ['billing', 'wait'],
    },
    { ...about(), submitted_at: '2026-11-18T11:00:00Z', csat_score: 5, answers: { comment: 'quick' } },
    // only of the customer, no interaction: a null key is as good as none
    { customer_id: contact.customerId, interaction_id: null, ces_score: 6 },
  ]);
  assert.equal(
    rows.map((r) => r.ord),
    [0, 1, 2],
  );
  const stored = await pool.query(
    `select csat_score, nps_score, ces_score, feedback_topics, answers, follow_up_status, interaction_id is null as alone
       from cx.customer_feedback where feedback_id = any($1) order by submitted_at`,
    [rows.map((r) => r.feedback_id)],
  );
  assert.equal(stored.rows, [
    {
      csat_score: 2,
      nps_score: 3,
      ces_score: null,
      feedback_topics: ['billing', 'wait'],
      answers: {},
      follow_up_status: 'not_required',
      alone: false,
    },
    {
      csat_score: 5,
      nps_score: null,
      ces_score: null,
      feedback_topics: [],
      answers: { comment: 'quick' },
      follow_up_status: 'not_required',
      alone: false,
    },
    {
      csat_score: null,
      nps_score: null,
      ces_score: 6,
      feedback_topics: [],
      answers: {},
      follow_up_status: 'not_required',
      alone: true,
    },
  ]);
  // submitted now by default
  assert.ok(Math.abs((rows[2].submitted_at as Date).getTime() - Date.now()) < 60_000);
  const row = await given.interactionRow(pool, contact);
  // CSAT from the later answer, NPS from the only one that has it
  assert.equal([row.customer_satisfaction_score, row.nps_score, row.customer_effort_score], [5, 3, null]);
});

test('feedback about an interaction that does not exist: its row is named and nothing is stored', async ({
  pool,
}) => {
  const before = (await pool.query('select count(*)::int as n from cx.customer_feedback')).rows[0].n;
  const error = await record(pool, [
    { ...about(), csat_score: 1 },
    { ...about(), interaction_id: '01900000-0000-7000-8000-00000000dead', csat_score: 1 },
  ]).then(
    () => undefined,
    (e) => e,
  );
  assert.equal(
    [error?.code, error?.constraint, error?.detail],
    ['23503', 'customer_feedback_interaction_fkey', 'batch row 1'],
  );
  assert.is((await pool.query('select count(*)::int as n from cx.customer_feedback')).rows[0].n, before);
});

test('what is not a JSON array of rows, and a value its column cannot hold, are refused', async ({
  pool,
}) => {
  const notArray = await pool.query(`select * from cx.record_feedback('{"customer_id": null}'::jsonb)`).then(
    () => undefined,
    (e) => [e.code, e.message],
  );
  assert.equal(notArray, ['22023', 'the feedback must be a JSON array of rows, got object']);
  const badScore = await record(pool, [{ ...about(), csat_score: 'very good' }]).then(
    () => undefined,
    (e) => [e.code, e.message],
  );
  assert.equal(badScore, ['22P02', 'invalid input syntax for type smallint: "very good"']);
  const outOfRange = await record(pool, [{ ...about(), csat_score: 9 }]).then(
    () => undefined,
    (e) => [e.code, e.constraint],
  );
  assert.equal(outOfRange, ['23514', 'customer_feedback_csat_score_range']);
});

test.run();
