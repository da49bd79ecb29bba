import type { Task } from 'graphile-worker';
import { refreshMetrics } from '../../queries/metrics.queries.js';
import { countWaitingMetricsRefreshes } from '../../queries/worker.queries.js';

/** How long to wait before trying again while another refresh holds the log. */
export const BUSY_RETRY_MS = 1000;
/** As for the jobs writers add (cx_private.request_metrics_refresh). */
const MAX_ATTEMPTS = 10;

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** "refreshed 1 channel bucket and 2 agent buckets (3 rows)": the worker's and `carepulse refresh`'s words. */
export function refreshed(done: {
  channelBuckets: number;
  agentBuckets: number;
  rowsWritten: number;
}): string {
  return `refreshed ${counted(done.channelBuckets, 'channel bucket')} and ${counted(done.agentBuckets, 'agent bucket')} (${counted(done.rowsWritten, 'row')})`;
}

/**
 * Recomputes every logged daily-metric bucket (cx.refresh_metrics, one transaction). Writes that
 * commit while it runs stay logged; when some remain and no refresh job waits for them, it queues
 * the next refresh itself, so the log empties within seconds instead of at the crontab's fallback.
 */
export const metrics__refresh: Task = async (_payload, { withPgClient, addJob, logger }) => {
  const [done] = await withPgClient((db) => refreshMetrics.run(undefined, db));
  if (!done) throw new Error('cx.refresh_metrics() returned no row');
  const buckets = done.channelBuckets + done.agentBuckets;
  // nothing consumed while rows wait: another refresh holds the lock (or rows landed just after
  // this one looked); either way, look again shortly rather than spin
  const busy = buckets === 0 && done.remainingLogRows > 0;
  let queued = false;
  if (done.remainingLogRows > 0) {
    const [waiting] = await withPgClient((db) => countWaitingMetricsRefreshes.run(undefined, db));
    if (!waiting?.waiting) {
      const runAt = busy ? new Date(Date.now() + BUSY_RETRY_MS) : undefined; // else now
      await addJob('metrics__refresh', {}, { maxAttempts: MAX_ATTEMPTS, runAt });
      queued = true;
    }
  }
  if (buckets > 0) {
    // new numbers: judge them, and refresh the views built on them (one of each waiting at most)
    await addJob(
      'thresholds__check',
      {},
      { jobKey: 'thresholds__check', runAt: new Date(Date.now() + 2000) },
    );
    await addJob(
      'materialized_views__refresh',
      {},
      {
        jobKey: 'materialized_views__refresh',
        runAt: new Date(Date.now() + 10_000),
      },
    );
  }
  const next = queued ? (busy ? `, again in ${BUSY_RETRY_MS / 1000} s` : ', queued again') : '';
  const left =
    done.remainingLogRows === 0 ? 'log empty' : `${counted(done.remainingLogRows, 'log row')} left${next}`;
  if (busy) {
    logger.info(`nothing refreshed: another refresh is running; ${left}`);
  } else if (buckets === 0) {
    logger.info(`nothing to refresh; ${left}`);
  } else {
    logger.info(
      `${refreshed(done)} in ${done.milliseconds} ms; oldest change ${done.oldestChangeSecondsAgo} s ago; ${left}`,
    );
  }
};
