import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EmbeddedServerError } from '../errors.js';
import { type ServerUser, serverUserCan } from './system-user.js';

export const DEFAULT_PORT = 55432;

/** Where the embedded server keeps its files and which port it listens on. */
export interface EmbeddedLayout {
  /** The carepulse home: holds the data directory and the generated password. */
  home: string;
  /** Set when the home is not the one asked for, because the server user could not reach it. */
  fallbackFrom?: string;
  dataDir: string;
  logFile: string;
  passwordFile: string;
  port: number;
}

export function configuredPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CAREPULSE_PG_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new EmbeddedServerError(
      `CAREPULSE_PG_PORT must be a whole number from 1024 to 65535, got "${raw}"`,
    );
  }
  return port;
}

function layoutAt(home: string, port: number, fallbackFrom?: string): EmbeddedLayout {
  const dataDir = join(home, 'postgres');
  return {
    home,
    ...(fallbackFrom ? { fallbackFrom } : {}),
    dataDir,
    // inside the data directory: the server user must be able to write it, and it is that server's log
    logFile: join(dataDir, 'carepulse-server.log'),
    passwordFile: join(home, 'password'),
    port,
  };
}

/**
 * `CAREPULSE_HOME`, else `.carepulse/` in the working directory. As root the server runs as the
 * `postgres` user; a default home that user cannot reach (a checkout under /root) moves to a
 * directory named after it under the system temp directory, and the caller says so. A home the user
 * set explicitly is never moved: that is an error.
 */
export function embeddedLayout(user: ServerUser, env: NodeJS.ProcessEnv = process.env): EmbeddedLayout {
  const port = configuredPort(env);
  const explicit = env.CAREPULSE_HOME !== undefined && env.CAREPULSE_HOME !== '';
  const home = resolve(explicit ? (env.CAREPULSE_HOME as string) : '.carepulse');
  mkdirSync(home, { recursive: true, mode: 0o755 });
  if (serverUserCan(user, '-x', home)) return layoutAt(home, port);
  if (explicit) {
    throw new EmbeddedServerError(
      `the ${user.name} system user that runs PostgreSQL cannot enter CAREPULSE_HOME ${home}; choose a directory it can reach (for example under /var/tmp) or make every parent directory searchable`,
    );
  }
  const key = createHash('sha256').update(home).digest('hex').slice(0, 12);
  const fallback = join(tmpdir(), `carepulse-home-${key}`);
  mkdirSync(fallback, { recursive: true, mode: 0o755 });
  if (!serverUserCan(user, '-x', fallback)) {
    throw new EmbeddedServerError(
      `the ${user.name} system user cannot reach ${home} nor ${fallback}; set CAREPULSE_HOME to a directory it can reach`,
    );
  }
  return layoutAt(fallback, port, home);
}
