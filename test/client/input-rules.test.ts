import * as assert from 'uvu/assert';
import type { IngestInteraction } from '../../src/client/ingest.js';
import type { InteractionRef } from '../../src/client/interactions.js';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * Inputs the database used to accept though they were wrong: an active interaction with an end, a
 * second end that silently replaced the first, bot agents on human steps and human agents on bot
 * steps, times in year 275760, megabyte names. Each is refused with the field and its sentence,
 * through the single-row calls and through bulk ingest alike.
 */
const test = databaseSuite('client: input rules');

const at = (time: string) => new Date(`2026-11-18T${time}Z`);

async function fieldAndMessage(
  promise: Promise<unknown>,
  kind: new (...args: never[]) => Error = ValidationError,
) {
  const error = await rejection(promise);
  assert.instance(error, kind);
  return [(error as ValidationError).field, error.message];
}

async function chat(pool: import('pg').Pool, client: import('../../src/client/connect.js').CarepulseClient) {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'chatbot');
  const ref = await client.interactions.start({
    customerId,
    channelId,
    initialMode: 'bot',
    startTimestamp: at('09:00:00'),
  });
  return { customerId, channelId, ref };
}

test('an interaction cannot end as active, through the client or ingest', async ({ pool, client }) => {
  const { customerId, channelId, ref } = await chat(pool, client);
  assert.equal(
    await fieldAndMessage(
      client.interactions.end(ref, {
        status: 'active' as 'completed',
        resolutionStatus: 'pending',
        endTimestamp: at('09:05:00'),
      }),
    ),
    ['status', 'status must be one of completed, abandoned, failed to end an interaction, got active'],
  );
  const stored = await client.interactions.get(ref);
  assert.equal([stored.status, stored.endTimestamp], ['active', null]);
  assert.equal(
    await fieldAndMessage(
      client.interactions.ingest([
        { customerId, channelId, initialMode: 'bot', startTimestamp: at('09:10:00') },
        {
          customerId,
          channelId,
          initialMode: 'bot',
          startTimestamp: at('09:20:00'),
          endTimestamp: at('09:25:00'),
          status: 'active',
        },
      ]),
    ),
    [
      'interactions[1].status',
      'interactions[1].status must be completed, abandoned or failed when endTimestamp is given, got active',
    ],
  );
});

test('an ended interaction is not ended again, unless as a correction', async ({ pool, client }) => {
  const { ref } = await chat(pool, client);
  await client.interactions.end(ref, {
    status: 'completed',
    resolutionStatus: 'resolved',
    endTimestamp: at('09:05:00'),
  });
  assert.equal(
    await fieldAndMessage(
      client.interactions.end(ref, {
        status: 'abandoned',
        resolutionStatus: 'unresolved',
        endTimestamp: at('09:07:00'),
      }),
      ConflictError,
    ),
    [
      'endTimestamp',
      `interaction ${ref.interactionId} ended already (completed at 2026-11-18T09:05:00.000Z); pass { correction: true } to replace how it ended`,
    ],
  );
  const kept = await client.interactions.get(ref);
  assert.equal([kept.status, kept.endTimestamp?.toISOString()], ['completed', '2026-11-18T09:05:00.000Z']);
  const corrected = await client.interactions.end(
    ref,
    { status: 'abandoned', resolutionStatus: 'unresolved', endTimestamp: at('09:07:00') },
    { correction: true },
  );
  assert.equal(
    [corrected.status, corrected.endTimestamp?.toISOString()],
    ['abandoned', '2026-11-18T09:07:00.000Z'],
  );
  // a correction that gives no end keeps the one it corrects, and the error code goes with failed
  const failed = await client.interactions.end(
    ref,
    { status: 'failed', resolutionStatus: 'unresolved', errorCode: 'E42' },
    { correction: true },
  );
  assert.equal(
    [failed.status, failed.errorCode, failed.endTimestamp?.toISOString()],
    ['failed', 'E42', '2026-11-18T09:07:00.000Z'],
  );
  const completed = await client.interactions.end(
    ref,
    { status: 'completed', resolutionStatus: 'resolved' },
    { correction: true },
  );
  assert.equal(
    [completed.status, completed.errorCode, completed.endTimestamp?.toISOString()],
    ['completed', null, '2026-11-18T09:07:00.000Z'],
  );
});

const KIND =
  'agent_id must name a bot or hybrid agent on a bot step, and a human, supervisor or hybrid agent on a human, hold or wrap-up step';

test('a step names an agent of its kind', async ({ pool, client }) => {
  const { ref } = await chat(pool, client);
  const bot = await given.agent(pool, 'rules-bot', 'bot');
  const human = await given.agent(pool, 'rules-human', 'human');
  const hybrid = await given.agent(pool, 'rules-hybrid', 'hybrid');
  assert.equal(
    await fieldAndMessage(
      client.interactions.addStep(ref, { stepType: 'human', agentId: bot, startedAt: at('09:01:00') }),
    ),
    ['agentId', KIND],
  );
  assert.equal(
    await fieldAndMessage(
      client.interactions.addStep(ref, { stepType: 'bot', agentId: human, startedAt: at('09:01:00') }),
    ),
    ['agentId', KIND],
  );
  assert.equal(
    await fieldAndMessage(
      client.interactions.addStep(ref, { stepType: 'wrap_up', agentId: bot, startedAt: at('09:01:00') }),
    ),
    ['agentId', KIND],
  );
  await client.interactions.addStep(ref, {
    stepType: 'bot',
    agentId: hybrid,
    startedAt: at('09:00:00'),
    endedAt: at('09:01:00'),
  });
  await client.interactions.addStep(ref, {
    stepType: 'human',
    agentId: hybrid,
    startedAt: at('09:01:00'),
    endedAt: at('09:02:00'),
  });
  const stored = await client.interactions.get(ref);
  assert.equal([stored.botDurationSeconds, stored.humanDurationSeconds], [60, 60]);
});

test('times outside the accepted window are refused; the window is a setting', async ({ pool, client }) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'sms');
  const inWindow = (column: string) =>
    `${column} must lie within the accepted times (settings earliest_timestamp and latest_timestamp; by default from 2000-01-01 until 2100-01-01 UTC)`;
  for (const startTimestamp of [
    new Date(8.64e15), // year 275760, JavaScript's last date
    new Date('1999-12-31T23:59:59Z'),
    new Date('2100-01-01T00:00:00Z'),
  ]) {
    assert.equal(
      await fieldAndMessage(
        client.interactions.start({ customerId, channelId, initialMode: 'live_chat', startTimestamp }),
      ),
      ['startTimestamp', inWindow('start_timestamp')],
      startTimestamp.toISOString(),
    );
  }
  const late = await client.interactions.start({
    customerId,
    channelId,
    initialMode: 'live_chat',
    startTimestamp: new Date('2099-12-31T23:00:00Z'),
  });
  const bound = new Date('2100-01-01T00:00:00Z');
  assert.equal(
    await fieldAndMessage(
      client.interactions.end(late, {
        status: 'completed',
        resolutionStatus: 'resolved',
        endTimestamp: bound,
      }),
    ),
    ['endTimestamp', inWindow('end_timestamp')],
  );
  assert.equal(
    await fieldAndMessage(
      client.interactions.addStep(late, {
        stepType: 'queue',
        startedAt: late.startTimestamp,
        endedAt: bound,
      }),
    ),
    ['endedAt', inWindow('ended_at')],
  );
  // within the window, but so long after the start that duration_seconds (an integer) would overflow
  const old = await client.interactions.start({
    customerId,
    channelId,
    initialMode: 'live_chat',
    startTimestamp: new Date('2001-01-01T00:00:00Z'),
  });
  assert.equal(
    await fieldAndMessage(
      client.interactions.end(old, {
        status: 'completed',
        resolutionStatus: 'resolved',
        endTimestamp: new Date('2099-01-01T00:00:00Z'),
      }),
    ),
    ['endTimestamp', 'endTimestamp must be less than 68 years after the start, got 2099-01-01T00:00:00.000Z'],
  );
  const batch: IngestInteraction[] = [
    { customerId, channelId, initialMode: 'live_chat', startTimestamp: at('11:00:00') },
    { customerId, channelId, initialMode: 'live_chat', startTimestamp: new Date('1999-06-01T08:00:00Z') },
  ];
  assert.equal(await fieldAndMessage(client.interactions.ingest(batch)), [
    'interactions[1].startTimestamp',
    `interactions[1]: ${inWindow('start_timestamp')}`,
  ]);
  // a history older than 2000 is a DBA's decision away
  await pool.query(
    `update cx.settings set setting_value = '1990-01-01 00:00:00+00' where setting_name = 'earliest_timestamp'`,
  );
  try {
    const result = await client.interactions.ingest(batch.slice(1));
    assert.equal(
      [result.inserted, result.results[0]?.ref.startTimestamp.toISOString()],
      [1, '1999-06-01T08:00:00.000Z'],
    );
  } finally {
    await pool.query(
      `update cx.settings set setting_value = '2000-01-01 00:00:00+00' where setting_name = 'earliest_timestamp'`,
    );
  }
});

test('a bulk step with an agent of the wrong kind names its row and step', async ({ pool, client }) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'chatbot');
  const bot = await given.agent(pool, 'rules-bulk-bot', 'bot');
  const error = await fieldAndMessage(
    client.interactions.ingest([
      {
        customerId,
        channelId,
        initialMode: 'bot',
        startTimestamp: at('12:00:00'),
        steps: [
          { stepType: 'bot', agentId: bot, startedAt: at('12:00:00'), endedAt: at('12:01:00') },
          { stepType: 'human', agentId: bot, startedAt: at('12:01:00'), endedAt: at('12:05:00') },
        ],
      },
    ]),
  );
  assert.equal(error, ['interactions[0].steps[1].agentId', `interactions[0].steps[1]: ${KIND}`]);
});

test('free text has a maximum length', async ({ pool, client }) => {
  const megabyte = 'x'.repeat(1 << 20);
  assert.equal(
    await fieldAndMessage(
      client.customers.create({
        msisdn: '+4915129990001',
        customerType: 'prepaid',
        region: 'R9',
        firstName: megabyte,
      }),
    ),
    ['firstName', 'first_name must be at most 200 characters'],
  );
  const { customerId, channelId, ref } = await chat(pool, client);
  assert.equal(
    await fieldAndMessage(
      client.feedback.submit({
        customerId,
        interaction: ref as InteractionRef,
        csatScore: 4,
        feedbackText: megabyte,
      }),
    ),
    ['feedbackText', 'feedback_text must be at most 10,000 characters'],
  );
  assert.equal(
    await fieldAndMessage(
      client.interactions.start({
        customerId,
        channelId,
        initialMode: 'bot',
        customerIntent: 'y'.repeat(1001),
      }),
    ),
    ['customerIntent', 'customer_intent must be at most 1,000 characters'],
  );
  assert.equal(
    await fieldAndMessage(
      client.interactions.ingest([
        { customerId, channelId, initialMode: 'bot', startTimestamp: at('13:00:00') },
        {
          customerId,
          channelId,
          initialMode: 'bot',
          startTimestamp: at('13:10:00'),
          customerIntent: 'y'.repeat(1001),
        },
      ]),
    ),
    ['interactions[1].customerIntent', 'interactions[1]: customer_intent must be at most 1,000 characters'],
  );
  // exactly the maximum is fine
  await client.interactions.start({
    customerId,
    channelId,
    initialMode: 'bot',
    customerIntent: 'y'.repeat(1000),
  });
});

test.run();
