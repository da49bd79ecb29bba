import type pg from 'pg';
import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * A step belongs to an existing interaction, and follows it when it is deleted, truncated or its
 * key changes: cx.record_steps checks the interaction (migration 000042; a statement trigger since
 * migration 000008 before), and the interactions' cascade moves their steps, with a foreign key's
 * guarantees, under concurrent writers too.
 */
const test = databaseSuite('steps belong to an existing interaction');

/** An interaction id no row has. */
const MISSING = '01900000-0000-7000-8000-00000000dead';

interface PgError {
  code: string;
  constraint?: string;
  column?: string;
  message: string;
}

async function failure(promise: Promise<unknown>): Promise<PgError> {
  return rejection<PgError>(promise);
}

function refused(error: PgError) {
  return { code: error.code, constraint: error.constraint, column: error.column, message: error.message };
}

/** How many steps each interaction has, by interaction_start_timestamp, in the partition they are in. */
async function stepsOf(db: pg.Pool | pg.PoolClient, interactionId: string) {
  const { rows } = await db.query(
    `select s.customer_id, s.interaction_start_timestamp, c.relname as partition, count(*)::int as steps
       from cx.interaction_steps s join pg_class c on c.oid = s.tableoid
      where s.interaction_id = $1
      group by 1, 2, 3 order by 2`,
    [interactionId],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    start: (r.interaction_start_timestamp as Date).toISOString(),
    partition: r.partition,
    steps: r.steps,
  }));
}

async function stepCount(db: pg.Pool | pg.PoolClient, interactionId: string): Promise<number> {
  const { rows } = await db.query(
    'select count(*)::int as n from cx.interaction_steps where interaction_id = $1',
    [interactionId],
  );
  return rows[0].n;
}

/**
 * Corrects interactions named by their full key in one cx.correct_interactions batch (given's
 * helper names them by interaction_id, which interactions sharing one would not tell apart).
 */
async function correct(
  db: pg.Pool | pg.PoolClient,
  corrections: Array<[ref: given.InteractionRef, set: Record<string, unknown>]>,
): Promise<number> {
  const { rows } = await db.query('select * from cx.correct_interactions($1::jsonb)', [
    JSON.stringify(
      corrections.map(([ref, set]) => ({
        customer_id: ref.customerId,
        interaction_id: ref.interactionId,
        start_timestamp: ref.startTimestamp,
        set,
      })),
    ),
  ]);
  return rows.length;
}

function totals(row: Record<string, unknown>) {
  return {
    start: (row.start_timestamp as Date).toISOString(),
    mode: row.interaction_mode,
    bot: row.bot_duration_seconds,
    human: row.human_duration_seconds,
    queue: row.queue_time_seconds,
    escalatedAt: (row.escalation_timestamp as Date | null)?.toISOString() ?? null,
  };
}

/**
 * Resolves when `pid` waits for a lock another session holds; returns the sessions it waits for.
 * Ask for the pids before the race: a connection answers nothing while its statement waits. The
 * races below add open steps: an open step leaves the interaction's totals as they are, so its row
 * is not rewritten, and only the parent check's FOR KEY SHARE lock makes the two sides wait.
 */
async function blockedBy(pool: pg.Pool, pid: number): Promise<number[]> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { rows } = await pool.query('select pg_blocking_pids($1) as blockers', [pid]);
    if (rows[0].blockers.length > 0) return rows[0].blockers;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`session ${pid} never waited for a lock`);
}

async function backendPid(client: pg.PoolClient): Promise<number> {
  return (await client.query('select pg_backend_pid() as pid')).rows[0].pid;
}

/**
 * A connection of its own for one side of a race; a failed test ends its waits (lock_timeout)
 * instead of hanging. Close it with `done`: it leaves the pool, with whatever it still waits for.
 */
async function session(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  await client.query("set lock_timeout = '20s'");
  return client;
}

async function done(...clients: pg.PoolClient[]): Promise<void> {
  for (const client of clients) {
    await client.query('rollback').catch(() => {});
    client.release(true);
  }
}

test('a step for a missing interaction is refused by name, as a foreign-key error naming the interaction', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const error = await failure(
    given.steps(pool, { customerId, interactionId: MISSING, startTimestamp: '2026-11-02T09:00:00.000Z' }, [
      ['bot', '09:00:00', '09:01:00'],
    ]),
  );
  assert.equal(refused(error), {
    code: '23503',
    constraint: 'interaction_steps_interaction_missing',
    column: 'interaction_id',
    message: `interaction ${MISSING} (customer ${customerId}, started 2026-11-02 09:00:00+00) does not exist`,
  });
});

test('an existing interaction id with another start or another customer is missing too', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T09:00:00Z' });
  const otherCustomer = await given.customer(pool);
  const wrongStart = await failure(
    given.steps(pool, { ...ref, startTimestamp: '2026-11-02T09:00:01.000Z' }, [
      ['bot', '09:00:01', '09:01:00'],
    ]),
  );
  const wrongCustomer = await failure(
    given.steps(pool, { ...ref, customerId: otherCustomer }, [['bot', '09:00:00', '09:01:00']]),
  );
  assert.equal(
    [wrongStart.constraint, wrongCustomer.constraint],
    ['interaction_steps_interaction_missing', 'interaction_steps_interaction_missing'],
  );
  assert.is(await stepCount(pool, ref.interactionId), 0);
});

test('one orphan in a batch of steps refuses the batch by its row: nothing is written, totals unchanged', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T10:00:00Z' });
  const step = (interactionId: string, startedAt: string, endedAt: string) =>
    given.stepRow({ ...ref, interactionId }, 'bot', startedAt, endedAt);
  const error = await rejection<PgError & { detail?: string }>(
    pool.query('select * from cx.record_steps($1::jsonb)', [
      JSON.stringify([
        step(ref.interactionId, '2026-11-02T10:00:00Z', '2026-11-02T10:02:00Z'),
        step(ref.interactionId, '2026-11-02T10:02:00Z', '2026-11-02T10:03:00Z'),
        step(MISSING, '2026-11-02T10:00:00Z', '2026-11-02T10:01:00Z'),
      ]),
    ]),
  );
  assert.equal(
    { ...refused(error), detail: error.detail },
    {
      code: '23503',
      constraint: 'interaction_steps_interaction_missing',
      column: 'interaction_id',
      message: `interaction ${MISSING} (customer ${ref.customerId}, started 2026-11-02 10:00:00+00) does not exist`,
      detail: 'batch row 2',
    },
  );
  assert.is(await stepCount(pool, ref.interactionId), 0);
  assert.equal(totals(await given.interactionRow(pool, ref)), {
    start: '2026-11-02T10:00:00.000Z',
    mode: 'bot',
    bot: 0,
    human: 0,
    queue: 0,
    escalatedAt: null,
  });
});

test('ending a step recomputes its interaction; a step that is not there is left out of the answer', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T11:00:00Z' });
  await given.steps(pool, ref, [['bot', '11:00:00', null]]);
  assert.is(await given.endSteps(pool, ref.interactionId, '2026-11-02T11:03:00Z'), 1);
  assert.is((await given.interactionRow(pool, ref)).bot_duration_seconds, 180);
  const { rows } = await pool.query('select * from cx.end_steps($1::jsonb)', [
    JSON.stringify([
      { customer_id: ref.customerId, step_id: MISSING, interaction_start_timestamp: ref.startTimestamp },
    ]),
  ]);
  assert.equal(rows, []);
});

test('a step the owner wrote straight into the table is counted once cx.recompute_derived repairs', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T12:00:00Z' });
  await pool.query(
    `insert into cx.interaction_steps (customer_id, interaction_id, interaction_start_timestamp, step_type, started_at, ended_at)
     values ($1, $2, $3, 'bot', '2026-11-02T12:00:00Z', '2026-11-02T12:02:00Z'),
            ($1, $2, $3, 'queue', '2026-11-02T12:02:00Z', '2026-11-02T12:02:30Z')`,
    [ref.customerId, ref.interactionId, ref.startTimestamp],
  );
  // the table has no rule beyond its own row: the totals wait for the repair
  assert.is((await given.interactionRow(pool, ref)).bot_duration_seconds, 0);
  await pool.query('select * from cx.recompute_derived(array[$1::uuid])', [ref.customerId]);
  assert.equal(totals(await given.interactionRow(pool, ref)), {
    start: '2026-11-02T12:00:00.000Z',
    mode: 'live_chat',
    bot: 120,
    human: 0,
    queue: 30,
    escalatedAt: '2026-11-02T12:02:00.000Z',
  });
});

test('the typed client reports a step for a missing interaction as a validation error of interactionId', async ({
  pool,
  client,
}) => {
  const customerId = await given.customer(pool);
  const error = await rejection(
    client.interactions.addStep(
      { customerId, interactionId: MISSING, startTimestamp: new Date('2026-11-02T09:00:00Z') },
      { stepType: 'bot', startedAt: new Date('2026-11-02T09:00:00Z') },
    ),
  );
  assert.instance(error, ValidationError);
  assert.equal(
    [(error as ValidationError).field, (error as ValidationError).constraint, error.message],
    [
      'interactionId',
      'interaction_steps_interaction_missing',
      "the step's customer_id, interaction_id and interaction_start_timestamp must name an existing interaction",
    ],
  );
});

test('deleting interactions deletes their steps, in one batch, and leaves the others', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const first = await given.botInteraction(pool, { customerId, start: '2026-11-02T12:00:00Z' });
  const second = await given.botInteraction(pool, { customerId, start: '2026-11-02T13:00:00Z' });
  const kept = await given.botInteraction(pool, { customerId, start: '2026-11-02T14:00:00Z' });
  await given.steps(pool, first, [
    ['bot', '12:00:00', '12:01:00'],
    ['queue', '12:01:00', '12:02:00'],
    ['human', '12:02:00', '12:05:00'],
  ]);
  await given.steps(pool, second, [['bot', '13:00:00', '13:01:00']]);
  await given.steps(pool, kept, [
    ['bot', '14:00:00', '14:01:00'],
    ['bot', '14:01:00', '14:02:00'],
  ]);

  // one of them: the other two keep their steps
  assert.is(await given.deleteInteractions(pool, second), 1);
  assert.equal(
    [
      await stepCount(pool, first.interactionId),
      await stepCount(pool, second.interactionId),
      await stepCount(pool, kept.interactionId),
    ],
    [3, 0, 2],
  );

  // an escalated one, with the one left of the batch's others: its queue and human steps go too
  const { rows: deleted } = await pool.query(
    'select * from cx.delete_interactions($1::uuid[], $2::uuid[], $3::timestamptz[])',
    [
      [first.customerId, second.customerId],
      [first.interactionId, second.interactionId],
      [first.startTimestamp, second.startTimestamp],
    ],
  );
  assert.equal(deleted, [{ ord: 0, interaction_id: first.interactionId }]);
  assert.equal(
    [await stepCount(pool, first.interactionId), await stepCount(pool, kept.interactionId)],
    [0, 2],
  );
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.interaction_steps where customer_id = $1',
    [customerId],
  );
  assert.is(rows[0].n, 2);
});

test('a new start within the month moves the steps; durations and escalation stay right', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T15:00:00Z' });
  await given.steps(pool, ref, [
    ['bot', '15:00:00', '15:02:00'],
    ['queue', '15:02:00', '15:03:00'],
    ['human', '15:03:00', '15:08:00'],
  ]);
  assert.is(await given.correctInteractions(pool, ref, { start_timestamp: '2026-11-02T14:59:00Z' }), 1);
  const moved = { ...ref, startTimestamp: '2026-11-02T14:59:00.000Z' };
  assert.equal(
    (await stepsOf(pool, ref.interactionId)).map(({ start, steps }) => ({ start, steps })),
    [{ start: '2026-11-02T14:59:00.000Z', steps: 3 }],
  );
  assert.equal(totals(await given.interactionRow(pool, moved)), {
    start: '2026-11-02T14:59:00.000Z',
    mode: 'live_chat',
    bot: 120,
    human: 300,
    queue: 60,
    escalatedAt: '2026-11-02T15:02:00.000Z',
  });

  // a step added afterwards names the new key; the old one is gone
  await given.steps(pool, moved, [['wrap_up', '15:08:00', '15:09:00']]);
  const oldKey = await failure(given.steps(pool, ref, [['wrap_up', '15:09:00', '15:10:00']]));
  assert.is(oldKey.constraint, 'interaction_steps_interaction_missing');
  assert.is(await stepCount(pool, ref.interactionId), 4);
});

test('a new start in another month moves the steps to that month, totals and customer history unchanged', async ({
  pool,
}) => {
  await pool.query("select cx.create_monthly_partitions('2030-03-01', 2)");
  const ref = await given.botInteraction(pool, {
    start: '2030-03-31T23:50:00Z',
    end: '2030-04-01T00:30:00Z',
  });
  await given.steps(pool, ref, [
    ['bot', '2030-04-01T00:00:00Z', '2030-04-01T00:10:00Z'],
    ['human', '2030-04-01T00:10:00Z', '2030-04-01T00:30:00Z'],
  ]);
  const history = async () =>
    (
      await pool.query(
        'select total_interactions, successful_interactions, escalation_count from cx.customers where customer_id = $1',
        [ref.customerId],
      )
    ).rows[0];
  const before = await history();
  assert.equal(
    (await stepsOf(pool, ref.interactionId)).map((s) => s.partition),
    ['interaction_steps_y2030m03'],
  );

  assert.is(await given.correctInteractions(pool, ref, { start_timestamp: '2030-04-01T00:00:00Z' }), 1);
  assert.equal(await stepsOf(pool, ref.interactionId), [
    {
      customerId: ref.customerId,
      start: '2030-04-01T00:00:00.000Z',
      partition: 'interaction_steps_y2030m04',
      steps: 2,
    },
  ]);
  assert.equal(
    totals(await given.interactionRow(pool, { ...ref, startTimestamp: '2030-04-01T00:00:00.000Z' })),
    {
      start: '2030-04-01T00:00:00.000Z',
      mode: 'live_chat',
      bot: 600,
      human: 1200,
      queue: 0,
      escalatedAt: '2030-04-01T00:10:00.000Z',
    },
  );
  assert.equal(await history(), before);
  assert.equal(before, { total_interactions: 1, successful_interactions: 1, escalation_count: 1 });
});

test('a new customer_id moves the steps to that customer', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T16:00:00Z' });
  const newCustomer = await given.customer(pool);
  await given.steps(pool, ref, [
    ['bot', '16:00:00', '16:01:00'],
    ['bot', '16:01:00', '16:03:00'],
  ]);
  assert.is(await given.correctInteractions(pool, ref, { customer_id: newCustomer }), 1);
  assert.equal(
    (await stepsOf(pool, ref.interactionId)).map(({ customerId, steps }) => ({ customerId, steps })),
    [{ customerId: newCustomer, steps: 2 }],
  );
  assert.is(
    (await given.interactionRow(pool, { ...ref, customerId: newCustomer })).bot_duration_seconds,
    180,
  );
});

test('interaction_id cannot change', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T17:00:00Z' });
  await given.steps(pool, ref, [['bot', '17:00:00', '17:01:00']]);
  const error = await failure(
    pool.query('update cx.customer_interactions set interaction_id = $2 where interaction_id = $1', [
      ref.interactionId,
      MISSING,
    ]),
  );
  assert.equal(refused(error), {
    code: '23514',
    constraint: 'customer_interactions_interaction_id_fixed',
    column: 'interaction_id',
    message: `interaction_id of interaction ${ref.interactionId} cannot change to ${MISSING}`,
  });
  assert.is(await stepCount(pool, ref.interactionId), 1);
});

test('interactions sharing an interaction_id change their keys one correction batch at a time', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const shared = '01900000-0000-7000-8000-00000000beef';
  const chatbot = await given.channelId(pool, 'chatbot');
  const record = (start: string) =>
    pool.query('select * from cx.record_interactions($1::jsonb)', [
      JSON.stringify([
        {
          customer_id: customerId,
          interaction_id: shared,
          start_timestamp: start,
          channel_id: chatbot,
          initial_mode: 'bot',
        },
      ]),
    ]);
  await record('2026-11-02T18:00:00Z');
  await record('2026-11-03T18:00:00Z');
  const early = { customerId, interactionId: shared, startTimestamp: '2026-11-02T18:00:00.000Z' };
  const late = { customerId, interactionId: shared, startTimestamp: '2026-11-03T18:00:00.000Z' };
  await given.steps(pool, early, [['bot', '18:00:00', '18:01:00']]);
  await given.steps(pool, late, [
    ['bot', '18:00:00', '18:02:00'],
    ['bot', '18:02:00', '18:03:00'],
  ]);

  // both an hour earlier, in one batch
  const error = await failure(
    correct(pool, [
      [early, { start_timestamp: '2026-11-02T17:00:00Z' }],
      [late, { start_timestamp: '2026-11-03T17:00:00Z' }],
    ]),
  );
  assert.equal(refused(error), {
    code: '23514',
    constraint: 'customer_interactions_interaction_id_shared',
    column: 'interaction_id',
    message: `interactions sharing interaction_id ${shared} cannot change customer_id or start_timestamp in one statement`,
  });

  // one at a time, each takes its own steps; a batch of both that changes nothing else is fine too
  assert.is(await correct(pool, [[early, { start_timestamp: '2026-11-02T17:00:00Z' }]]), 1);
  assert.is(await given.correctInteractions(pool, shared, { status: 'completed' }), 2);
  assert.equal(
    (await stepsOf(pool, shared)).map(({ start, steps }) => ({ start, steps })),
    [
      { start: '2026-11-02T17:00:00.000Z', steps: 1 },
      { start: '2026-11-03T18:00:00.000Z', steps: 2 },
    ],
  );
});

test('truncating the interactions truncates the steps', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T19:00:00Z' });
  await given.steps(pool, ref, [['bot', '19:00:00', '19:01:00']]);
  const counts = await inRollbackTransaction(pool, async (db) => {
    // other tables reference interactions with foreign keys: they go too (cascade); steps by trigger
    await db.query('truncate cx.customer_interactions cascade');
    const { rows } = await db.query(
      `select (select count(*) from cx.customer_interactions)::int as interactions,
              (select count(*) from cx.interaction_steps)::int as steps`,
    );
    return rows[0];
  });
  assert.equal(counts, { interactions: 0, steps: 0 });
  assert.is(await stepCount(pool, ref.interactionId), 1);
});

test('a step added while its interaction is being deleted waits, then is refused as missing', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T20:00:00Z' });
  await given.steps(pool, ref, [['bot', '20:00:00', '20:01:00']]);
  const deleter = await session(pool);
  const writer = await session(pool);
  const pids = { deleter: await backendPid(deleter), writer: await backendPid(writer) };
  try {
    await deleter.query('begin');
    assert.is(await given.deleteInteractions(deleter, ref), 1);
    const adding = failure(given.steps(writer, ref, [['bot', '20:01:00', null]]));
    adding.catch(() => {}); // awaited below: a failing test must not leave it unobserved
    assert.equal(await blockedBy(pool, pids.writer), [pids.deleter]);
    await deleter.query('commit');
    assert.equal(refused(await adding), {
      code: '23503',
      constraint: 'interaction_steps_interaction_missing',
      column: 'interaction_id',
      message: `interaction ${ref.interactionId} (customer ${ref.customerId}, started 2026-11-02 20:00:00+00) does not exist`,
    });
  } finally {
    await done(deleter, writer);
  }
  assert.is(await stepCount(pool, ref.interactionId), 0);
});

test('an interaction deleted while a step is being added waits for it, then takes the step along', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T21:00:00Z' });
  const writer = await session(pool);
  const deleter = await session(pool);
  const pids = { writer: await backendPid(writer), deleter: await backendPid(deleter) };
  try {
    await writer.query('begin');
    await given.steps(writer, ref, [['bot', '21:00:00', null]]);
    const deleting = given.deleteInteractions(deleter, ref);
    deleting.catch(() => {}); // awaited below
    assert.equal(await blockedBy(pool, pids.deleter), [pids.writer]);
    await writer.query('commit');
    assert.is(await deleting, 1);
  } finally {
    await done(writer, deleter);
  }
  assert.is(await stepCount(pool, ref.interactionId), 0);
});

test('a delete that waits for a step writer between its check and its totals lets it finish: no deadlock', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T23:00:00Z' });
  const writer = await session(pool);
  const deleter = await session(pool);
  const pids = { writer: await backendPid(writer), deleter: await backendPid(deleter) };
  try {
    await writer.query('begin');
    // where cx.record_steps stands after its check: the interaction held FOR KEY SHARE
    await writer.query(
      'select cx_private.lock_interactions(array[($1, $2, $3)::cx_private.interaction_key])',
      [ref.customerId, ref.interactionId, ref.startTimestamp],
    );
    const deleting = given.deleteInteractions(deleter, ref);
    deleting.catch(() => {}); // awaited below
    assert.equal(await blockedBy(pool, pids.deleter), [pids.writer]);
    // the totals lock the row FOR NO KEY UPDATE: the waiting delete holds nothing that stops it
    await given.steps(writer, ref, [['bot', '23:00:00', '23:01:00']]);
    assert.equal((await given.interactionRow(writer, ref)).bot_duration_seconds, 60);
    await writer.query('commit');
    assert.is(await deleting, 1);
  } finally {
    await done(writer, deleter);
  }
  assert.is(await stepCount(pool, ref.interactionId), 0);
});

test('a start changed while a step is being added waits for it, then moves that step too', async ({
  pool,
}) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T22:00:00Z' });
  await given.steps(pool, ref, [['bot', '22:00:00', '22:01:00']]);
  const writer = await session(pool);
  const updater = await session(pool);
  const pids = { writer: await backendPid(writer), updater: await backendPid(updater) };
  try {
    await writer.query('begin');
    await given.steps(writer, ref, [['bot', '22:01:00', null]]);
    const updating = given.correctInteractions(updater, ref, { start_timestamp: '2026-11-02T21:59:00Z' });
    updating.catch(() => {}); // awaited below
    assert.equal(await blockedBy(pool, pids.updater), [pids.writer]);
    await writer.query('commit');
    assert.is(await updating, 1);
  } finally {
    await done(writer, updater);
  }
  assert.equal(
    (await stepsOf(pool, ref.interactionId)).map(({ start, steps }) => ({ start, steps })),
    [{ start: '2026-11-02T21:59:00.000Z', steps: 2 }],
  );
  assert.is(
    (await given.interactionRow(pool, { ...ref, startTimestamp: '2026-11-02T21:59:00.000Z' }))
      .bot_duration_seconds,
    60,
  );
});

test.run();
