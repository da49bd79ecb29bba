import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/** Bot vs live chat from the steps (DESIGN.md §3): durations per step type and the escalation rule. */
const test = databaseSuite('escalation from steps');

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; constraint: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: { code: string; constraint: string; message: string }) => e,
  );
  assert.ok(error, 'the statement was accepted');
  return error;
}

/** Ends interactions through cx.end_interactions, as every writer ends them; returns how many it ended. */
async function end(
  pool: pg.Pool,
  ref: given.InteractionRef,
  fields: Record<string, unknown>,
): Promise<number> {
  const { rows } = await pool.query('select * from cx.end_interactions($1::jsonb)', [
    JSON.stringify([
      {
        customer_id: ref.customerId,
        interaction_id: ref.interactionId,
        start_timestamp: ref.startTimestamp,
        ...fields,
      },
    ]),
  ]);
  return rows.length;
}

/** Records one interaction, a row keyed by column names, through cx.record_interactions; returns its key. */
async function record(pool: pg.Pool, row: Record<string, unknown>): Promise<given.InteractionRef> {
  const { rows } = await pool.query('select * from cx.record_interactions($1::jsonb)', [
    JSON.stringify([row]),
  ]);
  return {
    customerId: rows[0].customer_id,
    interactionId: rows[0].interaction_id,
    startTimestamp: (rows[0].start_timestamp as Date).toISOString(),
  };
}

function summary(row: Record<string, unknown>) {
  return {
    mode: row.interaction_mode,
    initial: row.initial_mode,
    bot: row.bot_duration_seconds,
    human: row.human_duration_seconds,
    queue: row.queue_time_seconds,
    wrapUp: row.wrap_up_seconds,
    escalated: row.escalated_to_human,
    escalatedAt: (row.escalation_timestamp as Date | null)?.toISOString() ?? null,
  };
}

test('a human step after a bot step makes the whole interaction live chat', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T09:00:00Z' });
  await given.steps(pool, ref, [
    ['bot', '09:00:00', '09:03:00'],
    ['human', '09:04:00', '09:10:00'],
  ]);
  assert.equal(summary(await given.interactionRow(pool, ref)), {
    mode: 'live_chat',
    initial: 'bot',
    bot: 180,
    human: 360,
    queue: 0,
    wrapUp: 0,
    escalated: true,
    escalatedAt: '2026-11-02T09:04:00.000Z',
  });
});

test('bot steps only: stays bot, not escalated', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T09:00:00Z' });
  await given.steps(pool, ref, [
    ['bot', '09:00:00', '09:01:30'],
    ['bot', '09:01:30', '09:02:10'],
  ]);
  assert.equal(summary(await given.interactionRow(pool, ref)), {
    mode: 'bot',
    initial: 'bot',
    bot: 130,
    human: 0,
    queue: 0,
    wrapUp: 0,
    escalated: false,
    escalatedAt: null,
  });
});

test('bot, queue, then abandoned: escalated at the queue, with queue time and no human time', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T10:00:00Z' });
  await given.steps(pool, ref, [
    ['bot', '10:00:00', '10:02:00'],
    ['queue', '10:02:00', '10:07:45'],
  ]);
  assert.is(
    await end(pool, ref, {
      status: 'abandoned',
      resolution_status: 'unresolved',
      end_timestamp: '2026-11-02T10:07:45Z',
    }),
    1,
  );
  const row = await given.interactionRow(pool, ref);
  assert.equal(summary(row), {
    mode: 'live_chat',
    initial: 'bot',
    bot: 120,
    human: 0,
    queue: 345,
    wrapUp: 0,
    escalated: true,
    escalatedAt: '2026-11-02T10:02:00.000Z',
  });
  assert.is(row.duration_seconds, 465);
});

test('an IVR call that reaches a human is escalated but stays ivr', async ({ pool }) => {
  const ref = await given.interaction(pool, {
    start: '2026-11-02T11:00:00Z',
    channel: 'interactive_menu',
    mode: 'ivr',
  });
  await given.steps(pool, ref, [
    ['bot', '11:00:00', '11:01:00'],
    ['queue', '11:01:00', '11:02:00'],
    ['human', '11:02:00', '11:05:00'],
  ]);
  const row = summary(await given.interactionRow(pool, ref));
  assert.equal([row.mode, row.escalated, row.escalatedAt], ['ivr', true, '2026-11-02T11:01:00.000Z']);
});

test('self-service that reaches a human becomes live chat', async ({ pool }) => {
  const ref = await given.interaction(pool, {
    start: '2026-11-02T12:00:00Z',
    channel: 'mobile_app',
    mode: 'self_service',
  });
  await given.steps(pool, ref, [['human', '12:05:00', '12:06:00']]);
  const row = summary(await given.interactionRow(pool, ref));
  assert.equal([row.mode, row.initial, row.escalated, row.human], ['live_chat', 'self_service', true, 60]);
});

test('live chat and video calls with humans are never escalations', async ({ pool }) => {
  for (const [mode, channel] of [
    ['live_chat', 'web_app'],
    ['video_call', 'video_call'],
  ]) {
    const ref = await given.interaction(pool, { start: '2026-11-02T13:00:00Z', channel, mode });
    await given.steps(pool, ref, [
      ['queue', '13:00:00', '13:00:20'],
      ['human', '13:00:20', '13:10:20'],
    ]);
    const row = summary(await given.interactionRow(pool, ref));
    assert.equal(
      [row.mode, row.escalated, row.escalatedAt, row.queue, row.human],
      [mode, false, null, 20, 600],
      mode,
    );
  }
});

test('hold counts as human time, wrap-up is kept apart, open and zero-length steps count zero', async ({
  pool,
}) => {
  const ref = await given.interaction(pool, {
    start: '2026-11-02T14:00:00Z',
    channel: 'web_app',
    mode: 'live_chat',
  });
  await given.steps(pool, ref, [
    ['human', '14:00:00', '14:04:00'],
    ['hold', '14:04:00', '14:05:30'],
    ['human', '14:05:30', '14:05:30'],
    ['wrap_up', '14:06:00', '14:08:00'],
    ['human', '14:09:00', null],
  ]);
  const row = summary(await given.interactionRow(pool, ref));
  assert.equal([row.human, row.wrapUp, row.queue, row.bot], [330, 120, 0, 0]);
});

test('steps arriving out of order, one statement each, give the same result', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T15:00:00Z' });
  await given.steps(pool, ref, [['human', '15:06:00', '15:09:00']]);
  await given.steps(pool, ref, [['queue', '15:04:00', '15:06:00']]);
  await given.steps(pool, ref, [['bot', '15:00:00', '15:04:00']]);
  assert.equal(summary(await given.interactionRow(pool, ref)), {
    mode: 'live_chat',
    initial: 'bot',
    bot: 240,
    human: 180,
    queue: 120,
    wrapUp: 0,
    escalated: true,
    escalatedAt: '2026-11-02T15:04:00.000Z',
  });
});

test('one batch with steps of several interactions computes each', async ({ pool }) => {
  const first = await given.botInteraction(pool, { start: '2026-11-02T16:00:00Z' });
  const second = await given.botInteraction(pool, { start: '2026-11-02T16:30:00Z' });
  await pool.query('select count(*) from cx.record_steps($1::jsonb)', [
    JSON.stringify([
      given.stepRow(first, 'bot', '2026-11-02T16:00:00Z', '2026-11-02T16:00:50Z'),
      given.stepRow(second, 'bot', '2026-11-02T16:30:00Z', '2026-11-02T16:31:00Z'),
      given.stepRow(second, 'queue', '2026-11-02T16:31:00Z', '2026-11-02T16:31:05Z'),
    ]),
  ]);
  const a = summary(await given.interactionRow(pool, first));
  const b = summary(await given.interactionRow(pool, second));
  assert.equal([a.bot, a.escalated, a.mode], [50, false, 'bot']);
  assert.equal([b.bot, b.queue, b.escalated, b.mode], [60, 5, true, 'live_chat']);
});

test('changing a step recomputes; deleting a bot step recomputes', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T17:00:00Z' });
  await given.steps(pool, ref, [
    ['bot', '17:00:00', '17:01:00'],
    ['bot', '17:01:00', '17:02:00'],
  ]);
  await given.endSteps(pool, ref.interactionId, '2026-11-02T17:05:00Z', {
    startedAt: '2026-11-02T17:01:00Z',
  });
  assert.is((await given.interactionRow(pool, ref)).bot_duration_seconds, 300);
  assert.is(await given.deleteSteps(pool, ref.interactionId, { startedAt: '2026-11-02T17:00:00Z' }), 1);
  assert.is((await given.interactionRow(pool, ref)).bot_duration_seconds, 240);
});

test('the queue and human steps of an escalated interaction cannot be deleted', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T18:00:00Z' });
  await given.steps(pool, ref, [
    ['bot', '18:00:00', '18:01:00'],
    ['queue', '18:01:00', '18:02:00'],
    ['human', '18:02:00', '18:04:00'],
  ]);
  for (const stepType of ['human', 'queue']) {
    const error = await failure(given.deleteSteps(pool, ref.interactionId, { stepType }));
    assert.equal([error.code, error.constraint], ['23514', 'interaction_steps_escalation_irreversible']);
  }
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.interaction_steps where interaction_id = $1',
    [ref.interactionId],
  );
  assert.is(rows[0].n, 3);
  assert.equal(summary(await given.interactionRow(pool, ref)).human, 120);
});

test('deleting the interaction or the customer takes the steps along', async ({ pool }) => {
  const steps = async (ref: given.InteractionRef) =>
    (
      await pool.query('select count(*)::int as n from cx.interaction_steps where interaction_id = $1', [
        ref.interactionId,
      ])
    ).rows[0].n;
  const viaInteraction = await given.botInteraction(pool, { start: '2026-11-02T19:00:00Z' });
  await given.steps(pool, viaInteraction, [
    ['bot', '19:00:00', '19:01:00'],
    ['human', '19:01:00', '19:02:00'],
  ]);
  assert.is(await given.deleteInteractions(pool, viaInteraction), 1);
  assert.is(await steps(viaInteraction), 0);

  const viaCustomer = await given.botInteraction(pool, { start: '2026-11-02T19:30:00Z' });
  await given.steps(pool, viaCustomer, [['queue', '19:30:00', '19:31:00']]);
  const { rows } = await pool.query(
    'select customer_id, interactions from cx.delete_customers(array[$1::uuid])',
    [viaCustomer.customerId],
  );
  assert.equal(rows, [{ customer_id: viaCustomer.customerId, interactions: 1 }]);
  assert.is(await steps(viaCustomer), 0);
});

test('a writer may flag an escalation without steps: live chat, stamped at the start', async ({ pool }) => {
  const ref = await given.interaction(pool, { start: '2026-11-03T09:00:00Z', mode: 'bot', escalated: true });
  const row = summary(await given.interactionRow(pool, ref));
  assert.equal([row.mode, row.escalated, row.escalatedAt], ['live_chat', true, '2026-11-03T09:00:00.000Z']);
});

test('flagging by a correction stamps the moment, not before the start; steps later fill the durations', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-03T10:00:00Z' });
  const before = Date.now();
  assert.is(
    await given.correctInteractions(pool, ref, {
      escalated_to_human: true,
      escalation_reason: 'customer_request',
    }),
    1,
  );
  const flagged = await given.interactionRow(pool, ref);
  assert.is(flagged.interaction_mode, 'live_chat');
  const stamped = (flagged.escalation_timestamp as Date).getTime();
  assert.ok(
    stamped >= before - 1000 && stamped <= Date.now() + 1000,
    `stamped ${stamped}, now ${Date.now()}`,
  );

  await given.steps(pool, ref, [
    ['bot', '10:00:00', '10:02:00'],
    ['human', '10:02:00', '10:12:00'],
  ]);
  const row = await given.interactionRow(pool, ref);
  assert.equal(summary(row), {
    mode: 'live_chat',
    initial: 'bot',
    bot: 120,
    human: 600,
    queue: 0,
    wrapUp: 0,
    escalated: true,
    escalatedAt: '2026-11-03T10:02:00.000Z',
  });
  assert.is(row.escalation_reason, 'customer_request');
});

test('an escalation cannot be undone, nor initial_mode changed', async ({ pool }) => {
  const ref = await given.interaction(pool, { start: '2026-11-03T11:00:00Z', escalated: true });
  const undo = await failure(given.correctInteractions(pool, ref, { escalated_to_human: false }));
  assert.equal([undo.code, undo.constraint], ['23514', 'customer_interactions_escalation_irreversible']);
  const remode = await failure(given.correctInteractions(pool, ref, { initial_mode: 'live_chat' }));
  assert.equal([remode.code, remode.constraint], ['23514', 'customer_interactions_initial_mode_fixed']);
  const back = await failure(given.correctInteractions(pool, ref, { interaction_mode: 'bot' }));
  assert.is(back.constraint, 'customer_interactions_interaction_mode_consistent');
  const row = summary(await given.interactionRow(pool, ref));
  assert.equal([row.mode, row.escalated], ['live_chat', true]);
});

test('live chat on a bot interaction needs the escalation; escalation needs an automated start', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const contradiction = await failure(
    record(pool, {
      customer_id: customerId,
      start_timestamp: '2026-11-03T12:00:00Z',
      channel_id: await given.channelId(pool, 'chatbot'),
      initial_mode: 'bot',
      interaction_mode: 'live_chat',
    }),
  );
  assert.is(contradiction.constraint, 'customer_interactions_interaction_mode_consistent');
  const liveChat = await failure(
    given.interaction(pool, {
      customerId,
      start: '2026-11-03T12:00:00Z',
      mode: 'live_chat',
      escalated: true,
    }),
  );
  assert.is(liveChat.constraint, 'customer_interactions_escalation_needs_automated_start');
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.customer_interactions where customer_id = $1',
    [customerId],
  );
  assert.is(rows[0].n, 0);
});

test('interaction_mode given alone sets initial_mode', async ({ pool }: { pool: pg.Pool }) => {
  const customerId = await given.customer(pool);
  const ref = await record(pool, {
    customer_id: customerId,
    start_timestamp: '2026-11-03T13:00:00Z',
    channel_id: await given.channelId(pool, 'email'),
    interaction_mode: 'live_chat',
  });
  const row = await given.interactionRow(pool, ref);
  assert.equal(
    { initial_mode: row.initial_mode, interaction_mode: row.interaction_mode },
    { initial_mode: 'live_chat', interaction_mode: 'live_chat' },
  );
});

test.run();
