import type pg from 'pg';
import { asConnectionError } from '../db/connection-errors.js';
import { CarepulseError, ConflictError, ValidationError } from '../errors.js';

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
}

/**
 * Maps what PostgreSQL raised to carepulse's error classes, with the catalog's sentence; the
 * original error stays attached as `cause`. Errors that are not about data pass through.
 */
export function toCarepulseError(
  error: unknown,
  catalog: ConstraintCatalog | undefined,
  connectionString = '',
): unknown {
  if (error instanceof CarepulseError) return error;
  const pgError = error as PgError;
  const code = pgError?.code ?? '';
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
  if (code.startsWith('23') || code.startsWith('22'))
    return new ValidationError(message, field, name, { cause: error });
  const asConnection = asConnectionError(error, connectionString);
  return asConnection;
}
