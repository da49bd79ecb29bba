import type pg from 'pg';
import { asConnectionError } from '../db/connection-errors.js';
import { CarepulseError, ConflictError, PermissionError, ValidationError } from '../errors.js';
import { shown } from './validation.js';

/** What the database knows about each constraint: its sentence, table and columns (cx.constraint_catalog). */
export interface ConstraintEntry {
  message: string;
  table: string | null;
  fields: string[];
}
export type ConstraintCatalog = Map<string, ConstraintEntry>;

export async function loadConstraintCatalog(pool: pg.Pool): Promise<ConstraintCatalog> {
  const { rows } = await pool.query<{
    constraint_name: string;
    message: string;
    table_name: string | null;
    field_names: string[];
  }>('select constraint_name, message, table_name, field_names from cx.constraint_catalog()');
  return new Map(
    rows.map((r) => [r.constraint_name, { message: r.message, table: r.table_name, fields: r.field_names }]),
  );
}

export function camelCase(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The field a constraint is about: the column the error names; else, of the constraint's columns,
 * the one its sentence names first (a rule over several columns is worded around the one to fix),
 * leaving aside the key columns every fact table shares.
 */
function fieldOf(error: PgError, entry: ConstraintEntry | undefined): string | undefined {
  if (error.column) return camelCase(error.column);
  const fields = entry?.fields ?? [];
  const telling = fields.filter((f) => f !== 'customer_id' && !f.endsWith('start_timestamp'));
  const candidates = telling.length > 0 ? telling : fields;
  const mentioned = candidates
    .map((f) => ({ f, at: entry?.message.search(new RegExp(`\\b${f}\\b`)) ?? -1 }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => a.at - b.at);
  const field = mentioned[0]?.f ?? candidates[0];
  return field ? camelCase(field) : undefined;
}

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
  message?: string;
  detail?: string;
  where?: string;
}

/**
 * The parameters of the statement that failed, in the order PostgreSQL numbers them ($1 is
 * names[0]), under the client's field names, with their values.
 */
export interface StatementParameters {
  names: readonly string[];
  values: Readonly<Record<string, unknown>>;
}

const INTEGER_RANGES: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

/**
 * A value PostgreSQL could not take as the parameter's type: the error's context names the
 * parameter ("unnamed portal parameter $3"), so the sentence can name the field and what it allows.
 */
function parameterError(
  error: PgError,
  parameters: StatementParameters | undefined,
): { field: string; message: string } | undefined {
  const index = /portal parameter \$(\d+)/.exec(error.where ?? '')?.[1];
  const field = index ? parameters?.names[Number(index) - 1] : undefined;
  if (!field) return undefined;
  const value = shown(parameters?.values[field]);
  const message = error.message ?? '';
  const type = /for type ([a-z ]+?)(?::|$)/.exec(message)?.[1] ?? '';
  const range = INTEGER_RANGES[type];
  if (error.code === '22021' && message.includes('0x00'))
    return { field, message: `${field} must be text without NUL characters (U+0000)` };
  if (error.code === '22P05')
    return { field, message: `${field} must be JSON without NUL characters (U+0000)` };
  if (error.code === '22003' && range)
    return {
      field,
      message: `${field} must be a whole number from ${range[0]} to ${range[1]}, got ${value}`,
    };
  if (error.code === '22P02' && type === 'uuid')
    return { field, message: `${field} must be a uuid, got ${value}` };
  if (error.code === '22P02' && range)
    return { field, message: `${field} must be a whole number, got ${value}` };
  return { field, message: `${field}: ${message}` };
}

/**
 * A number too large for its column's type (numeric(p, s), or a smallint the parameter was cast
 * to) fails when the row is built, with no parameter or column named; the message or detail
 * gives the column's limit, and the field is the parameter that breaks it.
 */
function overflowError(
  error: PgError,
  parameters: StatementParameters | undefined,
): { field: string; message: string } | undefined {
  if (error.code !== '22003' || !parameters) return undefined;
  const integer = /^(smallint|integer|bigint) out of range$/.exec(error.message ?? '')?.[1];
  const range = integer ? INTEGER_RANGES[integer] : undefined;
  if (range) {
    const field = parameters.names.find((name) => {
      const value = parameters.values[name];
      return typeof value === 'number' && (value < Number(range[0]) || value > Number(range[1]));
    });
    if (!field) return undefined;
    const value = shown(parameters.values[field]);
    return {
      field,
      message: `${field} must be a whole number from ${range[0]} to ${range[1]}, got ${value}`,
    };
  }
  const limit = /precision (\d+), scale (\d+) must round to an absolute value less than 10\^(\d+)/.exec(
    error.detail ?? '',
  );
  if (!limit) return undefined;
  const [scale, digits] = [Number(limit[2]), Number(limit[3])];
  const field = parameters.names.find((name) => {
    const value = parameters.values[name];
    return typeof value === 'number' && Math.abs(Number(value.toFixed(scale))) >= 10 ** digits;
  });
  if (!field) return undefined;
  const sentence = (error.detail ?? '').replace(/^A/, 'a').replace(/\.$/, '');
  return {
    field,
    message: `${field} is out of range: ${sentence}, got ${shown(parameters.values[field])}`,
  };
}

/** "permission denied for table customers": the object's kind and name, as PostgreSQL gave them. */
function permissionError(error: PgError): PermissionError {
  const message = error.message ?? 'permission denied';
  const object = /^permission denied for (\w+(?: \w+)?) (\S+)$/.exec(message);
  return new PermissionError(message, object?.[1], object?.[2], { cause: error });
}

/**
 * Maps what PostgreSQL raised to carepulse's error classes, with the catalog's sentence; the
 * original error stays attached as `cause`. Errors that are not about data pass through.
 */
export function toCarepulseError(
  error: unknown,
  catalog: ConstraintCatalog | undefined,
  connectionString = '',
  parameters?: StatementParameters,
): unknown {
  if (error instanceof CarepulseError) return error;
  const pgError = error as PgError;
  const code = pgError?.code ?? '';
  if (code === '42501') return permissionError(pgError);
  // a duplicate key in a partition is reported under the partition's index name, and a foreign
  // key to a partitioned table has per-partition copies named <name>_<n>: the catalog knows the
  // parent's name (the same mapping as cx.parent_constraint_name)
  const name = pgError.constraint?.replace(
    /^(customer_interactions|interaction_steps)_(y\d{4}m\d{2}|default)_/,
    '$1_',
  );
  const entry = name ? (catalog?.get(name) ?? catalog?.get(name.replace(/_\d+$/, ''))) : undefined;
  const message = entry?.message ?? pgError.message ?? String(error);
  const field = fieldOf(pgError, entry);
  if (code === '23505' || code === '23P01') return new ConflictError(message, field, name, { cause: error });
  if (code.startsWith('23')) return new ValidationError(message, field, name, { cause: error });
  if (code.startsWith('22')) {
    const traced = field
      ? undefined
      : (parameterError(pgError, parameters) ?? overflowError(pgError, parameters));
    return traced
      ? new ValidationError(traced.message, traced.field, name, { cause: error })
      : new ValidationError(message, field, name, { cause: error });
  }
  const asConnection = asConnectionError(error, connectionString);
  return asConnection;
}
