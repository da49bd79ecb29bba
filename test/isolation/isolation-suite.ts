import * as assert from 'uvu/assert';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';

/**
 * Two test files (run in parallel by `npm test`) write the same row of the same table: each sees
 * only its own value, because each file's suite has its own database cloned from the template.
 */
export function isolationSuite(writer: string) {
  const test = databaseSuite(`template clone isolation: ${writer}`);

  test('a write to the shared table is seen only by this suite', async ({ pool }) => {
    await pool.query(
      "insert into cx.settings (setting_name, setting_value, value_type, description) values ('isolation_probe', $1, 'text', 'test')",
      [writer],
    );
    // were the databases shared, the other file's insert would collide with this one on the primary
    // key (run one after the other) or its value would show here (run side by side)
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rows } = await pool.query<{ setting_value: string }>(
      "select setting_value from cx.settings where setting_name = 'isolation_probe'",
    );
    assert.equal(rows, [{ setting_value: writer }]);
  });

  test('a rolled-back transaction leaves nothing behind', async ({ pool }) => {
    const inside = await inRollbackTransaction(pool, async (client) => {
      await client.query(
        "update cx.settings set setting_value = 'Europe/Paris' where setting_name = 'reporting_time_zone'",
      );
      const { rows } = await client.query("select cx.setting('reporting_time_zone') as zone");
      return rows[0].zone;
    });
    assert.is(inside, 'Europe/Paris');
    const { rows } = await pool.query("select cx.setting('reporting_time_zone') as zone");
    assert.is(rows[0].zone, 'UTC');
  });

  return test;
}
