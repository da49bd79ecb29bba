import type { Task } from 'graphile-worker';
import { checkThresholdsAndDataQuality } from '../../queries/worker.queries.js';

/**
 * Judges the thresholds and the data-quality rules for a reporting day (today unless the payload
 * says `{"yesterday": true}`: the nightly look back, when yesterday's data is complete). Both days
 * are the reporting time zone's, worked out in SQL: a zone west of UTC is still on its own
 * yesterday when UTC has moved on. Runs after each metrics refresh (queued by metrics__refresh)
 * and every few minutes from the crontab.
 */
export const thresholds__check: Task = async (payload, { withPgClient, logger }) => {
  const yesterday = (payload as { yesterday?: boolean } | null)?.yesterday === true;
  const [done] = await withPgClient((db) =>
    checkThresholdsAndDataQuality.run({ daysBack: yesterday ? 1 : 0 }, db),
  );
  if (!done) throw new Error('the checks returned no row');
  const day = done.metricDate;
  logger.info(
    `${yesterday ? `yesterday (${day})` : day}: thresholds ${done.evaluated} evaluated, ${done.opened} opened, ${done.escalated} escalated, ${done.resolved} resolved; ` +
      `data quality ${done.qualityChecked} checked, ${done.qualityOpened} opened, ${done.qualityResolved} resolved`,
  );
};
