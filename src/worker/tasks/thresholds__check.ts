import type { Task } from 'graphile-worker';
import { checkThresholdsAndDataQuality } from '../../queries/worker.queries.js';

/**
 * Judges the thresholds and the data-quality rules for a reporting day (today unless the payload
 * says `{"yesterday": true}`: the nightly look back, when yesterday's data is complete). Runs after
 * each metrics refresh (queued by metrics__refresh) and every few minutes from the crontab.
 */
export const thresholds__check: Task = async (payload, { withPgClient, logger }) => {
  const yesterday = (payload as { yesterday?: boolean } | null)?.yesterday === true;
  const metricDate = yesterday ? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) : undefined;
  const [done] = await withPgClient((db) => checkThresholdsAndDataQuality.run({ metricDate }, db));
  if (!done) throw new Error('the checks returned no row');
  logger.info(
    `${yesterday ? 'yesterday: ' : ''}thresholds ${done.evaluated} evaluated, ${done.opened} opened, ${done.escalated} escalated, ${done.resolved} resolved; ` +
      `data quality ${done.qualityChecked} checked, ${done.qualityOpened} opened, ${done.qualityResolved} resolved`,
  );
};
