import { ConnectionError } from '../errors.js';

/** The server and database of a connection string, without the password, for messages. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
  } catch {
    return 'the configured server';
  }
}

/**
 * Turns what `pg` throws while connecting into one sentence naming the server and what to do.
 * Errors that are not about connecting are returned unchanged.
 */
export function asConnectionError(error: unknown, connectionString: string): unknown {
  const err = error as { code?: string; message?: string; errors?: unknown[] };
  const target = describeTarget(connectionString);
  const code = err?.code ?? (err?.errors?.[0] as { code?: string } | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return new ConnectionError(
        `cannot connect to PostgreSQL at ${target}: connection refused (is the server running?)`,
        {
          cause: error,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(`cannot connect to PostgreSQL at ${target}: unknown host`, { cause: error });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectionError(`cannot connect to PostgreSQL at ${target}: host unreachable`, {
        cause: error,
      });
    case '28P01':
    case '28000':
      return new ConnectionError(
        `PostgreSQL at ${target} refused the login: ${err.message} (check the user and password in DATABASE_URL)`,
        { cause: error },
      );
    case '3D000':
      return new ConnectionError(
        `PostgreSQL at ${target}: ${err.message} (run "carepulse migrate" to create and migrate it)`,
        { cause: error },
      );
    case '57P03':
      return new ConnectionError(`PostgreSQL at ${target} is starting up or shutting down; try again`, {
        cause: error,
      });
    default:
      if (err instanceof TypeError && /Invalid URL/i.test(String(err.message))) {
        return new ConnectionError(
          'DATABASE_URL is not a valid connection string (postgres://user:password@host:port/database)',
          {
            cause: error,
          },
        );
      }
      return error;
  }
}
