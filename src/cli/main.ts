import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { CarepulseError } from '../errors.js';
import { packageRoot } from '../migrate/package-paths.js';
import { registerDbCommands } from './commands/db.js';
import { registerGraphileMigrateCommand } from './commands/graphile-migrate.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerRefreshCommand } from './commands/refresh.js';
import { registerReportCommand } from './commands/report.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerStartCommand } from './commands/start.js';
import { registerWorkerCommand } from './commands/worker.js';
import { installSignalHandlers } from './shutdown.js';

const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
  version: string;
};

const program = new Command('carepulse')
  .description('carepulse: customer-care performance measurement in PostgreSQL')
  .version(version)
  .showHelpAfterError('(run with --help for usage)');

registerStartCommand(program);
registerDbCommands(program);
registerMigrateCommand(program);
registerWorkerCommand(program);
registerRefreshCommand(program);
registerSimulateCommand(program);
registerReportCommand(program);
registerGraphileMigrateCommand(program);

installSignalHandlers();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CarepulseError) {
    console.error(`carepulse: ${error.message}`);
  } else {
    console.error(`carepulse: unexpected error: ${(error as Error)?.message ?? String(error)}`);
    if (process.env.CAREPULSE_DEBUG) console.error(error);
    else console.error('(set CAREPULSE_DEBUG=1 to see the stack trace)');
  }
  process.exitCode = 1;
}
