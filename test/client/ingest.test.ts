import * as assert from 'uvu/assert';
import type { IngestInteraction } from '../../src/client/ingest.js';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { withApplicationRole } from '../support/application-role.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

const test = databaseSuite('client: bulk ingest');

const at = (time: string) => new Date(`2026-11-09T${time}Z`);

test('a batch lands with its steps classified, durations, FCR and customer history computed', async ({
  pool,
  client,
}) => {
  const alice = await given.customer(pool);
  const bob = await given.customer(pool);
  const chatbot = await given.channelId(pool, 'chatbot');
  const human = await given.agent(pool, 'ingest-human');
  const batch: IngestInteraction[] = [
    {
      customerId: alice,
      channelId: chatbot,
      initialMode: 'bot',
      startTimestamp: at('09:00:00'),
      endTimestamp: at('09:04:00'),
      customerIntent: 'tab\there, line\nbreak and \\ backslash',
      steps: [{ stepType: 'bot', startedAt: at('09:00:00'), endedAt: at('09:04:00') }],
      source: { system: 'chatbot', reference: 'conv-1' },
    },
    {
      customerId: alice,
      channelId: chatbot,
      initialMode: 'bot',
      startTimestamp: at('10:00:00'),
      endTimestamp: at('10:20:00'),
      steps: [
        { stepType: 'bot', startedAt: at('10:00:00'), endedAt: at('10:03:00') },
        { stepType: 'queue', startedAt: at('10:03:00'), endedAt: at('10:05:00') },
        { stepType: 'human', agentId: human, startedAt: at('10:05:00'), endedAt: at('10:15:00') },
        { stepType: 'wrap_up', agentId: human, startedAt: at('10:15:00'), endedAt: at('10:20:00') },
      ],
      source: { system: 'chatbot', reference: 'conv-2' },
    },
    {
      customerId: bob,
      channelId: chatbot,
      initialMode: 'bot',
      startTimestamp: at('11:00:00'),
      escalatedToHuman: true,
      escalationReason: 'customer_request',
      source: { system: 'chatbot', reference: 'conv-3' },
    },
  ];
  const result = await client.interactions.ingest(batch);
  assert.equal([result.inserted, result.duplicates], [3, 0]);
  const [first, second, third] = result.results.map((r) => r.ref);
  assert.ok(first && second && third);
  const a = await client.interactions.get(first);
  assert.equal(
    [a.interactionMode, a.botDurationSeconds, a.firstContactResolution, a.customerIntent],
    ['bot', 240, false, 'tab\there, line\nbreak and \\ backslash'],
  );
  const b = await client.interactions.get(second);
  assert.equal(
    {
      mode: b.interactionMode,
      bot: b.botDurationSeconds,
      queue: b.queueTimeSeconds,
      human: b.humanDurationSeconds,
      wrapUp: b.wrapUpSeconds,
      escalatedAt: b.escalationTimestamp?.toISOString(),
      fcr: b.firstContactResolution,
      // (180 × 0.01 + (600 + 300) × 0.85) / 60 = 12.78
      cost: b.costToServe,
    },
    {
      mode: 'live_chat',
      bot: 180,
      queue: 120,
      human: 600,
      wrapUp: 300,
      escalatedAt: '2026-11-09T10:03:00.000Z',
      fcr: true,
      cost: 12.78,
    },
  );
  const c = await client.interactions.get(third);
  assert.equal(
    [
      c.interactionMode,
      c.escalatedToHuman,
      c.escalationReason,
      c.status,
      c.escalationTimestamp?.toISOString(),
    ],
    ['live_chat', true, 'customer_request', 'active', '2026-11-09T11:00:00.000Z'],
  );
  const history = await pool.query(
    'select customer_id, total_interactions, successful_interactions, escalation_count from cx.customers where customer_id = any($1) order by customer_id',
    [[alice, bob]],
  );
  assert.equal(
    history.rows.map((r) => [
      r.customer_id,
      r.total_interactions,
      r.successful_interactions,
      r.escalation_count,
    ]),
    [
      [alice, 2, 2, 1],
      [bob, 1, 0, 1],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
  );

  const replay = await client.interactions.ingest(batch);
  assert.equal([replay.inserted, replay.duplicates], [0, 3]);
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.customer_interactions where customer_id = any($1)',
    [[alice, bob]],
  );
  assert.is(rows[0].n, 3);
});

test('a batch is atomic: one bad row and nothing lands', async ({ pool, client }) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'sms');
  const good = { customerId, channelId, initialMode: 'live_chat', startTimestamp: at('12:00:00') } as const;
  const error = await rejection(
    client.interactions.ingest([
      good,
      { ...good, startTimestamp: at('13:00:00'), status: 'finished' as 'completed' },
    ]),
  );
  assert.instance(error, ValidationError);
  assert.equal(
    [(error as ValidationError).field, error.message],
    ['interactions[1].status', 'interactions[1]: status must be one of active, completed, abandoned, failed'],
  );
  const { rows } = await pool.query(
    'select count(*)::int as n, (select total_interactions from cx.customers where customer_id = $1) as total from cx.customer_interactions where customer_id = $1',
    [customerId],
  );
  assert.equal(rows[0], { n: 0, total: 0 });
});

/**
 * The references of a batch are checked for the whole batch, on both paths: as a superuser (row
 * triggers off) and as an ordinary application role (through the triggers), where a row naming no
 * customer used to vanish while ingest reported it stored.
 */
test('a reference that names no row is refused on every path with its batch row, and nothing lands', async ({
  pool,
  client,
  connectionString,
}) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'chatbot');
  const nothing = '01900000-0000-7000-8000-00000000dead';
  const good: IngestInteraction = {
    customerId,
    channelId,
    initialMode: 'bot',
    startTimestamp: at('16:00:00'),
  };
  const bot = { stepType: 'bot', startedAt: at('16:30:00'), endedAt: at('16:31:00') } as const;
  const bucketsLogged = async () =>
    (await pool.query('select count(*)::int as n from cx_private.metric_bucket_log')).rows[0].n;
  const bucketsBefore = await bucketsLogged();
  const cases: Array<[Partial<IngestInteraction>, string, string]> = [
    [{ customerId: nothing }, 'interactions[1].customerId', 'customer_id must name an existing customer'],
    // with steps the customer is still what is wrong, not the steps' interaction
    [
      { customerId: nothing, steps: [bot] },
      'interactions[1].customerId',
      'customer_id must name an existing customer',
    ],
    [{ channelId: nothing }, 'interactions[1].channelId', 'channel_id must name an existing channel'],
    [
      { interactionTypeId: nothing },
      'interactions[1].interactionTypeId',
      'interaction_type_id must name an existing interaction type',
    ],
    [
      { primaryAgentId: nothing },
      'interactions[1].primaryAgentId',
      'primary_agent_id must name an existing agent',
    ],
    [
      { steps: [bot, { ...bot, agentId: nothing }] },
      'interactions[1].steps[1].agentId',
      'agent_id must name an existing agent',
    ],
    [
      { steps: [{ ...bot, kbArticleId: nothing }] },
      'interactions[1].steps[0].kbArticleId',
      'kb_article_id must name an existing knowledge-base article',
    ],
    [
      { sessionId: nothing },
      'interactions[1].sessionId',
      'session_id must name an existing journey session of the same customer',
    ],
  ];
  await withApplicationRole({ pool, connectionString }, async (application) => {
    for (const [path, writer] of [
      ['superuser', client],
      ['application role', application],
    ] as const) {
      for (const [change, field, sentence] of cases) {
        const error = await rejection(
          writer.interactions.ingest([
            good,
            { ...good, startTimestamp: at('16:30:00'), ...change },
            { ...good, startTimestamp: at('17:00:00') },
          ]),
        );
        assert.instance(error, ValidationError, `${path}: ${field}`);
        const position = field.replace(/\.[a-zA-Z]+$/, '');
        assert.equal(
          [(error as ValidationError).field, error.message],
          [field, `${position}: ${sentence}`],
          `${path}: ${field}`,
        );
      }
    }
  });
  const { rows } = await pool.query(
    `select (select count(*)::int from cx.customer_interactions where customer_id = $1) as interactions,
            (select total_interactions from cx.customers where customer_id = $1) as total`,
    [customerId],
  );
  assert.equal(rows[0], { interactions: 0, total: 0 });
  assert.is(await bucketsLogged(), bucketsBefore);
});

test('arguments SQL would refuse fail before the round trip, with the path of the field', async ({
  pool,
  client,
}) => {
  const empty = await rejection(client.interactions.ingest([]));
  assert.equal([empty.constructor, (empty as ValidationError).field], [ValidationError, 'interactions']);
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'sms');
  const bad = await rejection(
    client.interactions.ingest([
      { customerId, channelId, initialMode: 'bot', startTimestamp: at('08:00:00') },
      { customerId, channelId, initialMode: 'bot', startTimestamp: at('08:00:00'), costToServe: Number.NaN },
    ]),
  );
  assert.equal(
    [(bad as ValidationError).field, bad.message],
    ['interactions[1].costToServe', 'interactions[1].costToServe must be a finite number, got NaN'],
  );
});

test('a batch in months without partitions creates them', async ({ pool, client }) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'email');
  await client.interactions.ingest([
    { customerId, channelId, initialMode: 'live_chat', startTimestamp: new Date('2033-03-15T08:00:00Z') },
    { customerId, channelId, initialMode: 'live_chat', startTimestamp: new Date('2033-05-02T08:00:00Z') },
  ]);
  const { rows } = await pool.query(
    `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'cx.customer_interactions'::regclass and c.relname like '%y2033%' order by 1`,
  );
  assert.equal(
    rows.map((r) => r.relname),
    ['customer_interactions_y2033m03', 'customer_interactions_y2033m04', 'customer_interactions_y2033m05'],
  );
});

test('the same interaction twice is a conflict on its key, whatever partition it lands in', async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'sms');
  for (const startTimestamp of [at('15:00:00'), new Date('2099-01-10T10:00:00Z')]) {
    const twice: IngestInteraction = {
      customerId,
      channelId,
      initialMode: 'live_chat',
      interactionId:
        startTimestamp.getFullYear() === 2099
          ? '01900000-0000-7000-8000-0000000000c2'
          : '01900000-0000-7000-8000-0000000000c1',
      startTimestamp,
    };
    await client.interactions.ingest([twice]);
    const error = await rejection(client.interactions.ingest([twice]));
    assert.instance(error, ConflictError);
    assert.equal(
      [(error as ConflictError).constraint, (error as ConflictError).field, error.message],
      [
        'customer_interactions_pkey',
        'interactions[0].interactionId',
        'interactions[0]: an interaction with this interaction_id and start_timestamp already exists for the customer',
      ],
    );
  }
});

test('inside withTransaction a failure afterwards takes the batch back', async ({ pool, client }) => {
  const customerId = await given.customer(pool);
  const channelId = await given.channelId(pool, 'email');
  await rejection(
    client.withTransaction(async (tx) => {
      await tx.interactions.ingest([
        { customerId, channelId, initialMode: 'live_chat', startTimestamp: at('14:00:00') },
      ]);
      throw new Error('changed my mind');
    }),
  );
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.customer_interactions where customer_id = $1',
    [customerId],
  );
  assert.is(rows[0].n, 0);
});

test.run();
