import type { Task } from 'graphile-worker';
import { computeCustomerExperienceScores } from '../../queries/worker.queries.js';

/** Today's customer experience scores (the periodic CX history per customer). */
export const cx_scores__compute: Task = async (_payload, { withPgClient, logger }) => {
  const [done] = await withPgClient((db) =>
    computeCustomerExperienceScores.run({ scoreDate: undefined }, db),
  );
  logger.info(
    `customer experience scores for ${done?.scoreDate}: ${done?.customers ?? 0} customers, ${done?.rowsWritten ?? 0} rows written`,
  );
};
