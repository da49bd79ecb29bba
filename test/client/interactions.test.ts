import * as assert from 'uvu/assert';
import { connect } from '../../src/client/connect.js';
import { ConflictError, ConnectionError, NotFoundError, ValidationError } from '../../src/errors.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

const test = databaseSuite('client: interactions');

test('start records the interaction with the customer region and returns its key', async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool, { region: 'R9' });
  const channelId = await given.channelId(pool, 'chatbot');
  const ref = await client.interactions.start({
    customerId,
    channelId,
    initialMode: 'bot',
    startTimestamp: new Date('2026-11-02T09:00:00Z'),
    deviceType: 'smartphone',
    languageCode: 'de',
  });
  assert.equal(Object.keys(ref).sort(), ['customerId', 'interactionId', 'startTimestamp']);
  assert.is(ref.startTimestamp.toISOString(), '2026-11-02T09:00:00.000Z');
  const row = await client.interactions.get(ref);
  assert.equal(
    [
      row.customerId,
      row.channelId,
      row.initialMode,
      row.interactionMode,
      row.region,
      row.status,
      row.resolutionStatus,
    ],
    [customerId, channelId, 'bot', 'bot', 'R9', 'active', 'pending'],
  );
  assert.equal(
    [row.deviceType, row.languageCode, row.costToServe, row.costToServeSource],
    ['smartphone', 'de', 0, 'derived'],
  );
});

test('a bot conversation that escalates: the database classifies, durations and cost follow', async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool);
  const bot = await given.agent(pool, 'client-bot', 'bot');
  const human = await given.agent(pool, 'client-human');
  const ref = await client.interactions.start({
    customerId,
    channelId: await given.channelId(pool, 'chatbot'),
    initialMode: 'bot',
    startTimestamp: new Date('2026-11-02T09:00:00Z'),
  });
  const at = (time: string) => new Date(`2026-11-02T${time}Z`);
  const botStep = await client.interactions.addStep(ref, {
    stepType: 'bot',
    agentId: bot,
    startedAt: at('09:00:00'),
    endedAt: at('09:02:00'),
    stepDetails: { intent: 'bill_dispute', confidence: 0.41 },
  });
  assert.is(botStep.durationSeconds, 120);
  await client.interactions.addStep(ref, {
    stepType: 'queue',
    startedAt: at('09:02:00'),
    endedAt: at('09:03:30'),
  });
  const talk = await client.interactions.addStep(ref, {
    stepType: 'human',
    agentId: human,
    startedAt: at('09:03:30'),
  });
  assert.is(talk.durationSeconds, null);
  assert.equal(
    await client.interactions.endStep(talk, { endedAt: at('09:09:30'), stepOutcome: 'resolved' }),
    {
      durationSeconds: 360,
    },
  );
  const row = await client.interactions.end(ref, {
    status: 'completed',
    resolutionStatus: 'resolved',
    endTimestamp: at('09:10:00'),
  });
  assert.equal(
    {
      mode: row.interactionMode,
      escalated: row.escalatedToHuman,
      at: row.escalationTimestamp?.toISOString(),
      bot: row.botDurationSeconds,
      human: row.humanDurationSeconds,
      queue: row.queueTimeSeconds,
      duration: row.durationSeconds,
      fcr: row.firstContactResolution,
      // (120 × 0.01 + 360 × 0.85) / 60 = 5.12
      cost: row.costToServe,
    },
    {
      mode: 'live_chat',
      escalated: true,
      at: '2026-11-02T09:02:00.000Z',
      bot: 120,
      human: 360,
      queue: 90,
      duration: 600,
      fcr: true,
      cost: 5.12,
    },
  );
});

test('escalate flags a bot interaction as live chat without steps', async ({ pool, client }) => {
  const ref = await client.interactions.start({
    customerId: await given.customer(pool),
    channelId: await given.channelId(pool, 'web_app'),
    initialMode: 'bot',
    startTimestamp: new Date('2026-11-02T10:00:00Z'),
  });
  await client.interactions.escalate(ref, {
    reason: 'customer_request',
    at: new Date('2026-11-02T10:01:00Z'),
  });
  const row = await client.interactions.get(ref);
  assert.equal(
    [row.interactionMode, row.escalatedToHuman, row.escalationReason, row.escalationTimestamp?.toISOString()],
    ['live_chat', true, 'customer_request', '2026-11-02T10:01:00.000Z'],
  );
});

test("list returns a customer's interactions of a period, oldest first, up to the limit", async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'sms');
  const starts = [
    '2026-11-03T08:00:00Z',
    '2026-11-01T08:00:00Z',
    '2026-11-02T08:00:00Z',
    '2026-11-05T08:00:00Z',
  ];
  for (const start of starts) {
    await client.interactions.start({
      customerId,
      channelId,
      initialMode: 'live_chat',
      startTimestamp: new Date(start),
    });
  }
  const period = { customerId, from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z') };
  const listed = await client.interactions.list(period);
  assert.equal(
    listed.map((i) => i.startTimestamp.toISOString()),
    ['2026-11-01T08:00:00.000Z', '2026-11-02T08:00:00.000Z', '2026-11-03T08:00:00.000Z'],
  );
  assert.is((await client.interactions.list({ ...period, limit: 2 })).length, 2);
});

test('errors: not found, validation with the field and the catalog sentence, before and after the round trip', async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'chatbot');
  const missing = {
    customerId,
    interactionId: '01900000-0000-7000-8000-0000000000aa',
    startTimestamp: new Date('2026-11-02T09:00:00Z'),
  };
  const notFound = await rejection(client.interactions.get(missing));
  assert.instance(notFound, NotFoundError);
  assert.is(notFound.message, 'interaction 01900000-0000-7000-8000-0000000000aa does not exist');
  assert.instance(await rejection(client.interactions.escalate(missing)), NotFoundError);

  const ref = await client.interactions.start({
    customerId,
    channelId,
    initialMode: 'bot',
    startTimestamp: new Date('2026-11-02T09:00:00Z'),
  });
  const noAgent = await rejection(
    client.interactions.addStep(ref, { stepType: 'human', startedAt: new Date('2026-11-02T09:01:00Z') }),
  );
  assert.instance(noAgent, ValidationError);
  assert.equal(
    [(noAgent as ValidationError).field, (noAgent as ValidationError).constraint, noAgent.message],
    [
      'agentId',
      'interaction_steps_human_has_agent',
      'a human step needs the agent who handled it: agent_id is required',
    ],
  );
  assert.ok(
    (noAgent as Error & { cause?: { code?: string } }).cause?.code === '23514',
    'original error attached',
  );

  const badChannel = await rejection(
    client.interactions.start({
      customerId,
      channelId: '01900000-0000-7000-8000-0000000000bb',
      initialMode: 'bot',
    }),
  );
  assert.instance(badChannel, ValidationError);
  assert.equal(
    [(badChannel as ValidationError).field, badChannel.message],
    ['channelId', 'channel_id must name an existing channel'],
  );

  const badStatus = await rejection(
    client.interactions.end(ref, { status: 'finished' as 'completed', resolutionStatus: 'resolved' }),
  );
  assert.equal(
    [(badStatus as ValidationError).field, badStatus.message],
    ['status', 'status must be one of completed, abandoned, failed to end an interaction, got finished'],
  );

  const badDate = await rejection(
    client.interactions.start({
      customerId,
      channelId,
      initialMode: 'bot',
      startTimestamp: new Date('not a date'),
    }),
  );
  assert.equal(
    [badDate.constructor, (badDate as ValidationError).field],
    [ValidationError, 'startTimestamp'],
  );
  const nanCost = await rejection(
    client.interactions.end(ref, {
      status: 'completed',
      resolutionStatus: 'resolved',
      costToServe: Number.NaN,
    }),
  );
  assert.equal(
    [nanCost.constructor, nanCost.message],
    [ValidationError, 'costToServe must be a finite number, got NaN'],
  );
  // nothing was written by the refused calls
  assert.is(
    (await client.interactions.list({ customerId, from: new Date('2026-01-01'), to: new Date('2027-01-01') }))
      .length,
    1,
  );
});

test('withTransaction commits together, rolls back together, and maps errors inside it', async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'email');
  const start = (day: string) =>
    ({
      customerId,
      channelId,
      initialMode: 'live_chat',
      startTimestamp: new Date(`2026-11-${day}T08:00:00Z`),
    }) as const;
  await client.withTransaction(async (tx) => {
    await tx.interactions.start(start('10'));
    await tx.interactions.start(start('11'));
  });
  const failed = await rejection(
    client.withTransaction(async (tx) => {
      const ref = await tx.interactions.start(start('12'));
      await tx.interactions.addStep(ref, { stepType: 'queue', agentId: await given.agent(pool, 'tx-agent') });
    }),
  );
  assert.instance(failed, ValidationError);
  assert.is((failed as ValidationError).constraint, 'interaction_steps_queue_has_no_agent');
  const listed = await client.interactions.list({
    customerId,
    from: new Date('2026-11-01'),
    to: new Date('2026-12-01'),
  });
  assert.equal(
    listed.map((i) => i.startTimestamp.toISOString().slice(0, 10)),
    ['2026-11-10', '2026-11-11'],
  );
});

test('a server that cannot be reached gives a ConnectionError', async () => {
  const unreachable = connect({ connectionString: 'postgres://postgres@127.0.0.1:1/carepulse' });
  try {
    const error = await rejection(
      unreachable.interactions.get({
        customerId: '01a214ff-4b24-7802-9c4d-3ba4872ad3c1',
        interactionId: '01a214ff-4b24-7802-9c4d-3ba4872ad3c2',
        startTimestamp: new Date(),
      }),
    );
    assert.instance(error, ConnectionError);
  } finally {
    await unreachable.close();
  }
});

test('ConflictError is exported for duplicates (covered with customers)', () => {
  assert.is(new ConflictError('x', 'msisdn').field, 'msisdn');
});

test.run();
