import pg from 'pg';
import './type-parsers.js';

/** Errors that mean the server is not there (down, restarting, out of reach), not that a query is wrong. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
]);

export function isServerUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code !== undefined && UNREACHABLE_CODES.has(code)) || /^Connection terminated/.test(message ?? '');
}

/** Waits between tries to reach the server: doubling from the first to the last, then the last. */
export const RECONNECT_FIRST_DELAY_MS = 500;
export const RECONNECT_MAX_DELAY_MS = 30_000;

type ConnectCallback = (
  error: Error | undefined,
  client: pg.PoolClient | undefined,
  done: () => void,
) => void;

/**
 * A pool whose connect() waits for the server while it is unreachable, instead of failing: a
 * long-running process (the worker) then rides out a restart of the database. One caller at a
 * time tries to reach the server, with backoff, and reports each failed try in one line; the
 * others wait for it. Every client is checked before it is handed out. A query on a connection
 * that the server drops while the query runs still fails: its caller decides (a job is retried).
 * Until wait() is called, connects fail as usual: a process that cannot reach its database at
 * start should say so, not hang.
 */
export class ReconnectingPool extends pg.Pool {
  private waiting = false;
  private outage: Promise<void> | undefined;
  private readonly sleeps = new Set<() => void>();

  constructor(
    config: pg.PoolConfig,
    private readonly onProblem: (message: string) => void,
  ) {
    super(config);
    // an idle client the server dropped; the next connect makes a new one
    this.on('error', (error) => onProblem(`database connection lost: ${firstLine(error.message)}`));
    // a client in use whose server went away, between two of its queries
    this.on('connect', (client) => client.on('error', () => {}));
  }

  /** From now on, connects wait for an unreachable server. */
  wait(): void {
    this.waiting = true;
  }

  /** Resolves once the server is unreachable (a connect waits): at once if it is now. */
  whenUnreachable(): Promise<void> {
    if (this.outage) return Promise.resolve();
    return new Promise((resolve) => this.once('unreachable', () => resolve()));
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    const connecting = this.connectWaiting();
    if (!callback) return connecting;
    // pg's own pool.query() connects this way
    connecting.then(
      (client) => callback(undefined, client, () => client.release()),
      (error: Error) => callback(error, undefined, () => {}),
    );
    return undefined;
  }

  override async end(): Promise<void> {
    for (const wake of this.sleeps) wake();
    await super.end();
  }

  private async connectWaiting(): Promise<pg.PoolClient> {
    for (;;) {
      if (this.outage) await this.outage;
      try {
        const client = await super.connect();
        if (await this.alive(client)) return client;
        // dropped by the server while it sat idle: the next one, or a new connection
      } catch (error) {
        if (!this.waiting || this.ending || !isServerUnreachable(error)) throw error;
        if (!this.outage) {
          this.outage = this.untilReachable(error as Error).finally(() => {
            this.outage = undefined;
          });
          this.emit('unreachable');
        }
      }
    }
  }

  /**
   * A round trip before handing out a client: graphile-worker records a job's outcome without
   * awaiting it, so that query failing on a connection the server had dropped (the moment the
   * server stops, every idle client is one) would be an unhandled rejection, which ends the process.
   */
  private async alive(client: pg.PoolClient): Promise<boolean> {
    try {
      await client.query('select 1');
      return true;
    } catch (error) {
      client.release(error as Error);
      if (!this.waiting || !isServerUnreachable(error)) throw error;
      return false;
    }
  }

  private async untilReachable(first: Error): Promise<void> {
    let error = first;
    for (let attempt = 1; !this.ending; attempt += 1) {
      const delay = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_FIRST_DELAY_MS * 2 ** (attempt - 1));
      this.onProblem(`database unreachable (${firstLine(error.message)}); trying again in ${delay / 1000} s`);
      await this.sleep(delay);
      if (this.ending) return;
      try {
        (await super.connect()).release();
        this.onProblem(`database reachable again (after ${attempt} ${attempt === 1 ? 'try' : 'tries'})`);
        return;
      } catch (next) {
        // any other error (a password, a dropped database) is for the callers to see
        if (!isServerUnreachable(next)) return;
        error = next as Error;
      }
    }
  }

  /** A sleep that end() cuts short and that never keeps the process alive by itself. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeps.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleeps.add(wake);
    });
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}
