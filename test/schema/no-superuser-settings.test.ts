import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * No writer needs a superuser (issue 15): no function of carepulse switches triggers off or sets
 * another setting only a superuser may set. The bulk path had a direct path with
 * session_replication_role = replica (removed in migration 000045), the partition maker another
 * (000046); a function that brings one back fails here.
 */
const test = databaseSuite('schema: no function needs a superuser setting');

test('no function of cx or cx_private sets session_replication_role', async ({ pool }) => {
  const { rows } = await pool.query(
    `select n.nspname || '.' || p.proname as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('cx', 'cx_private') and p.prosrc ilike '%session_replication_role%'
      order by 1`,
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('the check sees a function that sets it', async ({ pool }) => {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`create function cx_private.sets_replica() returns void language sql
                          as $$ select set_config('session_replication_role', 'replica', true) $$`);
    const { rows } = await client.query(
      `select count(*)::int as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'cx_private' and p.prosrc ilike '%session_replication_role%'`,
    );
    assert.is(rows[0].n, 1);
  } finally {
    await client.query('rollback');
    client.release();
  }
});

test.run();
