import * as assert from 'uvu/assert';
import { withClientCheck } from '../../src/db/client-check.js';
import { createPool } from '../../src/db/pool.js';
import { databaseSuite } from '../support/database.js';

/**
 * The sessions that refresh check that their client is still there (client_connection_check_interval),
 * so a killed worker's refresh rolls back. node-postgres lets a connection string's `options`
 * replace the pool's options: withClientCheck merges both with the check, so such a DATABASE_URL
 * drops none of them.
 */
const test = databaseSuite('db: refreshing sessions check their client');

test('a DATABASE_URL with options of its own keeps them and the check', async ({ connectionString }) => {
  const url = new URL(connectionString);
  url.searchParams.set('options', '-c application_name=probe');
  const pool = createPool(
    withClientCheck({ connectionString: url.toString(), max: 1, options: '-c search_path=cx' }),
  );
  try {
    const { rows } = await pool.query(
      `select current_setting('client_connection_check_interval') as check_interval,
              current_setting('application_name') as name, current_setting('search_path') as path`,
    );
    assert.equal(rows[0], { check_interval: '1s', name: 'probe', path: 'cx' });
  } finally {
    await pool.end();
  }
});

test.run();
