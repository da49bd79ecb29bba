import * as assert from 'uvu/assert';
import { runCli } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * `carepulse report` checks the period the user gave, in the user's terms, and needs no more of
 * the database than what it reads: a role that may read the data model can run it.
 */
const test = databaseSuite('carepulse report: the period and the access it needs');

test('a period whose previous period would begin before year 1 is refused in the terms given', async ({
  connectionString,
}) => {
  // 1013-12-17 to 2026-11-30 is 369,975 days; the 369,975 days before begin on 0001-01-01
  const result = await runCli(['report', '--from', '1000-01-01', '--to', '2026-11-30'], {
    env: { DATABASE_URL: connectionString },
  });
  assert.is(result.code, 1);
  assert.is(
    result.stderr.trim(),
    'carepulse: from (1000-01-01) must be 1013-12-17 or later when to is 2026-11-30: the report compares the period with as many days just before it, and those must not begin before 0001-01-01',
  );
  const earliest = await runCli(
    ['report', '--from', '1013-12-17', '--to', '2026-11-30', '--format', 'json'],
    {
      env: { DATABASE_URL: connectionString },
    },
  );
  assert.is(earliest.code, 0, earliest.stderr);
  assert.equal(JSON.parse(earliest.stdout).previousPeriod, { from: '0001-01-01', to: '1013-12-16' });
});

test('a role that may only read the data model runs the report', async ({ pool, connectionString }) => {
  await given.interaction(pool, { start: '2026-11-05T09:00:00Z', end: '2026-11-05T09:04:00Z' });
  await pool.query('select * from cx.refresh_metrics()');
  const role = `carepulse_report_reader_${process.pid}`;
  await pool.query(`
    create role ${role} login password 'reader';
    -- cx.metric_values and cx.reporting_day run with the caller's rights and use cx_private's
    -- helpers: reading the data model needs usage on both schemas (and nothing of graphile_migrate)
    grant usage on schema cx, cx_private to ${role};
    grant select on all tables in schema cx to ${role};`);
  try {
    const url = new URL(connectionString);
    url.username = role;
    url.password = 'reader';
    const result = await runCli(
      ['report', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json'],
      {
        env: { DATABASE_URL: url.toString() },
      },
    );
    assert.is(result.code, 0, result.stderr);
    assert.is(result.stderr, '');
    const report = JSON.parse(result.stdout);
    assert.equal(report.period, { from: '2026-11-01', to: '2026-11-30' });
    const interactions = report.families.volume.find(
      (line: { metricName: string }) => line.metricName === 'interactions',
    );
    assert.equal([interactions.value, interactions.previous], [1, 0]);
  } finally {
    await pool.query(`drop owned by ${role}; drop role ${role}`);
  }
});

test.run();
