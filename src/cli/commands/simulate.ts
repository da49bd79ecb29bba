import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { createPool } from '../../db/pool.js';
import { withDatabase } from '../../db/with-database.js';
import { migrateDatabase } from '../../migrate/migrate.js';
import { type SimulationProgress, simulate } from '../../simulate/load.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a whole number');
  return n;
}

function day(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return at;
}

const PHASES: Record<SimulationProgress['phase'], string> = {
  world: 'reference data',
  customers: 'customers',
  agents: 'agent shifts',
  interactions: 'interactions',
};

/** One bar per phase, with rate and ETA; on a pipe (no TTY) one line per phase instead. */
function progressReporter(quiet: boolean): {
  report: (p: SimulationProgress) => void;
  stop: () => void;
} {
  let bar: SingleBar | undefined;
  let phase: string | undefined;
  let phaseStarted = Date.now();
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    report(p) {
      if (quiet) return;
      if (p.phase !== phase) {
        stop();
        phase = p.phase;
        phaseStarted = Date.now();
        if (!process.stderr.isTTY) console.error(`simulate: ${PHASES[p.phase]}…`);
        bar = new SingleBar({
          format: `${PHASES[p.phase].padEnd(15)} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
          noTTYOutput: false,
          stream: process.stderr,
          etaBuffer: 50,
          hideCursor: true,
        });
        bar.start(p.total, p.done, { rate: 0 });
      }
      const elapsed = (Date.now() - phaseStarted) / 1000;
      bar?.update(p.done, { rate: elapsed > 0 ? Math.round(p.done / elapsed) : 0 });
    },
  };
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
