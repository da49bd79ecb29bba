import { ValidationError } from '../errors.js';

/**
 * The client's argument checks: what SQL would refuse without naming the field (a malformed uuid,
 * a NUL character, a fraction for an integer column), take in a form the types do not allow (a
 * string that slipped through `as` where a number belongs), or answer with nothing instead of
 * refusing (a period that ends before it begins) fails here, before the round trip, with a
 * ValidationError naming the client's field and what it allows. Null and undefined pass: SQL
 * decides what may be left out.
 */
export type Check = (field: string, value: unknown) => void;

/** One check per field of T, none forgotten: a field added to an input type needs its check. */
export type FieldChecks<T> = { readonly [K in keyof Required<T>]: Check };

/** Values as the message shows them: a string quoted, so "5" is not read as 5. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return JSON.stringify(value);
  return String(value);
}

const absent = (value: unknown) => value === null || value === undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuid: Check = (field, value) => {
  if (absent(value)) return;
  if (typeof value !== 'string' || !UUID.test(value))
    throw new ValidationError(`${field} must be a uuid, got ${shown(value)}`, field);
};

export const uuidList: Check = (field, value) => {
  if (absent(value)) return;
  if (!Array.isArray(value))
    throw new ValidationError(`${field} must be a list of uuids, got ${shown(value)}`, field);
  for (const item of value) uuid(field, item);
};

/** PostgreSQL text cannot hold U+0000 (and jsonb refuses \u0000): it would fail as an encoding error. */
const NUL = '\u0000';

export const text: Check = (field, value) => {
  if (absent(value)) return;
  if (typeof value !== 'string')
    throw new ValidationError(`${field} must be a string, got ${shown(value)}`, field);
  if (value.includes(NUL))
    throw new ValidationError(`${field} must be text without NUL characters (U+0000)`, field);
};

export const textList: Check = (field, value) => {
  if (absent(value)) return;
  if (!Array.isArray(value))
    throw new ValidationError(`${field} must be a list of strings, got ${shown(value)}`, field);
  for (const item of value) text(field, item);
};

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, item]) => key.includes(NUL) || holdsNul(item));
  return false;
}

/** A value stored as jsonb (details, answers, preferences): strings and keys without NUL. */
export const json: Check = (field, value) => {
  if (absent(value)) return;
  if (holdsNul(value))
    throw new ValidationError(`${field} must be JSON without NUL characters (U+0000)`, field);
};

export const number: Check = (field, value) => {
  if (absent(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ValidationError(`${field} must be a finite number, got ${shown(value)}`, field);
};

/** A finite number within [low, high] (a score on its scale). */
export function numberFrom(low: number, high: number): Check {
  return (field, value) => {
    number(field, value);
    if (typeof value === 'number' && (value < low || value > high))
      throw new ValidationError(`${field} must be from ${low} to ${high}, got ${shown(value)}`, field);
  };
}

/** Integer columns refuse a fraction with a message that names no field: say which one here. */
export const wholeNumber: Check = (field, value) => {
  if (absent(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new ValidationError(`${field} must be a whole number, got ${shown(value)}`, field);
};

export function wholeNumberFrom(low: number, high: number): Check {
  return (field, value) => {
    if (absent(value)) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high)
      throw new ValidationError(
        `${field} must be a whole number from ${low} to ${high}, got ${shown(value)}`,
        field,
      );
  };
}

/** The most rows a list call returns; callers page with their own filters beyond that. */
export const MAX_LIMIT = 10_000;

/** A list's `limit`: a whole number from 1 to MAX_LIMIT (PostgreSQL reads -1 as an error, 2.5 as 3). */
export const limit: Check = wholeNumberFrom(1, MAX_LIMIT);

export const boolean: Check = (field, value) => {
  if (absent(value)) return;
  if (typeof value !== 'boolean')
    throw new ValidationError(`${field} must be true or false, got ${shown(value)}`, field);
};

/** A Date, or a string PostgreSQL would read as a time (the generated query types allow both). */
export const date: Check = (field, value) => {
  if (absent(value)) return;
  const time =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new ValidationError(`${field} must be a valid date and time, got ${shown(value)}`, field);
};

export function oneOf(allowed: readonly string[]): Check {
  return (field, value) => {
    if (absent(value)) return;
    if (typeof value !== 'string' || !allowed.includes(value))
      throw new ValidationError(`${field} must be one of ${allowed.join(', ')}, got ${shown(value)}`, field);
  };
}

/** A nested object (an interaction's key inside feedback): its fields are named `outer.inner`. */
export function nested<T>(checks: FieldChecks<T>): Check {
  return (field, value) => {
    if (absent(value)) return;
    if (typeof value !== 'object')
      throw new ValidationError(`${field} must be an object, got ${shown(value)}`, field);
    checkFields<T>(value, checks, `${field}.`);
  };
}

/** Runs each field's check; a field the input has but the checks do not know is left to SQL. */
export function checkFields<T>(
  input: { readonly [K in keyof T]?: unknown },
  checks: FieldChecks<T>,
  prefix = '',
): void {
  const values = input as Record<string, unknown>;
  for (const [field, check] of Object.entries(checks) as [string, Check][]) {
    check(`${prefix}${field}`, values[field]);
  }
}

const asTime = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/** A period [from, to) of instants: a `to` before `from` is a mistake, not an empty answer. */
export function checkInstantPeriod(period: { from: Date | string; to: Date | string }): void {
  date('from', period.from);
  date('to', period.to);
  const [from, to] = [asTime(period.from), asTime(period.to)];
  if (to < from)
    throw new ValidationError(
      `to (${to.toISOString()}) must not be before from (${from.toISOString()})`,
      'to',
    );
}

/** duration_seconds columns are integers: 2^31 - 1 seconds, a little over 68 years. */
const LONGEST_DURATION_MS = 2_147_483_647_000;

/** An end so far after its start that the duration would overflow its integer column. */
export function checkDurationFits(
  field: string,
  start: Date | string,
  end: Date | string | null | undefined,
): void {
  if (absent(end)) return;
  const [from, to] = [asTime(start), asTime(end as Date | string)];
  if (to.getTime() - from.getTime() > LONGEST_DURATION_MS)
    throw new ValidationError(
      `${field} must be less than 68 years after the start, got ${to.toISOString()}`,
      field,
    );
}
