/**
 * The KPI report's data: every metric of the catalog over a period and the period before it, the
 * same metrics per day and channel, and the open alerts. All numbers come from the client's read
 * side (cx.metric_values): the report formats, it never computes a metric.
 */
import type { Alert } from '../client/alerts.js';
import type { CarepulseClient } from '../client/connect.js';
import type { Region } from '../client/customers.js';
import type { MetricFamily, MetricQuery, MetricValue } from '../client/metrics.js';
import { assertPeriod } from '../client/reporting-days.js';

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
  description: string;
  unit: string;
  higherIsBetter: boolean | null;
  value: number | null;
  /** The same metric over the period of the same length just before. */
  previous: number | null;
  sample: number;
}

export interface ReportBucket {
  date: string;
  channel: string;
  metrics: Record<string, number | null>;
}

export interface KpiReport {
  format: 'carepulse.kpi-report/1';
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  filters: { channel: string | null; type: string | null; region: Region | null };
  families: Record<ReportFamily, KpiLine[]>;
  /** One per reporting day and channel with interactions, journeys or outcomes. */
  buckets: ReportBucket[];
  /** Open and acknowledged alerts of the period, with the name of what they are about. */
  alerts: Array<Alert & { scopeName: string | null }>;
}

const DAY_MS = 86_400_000;
const shift = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export async function buildKpiReport(
  client: CarepulseClient,
  options: ReportOptions = {},
): Promise<KpiReport> {
  const to = options.to ?? (await client.metrics.today());
  const from = options.from ?? shift(to, -29);
  assertPeriod({ from, to });
  const length = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  const previousPeriod = { from: shift(from, -length), to: shift(from, -1) };

  const filters: Omit<MetricQuery, 'from' | 'to'> = { region: options.region };
  if (options.channel) filters.channelId = (await client.channels.byName(options.channel)).channelId;
  if (options.type)
    filters.interactionTypeId = (await client.interactionTypes.byCode(options.type)).interactionTypeId;

  const [catalog, current, previous, perDayChannel, channels, alerts] = await Promise.all([
    client.metrics.catalog(),
    client.metrics.values({ from, to, ...filters }),
    client.metrics.values({ ...previousPeriod, ...filters }),
    client.metrics.values({ from, to, ...filters, groupBy: 'day_channel' }),
    client.channels.list(),
    client.alerts.list({ from, to }),
  ]);
  const before = new Map(previous.map((v) => [v.metricName, v.value]));
  const now = new Map(current.map((v) => [v.metricName, v]));
  const families = Object.fromEntries(REPORT_FAMILIES.map((f) => [f, [] as KpiLine[]])) as Record<
    ReportFamily,
    KpiLine[]
  >;
  for (const metric of catalog) {
    if (!(REPORT_FAMILIES as readonly string[]).includes(metric.family)) continue;
    const value: MetricValue | undefined = now.get(metric.metricName);
    // a metric the filters do not apply to (journeys by interaction type) is left out
    if (!value) continue;
    families[metric.family as ReportFamily].push({
      metricName: metric.metricName,
      description: metric.description,
      unit: metric.unit,
      higherIsBetter: metric.higherIsBetter,
      value: value.value,
      previous: before.get(metric.metricName) ?? null,
      sample: value.sample,
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
    alerts: alerts.map((a) => ({
      ...a,
      scopeName: a.scopeKind === 'channel' ? (channelName.get(a.scopeId ?? '') ?? null) : null,
    })),
  };
}
