import pg from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dropDatabase, uniqueDatabaseName } from '../../src/db/admin.js';
import { withDatabaseName } from '../../src/db/database.js';
import { MigrationError } from '../../src/errors.js';
import { shippedMigrations } from '../../src/migrate/committed-migrations.js';
import { migrateDatabase } from '../../src/migrate/migrate.js';
import { runCli } from '../support/cli.js';
import { acquireTestServer, releaseTestServer } from '../support/test-server.js';

/** Migrating from nothing, again, and refusing databases from another version. Each test has its own database. */
const test = suite<{ root: string; made: string[] }>('carepulse migrate', { root: '', made: [] });

test.before(async (context) => {
  context.root = (await acquireTestServer()).rootConnectionString;
});
test.after(async ({ root, made }) => {
  for (const name of made) await dropDatabase(root, name);
  await releaseTestServer();
});

function newDatabase(context: { root: string; made: string[] }): {
  connectionString: string;
  rootConnectionString: string;
} {
  const name = uniqueDatabaseName('carepulse_migrate');
  context.made.push(name);
  return { connectionString: withDatabaseName(context.root, name), rootConnectionString: context.root };
}

async function query<T extends pg.QueryResultRow>(connectionString: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

test('creates a missing database, installs the worker schema and applies every migration; twice is harmless', async (context) => {
  const target = newDatabase(context);
  const shipped = await shippedMigrations();
  const first = await migrateDatabase(target);
  assert.equal(first, { createdDatabase: true, applied: shipped.length, total: shipped.length });
  const second = await migrateDatabase(target);
  assert.equal(second, { createdDatabase: false, applied: 0, total: shipped.length });

  const schemas = await query<{ nspname: string }>(
    target.connectionString,
    "select nspname from pg_namespace where nspname in ('cx', 'cx_private', 'graphile_worker', 'graphile_migrate') order by 1",
  );
  assert.equal(
    schemas.map((s) => s.nspname),
    ['cx', 'cx_private', 'graphile_migrate', 'graphile_worker'],
  );
  const recorded = await query<{ filename: string }>(
    target.connectionString,
    'select filename from graphile_migrate.migrations order by filename',
  );
  assert.equal(
    recorded.map((r) => r.filename),
    shipped.map((m) => m.filename),
  );
});

test('a database holding a migration this code does not know is refused', async (context) => {
  const target = newDatabase(context);
  await migrateDatabase(target);
  const [last] = await query<{ hash: string }>(
    target.connectionString,
    'select hash from graphile_migrate.migrations order by filename desc limit 1',
  );
  await query(
    target.connectionString,
    `insert into graphile_migrate.migrations (hash, previous_hash, filename) values ('sha1:future', '${last?.hash}', '999999.sql')`,
  );
  const error = await migrateDatabase(target).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, MigrationError);
  assert.is(
    (error as Error).message,
    'the database holds migration 999999.sql, which this version of carepulse does not know (it was migrated by a newer or different carepulse); refusing to migrate',
  );

  const cli = await runCli(['migrate'], { env: { DATABASE_URL: target.connectionString } });
  assert.is(cli.code, 1);
  assert.is(cli.stderr.trim(), `carepulse: ${(error as Error).message}`);
});

test('a database whose migration differs from the shipped one is refused', async (context) => {
  const target = newDatabase(context);
  await migrateDatabase(target);
  const newest = (await shippedMigrations()).at(-1) as { filename: string; hash: string };
  // the newest one: no later migration refers to its hash
  await query(
    target.connectionString,
    `update graphile_migrate.migrations set hash = 'sha1:edited' where filename = '${newest.filename}'`,
  );
  const error = await migrateDatabase(target).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, MigrationError);
  assert.is(
    (error as Error).message,
    `the database's migration ${newest.filename} has hash sha1:edited, but this version of carepulse ships ${newest.hash}; refusing to migrate a database whose history differs`,
  );
});

test('the CLI migrates a DATABASE_URL database and says what it did', async (context) => {
  const target = newDatabase(context);
  const shipped = await shippedMigrations();
  const name = new URL(target.connectionString).pathname.slice(1);
  const plural = shipped.length === 1 ? 'migration' : 'migrations';
  const first = await runCli(['migrate'], { env: { DATABASE_URL: target.connectionString } });
  assert.is(
    first.stdout.trim(),
    `created database ${name}; applied ${shipped.length} ${plural} to ${name} (${shipped.length} in all)`,
  );
  const second = await runCli(['migrate'], { env: { DATABASE_URL: target.connectionString } });
  assert.is(second.stdout.trim(), `${name} is up to date (${shipped.length} ${plural})`);
});

test.run();
