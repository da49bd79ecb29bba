import type pg from 'pg';
import { type IRefreshMetricsResult, refreshMetrics } from '../queries/metrics.queries.js';

/** Writers that never stop would keep the log from ever being empty: this many passes at most. */
const MAX_PASSES = 10;
/** While another refresh (the worker's) holds the log: wait this long between looks, this long in all. */
const BUSY_WAIT_MS = 200;
const BUSY_GIVE_UP_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RefreshTotals {
  channelBuckets: number;
  agentBuckets: number;
  rowsWritten: number;
  /** Log rows still there at the end (written meanwhile, or another refresh took too long). */
  remainingLogRows: number;
  milliseconds: number;
}

/**
 * cx.refresh_metrics() until the log is empty, for `carepulse refresh` and `carepulse start`: while
 * another refresh holds the log it waits instead of spinning, and it gives up after a bounded
 * number of passes (the worker takes what is left).
 */
export async function refreshUntilEmpty(db: pg.Pool | pg.ClientBase): Promise<RefreshTotals> {
  const started = performance.now();
  const total = { channelBuckets: 0, agentBuckets: 0, rowsWritten: 0, remainingLogRows: 0, milliseconds: 0 };
  let passes = 0;
  while (passes < MAX_PASSES) {
    const [last]: IRefreshMetricsResult[] = await refreshMetrics.run(undefined, db);
    if (!last) throw new Error('cx.refresh_metrics() returned no row');
    total.channelBuckets += last.channelBuckets;
    total.agentBuckets += last.agentBuckets;
    total.rowsWritten += last.rowsWritten;
    total.remainingLogRows = last.remainingLogRows;
    if (last.remainingLogRows === 0) break;
    if (last.channelBuckets + last.agentBuckets === 0) {
      // another refresh holds the log: it will have consumed it when it lets go
      if (performance.now() - started > BUSY_GIVE_UP_MS) break;
      await sleep(BUSY_WAIT_MS);
    } else {
      passes += 1;
    }
  }
  total.milliseconds = Math.round(performance.now() - started);
  return total;
}
