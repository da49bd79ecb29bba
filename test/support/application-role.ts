import type pg from 'pg';
import { type CarepulseClient, connect } from '../../src/client/connect.js';
import { createPool } from '../../src/db/pool.js';

/**
 * A client that acts as an ordinary application role: DML on the tables and EXECUTE on the
 * functions, but not a superuser, which nothing the write functions and bulk ingest do may need.
 * The role is made for the block and dropped after it.
 */
export async function withApplicationRole<T>(
  { pool, connectionString }: { pool: pg.Pool; connectionString: string },
  block: (client: CarepulseClient, rolePool: pg.Pool) => Promise<T>,
): Promise<T> {
  const role = `carepulse_app_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  await pool.query(`create role ${role}`);
  await pool.query(`
    grant usage on schema cx, cx_private to ${role};
    grant select, insert, update, delete on all tables in schema cx, cx_private to ${role};
    grant usage on all sequences in schema cx, cx_private to ${role};
    grant execute on all functions in schema cx, cx_private to ${role};`);
  // no rights on graphile_worker: its writes still request the metrics refresh (a security definer function does)
  const rolePool = createPool({
    connectionString,
    max: 2,
    options: `-c role=${role} -c search_path=cx,public -c TimeZone=UTC`,
  });
  try {
    return await block(connect({ pool: rolePool }), rolePool);
  } finally {
    await rolePool.end();
    await pool.query(`drop owned by ${role}; drop role ${role}`);
  }
}
