import * as assert from 'uvu/assert';
import {
  buildLedger,
  type Cell,
  D1,
  D2,
  expectedGroups,
  type Groups,
  OVER_NOTHING,
} from '../metrics/ledger.js';
import { runCli } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';

/**
 * `carepulse report` on the ledger (test/metrics/ledger.ts, hand-computed): JSON and CSV carry the
 * exact value and sample of every metric for the whole period, for each day (a one-day report), for
 * each channel (a channel filter), per day and channel (the buckets) and per agent.
 */
const test = databaseSuite('carepulse report: the ledger, every metric');

interface Line {
  metricName: string;
  value: number | null;
  sample: number;
  previous: number | null;
}
interface Report {
  families: Record<string, Line[]>;
  buckets: Array<{ date: string; channel: string; metrics: Record<string, number | null> }>;
  agents: Array<{
    agentCode: string;
    metrics: Record<string, number | null>;
    samples: Record<string, number>;
  }> | null;
}

let env: NodeJS.ProcessEnv;
const expected = expectedGroups();

async function report(...args: string[]): Promise<Report> {
  const result = await runCli(['report', ...args, '--format', 'json'], { env });
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** metric -> [value, sample] of every line of every family. */
function cells(r: Report): Record<string, Cell> {
  return Object.fromEntries(
    Object.values(r.families)
      .flat()
      .map((l) => [l.metricName, [l.value, l.sample]]),
  );
}

/** A group's cells, with what the group has no rows for as over nothing. */
function filled(group: Record<string, Cell>): Record<string, Cell> {
  return { ...OVER_NOTHING, ...group };
}

/** Only the values of cells. */
function valuesOf(group: Record<string, Cell>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(group).map(([name, [value]]) => [name, value]));
}

test.before(async ({ client, connectionString }) => {
  await buildLedger(client);
  env = { DATABASE_URL: connectionString };
});

test('json: the whole period, every metric, compared with two days of nothing', async () => {
  const r = await report('--from', D1, '--to', D2);
  assert.equal(cells(r), expected.none.all);
  const previous = Object.fromEntries(
    Object.values(r.families)
      .flat()
      .map((l) => [l.metricName, l.previous]),
  );
  assert.equal(previous, valuesOf(OVER_NOTHING));
});

test('json: each day on its own; the second compared with the first', async () => {
  const first = await report('--from', D1, '--to', D1);
  assert.equal(cells(first), filled(expected.day[D1] as Record<string, Cell>));
  const second = await report('--from', D2, '--to', D2);
  assert.equal(cells(second), filled(expected.day[D2] as Record<string, Cell>));
  const previous = Object.fromEntries(
    Object.values(second.families)
      .flat()
      .map((l) => [l.metricName, l.previous]),
  );
  assert.equal(previous, valuesOf(filled(expected.day[D1] as Record<string, Cell>)));
});

test('json: each channel on its own, the sources it has no rows in over nothing', async () => {
  for (const channel of ['chatbot', 'voice_call', 'web_app']) {
    const r = await report('--from', D1, '--to', D2, '--channel', channel);
    assert.equal(cells(r), filled(expected.channel[channel] as Record<string, Cell>), channel);
    assert.is(r.agents, null, 'agent figures are not per channel');
  }
});

test('json: the buckets per day and channel, and the agents', async () => {
  const r = await report('--from', D1, '--to', D2);
  const buckets: Record<string, Record<string, number | null>> = {};
  for (const b of r.buckets) buckets[`${b.date} ${b.channel}`] = b.metrics;
  assert.equal(
    buckets,
    Object.fromEntries(Object.entries(expected.day_channel).map(([group, c]) => [group, valuesOf(c)])),
  );
  const agents: Groups = {};
  for (const a of r.agents ?? [])
    agents[a.agentCode] = Object.fromEntries(
      Object.entries(a.metrics).map(([name, value]) => [name, [value, a.samples[name] as number]]),
    );
  // most contacts handled first: both handled 2, then by name
  assert.equal(
    (r.agents ?? []).map((a) => a.agentCode),
    ['ledger-h', 'ledger-k'],
  );
  assert.equal(agents, { 'ledger-h': expected.agent.H, 'ledger-k': expected.agent.K });
});

test('csv: one row per day and channel, every metric of the report, empty where none', async () => {
  const result = await runCli(['report', '--from', D1, '--to', D2, '--format', 'csv'], { env });
  assert.is(result.code, 0, result.stderr);
  const [header, ...lines] = result.stdout.trimEnd().split('\n');
  const columns = (header as string).split(',');
  const rows: Record<string, Record<string, number | null>> = {};
  for (const line of lines) {
    const [date, channel, ...values] = line.split(',');
    const metrics: Record<string, number | null> = {};
    columns.slice(2).forEach((name, i) => {
      if (values[i] !== '') metrics[name] = Number(values[i]);
    });
    rows[`${date} ${channel}`] = metrics;
  }
  // a metric with no value and a metric the bucket has no rows for are both empty cells
  const present = (c: Record<string, Cell>) =>
    Object.fromEntries(
      Object.entries(valuesOf(c)).filter((entry): entry is [string, number] => entry[1] !== null),
    );
  assert.equal(
    rows,
    Object.fromEntries(Object.entries(expected.day_channel).map(([group, c]) => [group, present(c)])),
  );
  assert.equal(
    columns.length - 2,
    Object.keys(OVER_NOTHING).length,
    'every metric but the agents’ has a column',
  );
});

test('table: the agents section, by label and unit', async () => {
  const result = await runCli(['report', '--from', D1, '--to', D2], { env });
  assert.is(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  const header = lines.find((l) => l.includes(' Agents ')) ?? '';
  assert.match(
    header,
    /Agents\s+│\s+handled\s+│\s+AHT\s+│\s+CSAT\s+│\s+escalations received\s+│\s+occupancy/,
  );
  const row = (code: string) =>
    (lines.find((l) => l.includes(`(${code})`)) ?? '')
      .split('│')
      .map((cell) => cell.trim())
      .filter(Boolean);
  // 480 s is 8:00 min; 3.5 of 5; occupancy 0.1; K has no status history: no occupancy
  assert.equal(row('ledger-h'), ['Agent ledger-h (ledger-h)', '2', '8:00 min', '3.50 / 5', '1', '10.0 %']);
  assert.equal(row('ledger-k'), ['Agent ledger-k (ledger-k)', '2', '5:00 min', '4.00 / 5', '0', '–']);
  const filtered = await runCli(['report', '--from', D1, '--to', D2, '--channel', 'chatbot'], { env });
  assert.match(
    filtered.stdout,
    'Agents: not shown with a channel, type or region filter (agent figures are per agent and day)',
  );
});

test.run();
