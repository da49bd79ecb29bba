import type { Command } from 'commander';
import { createPool } from '../../db/pool.js';
import { withDatabase } from '../../db/with-database.js';
import { assertMigrated } from '../../migrate/migrate.js';
import { type IRefreshMetricsResult, refreshMetrics } from '../../queries/worker.queries.js';
import { refreshed } from '../../worker/tasks/metrics__refresh.js';

/** Writers that never stop would keep the log from ever being empty: this many passes at most. */
const MAX_PASSES = 10;
/** While another refresh (the worker's) holds the log: wait this long between looks, this long in all. */
const BUSY_WAIT_MS = 200;
const BUSY_GIVE_UP_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerRefreshCommand(program: Command): void {
  program
    .command('refresh')
    .description('refresh the daily metrics now: recompute every logged bucket until the log is empty')
    .action(async () => {
      await withDatabase(async (db) => {
        await assertMigrated(db.connectionString);
        const pool = createPool({ connectionString: db.connectionString, max: 1 });
        try {
          const started = performance.now();
          const total = { channelBuckets: 0, agentBuckets: 0, rowsWritten: 0 };
          let last: IRefreshMetricsResult | undefined;
          let passes = 0;
          while (passes < MAX_PASSES) {
            [last] = await refreshMetrics.run(undefined, pool);
            if (!last) throw new Error('cx.refresh_metrics() returned no row');
            const consumed = last.channelBuckets + last.agentBuckets;
            total.channelBuckets += last.channelBuckets;
            total.agentBuckets += last.agentBuckets;
            total.rowsWritten += last.rowsWritten;
            if (last.remainingLogRows === 0) break;
            if (consumed === 0) {
              // another refresh holds the log: it will have consumed it when it lets go
              if (performance.now() - started > BUSY_GIVE_UP_MS) break;
              await sleep(BUSY_WAIT_MS);
            } else {
              passes += 1;
            }
          }
          const ms = Math.round(performance.now() - started);
          const buckets = total.channelBuckets + total.agentBuckets;
          const left = last?.remainingLogRows
            ? `${last.remainingLogRows} log rows left (written meanwhile; the worker takes them)`
            : 'log empty';
          console.log(
            buckets === 0 ? `nothing to refresh; ${left}` : `${refreshed(total)} in ${ms} ms; ${left}`,
          );
        } finally {
          await pool.end();
        }
      });
    });
}
