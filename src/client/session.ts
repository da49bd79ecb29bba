import { type PreparedQuery, processSQLQueryIR } from '@pgtyped/runtime';
import type pg from 'pg';
import {
  type ConstraintCatalog,
  loadConstraintCatalog,
  type StatementParameters,
  toCarepulseError,
} from './constraint-errors.js';

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

  /**
   * Runs a generated query; PostgreSQL's errors become carepulse's. `fieldNames` gives the client's
   * name of a parameter the SQL names otherwise (`interaction.startTimestamp` for
   * `interactionStartTimestamp`), for the errors PostgreSQL reports by parameter.
   */
  async run<Params, Result>(
    query: PreparedQuery<Params, Result>,
    params: Params,
    fieldNames: Partial<Record<keyof Params, string>> = {},
  ): Promise<Result[]> {
    try {
      return await query.run(params, this.db);
    } catch (error) {
      const catalog = (error as { constraint?: string }).constraint ? await this.catalogPromise() : undefined;
      throw toCarepulseError(
        error,
        catalog,
        this.connectionString,
        statementParameters(query, params, fieldNames),
      );
    }
  }

  inTransaction(client: pg.PoolClient): Session {
    return new Session(client, this.pool, this.connectionString, this);
  }
}

/**
 * The query's parameters in PostgreSQL's numbering. pgtyped keeps the parsed query as `queryIR`
 * (private in its types) and numbers scalar parameters in order of first use, as
 * processSQLQueryIR's mapping says; sql/ uses no array-spread parameters, whose numbers would
 * depend on the values.
 */
function statementParameters<Params>(
  query: PreparedQuery<Params, unknown>,
  params: Params,
  fieldNames: Partial<Record<keyof Params, string>>,
): StatementParameters | undefined {
  const queryIR = (query as unknown as { queryIR?: Parameters<typeof processSQLQueryIR>[0] }).queryIR;
  if (!queryIR) return undefined;
  const renames = fieldNames as Record<string, string | undefined>;
  const names: string[] = [];
  const values: Record<string, unknown> = {};
  for (const parameter of processSQLQueryIR(queryIR).mapping) {
    if (!('assignedIndex' in parameter) || typeof parameter.assignedIndex !== 'number') continue;
    const name = renames[parameter.name] ?? parameter.name;
    names[parameter.assignedIndex - 1] = name;
    values[name] = (params as Record<string, unknown> | undefined)?.[parameter.name];
  }
  return { names, values };
}
