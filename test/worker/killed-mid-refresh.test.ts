import type pg from 'pg';
import * as assert from 'uvu/assert';
import { exited, printed, spawnCli, transcriptOf } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { chatbotDay, eventually, logRows } from '../support/worker.js';

/**
 * `carepulse worker` killed with SIGKILL while a refresh runs: nothing tells the server, whose
 * backend would go on, commit the refresh with no one to report to, and hold the refresh's
 * advisory lock all the while (a restarted worker then found "another refresh is running"). The
 * worker's sessions make the server notice its client is gone and roll the refresh back.
 *
 * The worker's day on the chatbot channel: two contained bot interactions, then a third after the
 * restart; `carepulse refresh` gets a day of its own.
 */
const test = databaseSuite('the worker killed mid-refresh');

const DAY = '2026-11-10';
const OTHER_DAY = '2026-11-11';

/** The backend of a refresh once it waits on a lock (it is then half-way). */
function refreshWaitingOnLock(pool: pg.Pool): Promise<number> {
  return eventually('the refresh waiting on the held table', async () => {
    const { rows } = await pool.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where query like '%refresh_metrics%' and wait_event_type = 'Lock' and datname = current_database()`,
    );
    return rows[0]?.pid;
  });
}

/** The bound only has to outlast a slow machine: a backend that did not notice would wait for ever. */
function gone(pool: pg.Pool, pid: number): Promise<boolean> {
  return eventually(
    `backend ${pid} gone`,
    async () => (await pool.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount === 0,
    30_000,
  );
}

async function refreshLocksHeld(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(
    `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
      where l.locktype = 'advisory' and d.datname = current_database()`,
  );
  return rows[0].n;
}

test('a refresh whose worker was SIGKILLed rolls back and lets go of its lock; the restarted worker refreshes it all', async ({
  pool,
  connectionString,
}) => {
  for (const hour of ['09', '10']) {
    await given.botInteraction(pool, { start: `${DAY}T${hour}:00:00Z`, end: `${DAY}T${hour}:03:00Z` });
  }
  const logged = await logRows(pool);
  assert.ok(logged > 0, 'the writes logged their buckets');

  // holding the daily table makes the refresh wait there, after it took the lock and the log
  const holder = await pool.connect();
  try {
    await holder.query('begin');
    await holder.query('lock table cx.daily_interaction_rollup in share mode');
    const doomed = spawnCli(['worker', '--poll-interval', '200'], {
      env: { DATABASE_URL: connectionString },
    });
    const orphan = await refreshWaitingOnLock(pool);
    doomed.kill('SIGKILL');
    await exited(doomed);
    await gone(pool, orphan);
    assert.is(await refreshLocksHeld(pool), 0, 'no one holds the refresh lock');
    assert.is(await logRows(pool), logged, 'the refresh rolled back: its buckets are still logged');
  } finally {
    await holder.query('rollback');
    holder.release();
  }
  assert.is(await chatbotDay(pool, DAY), undefined, 'nothing committed');

  const restarted = spawnCli(['worker', '--poll-interval', '200'], {
    env: { DATABASE_URL: connectionString },
  });
  const transcript = transcriptOf(restarted);
  try {
    await printed(restarted, transcript, /Ctrl-C stops it\n/);
    // the killed worker's job stays locked (graphile-worker's lock timeout); a write queues another
    await given.botInteraction(pool, { start: `${DAY}T11:00:00Z`, end: `${DAY}T11:03:00Z` });
    await printed(restarted, transcript, /metrics__refresh #\d+ \(\d+ ms\): refreshed 1 channel bucket/);
    assert.not.match(transcript.text, /another refresh is running/);
    assert.is(await logRows(pool), 0);
    const day = await chatbotDay(pool, DAY);
    assert.equal([day?.interactions, day?.bot_started, day?.contained], [3, 3, 3]);
  } finally {
    restarted.kill('SIGTERM');
  }
  assert.is(await exited(restarted), 0, transcript.text);
});

test('carepulse refresh SIGKILLed mid-refresh rolls back and lets go of its lock too', async ({
  pool,
  connectionString,
}) => {
  await given.botInteraction(pool, { start: `${OTHER_DAY}T12:00:00Z`, end: `${OTHER_DAY}T12:03:00Z` });
  const logged = await logRows(pool);
  const holder = await pool.connect();
  try {
    await holder.query('begin');
    await holder.query('lock table cx.daily_interaction_rollup in share mode');
    const doomed = spawnCli(['refresh'], { env: { DATABASE_URL: connectionString } });
    const orphan = await refreshWaitingOnLock(pool);
    doomed.kill('SIGKILL');
    await exited(doomed);
    await gone(pool, orphan);
    assert.is(await refreshLocksHeld(pool), 0, 'no one holds the refresh lock');
    assert.is(await logRows(pool), logged, 'the refresh rolled back: its buckets are still logged');
  } finally {
    await holder.query('rollback');
    holder.release();
  }
  assert.is(await chatbotDay(pool, OTHER_DAY), undefined, 'nothing committed');
});

test.run();
