import { onShutdown } from '../cli/shutdown.js';
import { acquireDatabase, type DatabaseTarget } from './database.js';

/**
 * Runs a command against the database. An embedded server that the command had to start is
 * stopped when the command ends, also on Ctrl-C; a server that was already running is left alone.
 */
export async function withDatabase<T>(run: (db: DatabaseTarget) => Promise<T>): Promise<T> {
  const db = await acquireDatabase();
  const unregister = onShutdown(() => db.release());
  try {
    return await run(db);
  } finally {
    unregister();
    await db.release();
  }
}
