import pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { chatbotDay, eventually, logRows, refreshJobs, withWorker } from '../support/worker.js';

/**
 * The daily tables kept current by the real worker: writes log their buckets and queue one
 * metrics__refresh job, the worker recomputes them. One day on the chatbot channel, by hand:
 * - I1 bot, contained, resolved: bot 09:00-09:04 (240 s)
 * - I2 bot, escalated, resolved: bot 10:00-10:02 (120 s), queue 10:02-10:03 (60 s), human
 *   10:03-10:09 (360 s)
 * - I3 live chat, unresolved: queue 12:00:00-12:00:20 (20 s), human 12:00:20-12:05:20 (300 s)
 * Each later test adds one contained bot interaction on the same day.
 */
const test = databaseSuite('metrics__refresh on the real worker');

const DAY = '2026-11-03';

async function containedBotInteraction(db: pg.Pool | pg.ClientBase, hour: number) {
  const at = `${DAY}T${String(hour).padStart(2, '0')}`;
  const ref = await given.botInteraction(db as pg.Pool, { start: `${at}:00:00Z`, end: `${at}:01:00Z` });
  await given.steps(db as pg.Pool, ref, [['bot', `${at}:00:00Z`, `${at}:01:00Z`]]);
  return ref;
}

async function interactionsOnDay(pool: pg.Pool): Promise<number | undefined> {
  return (await chatbotDay(pool, DAY))?.interactions;
}

test('writes queue exactly one refresh job, and the worker makes them visible within seconds', async ({
  pool,
  connectionString,
}) => {
  const i1 = await given.botInteraction(pool, { start: `${DAY}T09:00:00Z`, end: `${DAY}T09:04:00Z` });
  await given.steps(pool, i1, [['bot', '09:00:00', '09:04:00']]);
  const i2 = await given.botInteraction(pool, { start: `${DAY}T10:00:00Z`, end: `${DAY}T10:10:00Z` });
  await given.steps(pool, i2, [
    ['bot', '10:00:00', '10:02:00'],
    ['queue', '10:02:00', '10:03:00'],
    ['human', '10:03:00', '10:09:00'],
  ]);
  const i3 = await given.interaction(pool, {
    start: `${DAY}T12:00:00Z`,
    end: `${DAY}T12:05:20Z`,
    mode: 'live_chat',
    resolution: 'unresolved',
  });
  await given.steps(pool, i3, [
    ['queue', '12:00:00', '12:00:20'],
    ['human', '12:00:20', '12:05:20'],
  ]);
  // eleven statements, each logging buckets: one job between them
  assert.is(await refreshJobs(pool), 1);
  assert.ok((await logRows(pool)) > 0);
  assert.is(await chatbotDay(pool, DAY), undefined, 'nothing refreshed before the worker runs');

  await withWorker(connectionString, async (worker) => {
    const day = await eventually('the chatbot day in daily_channel_metrics', () => chatbotDay(pool, DAY));
    assert.equal(
      {
        volume: [day.interactions, day.completed, day.completed_resolved, day.resolved],
        bots: [day.bot_started, day.contained, day.escalated],
        modes: [day.bot_interactions, day.live_chat_interactions, day.other_interactions],
        queues: [day.queued, day.answered_after_queue, day.queue_seconds_answered, day.abandoned],
        handling: [day.human_handled, day.human_seconds, day.bot_seconds],
        successRate: day.success_rate,
      },
      {
        volume: [3, 3, 2, 2],
        bots: [2, 1, 1],
        modes: [1, 2, 0],
        queues: [2, 2, 80, 0],
        handling: [2, 660, 360],
        // completed and resolved 2 of completed 3
        successRate: 0.6667,
      },
    );
    const agent = await given.agent(pool, 'given-human');
    const { rows } = await pool.query(
      'select handled, handle_seconds from cx.daily_agent_metrics where agent_id = $1 and metric_date = $2',
      [agent, DAY],
    );
    assert.equal(rows, [{ handled: 2, handle_seconds: 660 }]);
    await eventually('the refresh job done', async () => (await refreshJobs(pool)) === 0);
    assert.is(await logRows(pool), 0);
    // (the crontab's minutely fallback may have run meanwhile: it is not the job the writes queued)
    const queued = worker.reports.filter((r) => !r.fromCron);
    assert.equal(
      queued.map((r) => [r.task, r.error]),
      [['metrics__refresh', undefined]],
    );
    // the agent's two days: the steps' day, and today (a new agent's status history starts now)
    assert.match(queued[0]?.summary ?? '', /^refreshed 1 channel bucket and 2 agent buckets .*; log empty$/);
  });
});

test('a refresh that ends with writes logged during it queues the next one itself', async ({
  pool,
  connectionString,
}) => {
  // holding the day's rollup rows makes the worker's refresh wait after it consumed the log
  const holder = await pool.connect();
  const late = await pool.connect();
  try {
    await holder.query('begin');
    await holder.query('select 1 from cx.daily_interaction_rollup where metric_date = $1 for update', [DAY]);
    await containedBotInteraction(pool, 13);
    assert.is(await refreshJobs(pool), 1);
    // a write in flight: its trigger sees the waiting job and adds none
    await late.query('begin');
    await containedBotInteraction(late, 14);

    // no crontab: the fallback must not be what empties the log
    await withWorker(
      connectionString,
      async (worker) => {
        await eventually('the refresh waiting on the held rows', async () => {
          const { rows } = await pool.query(
            "select 1 from pg_stat_activity where application_name = 'carepulse worker' and wait_event_type = 'Lock'",
          );
          return rows.length > 0;
        });
        await late.query('commit');
        assert.is(await refreshJobs(pool), 1, 'only the running job');
        await holder.query('rollback');
        await eventually('the log empty', async () => (await logRows(pool)) === 0);
        assert.is(await interactionsOnDay(pool), 5);
        await eventually('both jobs reported', async () => worker.reports.length >= 2);
        assert.match(worker.reports[0]?.summary ?? '', /; \d+ log rows? left, queued again$/);
        assert.match(worker.reports[1]?.summary ?? '', /^refreshed 1 channel bucket and 0 agent buckets/);
      },
      { crontab: '' },
    );
  } finally {
    await holder.query('rollback');
    await late.query('rollback');
    holder.release();
    late.release();
  }
});

test('while another refresh holds the log, the job tries again shortly and the log still empties', async ({
  pool,
  connectionString,
}) => {
  const other = await pool.connect();
  try {
    await other.query('begin');
    await other.query("select pg_advisory_xact_lock(hashtext('cx.refresh_metrics'))");
    await containedBotInteraction(pool, 15);
    await withWorker(
      connectionString,
      async (worker) => {
        await eventually('the first try reported', async () => worker.reports.length >= 1);
        assert.match(
          worker.reports[0]?.summary ?? '',
          /^nothing refreshed: another refresh is running; \d+ log rows? left, again in 1 s$/,
        );
        assert.is(await interactionsOnDay(pool), 5, 'not refreshed yet');
        await other.query('rollback');
        await eventually('the log empty', async () => (await logRows(pool)) === 0);
        assert.is(await interactionsOnDay(pool), 6);
      },
      { crontab: '' },
    );
  } finally {
    await other.query('rollback');
    other.release();
  }
});

test('a refresh killed before it commits leaves the previous values and its log; the next run completes them', async ({
  pool,
  connectionString,
}) => {
  await containedBotInteraction(pool, 16);
  const logged = await logRows(pool);
  assert.ok(logged > 0);
  const doomed = new pg.Client({ connectionString });
  doomed.on('error', () => {}); // the termination below
  await doomed.connect();
  try {
    await doomed.query('begin');
    const { rows: done } = await doomed.query('select * from cx.refresh_metrics()');
    assert.is(done[0].channel_buckets, 1, 'it did the work, uncommitted');
    const {
      rows: [{ pid }],
    } = await doomed.query('select pg_backend_pid() as pid');
    await pool.query('select pg_terminate_backend($1)', [pid]);
    const commit = await doomed.query('commit').then(
      () => 'committed',
      () => 'failed',
    );
    assert.is(commit, 'failed');
  } finally {
    await doomed.end().catch(() => {});
  }
  assert.is(await interactionsOnDay(pool), 6, 'the previous value');
  assert.is(await logRows(pool), logged, 'its buckets still logged');
  await withWorker(connectionString, async () => {
    await eventually('the log empty', async () => (await logRows(pool)) === 0);
    assert.is(await interactionsOnDay(pool), 7);
  });
});

test.run();
