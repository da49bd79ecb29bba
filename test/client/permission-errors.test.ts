import * as assert from 'uvu/assert';
import { connect } from '../../src/client/connect.js';
import { createPool } from '../../src/db/pool.js';
import { PermissionError } from '../../src/index.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/** What the database's grants refuse reaches the client as a PermissionError naming the object. */
const test = databaseSuite('client: permission errors');

test('a role without select on customers gets a PermissionError naming the table', async ({
  pool,
  connectionString,
}) => {
  const customerId = await given.customer(pool);
  const role = `carepulse_no_customers_${process.pid}`;
  await pool.query(`create role ${role}; grant usage on schema cx to ${role}`);
  // every session of this pool acts as the role (a setting at connection start)
  const asRole = createPool({
    connectionString,
    max: 1,
    options: `-c search_path=cx,public -c role=${role}`,
  });
  const client = connect({ pool: asRole });
  try {
    const error = await rejection<PermissionError>(client.customers.get(customerId));
    assert.instance(error, PermissionError);
    assert.equal(
      [error.message, error.objectType, error.objectName],
      ['permission denied for table customers', 'table', 'customers'],
    );
  } finally {
    await asRole.end();
    await pool.query(`drop owned by ${role}; drop role ${role}`);
  }
});

test.run();
