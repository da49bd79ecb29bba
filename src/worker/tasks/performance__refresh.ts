import type { Task } from 'graphile-worker';
import { refreshPerformance } from '../../queries/worker.queries.js';

/**
 * The cross-customer counters (DESIGN.md §5): agents' handling time, satisfaction and escalation
 * rate from the daily agent table, and knowledge-base usage and success from the steps.
 */
export const performance__refresh: Task = async (_payload, { withPgClient, logger }) => {
  const [done] = await withPgClient((db) => refreshPerformance.run(undefined, db));
  logger.info(
    `performance: ${done?.agentsChanged ?? 0} of ${done?.agents ?? 0} agents and ${done?.articlesChanged ?? 0} of ${done?.articles ?? 0} articles changed`,
  );
};
