import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * The locks over many customers are taken in one statement on one node and one customer at a time
 * where Citus distributes the table (it locks only rows an equality on customer_id names):
 * cx_private.distributed decides. Without Citus, no table is distributed.
 */
const test = databaseSuite('schema: Citus detection');

test('without Citus no table is distributed, so the locks stay set-based', async ({ pool }) => {
  const { rows } = await pool.query(
    `select cx_private.distributed('cx.customers') as customers,
            cx_private.distributed('cx.customer_interactions') as interactions,
            to_regclass('pg_catalog.pg_dist_partition') is null as no_citus`,
  );
  assert.equal(rows, [{ customers: false, interactions: false, no_citus: true }]);
});

test.run();
