import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * Arguments the database would refuse, or would take in a form the types do not allow, fail
 * before the round trip with a ValidationError naming the client's field and what it allows.
 * JavaScript callers and `as` casts get past the types, hence the casts below.
 */
const test = databaseSuite('client: arguments checked before the round trip');

async function failure(call: Promise<unknown>): Promise<[string, string | null, string]> {
  const error = await rejection<Error & { field?: string }>(call);
  return [error.name, error.field ?? null, error.message];
}

const someDay = new Date('2026-11-02T09:00:00Z');
const anyUuid = '01a214ff-4b24-7802-9c4d-3ba4872ad3c1';
const asNumber = (value: unknown) => value as number;

test('a malformed uuid is refused with the field that holds it', async ({ pool, client }) => {
  const channelId = await given.channelId(pool, 'chatbot');
  assert.equal(
    await failure(client.interactions.start({ customerId: 'not-a-uuid', channelId, initialMode: 'bot' })),
    ['ValidationError', 'customerId', 'customerId must be a uuid, got "not-a-uuid"'],
  );
  assert.equal(await failure(client.customers.get('42')), [
    'ValidationError',
    'customerId',
    'customerId must be a uuid, got "42"',
  ]);
  // a channel's name where its id belongs: the commonest slip
  assert.equal(
    await failure(client.metrics.values({ from: '2026-11-01', to: '2026-11-02', channelId: 'chatbot' })),
    ['ValidationError', 'channelId', 'channelId must be a uuid, got "chatbot"'],
  );
  assert.equal(
    await failure(
      client.feedback.submit({
        customerId: anyUuid,
        interaction: { customerId: anyUuid, interactionId: 'x1', startTimestamp: someDay },
        csatScore: 4,
      }),
    ),
    ['ValidationError', 'interaction.interactionId', 'interaction.interactionId must be a uuid, got "x1"'],
  );
  assert.equal(await failure(client.alerts.acknowledge('7', 'ops')), [
    'ValidationError',
    'alertId',
    'alertId must be a uuid, got "7"',
  ]);
});

test('a NUL character in text, a text list or JSON is refused with the field', async ({ pool, client }) => {
  const channelId = await given.channelId(pool, 'chatbot');
  const customerId = await given.customer(pool);
  assert.equal(
    await failure(
      client.interactions.start({
        customerId,
        channelId,
        initialMode: 'bot',
        operatingSystem: 'iOS\u0000 18',
      }),
    ),
    ['ValidationError', 'operatingSystem', 'operatingSystem must be text without NUL characters (U+0000)'],
  );
  const ref = await client.interactions.start({
    customerId,
    channelId,
    initialMode: 'bot',
    startTimestamp: someDay,
  });
  assert.equal(
    await failure(
      client.interactions.addStep(ref, { stepType: 'bot', stepDetails: { intent: 'bill\u0000' } }),
    ),
    ['ValidationError', 'stepDetails', 'stepDetails must be JSON without NUL characters (U+0000)'],
  );
  assert.equal(
    await failure(
      client.customers.create({
        msisdn: '+4915100000001',
        customerType: 'prepaid',
        region: 'R9',
        accessibilityNeeds: ['large_print', 'screen\u0000reader'],
      }),
    ),
    [
      'ValidationError',
      'accessibilityNeeds',
      'accessibilityNeeds must be text without NUL characters (U+0000)',
    ],
  );
});

test('numbers must be numbers at run time: finite, and whole where the column is', async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool);
  const ref = await client.interactions.start({
    customerId,
    channelId: await given.channelId(pool, 'chatbot'),
    initialMode: 'bot',
    startTimestamp: someDay,
  });
  assert.equal(
    await failure(client.feedback.submit({ customerId, csatScore: 4, sentimentScore: asNumber('0.5') })),
    ['ValidationError', 'sentimentScore', 'sentimentScore must be a finite number, got "0.5"'],
  );
  assert.equal(
    await failure(
      client.interactions.end(ref, {
        status: 'completed',
        resolutionStatus: 'resolved',
        sentimentScore: asNumber('0.5'),
      }),
    ),
    ['ValidationError', 'sentimentScore', 'sentimentScore must be a finite number, got "0.5"'],
  );
  assert.equal(
    await failure(
      client.channels.create({
        channelName: 'kiosk',
        displayName: 'Kiosk',
        maxConcurrentUsers: asNumber('5'),
      }),
    ),
    ['ValidationError', 'maxConcurrentUsers', 'maxConcurrentUsers must be a whole number, got "5"'],
  );
  assert.equal(
    await failure(
      client.thresholds.create({
        metricName: 'csat_score',
        warningThreshold: 4,
        criticalThreshold: 3,
        windowDays: 1.5,
      }),
    ),
    ['ValidationError', 'windowDays', 'windowDays must be a whole number, got 1.5'],
  );
  // the interaction was left as it was
  assert.is((await client.interactions.get(ref)).status, 'active');
});

test('limits are whole numbers from 1 to 10,000', async ({ client }) => {
  const period = { customerId: anyUuid, from: new Date('2026-11-01T00:00:00Z'), to: someDay };
  for (const [limit, shown] of [
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [2.5, '2.5'],
    [0, '0'],
    [10_001, '10001'],
  ] as const) {
    assert.equal(await failure(client.interactions.list({ ...period, limit })), [
      'ValidationError',
      'limit',
      `limit must be a whole number from 1 to 10000, got ${shown}`,
    ]);
  }
  assert.equal(await failure(client.agents.list({ limit: 20_000 })), [
    'ValidationError',
    'limit',
    'limit must be a whole number from 1 to 10000, got 20000',
  ]);
  assert.equal(await failure(client.customers.list({ limit: -1 })), [
    'ValidationError',
    'limit',
    'limit must be a whole number from 1 to 10000, got -1',
  ]);
  assert.equal(await failure(client.alerts.list({ limit: asNumber('5') })), [
    'ValidationError',
    'limit',
    'limit must be a whole number from 1 to 10000, got "5"',
  ]);
  assert.equal(await failure(client.knowledgeBase.list({ limit: 0 })), [
    'ValidationError',
    'limit',
    'limit must be a whole number from 1 to 10000, got 0',
  ]);
});

test('a period that ends before it begins is refused, not answered with nothing', async ({ client }) => {
  const from = new Date('2026-11-02T00:00:00Z');
  const to = new Date('2026-11-01T00:00:00Z');
  assert.equal(await failure(client.interactions.list({ customerId: anyUuid, from, to })), [
    'ValidationError',
    'to',
    'to (2026-11-01T00:00:00.000Z) must not be before from (2026-11-02T00:00:00.000Z)',
  ]);
  assert.equal(await failure(client.agents.statusHistory(anyUuid, from, to)), [
    'ValidationError',
    'to',
    'to (2026-11-01T00:00:00.000Z) must not be before from (2026-11-02T00:00:00.000Z)',
  ]);
});

test('an unknown region is refused, not answered with nothing', async ({ client }) => {
  const region = 'XX' as 'R9';
  assert.equal(await failure(client.metrics.values({ from: '2026-11-01', to: '2026-11-02', region })), [
    'ValidationError',
    'region',
    'region must be one of R9, DEUR, got "XX"',
  ]);
  assert.equal(await failure(client.customers.list({ region })), [
    'ValidationError',
    'region',
    'region must be one of R9, DEUR, got "XX"',
  ]);
});

test('a date that is not a valid Date is refused with the field', async ({ client }) => {
  assert.equal(
    await failure(
      client.interactions.get({
        customerId: anyUuid,
        interactionId: anyUuid,
        startTimestamp: new Date('soon'),
      }),
    ),
    ['ValidationError', 'startTimestamp', 'startTimestamp must be a valid date and time, got Invalid Date'],
  );
  assert.equal(await failure(client.agents.statusHistory(anyUuid, new Date('later'), someDay)), [
    'ValidationError',
    'from',
    'from must be a valid date and time, got Invalid Date',
  ]);
});

test.run();
