import type pg from 'pg';

/**
 * For sessions that run refreshes (the worker, `carepulse refresh`, the first refresh of
 * `carepulse start`): while such a session runs a query, the server looks every second whether its
 * client is still connected (PostgreSQL 14+). A refresh is one statement in one transaction; when
 * its client dies (SIGKILL, a crash), the server would otherwise run it to the end, commit it for
 * no one and hold the refresh's advisory lock all the while. With the check it is cancelled within
 * about a second, rolls back (its buckets stay logged) and lets go of the lock, even while it waits
 * on a lock itself.
 *
 * It is a SET as each session connects, not a connection option: node-postgres lets an `options`
 * parameter of DATABASE_URL replace the pool's, which would drop it without a word. The 'connect'
 * event comes before the pool hands the session out, so the SET is that session's first query.
 *
 * The check sees a closed connection (a killed process on a live host); a host that vanished
 * without closing it is seen only by TCP keepalives.
 */
export function checkClientConnections<P extends pg.Pool>(pool: P): P {
  pool.on('connect', (client) => {
    // a failure (the session went away at once) surfaces on the session's next query
    client.query(`set client_connection_check_interval = '1s'`).catch(() => {});
  });
  return pool;
}
