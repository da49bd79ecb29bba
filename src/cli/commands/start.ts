import type { Command } from 'commander';
import { withDatabase } from '../../db/with-database.js';
import { migrateDatabase } from '../../migrate/migrate.js';
import { treatSignalsAsNormalExit } from '../shutdown.js';
import { migrationSummary } from './migrate.js';
import { runWorkerUntilSignalled } from './worker.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'the main job: bring the database up, migrate it, and run the worker (one line per job) until Ctrl-C',
    )
    .action(async () => {
      treatSignalsAsNormalExit();
      await withDatabase(async (db) => {
        console.log(migrationSummary(db, await migrateDatabase(db)));
        await runWorkerUntilSignalled(db, {}, () => {
          console.log(`carepulse is ready. Connect with:\n  ${db.connectionString}`);
          console.log('The worker keeps the daily metrics current; it prints one line per job.');
          console.log(
            db.startedHere
              ? 'Press Ctrl-C to stop (this also stops the embedded server carepulse started).'
              : 'Press Ctrl-C to stop.',
          );
        });
      });
    });
}
