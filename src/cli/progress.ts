import { SingleBar } from 'cli-progress';
import type { SimulationProgress } from '../simulate/load.js';

const PHASES: Record<SimulationProgress['phase'], string> = {
  world: 'reference data',
  customers: 'customers',
  agents: 'agent shifts',
  interactions: 'interactions',
};

/** One bar per phase, with rate and ETA; on a pipe (no TTY) one line per phase instead. */
export function progressReporter(quiet: boolean): {
  report: (p: SimulationProgress) => void;
  stop: () => void;
} {
  let bar: SingleBar | undefined;
  let phase: string | undefined;
  let phaseStarted = Date.now();
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    stop,
    report(p) {
      if (quiet) return;
      if (p.phase !== phase) {
        stop();
        phase = p.phase;
        phaseStarted = Date.now();
        if (!process.stderr.isTTY) console.error(`simulate: ${PHASES[p.phase]}…`);
        bar = new SingleBar({
          format: `${PHASES[p.phase].padEnd(15)} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
          noTTYOutput: false,
          stream: process.stderr,
          etaBuffer: 50,
          hideCursor: true,
        });
        bar.start(p.total, p.done, { rate: 0 });
      }
      const elapsed = (Date.now() - phaseStarted) / 1000;
      bar?.update(p.done, { rate: elapsed > 0 ? Math.round(p.done / elapsed) : 0 });
    },
  };
}
