import {
  botEffectiveness,
  channelScorecard,
  compareMetrics,
  type IBotEffectivenessResult,
  type IChannelScorecardResult,
  type IListMetricDefinitionsResult,
  type IRefreshMetricsResult,
  listMetricDefinitions,
  metricValues,
  refreshMaterializedViews,
  refreshMetrics,
  reportingToday,
} from '../queries/metrics.queries.js';
import { type Region, region } from './customers.js';
import { assertPeriod, assertReportingDay, type ReportingDay } from './reporting-days.js';
import type { Session } from './session.js';
import { checkFields, type FieldChecks, text, textList, uuid } from './validation.js';

/**
 * The metrics carepulse ships (cx.metrics), by family; a DBA may add more, so any string is
 * accepted too. test/metrics/metric-catalog.test.ts holds this list to the catalog.
 */
export const KNOWN_METRICS = {
  volume: ['interactions', 'bot_interactions', 'live_chat_interactions', 'bot_share', 'escalations'],
  quality: [
    'containment_rate',
    'bot_resolution_rate',
    'bot_abandonment_rate',
    'escalation_rate',
    'escalation_answered_rate',
    'queue_abandoned_after_escalation',
    'success_rate',
    'fcr_rate',
    'fcr_contact_rate',
    'failure_rate',
    'csat_score',
    'csat_top2_rate',
    'nps',
    'ces_score',
  ],
  efficiency: [
    'avg_bot_seconds',
    'avg_human_seconds',
    'aht_seconds',
    'asa_seconds',
    'abandonment_rate',
    'service_level',
    'cost_per_interaction',
  ],
  customer_experience: [
    'journeys',
    'channels_per_journey',
    'touchpoints_per_journey',
    'multi_channel_rate',
    'journey_completion_rate',
    'goal_achievement_rate',
    'friction_rate',
    'journey_satisfaction',
  ],
  business_impact: [
    'bot_savings',
    'outcomes',
    'outcome_value',
    'sales_value',
    'churn_value',
    'retention_saves',
  ],
  agent: [
    'agent_handled',
    'agent_aht_seconds',
    'agent_csat_score',
    'agent_escalations_received',
    'agent_occupancy',
  ],
} as const;
export type KnownMetricName = (typeof KNOWN_METRICS)[keyof typeof KNOWN_METRICS][number];
export type MetricName = KnownMetricName | (string & {});
export type MetricFamily =
  | 'volume'
  | 'quality'
  | 'efficiency'
  | 'customer_experience'
  | 'business_impact'
  | 'agent';
export type MetricGrouping =
  | 'none'
  | 'day'
  | 'channel'
  | 'day_channel'
  | 'interaction_type'
  | 'channel_interaction_type'
  | 'region'
  | 'agent'
  | 'day_agent';

export interface MetricQuery {
  /** First reporting day, YYYY-MM-DD. */
  from: ReportingDay;
  /** Last reporting day, YYYY-MM-DD (inclusive). */
  to: ReportingDay;
  groupBy?: MetricGrouping;
  channelId?: string;
  interactionTypeId?: string;
  region?: Region;
  /** Agent metrics: filter on one agent (or group by agent). */
  agentId?: string;
  /** Only these metrics (default: all of the source). */
  metrics?: MetricName[];
}

export interface MetricValue {
  metricName: MetricName;
  family: MetricFamily;
  unit: string;
  higherIsBetter: boolean | null;
  /** The reporting day, when grouped by day. */
  metricDate: ReportingDay | null;
  /** The channel, interaction type, agent id or region grouped by (channel/type for channel_interaction_type). */
  groupKey: string | null;
  /** Null when there is nothing to compute it from (a rate over no contacts). */
  value: number | null;
  /** The observations behind the value (its denominator). */
  sample: number;
}

export type MetricDefinition = IListMetricDefinitionsResult;

/** A period and the one it is compared with (both reporting days, inclusive), with the filters of values. */
export interface MetricComparisonQuery extends Omit<MetricQuery, 'groupBy' | 'metrics'> {
  previousFrom: ReportingDay;
  previousTo: ReportingDay;
}

export interface MetricComparison {
  metricName: MetricName;
  value: number | null;
  sample: number;
  previous: number | null;
  previousSample: number;
  /** value - previous. */
  difference: number | null;
  /** (value - previous) / |previous|; null when previous is 0 or has no value. */
  relativeChange: number | null;
  /** By the metric's direction; null where it has none, or a value is missing. */
  verdict: 'better' | 'worse' | 'same' | null;
}
export type ChannelScorecardRow = IChannelScorecardResult;
export type BotEffectivenessRow = IBotEffectivenessResult;
export type RefreshResult = IRefreshMetricsResult;

const COMPARISON: FieldChecks<MetricComparisonQuery> = {
  from: assertReportingDay,
  to: assertReportingDay,
  previousFrom: assertReportingDay,
  previousTo: assertReportingDay,
  channelId: uuid,
  interactionTypeId: uuid,
  region,
  agentId: uuid,
};

const QUERY: FieldChecks<MetricQuery> = {
  from: assertReportingDay,
  to: assertReportingDay,
  groupBy: text,
  channelId: uuid,
  interactionTypeId: uuid,
  region,
  agentId: uuid,
  metrics: textList,
};

/** The read side: every number comes from cx.metric_values over the daily tables, never computed here. */
export function metricsApi(session: Session) {
  return {
    /** Today's reporting day (YYYY-MM-DD) in the reporting time zone of the settings. */
    async today(): Promise<ReportingDay> {
      const [row] = await session.run(reportingToday, undefined);
      return (row as { today: string }).today;
    },
    /** The metric catalog: names, families, units, directions and what each means. */
    catalog: (): Promise<MetricDefinition[]> => session.run(listMetricDefinitions, undefined),
    /** Metric values over reporting days from..to, filtered and grouped. */
    async values(query: MetricQuery): Promise<MetricValue[]> {
      checkFields(query, QUERY);
      assertPeriod(query);
      const rows = await session.run(
        metricValues,
        {
          from: query.from,
          to: query.to,
          groupBy: query.groupBy ?? 'none',
          channelId: query.channelId,
          interactionTypeId: query.interactionTypeId,
          region: query.region,
          agentId: query.agentId,
          metricNames: query.metrics ?? [],
        },
        { metricNames: 'metrics' },
      );
      return rows.map((r) => ({ ...r, family: r.family as MetricFamily }));
    },
    /** Every metric over a period beside the same over another (cx.metric_comparison): the change and its verdict. */
    async compare(query: MetricComparisonQuery): Promise<MetricComparison[]> {
      checkFields(query, COMPARISON);
      assertPeriod(query);
      assertPeriod({ from: query.previousFrom, to: query.previousTo });
      const rows = await session.run(compareMetrics, {
        from: query.from,
        to: query.to,
        previousFrom: query.previousFrom,
        previousTo: query.previousTo,
        channelId: query.channelId,
        interactionTypeId: query.interactionTypeId,
        region: query.region,
        agentId: query.agentId,
      });
      return rows.map((r) => ({
        ...r,
        metricName: r.metricName as MetricName,
        verdict: r.verdict as MetricComparison['verdict'],
      }));
    },
    /** The rolling 30-day scorecard per channel (a materialized view; see refresh). */
    scorecard: (): Promise<ChannelScorecardRow[]> => session.run(channelScorecard, undefined),
    /** Bot containment, resolution and escalation per channel and interaction type, last 30 days. */
    botEffectiveness: (): Promise<BotEffectivenessRow[]> => session.run(botEffectiveness, undefined),
    /** Recomputes the logged daily buckets now (the worker does this within seconds of a write). */
    async refresh(): Promise<RefreshResult> {
      const [row] = await session.run(refreshMetrics, undefined);
      return row as RefreshResult;
    },
    /** Refreshes the materialized views (scorecard, bot effectiveness) concurrently. */
    async refreshViews(): Promise<void> {
      await session.run(refreshMaterializedViews, undefined);
    },
  };
}
export type MetricsApi = ReturnType<typeof metricsApi>;
