/**
 * Metrics benchmark (issue 5), all in one run on one server:
 * 1. with H interactions of history (the simulator's workload through ingest, over --days days):
 *    a full rebuild of the daily tables, then one new day through ingest and its incremental
 *    refresh; goal: incremental under 5 % of the full rebuild, flat as history grows;
 * 2. the 30-day scorecard: the materialized view, and the live cx.metric_values query behind it
 *    (median of 20); goal: under 20 ms;
 * 3. writer throughput: 8 concurrent writers recording contacts through the typed client (start,
 *    steps, end: one transaction each), with the refresh machinery on and off (its bucket-log
 *    triggers disabled) in alternating rounds; goal: within 15 %.
 *
 * Each figure is printed as soon as it is measured.
 *
 * With --keep, the loaded history is kept in a database of its own
 * (carepulse_bench_history_<history>_<days>), and every run measures a clone of it: a second run
 * skips the load (38 minutes at 10M), and the kept history can be inspected. The clone is
 * migrated before it is measured, so a new migration is measured against the same history.
 *
 *   node --import tsx bench/metrics.ts [--history 1000000] [--days 90] [--writes 200] [--keep]
 */
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { installSignalHandlers } from '../src/cli/shutdown.js';
import { type CarepulseClient, connect } from '../src/client/connect.js';
import type { IngestInteraction } from '../src/client/ingest.js';
import { createDatabase, dropDatabase, onRootDatabase, uniqueDatabaseName } from '../src/db/admin.js';
import { withDatabaseName } from '../src/db/database.js';
import { createPool } from '../src/db/pool.js';
import { withDatabase } from '../src/db/with-database.js';
import { migrateDatabase } from '../src/migrate/migrate.js';
import { withScratchDatabase } from '../src/migrate/scratch-database.js';
import { prepareSimulation } from '../src/simulate/load.js';
import { workload } from '../src/simulate/workload.js';
import type { CreatedWorld } from '../src/simulate/world.js';

const { values } = parseArgs({
  options: {
    history: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    writes: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
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

/** 8 writers at once, each recording `writes` escalated bot conversations; seconds taken. */
async function writersRecording(
  writes: number,
  client: CarepulseClient,
  customers: string[],
  channelId: string,
  agentId: string,
): Promise<number> {
  return seconds(() =>
    Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < writes; i += 1) {
          const start = new Date(Date.now() - 3_600_000 + (w * writes + i) * 100);
          const at = (s: number) => new Date(start.getTime() + s * 1000);
          await client.withTransaction(async (tx) => {
            const ref = await tx.interactions.start({
              customerId: customers[(w * writes + i) % customers.length] as string,
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
}

/**
 * Writer throughput with the refresh machinery on and off, in contacts per second. The rounds run
 * on, off, off, on (half the writes each): autovacuum catching up after the history's load, or any
 * other drift, then weighs on both alike.
 */
async function writerThroughput(
  pool: pg.Pool,
  client: CarepulseClient,
  customers: string[],
  channelId: string,
  agentId: string,
): Promise<{ on: number; off: number }> {
  const half = Math.max(1, Math.round(writesPerWriter / 2));
  const elapsed = { on: 0, off: 0 };
  for (const mode of ['on', 'off', 'off', 'on'] as const) {
    await setLogTriggers(pool, mode === 'on');
    elapsed[mode] += await writersRecording(half, client, customers, channelId, agentId);
  }
  await setLogTriggers(pool, true);
  return { on: (2 * WRITERS * half) / elapsed.on, off: (2 * WRITERS * half) / elapsed.off };
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

/** The history a run measures against, and the day it then adds. */
interface History {
  world: CreatedWorld;
  /** The last day of the simulation (and a little more, to now): ingested and refreshed timed. */
  newDay: IngestInteraction[];
  loaded: number;
  loadSeconds: number;
}

function openPool(url: string, max = 2): pg.Pool {
  return createPool({ connectionString: url, max, options: '-c search_path=cx,public' });
}

/** Every simulated day but the last through ingest (triggers on, so it is what writers make). */
async function loadHistory(url: string): Promise<History> {
  const db = openPool(url);
  const client = connect({ pool: db });
  try {
    const perDay = Math.round(history / days);
    const { plan, world } = await prepareSimulation(db, { interactions: history + perDay, days: days + 1 });
    let batch: IngestInteraction[] = [];
    let loaded = 0;
    const lastDay = new Date(plan.end.getTime() - 86_400_000);
    const lastDayStart = new Date(Math.floor(lastDay.getTime() / 86_400_000) * 86_400_000);
    const newDay: IngestInteraction[] = [];
    const loadSeconds = await seconds(async () => {
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
    console.log(
      `history: ${loaded} interactions over ${days} days loaded through ingest in ${loadSeconds.toFixed(0)} s`,
    );
    // the timed rebuild recomputes every bucket: the history's own log would only do it twice
    await db.query('delete from cx_private.metric_bucket_log');
    return { world, newDay, loaded, loadSeconds };
  } finally {
    await client.close();
    await db.end();
  }
}

// JSON keeps a Date as its ISO string: the kept history's new day gets its timestamps back
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const reviveDates = (_key: string, value: unknown) =>
  typeof value === 'string' && ISO_TIMESTAMP.test(value) ? new Date(value) : value;

/** The kept history database: loaded on the first run (a half-loaded one is loaded again), read after. */
async function keptHistory(rootConnectionString: string, name: string): Promise<History> {
  const exists = await onRootDatabase(
    rootConnectionString,
    async (root) => (await root.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1,
  );
  if (exists) {
    const db = openPool(withDatabaseName(rootConnectionString, name));
    try {
      // the row is written after the load: a database without it was left half-loaded
      const { rows: table } = await db.query(
        "select to_regclass('carepulse_bench.kept_history') is not null as written",
      );
      const found = table[0]?.written
        ? await db.query<{ history: string }>(
            'select history::text as history from carepulse_bench.kept_history',
          )
        : { rows: [] };
      if (found.rows[0]) {
        const kept = JSON.parse(found.rows[0].history, reviveDates) as History;
        console.log(
          `history: ${kept.loaded} interactions over ${days} days, kept in ${name} (loaded in ${kept.loadSeconds.toFixed(0)} s)`,
        );
        return kept;
      }
    } finally {
      await db.end();
    }
    console.log(`history: ${name} was left half-loaded; loading it again`);
    await dropDatabase(rootConnectionString, name);
  }
  const url = await createDatabase(rootConnectionString, name);
  await migrateDatabase({ connectionString: url, rootConnectionString });
  const loaded = await loadHistory(url);
  const db = openPool(url);
  try {
    await db.query('create schema carepulse_bench');
    await db.query('create table carepulse_bench.kept_history (history jsonb not null)');
    await db.query('insert into carepulse_bench.kept_history values ($1)', [JSON.stringify(loaded)]);
  } finally {
    await db.end();
  }
  return loaded;
}

/** The timed phases, on a database that holds the history (its bucket log empty). */
async function measure(url: string, { world, newDay }: History): Promise<void> {
  const db = openPool(url, WRITERS + 2);
  const client = connect({ pool: db });
  try {
    await db.query('analyze');
    const rebuild = await seconds(async () => {
      await db.query('select cx.rebuild_daily_metrics()');
      await db.query('select * from cx.refresh_metrics()');
    });
    console.log(`full rebuild of the daily tables:        ${rebuild.toFixed(2)} s`);
    const incremental = await seconds(async () => {
      for (let i = 0; i < newDay.length; i += 10_000)
        await client.interactions.ingest(newDay.slice(i, i + 10_000));
    });
    const buckets = (
      await db.query<{ channel: string; agent: string }>(
        `select count(distinct (metric_date, bucket_key)) filter (where bucket_kind = 'channel') as channel,
                count(distinct (metric_date, bucket_key)) filter (where bucket_kind = 'agent') as agent
           from cx_private.metric_bucket_log`,
      )
    ).rows[0];
    const refreshNewDay = await seconds(() => db.query('select * from cx.refresh_metrics()'));
    console.log(
      `one new day (${newDay.length} interactions): ingest ${incremental.toFixed(1)} s, refresh ${refreshNewDay.toFixed(2)} s (${buckets?.channel} channel and ${buckets?.agent} agent buckets)`,
    );
    console.log(`incremental / full (goal < 0.05):        ${(refreshNewDay / rebuild).toFixed(3)}`);
    await db.query('select cx.refresh_materialized_views()');
    const scorecardView = await median(db, 'select * from cx.channel_scorecard_30d');
    console.log(`30-day scorecard, view (median of 20):   ${scorecardView.toFixed(1)} ms (goal < 20 ms)`);
    const scorecardLive = await median(
      db,
      "select * from cx.metric_values(cx.reporting_day(now()) - 29, cx.reporting_day(now()), 'channel')",
    );
    const refreshViews = await seconds(() => db.query('select cx.refresh_materialized_views()'));
    console.log(
      `30-day scorecard, live metric_values:    ${scorecardLive.toFixed(1)} ms; view refresh ${refreshViews.toFixed(2)} s`,
    );

    const customers = (await db.query('select customer_id from cx.customers limit 2000')).rows.map(
      (r) => r.customer_id as string,
    );
    const agentId = world.humans[0]?.agentId as string;
    const channelId = world.channelIds.chatbot;
    const { on, off } = await writerThroughput(db, client, customers, channelId, agentId);
    console.log(
      `8 writers, machinery on: ${on.toFixed(0)} contacts/s; off: ${off.toFixed(0)} contacts/s; on / off (goal >= 0.85): ${(on / off).toFixed(2)}`,
    );
  } finally {
    await client.close();
    await db.end();
  }
}

installSignalHandlers();
await withDatabase(async ({ rootConnectionString }) => {
  if (!values.keep)
    return withScratchDatabase(rootConnectionString, 'carepulse_bench_metrics', async (url) =>
      measure(url, await loadHistory(url)),
    );
  const keptName = `carepulse_bench_history_${history}_${days}`;
  const kept = await keptHistory(rootConnectionString, keptName);
  // a file copy of the kept database (PostgreSQL 15+), migrated to what this checkout ships
  const cloneName = uniqueDatabaseName('carepulse_bench_metrics');
  await onRootDatabase(rootConnectionString, (root) =>
    root.query(
      `create database ${root.escapeIdentifier(cloneName)} template ${root.escapeIdentifier(keptName)} strategy file_copy`,
    ),
  );
  try {
    const url = withDatabaseName(rootConnectionString, cloneName);
    await migrateDatabase({ connectionString: url, rootConnectionString });
    await measure(url, kept);
  } finally {
    await dropDatabase(rootConnectionString, cloneName);
  }
});
