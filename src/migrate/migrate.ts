import { migrate as graphileMigrate, Logger as MigrateLogger, type Settings } from 'graphile-migrate';
import { runMigrations as installWorkerSchema, Logger as WorkerLogger } from 'graphile-worker';
import pg from 'pg';
import { onRootDatabase } from '../db/admin.js';
import { asConnectionError, describeTarget } from '../db/connection-errors.js';
import { databaseName } from '../db/database.js';
import { createPool } from '../db/pool.js';
import { ConnectionError, MigrationError } from '../errors.js';
import { registerTaskIdentifiers } from '../worker/task-identifiers.js';
import { appliedMigrations, assertNoUnknownMigrations, shippedMigrations } from './committed-migrations.js';
import { releaseGraphileMigratePools } from './graphile-migrate-pools.js';
import { migrationsFolder } from './package-paths.js';

export const MINIMUM_SERVER_VERSION = 150000;

export interface MigrationTarget {
  connectionString: string;
  rootConnectionString: string;
}

export interface MigrationReport {
  createdDatabase: boolean;
  applied: number;
  total: number;
}

function graphileMigrateSettings(target: MigrationTarget): Settings {
  return {
    connectionString: target.connectionString,
    rootConnectionString: target.rootConnectionString,
    migrationsFolder,
  };
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw asConnectionError(error, connectionString);
  }
  return client;
}

/**
 * carepulse's database must not be the maintenance database it creates databases from (the
 * `postgres` of DATABASE_URL's server, unless ROOT_DATABASE_URL says otherwise): graphile-migrate
 * refuses that in a multi-line message, and the schema does not belong there anyway.
 */
function assertOwnDatabase(target: MigrationTarget): void {
  if (describeTarget(target.connectionString) !== describeTarget(target.rootConnectionString)) return;
  const example = new URL(target.connectionString);
  example.password = '';
  example.pathname = '/carepulse';
  throw new ConnectionError(
    `DATABASE_URL names the database ${databaseName(target.connectionString)}, which carepulse uses to create databases (ROOT_DATABASE_URL); name a database of carepulse's own, for example ${example.toString()}`,
  );
}

/** Creates the database when the server does not have it yet; returns whether it did. */
export async function ensureDatabase(target: MigrationTarget): Promise<boolean> {
  assertOwnDatabase(target);
  const name = databaseName(target.connectionString);
  return onRootDatabase(target.rootConnectionString, async (root) => {
    const { rowCount } = await root.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    await root.query(`create database ${root.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created concurrently by another command: fine
    });
    return true;
  });
}

/**
 * Brings a database to this version of carepulse's schema: creates it if missing, installs or
 * upgrades the schemas of the tools that keep their own (graphile-worker), refuses a database that
 * holds migrations this code does not know, then applies the committed migrations. Safe to repeat.
 */
export async function migrateDatabase(target: MigrationTarget): Promise<MigrationReport> {
  const createdDatabase = await ensureDatabase(target);
  const shipped = await shippedMigrations();
  const client = await connect(target.connectionString);
  let before: number;
  try {
    const {
      rows: [server],
    } = await client.query<{ version: string; num: number }>(
      "select current_setting('server_version') as version, current_setting('server_version_num')::int as num",
    );
    if (!server || server.num < MINIMUM_SERVER_VERSION) {
      throw new ConnectionError(`carepulse needs PostgreSQL 15 or later; the server runs ${server?.version}`);
    }
    const applied = await appliedMigrations(client);
    assertNoUnknownMigrations(applied, shipped);
    before = applied.length;
  } finally {
    await client.end();
  }
  // graphile-migrate's afterReset runs on reset only, so the tools' schemas are installed here
  // our own pool, ended here: graphile-worker's would outlive the call and fail when the database goes
  const workerPool = createPool({ connectionString: target.connectionString, max: 1 }, () => {});
  try {
    await installWorkerSchema({ pgPool: workerPool, logger: quietWorkerLogger });
    await registerTaskIdentifiers(workerPool);
  } finally {
    await workerPool.end();
  }
  await graphileMigrate({ ...graphileMigrateSettings(target), logger: quietMigrateLogger });
  // graphile-migrate keeps its pool 200 ms after use and exits the process if that pool errors,
  // as it does when the database is dropped within that time (scratch and test databases)
  releaseGraphileMigratePools();
  await createUpcomingPartitions(target.connectionString);
  return { createdDatabase, applied: shipped.length - before, total: shipped.length };
}

/**
 * Commands that need this version's schema but do not migrate (worker, refresh) refuse a database
 * that is behind or ahead, in one line, instead of failing job after job.
 */
export async function assertMigrated(connectionString: string): Promise<void> {
  const shipped = await shippedMigrations();
  const client = await connect(connectionString);
  try {
    const applied = await appliedMigrations(client);
    assertNoUnknownMigrations(applied, shipped);
    if (applied.length < shipped.length) {
      throw new MigrationError(
        `database ${databaseName(connectionString)} has ${applied.length} of ${shipped.length} migrations applied; run "carepulse migrate" first`,
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * For commands that only read the data model (report): the schema must be there, but they ask
 * for nothing else — not graphile-migrate's schema, which a read-only role may not see.
 */
export async function assertDataModel(connectionString: string): Promise<void> {
  const client = await connect(connectionString);
  try {
    const { rows } = await client.query<{ present: boolean }>(
      "select to_regnamespace('cx') is not null as present",
    );
    if (!rows[0]?.present) {
      throw new MigrationError(
        `database ${databaseName(connectionString)} has no carepulse schema (cx); run "carepulse migrate" first`,
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * Monthly partitions depend on today's date, so no migration can create them: every migrate makes
 * sure last month, this month and the next two exist (the worker keeps creating them ahead).
 */
async function createUpcomingPartitions(connectionString: string): Promise<void> {
  const client = await connect(connectionString);
  try {
    await client.query("select cx.create_monthly_partitions(now() - interval '1 month', 4)");
  } finally {
    await client.end();
  }
}

/** The tools' own progress lines would drown ours; warnings and errors still show. */
function onlyProblems(prefix: string) {
  return () => (level: unknown, message: string) => {
    if (level === 'error' || level === 'warning') console.error(`${prefix}${message}`);
  };
}
const quietWorkerLogger = new WorkerLogger(onlyProblems('graphile-worker: '));
const quietMigrateLogger = new MigrateLogger(onlyProblems(''));
