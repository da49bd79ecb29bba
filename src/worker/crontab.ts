import { type ParsedCronItem, parseCrontab } from 'graphile-worker';

/**
 * The periodic jobs, in graphile-worker's crontab syntax (UTC; `?max=` caps the attempts of a
 * job, `?fill=` runs a slot missed while the worker was down, up to that long ago). A periodic
 * task is one more line here; it must be in the task list (task-list.ts).
 *
 * - metrics__refresh every minute: the fallback. Writes queue their own refresh within a second;
 *   this catches a write whose job was lost to a race or is waiting out a retry.
 * - thresholds__check every five minutes (each refresh also queues one), and at 00:20 for
 *   yesterday, whose data is then complete.
 * - materialized_views__refresh every five minutes: the 30-day window moves with the clock.
 * - capacity__refresh every ten minutes for the last two hours, nightly for the last eight days.
 * - performance__refresh hourly; cx_scores__compute daily.
 * - partitions__create_ahead daily, at a quiet hour.
 */
export const crontab = [
  '* * * * * metrics__refresh ?max=3',
  '*/5 * * * * thresholds__check ?max=3',
  '20 0 * * * thresholds__check ?id=thresholds_yesterday&max=3 {"yesterday":true}',
  '*/5 * * * * materialized_views__refresh ?max=3',
  '*/10 * * * * capacity__refresh ?max=3',
  '40 2 * * * capacity__refresh ?id=capacity_nightly&fill=1d&max=3 {"hours":192}',
  '7 * * * * performance__refresh ?max=3',
  '30 2 * * * cx_scores__compute ?fill=1d&max=3',
  '17 3 * * * partitions__create_ahead ?fill=1d&max=5',
].join('\n');

/** Parsed once, so a malformed line fails at start, not at the minute it would have run. */
export function parsedCrontab(text: string = crontab): ParsedCronItem[] {
  return parseCrontab(text);
}
