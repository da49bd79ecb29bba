import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { databaseName, withDatabaseName } from '../../db/database.js';
import { withDatabase } from '../../db/with-database.js';
import { ensureDatabase } from '../../migrate/migrate.js';
import { packageRoot } from '../../migrate/package-paths.js';

/**
 * For schema authors: runs graphile-migrate (watch, commit, reset, status, ...) against carepulse's
 * database with the connection strings .gmrc reads from the environment, shadow database included.
 */
export function registerGraphileMigrateCommand(program: Command): void {
  program
    .command('gm')
    .description(
      'run graphile-migrate against this database, e.g. "carepulse gm watch" or "carepulse gm commit"',
    )
    .argument('[args...]', 'graphile-migrate arguments')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (args: string[]) => {
      await withDatabase(async (db) => {
        await ensureDatabase(db);
        const cli = createRequire(import.meta.url).resolve('graphile-migrate/dist/cli.js');
        const env = {
          ...process.env,
          DATABASE_URL: db.connectionString,
          SHADOW_DATABASE_URL:
            process.env.SHADOW_DATABASE_URL ||
            withDatabaseName(db.connectionString, `${databaseName(db.connectionString)}_shadow`),
          ROOT_DATABASE_URL: db.rootConnectionString,
        };
        const code = await new Promise<number>((resolve) => {
          spawn(process.execPath, [cli, ...args], { cwd: packageRoot, env, stdio: 'inherit' }).on(
            'close',
            (c) => resolve(c ?? 1),
          );
        });
        process.exitCode = code;
      });
    });
}
