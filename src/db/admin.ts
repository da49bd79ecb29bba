import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { asConnectionError } from './connection-errors.js';
import { withDatabaseName } from './database.js';

/** Runs statements on the server's maintenance database (create and drop database cannot run in a transaction). */
export async function onRootDatabase<T>(
  rootConnectionString: string,
  run: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: rootConnectionString });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw asConnectionError(error, rootConnectionString);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A database name no one else uses: prefix, process id and random suffix. */
export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export async function createDatabase(
  rootConnectionString: string,
  name: string,
  template?: string,
): Promise<string> {
  await onRootDatabase(rootConnectionString, (client) =>
    client.query(
      `create database ${client.escapeIdentifier(name)}${template ? ` template ${client.escapeIdentifier(template)}` : ''}`,
    ),
  );
  return withDatabaseName(rootConnectionString, name);
}

/** Drops a database even when a connection was left open (PostgreSQL 13+: with (force)). */
export async function dropDatabase(rootConnectionString: string, name: string): Promise<void> {
  await onRootDatabase(rootConnectionString, (client) =>
    client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`),
  );
}
