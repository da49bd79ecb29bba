/**
 * Bulk-path benchmark (issue 4): loads N interactions (about three steps each) through
 * client.interactions.ingest, then copies the very same rows with raw COPY into tables with the
 * same columns and indexes but no triggers and no foreign keys, and into bare index-less tables,
 * all in one run on one server, and prints rows/s, peak memory and the ratios.
 *
 *   node --import tsx bench/ingest.ts [--interactions 100000] [--batch 10000]
 *
 * Until the simulator lands the workload is synthetic: 20k customers, bot conversations of which
 * a third escalate (bot, queue, human steps), spread over the last 30 days.
 */
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { installSignalHandlers } from '../src/cli/shutdown.js';
import { connect } from '../src/client/connect.js';
import type { IngestInteraction } from '../src/client/ingest.js';
import { withDatabase } from '../src/db/with-database.js';
import { withScratchDatabase } from '../src/migrate/scratch-database.js';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '10000' },
  },
});
const total = Number(values.interactions);
const batchSize = Number(values.batch);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

function* workload(customers: string[], channelId: string, agentId: string): Generator<IngestInteraction> {
  const start = Date.now() - 30 * 86_400_000;
  for (let i = 0; i < total; i += 1) {
    const at = new Date(start + Math.floor((i * 30 * 86_400_000) / total));
    const minute = (n: number) => new Date(at.getTime() + n * 60_000);
    const escalates = i % 3 === 0;
    yield {
      customerId: customers[i % customers.length] as string,
      channelId,
      initialMode: 'bot',
      startTimestamp: at,
      endTimestamp: minute(escalates ? 12 : 4),
      steps: escalates
        ? [
            { stepType: 'bot', startedAt: at, endedAt: minute(2) },
            { stepType: 'queue', startedAt: minute(2), endedAt: minute(3) },
            { stepType: 'human', agentId, startedAt: minute(3), endedAt: minute(12) },
          ]
        : [{ stepType: 'bot', startedAt: at, endedAt: minute(4) }],
    };
  }
}

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
    await admin.query(
      "insert into cx.customers (msisdn, customer_type, region) select '+49151' || lpad(i::text, 8, '0'), 'postpaid', case when i % 2 = 0 then 'R9' else 'DEUR' end from generate_series(1, 20000) i",
    );
    const customers = (
      await admin.query('select customer_id from cx.customers order by customer_id')
    ).rows.map((r) => r.customer_id);
    const channelId = (await admin.query("select channel_id from cx.channels where channel_name = 'chatbot'"))
      .rows[0].channel_id;
    const agentId = (
      await admin.query(
        "insert into cx.agents (agent_code, agent_name, agent_type) values ('bench', 'bench', 'human') returning agent_id",
      )
    ).rows[0].agent_id;

    const client = connect({ connectionString: url });
    const started = performance.now();
    let batch: IngestInteraction[] = [];
    for (const interaction of workload(customers, channelId, agentId)) {
      batch.push(interaction);
      if (batch.length === batchSize) {
        await client.interactions.ingest(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await client.interactions.ingest(batch);
    const ingestMs = performance.now() - started;
    await client.close();

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
      `ingest (client, batches of ${batchSize}): ${(ingestMs / 1000).toFixed(1)} s, ${perSecond(ingestMs)} rows/s, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
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
