import { createDatabase, dropDatabase, uniqueDatabaseName } from '../../src/db/admin.js';
import { acquireDatabase } from '../../src/db/database.js';
import { migrateDatabase } from '../../src/migrate/migrate.js';

/**
 * The server the tests use and the migrated template their databases are cloned from. `npm test`
 * (scripts/test.ts) makes both once per run and passes them in the environment; a test file run on
 * its own makes its own template and drops it when it is done.
 */
export interface TestServer {
  rootConnectionString: string;
  templateDatabase: string;
  /** Drops what this process made for itself (nothing when the run's template was used). */
  release(): Promise<void>;
}

export const TEMPLATE_ENV = 'CAREPULSE_TEST_TEMPLATE';
export const ROOT_URL_ENV = 'CAREPULSE_TEST_ROOT_URL';

export async function createTemplate(rootConnectionString: string): Promise<string> {
  const name = uniqueDatabaseName('carepulse_test_template');
  const connectionString = await createDatabase(rootConnectionString, name);
  await migrateDatabase({ connectionString, rootConnectionString });
  return name;
}

let shared: Promise<TestServer> | undefined;
let users = 0;

/** Pair each call with releaseTestServer(); the last release drops what this process made. */
export function acquireTestServer(): Promise<TestServer> {
  users += 1;
  shared ??= (async () => {
    const template = process.env[TEMPLATE_ENV];
    const root = process.env[ROOT_URL_ENV];
    if (template && root) {
      return { rootConnectionString: root, templateDatabase: template, release: async () => {} };
    }
    const db = await acquireDatabase();
    const templateDatabase = await createTemplate(db.rootConnectionString);
    return {
      rootConnectionString: db.rootConnectionString,
      templateDatabase,
      release: async () => {
        await dropDatabase(db.rootConnectionString, templateDatabase);
        await db.release();
      },
    };
  })();
  return shared;
}

export async function releaseTestServer(): Promise<void> {
  users -= 1;
  if (users > 0 || !shared) return;
  const server = await shared;
  shared = undefined;
  await server.release();
}
