import { type Command, InvalidArgumentError, Option } from 'commander';
import { connect } from '../../client/connect.js';
import { withDatabase } from '../../db/with-database.js';
import { assertDataModel, migrateDatabase } from '../../migrate/migrate.js';
import { buildKpiReport } from '../../report/kpi-report.js';
import { renderCsv, renderJson, renderTable } from '../../report/render-report.js';

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'the KPI report: volume, quality, efficiency, customer experience, business impact, open alerts',
    )
    .option('--from <date>', 'first reporting day (default: 29 days before --to)', day)
    .option('--to <date>', 'last reporting day (default: today in the reporting time zone)', day)
    .option('--channel <name>', 'one channel, e.g. chatbot')
    .option('--type <code>', 'one interaction type, e.g. billing_inquiry')
    .addOption(new Option('--region <region>', 'one region').choices(['R9', 'DEUR']))
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'csv']).default('table'))
    .action(
      async (options: {
        from?: string;
        to?: string;
        channel?: string;
        type?: string;
        region?: 'R9' | 'DEUR';
        format: 'table' | 'json' | 'csv';
      }) => {
        await withDatabase(async (db) => {
          // the embedded database is carepulse's own, kept migrated; on DATABASE_URL the report
          // only reads, so a role that may read the data model and nothing else can run it
          if (db.kind === 'embedded') await migrateDatabase(db);
          else await assertDataModel(db.connectionString);
          const client = connect({ connectionString: db.connectionString });
          try {
            const report = await buildKpiReport(client, options);
            const render = { table: renderTable, json: renderJson, csv: renderCsv }[options.format];
            process.stdout.write(render(report));
          } finally {
            await client.close();
          }
        });
      },
    );
}
