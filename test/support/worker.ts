import type pg from 'pg';
import {
  type JobReport,
  type RunningWorker,
  runWorker,
  type WorkerOptions,
} from '../../src/worker/run-worker.js';

export interface TestWorker extends RunningWorker {
  /** Every job the worker finished, in order. */
  reports: JobReport[];
}

/**
 * The real worker, in this process, on the suite's database: polls every 100 ms so tests wait on
 * the refresh, not on the poll; its one line per job is collected instead of printed.
 */
export async function startWorker(
  connectionString: string,
  options: Omit<WorkerOptions, 'connectionString'> = {},
): Promise<TestWorker> {
  const reports: JobReport[] = [];
  const worker = await runWorker({
    connectionString,
    pollInterval: 100,
    onJob: (report) => reports.push(report),
    onProblem: (message) => console.error(`worker: ${message}`),
    ...options,
  });
  return { ...worker, reports };
}

/** Runs `block` with a worker started for it and stopped after it, whatever happens. */
export async function withWorker<T>(
  connectionString: string,
  block: (worker: TestWorker) => Promise<T>,
  options: Omit<WorkerOptions, 'connectionString'> = {},
): Promise<T> {
  const worker = await startWorker(connectionString, options);
  try {
    return await block(worker);
  } finally {
    await worker.stop();
  }
}

/** Polls `check` until it returns something other than undefined or false, or the deadline passes. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function logRows(db: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select count(*)::int as n from cx_private.metric_bucket_log',
  );
  return rows[0]?.n ?? 0;
}

/** metrics__refresh jobs in the queue: waiting, running or waiting out a retry. */
export async function refreshJobs(db: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from graphile_worker.jobs where task_identifier = 'metrics__refresh'",
  );
  return rows[0]?.n ?? 0;
}

/** The chatbot channel's day in daily_channel_metrics, or undefined when it has no row. */
export async function chatbotDay(
  db: pg.Pool | pg.ClientBase,
  day: string,
): Promise<Record<string, number> | undefined> {
  const { rows } = await db.query(
    `select m.* from cx.daily_channel_metrics m join cx.channels c using (channel_id)
      where m.metric_date = $1 and c.channel_name = 'chatbot'`,
    [day],
  );
  return rows[0];
}
