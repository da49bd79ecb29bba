import type pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { databaseName } from '../../src/db/database.js';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { prepareSimulation, simulate } from '../../src/simulate/load.js';
import { exited, runCli, spawnCli } from '../support/cli.js';
import { withSecondDatabase } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * A simulation that cannot finish (sizes of nothing) is refused before anything is written; one that
 * stopped half-way (killed, or failed) is refused by the next run with the way out, and
 * `simulate --reset` removes it whole, leaving the database as migrate leaves it.
 */
const test = suite('simulate: sizes, half-finished runs and --reset');

const SMALL = [
  '--days',
  '2',
  '--interactions',
  '400',
  '--customers',
  '120',
  '--seed',
  '3',
  '--end',
  '2026-11-10',
];

/** Rows of every table of the data model (partitions counted in their parent). */
async function rowCounts(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ name: string }>(`
    select format('%I.%I', n.nspname, c.relname) as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('cx', 'cx_private') and c.relkind in ('r', 'p') and not c.relispartition
     order by 1`);
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const result = await pool.query<{ n: number }>(`select count(*)::int as n from ${name}`);
    counts[name] = result.rows[0]?.n ?? -1;
  }
  return counts;
}

async function agentCount(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ n: number }>('select count(*)::int as n from cx.agents')).rows[0]?.n ?? -1;
}

test('--batch 0 is refused at once, before anything is written', async () => {
  await withSecondDatabase(async (pool, connectionString) => {
    const child = spawnCli(['simulate', ...SMALL, '--batch', '0'], {
      env: { DATABASE_URL: connectionString },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    // it used to loop for ever: give it 30 s, then stop it and fail
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited(child);
    clearTimeout(timer);
    assert.is(code, 1, `exit code; stderr: ${stderr}`);
    assert.match(
      stderr,
      "error: option '--batch <n>' argument '0' is invalid. expected a whole number of at least 1",
    );
    assert.is(await agentCount(pool), 0);
    // the library refuses it too
    const error = await rejection(
      simulate(pool, { interactions: 400, customers: 120, days: 2, batchSize: 0 }),
    );
    assert.instance(error, ValidationError);
    assert.is(error.message, 'batchSize must be a whole number from 1 to 1000000, got 0');
    assert.is(await agentCount(pool), 0);
  });
});

test('the reference data and staff are created all or nothing', async () => {
  await withSecondDatabase(async (pool) => {
    // the first supervisor's code is taken: creating the staff fails after the types, plans and bots
    await given.agent(pool, 'SIM-S01', 'supervisor');
    const error = await rejection(prepareSimulation(pool, { interactions: 400, customers: 120, days: 2 }));
    assert.instance(error, ConflictError);
    const counts = await rowCounts(pool);
    assert.equal(
      [
        counts['cx.interaction_types'],
        counts['cx.service_plans'],
        counts['cx.survey_templates'],
        counts['cx.knowledge_base'],
        counts['cx.agents'],
      ],
      [0, 0, 0, 0, 1],
    );
  });
});

test('a half-finished simulation is refused with the way out; --reset --yes removes it whole', async () => {
  await withSecondDatabase(async (pool, connectionString) => {
    const env = { DATABASE_URL: connectionString };
    const name = databaseName(connectionString);
    const asMigrated = await rowCounts(pool);
    // what a run killed after its customers and agent shifts leaves behind
    await prepareSimulation(pool, {
      interactions: 400,
      customers: 120,
      days: 2,
      end: new Date('2026-11-10T00:00:00Z'),
    });
    const agents = await agentCount(pool);
    assert.ok(agents > 2, `${agents} agents`);

    const again = await runCli(['simulate', ...SMALL, '--quiet'], { env });
    assert.is(again.code, 1);
    assert.is(
      again.stderr.trim(),
      'carepulse: this database already holds a simulation, perhaps a half-finished one (agent SIM-BOT-CHAT exists): remove it with "carepulse simulate --reset", or simulate into another database',
    );

    // no terminal to ask at, and no --yes: nothing is removed
    const unconfirmed = await runCli(['simulate', '--reset'], { env });
    assert.is(unconfirmed.code, 1);
    assert.is(
      unconfirmed.stderr.trim(),
      `carepulse: simulate --reset removes all customers, contacts, agents and reference data from ${name}; confirm at a terminal or pass --yes`,
    );
    assert.is(await agentCount(pool), agents);

    const reset = await runCli(['simulate', '--reset', '--yes'], { env });
    assert.is(reset.code, 0, reset.stderr);
    assert.is(
      reset.stdout.trim(),
      `removed 120 customers, 0 interactions and ${agents} agents from ${name}; it is as migrated`,
    );
    assert.equal(await rowCounts(pool), asMigrated);

    const fresh = await runCli(['simulate', ...SMALL, '--quiet'], { env });
    assert.is(fresh.code, 0, fresh.stderr);
    // a whole simulation, its daily tables refreshed, goes the same way
    await pool.query('select * from cx.refresh_metrics()');
    const { rows } = await pool.query<{ interactions: number; agents: number }>(
      'select (select count(*)::int from cx.customer_interactions) as interactions, (select count(*)::int from cx.agents) as agents',
    );
    const whole = await runCli(['simulate', '--reset', '--yes'], { env });
    assert.is(whole.code, 0, whole.stderr);
    assert.is(
      whole.stdout.trim(),
      `removed 120 customers, ${rows[0]?.interactions} interactions and ${rows[0]?.agents} agents from ${name}; it is as migrated`,
    );
    assert.equal(await rowCounts(pool), asMigrated);
    const disabled = await pool.query("select tgname from pg_trigger where tgenabled = 'D'");
    assert.equal(disabled.rows, [], 'every trigger is on again');
  });
});

test('--reset --help says what it removes and how to confirm', async () => {
  const help = await runCli(['simulate', '--help']);
  assert.is(help.code, 0, help.stderr);
  assert.match(
    help.stdout,
    /--reset\s+remove all data \(customers, contacts, agents, reference\s+data\), leaving the database as migrated; asks first/,
  );
  assert.match(help.stdout, /--yes\s+with --reset: do not ask \(for scripts\)/);
});

test.run();
