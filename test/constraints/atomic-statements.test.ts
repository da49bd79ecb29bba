import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * A statement that one row makes fail leaves nothing behind: not the other rows, and not what the
 * triggers derived from them (customer history, step totals, escalation). The statements run on
 * their own, outside any transaction of the test's.
 */
const test = databaseSuite('a refused statement leaves nothing behind');

interface Refused {
  code: string;
  constraint: string;
}

async function refusal(promise: Promise<unknown>): Promise<Refused | undefined> {
  return promise.then(
    () => undefined,
    ({ code, constraint }: Refused) => ({ code, constraint }),
  );
}

async function history(pool: pg.Pool, customerId: string) {
  const { rows } = await pool.query(
    `select (select count(*)::int from cx.customer_interactions i where i.customer_id = c.customer_id) as stored,
            total_interactions, successful_interactions, escalation_count
       from cx.customers c where customer_id = $1`,
    [customerId],
  );
  return rows[0];
}

/** A customer with one completed, resolved interaction that started 2026-11-01T09:00:00Z. */
async function customerWithOneInteraction(pool: pg.Pool): Promise<given.InteractionRef> {
  return given.interaction(pool, {
    start: '2026-11-01T09:00:00Z',
    end: '2026-11-01T09:05:00Z',
    channel: 'web_app',
    mode: 'live_chat',
  });
}

const THREE_INTERACTIONS = `
  insert into cx.customer_interactions
    (customer_id, start_timestamp, end_timestamp, channel_id, initial_mode, status, resolution_status, escalated_to_human, interaction_type_id)
  select $1, s.start_timestamp, s.end_timestamp, (select channel_id from cx.channels where channel_name = 'chatbot'), 'bot',
         s.status, s.resolution_status, s.escalated, s.type_id
    from (values
      ('2026-11-03T09:00:00Z'::timestamptz, '2026-11-03T09:02:00Z'::timestamptz, 'completed', 'resolved', false, null::uuid),
      ('2026-11-04T09:00:00Z', '2026-11-04T09:09:00Z', 'completed', 'resolved', true, null),
      ('2026-11-05T09:00:00Z', null, $2, 'pending', false, $3::uuid)
    ) s(start_timestamp, end_timestamp, status, resolution_status, escalated, type_id)`;

const UNCHANGED = {
  stored: 1,
  total_interactions: 1,
  successful_interactions: 1,
  escalation_count: 0,
};

test('the fixture: one completed, resolved interaction counts once in the history', async ({ pool }) => {
  const ref = await customerWithOneInteraction(pool);
  assert.equal(await history(pool, ref.customerId), UNCHANGED);
});

test('three interactions in one insert, the last with an unknown status: none is recorded', async ({
  pool,
}) => {
  const { customerId } = await customerWithOneInteraction(pool);
  const error = await refusal(pool.query(THREE_INTERACTIONS, [customerId, 'done', null]));
  assert.equal(error, { code: '23514', constraint: 'customer_interactions_status_known' });
  assert.equal(await history(pool, customerId), UNCHANGED);
});

test('three interactions in one insert, the last with a missing interaction type: none is recorded', async ({
  pool,
}) => {
  const { customerId } = await customerWithOneInteraction(pool);
  const error = await refusal(
    pool.query(THREE_INTERACTIONS, [customerId, 'active', '01900000-0000-7000-8000-00000000dead']),
  );
  assert.equal(error, { code: '23503', constraint: 'customer_interactions_interaction_type_id_fkey' });
  assert.equal(await history(pool, customerId), UNCHANGED);
});

test('the same insert without the bad row records all three and counts them', async ({ pool }) => {
  const { customerId } = await customerWithOneInteraction(pool);
  await pool.query(THREE_INTERACTIONS, [customerId, 'active', null]);
  assert.equal(await history(pool, customerId), {
    stored: 4,
    total_interactions: 4,
    successful_interactions: 3,
    escalation_count: 1,
  });
});

test('an update of several interactions that one row refuses changes none of them', async ({ pool }) => {
  const { customerId } = await customerWithOneInteraction(pool);
  const second = await given.interaction(pool, { customerId, start: '2026-11-02T09:00:00Z', mode: 'bot' });
  const error = await refusal(
    pool.query(
      `update cx.customer_interactions
          set end_timestamp = start_timestamp + interval '10 minutes', status = 'completed', resolution_status = 'resolved',
              error_code = case when interaction_id = $2 then 'E42' end
        where customer_id = $1`,
      [customerId, second.interactionId],
    ),
  );
  assert.equal(error, { code: '23514', constraint: 'customer_interactions_error_code_only_when_failed' });
  assert.equal(await history(pool, customerId), {
    ...UNCHANGED,
    stored: 2,
    total_interactions: 2,
  });
  const row = await given.interactionRow(pool, second);
  assert.equal([row.status, row.end_timestamp], ['active', null]);
});

test('steps in one batch, the last a human step without an agent: none is recorded, nothing escalates', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-06T09:00:00Z' });
  const error = await refusal(
    pool.query('select * from cx.record_steps($1::jsonb)', [
      JSON.stringify(
        [
          ['bot', '2026-11-06T09:00:00Z', '2026-11-06T09:03:00Z'],
          ['queue', '2026-11-06T09:03:00Z', '2026-11-06T09:04:00Z'],
          ['human', '2026-11-06T09:04:00Z', '2026-11-06T09:10:00Z'],
        ].map(([type, start, end]) => given.stepRow(ref, type as string, start as string, end as string)),
      ),
    ]),
  );
  assert.equal(error, { code: '23514', constraint: 'interaction_steps_human_has_agent' });
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.interaction_steps where interaction_id = $1',
    [ref.interactionId],
  );
  assert.is(rows[0].n, 0);
  const row = await given.interactionRow(pool, ref);
  assert.equal(
    {
      mode: row.interaction_mode,
      escalated: row.escalated_to_human,
      bot: row.bot_duration_seconds,
      queue: row.queue_time_seconds,
    },
    { mode: 'bot', escalated: false, bot: 0, queue: 0 },
  );
  const customer = await history(pool, ref.customerId);
  assert.is(customer.escalation_count, 0);
});

test.run();
