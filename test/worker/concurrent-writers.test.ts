import type pg from 'pg';
import * as assert from 'uvu/assert';
import { createPool } from '../../src/db/pool.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { chatbotDay, eventually, logRows, refreshJobs, withWorker } from '../support/worker.js';

/**
 * Writers log buckets and ask for a refresh job in their own transactions. Eight writers hold
 * their transactions open at the same time: each statement must finish while the others are still
 * open (a writer waiting on another's lock could not), and none may be seen waiting on a lock.
 */
const test = databaseSuite('concurrent writers and the refresh machinery');

const WRITERS = 8;
const DAY = '2026-11-04';

interface Wave {
  /** Backends seen waiting on a lock while all transactions were open. */
  waiting: { pid: number; wait_event: string }[];
  /** Whether every writer's statements returned while all transactions were open. */
  allReturned: boolean;
}

/** Each writer: begin, an interaction and its steps (bot only: no shared agent row), then commit together. */
async function writeWave(pool: pg.Pool, connectionString: string): Promise<Wave> {
  const writersPool = createPool({
    connectionString,
    max: WRITERS,
    application_name: 'carepulse test writer',
  });
  const writers = await Promise.all(Array.from({ length: WRITERS }, () => writersPool.connect()));
  try {
    const pids = await Promise.all(
      writers.map(
        async (w) => (await w.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid,
      ),
    );
    await Promise.all(writers.map((w) => w.query('begin')));
    const writes = Promise.all(
      writers.map(async (w, i) => {
        const at = `${DAY}T${String(8 + i).padStart(2, '0')}`;
        const ref = await given.botInteraction(w, { start: `${at}:00:00Z`, end: `${at}:02:00Z` });
        await given.steps(w, ref, [['bot', `${at}:00:00Z`, `${at}:02:00Z`]]);
      }),
    );
    // a writer waiting on another's lock would never return while all stay open; the bound only
    // has to outlast a slow machine (5 s did not, on 2 cores with a benchmark running)
    let timer: NodeJS.Timeout | undefined;
    const allReturned = await Promise.race([
      writes.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 20_000);
      }),
    ]);
    clearTimeout(timer);
    const { rows: waiting } = await pool.query<{ pid: number; wait_event: string }>(
      `select pid, wait_event from pg_stat_activity where pid = any($1) and wait_event_type = 'Lock'
       union
       select pid, 'lock not granted: ' || locktype from pg_locks where pid = any($1) and not granted`,
      [pids],
    );
    await Promise.all(writers.map((w) => w.query('commit')));
    await writes;
    return { waiting, allReturned };
  } finally {
    for (const w of writers) w.release();
    await writersPool.end();
  }
}

test("a database's first eight writers, all open at once, never wait on a lock; each adds at most one job", async ({
  pool,
  connectionString,
}) => {
  assert.is(await refreshJobs(pool), 0);
  const wave = await writeWave(pool, connectionString);
  assert.equal(wave, { waiting: [], allReturned: true });
  // none sees another's uncommitted job, so each may add one; the extra ones find the log empty
  const jobs = await refreshJobs(pool);
  assert.ok(jobs >= 1 && jobs <= WRITERS, `${jobs} refresh jobs`);
  await withWorker(connectionString, async () => {
    await eventually(
      'the jobs done',
      async () => (await refreshJobs(pool)) === 0 && (await logRows(pool)) === 0,
    );
  });
  assert.is((await chatbotDay(pool, DAY))?.interactions, WRITERS);
});

test('eight writers open at once while a refresh job waits add none: the one job covers them all', async ({
  pool,
  connectionString,
}) => {
  await given.botInteraction(pool, { start: `${DAY}T20:00:00Z`, end: `${DAY}T20:01:00Z` });
  assert.is(await refreshJobs(pool), 1);
  const wave = await writeWave(pool, connectionString);
  assert.equal(wave, { waiting: [], allReturned: true });
  assert.is(await refreshJobs(pool), 1);
  await withWorker(connectionString, async () => {
    await eventually('the log empty', async () => (await logRows(pool)) === 0);
    assert.is((await chatbotDay(pool, DAY))?.interactions, 2 * WRITERS + 1);
  });
});

test.run();
