/**
 * graphile-migrate afterReset action: installs the schemas of the tools that keep their own
 * (graphile-worker) into the database just reset. graphile-migrate passes it as GM_DBURL.
 */
import { runMigrations } from 'graphile-worker';

const connectionString = process.env.GM_DBURL;
if (!connectionString) {
  console.error('install-tool-schemas: GM_DBURL is not set (this script runs as a graphile-migrate action)');
  process.exit(1);
}
await runMigrations({ connectionString });
