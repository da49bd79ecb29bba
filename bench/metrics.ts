/**
 * Metrics benchmark (issue 5), all in one run on one server:
 * 1. writer throughput: 8 concurrent writers recording contacts through the typed client (start,
 *    steps, end: one transaction each), with the refresh machinery on, then off (its bucket-log
 *    triggers disabled); goal: within 15 %;
 * 2. with H interactions of history (the simulator's workload through ingest, over --days days):
 *    a full rebuild of the daily tables, then one new day through ingest and its incremental
 *    refresh; goal: incremental under 5 % of the full rebuild, flat as history grows;
 * 3. the 30-day scorecard: the materialized view, and the live cx.metric_values query behind it
 *    (median of 20); goal: under 20 ms.
 *
 *   node --import tsx bench/metrics.ts [--history 1000000] [--days 90] [--writes 200]
 */
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { installSignalHandlers } from '../src/cli/shutdown.js';
import { type CarepulseClient, connect } from '../src/client/connect.js';
import type { IngestInteraction } from '../src/client/ingest.js';
import { createPool } from '../src/db/pool.js';
import { withDatabase } from '../src/db/with-database.js';
import { withScratchDatabase } from '../src/migrate/scratch-database.js';
import { prepareSimulation } from '../src/simulate/load.js';
import { workload } from '../src/simulate/workload.js';

const { values } = parseArgs({
  options: {
    history: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    writes: { type: 'string', default: '200' },
  },
});
const history = Number(values.history);
const days = Number(values.days);
const writesPerWriter = Number(values.writes);
const WRITERS = 8;

const LOG_TRIGGERS: Array<[string, string]> = [
  'customer_interactions',
  'interaction_steps',
  'agent_status_history',
  'customer_journey_sessions',
  'journey_touchpoints',
  'interaction_outcomes',
].flatMap((table) =>
  ['insert', 'update', 'delete'].map((event): [string, string] => [
    table,
    `_800_log_metric_buckets_after_${event}`,
  ]),
);

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/** 8 writers at once, each recording `writesPerWriter` escalated bot conversations; contacts per second. */
async function writerThroughput(
  client: CarepulseClient,
  customers: string[],
  channelId: string,
  agentId: string,
) {
  const elapsed = await seconds(() =>
    Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < writesPerWriter; i += 1) {
          const start = new Date(Date.now() - 3_600_000 + (w * writesPerWriter + i) * 100);
          const at = (s: number) => new Date(start.getTime() + s * 1000);
          await client.withTransaction(async (tx) => {
            const ref = await tx.interactions.start({
              customerId: customers[(w * writesPerWriter + i) % customers.length] as string,
              channelId,
              initialMode: 'bot',
              startTimestamp: start,
            });
            await tx.interactions.addStep(ref, { stepType: 'bot', startedAt: start, endedAt: at(60) });
            await tx.interactions.addStep(ref, {
              stepType: 'human',
              agentId,
              startedAt: at(60),
              endedAt: at(300),
            });
            await tx.interactions.end(ref, {
              status: 'completed',
              resolutionStatus: 'resolved',
              endTimestamp: at(300),
            });
          });
        }
      }),
    ),
  );
  return (WRITERS * writesPerWriter) / elapsed;
}

async function setLogTriggers(pool: pg.Pool, enabled: boolean) {
  for (const [table, trigger] of LOG_TRIGGERS)
    await pool.query(`alter table cx.${table} ${enabled ? 'enable' : 'disable'} trigger ${trigger}`);
}

async function median(pool: pg.Pool, sql: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 20; i += 1) times.push(await seconds(() => pool.query(sql)));
  times.sort((a, b) => a - b);
  return (times[10] as number) * 1000;
}

installSignalHandlers();
await withDatabase((db) =>
  withScratchDatabase(db.rootConnectionString, 'carepulse_bench_metrics', async (url) => {
    const pool = createPool({ connectionString: url, max: WRITERS + 2, options: '-c search_path=cx,public' });
    const client = connect({ pool });
    const perDay = Math.round(history / days);
    const { plan, world } = await prepareSimulation(pool, { interactions: history + perDay, days: days + 1 });

    // the history: every day but the last, through ingest (triggers on, so it is what writers make)
    let batch: IngestInteraction[] = [];
    let loaded = 0;
    const lastDay = new Date(plan.end.getTime() - 86_400_000);
    const lastDayStart = new Date(Math.floor(lastDay.getTime() / 86_400_000) * 86_400_000);
    const newDay: IngestInteraction[] = [];
    const historyMs = await seconds(async () => {
      for (const hour of workload(plan, world)) {
        for (const { sessionId: _journey, ...interaction } of hour.interactions) {
          if (interaction.startTimestamp >= lastDayStart) newDay.push(interaction);
          else batch.push(interaction);
        }
        if (batch.length >= 10_000) {
          await client.interactions.ingest(batch);
          loaded += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) await client.interactions.ingest(batch);
      loaded += batch.length;
    });
    // the timed rebuild below recomputes every bucket: the history's own log would only do it twice
    await pool.query('delete from cx_private.metric_bucket_log');
    await pool.query('analyze');

    const rebuild = await seconds(async () => {
      await pool.query('select cx.rebuild_daily_metrics()');
      await pool.query('select * from cx.refresh_metrics()');
    });
    const incremental = await seconds(async () => {
      for (let i = 0; i < newDay.length; i += 10_000)
        await client.interactions.ingest(newDay.slice(i, i + 10_000));
    });
    const refreshNewDay = await seconds(() => pool.query('select * from cx.refresh_metrics()'));
    await pool.query('select cx.refresh_materialized_views()');
    const scorecardView = await median(pool, 'select * from cx.channel_scorecard_30d');
    const scorecardLive = await median(
      pool,
      "select * from cx.metric_values(cx.reporting_day(now()) - 29, cx.reporting_day(now()), 'channel')",
    );
    const refreshViews = await seconds(() => pool.query('select cx.refresh_materialized_views()'));

    const customers = (await pool.query('select customer_id from cx.customers limit 2000')).rows.map(
      (r) => r.customer_id as string,
    );
    const agentId = world.humans[0]?.agentId as string;
    const channelId = world.channelIds.chatbot;
    const on = await writerThroughput(client, customers, channelId, agentId);
    await setLogTriggers(pool, false);
    const off = await writerThroughput(client, customers, channelId, agentId);
    await setLogTriggers(pool, true);
    await client.close();
    await pool.end();

    console.log(
      `history: ${loaded} interactions over ${days} days loaded through ingest in ${historyMs.toFixed(0)} s`,
    );
    console.log(`full rebuild of the daily tables:        ${rebuild.toFixed(2)} s`);
    console.log(
      `one new day (${newDay.length} interactions): ingest ${incremental.toFixed(1)} s, refresh ${refreshNewDay.toFixed(2)} s`,
    );
    console.log(`incremental / full (goal < 0.05):        ${(refreshNewDay / rebuild).toFixed(3)}`);
    console.log(`30-day scorecard, view (median of 20):   ${scorecardView.toFixed(1)} ms (goal < 20 ms)`);
    console.log(
      `30-day scorecard, live metric_values:    ${scorecardLive.toFixed(1)} ms; view refresh ${refreshViews.toFixed(2)} s`,
    );
    console.log(
      `8 writers, machinery on: ${on.toFixed(0)} contacts/s; off: ${off.toFixed(0)} contacts/s; on / off (goal >= 0.85): ${(on / off).toFixed(2)}`,
    );
  }),
);
