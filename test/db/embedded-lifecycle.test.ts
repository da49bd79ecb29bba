import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { embeddedSharedBuffersMb } from '../../src/db/embedded.js';
import { createPool } from '../../src/db/pool.js';
import { exited, freePort, reachableTempDir, runCli, spawnCli, waitForOutput } from '../support/cli.js';

/**
 * The embedded server's whole life, driven through the CLI with a home and port of this file's own
 * (never the server the rest of the run uses). Tests run in order: each leaves the server stopped.
 */
const test = suite<{ home: string; port: number; env: NodeJS.ProcessEnv }>('embedded server lifecycle', {
  home: '',
  port: 0,
  env: {},
});

test.before(async (context) => {
  context.home = await reachableTempDir('carepulse-lifecycle');
  context.port = await freePort();
  context.env = { CAREPULSE_HOME: context.home, CAREPULSE_PG_PORT: String(context.port) };
});

test.after(async ({ env, home }) => {
  await runCli(['db', 'stop'], { env });
  await rm(home, { recursive: true, force: true });
});

function serverPid(home: string): number | undefined {
  const pidFile = join(home, 'postgres', 'postmaster.pid');
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
}

/** A live process; an exited one that init has not reaped yet (a zombie) counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

test('status of a home with no server says not running and exits 3', async ({ env, home }) => {
  const result = await runCli(['db', 'status'], { env });
  assert.is(result.code, 3, result.stderr);
  assert.is(result.stdout.trim(), `embedded PostgreSQL in ${join(home, 'postgres')}: not running`);
});

test('db start creates the cluster and leaves it running; a second start notices it', async ({
  env,
  port,
  home,
}) => {
  const first = await runCli(['db', 'start'], { env });
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, `started embedded PostgreSQL on 127.0.0.1:${port}`);
  const pid = serverPid(home);
  assert.ok(pid && alive(pid), 'the server outlives the command that started it');

  const second = await runCli(['db', 'start'], { env });
  assert.is(second.code, 0, second.stderr);
  assert.match(second.stdout, `already running: embedded PostgreSQL on 127.0.0.1:${port}`);
  assert.is(serverPid(home), pid, 'same server, not a second one');

  const status = await runCli(['db', 'status'], { env });
  assert.is(status.code, 0, status.stderr);
  assert.match(status.stdout, `running (pid ${pid}) on 127.0.0.1:${port}`);
});

test('a command leaves alone a server it found running', async ({ env, home }) => {
  const pid = serverPid(home);
  const migrate = await runCli(['migrate'], { env });
  assert.is(migrate.code, 0, migrate.stderr);
  assert.match(migrate.stdout, /created database carepulse; applied \d+ migrations? to carepulse/);
  assert.ok(pid && alive(pid), 'still running after migrate');
  const status = await runCli(['db', 'status'], { env });
  assert.match(status.stdout, /PostgreSQL 1[5-9][.\d]*, (\d+) of \1 migrations applied/);
});

test('db url prints the connection string of the embedded server', async ({ env, port, home }) => {
  const result = await runCli(['db', 'url'], { env });
  const password = readFileSync(join(home, 'password'), 'utf8').trim();
  assert.is(
    result.stdout.trim(),
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/carepulse`,
  );
});

test('the server is sized for bulk loads: shared buffers an eighth of memory within 128 MB-2 GB, 4 GB of WAL', async ({
  env,
}) => {
  const GIB = 1024 ** 3;
  assert.equal(
    [embeddedSharedBuffersMb(24 * GIB), embeddedSharedBuffersMb(2 * GIB), embeddedSharedBuffersMb(GIB / 2)],
    [2048, 256, 128],
  );
  const url = (await runCli(['db', 'url'], { env })).stdout.trim();
  const pool = createPool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query(`
      select (select setting::bigint * 8 / 1024 from pg_settings where name = 'shared_buffers') as shared_buffers_mb,
             (select setting::bigint from pg_settings where name = 'max_wal_size') as max_wal_size_mb`);
    assert.equal(rows[0], { shared_buffers_mb: embeddedSharedBuffersMb(), max_wal_size_mb: 4096 });
  } finally {
    await pool.end();
  }
});

test('a wrong password in DATABASE_URL gives a one-line login error', async ({ port }) => {
  const result = await runCli(['db', 'status'], {
    env: { DATABASE_URL: `postgres://postgres:wrong@127.0.0.1:${port}/carepulse` },
  });
  assert.is(result.code, 1);
  assert.is(
    result.stderr.trim(),
    `carepulse: PostgreSQL at 127.0.0.1:${port}/carepulse refused the login: password authentication failed for user "postgres" (check the user and password in DATABASE_URL)`,
  );
});

test('db stop stops it; stopping again is harmless', async ({ env, home }) => {
  const pid = serverPid(home) as number;
  const stop = await runCli(['db', 'stop'], { env });
  assert.is(stop.stdout.trim(), 'stopped the embedded PostgreSQL server');
  assert.not.ok(alive(pid), 'the server process is gone');
  const again = await runCli(['db', 'stop'], { env });
  assert.is(again.code, 0);
  assert.is(again.stdout.trim(), 'the embedded PostgreSQL server was not running');
});

test('a command that had to start the server stops it when done, and the data is reused', async ({
  env,
  home,
}) => {
  const migrate = await runCli(['migrate'], { env });
  assert.is(migrate.code, 0, migrate.stderr);
  assert.match(migrate.stdout, /carepulse is up to date/, 'the data directory from before was reused');
  assert.is(serverPid(home), undefined, 'no server left behind');
  const status = await runCli(['db', 'status'], { env });
  assert.is(status.code, 3);
});

test('Ctrl-C while start loads the demo stops the load and the server; the next start loads it again', async ({
  env,
  home,
}) => {
  const child = spawnCli(['start', '--demo-interactions', '100000'], { env });
  await waitForOutput(child, /Loading the demo: 100000 interactions[\s\S]*simulate: customers/);
  const pid = serverPid(home) as number;
  assert.ok(alive(pid));
  child.kill('SIGINT');
  assert.is(await exited(child), 0);
  assert.not.ok(alive(pid), 'server stopped with the command');
  assert.is(serverPid(home), undefined);

  // the next start notices the unfinished demo and loads it again from scratch
  const again = spawnCli(['start', '--demo-interactions', '200'], { env });
  const output = await waitForOutput(again, /Press Ctrl-C to stop/, 120_000);
  again.kill('SIGINT');
  assert.is(await exited(again), 0);
  assert.match(
    output,
    'An earlier demo load was cut off: the embedded database starts again from scratch.\n',
  );
  assert.match(output, /Demo loaded: \d+ interactions of 100 customers/);
});

test('Ctrl-C on start stops the server that start started', async ({ env, home }) => {
  const child = spawnCli(['start', '--no-demo'], { env });
  await waitForOutput(child, /Press Ctrl-C to stop/);
  const pid = serverPid(home) as number;
  assert.ok(alive(pid));
  child.kill('SIGINT');
  assert.is(await exited(child), 0);
  assert.not.ok(alive(pid), 'server stopped with the command');
  assert.is(serverPid(home), undefined);
});

test('a start killed with SIGKILL leaves the server running; the next command finds and reuses it', async ({
  env,
  home,
}) => {
  const child = spawnCli(['start', '--no-demo'], { env });
  await waitForOutput(child, /Press Ctrl-C to stop/);
  const pid = serverPid(home) as number;
  child.kill('SIGKILL');
  await exited(child);
  assert.ok(alive(pid), 'nothing could stop it');
  const start = await runCli(['db', 'start'], { env });
  assert.match(start.stdout, 'already running');
  const migrate = await runCli(['migrate'], { env });
  assert.is(migrate.code, 0, migrate.stderr);
  assert.ok(alive(pid), 'reused, and left running by the command that found it');
  await runCli(['db', 'stop'], { env });
  assert.not.ok(alive(pid));
});

test('a server that cannot start says why, from its log', async ({ env, home }) => {
  const autoConf = join(home, 'postgres', 'postgresql.auto.conf');
  const original = readFileSync(autoConf, 'utf8');
  await writeFile(autoConf, `${original}\nshared_buffers = 'plenty'\n`);
  try {
    const result = await runCli(['db', 'start'], { env });
    assert.is(result.code, 1);
    assert.match(
      result.stderr,
      /^carepulse: embedded PostgreSQL did not start: configuration file ".*postgresql\.auto\.conf" contains errors: invalid value for parameter "shared_buffers": "plenty" \(server log: .*carepulse-server\.log\)\n$/,
    );
  } finally {
    await writeFile(autoConf, original);
  }
});

test.run();
