import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withDatabaseName } from '../../src/db/database.js';
import { isRoot } from '../../src/db/system-user.js';
import { freePort, reachableTempDir, runCli } from '../support/cli.js';
import { acquireTestServer, releaseTestServer } from '../support/test-server.js';

/** Each bad situation gives a one-line human error and a non-zero exit, never a stack trace. */
const test = suite('CLI errors');
const asRoot = isRoot() ? test : test.skip;

function assertOneLineError(result: { code: number | null; stderr: string }, expected: string | RegExp) {
  assert.is(result.code, 1, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, `one line, got:\n${result.stderr}`);
  if (typeof expected === 'string') assert.is(lines[0], expected);
  else assert.match(lines[0] as string, expected);
}

test('a taken port', async () => {
  const port = await freePort();
  const home = await reachableTempDir('carepulse-port');
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    const result = await runCli(['db', 'start'], {
      env: { CAREPULSE_HOME: home, CAREPULSE_PG_PORT: String(port) },
    });
    assertOneLineError(
      result,
      `carepulse: port ${port} on 127.0.0.1 is already in use by another program; set CAREPULSE_PG_PORT to a free port`,
    );
  } finally {
    blocker.close();
    await rm(home, { recursive: true, force: true });
  }
});

test('a port that is not a port', async () => {
  const result = await runCli(['db', 'start'], { env: { CAREPULSE_PG_PORT: 'fifty' } });
  assertOneLineError(
    result,
    'carepulse: CAREPULSE_PG_PORT must be a whole number from 1024 to 65535, got "fifty"',
  );
});

asRoot('a data directory owned by someone else', async () => {
  const home = await reachableTempDir('carepulse-owner');
  const dataDir = join(home, 'postgres');
  await mkdir(dataDir, { mode: 0o700 });
  await writeFile(join(dataDir, 'PG_VERSION'), '18\n');
  await chown(dataDir, 65534, 65534); // nobody
  try {
    const env = { CAREPULSE_HOME: home, CAREPULSE_PG_PORT: String(await freePort()) };
    const result = await runCli(['db', 'start'], { env });
    assertOneLineError(
      result,
      /^carepulse: the data directory .*\/postgres belongs to uid 65534, but PostgreSQL runs as postgres \(uid \d+\); fix its owner or set CAREPULSE_HOME to another directory$/,
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

asRoot('a CAREPULSE_HOME the database system user cannot enter', async () => {
  const home = await mkdtemp('/root/carepulse-unreachable-');
  try {
    const result = await runCli(['db', 'start'], { env: { CAREPULSE_HOME: home } });
    assertOneLineError(
      result,
      `carepulse: the postgres system user that runs PostgreSQL cannot enter CAREPULSE_HOME ${home}; choose a directory it can reach (for example under /var/tmp) or make every parent directory searchable`,
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

asRoot('a default home the system user cannot reach moves elsewhere, and says where', async () => {
  const cwd = await mkdtemp('/root/carepulse-checkout-');
  const env = { CAREPULSE_PG_PORT: String(await freePort()) };
  try {
    const result = await runCli(['db', 'status'], { cwd, env });
    assert.is(result.code, 3, result.stderr);
    const notice =
      /^note: the postgres system user that runs PostgreSQL cannot reach (\S+), so the embedded database lives in (\S+)$/.exec(
        result.stderr.trim(),
      );
    assert.ok(notice, result.stderr);
    assert.is(notice[1], join(cwd, '.carepulse'));
    assert.match(result.stdout, `embedded PostgreSQL in ${notice[2]}/postgres: not running`);
    await rm(notice[2] as string, { recursive: true, force: true });
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
});

test('an unreachable DATABASE_URL', async () => {
  const result = await runCli(['migrate'], {
    env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/carepulse' },
  });
  assertOneLineError(
    result,
    'carepulse: cannot connect to PostgreSQL at 127.0.0.1:1/postgres: connection refused (is the server running?)',
  );
});

test('a DATABASE_URL that is not a URL', async () => {
  const result = await runCli(['db', 'status'], { env: { DATABASE_URL: 'not a url' } });
  assertOneLineError(
    result,
    'carepulse: DATABASE_URL is not a valid connection string (postgres://user:password@host:port/database)',
  );
});

test('a missing database', async () => {
  const server = await acquireTestServer();
  try {
    const url = withDatabaseName(server.rootConnectionString, 'carepulse_no_such_database');
    const result = await runCli(['db', 'status'], { env: { DATABASE_URL: url } });
    assertOneLineError(
      result,
      /^carepulse: PostgreSQL at .*\/carepulse_no_such_database: database "carepulse_no_such_database" does not exist \(run "carepulse migrate" to create and migrate it\)$/,
    );
  } finally {
    await releaseTestServer();
  }
});

test('a DATABASE_URL that names the maintenance database postgres', async () => {
  const server = await acquireTestServer();
  try {
    const url = withDatabaseName(server.rootConnectionString, 'postgres');
    const result = await runCli(['migrate'], { env: { DATABASE_URL: url } });
    assertOneLineError(
      result,
      /^carepulse: DATABASE_URL names the database postgres, which carepulse uses to create databases \(ROOT_DATABASE_URL\); name a database of carepulse's own, for example postgres:\/\/.*\/carepulse$/,
    );
  } finally {
    await releaseTestServer();
  }
});

test('db start and db stop refuse to act when DATABASE_URL is set', async () => {
  const result = await runCli(['db', 'stop'], { env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' } });
  assertOneLineError(
    result,
    'carepulse: DATABASE_URL is set, so carepulse uses that server and has no embedded server to stop; unset DATABASE_URL to use the embedded one',
  );
});

test('an unknown command fails and points to --help', async () => {
  const result = await runCli(['frobnicate']);
  assert.is(result.code, 1);
  assert.match(result.stderr, "error: unknown command 'frobnicate'");
  assert.match(result.stderr, '(run with --help for usage)');
});

for (const command of [
  [],
  ['start'],
  ['db'],
  ['db', 'start'],
  ['db', 'stop'],
  ['db', 'status'],
  ['db', 'url'],
  ['migrate'],
  ['worker'],
  ['refresh'],
]) {
  test(`carepulse ${command.join(' ')} --help describes the command`, async () => {
    const result = await runCli([...command, '--help']);
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, `Usage: carepulse ${command.join(' ')}`.trim());
  });
}

test('no stray files: a refused start leaves no data directory behind', async () => {
  const home = await reachableTempDir('carepulse-refused');
  const port = await freePort();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    await runCli(['db', 'start'], { env: { CAREPULSE_HOME: home, CAREPULSE_PG_PORT: String(port) } });
    // initdb ran (the cluster exists for the next try) but no server runs on it
    assert.not.ok(existsSync(join(home, 'postgres', 'postmaster.pid')));
  } finally {
    blocker.close();
    await rm(home, { recursive: true, force: true });
  }
});

test.run();
