/**
 * Bulk-path benchmark (issue 4): loads N simulated interactions (about 2.7 steps each; `carepulse
 * simulate`'s workload) through client.interactions.ingest, then copies the very same rows with
 * raw COPY into tables with the same columns and indexes but no triggers and no foreign keys, and
 * into bare index-less tables, all in one run on one server, and prints rows/s, peak memory and
 * the ratios. Only the interactions and their steps are timed (the simulator's journeys, surveys
 * and outcomes are left out, and with them the interactions' session ids). Ingest runs as a loading
 * role that is not a superuser (DML on the tables, EXECUTE on the functions), as a deployment's
 * loader would; `--superuser` runs it as the database's owner instead.
 *
 *   node --import tsx bench/ingest.ts [--interactions 1000000] [--batch 10000] [--days 30] [--superuser]
 */
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { installSignalHandlers } from '../src/cli/shutdown.js';
import { connect } from '../src/client/connect.js';
import type { IngestInteraction } from '../src/client/ingest.js';
import { createPool } from '../src/db/pool.js';
import { withDatabase } from '../src/db/with-database.js';
import { withScratchDatabase } from '../src/migrate/scratch-database.js';
import { prepareSimulation } from '../src/simulate/load.js';
import { workload } from '../src/simulate/workload.js';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    days: { type: 'string', default: '30' },
    superuser: { type: 'boolean', default: false },
  },
});
const total = Number(values.interactions);
const batchSize = Number(values.batch);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

async function copyBetween(
  source: pg.Client,
  target: pg.Client,
  query: string,
  table: string,
): Promise<number> {
  const started = performance.now();
  await pipeline(
    source.query(copyTo(`copy (${query}) to stdout`)),
    target.query(copyFrom(`copy ${table} from stdin`)),
  );
  return performance.now() - started;
}

installSignalHandlers();
await withDatabase((db) =>
  withScratchDatabase(db.rootConnectionString, 'carepulse_bench', async (url) => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const setupPool = createPool({ connectionString: url, max: 2 });
    const { plan, world } = await prepareSimulation(setupPool, {
      interactions: total,
      days: Number(values.days),
      seed: 1,
    });
    await setupPool.end();

    const loader = 'carepulse_bench_loader';
    if (!values.superuser) {
      await admin.query(`
        create role ${loader};
        grant usage on schema cx, cx_private to ${loader};
        grant select, insert, update, delete on all tables in schema cx, cx_private to ${loader};
        grant usage on all sequences in schema cx, cx_private to ${loader};
        grant execute on all functions in schema cx, cx_private to ${loader};`);
    }
    const loaderPool = createPool({
      connectionString: url,
      max: 2,
      options: `-c search_path=cx,public${values.superuser ? '' : ` -c role=${loader}`}`,
    });
    const client = connect({ pool: loaderPool });
    let ingestMs = 0;
    let batch: IngestInteraction[] = [];
    const flush = async () => {
      const started = performance.now();
      await client.interactions.ingest(batch);
      ingestMs += performance.now() - started;
      batch = [];
    };
    for (const hour of workload(plan, world)) {
      for (const { sessionId: _journey, ...interaction } of hour.interactions) batch.push(interaction);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    await client.close();
    await loaderPool.end();
    if (!values.superuser) await admin.query(`drop owned by ${loader}; drop role ${loader}`);

    const { rows: counts } = await admin.query(
      'select (select count(*) from cx.customer_interactions)::int as interactions, (select count(*) from cx.interaction_steps)::int as steps',
    );
    const rows = counts[0].interactions + counts[0].steps;

    // the same rows, same columns and indexes, no triggers, no foreign keys; then bare
    await admin.query(`
      create schema bench_raw;
      create table bench_raw.interactions (like cx.customer_interactions including defaults including generated including indexes);
      create table bench_raw.steps (like cx.interaction_steps including defaults including generated including indexes);
      create schema bench_bare;
      create table bench_bare.interactions (like cx.customer_interactions including defaults including generated);
      create table bench_bare.steps (like cx.interaction_steps including defaults including generated);`);
    const columns = async (table: string) =>
      (await admin.query(`select cx_private.insertable_columns('${table}'::regclass) as c`)).rows[0]
        .c as string;
    const interactionColumns = await columns('cx.customer_interactions');
    const stepColumns = await columns('cx.interaction_steps');
    const target = new pg.Client({ connectionString: url });
    await target.connect();
    const copyAll = async (schema: string) =>
      (await copyBetween(
        admin,
        target,
        `select ${interactionColumns} from cx.customer_interactions`,
        `${schema}.interactions (${interactionColumns})`,
      )) +
      (await copyBetween(
        admin,
        target,
        `select ${stepColumns} from cx.interaction_steps`,
        `${schema}.steps (${stepColumns})`,
      ));
    const indexedMs = await copyAll('bench_raw');
    const bareMs = await copyAll('bench_bare');
    await target.end();
    await admin.end();
    clearInterval(sampler);

    const perSecond = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en');
    console.log(`rows: ${counts[0].interactions} interactions + ${counts[0].steps} steps = ${rows}`);
    console.log(
      `ingest (client as ${values.superuser ? 'the owner, a superuser' : 'a loading role, not a superuser'}, batches of ${batchSize}): ${(ingestMs / 1000).toFixed(1)} s, ${perSecond(ingestMs)} rows/s, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
    );
    console.log(
      `raw COPY, same indexes, no triggers:   ${(indexedMs / 1000).toFixed(1)} s, ${perSecond(indexedMs)} rows/s`,
    );
    console.log(
      `raw COPY, no indexes:                  ${(bareMs / 1000).toFixed(1)} s, ${perSecond(bareMs)} rows/s`,
    );
    console.log(`ratio ingest / indexed COPY (goal >= 0.7): ${(indexedMs / ingestMs).toFixed(2)}`);
    console.log(`ratio ingest / bare COPY (reference):      ${(bareMs / ingestMs).toFixed(2)}`);
  }),
);
