import * as assert from 'uvu/assert';
import { withDatabaseName } from '../../src/db/database.js';
import { exited, runCli, spawnCli, waitForOutput } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { chatbotDay, logRows } from '../support/worker.js';

const test = databaseSuite('carepulse worker, refresh and start');

const REFRESHED = /metrics__refresh #\d+ \(\d+ ms\): refreshed 1 channel bucket/;

async function stopWithSignal(child: ReturnType<typeof spawnCli>, signal: NodeJS.Signals) {
  const sent = Date.now();
  child.kill(signal);
  const code = await exited(child);
  return { code, milliseconds: Date.now() - sent };
}

test('carepulse refresh recomputes what is logged, says so in one line, and leaves the log empty', async ({
  pool,
  connectionString,
}) => {
  await given.botInteraction(pool, { start: '2026-11-05T09:00:00Z', end: '2026-11-05T09:01:00Z' });
  const env = { DATABASE_URL: connectionString };
  const first = await runCli(['refresh'], { env });
  assert.is(first.code, 0, first.stderr);
  assert.match(
    first.stdout,
    /^refreshed 1 channel bucket and 0 agent buckets \(1 row\) in \d+ ms; log empty\n$/,
  );
  assert.is(await logRows(pool), 0);
  assert.is((await chatbotDay(pool, '2026-11-05'))?.interactions, 1);
  const again = await runCli(['refresh'], { env });
  assert.is(again.stdout, 'nothing to refresh; log empty\n');
});

test('carepulse worker processes the waiting job, and SIGTERM stops it with exit 0 within seconds', async ({
  pool,
  connectionString,
}) => {
  await given.botInteraction(pool, { start: '2026-11-06T09:00:00Z', end: '2026-11-06T09:01:00Z' });
  const child = spawnCli(['worker', '--poll-interval', '200'], { env: { DATABASE_URL: connectionString } });
  try {
    const output = await waitForOutput(child, REFRESHED, 30_000);
    assert.match(
      output,
      /^worker running on carepulse_test_\w+ \(tasks: metrics__refresh, thresholds__check, materialized_views__refresh, capacity__refresh, performance__refresh, cx_scores__compute, partitions__create_ahead;/,
    );
  } finally {
    const stopped = await stopWithSignal(child, 'SIGTERM');
    assert.is(stopped.code, 0);
    assert.ok(stopped.milliseconds < 5000, `stopped in ${stopped.milliseconds} ms`);
  }
  assert.is((await chatbotDay(pool, '2026-11-06'))?.interactions, 1);
  assert.is(await logRows(pool), 0);
});

test('carepulse start runs the worker after migrating and prints a line per refresh; Ctrl-C ends it', async ({
  pool,
  connectionString,
}) => {
  const child = spawnCli(['start'], { env: { DATABASE_URL: connectionString } });
  try {
    const ready = await waitForOutput(child, /Press Ctrl-C to stop\.\n/, 30_000);
    assert.match(
      ready,
      /is up to date \(\d+ migrations\)\n[\s\S]*KPI report [\s\S]*carepulse is ready\. Connect with:\n {2}postgres:/,
    );
    await given.botInteraction(pool, { start: '2026-11-07T09:00:00Z', end: '2026-11-07T09:01:00Z' });
    await waitForOutput(child, REFRESHED, 15_000);
  } finally {
    const stopped = await stopWithSignal(child, 'SIGINT');
    assert.is(stopped.code, 0);
  }
  assert.is((await chatbotDay(pool, '2026-11-07'))?.interactions, 1);
});

test('worker and refresh refuse a database that is not migrated, in one line', async ({
  rootConnectionString,
}) => {
  const env = { DATABASE_URL: withDatabaseName(rootConnectionString, 'postgres') };
  for (const command of [['worker'], ['refresh']]) {
    const result = await runCli(command, { env });
    assert.is(result.code, 1);
    assert.match(
      result.stderr,
      /^carepulse: database postgres has 0 of \d+ migrations applied; run "carepulse migrate" first\n$/,
    );
  }
});

test.run();
