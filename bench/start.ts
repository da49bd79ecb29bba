/**
 * Start-to-report benchmark (issue 6): `carepulse start` on a fresh embedded database (a new
 * CAREPULSE_HOME and port: initdb, migrations, the demo load, the refresh and the KPI report), timed
 * until it says it is ready; then Ctrl-C, timed until it has stopped the server. Then a second start
 * on the same data, which must not load the demo again.
 *
 *   node --import tsx bench/start.ts [--demo-interactions 150000]
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exited, freePort, reachableTempDir, spawnCli, waitForOutput } from '../test/support/cli.js';

const { values } = parseArgs({ options: { 'demo-interactions': { type: 'string', default: '150000' } } });

async function timedStart(
  env: NodeJS.ProcessEnv,
): Promise<{ ready: number; stopped: number; output: string }> {
  const started = performance.now();
  const child = spawnCli(['start', '--demo-interactions', String(values['demo-interactions'])], { env });
  const output = await waitForOutput(child, /Press Ctrl-C to stop/, 30 * 60_000);
  const ready = (performance.now() - started) / 1000;
  const stopping = performance.now();
  child.kill('SIGINT');
  await exited(child);
  return { ready, stopped: (performance.now() - stopping) / 1000, output };
}

const home = await reachableTempDir('carepulse-bench-start');
// spawnCli leaves the runner's DATABASE_URL out: start uses the embedded server in `home`
const env = { CAREPULSE_HOME: home, CAREPULSE_PG_PORT: String(await freePort()) };
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
