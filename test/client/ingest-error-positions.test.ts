import * as assert from 'uvu/assert';
import type { IngestInteraction } from '../../src/client/ingest.js';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { withApplicationRole } from '../support/application-role.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * An error in a batch of thousands is no use without its row: every refusal names the batch index
 * (and the step) in its field and message, whichever rule refused it and whichever path ran.
 */
const test = databaseSuite('client: bulk ingest errors name their batch row');

const BATCH = 2000;

async function batchOf(pool: import('pg').Pool): Promise<IngestInteraction[]> {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'chatbot');
  return Array.from({ length: BATCH }, (_, i) => {
    const start = new Date(Date.UTC(2026, 10, 12, 8, 0, i));
    return {
      customerId,
      channelId,
      initialMode: 'bot',
      startTimestamp: start,
      endTimestamp: new Date(start.getTime() + 60_000),
      steps: [
        { stepType: 'bot', startedAt: start, endedAt: new Date(start.getTime() + 30_000) },
        {
          stepType: 'bot',
          startedAt: new Date(start.getTime() + 30_000),
          endedAt: new Date(start.getTime() + 60_000),
        },
      ],
    } satisfies IngestInteraction;
  });
}

async function fieldAndMessage(promise: Promise<unknown>): Promise<[string | undefined, string]> {
  const error = await rejection(promise);
  assert.instance(error, ValidationError);
  return [(error as ValidationError).field, error.message];
}

test('a table rule broken by one row of 2,000 names that row, on both paths', async ({
  pool,
  client,
  connectionString,
}) => {
  const batch = await batchOf(pool);
  const bad = batch.map((row, i) => (i === 1234 ? { ...row, status: 'finished' as 'completed' } : row));
  const expected = [
    'interactions[1234].status',
    'interactions[1234]: status must be one of active, completed, abandoned, failed',
  ];
  assert.equal(await fieldAndMessage(client.interactions.ingest(bad)), expected);
  await withApplicationRole({ pool, connectionString }, async (application) => {
    assert.equal(await fieldAndMessage(application.interactions.ingest(bad)), expected);
  });
  const { rows } = await pool.query('select count(*)::int as n from cx.customer_interactions');
  assert.is(rows[0].n, 0);
});

test('a step rule names the row and the step', async ({ pool, client }) => {
  const batch = await batchOf(pool);
  const row = batch[777] as IngestInteraction;
  const early = new Date(row.startTimestamp.getTime() - 1000);
  const bad = batch.map((r, i) =>
    i === 777 ? { ...r, steps: [r.steps?.[0], { ...r.steps?.[1], startedAt: early }] as typeof r.steps } : r,
  );
  assert.equal(await fieldAndMessage(client.interactions.ingest(bad)), [
    'interactions[777].steps[1].startedAt',
    "interactions[777].steps[1]: started_at must not be before the interaction's start_timestamp",
  ]);
});

test('a rule no staged column shows (a key taken) is found by bisecting the batch', async ({
  pool,
  client,
}) => {
  const batch = (await batchOf(pool)).slice(0, 400);
  const taken = '01900000-0000-7000-8000-0000000000aa';
  const row = batch[321] as IngestInteraction;
  await client.interactions.ingest([{ ...row, interactionId: taken, steps: [] }]);
  batch[321] = { ...row, interactionId: taken };
  const error = await rejection(client.interactions.ingest(batch));
  assert.instance(error, ConflictError);
  assert.equal(
    [(error as ConflictError).field, error.message],
    [
      'interactions[321].interactionId',
      'interactions[321]: an interaction with this interaction_id and start_timestamp already exists for the customer',
    ],
  );
  const { rows } = await pool.query('select count(*)::int as n from cx.customer_interactions');
  assert.is(rows[0].n, 1);
});

test('a step that ends before it starts is about its endedAt, not the bot seconds', async ({
  pool,
  client,
}) => {
  const batch = (await batchOf(pool)).slice(0, 3);
  const row = batch[2] as IngestInteraction;
  const step = row.steps?.[1];
  assert.ok(step);
  batch[2] = {
    ...row,
    steps: [row.steps?.[0], { ...step, endedAt: row.startTimestamp }] as typeof row.steps,
  };
  assert.equal(await fieldAndMessage(client.interactions.ingest(batch)), [
    'interactions[2].steps[1].endedAt',
    'interactions[2].steps[1]: ended_at must not be before started_at',
  ]);
});

test('a value its column cannot hold is refused in COPY with its row and field', async ({ pool, client }) => {
  const batch = (await batchOf(pool)).slice(0, 5);
  batch[3] = { ...(batch[3] as IngestInteraction), sentimentScore: 12.5 };
  assert.equal(await fieldAndMessage(client.interactions.ingest(batch)), [
    'interactions[3].sentimentScore',
    'interactions[3]: sentiment_score must be from -1 to 1',
  ]);
});

test('malformed ids, NUL characters and strings for numbers are refused before the round trip', async ({
  pool,
  client,
}) => {
  const batch = (await batchOf(pool)).slice(0, 4);
  const row = batch[2] as IngestInteraction;
  const cases: Array<[IngestInteraction, string, string]> = [
    [
      { ...row, customerId: '42' },
      'interactions[2].customerId',
      'interactions[2].customerId must be a uuid, got "42"',
    ],
    [
      { ...row, customerIntent: 'billing\u0000' },
      'interactions[2].customerIntent',
      'interactions[2].customerIntent must be text without NUL characters (U+0000)',
    ],
    [
      { ...row, sentimentScore: '0.5' as unknown as number },
      'interactions[2].sentimentScore',
      'interactions[2].sentimentScore must be a finite number, got "0.5"',
    ],
    [
      {
        ...row,
        steps: [{ ...(row.steps?.[0] as NonNullable<IngestInteraction['steps']>[number]), agentId: 'bot-1' }],
      },
      'interactions[2].steps[0].agentId',
      'interactions[2].steps[0].agentId must be a uuid, got "bot-1"',
    ],
  ];
  for (const [bad, field, message] of cases) {
    const attempt = batch.map((r, i) => (i === 2 ? bad : r));
    assert.equal(await fieldAndMessage(client.interactions.ingest(attempt)), [field, message]);
  }
});

test('a batch that is not an array of objects is refused with the field', async ({ client }) => {
  const notArray = await rejection(client.interactions.ingest({} as unknown as IngestInteraction[]));
  assert.equal(
    [notArray.constructor, (notArray as ValidationError).field, notArray.message],
    [ValidationError, 'interactions', 'interactions must be an array of interactions'],
  );
  const notObject = await rejection(client.interactions.ingest([null] as unknown as IngestInteraction[]));
  assert.equal(
    [(notObject as ValidationError).field, notObject.message],
    ['interactions[0]', 'interactions[0] must be an interaction object'],
  );
});

test.run();
