import type { Task } from 'graphile-worker';
import { createPartitionsAhead } from '../../queries/worker.queries.js';

/** This month and the next two: a daily run leaves weeks of margin before a month begins. */
export const MONTHS_AHEAD = 3;

/**
 * Monthly partitions depend on the date, so no migration can make them: this makes sure this month
 * and the months ahead exist before rows arrive for them (else they land in the DEFAULT partition).
 */
export const partitions__create_ahead: Task = async (_payload, { withPgClient, logger }) => {
  const [done] = await withPgClient((db) => createPartitionsAhead.run({ months: MONTHS_AHEAD }, db));
  const created = done?.monthsCreated ?? 0;
  logger.info(
    created === 0
      ? `the next ${MONTHS_AHEAD} months already have partitions`
      : `created partitions for ${created} of the next ${MONTHS_AHEAD} months`,
  );
};
