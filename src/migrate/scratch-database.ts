import { createDatabase, dropDatabase, uniqueDatabaseName } from '../db/admin.js';
import { migrateDatabase } from './migrate.js';

/**
 * A freshly migrated database that exists only while `run` runs: what typegen and the schema
 * dump look at, so neither depends on the state of anyone's working database.
 */
export async function withScratchDatabase<T>(
  rootConnectionString: string,
  prefix: string,
  run: (connectionString: string) => Promise<T>,
): Promise<T> {
  const name = uniqueDatabaseName(prefix);
  const connectionString = await createDatabase(rootConnectionString, name);
  try {
    await migrateDatabase({ connectionString, rootConnectionString });
    return await run(connectionString);
  } finally {
    await dropDatabase(rootConnectionString, name);
  }
}
