import * as assert from 'uvu/assert';
import { simulate } from '../../src/simulate/load.js';
import { runCli } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';

/**
 * `carepulse report` in all three formats shows the numbers that direct SQL over the raw
 * interactions gives, on a small simulated dataset (two days, 600 contacts).
 */
const test = databaseSuite('carepulse report');

const FROM = '2026-11-09';
const TO = '2026-11-10';

interface RawDay {
  date: string;
  channel: string;
  interactions: number;
  success_rate: number | null;
  containment_rate: number | null;
  aht_seconds: number | null;
}

/** The KPIs straight from customer_interactions and their steps, not from the daily tables. */
const RAW = `
  select i.start_timestamp::date::text as date, c.channel_name as channel, count(*)::int as interactions,
         round(avg((i.resolution_status = 'resolved')::int) filter (where i.status = 'completed'), 6)::float as success_rate,
         round(avg((not i.escalated_to_human)::int) filter (where i.initial_mode = 'bot'), 6)::float as containment_rate,
         round(avg(i.human_duration_seconds + i.wrap_up_seconds) filter (where exists (
           select 1 from cx.interaction_steps s
            where s.customer_id = i.customer_id and s.interaction_id = i.interaction_id
              and s.interaction_start_timestamp = i.start_timestamp and s.step_type = 'human')), 6)::float as aht_seconds
    from cx.customer_interactions i join cx.channels c using (channel_id)
   group by grouping sets ((1, 2), ())
   order by 1, 2`;

let raw: RawDay[];
let total: RawDay;

test.before(async ({ pool }) => {
  await simulate(pool, {
    days: 2,
    interactions: 600,
    customers: 150,
    seed: 5,
    end: new Date(`${TO}T00:00:00Z`),
  });
  await pool.query('select cx.refresh_metrics()');
  const { rows } = await pool.query(RAW);
  raw = rows.filter((r) => r.date !== null);
  total = rows.find((r) => r.date === null);
});

test('json: totals and one bucket per day and channel, as SQL over the raw rows says', async ({
  connectionString,
}) => {
  const result = await runCli(['report', '--from', FROM, '--to', TO, '--format', 'json'], {
    env: { DATABASE_URL: connectionString },
  });
  assert.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.is(report.format, 'carepulse.kpi-report/1');
  assert.equal(report.period, { from: FROM, to: TO });
  assert.equal(report.previousPeriod, { from: '2026-11-07', to: '2026-11-08' });
  const line = (family: string, name: string) =>
    report.families[family].find((l: { metricName: string }) => l.metricName === name);
  assert.is(line('volume', 'interactions').value, total.interactions);
  assert.is(line('quality', 'success_rate').value, total.success_rate);
  assert.is(line('quality', 'containment_rate').value, total.containment_rate);
  assert.is(line('efficiency', 'aht_seconds').value, total.aht_seconds);
  assert.is(line('volume', 'interactions').previous, 0);
  const buckets = report.buckets
    .filter((b: { metrics: Record<string, number> }) => (b.metrics.interactions ?? 0) > 0)
    .map((b: { date: string; channel: string; metrics: Record<string, number | null> }) => ({
      date: b.date,
      channel: b.channel,
      interactions: b.metrics.interactions,
      success_rate: b.metrics.success_rate,
      containment_rate: b.metrics.containment_rate,
      aht_seconds: b.metrics.aht_seconds,
    }));
  assert.equal(buckets, raw);
});

test('csv: a header, then one row per day and channel with the same numbers', async ({
  connectionString,
}) => {
  const result = await runCli(['report', '--from', FROM, '--to', TO, '--format', 'csv'], {
    env: { DATABASE_URL: connectionString },
  });
  assert.is(result.code, 0, result.stderr);
  const [header, ...lines] = result.stdout.trimEnd().split('\n');
  const columns = (header as string).split(',');
  assert.equal(columns.slice(0, 2), ['date', 'channel']);
  const at = (name: string) => columns.indexOf(name);
  const number = (cell: string | undefined) => (cell === '' || cell === undefined ? null : Number(cell));
  const rows = lines
    .map((l) => l.split(','))
    .filter((cells) => Number(cells[at('interactions')]) > 0)
    .map((cells) => ({
      date: cells[0],
      channel: cells[1],
      interactions: number(cells[at('interactions')]),
      success_rate: number(cells[at('success_rate')]),
      containment_rate: number(cells[at('containment_rate')]),
      aht_seconds: number(cells[at('aht_seconds')]),
    }));
  assert.equal(rows, raw);
});

test('table: the same totals with their units, and a filter by channel', async ({ connectionString }) => {
  const result = await runCli(['report', '--from', FROM, '--to', TO], {
    env: { DATABASE_URL: connectionString },
  });
  assert.is(result.code, 0, result.stderr);
  assert.ok(
    result.stdout.startsWith(`KPI report ${FROM} to ${TO}; change against 2026-11-07 to 2026-11-08\n`),
    result.stdout.slice(0, 120),
  );
  const row = (name: string) => result.stdout.split('\n').find((l) => l.includes(` (${name}) `)) ?? '';
  // a person reads the label, the code beside it
  assert.ok(row('interactions').startsWith('│ Interactions (interactions) '), row('interactions'));
  assert.ok(row('success_rate').startsWith('│ Success rate (success_rate) '), row('success_rate'));
  assert.match(row('interactions'), ` ${total.interactions} │`);
  assert.match(row('success_rate'), ` ${((total.success_rate as number) * 100).toFixed(1)} % │`);
  const chatbot = raw.filter((r) => r.channel === 'chatbot').reduce((n, r) => n + r.interactions, 0);
  const filtered = await runCli(['report', '--from', FROM, '--to', TO, '--channel', 'chatbot'], {
    env: { DATABASE_URL: connectionString },
  });
  assert.ok(filtered.stdout.startsWith(`KPI report ${FROM} to ${TO} (channel chatbot);`));
  assert.match(
    filtered.stdout.split('\n').find((l) => l.startsWith('│ Interactions (interactions) ')) ?? '',
    ` ${chatbot.toLocaleString('en')} │`,
  );
});

test('bad options are refused by name', async ({ connectionString }) => {
  const env = { DATABASE_URL: connectionString };
  const format = await runCli(['report', '--format', 'xml'], { env });
  assert.is(format.code, 1);
  assert.match(
    format.stderr,
    "option '--format <format>' argument 'xml' is invalid. Allowed choices are table, json, csv.",
  );
  const channel = await runCli(['report', '--channel', 'fax'], { env });
  assert.equal([channel.code, channel.stderr.trim()], [1, 'carepulse: channel fax does not exist']);
  const period = await runCli(['report', '--from', '2026-11-10', '--to', '2026-11-01'], { env });
  assert.equal(
    [period.code, period.stderr.trim()],
    [1, 'carepulse: to (2026-11-01) must not be before from (2026-11-10)'],
  );
});

test.run();
