import * as assert from 'uvu/assert';
import { exited, runCli, spawnCli, waitForOutput } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';

/**
 * `carepulse start` loads the demo only where it may (an empty embedded database, or --demo into an
 * empty one of your own), shows the KPI report, runs the worker, and stops on Ctrl-C; a second
 * start reuses the data. Here the database is a DATABASE_URL of the test's, with a tiny demo.
 */
const test = databaseSuite('carepulse start and the demo');

async function startUntilReady(connectionString: string, args: string[]) {
  const child = spawnCli(['start', ...args], { env: { DATABASE_URL: connectionString } });
  try {
    return await waitForOutput(child, /Press Ctrl-C to stop\.\n/, 90_000);
  } finally {
    child.kill('SIGINT');
    assert.is(await exited(child), 0, 'Ctrl-C ends start with exit 0');
  }
}

async function interactions(pool: import('pg').Pool): Promise<number> {
  return (await pool.query('select count(*)::int as n from cx.customer_interactions')).rows[0].n;
}

test('--demo loads the demo into an empty database and the report shows it; a second start reuses it', async ({
  pool,
  connectionString,
}) => {
  // a database of your own is not loaded unless --demo says so
  const plain = await startUntilReady(connectionString, []);
  assert.not.match(plain, 'Loading the demo');
  assert.is(await interactions(pool), 0);

  // a threshold any day with an unresolved contact breaks: success below 1 is a warning
  await pool.query(
    `update cx.performance_thresholds set warning_threshold = 1, critical_threshold = 0, min_sample = 1
      where metric_name = 'success_rate' and scope_kind = 'global'`,
  );
  const output = await startUntilReady(connectionString, ['--demo', '--demo-interactions', '300']);
  const loaded = await interactions(pool);
  // the demo ends now: the rest of today's share (at most about 1/60) has not happened yet
  assert.ok(loaded >= 290 && loaded <= 300, `${loaded} interactions`);
  assert.match(output, 'Loading the demo: 300 interactions over the last 60 days...\n');
  assert.match(output, new RegExp(`Demo loaded: ${loaded} interactions of 100 customers in [\\d.]+ s\\.\\n`));
  // nothing but carepulse's own lines (a query on a busy session once printed node-postgres's warning)
  assert.not.match(output, 'DeprecationWarning');
  // the report's 30 days and the 30 before them, which its change column compares with
  const { rows } = await pool.query(`
    select count(*) filter (where start_timestamp >= cx.reporting_day_start(cx.reporting_day(now()) - 29))::int as period,
           count(*) filter (where start_timestamp < cx.reporting_day_start(cx.reporting_day(now()) - 29)
                              and start_timestamp >= cx.reporting_day_start(cx.reporting_day(now()) - 59))::int as previous
      from cx.customer_interactions`);
  assert.ok(rows[0].previous > 100, `${rows[0].previous} interactions in the previous period`);
  const line = output.split('\n').find((l) => l.startsWith('│ Interactions (interactions) ')) ?? '';
  assert.match(line, new RegExp(` ${rows[0].period} │ +${rows[0].previous} │ +[+-][\\d.]+ % │`));

  // after the demo load the thresholds were checked for each day of the report, not today alone
  const alertDays = async () =>
    (
      await pool.query(`
        select count(distinct metric_date)::int as days,
               bool_and(metric_date between cx.reporting_day(now()) - 29 and cx.reporting_day(now())) as in_period
          from cx.system_alerts where metric_name = 'success_rate'`)
    ).rows[0];
  const checked = await alertDays();
  assert.ok(checked.days >= 10 && checked.in_period, `alerts on ${checked.days} days`);

  // a second start reuses the data; --demo then refuses in one line
  const again = await startUntilReady(connectionString, []);
  // and checks today only: past days, whose alerts people may have resolved, are left alone
  assert.equal(await alertDays(), checked);
  assert.match(again, 'Using the data already in the database (no demo load).\n');
  assert.is(await interactions(pool), loaded);
  const refused = await runCli(['start', '--demo'], { env: { DATABASE_URL: connectionString } });
  assert.is(refused.code, 1);
  assert.is(
    refused.stderr.trim(),
    'carepulse: the database already holds customers or interactions: --demo loads only into an empty database',
  );
});

test.run();
