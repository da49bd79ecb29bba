/**
 * Start-to-report benchmark (issue 6): `carepulse start` on a fresh embedded database (a new
 * CAREPULSE_HOME and port: initdb, migrations, the demo load, the refresh and the KPI report), timed
 * until it says it is ready; then Ctrl-C, timed until it has stopped the server. Then a second start
 * on the same data, which must not load the demo again.
 *
 *   node --import tsx bench/start.ts [--demo-interactions 150000]
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/migrate/package-paths.js';
import { freePort, reachableTempDir } from '../test/support/cli.js';

const { values } = parseArgs({ options: { 'demo-interactions': { type: 'string', default: '150000' } } });

async function timedStart(
  env: NodeJS.ProcessEnv,
): Promise<{ ready: number; stopped: number; output: string }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(packageRoot, 'src/cli/main.ts'),
      'start',
      '--demo-interactions',
      String(values['demo-interactions']),
    ],
    { cwd: packageRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes('Press Ctrl-C to stop')) {
        clearInterval(check);
        resolve();
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(check);
      reject(new Error(`start exited with ${code} before it was ready:\n${output}`));
    });
  });
  const ready = (performance.now() - started) / 1000;
  const stopping = performance.now();
  child.kill('SIGINT');
  await new Promise((resolve) => child.on('exit', resolve));
  return { ready, stopped: (performance.now() - stopping) / 1000, output };
}

const home = await reachableTempDir('carepulse-bench-start');
const env = { CAREPULSE_HOME: home, CAREPULSE_PG_PORT: String(await freePort()), DATABASE_URL: '' };
delete process.env.DATABASE_URL;
try {
  const first = await timedStart(env);
  const loaded = /Demo loaded: (\d+) interactions of (\d+) customers in ([\d.]+) s/.exec(first.output);
  console.log(
    `fresh embedded database: ready with the report in ${first.ready.toFixed(1)} s (demo: ${loaded?.[1]} interactions loaded in ${loaded?.[3]} s); Ctrl-C stopped everything in ${first.stopped.toFixed(1)} s`,
  );
  const second = await timedStart(env);
  console.log(
    `second start on the same data: ready in ${second.ready.toFixed(1)} s (${second.output.includes('Loading the demo') ? 'loaded the demo again!' : 'no demo load'}); stopped in ${second.stopped.toFixed(1)} s`,
  );
} finally {
  await rm(home, { recursive: true, force: true });
}
