/**
 * carepulse's library entry point. The typed client (connect, domain modules) arrives with the
 * client issue; today it exposes the database plumbing the CLI uses.
 */

export type * from './client/agents.js';
export type * from './client/alerts.js';
export { type CarepulseClient, type ConnectOptions, connect } from './client/connect.js';
export type * from './client/customers.js';
export type * from './client/feedback.js';
export type * from './client/ingest.js';
export type * from './client/interactions.js';
export type * from './client/journeys.js';
export type * from './client/metrics.js';
export type * from './client/outcomes.js';
export type * from './client/reference-data.js';
export type * from './client/reporting-days.js';
export type * from './client/thresholds.js';
export type * from './client/vocabulary.js';
export { acquireDatabase, configuredConnectionString, type DatabaseTarget } from './db/database.js';
export { EmbeddedServer } from './db/embedded.js';
export {
  CarepulseError,
  ConflictError,
  ConnectionError,
  EmbeddedServerError,
  MigrationError,
  NotFoundError,
  PermissionError,
  ValidationError,
} from './errors.js';
export { type MigrationReport, migrateDatabase } from './migrate/migrate.js';
