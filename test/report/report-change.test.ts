import * as assert from 'uvu/assert';
import { runCli } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * The change against the previous period is SQL (cx.metric_comparison), read by the client and
 * the report alike. On chatbot, live chats that completed:
 * - 2026-11-10 (the previous period): one resolved, one unresolved: success 1 / 2 = 0.5
 * - 2026-11-11 (the period): two resolved, one unresolved: success 2 / 3 = 0.666667
 * interactions 3 against 2: +1, +50 %, no direction; success_rate +0.166667, relative
 * 0.166667 / 0.5 = 0.333334, better; failure_rate 0 against 0: no relative change, the same.
 */
const test = databaseSuite('report: the change against the previous period');

test.before(async ({ pool }) => {
  const chat = { channel: 'chatbot', mode: 'live_chat' } as const;
  const contacts: Array<[string, string]> = [
    ['2026-11-10T09:00:00Z', 'resolved'],
    ['2026-11-10T10:00:00Z', 'unresolved'],
    ['2026-11-11T09:00:00Z', 'resolved'],
    ['2026-11-11T10:00:00Z', 'resolved'],
    ['2026-11-11T11:00:00Z', 'unresolved'],
  ];
  for (const [start, resolution] of contacts) {
    const end = new Date(Date.parse(start) + 300_000).toISOString();
    await given.interaction(pool, { ...chat, start, end, status: 'completed', resolution });
  }
  await pool.query('select * from cx.refresh_metrics()');
});

const EXPECTED = {
  interactions: { value: 3, previous: 2, difference: 1, relativeChange: 0.5, verdict: null },
  success_rate: {
    value: 0.666667,
    previous: 0.5,
    difference: 0.166667,
    relativeChange: 0.333334,
    verdict: 'better',
  },
  failure_rate: { value: 0, previous: 0, difference: 0, relativeChange: null, verdict: 'same' },
};

test('the client compares a period with the one before', async ({ client }) => {
  const rows = await client.metrics.compare({
    from: '2026-11-11',
    to: '2026-11-11',
    previousFrom: '2026-11-10',
    previousTo: '2026-11-10',
  });
  const picked = Object.fromEntries(
    rows
      .filter((r) => r.metricName in EXPECTED)
      .map((r) => [
        r.metricName,
        {
          value: r.value,
          previous: r.previous,
          difference: r.difference,
          relativeChange: r.relativeChange,
          verdict: r.verdict,
        },
      ]),
  );
  assert.equal(picked, EXPECTED);
});

test('the report shows the same change, in JSON and in the table', async ({ connectionString }) => {
  const env = { DATABASE_URL: connectionString };
  const json = await runCli(['report', '--from', '2026-11-11', '--to', '2026-11-11', '--format', 'json'], {
    env,
  });
  assert.is(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.equal(report.previousPeriod, { from: '2026-11-10', to: '2026-11-10' });
  const lines = Object.values(report.families).flat() as Array<Record<string, unknown>>;
  const line = (name: string) => lines.find((l) => l.metricName === name);
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const { value, previous, difference, relativeChange, verdict } = line(name) ?? {};
    assert.equal({ value, previous, difference, relativeChange, verdict }, expected, name);
  }
  assert.is(line('success_rate')?.label, 'Success rate');
  const table = await runCli(['report', '--from', '2026-11-11', '--to', '2026-11-11'], { env });
  const row = (name: string) => table.stdout.split('\n').find((l) => l.includes(` (${name}) `)) ?? '';
  assert.match(row('interactions'), / \+50\.0 % │/);
  assert.match(row('success_rate'), / \+16\.7 pts ▲ │/);
  assert.match(row('failure_rate'), / \+0\.0 pts │/);
});

test('the alerts section names what each alert is about, its day and window', async ({
  pool,
  connectionString,
}) => {
  // success 0.666667 on chatbot that day is below a warning level of 0.9
  await pool.query(
    `insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, min_sample)
     values ('success_rate', 'channel', (select channel_id from cx.channels where channel_name = 'chatbot'), 0.9, 0.2, 1)`,
  );
  await pool.query(`select * from cx.check_thresholds('2026-11-11')`);
  const env = { DATABASE_URL: connectionString };
  const message =
    'Success rate (success_rate) on channel chatbot is 0.6667, below the warning level 0.9 (1 day ending 2026-11-11, 3 observations)';
  const json = JSON.parse(
    (await runCli(['report', '--from', '2026-11-11', '--to', '2026-11-11', '--format', 'json'], { env }))
      .stdout,
  );
  assert.equal(
    json.alerts.map((a: Record<string, unknown>) => [
      a.severity,
      a.scopeKind,
      a.scopeName,
      a.metricDate,
      a.windowDays,
      a.message,
    ]),
    [['warning', 'channel', 'chatbot', '2026-11-11', 1, message]],
  );
  const table = (await runCli(['report', '--from', '2026-11-11', '--to', '2026-11-11'], { env })).stdout;
  const row =
    table.split('\n').find((l) => l.includes('Success rate (success_rate) on channel chatbot')) ?? '';
  assert.match(row, /│ warning +│ channel chatbot +│ 2026-11-11 +│ 1 day +│ open +│/);
});

test('more than 20 alerts: the table shows 20, critical first, and says how many more; JSON all', async ({
  pool,
  connectionString,
}) => {
  // 23 interaction types on 2026-11-12, each with a success-rate threshold (warning 0.9, critical
  // 0.4): types 01-21 resolve one contact of two (0.5: warning), 22 and 23 none of one (0: critical)
  for (let n = 1; n <= 23; n += 1) {
    const code = `alerting_type_${String(n).padStart(2, '0')}`;
    const typeId = await given.interactionType(pool, code);
    const resolutions = n <= 21 ? ['resolved', 'unresolved'] : ['unresolved'];
    for (const [i, resolution] of resolutions.entries())
      await given.interaction(pool, {
        channel: 'chatbot',
        mode: 'live_chat',
        typeId,
        start: `2026-11-12T1${i}:00:00Z`,
        end: `2026-11-12T1${i}:05:00Z`,
        resolution,
      });
    await pool.query(
      `insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, min_sample)
       values ('success_rate', 'interaction_type', $1, 0.9, 0.4, 1)`,
      [typeId],
    );
  }
  await pool.query('select * from cx.refresh_metrics()');
  await pool.query(`select * from cx.check_thresholds('2026-11-12')`);
  const env = { DATABASE_URL: connectionString };
  const args = ['report', '--from', '2026-11-12', '--to', '2026-11-12'];
  const json = JSON.parse((await runCli([...args, '--format', 'json'], { env })).stdout);
  const about = (a: Record<string, string>) => `${a.severity} ${a.scopeName}`;
  // critical first; then channels before interaction types (the chatbot threshold of the test
  // before finds success 21 / 44 there), each by name
  const expected = [
    'critical alerting_type_22',
    'critical alerting_type_23',
    'warning chatbot',
    ...Array.from({ length: 21 }, (_, i) => `warning alerting_type_${String(i + 1).padStart(2, '0')}`),
  ];
  assert.equal(json.alerts.map(about), expected);
  const lines = (await runCli(args, { env })).stdout.split('\n');
  const shown = lines
    .filter((l) => /^│ (critical|warning) /.test(l))
    .map((l) => {
      const [, severity, scope] = l.split('│').map((cell) => cell.trim());
      return `${severity} ${scope?.replace(/^(interaction type|channel) /, '')}`;
    });
  assert.equal(shown, expected.slice(0, 20));
  assert.ok(lines.includes('(4 more: carepulse report --format json)'), lines.slice(-3).join('\n'));
});

test.run();
