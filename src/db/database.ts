import { ConnectionError } from '../errors.js';
import { asConnectionError } from './connection-errors.js';
import { EMBEDDED_DATABASE, EmbeddedServer } from './embedded.js';

/**
 * Where carepulse's database is: `DATABASE_URL` when set, else the embedded server of this
 * carepulse home (started when needed). Every command and test reaches the database through here.
 */
export interface DatabaseTarget {
  kind: 'external' | 'embedded';
  /** The carepulse database. */
  connectionString: string;
  /** A maintenance database on the same server, for creating and dropping databases. */
  rootConnectionString: string;
  embedded?: EmbeddedServer;
  /** Whether acquiring the target started the embedded server (then release() stops it). */
  startedHere: boolean;
  release(): Promise<void>;
}

/** DATABASE_URL when set (checked to be a postgres:// URL), else undefined: use the embedded server. */
export function externalUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.DATABASE_URL?.trim();
  if (!url) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConnectionError(
      'DATABASE_URL is not a valid connection string (postgres://user:password@host:port/database)',
    );
  }
  return url;
}

/** The same server and credentials, another database. */
export function withDatabaseName(connectionString: string, database: string): string {
  try {
    const url = new URL(connectionString);
    url.pathname = `/${encodeURIComponent(database)}`;
    return url.toString();
  } catch (error) {
    throw asConnectionError(error, connectionString);
  }
}

export function databaseName(connectionString: string): string {
  try {
    return decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, '')) || 'postgres';
  } catch (error) {
    throw asConnectionError(error, connectionString);
  }
}

function rootOf(connectionString: string, env: NodeJS.ProcessEnv): string {
  return env.ROOT_DATABASE_URL || withDatabaseName(connectionString, 'postgres');
}

/** The connection string commands would use, without starting anything. */
export function configuredConnectionString(env: NodeJS.ProcessEnv = process.env): string {
  return externalUrl(env) ?? EmbeddedServer.open(env).connectionString(EMBEDDED_DATABASE);
}

export async function acquireDatabase(env: NodeJS.ProcessEnv = process.env): Promise<DatabaseTarget> {
  const external = externalUrl(env);
  if (external) {
    return {
      kind: 'external',
      connectionString: external,
      rootConnectionString: rootOf(external, env),
      startedHere: false,
      release: async () => {},
    };
  }
  const embedded = EmbeddedServer.open(env);
  const notice = embedded.fallbackNotice();
  if (notice) console.error(notice);
  const { startedHere } = await embedded.start();
  const connectionString = embedded.connectionString(EMBEDDED_DATABASE);
  let released = false;
  return {
    kind: 'embedded',
    connectionString,
    rootConnectionString: rootOf(connectionString, {}),
    embedded,
    startedHere,
    release: async () => {
      if (released || !startedHere) return;
      released = true;
      await embedded.stop();
    },
  };
}
