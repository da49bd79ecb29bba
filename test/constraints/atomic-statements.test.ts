import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * A batch of a write function that one row makes fail leaves nothing behind: not the other rows,
 * and not what was derived from them (customer history, step totals, escalation). The batches run
 * on their own, outside any transaction of the test's.
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

/**
 * Three chatbot interactions of the customer in one batch of cx.record_interactions: two completed
 * and resolved (the second escalated), the third pending with the status and interaction type given.
 */
async function threeInteractions(pool: pg.Pool, customerId: string, status: string, typeId: string | null) {
  const chatbot = await given.channelId(pool, 'chatbot');
  const rows = [
    {
      start_timestamp: '2026-11-03T09:00:00Z',
      end_timestamp: '2026-11-03T09:02:00Z',
      status: 'completed',
      resolution_status: 'resolved',
      escalated_to_human: false,
    },
    {
      start_timestamp: '2026-11-04T09:00:00Z',
      end_timestamp: '2026-11-04T09:09:00Z',
      status: 'completed',
      resolution_status: 'resolved',
      escalated_to_human: true,
    },
    {
      start_timestamp: '2026-11-05T09:00:00Z',
      status,
      resolution_status: 'pending',
      escalated_to_human: false,
      interaction_type_id: typeId,
    },
  ].map((row) => ({ customer_id: customerId, channel_id: chatbot, initial_mode: 'bot', ...row }));
  return pool.query<{ ord: number }>('select ord from cx.record_interactions($1::jsonb) order by ord', [
    JSON.stringify(rows),
  ]);
}

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

test('three interactions in one batch, the last with an unknown status: none is recorded', async ({
  pool,
}) => {
  const { customerId } = await customerWithOneInteraction(pool);
  const error = await refusal(threeInteractions(pool, customerId, 'done', null));
  assert.equal(error, { code: '23514', constraint: 'customer_interactions_status_known' });
  assert.equal(await history(pool, customerId), UNCHANGED);
});

test('three interactions in one batch, the last with a missing interaction type: none is recorded', async ({
  pool,
}) => {
  const { customerId } = await customerWithOneInteraction(pool);
  const { code, constraint, detail } = await rejection<Refused & { detail: string }>(
    threeInteractions(pool, customerId, 'active', '01900000-0000-7000-8000-00000000dead'),
  );
  assert.equal(
    { code, constraint, detail },
    { code: '23503', constraint: 'customer_interactions_interaction_type_id_fkey', detail: 'batch row 2' },
  );
  assert.equal(await history(pool, customerId), UNCHANGED);
});

test('the same batch without the bad row records all three and counts them', async ({ pool }) => {
  const { customerId } = await customerWithOneInteraction(pool);
  const { rows } = await threeInteractions(pool, customerId, 'active', null);
  assert.equal(
    rows.map((r) => r.ord),
    [0, 1, 2],
  );
  assert.equal(await history(pool, customerId), {
    stored: 4,
    total_interactions: 4,
    successful_interactions: 3,
    escalation_count: 1,
  });
});

test('a correction of several interactions that one row refuses changes none of them', async ({ pool }) => {
  const first = await customerWithOneInteraction(pool);
  const { customerId } = first;
  const second = await given.interaction(pool, { customerId, start: '2026-11-02T09:00:00Z', mode: 'bot' });
  // both end ten minutes after their start, completed and resolved; the second with an error code
  const corrections = [first, second].map((ref) => ({
    customer_id: ref.customerId,
    interaction_id: ref.interactionId,
    start_timestamp: ref.startTimestamp,
    set: {
      end_timestamp: new Date(Date.parse(ref.startTimestamp) + 10 * 60_000).toISOString(),
      status: 'completed',
      resolution_status: 'resolved',
      error_code: ref === second ? 'E42' : null,
    },
  }));
  const error = await refusal(
    pool.query('select * from cx.correct_interactions($1::jsonb)', [JSON.stringify(corrections)]),
  );
  assert.equal(error, { code: '23514', constraint: 'customer_interactions_error_code_only_when_failed' });
  assert.equal(await history(pool, customerId), {
    ...UNCHANGED,
    stored: 2,
    total_interactions: 2,
  });
  const firstRow = await given.interactionRow(pool, first);
  assert.equal(
    [firstRow.status, (firstRow.end_timestamp as Date).toISOString()],
    ['completed', '2026-11-01T09:05:00.000Z'],
  );
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
