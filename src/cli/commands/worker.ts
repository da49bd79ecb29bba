import type { Command } from 'commander';
import type { DatabaseTarget } from '../../db/database.js';
import { databaseName } from '../../db/database.js';
import { withDatabase } from '../../db/with-database.js';
import { assertMigrated } from '../../migrate/migrate.js';
import { DEFAULT_POLL_INTERVAL_MS, runWorker, type WorkerOptions } from '../../worker/run-worker.js';
import { taskIdentifiers } from '../../worker/task-list.js';
import { positiveWholeNumber } from '../arguments.js';
import { onShutdown, treatSignalsAsNormalExit, untilSignalled } from '../shutdown.js';

/**
 * Runs the worker on the database until Ctrl-C or SIGTERM, which stop it gracefully (a running job
 * finishes) before the embedded server stops; ends with an error if the worker stops on its own.
 */
export async function runWorkerUntilSignalled(
  db: DatabaseTarget,
  options: Omit<WorkerOptions, 'connectionString'> = {},
  announce: () => void = () => {},
): Promise<never> {
  const worker = await runWorker({ ...options, connectionString: db.connectionString });
  const unregister = onShutdown(() => worker.stop());
  try {
    announce();
    return await untilSignalled(worker.failed);
  } finally {
    unregister();
    await worker.stop();
  }
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run the background jobs (daily metrics refresh, partitions ahead) until Ctrl-C or SIGTERM; one line per job',
    )
    .option('--concurrency <n>', 'jobs run at the same time', positiveWholeNumber, 1)
    .option(
      '--poll-interval <ms>',
      'how often to look for jobs that became due, in milliseconds',
      positiveWholeNumber,
      DEFAULT_POLL_INTERVAL_MS,
    )
    .action(async (options: { concurrency: number; pollInterval: number }) => {
      treatSignalsAsNormalExit();
      await withDatabase(async (db) => {
        await assertMigrated(db.connectionString);
        await runWorkerUntilSignalled(db, options, () =>
          console.log(
            `worker running on ${databaseName(db.connectionString)} (tasks: ${taskIdentifiers.join(', ')}; ` +
              `concurrency ${options.concurrency}, poll every ${options.pollInterval} ms); Ctrl-C stops it`,
          ),
        );
      });
    });
}
