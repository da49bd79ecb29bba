import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

const failure = (statement: Promise<unknown>) => rejection<{ code: string; constraint: string }>(statement);

/** Durations are end − start in whole seconds; cost_to_serve is derived unless given; region is copied. */
const test = databaseSuite('durations, cost to serve and region');

test('durations are whole seconds on interactions, steps and journey sessions, empty while open', async ({
  pool,
}) => {
  const ref = await given.interaction(pool, {
    start: '2026-11-04T09:00:00Z',
    end: '2026-11-04T09:12:34.900Z',
  });
  assert.is((await given.interactionRow(pool, ref)).duration_seconds, 754);
  const open = await given.interaction(pool, { start: '2026-11-04T09:00:00Z' });
  assert.is((await given.interactionRow(pool, open)).duration_seconds, null);

  await given.steps(pool, ref, [['bot', '09:00:00.250', '09:01:00']]);
  const { rows: steps } = await pool.query(
    'select duration_seconds from cx.interaction_steps where interaction_id = $1',
    [ref.interactionId],
  );
  assert.equal(steps, [{ duration_seconds: 59 }]);

  const { rows: sessions } = await pool.query(
    `insert into cx.customer_journey_sessions (customer_id, start_timestamp, end_timestamp)
     values ($1, '2026-11-04T08:00:00Z', '2026-11-04T10:30:00Z') returning duration_seconds`,
    [ref.customerId],
  );
  assert.equal(sessions, [{ duration_seconds: 9000 }]);
});

test('an end before its start is refused, naming both fields', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const interaction = await failure(
    given.interaction(pool, { customerId, start: '2026-11-04T09:00:00Z', end: '2026-11-04T08:59:59Z' }),
  );
  assert.equal(
    [interaction.code, interaction.constraint],
    ['23514', 'customer_interactions_end_timestamp_not_before_start'],
  );
  const ref = await given.interaction(pool, { customerId, start: '2026-11-04T09:00:00Z' });
  const step = await failure(given.steps(pool, ref, [['bot', '09:05:00', '09:04:00']]));
  assert.is(step.constraint, 'interaction_steps_ended_at_not_before_started_at');
  const session = await failure(
    pool.query(
      `insert into cx.customer_journey_sessions (customer_id, start_timestamp, end_timestamp)
       values ($1, '2026-11-04T08:00:00Z', '2026-11-04T07:00:00Z')`,
      [customerId],
    ),
  );
  assert.is(session.constraint, 'customer_journey_sessions_end_timestamp_not_before_start');
  const { rows } = await pool.query('select cx.constraint_message($1) as m, cx.constraint_message($2) as s', [
    interaction.constraint,
    step.constraint,
  ]);
  assert.is(rows[0].m, 'end_timestamp must not be before start_timestamp');
  assert.is(rows[0].s, 'ended_at must not be before started_at');
});

test('cost_to_serve is derived from the channel costs and durations, and follows them', async ({ pool }) => {
  // chatbot: bot 0.0100 and human 0.8500 per minute
  const ref = await given.botInteraction(pool, { start: '2026-11-04T10:00:00Z' });
  let row = await given.interactionRow(pool, ref);
  assert.equal([row.cost_to_serve, row.cost_to_serve_source], [0, 'derived']);
  await given.steps(pool, ref, [
    ['bot', '10:00:00', '10:03:00'],
    ['queue', '10:03:00', '10:04:00'],
    ['human', '10:04:00', '10:10:00'],
    ['hold', '10:10:00', '10:11:00'],
    ['wrap_up', '10:11:00', '10:12:30'],
  ]);
  row = await given.interactionRow(pool, ref);
  // (180 × 0.01 + (360 + 60 + 90) × 0.85) / 60 = (1.8 + 433.5) / 60 = 7.255
  assert.equal([row.cost_to_serve, row.cost_to_serve_source], [7.255, 'derived']);
});

test('a given cost stays when steps change; clearing it makes it derived again', async ({ pool }) => {
  // web_app: bot 0.0200 and human 0.9000 per minute
  const ref = await given.interaction(pool, {
    start: '2026-11-04T11:00:00Z',
    channel: 'web_app',
    mode: 'live_chat',
    costToServe: 4.5,
  });
  await given.steps(pool, ref, [['human', '11:00:00', '11:10:00']]);
  let row = await given.interactionRow(pool, ref);
  assert.equal([row.cost_to_serve, row.cost_to_serve_source], [4.5, 'given']);
  assert.is(await given.correctInteractions(pool, ref, { cost_to_serve: null }), 1);
  row = await given.interactionRow(pool, ref);
  // 600 × 0.9 / 60 = 9
  assert.equal([row.cost_to_serve, row.cost_to_serve_source], [9, 'derived']);
});

test('a writer cannot choose cost_to_serve_source: refused by name, a missing cost is derived', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const chatbot = await given.channelId(pool, 'chatbot');
  const recorded = await rejection<{ code: string; column: string }>(
    pool.query('select * from cx.record_interactions($1::jsonb)', [
      JSON.stringify([
        {
          customer_id: customerId,
          start_timestamp: '2026-11-04T12:00:00Z',
          channel_id: chatbot,
          initial_mode: 'bot',
          cost_to_serve_source: 'given',
        },
      ]),
    ]),
  );
  assert.equal([recorded.code, recorded.column], ['22023', 'cost_to_serve_source']);
  const ref = await given.interaction(pool, { customerId, start: '2026-11-04T12:00:00Z' });
  const corrected = await rejection<{ code: string; column: string }>(
    given.correctInteractions(pool, ref, { cost_to_serve_source: 'given' }),
  );
  assert.equal([corrected.code, corrected.column], ['22023', 'cost_to_serve_source']);
  const row = await given.interactionRow(pool, ref);
  assert.equal(
    { cost_to_serve_source: row.cost_to_serve_source, cost_to_serve: row.cost_to_serve },
    { cost_to_serve_source: 'derived', cost_to_serve: 0 },
  );
});

test('region is copied from the customer when recorded, and stays when the customer moves', async ({
  pool,
}) => {
  const customerId = await given.customer(pool, { region: 'R9' });
  const ref = await given.interaction(pool, { customerId, start: '2026-11-04T12:00:00Z' });
  await pool.query("update cx.customers set region = 'DEUR' where customer_id = $1", [customerId]);
  assert.is((await given.interactionRow(pool, ref)).region, 'R9');
  const later = await given.interaction(pool, { customerId, start: '2026-11-04T13:00:00Z' });
  assert.is((await given.interactionRow(pool, later)).region, 'DEUR');
});

test('an interaction for a customer that does not exist is refused by name', async ({ pool }) => {
  const error = await failure(
    given.interaction(pool, {
      customerId: '01900000-0000-7000-8000-000000000000',
      start: '2026-11-04T12:00:00Z',
    }),
  );
  assert.equal([error.code, error.constraint], ['23503', 'customer_interactions_customer_missing']);
});

test.run();
