import type { Command } from 'commander';
import { withDatabase } from '../../db/with-database.js';
import { migrateDatabase } from '../../migrate/migrate.js';
import { treatSignalsAsNormalExit, untilSignalled } from '../shutdown.js';
import { migrationSummary } from './migrate.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('the main job: bring the database up, migrate it, and keep running until Ctrl-C')
    .action(async () => {
      treatSignalsAsNormalExit();
      await withDatabase(async (db) => {
        console.log(migrationSummary(db, await migrateDatabase(db)));
        console.log(`carepulse is ready. Connect with:\n  ${db.connectionString}`);
        console.log(
          db.startedHere
            ? 'Press Ctrl-C to stop (this also stops the embedded server carepulse started).'
            : 'Press Ctrl-C to stop.',
        );
        await untilSignalled();
      });
    });
}
