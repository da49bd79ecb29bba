/**
 * The KPI report's data: every metric of the catalog over a period and the period before it, the
 * same metrics per day and channel, and the open alerts. All numbers come from the client's read
 * side (cx.metric_values): the report formats, it never computes a metric.
 */
import type { Alert } from '../client/alerts.js';
import type { CarepulseClient } from '../client/connect.js';
import type { Region } from '../client/customers.js';
import type { MetricFamily, MetricName, MetricQuery, MetricValue } from '../client/metrics.js';
import { assertPeriod, assertReportingDay, FIRST_DAY } from '../client/reporting-days.js';
import { MAX_LIMIT } from '../client/validation.js';
import { ValidationError } from '../errors.js';

export const REPORT_FAMILIES = [
  'volume',
  'quality',
  'efficiency',
  'customer_experience',
  'business_impact',
] as const;
export type ReportFamily = (typeof REPORT_FAMILIES)[number];

export interface ReportOptions {
  /** First reporting day (default: 29 days before `to`). */
  from?: string;
  /** Last reporting day (default: today in the reporting time zone). */
  to?: string;
  /** A channel name, e.g. chatbot. */
  channel?: string;
  /** An interaction type code, e.g. billing_inquiry. */
  type?: string;
  region?: Region;
}

export interface KpiLine {
  metricName: string;
  /** The name a person reads (cx.metrics.label). */
  label: string;
  description: string;
  unit: string;
  higherIsBetter: boolean | null;
  value: number | null;
  /** The same metric over the period of the same length just before. */
  previous: number | null;
  sample: number;
  /** From cx.metric_comparison: value - previous, that relative to |previous|, and the verdict. */
  difference: number | null;
  relativeChange: number | null;
  verdict: 'better' | 'worse' | 'same' | null;
}

export interface ReportBucket {
  date: string;
  channel: string;
  metrics: Record<string, number | null>;
}

/** One agent's figures over the period (the agent metrics of cx.metrics, by name). */
export interface ReportAgent {
  agentId: string;
  agentCode: string;
  agentName: string;
  metrics: Record<string, number | null>;
  /** The sample (n) of each metric. */
  samples: Record<string, number>;
}

export interface KpiReport {
  format: 'carepulse.kpi-report/1';
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  filters: { channel: string | null; type: string | null; region: Region | null };
  families: Record<ReportFamily, KpiLine[]>;
  /** One per reporting day and channel with interactions, journeys or outcomes. */
  buckets: ReportBucket[];
  /**
   * Every agent with figures in the period, most contacts handled first; null when a channel, type
   * or region filter is given, since agent figures are kept per agent and day, not per channel.
   */
  agents: ReportAgent[] | null;
  /**
   * Open and acknowledged alerts of the period, by severity and then what they are about (scopeName:
   * the channel's name, the interaction type's code, the agent's name; none for a global one).
   */
  alerts: Alert[];
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/**
 * The period the user asked for and the one of the same length just before it, which the report
 * compares it with. That one must begin on a day there is (0001-01-01 or later): a period that
 * reaches too far back is refused in the days the user gave, not in the computed ones.
 */
export function reportPeriods(asked: { from?: string; to: string }): {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
} {
  assertReportingDay('from', asked.from);
  assertReportingDay('to', asked.to);
  const to = dayNumber(asked.to);
  const first = dayNumber(FIRST_DAY);
  if (asked.from === undefined && to - 2 * DEFAULT_DAYS + 1 < first) {
    throw new ValidationError(
      `to (${asked.to}) must be ${dayOf(first + 2 * DEFAULT_DAYS - 1)} or later: the report shows the ${DEFAULT_DAYS} days ending with it and compares them with the ${DEFAULT_DAYS} days before, which must not begin before ${FIRST_DAY}`,
      'to',
    );
  }
  const from = asked.from ?? dayOf(to - DEFAULT_DAYS + 1);
  assertPeriod({ from, to: asked.to });
  const length = to - dayNumber(from) + 1;
  if (dayNumber(from) - length < first) {
    // from - (to - from + 1) >= first, so from >= (first + to + 1) / 2
    throw new ValidationError(
      `from (${from}) must be ${dayOf(Math.ceil((first + to + 1) / 2))} or later when to is ${asked.to}: the report compares the period with as many days just before it, and those must not begin before ${FIRST_DAY}`,
      'from',
    );
  }
  return {
    period: { from, to: asked.to },
    previousPeriod: { from: dayOf(dayNumber(from) - length), to: dayOf(dayNumber(from) - 1) },
  };
}

export async function buildKpiReport(
  client: CarepulseClient,
  options: ReportOptions = {},
): Promise<KpiReport> {
  const { period, previousPeriod } = reportPeriods({
    from: options.from,
    to: options.to ?? (await client.metrics.today()),
  });
  const { from, to } = period;

  const filters: Omit<MetricQuery, 'from' | 'to'> = { region: options.region };
  if (options.channel) filters.channelId = (await client.channels.byName(options.channel)).channelId;
  if (options.type)
    filters.interactionTypeId = (await client.interactionTypes.byCode(options.type)).interactionTypeId;

  const filtered = Boolean(options.channel || options.type || options.region);
  const [catalog, comparison, perDayChannel, channels, alerts, perAgent] = await Promise.all([
    client.metrics.catalog(),
    client.metrics.compare({
      from,
      to,
      previousFrom: previousPeriod.from,
      previousTo: previousPeriod.to,
      ...filters,
    }),
    client.metrics.values({ from, to, ...filters, groupBy: 'day_channel' }),
    client.channels.list(),
    // every alert of the period for JSON (the table shows 20): the client's largest page
    client.alerts.list({ from, to, limit: MAX_LIMIT }),
    filtered ? Promise.resolve(null) : client.metrics.values({ from, to, groupBy: 'agent' }),
  ]);
  const now = new Map(comparison.map((v) => [v.metricName, v]));
  const families = Object.fromEntries(REPORT_FAMILIES.map((f) => [f, [] as KpiLine[]])) as Record<
    ReportFamily,
    KpiLine[]
  >;
  for (const metric of catalog) {
    if (!(REPORT_FAMILIES as readonly string[]).includes(metric.family)) continue;
    const compared = now.get(metric.metricName as MetricName);
    // a metric the filters do not apply to (journeys by interaction type) is left out
    if (!compared) continue;
    families[metric.family as ReportFamily].push({
      metricName: metric.metricName,
      label: metric.label,
      description: metric.description,
      unit: metric.unit,
      higherIsBetter: metric.higherIsBetter,
      value: compared.value,
      previous: compared.previous,
      sample: compared.sample,
      difference: compared.difference,
      relativeChange: compared.relativeChange,
      verdict: compared.verdict,
    });
  }

  const channelName = new Map(channels.map((c) => [c.channelId, c.channelName]));
  const buckets = new Map<string, ReportBucket>();
  for (const v of perDayChannel) {
    if (v.family === ('agent' satisfies MetricFamily)) continue;
    const key = `${v.metricDate}/${v.groupKey}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        date: v.metricDate ?? '',
        channel: channelName.get(v.groupKey ?? '') ?? String(v.groupKey),
        metrics: {},
      };
      buckets.set(key, bucket);
    }
    bucket.metrics[v.metricName] = v.value;
  }
  return {
    format: 'carepulse.kpi-report/1',
    period: { from, to },
    previousPeriod,
    filters: { channel: options.channel ?? null, type: options.type ?? null, region: options.region ?? null },
    families,
    buckets: [...buckets.values()].sort(
      (a, b) => a.date.localeCompare(b.date) || a.channel.localeCompare(b.channel),
    ),
    agents: perAgent === null ? null : await reportAgents(client, perAgent),
    alerts,
  };
}

/** The agents of agent-grouped metric values, named, most contacts handled first. */
async function reportAgents(client: CarepulseClient, values: MetricValue[]): Promise<ReportAgent[]> {
  const agents = new Map<string, ReportAgent>();
  for (const v of values) {
    const agentId = v.groupKey ?? '';
    let agent = agents.get(agentId);
    if (!agent) {
      agent = { agentId, agentCode: '', agentName: '', metrics: {}, samples: {} };
      agents.set(agentId, agent);
    }
    agent.metrics[v.metricName] = v.value;
    agent.samples[v.metricName] = v.sample;
  }
  if (agents.size > 0) {
    for (const row of await client.agents.list({ agentIds: [...agents.keys()], limit: 10_000 })) {
      const agent = agents.get(row.agentId);
      if (agent) Object.assign(agent, { agentCode: row.agentCode, agentName: row.agentName });
    }
  }
  return [...agents.values()].sort(
    (a, b) =>
      (b.metrics.agent_handled ?? 0) - (a.metrics.agent_handled ?? 0) ||
      a.agentName.localeCompare(b.agentName),
  );
}
