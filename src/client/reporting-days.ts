import { ValidationError } from '../errors.js';

/**
 * Reporting days are calendar dates ('YYYY-MM-DD') of the reporting time zone, not instants: a
 * Date would carry a time zone the caller did not mean. Checked before the round trip.
 */
export type ReportingDay = string;

/** The earliest day a ReportingDay can name. */
export const FIRST_DAY = '0001-01-01';

export function assertReportingDay(field: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const day = typeof value === 'string' ? value : '';
  // PostgreSQL has no year 0: the first day is 0001-01-01
  const time =
    /^\d{4}-\d{2}-\d{2}$/.test(day) && day >= FIRST_DAY ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  // 2026-02-30 parses as 2 March: the round trip must give the same day back
  const valid = !Number.isNaN(time) && new Date(time).toISOString().startsWith(day);
  if (!valid)
    throw new ValidationError(`${field} must be a calendar date as YYYY-MM-DD, got ${String(value)}`, field);
}

export function assertPeriod(period: { from: string; to: string }): void {
  assertReportingDay('from', period.from);
  assertReportingDay('to', period.to);
  if (period.to < period.from)
    throw new ValidationError(`to (${period.to}) must not be before from (${period.from})`, 'to');
}
