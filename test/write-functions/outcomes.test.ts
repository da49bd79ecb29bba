import * as assert from 'uvu/assert';
import { withApplicationRole } from '../support/application-role.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.record_outcomes, the write function every writer records business outcomes through (issue
 * 15): a batch in one call, its interactions checked, its buckets logged, all or nothing.
 */
const test = databaseSuite('write functions: outcomes');

const DAY = '2026-11-18';
let chatbotContact: given.InteractionRef;
let voiceContact: given.InteractionRef;

test.before(async ({ pool }) => {
  chatbotContact = await given.interaction(pool, {
    channel: 'chatbot',
    mode: 'live_chat',
    start: `${DAY}T09:00:00Z`,
    end: `${DAY}T09:05:00Z`,
  });
  voiceContact = await given.interaction(pool, {
    channel: 'voice_call',
    mode: 'live_chat',
    start: `${DAY}T10:00:00Z`,
    end: `${DAY}T10:05:00Z`,
  });
  await pool.query('select cx.refresh_metrics()');
});

const RECORD = `select ord, outcome_id from cx.record_outcomes($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::numeric[],
                  p_recorded_ats => $6::timestamptz[])`;

function batch(refs: given.InteractionRef[], types: string[], values: number[], recorded: string[]) {
  return [
    refs.map((r) => r.customerId),
    refs.map((r) => r.interactionId),
    refs.map((r) => r.startTimestamp),
    types,
    values,
    recorded,
  ];
}

test('a batch: each outcome by its position, the buckets of the days recorded logged and refreshed', async ({
  pool,
}) => {
  const { rows } = await pool.query(
    RECORD,
    batch(
      [chatbotContact, voiceContact, chatbotContact],
      ['sale', 'churn', 'upsell'],
      [40, -25, 10],
      // the upsell is recorded the next day
      [`${DAY}T09:10:00Z`, `${DAY}T10:10:00Z`, '2026-11-19T08:00:00Z'],
    ),
  );
  assert.equal(
    rows.map((r) => r.ord),
    [0, 1, 2],
  );
  const stored = await pool.query(
    `select outcome_id, outcome_type from cx.interaction_outcomes where outcome_id = any($1) order by outcome_value`,
    [rows.map((r) => r.outcome_id)],
  );
  assert.equal(
    stored.rows.map((r) => [rows.findIndex((x) => x.outcome_id === r.outcome_id), r.outcome_type]),
    [
      [1, 'churn'],
      [2, 'upsell'],
      [0, 'sale'],
    ],
  );
  const logged = await pool.query(
    `select metric_date::text as day, c.channel_name from cx_private.metric_bucket_log l
       join cx.channels c on c.channel_id = l.bucket_key
      where l.bucket_kind = 'outcome' order by 1, 2`,
  );
  assert.equal(
    logged.rows.map((r) => `${r.day} ${r.channel_name}`),
    [`${DAY} chatbot`, `${DAY} voice_call`, '2026-11-19 chatbot'],
  );
  await pool.query('select cx.refresh_metrics()');
  const { rows: days } = await pool.query(
    `select metric_date::text as day, c.channel_name, sum(outcomes)::int as outcomes, sum(value_sum)::float as value
       from cx.daily_outcome_rollup r join cx.channels c using (channel_id) group by 1, 2 order by 1, 2`,
  );
  assert.equal(days, [
    { day: DAY, channel_name: 'chatbot', outcomes: 1, value: 40 },
    { day: DAY, channel_name: 'voice_call', outcomes: 1, value: -25 },
    { day: '2026-11-19', channel_name: 'chatbot', outcomes: 1, value: 10 },
  ]);
});

test('an outcome of an interaction that does not exist: its row is named and nothing is stored', async ({
  pool,
}) => {
  const before = (await pool.query('select count(*)::int as n from cx.interaction_outcomes')).rows[0].n;
  const missing = { ...voiceContact, interactionId: '01900000-0000-7000-8000-00000000dead' };
  const error = await pool
    .query(
      RECORD,
      batch([chatbotContact, missing], ['sale', 'sale'], [1, 2], [`${DAY}T11:00:00Z`, `${DAY}T11:00:00Z`]),
    )
    .then(
      () => undefined,
      (e) => e,
    );
  assert.equal(
    [error?.code, error?.constraint, error?.detail],
    ['23503', 'interaction_outcomes_interaction_fkey', 'batch row 1'],
  );
  assert.is((await pool.query('select count(*)::int as n from cx.interaction_outcomes')).rows[0].n, before);
});

test('arrays of different lengths are refused', async ({ pool }) => {
  const error = await pool
    .query(RECORD, [
      [chatbotContact.customerId],
      [chatbotContact.interactionId],
      [chatbotContact.startTimestamp],
      ['sale', 'sale'],
      [1],
      [null],
    ])
    .then(
      () => undefined,
      (e) => e,
    );
  assert.equal(
    [error?.code, error?.message],
    ['22023', 'every array of the batch must have one element per outcome (1 customer ids)'],
  );
});

test('an application role without rights on the worker schema records an outcome and requests the refresh', async (context) => {
  // the jobs the tests before requested are failed for good: none is pending
  await context.pool.query(
    `select graphile_worker.permanently_fail_jobs(array(select id from graphile_worker.jobs where task_identifier = 'metrics__refresh'), 'test')`,
  );
  await withApplicationRole(context, async (client, rolePool) => {
    const denied = await rolePool.query('select count(*) from graphile_worker.jobs').then(
      () => 'allowed',
      (e) => e.code,
    );
    assert.is(denied, '42501', 'the role may not read the job queue itself');
    await client.outcomes.record(
      { ...voiceContact, startTimestamp: new Date(voiceContact.startTimestamp) },
      {
        outcomeType: 'retention',
        recordedAt: new Date(`${DAY}T12:00:00Z`),
      },
    );
  });
  const { rows } = await context.pool.query(
    `select count(*)::int as n from graphile_worker.jobs
      where task_identifier = 'metrics__refresh' and attempts < max_attempts`,
  );
  assert.is(rows[0].n, 1);
});

test.run();
