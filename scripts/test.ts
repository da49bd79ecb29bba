/**
 * `npm test`: typecheck, format/lint check, typegen drift, schema dump drift (where a matching
 * pg_dump exists), then every test file, two at a time, each in its own process against databases
 * cloned from one migrated template made here. Ends with the plain line "N passed, N failed"
 * (checks count as one test each) and fails when a check failed, a test failed, or no test ran.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { installSignalHandlers } from '../src/cli/shutdown.js';
import { dropDatabase } from '../src/db/admin.js';
import { EmbeddedServer } from '../src/db/embedded.js';
import { serverUser, serverUserCan } from '../src/db/system-user.js';
import { withDatabase } from '../src/db/with-database.js';
import { packageRoot } from '../src/migrate/package-paths.js';
import { freePort } from '../test/support/cli.js';
import { createTemplate, ROOT_URL_ENV, TEMPLATE_ENV } from '../test/support/test-server.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'tests-only': { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '2' },
  },
});
const FILE_TIMEOUT_MS = 10 * 60 * 1000;
const tsx = import.meta.resolve('tsx');

interface Outcome {
  passed: number;
  failed: number;
  skipped: number;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const append = (chunk: Buffer) => {
      output += chunk;
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => {
      output += `\n(killed after ${FILE_TIMEOUT_MS / 1000} s)`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

async function check(name: string, command: string, args: string[]): Promise<Outcome> {
  const started = Date.now();
  const { code, output } = await run(command, args);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = output.trim().split('\n').at(-1) ?? '';
  if (code === 0) {
    console.log(`check ${name}: ok (${seconds} s)${/skipped/.test(summary) ? ` — ${summary}` : ''}`);
    return { passed: 1, failed: 0, skipped: 0 };
  }
  console.log(`check ${name}: FAILED (${seconds} s)\n${output.trim()}\n`);
  return { passed: 0, failed: 1, skipped: 0 };
}

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .filter((file) => positionals.length === 0 || positionals.some((p) => file.includes(p)))
    .sort();
}

/** Reads uvu's closing summary; a file that crashed before printing one counts as one failure. */
function parseUvu(output: string, code: number): Outcome {
  const number = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(output)?.[1] ?? Number.NaN);
  const total = number('Total');
  const passed = number('Passed');
  const skipped = number('Skipped');
  if (Number.isNaN(total) || Number.isNaN(passed)) return { passed: 0, failed: 1, skipped: 0 };
  const failed = Math.max(total - passed, code === 0 ? 0 : 1);
  return { passed, failed, skipped: Number.isNaN(skipped) ? 0 : skipped };
}

async function runTests(env: NodeJS.ProcessEnv): Promise<Outcome> {
  const files = await testFiles(join(packageRoot, 'test'));
  const queue = [...files];
  const totals: Outcome = { passed: 0, failed: 0, skipped: 0 };
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const started = Date.now();
      const { code, output } = await run(process.execPath, ['--import', tsx, file], env);
      const outcome = parseUvu(output, code);
      totals.passed += outcome.passed;
      totals.failed += outcome.failed;
      totals.skipped += outcome.skipped;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const name = relative(packageRoot, file);
      if (outcome.failed > 0) console.log(`FAIL ${name} (${seconds} s)\n${output.trim()}\n`);
      else
        console.log(
          `ok   ${name}: ${outcome.passed} passed${outcome.skipped ? `, ${outcome.skipped} skipped` : ''} (${seconds} s)`,
        );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Number(values.concurrency)) }, worker));
  return totals;
}

/**
 * Without DATABASE_URL the run gets an embedded cluster of its own (its own home, a free port), so
 * it never disturbs, nor trips over, a carepulse server already running for `npm start` or for
 * another checkout on the default port. The cluster is kept between runs; a run stops it when done.
 */
async function useOwnEmbeddedCluster(): Promise<void> {
  if (process.env.DATABASE_URL || process.env.CAREPULSE_HOME || process.env.CAREPULSE_PG_PORT) return;
  const user = serverUser();
  const preferred = join(packageRoot, '.carepulse', 'test');
  mkdirSync(preferred, { recursive: true });
  const home = serverUserCan(user, '-x', preferred)
    ? preferred
    : join(tmpdir(), `carepulse-test-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`);
  mkdirSync(home, { recursive: true, mode: 0o755 });
  process.env.CAREPULSE_HOME = home;
  // a cluster left running by a killed run keeps its port; else any free one
  process.env.CAREPULSE_PG_PORT = String(
    EmbeddedServer.open({ ...process.env, CAREPULSE_PG_PORT: '' }).status().port ?? (await freePort()),
  );
}

installSignalHandlers();
await useOwnEmbeddedCluster();
const results: Outcome[] = [];
if (!values['tests-only']) {
  results.push(
    await check('typecheck', process.execPath, [
      join(packageRoot, 'node_modules/typescript/bin/tsc'),
      '-p',
      '.',
    ]),
  );
  results.push(await check('format and lint', join(packageRoot, 'node_modules/.bin/biome'), ['check', '.']));
}
await withDatabase(async (db) => {
  console.log(
    db.kind === 'external' ? 'database: DATABASE_URL' : `database: embedded (${db.embedded?.layout.dataDir})`,
  );
  if (!values['tests-only']) {
    results.push(
      await check('typegen drift', process.execPath, ['--import', tsx, 'scripts/typegen.ts', '--check']),
    );
    results.push(
      await check('schema dump drift', process.execPath, [
        '--import',
        tsx,
        'scripts/dump-schema.ts',
        '--check',
      ]),
    );
  }
  const template = await createTemplate(db.rootConnectionString);
  try {
    results.push(
      await runTests({ ...process.env, [TEMPLATE_ENV]: template, [ROOT_URL_ENV]: db.rootConnectionString }),
    );
  } finally {
    await dropDatabase(db.rootConnectionString, template);
  }
});

const total = results.reduce((sum, r) => ({
  passed: sum.passed + r.passed,
  failed: sum.failed + r.failed,
  skipped: sum.skipped + r.skipped,
}));
const ranNoTest = results.at(-1)?.passed === 0 && results.at(-1)?.failed === 0;
if (ranNoTest) console.log('no test ran: that is a failure');
console.log(
  `${total.passed} passed, ${total.failed + (ranNoTest ? 1 : 0)} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exitCode = total.failed > 0 || ranNoTest ? 1 : 0;
