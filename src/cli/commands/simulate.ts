import { createInterface } from 'node:readline/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type { DatabaseTarget } from '../../db/database.js';
import { databaseName } from '../../db/database.js';
import { createPool } from '../../db/pool.js';
import { withDatabase } from '../../db/with-database.js';
import { CarepulseError } from '../../errors.js';
import { migrateDatabase } from '../../migrate/migrate.js';
import { simulate } from '../../simulate/load.js';
import { removeAllData } from '../../simulate/reset.js';
import { positiveWholeNumber, wholeNumber } from '../arguments.js';
import { progressReporter } from '../progress.js';

function day(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return at;
}

/** Asks at the terminal; without one, only --yes confirms (a script cannot answer a prompt). */
async function confirmed(question: string, refusal: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new CarepulseError(refusal);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CarepulseError('nothing removed');
  } finally {
    prompt.close();
  }
}

async function reset(db: DatabaseTarget, yes: boolean): Promise<void> {
  const name = databaseName(db.connectionString);
  const what = `all customers, contacts, agents and reference data from ${name}`;
  await confirmed(
    `Remove ${what}, leaving it as migrated?`,
    `simulate --reset removes ${what}; confirm at a terminal or pass --yes`,
    yes,
  );
  await migrateDatabase(db);
  const pool = createPool({ connectionString: db.connectionString, max: 1 });
  try {
    const removed = await removeAllData(pool);
    console.log(
      `removed ${removed.customers} customers, ${removed.interactions} interactions and ${removed.agents} agents from ${name}; it is as migrated`,
    );
  } finally {
    await pool.end();
  }
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('load a realistic, deterministic wireless-carrier workload through the bulk path')
    .option('--days <n>', 'days of data, ending with --end', positiveWholeNumber, 30)
    .option('--interactions <n>', 'interactions in all', positiveWholeNumber, 10_000)
    .option(
      '--customers <n>',
      'customers (default: a quarter of the interactions, at least 100)',
      positiveWholeNumber,
    )
    .option('--seed <n>', 'the same seed and end give the same data', wholeNumber, 1)
    .option('--end <date>', 'last day (YYYY-MM-DD, default today: data then stops now)', day)
    .option('--batch <n>', 'interactions per transaction', positiveWholeNumber, 5000)
    .option('--quiet', 'no progress bar')
    .option(
      '--reset',
      'remove all data (customers, contacts, agents, reference data), leaving the database as migrated; asks first',
    )
    .option('--yes', 'with --reset: do not ask (for scripts)')
    .addHelpText(
      'after',
      `
A simulation refuses a database that already holds one. A run stopped half-way (Ctrl-C, a crash)
leaves what it committed; "carepulse simulate --reset" removes it, and any other data, in one
transaction: the channels, settings, metric definitions and thresholds that come with the
migrations stay. It asks first at a terminal; scripts pass --yes.`,
    )
    .action(
      async (options: {
        days: number;
        interactions: number;
        customers?: number;
        seed: number;
        end?: Date;
        batch: number;
        quiet?: boolean;
        reset?: boolean;
        yes?: boolean;
      }) => {
        await withDatabase(async (db) => {
          if (options.reset) return reset(db, options.yes ?? false);
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
