import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { MigrationError } from '../errors.js';
import { committedMigrationsFolder } from './package-paths.js';

export interface CommittedMigration {
  filename: string;
  hash: string;
}

/** The migrations this version of carepulse ships, from the `--! Hash:` headers graphile-migrate writes. */
export async function shippedMigrations(folder = committedMigrationsFolder): Promise<CommittedMigration[]> {
  const files = (await readdir(folder)).filter((name) => /^\d+.*\.sql$/.test(name)).sort();
  return Promise.all(
    files.map(async (filename) => {
      const text = await readFile(join(folder, filename), 'utf8');
      const hash = /^--! Hash: (\S+)$/m.exec(text)?.[1];
      if (!hash) throw new MigrationError(`committed migration ${filename} has no "--! Hash:" header`);
      // graphile-migrate records "000001.sql" for "000001-some-message.sql"
      return { filename: `${/^\d+/.exec(filename)?.[0]}.sql`, hash };
    }),
  );
}

/** What graphile-migrate recorded as applied; empty before the first migration. */
export async function appliedMigrations(client: pg.ClientBase): Promise<CommittedMigration[]> {
  const {
    rows: [table],
  } = await client.query<{ present: boolean }>(
    "select to_regclass('graphile_migrate.migrations') is not null as present",
  );
  if (!table?.present) return [];
  const { rows } = await client.query<CommittedMigration>(
    'select filename, hash from graphile_migrate.migrations order by filename',
  );
  return rows;
}

/**
 * A database migrated by a newer carepulse (or by a branch) holds migrations this code does not
 * know; migrating it would mix two schemas. graphile-migrate alone says "Already up to date".
 */
export function assertNoUnknownMigrations(
  applied: CommittedMigration[],
  shipped: CommittedMigration[],
): void {
  const known = new Map(shipped.map((m) => [m.filename, m.hash]));
  for (const migration of applied) {
    const hash = known.get(migration.filename);
    if (hash === undefined) {
      throw new MigrationError(
        `the database holds migration ${migration.filename}, which this version of carepulse does not know (it was migrated by a newer or different carepulse); refusing to migrate`,
      );
    }
    if (hash !== migration.hash) {
      throw new MigrationError(
        `the database's migration ${migration.filename} has hash ${migration.hash}, but this version of carepulse ships ${hash}; refusing to migrate a database whose history differs`,
      );
    }
  }
}
