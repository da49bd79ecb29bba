import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * cx.record_interactions, cx.correct_interactions and cx.end_interactions, the write functions
 * every writer of interactions goes through (issue 15): a batch in one call, what the database
 * derives filled in, a bad row named by its position and nothing stored; and cx.recompute_derived,
 * the repair after the owner wrote the table directly.
 */
const test = databaseSuite('write functions: interactions');

interface PgError extends Error {
  code: string;
  column?: string;
  constraint?: string;
  detail?: string;
}

const RECORD = 'select ord, interaction_id from cx.record_interactions($1::jsonb)';
const DAY = '2026-10-12';
let chatbot: string;

test.before(async ({ pool }) => {
  chatbot = await given.channelId(pool, 'chatbot');
});

function row(customerId: string, start: string, extra: Record<string, unknown> = {}) {
  return {
    customer_id: customerId,
    channel_id: chatbot,
    initial_mode: 'bot',
    start_timestamp: start,
    end_timestamp: start.replace(':00:00Z', ':05:00Z'),
    status: 'completed',
    resolution_status: 'resolved',
    ...extra,
  };
}

async function stored(pool: pg.Pool, ids: string[]) {
  const { rows } = await pool.query(
    `select region, cost_to_serve::float as cost, cost_to_serve_source as source, interaction_mode as mode
       from cx.customer_interactions where interaction_id = any($1) order by start_timestamp`,
    [ids],
  );
  return rows;
}

test('a batch: each interaction by its position, the region and the cost derived unless given', async ({
  pool,
}) => {
  const customerId = await given.customer(pool, { region: 'DEUR' });
  const { rows } = await pool.query(RECORD, [
    JSON.stringify([
      // 600 bot seconds at 0.01 a minute: 0.10
      row(customerId, `${DAY}T09:00:00Z`, { bot_duration_seconds: 600 }),
      row(customerId, `${DAY}T10:00:00Z`, { region: 'R9', cost_to_serve: 1.5 }),
    ]),
  ]);
  assert.equal(
    rows.map((r) => r.ord),
    [0, 1],
  );
  assert.equal(
    await stored(
      pool,
      rows.map((r) => r.interaction_id),
    ),
    [
      { region: 'DEUR', cost: 0.1, source: 'derived', mode: 'bot' },
      { region: 'R9', cost: 1.5, source: 'given', mode: 'bot' },
    ],
  );
  const history = await pool.query(
    'select total_interactions::int as n from cx.customers where customer_id = $1',
    [customerId],
  );
  assert.is(history.rows[0].n, 2);
});

test('a misspelt field and a channel that does not exist are named with their row; nothing is stored', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const misspelt = await rejection<PgError>(
    pool.query(RECORD, [
      JSON.stringify([
        row(customerId, `${DAY}T11:00:00Z`),
        { ...row(customerId, `${DAY}T12:00:00Z`), chanel: 'x' },
      ]),
    ]),
  );
  assert.equal([misspelt.code, misspelt.column, misspelt.detail], ['22023', 'chanel', 'batch row 1']);
  const missing = await rejection<PgError>(
    pool.query(RECORD, [
      JSON.stringify([
        row(customerId, `${DAY}T11:00:00Z`),
        row(customerId, `${DAY}T12:00:00Z`, { channel_id: '01900000-0000-7000-8000-00000000dead' }),
      ]),
    ]),
  );
  assert.equal(
    [missing.code, missing.constraint, missing.column, missing.detail],
    ['23503', 'customer_interactions_channel_id_fkey', 'channel_id', 'batch row 1'],
  );
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.customer_interactions where customer_id = $1',
    [customerId],
  );
  assert.is(rows[0].n, 0);
});

test('a correction of an interaction that does not exist, or of one named twice, is refused by its row', async ({
  pool,
}) => {
  const ref = await given.interaction(pool, { start: `${DAY}T13:00:00Z`, end: `${DAY}T13:05:00Z` });
  const key = {
    customer_id: ref.customerId,
    interaction_id: ref.interactionId,
    start_timestamp: ref.startTimestamp,
  };
  const correct = (batch: unknown[]) =>
    rejection<PgError>(
      pool.query('select * from cx.correct_interactions($1::jsonb)', [JSON.stringify(batch)]),
    );
  const missing = await correct([
    { ...key, set: { sentiment_score: 0.5 } },
    { ...key, start_timestamp: `${DAY}T13:00:01Z`, set: { sentiment_score: 0.5 } },
  ]);
  assert.equal(
    [missing.code, missing.constraint, missing.detail],
    ['23503', 'customer_interactions_missing', 'batch row 1'],
  );
  const twice = await correct([
    { ...key, set: { sentiment_score: 0.5 } },
    { ...key, set: { language_code: 'de' } },
  ]);
  assert.equal([twice.code, twice.column, twice.detail], ['23505', 'interaction_id', 'batch row 1']);
  const notAnObject = await correct([{ ...key, set: [] }]);
  assert.equal([notAnObject.code, notAnObject.column], ['22023', 'set']);
  assert.is((await given.interactionRow(pool, ref)).sentiment_score, null);
});

test('ending an ended interaction is left out unless it is a correction, which keeps the end', async ({
  pool,
}) => {
  const ref = await given.interaction(pool, { start: `${DAY}T14:00:00Z` });
  const end = async (fields: Record<string, unknown>) =>
    (
      await pool.query('select ord, end_timestamp from cx.end_interactions($1::jsonb)', [
        JSON.stringify([
          {
            customer_id: ref.customerId,
            interaction_id: ref.interactionId,
            start_timestamp: ref.startTimestamp,
            ...fields,
          },
        ]),
      ])
    ).rows.map((r) => [r.ord, r.end_timestamp.toISOString()]);
  const first = { status: 'completed', resolution_status: 'resolved', end_timestamp: `${DAY}T14:06:00Z` };
  assert.equal(await end(first), [[0, `${DAY}T14:06:00.000Z`]]);
  assert.equal(await end({ ...first, end_timestamp: `${DAY}T14:09:00Z` }), []);
  assert.equal(await end({ status: 'completed', resolution_status: 'unresolved', correction: true }), [
    [0, `${DAY}T14:06:00.000Z`],
  ]);
  const stored = await given.interactionRow(pool, ref);
  assert.equal(
    [stored.resolution_status, stored.end_timestamp],
    ['unresolved', new Date(`${DAY}T14:06:00Z`)],
  );
  const missingStatus = await rejection<PgError>(
    pool.query('select * from cx.end_interactions($1::jsonb)', [
      JSON.stringify([
        {
          customer_id: ref.customerId,
          interaction_id: ref.interactionId,
          start_timestamp: ref.startTimestamp,
        },
      ]),
    ]),
  );
  assert.equal(
    [missingStatus.code, missingStatus.column, missingStatus.detail],
    ['23502', 'status', 'batch row 0'],
  );
});

test('an interaction named twice in a batch is refused by its second row, not counted twice', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const ref = await given.interaction(pool, { customerId, start: `${DAY}T15:00:00Z` });
  const key = {
    customer_id: ref.customerId,
    interaction_id: ref.interactionId,
    start_timestamp: ref.startTimestamp,
  };
  const ending = { ...key, status: 'completed', resolution_status: 'resolved' };
  const twiceEnded = await rejection<PgError>(
    pool.query('select * from cx.end_interactions($1::jsonb)', [JSON.stringify([ending, ending])]),
  );
  assert.equal([twiceEnded.code, twiceEnded.detail], ['23505', 'batch row 1']);
  // the same key in another spelling is the same interaction
  const twiceCorrected = await rejection<PgError>(
    pool.query('select * from cx.correct_interactions($1::jsonb)', [
      JSON.stringify([
        { ...key, set: { customer_satisfaction_score: 4 } },
        { ...key, interaction_id: ref.interactionId.toUpperCase(), set: { customer_satisfaction_score: 4 } },
      ]),
    ]),
  );
  assert.equal([twiceCorrected.code, twiceCorrected.detail], ['23505', 'batch row 1']);
  const twiceRecorded = await rejection<PgError>(
    pool.query(RECORD, [
      JSON.stringify([
        row(customerId, `${DAY}T16:00:00Z`, { interaction_id: '01900000-0000-7000-8000-0000000000aa' }),
        row(customerId, `${DAY}T17:00:00Z`, { interaction_id: '01900000-0000-7000-8000-0000000000aa' }),
      ]),
    ]),
  );
  assert.equal([twiceRecorded.code, twiceRecorded.detail], ['23505', 'batch row 1']);
  const { rows } = await pool.query(
    'select total_interactions::int as total, successful_interactions::int as successful from cx.customers where customer_id = $1',
    [customerId],
  );
  assert.equal(rows, [{ total: 1, successful: 0 }]);
});

test('an interaction with a follow-up moves with it in one correction, and is refused alone', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const parent = await given.interaction(pool, { customerId, start: `${DAY}T18:00:00Z` });
  const { rows: recorded } = await pool.query(RECORD, [
    JSON.stringify([
      row(customerId, `${DAY}T19:00:00Z`, {
        parent_interaction_id: parent.interactionId,
        parent_start_timestamp: parent.startTimestamp,
      }),
    ]),
  ]);
  const childId = recorded[0].interaction_id as string;
  const moveParent = {
    customer_id: customerId,
    interaction_id: parent.interactionId,
    start_timestamp: parent.startTimestamp,
    set: { start_timestamp: `${DAY}T17:30:00Z` },
  };
  const alone = await rejection<PgError>(
    pool.query('select * from cx.correct_interactions($1::jsonb)', [JSON.stringify([moveParent])]),
  );
  assert.is(alone.code, '23503');
  const { rows } = await pool.query('select count(*)::int as n from cx.correct_interactions($1::jsonb)', [
    JSON.stringify([
      moveParent,
      {
        customer_id: customerId,
        interaction_id: childId,
        start_timestamp: `${DAY}T19:00:00Z`,
        set: { parent_start_timestamp: `${DAY}T17:30:00Z` },
      },
    ]),
  ]);
  assert.is(rows[0].n, 2);
  const { rows: child } = await pool.query(
    'select parent_start_timestamp from cx.customer_interactions where interaction_id = $1',
    [childId],
  );
  assert.equal(child, [{ parent_start_timestamp: new Date(`${DAY}T17:30:00Z`) }]);
});

test('after the owner wrote interactions straight into the table, cx.recompute_derived repairs what they derive', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'recompute_billing');
  // a resolved contact and, a day later, another of the same type: the first is a repeat's cause
  const { rows: written } = await pool.query(
    `insert into cx.customer_interactions
       (customer_id, start_timestamp, end_timestamp, channel_id, interaction_type_id, initial_mode, interaction_mode,
        status, resolution_status, bot_duration_seconds, region)
     select $1, s, s + interval '5 minutes', $2, $3, 'bot', 'bot', 'completed', 'resolved', 600, 'DEUR'
       from unnest(array['2026-10-05T09:00:00Z', '2026-10-06T09:00:00Z']::timestamptz[]) s
     returning interaction_id`,
    [customerId, chatbot, typeId],
  );
  const ids = written.map((r) => r.interaction_id);
  const state = async () => {
    const { rows } = await pool.query(
      `select first_contact_resolution as fcr, cost_to_serve::float as cost,
              (select total_interactions from cx.customers where customer_id = $2) as total
         from cx.customer_interactions where interaction_id = any($1) order by start_timestamp`,
      [ids, customerId],
    );
    return rows;
  };
  // nothing derived: the table's defaults
  assert.equal(await state(), [
    { fcr: false, cost: null, total: 0 },
    { fcr: false, cost: null, total: 0 },
  ]);
  await pool.query('delete from cx_private.metric_bucket_log');
  const { rows: counts } = await pool.query('select * from cx.recompute_derived(array[$1::uuid])', [
    customerId,
  ]);
  assert.equal(counts, [{ interactions: 2, outcome_buckets: 0 }]);
  // 600 bot seconds at 0.01 a minute; the first contact was followed by a repeat within 7 days
  assert.equal(await state(), [
    { fcr: false, cost: 0.1, total: 2 },
    { fcr: true, cost: 0.1, total: 2 },
  ]);
  const { rows: logged } = await pool.query(
    `select distinct metric_date::text as day from cx_private.metric_bucket_log
      where bucket_kind = 'channel' and bucket_key = $1 order by 1`,
    [chatbot],
  );
  assert.equal(
    logged.map((r) => r.day),
    ['2026-10-05', '2026-10-06'],
  );
});

test.run();
