import type { Command } from 'commander';
import { withClientCheck } from '../../db/client-check.js';
import { createPool } from '../../db/pool.js';
import { withDatabase } from '../../db/with-database.js';
import { assertMigrated } from '../../migrate/migrate.js';
import { refreshUntilEmpty } from '../../worker/refresh-until-empty.js';
import { refreshed } from '../../worker/tasks/metrics__refresh.js';

export function registerRefreshCommand(program: Command): void {
  program
    .command('refresh')
    .description('refresh the daily metrics now: recompute every logged bucket until the log is empty')
    .action(async () => {
      await withDatabase(async (db) => {
        await assertMigrated(db.connectionString);
        const pool = createPool(withClientCheck({ connectionString: db.connectionString, max: 1 }));
        try {
          const total = await refreshUntilEmpty(pool);
          const buckets = total.channelBuckets + total.agentBuckets;
          const left = total.remainingLogRows
            ? `${total.remainingLogRows} log rows left (written meanwhile; the worker takes them)`
            : 'log empty';
          console.log(
            buckets === 0
              ? `nothing to refresh; ${left}`
              : `${refreshed(total)} in ${total.milliseconds} ms; ${left}`,
          );
        } finally {
          await pool.end();
        }
      });
    });
}
