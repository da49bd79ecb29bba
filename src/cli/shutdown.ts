/**
 * Orderly shutdown on Ctrl-C and SIGTERM: registered cleanups run last-registered first (stop the
 * worker before the server it talks to), then the process exits with 128 + the signal number.
 */
type Cleanup = () => Promise<void>;

const cleanups: Cleanup[] = [];
let shuttingDown = false;
let signalIsNormalExit = false;

/** For commands that run until Ctrl-C (start, worker): being stopped that way is success. */
export function treatSignalsAsNormalExit(): void {
  signalIsNormalExit = true;
}

export function onShutdown(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.lastIndexOf(cleanup);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop() as Cleanup;
    try {
      await cleanup();
    } catch (error) {
      console.error(`carepulse: during shutdown: ${(error as Error).message}`);
    }
  }
}

export function installSignalHandlers(): void {
  const signals = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
  for (const [signal, number] of Object.entries(signals)) {
    process.on(signal, () => {
      if (shuttingDown) return; // a second Ctrl-C while we stop the server changes nothing
      shuttingDown = true;
      void runCleanups().finally(() => process.exit(signalIsNormalExit ? 0 : 128 + number));
    });
  }
}

/**
 * Resolves never; the process ends through a signal and the cleanups. Rejects when `failure`
 * rejects (a worker that stopped on its own), so the command can end with that error.
 */
export function untilSignalled(failure?: Promise<never>): Promise<never> {
  return new Promise((_resolve, reject) => {
    // keep the event loop alive: a pending promise alone does not
    const keepAlive = setInterval(() => {}, 1 << 30);
    failure?.catch((error: unknown) => {
      clearInterval(keepAlive);
      reject(error);
    });
  });
}
