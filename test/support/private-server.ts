import { rm } from 'node:fs/promises';
import { EMBEDDED_DATABASE, EmbeddedServer } from '../../src/db/embedded.js';
import { migrateDatabase } from '../../src/migrate/migrate.js';
import { freePort, reachableTempDir } from './cli.js';

/**
 * An embedded server of one test file's own (its own home under a temp dir, a free port), with the
 * carepulse database migrated on it: for tests that stop and start the database, which must never
 * be the server the other test files share, nor the machine's own.
 */
export interface PrivateServer {
  server: EmbeddedServer;
  /** The migrated carepulse database. */
  connectionString: string;
  /** Stops the server and removes its home. */
  destroy(): Promise<void>;
}

export async function startPrivateServer(prefix: string): Promise<PrivateServer> {
  const home = await reachableTempDir(prefix);
  const env = { CAREPULSE_HOME: home, CAREPULSE_PG_PORT: String(await freePort()) };
  const server = EmbeddedServer.open(env);
  try {
    await server.start();
    const connectionString = server.connectionString(EMBEDDED_DATABASE);
    await migrateDatabase({ connectionString, rootConnectionString: server.connectionString('postgres') });
    return {
      server,
      connectionString,
      destroy: async () => {
        await server.stop();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop().catch(() => {});
    await rm(home, { recursive: true, force: true });
    throw error;
  }
}
