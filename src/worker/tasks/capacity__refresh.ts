import type { Task } from 'graphile-worker';
import { refreshRecentCapacity } from '../../queries/worker.queries.js';

/** Hourly channel load of the recent hours (`{"hours": n}`, default 2; the nightly run looks back 8 days). */
export const capacity__refresh: Task = async (payload, { withPgClient, logger }) => {
  const hours = (payload as { hours?: number } | null)?.hours ?? 2;
  const [done] = await withPgClient((db) => refreshRecentCapacity.run({ hours }, db));
  logger.info(
    `channel capacity: ${done?.hours ?? 0} hours recomputed, ${done?.rowsWritten ?? 0} rows written`,
  );
};
