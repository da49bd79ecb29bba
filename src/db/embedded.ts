import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { EmbeddedServerError } from '../errors.js';
import { type ServerBinaries, serverBinaries } from './embedded-binaries.js';
import { type EmbeddedLayout, embeddedLayout } from './embedded-home.js';
import { asServerUser, type ServerUser, serverUser } from './system-user.js';

export const EMBEDDED_DATABASE = 'carepulse';
const SUPERUSER = 'postgres';
const START_TIMEOUT_SECONDS = 60;

/** The memory this process may use: the container's limit when there is one, else the machine's. */
function availableMemory(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  return limit > 0 && limit < totalmem() ? limit : totalmem();
}

/**
 * Shared buffers for the embedded server: an eighth of the memory available (a container's limit,
 * not the host's), between PostgreSQL's own default (128 MB) and 2 GB. At the default, a load of
 * millions of interactions spent its time evicting dirty index and customer pages (a
 * 10M-interaction history loaded 3 times slower than 3M).
 */
export function embeddedSharedBuffersMb(machineBytes = availableMemory()): number {
  return Math.min(2048, Math.max(128, Math.floor(machineBytes / 8 / 1024 / 1024)));
}

export interface EmbeddedStatus {
  running: boolean;
  pid?: number;
  /** The port the running server listens on (from its pid file). */
  port?: number;
}

interface ProgramResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The embedded PostgreSQL server of one carepulse home: initialised on first use, started in the
 * background with pg_ctl (so it can outlive the command that started it), found again through its
 * pid file when it is already running, stopped with pg_ctl.
 */
export class EmbeddedServer {
  private binaries?: ServerBinaries;

  private constructor(
    readonly layout: EmbeddedLayout,
    readonly user: ServerUser,
  ) {}

  static open(env: NodeJS.ProcessEnv = process.env): EmbeddedServer {
    const user = serverUser();
    return new EmbeddedServer(embeddedLayout(user, env), user);
  }

  /** One line for the user when the data had to live somewhere other than asked; else undefined. */
  fallbackNotice(): string | undefined {
    const { fallbackFrom, home } = this.layout;
    return fallbackFrom
      ? `note: the ${this.user.name} system user that runs PostgreSQL cannot reach ${fallbackFrom}, so the embedded database lives in ${home}`
      : undefined;
  }

  isInitialised(): boolean {
    return existsSync(join(this.layout.dataDir, 'PG_VERSION'));
  }

  connectionString(database = EMBEDDED_DATABASE): string {
    if (!existsSync(this.layout.passwordFile)) {
      throw new EmbeddedServerError(
        `the embedded database in ${this.layout.home} has not been created yet; run "carepulse db start" or "carepulse migrate"`,
      );
    }
    const password = readFileSync(this.layout.passwordFile, 'utf8').trim();
    return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${this.layout.port}/${database}`;
  }

  /** Reads the pid file; a pid file whose process is gone (a crash, a SIGKILL) means not running. */
  status(): EmbeddedStatus {
    const pidFile = join(this.layout.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return { running: false };
    const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(pidLine);
    if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return { running: false };
    return { running: true, pid, port: Number(portLine) };
  }

  /**
   * Starts the server unless it already runs. Returns whether this call started it, so that a
   * command stops only a server it started itself.
   */
  async start(): Promise<{ startedHere: boolean }> {
    if (this.reuseRunning()) return { startedHere: false };
    await this.initialise();
    await assertPortFree(this.layout.port);
    const { dataDir, logFile, port } = this.layout;
    const options = [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dataDir}'`,
      '-c unix_socket_permissions=0700',
      `-c shared_buffers=${embeddedSharedBuffersMb()}MB`,
      // bulk loads write gigabytes of WAL: fewer forced checkpoints, at the cost of disk
      '-c max_wal_size=4GB',
    ].join(' ');
    const result = await this.run('pgCtl', [
      'start',
      '-D',
      dataDir,
      '-l',
      logFile,
      '-w',
      '-t',
      String(START_TIMEOUT_SECONDS),
      '-s',
      '-o',
      options,
    ]);
    if (result.code === 0) return { startedHere: true };
    // another command may have started the same server a moment before us
    if (this.reuseRunning()) return { startedHere: false };
    throw new EmbeddedServerError(`embedded PostgreSQL did not start: ${await this.reasonFromLog(result)}`);
  }

  /** Stops the server if it runs; returns whether it was running. */
  async stop(): Promise<boolean> {
    if (!this.status().running) return false;
    const result = await this.run('pgCtl', ['stop', '-D', this.layout.dataDir, '-m', 'fast', '-w', '-s']);
    if (result.code !== 0 && this.status().running) {
      throw new EmbeddedServerError(
        `embedded PostgreSQL did not stop: ${lastLine(result.stderr) || `pg_ctl exited with code ${result.code}`}`,
      );
    }
    return true;
  }

  private reuseRunning(): boolean {
    const status = this.status();
    if (!status.running) return false;
    if (status.port !== this.layout.port) {
      throw new EmbeddedServerError(
        `the embedded server in ${this.layout.dataDir} already runs on port ${status.port}, not ${this.layout.port}; stop it with "carepulse db stop" or set CAREPULSE_PG_PORT=${status.port}`,
      );
    }
    return true;
  }

  private async initialise(): Promise<void> {
    const { dataDir, home, passwordFile } = this.layout;
    this.binaries ??= await serverBinaries(this.user);
    if (this.isInitialised()) {
      this.assertDataDirUsable();
      return;
    }
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (this.user.uid !== undefined) await chown(dataDir, this.user.uid, this.user.gid ?? this.user.uid);
    const password = randomBytes(18).toString('base64url');
    // initdb reads the password from a file, as the server user
    const initdbPasswordFile = join(home, `.initdb-password-${process.pid}`);
    await writeFile(initdbPasswordFile, `${password}\n`, { mode: 0o600 });
    if (this.user.uid !== undefined)
      await chown(initdbPasswordFile, this.user.uid, this.user.gid ?? this.user.uid);
    try {
      const result = await this.run('initdb', [
        '-D',
        dataDir,
        '-U',
        SUPERUSER,
        '--auth=scram-sha-256',
        `--pwfile=${initdbPasswordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ]);
      if (result.code !== 0) {
        await rm(join(dataDir, 'PG_VERSION'), { force: true });
        throw new EmbeddedServerError(
          `could not create the embedded database in ${dataDir}: ${lastLine(result.stderr) || `initdb exited with code ${result.code}`}`,
        );
      }
    } finally {
      await rm(initdbPasswordFile, { force: true });
    }
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  }

  private assertDataDirUsable(): void {
    const { dataDir, passwordFile } = this.layout;
    const owner = statSync(dataDir).uid;
    const expected = this.user.uid ?? process.getuid?.();
    if (expected !== undefined && owner !== expected) {
      throw new EmbeddedServerError(
        `the data directory ${dataDir} belongs to uid ${owner}, but PostgreSQL runs as ${this.user.name} (uid ${expected}); fix its owner or set CAREPULSE_HOME to another directory`,
      );
    }
    const dataVersion = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim();
    const binaryMajor = this.binaries?.version.split('.')[0];
    if (binaryMajor !== undefined && dataVersion !== binaryMajor) {
      throw new EmbeddedServerError(
        `the data directory ${dataDir} was created by PostgreSQL ${dataVersion}, but the embedded server is PostgreSQL ${binaryMajor}; set CAREPULSE_HOME to a new directory`,
      );
    }
    if (!existsSync(passwordFile)) {
      throw new EmbeddedServerError(
        `the password file ${passwordFile} of the embedded database is missing; restore it or remove ${this.layout.home} to start afresh`,
      );
    }
  }

  private async reasonFromLog(result: ProgramResult): Promise<string> {
    const lines = (await readFile(this.layout.logFile, 'utf8').catch(() => '')).split('\n');
    const message = (line: string) => line.replace(/^.*?\b(FATAL|PANIC|ERROR|LOG|DETAIL):\s*/, '');
    // pg_ctl appends to the log on every start: the last fatal line is this attempt's
    const fatalAt = lines.findLastIndex((line) => /\b(FATAL|PANIC):/.test(line));
    let reason = fatalAt >= 0 ? message(lines[fatalAt] as string) : lastLine(result.stderr);
    // a bad setting is named on the LOG line before "configuration file ... contains errors"
    const before = fatalAt > 0 ? (lines[fatalAt - 1] as string) : '';
    if (
      /\b(LOG|ERROR|DETAIL):/.test(before) &&
      !/starting PostgreSQL|listening on|database system/.test(before)
    ) {
      reason = `${reason}: ${message(before)}`;
    }
    reason ||= `pg_ctl exited with code ${result.code}`;
    return `${reason} (server log: ${this.layout.logFile})`;
  }

  private async run(program: 'initdb' | 'pgCtl', args: string[]): Promise<ProgramResult> {
    this.binaries ??= await serverBinaries(this.user);
    const file = this.binaries[program];
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        ...asServerUser(this.user),
        cwd: this.layout.home,
        // a session of its own: Ctrl-C in the terminal must not reach the server directly; the
        // command that started it stops it in order
        detached: true,
        env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', (error) =>
        reject(new EmbeddedServerError(`could not run ${file}: ${error.message}`, { cause: error })),
      );
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user (the server user, when we are not root)
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // a recycled pid would belong to some other program
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true;
  }
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new EmbeddedServerError(
              `port ${port} on 127.0.0.1 is already in use by another program; set CAREPULSE_PG_PORT to a free port`,
            )
          : new EmbeddedServerError(`cannot listen on 127.0.0.1:${port}: ${error.message}`),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
