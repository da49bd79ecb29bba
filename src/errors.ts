/**
 * Errors a person can act on. The CLI prints `message` as one line and exits non-zero; anything
 * that is not a CarepulseError is a bug and keeps its stack trace.
 */
export class CarepulseError extends Error {
  override name = 'CarepulseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The database cannot be reached, refused us, or is not there. */
export class ConnectionError extends CarepulseError {
  override name = 'ConnectionError';
}

/** The embedded PostgreSQL server could not be set up, started or stopped. */
export class EmbeddedServerError extends CarepulseError {
  override name = 'EmbeddedServerError';
}

/** The database's migrations do not match the ones this version of carepulse ships. */
export class MigrationError extends CarepulseError {
  override name = 'MigrationError';
}

/** An error about one field of what was written (camelCase, as the client's API spells it). */
abstract class FieldError extends CarepulseError {
  constructor(
    message: string,
    readonly field: string | undefined,
    readonly constraint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A value the data model does not allow. */
export class ValidationError extends FieldError {
  override name = 'ValidationError';
}

/**
 * The database's grants do not let this role do what the call needs. `objectType` and
 * `objectName` are what PostgreSQL named ("table", "customers"), when it named something.
 */
export class PermissionError extends CarepulseError {
  override name = 'PermissionError';
  constructor(
    message: string,
    readonly objectType: string | undefined,
    readonly objectName: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends CarepulseError {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`${entity} ${key} does not exist`);
  }
}

/** A write would duplicate something that must be unique, or overlap what must not overlap. */
export class ConflictError extends FieldError {
  override name = 'ConflictError';
}
