/**
 * carepulse's library entry point. The typed client (connect, domain modules) arrives with the
 * client issue; today it exposes the database plumbing the CLI uses.
 */
export { acquireDatabase, configuredConnectionString, type DatabaseTarget } from './db/database.js';
export { EmbeddedServer } from './db/embedded.js';
export { CarepulseError, ConnectionError, EmbeddedServerError, MigrationError } from './errors.js';
export { type MigrationReport, migrateDatabase } from './migrate/migrate.js';
