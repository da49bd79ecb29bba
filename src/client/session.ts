import type { PreparedQuery } from '@pgtyped/runtime';
import type pg from 'pg';
import { ValidationError } from '../errors.js';
import { type ConstraintCatalog, loadConstraintCatalog, toCarepulseError } from './constraint-errors.js';

/** A pool, or one of its clients inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * What every client module runs its queries through: the connection (the pool, or the
 * transaction's client) and the mapping of PostgreSQL errors to carepulse's error classes.
 */
export class Session {
  private catalog?: Promise<ConstraintCatalog | undefined>;

  constructor(
    readonly db: Queryable,
    readonly pool: pg.Pool,
    private readonly connectionString: string,
    shared?: Session,
  ) {
    if (shared) this.catalog = shared.catalogPromise();
  }

  catalogPromise(): Promise<ConstraintCatalog | undefined> {
    // read once, from the pool: inside a failed transaction the database answers nothing else
    this.catalog ??= loadConstraintCatalog(this.pool).catch(() => {
      this.catalog = undefined;
      return undefined;
    });
    return this.catalog;
  }

  async run<Params, Result>(query: PreparedQuery<Params, Result>, params: Params): Promise<Result[]> {
    try {
      return await query.run(params, this.db);
    } catch (error) {
      const catalog = (error as { constraint?: string }).constraint ? await this.catalogPromise() : undefined;
      throw toCarepulseError(error, catalog, this.connectionString);
    }
  }

  inTransaction(client: pg.PoolClient): Session {
    return new Session(client, this.pool, this.connectionString, this);
  }
}

/** Arguments SQL would refuse anyway fail before the round trip, with the same error class. */
export function assertValidDate(field: string, value: Date | string | null | undefined): void {
  if (value === null || value === undefined) return;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time))
    throw new ValidationError(`${field} must be a valid date and time, got ${String(value)}`, field);
}

export function assertFiniteNumber(field: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!Number.isFinite(value))
    throw new ValidationError(`${field} must be a finite number, got ${value}`, field);
}

/** Integer columns refuse a fraction with a message that names no field: say which one here. */
export function assertWholeNumber(field: string, value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value))
    throw new ValidationError(`${field} must be a whole number, got ${value}`, field);
}

/** duration_seconds columns are integers: 2^31 - 1 seconds, a little over 68 years. */
const LONGEST_DURATION_MS = 2_147_483_647_000;

/** An end so far after its start that the duration would overflow, refused with the end's field. */
export function assertDurationFits(field: string, start: Date, end: Date | null | undefined): void {
  if (!end || !(start instanceof Date) || !(end instanceof Date)) return;
  if (end.getTime() - start.getTime() > LONGEST_DURATION_MS)
    throw new ValidationError(
      `${field} must be less than 68 years after the start, got ${end.toISOString()}`,
      field,
    );
}
