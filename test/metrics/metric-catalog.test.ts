import * as assert from 'uvu/assert';
import { KNOWN_METRICS } from '../../src/client/metrics.js';
import { runCli } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';

/**
 * The metric catalog is one place: cx.metrics. The client's list of the metrics it ships, the
 * report's --help and the labels screens show must all agree with it.
 */
const test = databaseSuite('metrics: the catalog');

test("the client's list of shipped metrics is the catalog, family by family", async ({ pool }) => {
  const { rows } = await pool.query(
    'select family, array_agg(metric_name order by metric_name) as names from cx.metrics group by family order by family',
  );
  const known = Object.entries(KNOWN_METRICS)
    .map(([family, names]) => ({ family, names: [...names].sort() }))
    .sort((a, b) => a.family.localeCompare(b.family));
  assert.equal(rows, known);
});

test('every metric has a label, and no two share one', async ({ pool }) => {
  const { rows } = await pool.query(
    `select count(*)::int as metrics, count(distinct label)::int as labels,
            count(*) filter (where label = metric_name)::int as codes_as_labels
       from cx.metrics`,
  );
  assert.equal(rows[0], { metrics: 45, labels: 45, codes_as_labels: 0 });
});

test('report --help explains n and lists every metric the report shows', async ({ pool }) => {
  const help = await runCli(['report', '--help']);
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout, '"n" the sample: the count the metric is taken over');
  const { rows } = await pool.query(`select metric_name from cx.metrics where family <> 'agent' order by 1`);
  const missing = rows
    .map((r) => r.metric_name)
    .filter((name) => !new RegExp(`\\b${name}\\b`).test(help.stdout));
  assert.equal(missing, []);
  assert.ok(
    help.stdout.split('\n').every((line) => line.length <= 100),
    'lines within 100 columns',
  );
});

test.run();
