import * as assert from 'uvu/assert';
import type { IngestInteraction } from '../../src/client/ingest.js';
import { ValidationError } from '../../src/errors.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * A source that re-sends an interaction (same source reference) is skipped: the first write wins,
 * so replays are safe. A re-send with other content is skipped too, but reported apart, so a
 * source that sends corrected data finds out that it was not applied.
 */
const test = databaseSuite('client: bulk ingest replays');

const at = (time: string) => new Date(`2026-11-14T${time}Z`);

async function contact(pool: import('pg').Pool, reference: string): Promise<IngestInteraction> {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'chatbot');
  return {
    customerId,
    channelId,
    initialMode: 'bot',
    startTimestamp: at('09:00:00'),
    endTimestamp: at('09:05:00'),
    steps: [{ stepType: 'bot', startedAt: at('09:00:00'), endedAt: at('09:05:00') }],
    source: { system: 'chatbot', reference },
  };
}

test("an identical replay is a duplicate with the kept interaction's key", async ({ pool, client }) => {
  const first = await contact(pool, 'same-1');
  const stored = await client.interactions.ingest([first]);
  const kept = stored.results[0]?.ref;
  const replay = await client.interactions.ingest([first]);
  assert.equal(
    { inserted: replay.inserted, duplicates: replay.duplicates, conflicting: replay.conflictingReplays },
    { inserted: 0, duplicates: 1, conflicting: [] },
  );
  assert.equal(replay.results, [{ ref: kept, duplicate: true, conflicting: false }]);
});

test('a replay with other content is skipped and reported as conflicting', async ({ pool, client }) => {
  const first = await contact(pool, 'changed-1');
  const stored = await client.interactions.ingest([first]);
  const kept = stored.results[0]?.ref;
  const changes: Array<[string, Partial<IngestInteraction>]> = [
    ['another end', { endTimestamp: at('09:07:00') }],
    ['another status', { status: 'abandoned', resolutionStatus: 'unresolved' }],
    ['another sentiment', { sentimentScore: 0.25 }],
    ['other steps', { steps: [{ stepType: 'bot', startedAt: at('09:00:00'), endedAt: at('09:04:00') }] }],
    ['no steps', { steps: [] }],
  ];
  for (const [what, change] of changes) {
    const replay = await client.interactions.ingest([{ ...first, ...change }]);
    assert.equal(
      {
        inserted: replay.inserted,
        duplicates: replay.duplicates,
        conflicting: replay.conflictingReplays,
        results: replay.results,
      },
      {
        inserted: 0,
        duplicates: 0,
        conflicting: [{ index: 0, source: { system: 'chatbot', reference: 'changed-1' }, kept }],
        results: [{ ref: kept, duplicate: true, conflicting: true }],
      },
      what,
    );
  }
  const { rows } = await pool.query(
    `select end_timestamp, status, sentiment_score, bot_duration_seconds,
            (select count(*)::int from cx.interaction_steps s where s.customer_id = i.customer_id) as steps
       from cx.customer_interactions i where customer_id = $1`,
    [first.customerId],
  );
  // first write wins: nothing of the replays was applied
  assert.equal(rows, [
    {
      end_timestamp: at('09:05:00'),
      status: 'completed',
      sentiment_score: null,
      bot_duration_seconds: 300,
      steps: 1,
    },
  ]);
});

test('a reference twice in one batch keeps the first; a different second is conflicting', async ({
  pool,
  client,
}) => {
  const first = await contact(pool, 'twice-1');
  const other = await contact(pool, 'twice-2');
  const result = await client.interactions.ingest([
    first,
    { ...first },
    other,
    { ...other, endTimestamp: at('09:06:00') },
  ]);
  const [a, b, c, d] = result.results;
  assert.equal(
    { inserted: result.inserted, duplicates: result.duplicates, conflicting: result.conflictingReplays },
    {
      inserted: 2,
      duplicates: 1,
      conflicting: [{ index: 3, source: { system: 'chatbot', reference: 'twice-2' }, kept: c?.ref }],
    },
  );
  assert.equal(
    [a?.duplicate, b?.duplicate, b?.conflicting, c?.duplicate, d?.duplicate, d?.conflicting],
    [false, true, false, false, true, true],
  );
  assert.equal(b?.ref, a?.ref);
  assert.equal(d?.ref, c?.ref);
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.customer_interactions where customer_id = any($1)',
    [[first.customerId, other.customerId]],
  );
  assert.is(rows[0].n, 2);
});

test('a rule broken by a skipped replay is not blamed on it, but on the new row that breaks it', async ({
  pool,
  client,
}) => {
  const kept = await contact(pool, 'blame-1');
  await client.interactions.ingest([kept]);
  const fresh = await contact(pool, 'blame-2');
  const long = 'y'.repeat(1001);
  const error = await rejection(
    client.interactions.ingest([
      { ...kept, customerIntent: long },
      fresh,
      { ...fresh, customerIntent: long, source: undefined },
    ]),
  );
  assert.instance(error, ValidationError);
  assert.equal(
    [(error as ValidationError).field, error.message],
    ['interactions[2].customerIntent', 'interactions[2]: customer_intent must be at most 1,000 characters'],
  );
});

test.run();
