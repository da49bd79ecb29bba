import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * Every metric of cx.metrics is asserted to an exact, hand-computed value by a test in this folder.
 * Those tests assert a metric as a key of the expected object with its value written out
 * (`fcr_rate: [1, 3]`, `outcome_value: 50`, `agent_occupancy: [null, 0]`), and the ledger
 * (ledger.ts) holds every metric's row of hand-computed columns; a metric added to the catalog
 * without such a test fails here, naming it.
 */
const test = databaseSuite('metrics: every metric is asserted by hand');

test('no metric of the catalog goes without a hand-computed assertion', async ({ pool }) => {
  const folder = import.meta.dirname;
  const files = (await readdir(folder)).filter(
    // the tests and the ledger they share (ledger.ts), not this file
    (f) => f.endsWith('.ts') && !f.startsWith('every-metric'),
  );
  const sources = await Promise.all(files.map((f) => readFile(join(folder, f), 'utf8')));
  const { rows } = await pool.query('select metric_name from cx.metrics order by 1');
  const unasserted = rows
    .map((r) => r.metric_name as string)
    .filter((name) => !sources.some((source) => new RegExp(`\\b${name}:\\s+(\\[|-?\\d|null)`).test(source)));
  assert.equal(unasserted, []);
  assert.ok(rows.length >= 45, `${rows.length} metrics`);
});

test.run();
