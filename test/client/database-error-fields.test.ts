import * as assert from 'uvu/assert';
import { Session } from '../../src/client/session.js';
import { addStep, startInteraction } from '../../src/queries/interactions.queries.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * What only the database can tell (a number too large for its column) or what reaches SQL past
 * the client's checks still comes back as a ValidationError on the client's field: PostgreSQL
 * names the parameter ("portal parameter $3") or the column's precision, and the client knows
 * which of its fields that is.
 */
const test = databaseSuite('client: database errors mapped to the field');

async function failure(call: Promise<unknown>): Promise<[string, string | null, string]> {
  const error = await rejection<Error & { field?: string }>(call);
  return [error.name, error.field ?? null, error.message];
}

test('a number too large for its numeric column names the field and the column limit', async ({
  pool,
  client,
}) => {
  const ref = await client.interactions.start({
    customerId: await given.customer(pool),
    channelId: await given.channelId(pool, 'chatbot'),
    initialMode: 'bot',
    startTimestamp: new Date('2026-11-02T09:00:00Z'),
  });
  // cost_to_serve is numeric(12,4): less than 10^8
  assert.equal(
    await failure(
      client.interactions.end(ref, { status: 'completed', resolutionStatus: 'resolved', costToServe: 1e9 }),
    ),
    [
      'ValidationError',
      'costToServe',
      'costToServe is out of range: a field with precision 12, scale 4 must round to an absolute value less than 10^8, got 1000000000',
    ],
  );
});

test('a whole number beyond its integer column names the field and the range', async ({ client }) => {
  assert.equal(
    await failure(
      client.channels.create({ channelName: 'kiosk', displayName: 'Kiosk', maxConcurrentUsers: 3e9 }),
    ),
    [
      'ValidationError',
      'maxConcurrentUsers',
      'maxConcurrentUsers must be a whole number from -2147483648 to 2147483647, got 3000000000',
    ],
  );
  // max_concurrent_chats is a smallint
  assert.equal(
    await failure(
      client.agents.create({
        agentCode: 'wide',
        agentName: 'Wide',
        agentType: 'human',
        maxConcurrentChats: 40_000,
      }),
    ),
    [
      'ValidationError',
      'maxConcurrentChats',
      'maxConcurrentChats must be a whole number from -32768 to 32767, got 40000',
    ],
  );
});

test('NUL characters and malformed uuids that reach SQL another way name the parameter', async ({ pool }) => {
  // a Session runs pgtyped queries as every client module does, without the modules' checks
  const session = new Session(pool, pool, '');
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'chatbot');
  const start = {
    customerId,
    channelId,
    initialMode: 'bot',
    startTimestamp: new Date('2026-11-02T09:00:00Z'),
  };
  assert.equal(await failure(session.run(startInteraction, { ...start, browser: 'Fire\u0000fox' })), [
    'ValidationError',
    'browser',
    'browser must be text without NUL characters (U+0000)',
  ]);
  assert.equal(await failure(session.run(startInteraction, { ...start, primaryAgentId: 'agent-7' })), [
    'ValidationError',
    'primaryAgentId',
    'primaryAgentId must be a uuid, got "agent-7"',
  ]);
  const [ref] = await session.run(startInteraction, start);
  assert.ok(ref);
  assert.equal(
    await failure(
      session.run(addStep, { ...ref, stepType: 'bot', stepDetails: '{"intent": "bill\\u0000"}' }),
    ),
    ['ValidationError', 'stepDetails', 'stepDetails must be JSON without NUL characters (U+0000)'],
  );
});

test.run();
