/**
 * `carepulse simulate --reset`: removes a simulation — finished, half-finished or mixed with other
 * data, which cannot be told apart row by row — by emptying every table whose rows the data
 * brings, in one transaction, so the database is left as migrate leaves it or not touched at all.
 */
import type pg from 'pg';

/** Tables whose rows come with the migrations (the seeded channels, settings, metric catalog, default thresholds and constraint sentences): kept. */
export const MIGRATED_ROWS = [
  'cx.channels',
  'cx.settings',
  'cx.metrics',
  'cx.performance_thresholds',
  'cx_private.constraint_messages',
] as const;

export interface ResetSummary {
  customers: number;
  interactions: number;
  agents: number;
}

export async function removeAllData(pool: pg.Pool): Promise<ResetSummary> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const {
      rows: [summary],
    } = await client.query<ResetSummary>(`
      select (select count(*)::int from cx.customers) as customers,
             (select count(*)::int from cx.customer_interactions) as interactions,
             (select count(*)::int from cx.agents) as agents`);
    // every table of the data model and its logs, so a table added later is emptied too
    const { rows } = await client.query<{ name: string }>(
      `select format('%I.%I', n.nspname, c.relname) as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('cx', 'cx_private') and c.relkind in ('r', 'p') and not c.relispartition
          and format('%I.%I', n.nspname, c.relname) <> all($1::text[])
        order by 1`,
      [MIGRATED_ROWS],
    );
    // the truncate triggers keep a table's dependents in step when it alone is truncated (the
    // interactions' truncates their steps); here every table is truncated by one statement, where a
    // trigger truncating a table of that statement fails ("being used by active queries"). They
    // are switched off for this transaction only: the truncate commits with them on again.
    const { rows: triggers } = await client.query<{ name: string; table: string }>(
      `select quote_ident(t.tgname) as name, format('%I.%I', n.nspname, c.relname) as table
         from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
        where not t.tgisinternal and t.tgtype & 32 <> 0 and format('%I.%I', n.nspname, c.relname) = any($1::text[])`,
      [rows.map((r) => r.name)],
    );
    for (const t of triggers) await client.query(`alter table ${t.table} disable trigger ${t.name}`);
    // one statement: tables that foreign keys join must be truncated together
    await client.query(`truncate table ${rows.map((r) => r.name).join(', ')} restart identity`);
    for (const t of triggers) await client.query(`alter table ${t.table} enable trigger ${t.name}`);
    await client.query('select cx.refresh_materialized_views()');
    await client.query('commit');
    return summary as ResetSummary;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
