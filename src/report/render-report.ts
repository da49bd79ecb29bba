/**
 * The KPI report in three forms: terminal tables for people (units, change against the previous
 * period, open alerts), and JSON and CSV for BI tools (stable formats, documented in docs/metrics.md:
 * one row per reporting day and channel).
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { type KpiLine, type KpiReport, REPORT_FAMILIES } from './kpi-report.js';

const FAMILY_TITLES: Record<(typeof REPORT_FAMILIES)[number], string> = {
  volume: 'Volume',
  quality: 'Quality',
  efficiency: 'Efficiency',
  customer_experience: 'Customer experience',
  business_impact: 'Business impact',
};

const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A value in its unit: 84.3 %, 2:05 min, 4.12 / 5, +12, € 1,234.50. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '–';
  switch (unit) {
    case 'fraction':
      return `${(value * 100).toFixed(1)} %`;
    case 'seconds': {
      const seconds = Math.round(value);
      return seconds < 120
        ? `${seconds} s`
        : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} min`;
    }
    case 'score_1_5':
      return `${value.toFixed(2)} / 5`;
    case 'score_1_7':
      return `${value.toFixed(2)} / 7`;
    case 'nps':
      return `${value > 0 ? '+' : ''}${Math.round(value)}`;
    case 'currency':
      return value < 0 ? `-€ ${twoDecimals.format(-value)}` : `€ ${twoDecimals.format(value)}`;
    default:
      return Number.isInteger(value) ? whole.format(value) : value.toFixed(2);
  }
}

/**
 * The change against the previous period as cx.metric_comparison gave it: points for rates, the
 * difference for scores, percent for amounts; ▲ better / ▼ worse by the metric's direction.
 */
export function formatChange(line: KpiLine): string {
  if (line.difference === null) return '–';
  // signed after rounding: a change of -0.00001 reads +0.0, not -0.0
  const signed = (n: number, digits: number) => {
    const rounded = n.toFixed(digits);
    return Number(rounded) === 0 ? `+${(0).toFixed(digits)}` : `${n > 0 ? '+' : ''}${rounded}`;
  };
  let text: string;
  if (line.unit === 'fraction') text = `${signed(line.difference * 100, 1)} pts`;
  else if (line.unit === 'nps' || line.unit.startsWith('score')) text = signed(line.difference, 2);
  else if (line.relativeChange === null) return '–';
  else text = `${signed(line.relativeChange * 100, 1)} %`;
  if (line.verdict === 'better') return `${text} ▲`;
  if (line.verdict === 'worse') return `${text} ▼`;
  return text;
}

export function renderTable(report: KpiReport): string {
  const filters = Object.entries(report.filters)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${v}`);
  const out = [
    `KPI report ${report.period.from} to ${report.period.to}${filters.length ? ` (${filters.join(', ')})` : ''}; change against ${report.previousPeriod.from} to ${report.previousPeriod.to}`,
  ];
  for (const family of REPORT_FAMILIES) {
    const lines = report.families[family];
    if (lines.length === 0) continue;
    const table = new Table({
      head: [FAMILY_TITLES[family], 'value', 'previous', 'change', 'n'],
      colAligns: ['left', 'right', 'right', 'right', 'right'],
      style: { head: [], border: [], compact: true },
    });
    for (const line of lines)
      table.push([
        `${line.label} (${line.metricName})`,
        formatValue(line.value, line.unit),
        formatValue(line.previous, line.unit),
        formatChange(line),
        whole.format(line.sample),
      ]);
    out.push(table.toString());
  }
  out.push(renderAgents(report));
  if (report.alerts.length === 0) out.push('Open alerts: none');
  else {
    const table = new Table({
      head: ['Open alerts', 'about', 'day', 'window', 'status', 'message'],
      style: { head: [], border: [], compact: true },
    });
    for (const alert of report.alerts.slice(0, 20))
      table.push([
        alert.severity,
        alert.scopeName ? `${alert.scopeKind.replace('_', ' ')} ${alert.scopeName}` : 'all',
        alert.metricDate,
        alert.windowDays === 1 ? '1 day' : `${alert.windowDays} days`,
        alert.alertStatus,
        alert.message,
      ]);
    out.push(table.toString());
    if (report.alerts.length > 20)
      out.push(`(${report.alerts.length - 20} more: carepulse report --format json)`);
  }
  return `${out.join('\n')}\n`;
}

/** The agent columns of the table: metric, heading and unit. */
const AGENT_COLUMNS: Array<[metric: string, heading: string, unit: string]> = [
  ['agent_handled', 'handled', 'count'],
  ['agent_aht_seconds', 'AHT', 'seconds'],
  ['agent_csat_score', 'CSAT', 'score_1_5'],
  ['agent_escalations_received', 'escalations received', 'count'],
  ['agent_occupancy', 'occupancy', 'fraction'],
];

/** The agents who handled most, at most 20 of them, with a line saying how many more JSON has. */
function renderAgents(report: KpiReport): string {
  if (report.agents === null)
    return 'Agents: not shown with a channel, type or region filter (agent figures are per agent and day)';
  if (report.agents.length === 0) return 'Agents: none with figures in the period';
  const table = new Table({
    head: ['Agents', ...AGENT_COLUMNS.map(([, heading]) => heading)],
    colAligns: ['left', ...AGENT_COLUMNS.map(() => 'right' as const)],
    style: { head: [], border: [], compact: true },
  });
  for (const agent of report.agents.slice(0, 20))
    table.push([
      `${agent.agentName} (${agent.agentCode})`,
      ...AGENT_COLUMNS.map(([metric, , unit]) => formatValue(agent.metrics[metric] ?? null, unit)),
    ]);
  const more =
    report.agents.length > 20 ? `\n(${report.agents.length - 20} more: carepulse report --format json)` : '';
  return `${table.toString()}${more}`;
}

export function renderJson(report: KpiReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One row per reporting day and channel: date, channel, then every metric of the report in catalog order. */
export function renderCsv(report: KpiReport): string {
  const metrics = REPORT_FAMILIES.flatMap((f) => report.families[f].map((l) => l.metricName));
  return stringify(
    report.buckets.map((b) => [b.date, b.channel, ...metrics.map((m) => b.metrics[m] ?? '')]),
    { header: true, columns: ['date', 'channel', ...metrics] },
  );
}
