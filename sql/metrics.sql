/* @name ListMetricDefinitions */
select metric_name as "metricName!", label as "label!", family as "family!", description as "description!",
       unit as "unit!", higher_is_better as "higherIsBetter", source as "source!", is_total as "isTotal!"
  from cx.metrics
 order by family, metric_name;

/* @name CompareMetrics */
select c.metric_name as "metricName!", c.value as "value", c.sample as "sample!", c.previous as "previous",
       c.previous_sample as "previousSample!", c.difference as "difference", c.relative_change as "relativeChange",
       c.verdict as "verdict"
  from cx.metric_comparison(:from!::date, :to!::date, :previousFrom!::date, :previousTo!::date, :channelId::uuid,
                            :interactionTypeId::uuid, :region::text, :agentId::uuid) c
  join cx.metrics m using (metric_name)
 order by m.family, c.metric_name;

/* @name MetricValues */
select v.metric_name as "metricName!", v.metric_date::text as "metricDate", v.group_key as "groupKey",
       v.value as "value", v.sample as "sample!", m.family as "family!", m.unit as "unit!",
       m.higher_is_better as "higherIsBetter"
  from cx.metric_values(:from!::date, :to!::date, :groupBy!::text, :channelId::uuid, :interactionTypeId::uuid,
                        :region::text, :agentId::uuid) v
  join cx.metrics m using (metric_name)
 where cardinality(:metricNames!::text[]) = 0 or v.metric_name = any(:metricNames!::text[])
 order by v.metric_date nulls first, v.group_key nulls first, m.family, v.metric_name;

/* @name ChannelScorecard */
select channel_id as "channelId!", channel_name as "channelName!", period_from::text as "periodFrom!", period_to::text as "periodTo!",
       interactions as "interactions!", bot_share as "botShare", containment_rate as "containmentRate",
       escalation_rate as "escalationRate", success_rate as "successRate", fcr_rate as "fcrRate",
       csat_score as "csatScore", nps as "nps", ces_score as "cesScore", asa_seconds as "asaSeconds",
       abandonment_rate as "abandonmentRate", service_level as "serviceLevel", aht_seconds as "ahtSeconds",
       cost_per_interaction as "costPerInteraction", bot_savings as "botSavings", refreshed_at as "refreshedAt!"
  from cx.channel_scorecard_30d
 order by channel_name;

/* @name BotEffectiveness */
select b.channel_id as "channelId!", c.channel_name as "channelName!", b.interaction_type_id as "interactionTypeId",
       t.type_code as "typeCode", b.bot_started as "botStarted!", b.containment_rate as "containmentRate",
       b.bot_resolution_rate as "botResolutionRate", b.escalation_rate as "escalationRate",
       b.avg_bot_seconds as "avgBotSeconds", b.csat_score as "csatScore", b.refreshed_at as "refreshedAt!"
  from cx.bot_effectiveness_30d b
  join cx.channels c using (channel_id)
  left join cx.interaction_types t using (interaction_type_id)
 order by c.channel_name, t.type_code nulls last;

/* @name RefreshMetrics */
select channel_buckets as "channelBuckets!", agent_buckets as "agentBuckets!", rows_written as "rowsWritten!",
       remaining_log_rows as "remainingLogRows!", oldest_change as "oldestChange", milliseconds as "milliseconds!",
       round(extract(epoch from clock_timestamp() - oldest_change), 1) as "oldestChangeSecondsAgo"
  from cx.refresh_metrics();

/* @name RefreshMaterializedViews */
select cx.refresh_materialized_views() as "views!";

/* @name ReportingToday */
select cx.reporting_day(now())::text as "today!";
