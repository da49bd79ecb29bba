import type pg from 'pg';

const CLIENT_CHECK = '-c client_connection_check_interval=1s';

/**
 * For sessions that run refreshes (the worker, `carepulse refresh`, the first refresh of
 * `carepulse start`): while such a session runs a query, the server looks every second whether its
 * client is still connected (PostgreSQL 14+). A refresh is one statement in one transaction; when
 * its client dies (SIGKILL, a crash), the server would otherwise run it to the end, commit it for
 * no one and hold the refresh's advisory lock all the while. With the check it is cancelled within
 * about a second, rolls back (its buckets stay logged) and lets go of the lock, even while it waits
 * on a lock itself.
 *
 * node-postgres lets an `options` parameter of the connection string replace the config's
 * `options`, which would drop the check without a word: the two are merged here, the connection
 * string's first. (A SET as each session connects would race the session's first query.)
 *
 * The check sees a closed connection (a killed process on a live host); a host that vanished
 * without closing it is seen only by TCP keepalives.
 */
export function withClientCheck<C extends pg.PoolConfig>(config: C): C {
  let connectionString = config.connectionString;
  let fromUrl = '';
  if (connectionString) {
    try {
      const url = new URL(connectionString);
      fromUrl = url.searchParams.get('options') ?? '';
      url.searchParams.delete('options');
      connectionString = url.toString();
    } catch {
      // not a URL (key=value pairs): its options, if any, are its own business
    }
  }
  const options = [fromUrl, config.options, CLIENT_CHECK].filter(Boolean).join(' ');
  return { ...config, connectionString, options };
}
