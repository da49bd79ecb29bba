import type pg from 'pg';
import { suite, type Test } from 'uvu';
import { type CarepulseClient, connect } from '../../src/client/connect.js';
import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../src/db/admin.js';
import { createPool } from '../../src/db/pool.js';
import { acquireTestServer, releaseTestServer } from './test-server.js';

export interface DatabaseContext {
  /** A pool on this suite's own database, with cx first on the search_path. */
  pool: pg.Pool;
  connectionString: string;
  rootConnectionString: string;
  databaseName: string;
  /** A carepulse client on the same database (shares the pool). */
  client: CarepulseClient;
}

/**
 * A uvu suite whose tests share one database of their own, cloned from the migrated template
 * (fast: no migrations per suite) and dropped after the suite. Suites never see each other's rows.
 */
export function databaseSuite(name: string): Test<DatabaseContext> {
  const test = suite<DatabaseContext>(name, {} as DatabaseContext);
  test.before(async (context) => {
    const server = await acquireTestServer();
    const databaseName = uniqueDatabaseName('carepulse_test');
    const connectionString = await createDatabase(
      server.rootConnectionString,
      databaseName,
      server.templateDatabase,
    );
    context.databaseName = databaseName;
    context.connectionString = connectionString;
    context.rootConnectionString = server.rootConnectionString;
    // UTC: messages that print timestamps read the same on every server
    context.pool = createPool({
      connectionString,
      max: 4,
      options: '-c search_path=cx,public -c TimeZone=UTC',
    });
    context.client = connect({ pool: context.pool });
  });
  test.after(async (context) => {
    await context.pool?.end();
    if (context.databaseName) await dropDatabase(context.rootConnectionString, context.databaseName);
    await releaseTestServer();
  });
  return test;
}

/** Runs `block` in a transaction that is always rolled back: nothing it writes outlives it. */
export async function inRollbackTransaction<T>(
  pool: pg.Pool,
  block: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    return await block(client);
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

/** Another database cloned from the migrated template, for tests that compare two databases. */
export async function withSecondDatabase<T>(
  block: (pool: pg.Pool, connectionString: string) => Promise<T>,
): Promise<T> {
  const server = await acquireTestServer();
  const databaseName = uniqueDatabaseName('carepulse_test');
  const connectionString = await createDatabase(
    server.rootConnectionString,
    databaseName,
    server.templateDatabase,
  );
  const pool = createPool({ connectionString, max: 4, options: '-c search_path=cx,public -c TimeZone=UTC' });
  try {
    return await block(pool, connectionString);
  } finally {
    await pool.end();
    await dropDatabase(server.rootConnectionString, databaseName);
    await releaseTestServer();
  }
}
