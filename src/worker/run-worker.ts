import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type LogFunctionFactory, Logger, run, type WorkerEvents } from 'graphile-worker';
import { withClientCheck } from '../db/client-check.js';
import { ReconnectingPool } from '../db/reconnecting-pool.js';
import { CarepulseError } from '../errors.js';
import { parsedCrontab } from './crontab.js';
import { taskList } from './task-list.js';

export interface WorkerOptions {
  connectionString: string;
  /** Jobs run at the same time (default 1: the refresh runs one at a time anyway). */
  concurrency?: number;
  /** How often to look for jobs that became due, in ms (new jobs due now arrive by LISTEN/NOTIFY). */
  pollInterval?: number;
  /** The crontab to run (graphile-worker syntax; default crontab.ts; '' for none). */
  crontab?: string;
  /** Called once per finished job; the default prints jobLine(report). */
  onJob?: (report: JobReport) => void;
  /** Warnings and errors outside a job's one line; the default prints them to stderr. */
  onProblem?: (message: string) => void;
}

/** What one job did, in one line's worth of fields. */
export interface JobReport {
  task: string;
  jobId: string;
  milliseconds: number;
  /** What the task said it did (its info lines, joined), or '' when it said nothing. */
  summary: string;
  /** Set when the job failed; it is retried until maxAttempts. */
  error?: Error;
  attempt: number;
  maxAttempts: number;
  /** Added by the crontab rather than by a write or a task. */
  fromCron: boolean;
}

export interface RunningWorker {
  /** Stops taking jobs, lets the running ones finish, closes the connections. Safe to repeat. */
  stop(): Promise<void>;
  /** Never resolves; rejects when the worker ends on its own (not through stop()). */
  failed: Promise<never>;
  events: WorkerEvents;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;

export function jobLine(report: JobReport): string {
  const ms = Math.round(report.milliseconds);
  if (report.error) {
    const retry = report.attempt < report.maxAttempts ? ', will retry' : ', giving up';
    return `${report.task} #${report.jobId} failed (${ms} ms, attempt ${report.attempt} of ${report.maxAttempts}${retry}): ${report.error.message.split('\n')[0]}`;
  }
  return `${report.task} #${report.jobId} (${ms} ms): ${report.summary || 'done'}`;
}

function printJob(report: JobReport): void {
  if (report.error) console.error(jobLine(report));
  else console.log(jobLine(report));
}

/**
 * graphile-worker logs a line when it starts, one when a job completes and several when one fails;
 * we print one line per job instead (through onJob), so its own job lines are dropped here and a
 * task's info lines are kept as the summary of its job. Other warnings and errors go to onProblem.
 */
function oneLinePerJobLogger(summaries: Map<string, string[]>, onProblem: (message: string) => void): Logger {
  const factory: LogFunctionFactory = (scope) => (level, message, meta) => {
    const isJobOutcome = meta?.job !== undefined && (meta.success === true || meta.failure === true);
    if (isJobOutcome) return;
    if (scope.jobId !== undefined && level === 'info') {
      summaries.get(String(scope.jobId))?.push(message);
      return;
    }
    if (level === 'error' || level === 'warning') {
      onProblem(scope.taskIdentifier ? `${scope.taskIdentifier} #${scope.jobId}: ${message}` : message);
    }
  };
  return new Logger(factory);
}

/**
 * Runs carepulse's tasks and crontab on graphile-worker, on a pool of our own. Signals are left to
 * the caller (the CLI stops it through onShutdown), so a signal never kills a refresh mid-way.
 */
export async function runWorker(options: WorkerOptions): Promise<RunningWorker> {
  const concurrency = options.concurrency ?? 1;
  const onJob = options.onJob ?? printJob;
  const onProblem = options.onProblem ?? ((message: string) => console.error(`worker: ${message}`));
  const pool = new ReconnectingPool(
    withClientCheck({
      connectionString: options.connectionString,
      // one connection per job, one for LISTEN, one for the crontab and the housekeeping
      max: concurrency + 2,
      application_name: 'carepulse worker',
    }),
    onProblem,
  );
  const events: WorkerEvents = new EventEmitter();
  const started = new Map<string, number>();
  const summaries = new Map<string, string[]>();
  events.on('job:start', ({ job }) => {
    started.set(String(job.id), performance.now());
    summaries.set(String(job.id), []);
  });
  events.on('job:complete', ({ job, error }) => {
    const id = String(job.id);
    const report: JobReport = {
      task: job.task_identifier,
      jobId: id,
      milliseconds: performance.now() - (started.get(id) ?? performance.now()),
      summary: (summaries.get(id) ?? []).join('; '),
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      fromCron: typeof job.payload === 'object' && job.payload !== null && '_cron' in job.payload,
    };
    if (error) report.error = error instanceof Error ? error : new Error(String(error));
    started.delete(id);
    summaries.delete(id);
    onJob(report);
  });

  let runner: Awaited<ReturnType<typeof run>>;
  try {
    runner = await run({
      pgPool: pool,
      taskList,
      parsedCronItems: parsedCrontab(options.crontab),
      concurrency,
      pollInterval: options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
      noHandleSignals: true,
      logger: oneLinePerJobLogger(summaries, onProblem),
      events,
    });
  } catch (error) {
    await pool.end();
    throw error;
  }

  // from now on an unreachable server is waited for, not a reason to stop
  pool.wait();

  const endPool = async () => {
    if (!pool.ending && !pool.ended) await pool.end();
  };
  let ended = false;
  let stopping: Promise<void> | undefined;
  // graphile-worker's stop waits for its connects, which wait for the server: while the server is
  // unreachable there is nothing to finish (the running job already failed), so stop at once
  const stopOrGiveUp = () =>
    Promise.race([
      runner.stop(),
      pool.whenUnreachable().then(() => onProblem('stopped without waiting for the unreachable database')),
    ]);
  const stop = () => {
    stopping ??= (ended ? Promise.resolve() : stopOrGiveUp())
      .catch((error: Error) => onProblem(`while stopping: ${error.message}`))
      .finally(endPool);
    return stopping;
  };
  const failed = runner.promise.then(
    async () => {
      ended = true;
      if (stopping) return new Promise<never>(() => {});
      await endPool();
      throw new CarepulseError('the worker stopped on its own');
    },
    async (error: unknown) => {
      ended = true;
      if (stopping) return new Promise<never>(() => {});
      await endPool().catch(() => {});
      throw new CarepulseError(`the worker stopped: ${(error as Error)?.message ?? String(error)}`, {
        cause: error,
      });
    },
  );
  // a caller that never looks at `failed` must not crash the process with an unhandled rejection
  failed.catch(() => {});
  return { stop, failed, events };
}
