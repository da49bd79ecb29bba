import { type Command, InvalidArgumentError } from 'commander';
import { createPool } from '../../db/pool.js';
import { withDatabase } from '../../db/with-database.js';
import { migrateDatabase } from '../../migrate/migrate.js';
import { simulate } from '../../simulate/load.js';
import { wholeNumber } from '../arguments.js';
import { progressReporter } from '../progress.js';

function day(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return at;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('load a realistic, deterministic wireless-carrier workload through the bulk path')
    .option('--days <n>', 'days of data, ending with --end', wholeNumber, 30)
    .option('--interactions <n>', 'interactions in all', wholeNumber, 10_000)
    .option(
      '--customers <n>',
      'customers (default: a quarter of the interactions, at least 100)',
      wholeNumber,
    )
    .option('--seed <n>', 'the same seed and end give the same data', wholeNumber, 1)
    .option('--end <date>', 'last day (YYYY-MM-DD, default today: data then stops now)', day)
    .option('--batch <n>', 'interactions per transaction', wholeNumber, 5000)
    .option('--quiet', 'no progress bar')
    .action(
      async (options: {
        days: number;
        interactions: number;
        customers?: number;
        seed: number;
        end?: Date;
        batch: number;
        quiet?: boolean;
      }) => {
        await withDatabase(async (db) => {
          await migrateDatabase(db);
          const pool = createPool({ connectionString: db.connectionString, max: 2 });
          const progress = progressReporter(options.quiet ?? false);
          const started = Date.now();
          try {
            const summary = await simulate(pool, {
              days: options.days,
              interactions: options.interactions,
              customers: options.customers,
              seed: options.seed,
              end: options.end,
              batchSize: options.batch,
              onProgress: progress.report,
            });
            progress.stop();
            const seconds = (Date.now() - started) / 1000;
            const { plan } = summary;
            console.log(
              `simulated ${summary.interactions} interactions (${summary.steps} steps) of ${summary.customers} customers over ${plan.days} days ending ${plan.end.toISOString()}, seed ${plan.seed}: ` +
                `${summary.feedback} survey answers, ${summary.journeys} journeys (${summary.touchpoints} touchpoints), ${summary.outcomes} outcomes, ${summary.agents} agents; ` +
                `${seconds.toFixed(1)} s (${Math.round(summary.interactions / seconds)} interactions/s)`,
            );
          } finally {
            progress.stop();
            await pool.end();
          }
        });
      },
    );
}
