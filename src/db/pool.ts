import pg from 'pg';
import './type-parsers.js';

/**
 * A pool whose idle clients may be dropped by the server (a restart, a dropped test database,
 * pg_terminate_backend) without crashing the process: the error is reported to `onError` and the
 * next query reconnects. graphile-worker also insists on these handlers.
 */
export function createPool(
  config: pg.PoolConfig,
  onError: (error: Error) => void = (error) =>
    console.error(`carepulse: database connection lost: ${error.message}`),
): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', onError);
  pool.on('connect', (client) => {
    client.on('error', onError);
  });
  return pool;
}
