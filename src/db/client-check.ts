/**
 * Connection options for sessions that run refreshes (the worker, `carepulse refresh`): while such
 * a session runs a query, the server looks every second whether its client is still connected
 * (PostgreSQL 14+). A refresh is one statement in one transaction; when its client dies (SIGKILL, a
 * crash), the server would otherwise run it to the end, commit it for no one and hold the refresh's
 * advisory lock all the while. With the check it is cancelled within about a second, rolls back
 * (its buckets stay logged) and lets go of the lock, even while it waits on a lock itself.
 *
 * The check sees a closed connection (a killed process on a live host); a host that vanished
 * without closing it is seen only by TCP keepalives.
 */
export const CLIENT_CHECK_OPTIONS = '-c client_connection_check_interval=1s';
