import { type ParsedCronItem, parseCrontab } from 'graphile-worker';

/**
 * The periodic jobs, in graphile-worker's crontab syntax (UTC; `?max=` caps the attempts of a
 * job, `?fill=` runs a slot missed while the worker was down, up to that long ago). A periodic
 * task is one more line here; it must be in the task list (task-list.ts).
 *
 * - metrics__refresh every minute: the fallback. Writes queue their own refresh within a second;
 *   this catches a write whose job was lost to a race or is waiting out a retry.
 * - partitions__create_ahead daily, at a quiet hour.
 */
export const crontab = [
  '* * * * * metrics__refresh ?max=3',
  '17 3 * * * partitions__create_ahead ?fill=1d&max=5',
].join('\n');

/** Parsed once, so a malformed line fails at start, not at the minute it would have run. */
export function parsedCrontab(text: string = crontab): ParsedCronItem[] {
  return parseCrontab(text);
}
