import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPool } from '../../src/db/pool.js';
import { exited, printed, spawnCli, type Transcript, transcriptOf } from '../support/cli.js';
import * as given from '../support/given.js';
import { type PrivateServer, startPrivateServer } from '../support/private-server.js';
import { chatbotDay, eventually, logRows } from '../support/worker.js';

/**
 * The database stops under a running `carepulse worker` and starts again: the worker must keep
 * running, say what failed in single lines, reconnect by itself and finish the work. The server is
 * this file's own (stopping the shared one would break the files running beside it).
 *
 * One day on the chatbot channel, by hand:
 * - I1 bot, contained, resolved: bot 09:00-09:04
 * - I2 bot, escalated, resolved: bot 10:00-10:02, queue 10:02-10:03, human 10:03-10:09
 * so 2 interactions, 2 bot-started, 1 contained, 1 escalated, 1 queued and answered after 60 s.
 */
const test = suite<{ db: PrivateServer; pool: pg.Pool }>('the worker survives its database', {
  db: undefined as unknown as PrivateServer,
  pool: undefined as unknown as pg.Pool,
});

const DAY = '2026-11-09';
/** The day `carepulse start`'s test writes. */
const START_DAY = '2026-11-08';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.before(async (context) => {
  context.db = await startPrivateServer('carepulse-db-restart');
  // the stop below ends these connections too; the next query reconnects
  context.pool = createPool(
    { connectionString: context.db.connectionString, max: 2, options: '-c TimeZone=UTC' },
    () => {},
  );
});

// each test stops the server; one that failed half-way may have left it stopped
test.before.each(async ({ db }) => {
  await db.server.start();
});

test.after(async ({ db, pool }) => {
  await pool?.end();
  await db?.destroy();
});

/** Every column of the daily tables but when they were written. */
async function dailyTables(pool: pg.Pool) {
  const { rows } = await pool.query(
    `select to_jsonb(r) - 'refreshed_at' as row from cx.daily_interaction_rollup r
     union all select to_jsonb(a) - 'refreshed_at' from cx.daily_agent_metrics a
     union all select to_jsonb(j) - 'refreshed_at' from cx.daily_journey_rollup j
     union all select to_jsonb(o) - 'refreshed_at' from cx.daily_outcome_rollup o order by 1`,
  );
  return rows;
}

/** The worker's backend, once it waits on a lock (the refresh is then half-way). */
async function refreshWaitingOnLock(pool: pg.Pool): Promise<number> {
  return eventually('the refresh waiting on the held table', async () => {
    const { rows } = await pool.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where application_name = 'carepulse worker' and wait_event_type = 'Lock' and datname = current_database()`,
    );
    return rows[0]?.pid;
  });
}

test('the database stopped mid-refresh and started again: the worker reconnects, retries the job, and the daily tables equal a rebuild', async ({
  db,
  pool,
}) => {
  const i1 = await given.botInteraction(pool, { start: `${DAY}T09:00:00Z`, end: `${DAY}T09:04:00Z` });
  await given.steps(pool, i1, [['bot', '09:00:00', '09:04:00']]);
  const i2 = await given.botInteraction(pool, { start: `${DAY}T10:00:00Z`, end: `${DAY}T10:10:00Z` });
  await given.steps(pool, i2, [
    ['bot', '10:00:00', '10:02:00'],
    ['queue', '10:02:00', '10:03:00'],
    ['human', '10:03:00', '10:09:00'],
  ]);
  const logged = await logRows(pool);
  assert.ok(logged > 0, 'the writes logged their buckets');

  // holding the daily table makes the refresh wait there, after it took the log
  const holder = new pg.Client({ connectionString: db.connectionString });
  holder.on('error', () => {}); // the stop ends it
  await holder.connect();
  await holder.query('begin');
  await holder.query('lock table cx.daily_interaction_rollup in share mode');

  const child = spawnCli(['worker', '--poll-interval', '200'], {
    env: { DATABASE_URL: db.connectionString },
  });
  const transcript: Transcript = transcriptOf(child);
  try {
    await refreshWaitingOnLock(pool);
    await db.server.stop();
    const [, jobId] = await printed(
      child,
      transcript,
      /metrics__refresh #(\d+) failed \(\d+ ms, attempt 1 of 10, will retry\): [^\n]+\n/,
    );
    // the worker keeps trying while the server is down
    await printed(child, transcript, /database unreachable[^\n]*; trying again in [\d.]+ s\n/);
    await db.server.start();
    await printed(child, transcript, new RegExp(`metrics__refresh #${jobId} \\(\\d+ ms\\): `));

    assert.equal(await logRows(pool), 0);
    const day = await chatbotDay(pool, DAY);
    assert.equal(
      [
        day?.interactions,
        day?.bot_started,
        day?.contained,
        day?.escalated,
        day?.queued,
        day?.queue_seconds_answered,
      ],
      [2, 2, 1, 1, 1, 60],
    );
    const { rows: left } = await pool.query(
      'select count(*)::int as n from graphile_worker.jobs where id = $1',
      [jobId],
    );
    assert.is(left[0].n, 0, 'the retried job completed');
    const failures = transcript.text.match(new RegExp(`#${jobId} failed`, 'g')) ?? [];
    assert.is(failures.length, 1, 'one line for the one failed attempt');
    assert.not.match(transcript.text, /^\s+at /m, 'no stack trace');
    assert.is(child.exitCode, null, 'still running');
  } finally {
    await holder.end().catch(() => {});
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  assert.is(await exited(child), 0, transcript.text);

  const refreshed = await dailyTables(pool);
  const { rows } = await pool.query('select cx.rebuild_daily_metrics() as logged');
  assert.ok(rows[0].logged >= 2, `${rows[0].logged} buckets logged`);
  await pool.query('select * from cx.refresh_metrics()');
  assert.equal(await dailyTables(pool), refreshed);
});

test('carepulse start survives the same: its worker reconnects and retries the job, and Ctrl-C still ends it with exit 0', async ({
  db,
  pool,
}) => {
  const child = spawnCli(['start'], { env: { DATABASE_URL: db.connectionString } });
  const transcript = transcriptOf(child);
  const holder = new pg.Client({ connectionString: db.connectionString });
  holder.on('error', () => {}); // the stop ends it
  try {
    await printed(child, transcript, /Press Ctrl-C to stop\.\n/);
    await holder.connect();
    await holder.query('begin');
    await holder.query('lock table cx.daily_interaction_rollup in share mode');
    await given.botInteraction(pool, { start: `${START_DAY}T09:00:00Z`, end: `${START_DAY}T09:01:00Z` });
    await refreshWaitingOnLock(pool);
    await db.server.stop();
    const [, jobId] = await printed(
      child,
      transcript,
      /metrics__refresh #(\d+) failed [^\n]+, will retry\): /,
    );
    await printed(child, transcript, /database unreachable[^\n]*; trying again in [\d.]+ s\n/);
    await db.server.start();
    await printed(child, transcript, new RegExp(`metrics__refresh #${jobId} \\(\\d+ ms\\): `));
    assert.is((await chatbotDay(pool, START_DAY))?.interactions, 1);
    assert.not.match(transcript.text, /^\s+at /m, 'no stack trace');
  } finally {
    await holder.end().catch(() => {});
    if (child.exitCode === null) child.kill('SIGINT');
  }
  assert.is(await exited(child), 0, transcript.text);
});

test('SIGTERM while the database is down stops the worker at once, with exit 0', async ({ db }) => {
  const child = spawnCli(['worker', '--poll-interval', '200'], {
    env: { DATABASE_URL: db.connectionString },
  });
  const transcript = transcriptOf(child);
  try {
    await printed(child, transcript, /Ctrl-C stops it\n/);
    await db.server.stop();
    await printed(child, transcript, /database unreachable[^\n]*; trying again in [\d.]+ s\n/);
    child.kill('SIGTERM');
    // a stop that waited for the server would wait for ever; the bound only has to outlast a slow machine
    const code = await Promise.race([exited(child), sleep(30_000).then(() => 'still running')]);
    assert.is(code, 0, transcript.text);
    assert.match(transcript.text, /stopped without waiting for the unreachable database\n/);
    assert.not.match(transcript.text, /^\s+at /m, 'no stack trace');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await db.server.start();
  }
});

test.run();
