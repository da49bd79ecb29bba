--! Previous: sha1:6c9dc6ee17ec18ec7568e5286289e72282ed11f9
--! Hash: sha1:1cd6db21e68bca30c72f2b494dc50c6766234d72
--! Message: daily_channel_metrics with the newer rollup columns

--! split: 0100-daily-channel-metrics-with-the-newer-rollup-columns.sql
/*
 * daily_channel_metrics sums daily_interaction_rollup per day and channel, but stopped at the
 * columns of migration 000008: the columns 000024 added to the rollup (ended, escalations answered
 * and abandoned in the queue, bot sessions left, bot savings) were missing, so a reader of the view
 * could not compute fcr_contact_rate, escalation_answered_rate, bot_abandonment_rate or
 * bot_savings from it. They are appended (a view can only grow at its end).
 */
create or replace view cx.daily_channel_metrics as
select r.metric_date,
       r.channel_id,
       sum(r.interactions)::integer as interactions,
       sum(r.completed)::integer as completed,
       sum(r.completed_resolved)::integer as completed_resolved,
       sum(r.resolved)::integer as resolved,
       sum(r.first_contact_resolved)::integer as first_contact_resolved,
       sum(r.failed)::integer as failed,
       sum(r.bot_started)::integer as bot_started,
       sum(r.contained)::integer as contained,
       sum(r.contained_resolved)::integer as contained_resolved,
       sum(r.escalated)::integer as escalated,
       sum(r.automated_started)::integer as automated_started,
       sum(r.automated_escalated)::integer as automated_escalated,
       sum(r.bot_mode)::integer as bot_interactions,
       sum(r.live_chat_mode)::integer as live_chat_interactions,
       sum(r.other_mode)::integer as other_interactions,
       sum(r.queued)::integer as queued,
       sum(r.answered_after_queue)::integer as answered_after_queue,
       sum(r.queue_seconds_answered)::bigint as queue_seconds_answered,
       sum(r.abandoned)::integer as abandoned,
       sum(r.abandoned_after_grace)::integer as abandoned_after_grace,
       sum(r.answered_within_target)::integer as answered_within_target,
       sum(r.human_handled)::integer as human_handled,
       sum(r.human_seconds)::bigint as human_seconds,
       sum(r.wrap_up_seconds)::bigint as wrap_up_seconds,
       sum(r.bot_seconds)::bigint as bot_seconds,
       sum(r.csat_responses)::integer as csat_responses,
       sum(r.csat_sum)::integer as csat_sum,
       sum(r.csat_top2)::integer as csat_top2,
       sum(r.nps_responses)::integer as nps_responses,
       sum(r.nps_promoters)::integer as nps_promoters,
       sum(r.nps_passives)::integer as nps_passives,
       sum(r.nps_detractors)::integer as nps_detractors,
       sum(r.ces_responses)::integer as ces_responses,
       sum(r.ces_sum)::integer as ces_sum,
       sum(r.cost_to_serve_sum) as cost_to_serve_sum,
       sum(r.contained_cost_sum) as contained_cost_sum,
       sum(r.human_handled_cost_sum) as human_handled_cost_sum,
       round(sum(r.completed_resolved)::numeric / nullif(sum(r.completed), 0), 4) as success_rate,
       max(r.refreshed_at) as refreshed_at,
       sum(r.ended)::integer as ended,
       sum(r.escalated_answered)::integer as escalated_answered,
       sum(r.escalated_queue_abandoned)::integer as escalated_queue_abandoned,
       sum(r.bot_abandoned)::integer as bot_abandoned,
       -- null only where every row is: the channel had no human-handled contact that day
       sum(r.bot_savings_sum) as bot_savings_sum
  from cx.daily_interaction_rollup r
 group by r.metric_date, r.channel_id;
comment on column cx.daily_channel_metrics.ended is 'Interactions that ended (status completed, abandoned or failed): fcr_contact_rate = first_contact_resolved / ended.';
comment on column cx.daily_channel_metrics.escalated_answered is 'Bot-started, escalated, and a human took a step: escalation_answered_rate = this / escalated.';
comment on column cx.daily_channel_metrics.escalated_queue_abandoned is 'Bot-started, escalated, queued and abandoned before any human step: queue_abandoned_after_escalation.';
comment on column cx.daily_channel_metrics.bot_abandoned is 'Bot-started, never escalated, left without a resolution: bot_abandonment_rate = this / bot_started.';
comment on column cx.daily_channel_metrics.bot_savings_sum is 'bot_savings of the day and channel: contained contacts x the cost per human-handled contact, less their own cost; null when the channel had no human-handled contact that day.';
