import type { Command } from 'commander';
import type { DatabaseTarget } from '../../db/database.js';
import { databaseName } from '../../db/database.js';
import { withDatabase } from '../../db/with-database.js';
import { type MigrationReport, migrateDatabase } from '../../migrate/migrate.js';

export function migrationSummary(db: DatabaseTarget, report: MigrationReport): string {
  const name = databaseName(db.connectionString);
  const created = report.createdDatabase ? `created database ${name}; ` : '';
  const plural = (n: number) => `${n} migration${n === 1 ? '' : 's'}`;
  return report.applied > 0
    ? `${created}applied ${plural(report.applied)} to ${name} (${report.total} in all)`
    : `${created}${name} is up to date (${plural(report.total)})`;
}

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('create the database if missing, install the worker schema and apply committed migrations')
    .action(async () => {
      await withDatabase(async (db) => {
        console.log(migrationSummary(db, await migrateDatabase(db)));
      });
    });
}
