import { type Command, InvalidArgumentError, Option } from 'commander';
import { connect } from '../../client/connect.js';
import { KNOWN_METRICS } from '../../client/metrics.js';
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
    .addHelpText('after', reportHelp())
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

/** What a reader of the report needs beside the options: what n means, and the metrics by family. */
function reportHelp(): string {
  const families = Object.entries(KNOWN_METRICS)
    .filter(([family]) => family !== 'agent')
    .flatMap(([family, names]) => wrapped(`  ${family}: ${names.join(', ')}`, '    '));
  return [
    '',
    'Each line is a metric of cx.metrics, shown as its label and its code; "previous" is the same',
    'number over the period of the same length just before, "change" the difference (points for',
    'rates) with ▲ better / ▼ worse, and "n" the sample: the count the metric is taken over (its',
    'denominator), so a rate of 100 % with n 1 means one contact. – means no value: a rate or a',
    'mean over nothing.',
    '',
    'Metrics (select * from cx.metrics describes each; docs/metrics.md defines them):',
    ...families,
  ].join('\n');
}

/** A line broken after commas to stay within 100 columns, continued with `indent`. */
function wrapped(line: string, indent: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(/(?<=, )/)) {
    if (current && (current + word).trimEnd().length > 100) {
      lines.push(current.trimEnd());
      current = indent;
    }
    current += word;
  }
  return [...lines, current.trimEnd()];
}
