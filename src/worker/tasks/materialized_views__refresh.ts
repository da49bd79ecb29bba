import type { Task } from 'graphile-worker';
import { refreshMaterializedViews } from '../../queries/metrics.queries.js';

/** The 30-day scorecard and bot effectiveness views, refreshed concurrently (readers never wait). */
export const materialized_views__refresh: Task = async (_payload, { withPgClient, logger }) => {
  const started = Date.now();
  const [done] = await withPgClient((db) => refreshMaterializedViews.run(undefined, db));
  logger.info(`refreshed ${done?.views ?? 0} materialized views in ${Date.now() - started} ms`);
};
