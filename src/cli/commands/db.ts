import type { Command } from 'commander';
import pg from 'pg';
import { asConnectionError, describeTarget } from '../../db/connection-errors.js';
import { configuredConnectionString, externalUrl } from '../../db/database.js';
import { EmbeddedServer } from '../../db/embedded.js';
import { EmbeddedServerError } from '../../errors.js';
import { appliedMigrations, shippedMigrations } from '../../migrate/committed-migrations.js';

function embeddedOnly(action: string): EmbeddedServer {
  if (externalUrl()) {
    throw new EmbeddedServerError(
      `DATABASE_URL is set, so carepulse uses that server and has no embedded server to ${action}; unset DATABASE_URL to use the embedded one`,
    );
  }
  const server = EmbeddedServer.open();
  const notice = server.fallbackNotice();
  if (notice) console.error(notice);
  return server;
}

async function describeDatabase(connectionString: string): Promise<string> {
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
    const {
      rows: [server],
    } = await client.query<{ version: string }>("select current_setting('server_version') as version");
    const applied = await appliedMigrations(client);
    const shipped = await shippedMigrations();
    return `PostgreSQL ${server?.version}, ${applied.length} of ${shipped.length} migrations applied`;
  } catch (error) {
    throw asConnectionError(error, connectionString);
  } finally {
    await client.end().catch(() => {});
  }
}

export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('the database: start and stop the embedded server, show where it is');

  db.command('start')
    .description('start the embedded PostgreSQL server in the background (it keeps running until "db stop")')
    .action(async () => {
      const server = embeddedOnly('start');
      const { startedHere } = await server.start();
      const { port, dataDir } = server.layout;
      console.log(
        `${startedHere ? 'started' : 'already running:'} embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir}); stop it with "carepulse db stop"`,
      );
    });

  db.command('stop')
    .description('stop the embedded PostgreSQL server')
    .action(async () => {
      const server = embeddedOnly('stop');
      const wasRunning = await server.stop();
      console.log(
        wasRunning
          ? 'stopped the embedded PostgreSQL server'
          : 'the embedded PostgreSQL server was not running',
      );
    });

  db.command('status')
    .description(
      'say where the database is and whether it is up (exit code 3 when the embedded server is stopped)',
    )
    .action(async () => {
      const external = externalUrl();
      if (external) {
        console.log(
          `DATABASE_URL ${describeTarget(external)}: reachable, ${await describeDatabase(external)}`,
        );
        return;
      }
      const server = embeddedOnly('inspect');
      const status = server.status();
      if (!status.running) {
        console.log(`embedded PostgreSQL in ${server.layout.dataDir}: not running`);
        process.exitCode = 3;
        return;
      }
      const details = await describeDatabase(server.connectionString()).catch((error) =>
        error instanceof Error ? error.message : String(error),
      );
      console.log(
        `embedded PostgreSQL in ${server.layout.dataDir}: running (pid ${status.pid}) on 127.0.0.1:${status.port}; ${details}`,
      );
    });

  db.command('url')
    .description('print the connection string that the other commands use')
    .action(() => {
      console.log(configuredConnectionString());
    });
}
