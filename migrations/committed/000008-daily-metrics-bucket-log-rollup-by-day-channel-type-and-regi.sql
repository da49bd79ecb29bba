--! Previous: sha1:d10610c2d11ef4db12b7083ff7fec9181ff8834e
--! Hash: sha1:2e43101d9ec1dbd8ed9c42084c075fd777501338
--! Message: daily metrics: bucket log, rollup by day, channel, type and region, agent days, refresh

--! split: 0100-drop-for-idempotence.sql
/*
 * current.sql runs again on every save while it is written: drop what it creates, last first.
 */
drop trigger if exists _800_rebuild_metrics on cx.settings;
drop function if exists cx_private.tg_settings__rebuild_metrics();
drop function if exists cx.refresh_metrics();
drop function if exists cx.rebuild_daily_metrics(date, date);
drop trigger if exists _800_log_metric_buckets_after_insert on cx.customer_interactions;
drop trigger if exists _800_log_metric_buckets_after_update on cx.customer_interactions;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.customer_interactions;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.interaction_steps;
drop trigger if exists _800_log_metric_buckets_after_update on cx.interaction_steps;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.interaction_steps;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.agent_status_history;
drop trigger if exists _800_log_metric_buckets_after_update on cx.agent_status_history;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.agent_status_history;
drop function if exists cx_private.tg_customer_interactions__log_metric_buckets();
drop function if exists cx_private.tg_interaction_steps__log_metric_buckets();
drop function if exists cx_private.tg_agent_status_history__log_metric_buckets();
drop function if exists cx_private.log_metric_buckets(cx_private.metric_bucket[]);
drop function if exists cx_private.request_metrics_refresh();
drop type if exists cx_private.step_key;
drop type if exists cx_private.metric_bucket;
drop function if exists cx_private.recompute_agent_days(date[], uuid[]);
drop function if exists cx_private.recompute_channel_days(date[], uuid[]);
drop view if exists cx.daily_channel_metrics;
drop table if exists cx.daily_agent_metrics;
drop table if exists cx.daily_interaction_rollup;
drop table if exists cx_private.metric_bucket_log;
drop function if exists cx_private.multirange_seconds(tstzmultirange);
drop function if exists cx.reporting_day(timestamptz);
drop function if exists cx.reporting_day_start(date);

--! split: 0200-reporting-days.sql
/*
 * Daily metrics count calendar days of the reporting time zone (cx.settings), not UTC days: a
 * contact at 23:30 in Berlin belongs to that Berlin day. Two functions, so every rollup and every
 * reader cuts days the same way.
 */
create function cx.reporting_day(p_at timestamptz) returns date
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$ select (p_at at time zone coalesce(cx.setting('reporting_time_zone'), 'UTC'))::date $$;
comment on function cx.reporting_day(timestamptz) is
  'The calendar day, in the reporting time zone (setting reporting_time_zone), that an instant falls on.';

create function cx.reporting_day_start(p_day date) returns timestamptz
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$ select p_day::timestamp at time zone coalesce(cx.setting('reporting_time_zone'), 'UTC') $$;
comment on function cx.reporting_day_start(date) is
  'The instant a reporting day begins (midnight in the reporting time zone); the day ends where the next begins.';

--! split: 0300-metric-bucket-log.sql
/*
 * The refresh log (DESIGN.md §1, issue 5): writers append the (day, channel) and (day, agent)
 * buckets their statement touched; a refresh recomputes exactly those from source and deletes the
 * log rows it consumed. Append-only with no unique key on the bucket, so writers never wait on
 * each other or on a refresh; duplicates are merged when read. Logged (not unlogged): a crash must
 * not forget what is still to refresh.
 */
create table cx_private.metric_bucket_log (
  log_id bigint generated always as identity primary key,
  bucket_kind text not null
    constraint metric_bucket_log_bucket_kind_known check (bucket_kind in ('channel', 'agent')),
  metric_date date not null,
  bucket_key uuid not null,
  logged_at timestamptz not null default now()
);
comment on table cx_private.metric_bucket_log is
  'Daily-metric buckets to recompute: one row per (kind, day, channel or agent) a write touched, consumed by cx.refresh_metrics().';
comment on column cx_private.metric_bucket_log.log_id is 'Append order; a refresh deletes exactly the rows it read.';
comment on column cx_private.metric_bucket_log.bucket_kind is 'channel (daily_interaction_rollup, daily_channel_metrics) or agent (daily_agent_metrics).';
comment on column cx_private.metric_bucket_log.metric_date is 'The reporting day of the bucket.';
comment on column cx_private.metric_bucket_log.bucket_key is 'The channel_id or agent_id of the bucket.';
comment on column cx_private.metric_bucket_log.logged_at is 'When the write was logged (refresh latency is measured from here).';

--! split: 0400-daily-interaction-rollup.sql
/*
 * The finest daily grain the client filters on: day x channel x interaction type x region. Every
 * rate is stored as the counts and sums behind it (DESIGN.md §3), so any roll-up over days,
 * channels, types or regions is exact; the daily channel metrics are this table summed.
 * Definitions (one each, here):
 * - bot_started: initial_mode = 'bot'; contained: bot-started and not escalated; escalated:
 *   bot-started and escalated (containment and escalation rates divide by bot_started);
 *   automated_*: the same over bot, self_service and ivr starts;
 * - queued: has a queue step; answered_after_queue: queued and a human step; abandoned: status
 *   abandoned, queued, never reached a human; abandoned_after_grace: of those, waited longer than
 *   the short-abandon grace; answered_within_target: answered after a queue of at most the
 *   channel's service_level_target_seconds (service level = that / (answered + abandoned after
 *   grace));
 * - human_handled: has a human step; human_seconds (human + hold) and wrap_up_seconds over them
 *   give AHT; queue_seconds_answered / answered_after_queue is ASA;
 * - CSAT, NPS, CES: the interaction's latest scores (the feedback roll-up keeps them);
 * - contained_cost_sum and human_handled_cost_sum: cost_to_serve of contained and of
 *   human-handled interactions, for bot savings = contained x (human cost per handled - bot cost
 *   per contained).
 */
create table cx.daily_interaction_rollup (
  metric_date date not null,
  channel_id uuid not null,
  interaction_type_id uuid,
  region text not null,
  interactions integer not null,
  completed integer not null,
  completed_resolved integer not null,
  resolved integer not null,
  first_contact_resolved integer not null,
  failed integer not null,
  bot_started integer not null,
  contained integer not null,
  contained_resolved integer not null,
  escalated integer not null,
  automated_started integer not null,
  automated_escalated integer not null,
  bot_mode integer not null,
  live_chat_mode integer not null,
  other_mode integer not null,
  queued integer not null,
  answered_after_queue integer not null,
  queue_seconds_answered bigint not null,
  abandoned integer not null,
  abandoned_after_grace integer not null,
  answered_within_target integer not null,
  human_handled integer not null,
  human_seconds bigint not null,
  wrap_up_seconds bigint not null,
  bot_seconds bigint not null,
  csat_responses integer not null,
  csat_sum integer not null,
  csat_top2 integer not null,
  nps_responses integer not null,
  nps_promoters integer not null,
  nps_passives integer not null,
  nps_detractors integer not null,
  ces_responses integer not null,
  ces_sum integer not null,
  cost_to_serve_sum numeric(16, 4) not null,
  contained_cost_sum numeric(16, 4) not null,
  human_handled_cost_sum numeric(16, 4) not null,
  refreshed_at timestamptz not null default now()
);
create unique index daily_interaction_rollup_bucket_idx
  on cx.daily_interaction_rollup (metric_date, channel_id, interaction_type_id, region) nulls not distinct;
comment on index cx.daily_interaction_rollup_bucket_idx is 'One row per day, channel, type (or none) and region; the refresh replaces a (day, channel) at a time.';
comment on table cx.daily_interaction_rollup is
  'Daily counts and sums behind every interaction KPI, per reporting day, channel, interaction type and region; recomputed from source bucket by bucket by cx.refresh_metrics(). Local to the Citus coordinator.';
comment on column cx.daily_interaction_rollup.metric_date is 'Reporting day (cx.reporting_day of the interaction''s start).';
comment on column cx.daily_interaction_rollup.channel_id is 'The channel.';
comment on column cx.daily_interaction_rollup.interaction_type_id is 'The interaction type; null for interactions without one.';
comment on column cx.daily_interaction_rollup.region is 'The interaction''s region (R9 or DEUR).';
comment on column cx.daily_interaction_rollup.interactions is 'Interactions that started that day.';
comment on column cx.daily_interaction_rollup.completed is 'Of them, status completed.';
comment on column cx.daily_interaction_rollup.completed_resolved is 'Completed and resolved (success rate = completed_resolved / completed).';
comment on column cx.daily_interaction_rollup.resolved is 'resolution_status resolved.';
comment on column cx.daily_interaction_rollup.first_contact_resolved is 'Resolved with first_contact_resolution (FCR = first_contact_resolved / resolved).';
comment on column cx.daily_interaction_rollup.failed is 'status failed.';
comment on column cx.daily_interaction_rollup.bot_started is 'initial_mode bot.';
comment on column cx.daily_interaction_rollup.contained is 'Bot-started, not escalated (containment = contained / bot_started).';
comment on column cx.daily_interaction_rollup.contained_resolved is 'Contained and resolved (bot resolution rate = contained_resolved / bot_started).';
comment on column cx.daily_interaction_rollup.escalated is 'Bot-started and escalated to a human (escalation rate = escalated / bot_started).';
comment on column cx.daily_interaction_rollup.automated_started is 'Started in an automated mode: bot, self_service or ivr.';
comment on column cx.daily_interaction_rollup.automated_escalated is 'Automated start, escalated to a human.';
comment on column cx.daily_interaction_rollup.bot_mode is 'interaction_mode bot (bot interactions: not escalated).';
comment on column cx.daily_interaction_rollup.live_chat_mode is 'interaction_mode live_chat (human from the start, or an escalated bot or self-service contact).';
comment on column cx.daily_interaction_rollup.other_mode is 'Any other interaction_mode (self_service, ivr, video_call).';
comment on column cx.daily_interaction_rollup.queued is 'Has a queue step.';
comment on column cx.daily_interaction_rollup.answered_after_queue is 'Queued, then a human step.';
comment on column cx.daily_interaction_rollup.queue_seconds_answered is 'queue_time_seconds summed over answered_after_queue (ASA = this / answered_after_queue).';
comment on column cx.daily_interaction_rollup.abandoned is 'Queued, status abandoned, never reached a human (abandonment rate = abandoned / queued).';
comment on column cx.daily_interaction_rollup.abandoned_after_grace is 'Abandoned after waiting longer than the short-abandon grace (setting short_abandon_grace_seconds).';
comment on column cx.daily_interaction_rollup.answered_within_target is 'Answered after a queue of at most the channel''s service_level_target_seconds (service level = this / (answered_after_queue + abandoned_after_grace)).';
comment on column cx.daily_interaction_rollup.human_handled is 'Has a human step.';
comment on column cx.daily_interaction_rollup.human_seconds is 'human_duration_seconds (human + hold) of human-handled interactions.';
comment on column cx.daily_interaction_rollup.wrap_up_seconds is 'wrap_up_seconds of human-handled interactions (AHT = (human_seconds + wrap_up_seconds) / human_handled).';
comment on column cx.daily_interaction_rollup.bot_seconds is 'bot_duration_seconds of all interactions.';
comment on column cx.daily_interaction_rollup.csat_responses is 'Interactions with a CSAT score (1-5).';
comment on column cx.daily_interaction_rollup.csat_sum is 'Sum of CSAT scores (mean = csat_sum / csat_responses).';
comment on column cx.daily_interaction_rollup.csat_top2 is 'CSAT 4 or 5 (top-2-box = csat_top2 / csat_responses).';
comment on column cx.daily_interaction_rollup.nps_responses is 'Interactions with an NPS answer (0-10).';
comment on column cx.daily_interaction_rollup.nps_promoters is 'NPS 9-10.';
comment on column cx.daily_interaction_rollup.nps_passives is 'NPS 7-8.';
comment on column cx.daily_interaction_rollup.nps_detractors is 'NPS 0-6 (NPS = 100 x (promoters - detractors) / responses).';
comment on column cx.daily_interaction_rollup.ces_responses is 'Interactions with a CES score (1-7, 7 easiest).';
comment on column cx.daily_interaction_rollup.ces_sum is 'Sum of CES scores.';
comment on column cx.daily_interaction_rollup.cost_to_serve_sum is 'Sum of cost_to_serve (cost per interaction = this / interactions).';
comment on column cx.daily_interaction_rollup.contained_cost_sum is 'cost_to_serve of contained interactions.';
comment on column cx.daily_interaction_rollup.human_handled_cost_sum is 'cost_to_serve of human-handled interactions.';
comment on column cx.daily_interaction_rollup.refreshed_at is 'When the bucket was last recomputed.';

--! split: 0410-daily-channel-metrics.sql
/*
 * The document's daily_channel_metrics: one row per metric_date x channel_id, the rollup summed
 * over types and regions, with the rates the document's threshold query reads. A view, not a
 * second stored copy: the sums are exact, and a day of one channel is at most types x regions rows
 * of the rollup.
 */
create view cx.daily_channel_metrics as
  select r.metric_date, r.channel_id,
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
         max(r.refreshed_at) as refreshed_at
    from cx.daily_interaction_rollup r
   group by r.metric_date, r.channel_id;
comment on view cx.daily_channel_metrics is
  'Daily channel performance: one row per reporting day and channel, the counts and sums of daily_interaction_rollup over types and regions, and success_rate.';
comment on column cx.daily_channel_metrics.metric_date is 'Reporting day.';
comment on column cx.daily_channel_metrics.channel_id is 'The channel.';
comment on column cx.daily_channel_metrics.interactions is 'Interactions that started that day.';
comment on column cx.daily_channel_metrics.completed is 'status completed.';
comment on column cx.daily_channel_metrics.completed_resolved is 'Completed and resolved.';
comment on column cx.daily_channel_metrics.resolved is 'resolution_status resolved.';
comment on column cx.daily_channel_metrics.first_contact_resolved is 'Resolved at first contact.';
comment on column cx.daily_channel_metrics.failed is 'status failed.';
comment on column cx.daily_channel_metrics.bot_started is 'initial_mode bot.';
comment on column cx.daily_channel_metrics.contained is 'Bot-started, not escalated.';
comment on column cx.daily_channel_metrics.contained_resolved is 'Contained and resolved.';
comment on column cx.daily_channel_metrics.escalated is 'Bot-started, escalated.';
comment on column cx.daily_channel_metrics.automated_started is 'Started as bot, self_service or ivr.';
comment on column cx.daily_channel_metrics.automated_escalated is 'Automated start, escalated.';
comment on column cx.daily_channel_metrics.bot_interactions is 'interaction_mode bot: the bot side of bot vs live chat.';
comment on column cx.daily_channel_metrics.live_chat_interactions is 'interaction_mode live_chat: the live-chat side.';
comment on column cx.daily_channel_metrics.other_interactions is 'Other modes (self_service, ivr, video_call).';
comment on column cx.daily_channel_metrics.queued is 'Has a queue step.';
comment on column cx.daily_channel_metrics.answered_after_queue is 'Queued, then answered by a human.';
comment on column cx.daily_channel_metrics.queue_seconds_answered is 'Queue seconds of those answered (ASA numerator).';
comment on column cx.daily_channel_metrics.abandoned is 'Queued and abandoned before a human answered.';
comment on column cx.daily_channel_metrics.abandoned_after_grace is 'Abandoned after the short-abandon grace.';
comment on column cx.daily_channel_metrics.answered_within_target is 'Answered within the channel''s service-level target.';
comment on column cx.daily_channel_metrics.human_handled is 'Has a human step.';
comment on column cx.daily_channel_metrics.human_seconds is 'Human + hold seconds of human-handled interactions.';
comment on column cx.daily_channel_metrics.wrap_up_seconds is 'Wrap-up seconds of human-handled interactions.';
comment on column cx.daily_channel_metrics.bot_seconds is 'Bot seconds.';
comment on column cx.daily_channel_metrics.csat_responses is 'CSAT answers.';
comment on column cx.daily_channel_metrics.csat_sum is 'Sum of CSAT scores.';
comment on column cx.daily_channel_metrics.csat_top2 is 'CSAT 4-5.';
comment on column cx.daily_channel_metrics.nps_responses is 'NPS answers.';
comment on column cx.daily_channel_metrics.nps_promoters is 'NPS 9-10.';
comment on column cx.daily_channel_metrics.nps_passives is 'NPS 7-8.';
comment on column cx.daily_channel_metrics.nps_detractors is 'NPS 0-6.';
comment on column cx.daily_channel_metrics.ces_responses is 'CES answers.';
comment on column cx.daily_channel_metrics.ces_sum is 'Sum of CES scores.';
comment on column cx.daily_channel_metrics.cost_to_serve_sum is 'Sum of cost_to_serve.';
comment on column cx.daily_channel_metrics.contained_cost_sum is 'cost_to_serve of contained interactions.';
comment on column cx.daily_channel_metrics.human_handled_cost_sum is 'cost_to_serve of human-handled interactions.';
comment on column cx.daily_channel_metrics.success_rate is 'completed_resolved / completed, 0-1 (null without completed interactions).';
comment on column cx.daily_channel_metrics.refreshed_at is 'Latest recomputation of the day''s rollup rows.';

--! split: 0420-daily-agent-metrics.sql
/*
 * Per reporting day and agent: what the agent handled, for how long, how customers rated it, and
 * how busy the agent was. Occupancy follows DESIGN.md §3: handling time (the union of the agent's
 * human, hold and wrap-up steps: two concurrent chats in one minute count once) over handling
 * time plus the time the agent was available with nothing to handle (available or busy status
 * intervals not covered by handling).
 */
create table cx.daily_agent_metrics (
  metric_date date not null,
  agent_id uuid not null,
  handled integer not null,
  handle_seconds bigint not null,
  wrap_up_seconds bigint not null,
  transfers integer not null,
  escalations_received integer not null,
  csat_responses integer not null,
  csat_sum integer not null,
  csat_top2 integer not null,
  handling_seconds bigint not null,
  idle_seconds bigint not null,
  available_seconds bigint not null,
  occupancy numeric generated always as (round(handling_seconds::numeric / nullif(handling_seconds + idle_seconds, 0), 4)) stored,
  refreshed_at timestamptz not null default now(),
  constraint daily_agent_metrics_pkey primary key (metric_date, agent_id)
);
comment on table cx.daily_agent_metrics is
  'Agent performance per reporting day: handled contacts, handle and wrap-up time, transfers, escalations received, CSAT, occupancy; recomputed bucket by bucket by cx.refresh_metrics(). Local to the Citus coordinator.';
comment on column cx.daily_agent_metrics.metric_date is 'Reporting day (of the step''s start, or of the status interval).';
comment on column cx.daily_agent_metrics.agent_id is 'The agent (no foreign key: a deleted agent''s history stays until its buckets are recomputed).';
comment on column cx.daily_agent_metrics.handled is 'Distinct interactions with a human (for a bot agent: bot) step of this agent starting that day.';
comment on column cx.daily_agent_metrics.handle_seconds is 'Seconds of the agent''s human and hold steps, or a bot''s bot steps (AHT = (handle_seconds + wrap_up_seconds) / handled).';
comment on column cx.daily_agent_metrics.wrap_up_seconds is 'Seconds of the agent''s wrap-up steps.';
comment on column cx.daily_agent_metrics.transfers is 'The agent''s human steps that ended transferred.';
comment on column cx.daily_agent_metrics.escalations_received is 'Escalated interactions (automated start) the agent took a human step in.';
comment on column cx.daily_agent_metrics.csat_responses is 'CSAT answers of interactions the agent was primary agent of (by the interaction''s start day).';
comment on column cx.daily_agent_metrics.csat_sum is 'Sum of those CSAT scores.';
comment on column cx.daily_agent_metrics.csat_top2 is 'Those scoring 4-5.';
comment on column cx.daily_agent_metrics.handling_seconds is 'Union of the agent''s human, hold, wrap-up (and bot) steps within the day, in seconds.';
comment on column cx.daily_agent_metrics.idle_seconds is 'Available or busy status time within the day not covered by handling.';
comment on column cx.daily_agent_metrics.available_seconds is 'Available or busy status time within the day.';
comment on column cx.daily_agent_metrics.occupancy is 'handling_seconds / (handling_seconds + idle_seconds), 0-1.';
comment on column cx.daily_agent_metrics.refreshed_at is 'When the bucket was last recomputed.';
insert into cx_private.constraint_messages (constraint_name, message) values
  ('daily_agent_metrics_pkey', 'daily agent metrics for this metric_date and agent_id already exist'),
  ('daily_interaction_rollup_bucket_idx', 'a rollup row for this metric_date, channel_id, interaction_type_id and region already exists')
on conflict (constraint_name) do update set message = excluded.message;

--! split: 0490-multirange-seconds.sql
create function cx_private.multirange_seconds(p_ranges tstzmultirange) returns bigint
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select coalesce(sum(floor(extract(epoch from upper(r) - lower(r))))::bigint, 0)
      from unnest(p_ranges) r
     where not lower_inf(r) and not upper_inf(r)
  $$;
comment on function cx_private.multirange_seconds(tstzmultirange) is
  'Total length of a set of time ranges in whole seconds (unbounded ranges count nothing).';

--! split: 0500-recompute-buckets.sql
/*
 * Recomputing a bucket replaces it from source: delete the bucket's rows, insert what the source
 * says now. Never adding deltas makes a refresh idempotent and safe to retry after a crash.
 */
create function cx_private.recompute_channel_days(p_days date[], p_channels uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_grace integer := coalesce(cx.setting('short_abandon_grace_seconds')::integer, 5);
  v_rows integer;
begin
  delete from cx.daily_interaction_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date and r.channel_id = b.channel_id;

  insert into cx.daily_interaction_rollup
  select b.metric_date, i.channel_id, i.interaction_type_id, i.region,
         count(*),
         count(*) filter (where i.status = 'completed'),
         count(*) filter (where i.status = 'completed' and i.resolution_status = 'resolved'),
         count(*) filter (where i.resolution_status = 'resolved'),
         count(*) filter (where i.resolution_status = 'resolved' and i.first_contact_resolution),
         count(*) filter (where i.status = 'failed'),
         count(*) filter (where i.initial_mode = 'bot'),
         count(*) filter (where i.initial_mode = 'bot' and not i.escalated_to_human),
         count(*) filter (where i.initial_mode = 'bot' and not i.escalated_to_human and i.resolution_status = 'resolved'),
         count(*) filter (where i.initial_mode = 'bot' and i.escalated_to_human),
         count(*) filter (where i.initial_mode in ('bot', 'self_service', 'ivr')),
         count(*) filter (where i.initial_mode in ('bot', 'self_service', 'ivr') and i.escalated_to_human),
         count(*) filter (where i.interaction_mode = 'bot'),
         count(*) filter (where i.interaction_mode = 'live_chat'),
         count(*) filter (where i.interaction_mode not in ('bot', 'live_chat')),
         count(*) filter (where s.queued),
         count(*) filter (where s.queued and s.human),
         coalesce(sum(i.queue_time_seconds) filter (where s.queued and s.human), 0),
         count(*) filter (where s.queued and not s.human and i.status = 'abandoned'),
         count(*) filter (where s.queued and not s.human and i.status = 'abandoned' and i.queue_time_seconds > v_grace),
         count(*) filter (where s.queued and s.human and i.queue_time_seconds <= ch.service_level_target_seconds),
         count(*) filter (where s.human),
         coalesce(sum(i.human_duration_seconds) filter (where s.human), 0),
         coalesce(sum(i.wrap_up_seconds) filter (where s.human), 0),
         coalesce(sum(i.bot_duration_seconds), 0),
         count(i.customer_satisfaction_score),
         coalesce(sum(i.customer_satisfaction_score), 0),
         count(*) filter (where i.customer_satisfaction_score >= 4),
         count(i.nps_score),
         count(*) filter (where i.nps_score >= 9),
         count(*) filter (where i.nps_score between 7 and 8),
         count(*) filter (where i.nps_score <= 6),
         count(i.customer_effort_score),
         coalesce(sum(i.customer_effort_score), 0),
         coalesce(sum(i.cost_to_serve), 0),
         coalesce(sum(i.cost_to_serve) filter (where i.initial_mode = 'bot' and not i.escalated_to_human), 0),
         coalesce(sum(i.cost_to_serve) filter (where s.human), 0),
         now()
    from unnest(p_days, p_channels) b(metric_date, channel_id)
    join cx.customer_interactions i
      on i.channel_id = b.channel_id
     and i.start_timestamp >= cx.reporting_day_start(b.metric_date)
     and i.start_timestamp < cx.reporting_day_start(b.metric_date + 1)
    join cx.channels ch on ch.channel_id = i.channel_id
    cross join lateral (
      select coalesce(bool_or(st.step_type = 'queue'), false) as queued,
             coalesce(bool_or(st.step_type = 'human'), false) as human
        from cx.interaction_steps st
       where st.customer_id = i.customer_id and st.interaction_id = i.interaction_id
         and st.interaction_start_timestamp = i.start_timestamp
    ) s
   group by b.metric_date, i.channel_id, i.interaction_type_id, i.region;
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
comment on function cx_private.recompute_channel_days(date[], uuid[]) is
  'Replaces the daily_interaction_rollup rows of the given (day, channel) pairs with what the interactions and their steps say now; returns the rows written.';

create function cx_private.recompute_agent_days(p_days date[], p_agents uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_rows integer;
begin
  delete from cx.daily_agent_metrics m
   using unnest(p_days, p_agents) b(metric_date, agent_id)
   where m.metric_date = b.metric_date and m.agent_id = b.agent_id;

  insert into cx.daily_agent_metrics
    (metric_date, agent_id, handled, handle_seconds, wrap_up_seconds, transfers, escalations_received,
     csat_responses, csat_sum, csat_top2, handling_seconds, idle_seconds, available_seconds)
  select b.metric_date, b.agent_id,
         st.handled, st.handle_seconds, st.wrap_up_seconds, st.transfers, st.escalations_received,
         sc.responses, sc.total, sc.top2,
         tm.handling, tm.idle, tm.available
    from (select distinct d.metric_date, d.agent_id from unnest(p_days, p_agents) d(metric_date, agent_id)) b
    cross join lateral (
      select cx.reporting_day_start(b.metric_date) as day_start, cx.reporting_day_start(b.metric_date + 1) as day_end
    ) day
    cross join lateral (
      -- a bot's conversations are its human steps: a bot agent handles through bot steps
      select count(distinct s.interaction_id) filter (where s.step_type in ('human', 'bot'))::integer as handled,
             coalesce(sum(s.duration_seconds) filter (where s.step_type in ('human', 'hold', 'bot')), 0)::bigint as handle_seconds,
             coalesce(sum(s.duration_seconds) filter (where s.step_type = 'wrap_up'), 0)::bigint as wrap_up_seconds,
             count(*) filter (where s.step_type = 'human' and s.step_outcome = 'transferred')::integer as transfers,
             count(distinct s.interaction_id) filter (where s.step_type = 'human' and exists (
               select 1 from cx.customer_interactions i
                where i.customer_id = s.customer_id and i.interaction_id = s.interaction_id
                  and i.start_timestamp = s.interaction_start_timestamp
                  and i.escalated_to_human and i.initial_mode in ('bot', 'self_service', 'ivr')))::integer as escalations_received,
             range_agg(tstzrange(s.started_at, coalesce(s.ended_at, s.started_at)))
               filter (where s.step_type in ('human', 'hold', 'wrap_up', 'bot')) as handling_ranges
        from cx.interaction_steps s
       where s.agent_id = b.agent_id and s.started_at >= day.day_start and s.started_at < day.day_end
    ) st
    cross join lateral (
      select count(i.customer_satisfaction_score)::integer as responses,
             coalesce(sum(i.customer_satisfaction_score), 0)::integer as total,
             count(*) filter (where i.customer_satisfaction_score >= 4)::integer as top2
        from cx.customer_interactions i
       where i.primary_agent_id = b.agent_id and i.start_timestamp >= day.day_start and i.start_timestamp < day.day_end
    ) sc
    cross join lateral (
      select coalesce(range_agg(tstzrange(greatest(h.started_at, day.day_start),
                                          least(coalesce(h.ended_at, now()), day.day_end))), '{}'::tstzmultirange) as available_ranges
        from cx.agent_status_history h
       where h.agent_id = b.agent_id and h.status in ('available', 'busy')
         and h.started_at < day.day_end and coalesce(h.ended_at, now()) > day.day_start
    ) av
    cross join lateral (
      select cx_private.multirange_seconds(coalesce(st.handling_ranges, '{}') * tstzmultirange(tstzrange(day.day_start, day.day_end))) as handling,
             cx_private.multirange_seconds(av.available_ranges - coalesce(st.handling_ranges, '{}')) as idle,
             cx_private.multirange_seconds(av.available_ranges) as available
    ) tm
   where st.handled > 0 or st.handling_ranges is not null or sc.responses > 0 or not isempty(av.available_ranges);
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
comment on function cx_private.recompute_agent_days(date[], uuid[]) is
  'Replaces the daily_agent_metrics rows of the given (day, agent) pairs with what the steps, interactions and status history say now; a day with nothing for the agent has no row. Returns the rows written.';


--! split: 0600-log-metric-buckets.sql
/*
 * Every statement that changes interactions, steps or agent status history appends the buckets it
 * touched (old and new rows both: a moved interaction dirties its old day too) to the refresh log,
 * once per statement, and asks for a refresh. Asking adds the worker job only when none is
 * waiting: a cheap existence check instead of a job key, because every job-key mode locks the job
 * row until the adding transaction commits and would make all writers wait on each other. Two
 * writers racing past the check add two jobs; the second finds the log empty. The job re-queues
 * itself while the log is not empty, and a crontab entry catches anything missed.
 */
create type cx_private.step_key as (customer_id uuid, interaction_id uuid, interaction_start_timestamp timestamptz, agent_id uuid, started_at timestamptz);
comment on type cx_private.step_key is 'What the metrics log needs of a step: its interaction''s key, its agent and its start.';

create function cx_private.request_metrics_refresh() returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  if to_regclass('graphile_worker.jobs') is null then
    return; -- the worker's schema is not installed (a bare restore): the crontab will catch up
  end if;
  if not exists (
    select 1 from graphile_worker.jobs j
     where j.task_identifier = 'metrics__refresh' and j.locked_at is null and j.attempts < j.max_attempts
  ) then
    perform graphile_worker.add_job('metrics__refresh', '{}'::json,
      run_at := now() + interval '1 second', max_attempts := 10);
  end if;
end
$$;
comment on function cx_private.request_metrics_refresh() is
  'Adds a metrics__refresh worker job unless one is already waiting (no job key: writers must not lock the job row).';

create type cx_private.metric_bucket as (bucket_kind text, metric_date date, bucket_key uuid);
comment on type cx_private.metric_bucket is 'A daily-metric bucket: channel or agent, the reporting day, the channel_id or agent_id.';

create function cx_private.log_metric_buckets(p_buckets cx_private.metric_bucket[]) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  insert into cx_private.metric_bucket_log (bucket_kind, metric_date, bucket_key)
  select distinct b.bucket_kind, b.metric_date, b.bucket_key
    from unnest(p_buckets) b
   where b.bucket_key is not null;
  if found then
    perform cx_private.request_metrics_refresh();
  end if;
end
$$;
comment on function cx_private.log_metric_buckets(cx_private.metric_bucket[]) is
  'Appends the distinct buckets to the refresh log and asks for a refresh when it logged any.';

create function cx_private.tg_customer_interactions__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_buckets cx_private.metric_bucket[] := '{}';
begin
  -- a transition table exists only for the events that have it: read each in its own branch
  if tg_op in ('INSERT', 'UPDATE') then
    select v_buckets || coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx.reporting_day(r.start_timestamp), r.channel_id)::cx_private.metric_bucket as b from new_rows r
      union all
      select ('agent', cx.reporting_day(r.start_timestamp), r.primary_agent_id)::cx_private.metric_bucket from new_rows r
    ) x;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_buckets || coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx.reporting_day(r.start_timestamp), r.channel_id)::cx_private.metric_bucket as b from old_rows r
      union all
      select ('agent', cx.reporting_day(r.start_timestamp), r.primary_agent_id)::cx_private.metric_bucket from old_rows r
    ) x;
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
  return null;
end
$$;
comment on function cx_private.tg_customer_interactions__log_metric_buckets() is
  'AFTER each statement on customer_interactions: logs the (day, channel) and (day, primary agent) buckets of the old and new rows for the metrics refresh.';

create function cx_private.tg_interaction_steps__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_steps cx_private.step_key[] := '{}';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    select v_steps || coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp, r.agent_id, r.started_at)::cx_private.step_key), '{}')
      into v_steps from new_rows r;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_steps || coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp, r.agent_id, r.started_at)::cx_private.step_key), '{}')
      into v_steps from old_rows r;
  end if;
  perform cx_private.log_metric_buckets(array(
    select ('agent', cx.reporting_day(t.started_at), t.agent_id)::cx_private.metric_bucket
      from unnest(v_steps) t where t.agent_id is not null
    union all
    -- queued and answered come from the steps: the interaction's channel day changes too
    select ('channel', cx.reporting_day(i.start_timestamp), i.channel_id)::cx_private.metric_bucket
      from (select distinct t.customer_id, t.interaction_id, t.interaction_start_timestamp from unnest(v_steps) t) t
      join cx.customer_interactions i
        on i.customer_id = t.customer_id and i.interaction_id = t.interaction_id
       and i.start_timestamp = t.interaction_start_timestamp));
  return null;
end
$$;
comment on function cx_private.tg_interaction_steps__log_metric_buckets() is
  'AFTER each statement on interaction_steps: logs the (day, agent) buckets of the steps and the (day, channel) buckets of their interactions.';

create function cx_private.tg_agent_status_history__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_intervals tstzrange[] := '{}';
  v_agents uuid[] := '{}';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    select v_intervals || coalesce(array_agg(tstzrange(r.started_at, coalesce(r.ended_at, greatest(now(), r.started_at)), '[]')), '{}'),
           v_agents || coalesce(array_agg(r.agent_id), '{}')
      into v_intervals, v_agents from new_rows r;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_intervals || coalesce(array_agg(tstzrange(r.started_at, coalesce(r.ended_at, greatest(now(), r.started_at)), '[]')), '{}'),
           v_agents || coalesce(array_agg(r.agent_id), '{}')
      into v_intervals, v_agents from old_rows r;
  end if;
  -- every day an interval covers (an open one up to today)
  perform cx_private.log_metric_buckets(array(
    select ('agent', d::date, x.agent_id)::cx_private.metric_bucket
      from unnest(v_agents, v_intervals) x(agent_id, span)
     cross join lateral generate_series(cx.reporting_day(lower(x.span))::timestamp,
                                        cx.reporting_day(upper(x.span))::timestamp, interval '1 day') d));
  return null;
end
$$;
comment on function cx_private.tg_agent_status_history__log_metric_buckets() is
  'AFTER each statement on agent_status_history: logs a (day, agent) bucket for every day an old or new interval covers (an open one up to today).';

create trigger _800_log_metric_buckets_after_insert after insert on cx.customer_interactions
  referencing new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__log_metric_buckets();
create trigger _800_log_metric_buckets_after_update after update on cx.customer_interactions
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__log_metric_buckets();
create trigger _800_log_metric_buckets_after_delete after delete on cx.customer_interactions
  referencing old table as old_rows
  for each statement execute function cx_private.tg_customer_interactions__log_metric_buckets();
create trigger _800_log_metric_buckets_after_insert after insert on cx.interaction_steps
  referencing new table as new_rows
  for each statement execute function cx_private.tg_interaction_steps__log_metric_buckets();
create trigger _800_log_metric_buckets_after_update after update on cx.interaction_steps
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_interaction_steps__log_metric_buckets();
create trigger _800_log_metric_buckets_after_delete after delete on cx.interaction_steps
  referencing old table as old_rows
  for each statement execute function cx_private.tg_interaction_steps__log_metric_buckets();
create trigger _800_log_metric_buckets_after_insert after insert on cx.agent_status_history
  referencing new table as new_rows
  for each statement execute function cx_private.tg_agent_status_history__log_metric_buckets();
create trigger _800_log_metric_buckets_after_update after update on cx.agent_status_history
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_agent_status_history__log_metric_buckets();
create trigger _800_log_metric_buckets_after_delete after delete on cx.agent_status_history
  referencing old table as old_rows
  for each statement execute function cx_private.tg_agent_status_history__log_metric_buckets();

--! split: 0700-refresh-metrics.sql
/*
 * cx.refresh_metrics(): one refresh at a time (an advisory lock; a second caller returns at once
 * and says so). It deletes the log rows it can see and recomputes their buckets in the same
 * transaction: a crash or error rolls both back, so the buckets stay logged and the daily tables
 * keep their previous values. Log rows written meanwhile by other transactions stay for the next
 * refresh.
 */
create function cx.refresh_metrics()
  returns table (channel_buckets integer, agent_buckets integer, rows_written integer, remaining_log_rows bigint,
                 oldest_change timestamptz, milliseconds numeric)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_started timestamptz := clock_timestamp();
  v_channel_days date[];
  v_channels uuid[];
  v_agent_days date[];
  v_agents uuid[];
  v_oldest timestamptz;
  v_rows integer := 0;
begin
  if not pg_try_advisory_xact_lock(hashtext('cx.refresh_metrics')) then
    return query select 0, 0, 0, (select count(*) from cx_private.metric_bucket_log), null::timestamptz,
                        round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
    return;
  end if;
  with consumed as (
    delete from cx_private.metric_bucket_log returning bucket_kind, metric_date, bucket_key, logged_at
  ),
  buckets as (
    select c.bucket_kind, c.metric_date, c.bucket_key, min(c.logged_at) as logged_at
      from consumed c group by 1, 2, 3
  )
  select array_agg(b.metric_date) filter (where b.bucket_kind = 'channel'),
         array_agg(b.bucket_key) filter (where b.bucket_kind = 'channel'),
         array_agg(b.metric_date) filter (where b.bucket_kind = 'agent'),
         array_agg(b.bucket_key) filter (where b.bucket_kind = 'agent'),
         min(b.logged_at)
    into v_channel_days, v_channels, v_agent_days, v_agents, v_oldest
    from buckets b;
  if v_channels is not null then
    v_rows := v_rows + cx_private.recompute_channel_days(v_channel_days, v_channels);
  end if;
  if v_agents is not null then
    v_rows := v_rows + cx_private.recompute_agent_days(v_agent_days, v_agents);
  end if;
  return query select coalesce(cardinality(v_channels), 0), coalesce(cardinality(v_agents), 0), v_rows,
                      (select count(*) from cx_private.metric_bucket_log), v_oldest,
                      round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
end
$$;
comment on function cx.refresh_metrics() is
  'Recomputes from source every daily-metric bucket logged so far and removes those log rows, in one transaction; returns how many channel and agent buckets and rows it wrote, the log rows left (written meanwhile), the oldest change it covered and how long it took. Returns zeros at once while another refresh runs.';

create function cx.rebuild_daily_metrics(p_from date default null, p_to date default null) returns bigint
  language sql volatile
  set search_path = pg_catalog
  as $$
    -- a full rebuild is a refresh of every bucket the source has in the range: log them all
    with logged as (
      insert into cx_private.metric_bucket_log (bucket_kind, metric_date, bucket_key)
      select distinct 'channel', cx.reporting_day(i.start_timestamp), i.channel_id
        from cx.customer_interactions i
       where (p_from is null or i.start_timestamp >= cx.reporting_day_start(p_from))
         and (p_to is null or i.start_timestamp < cx.reporting_day_start(p_to + 1))
      union
      select 'agent', cx.reporting_day(s.started_at), s.agent_id
        from cx.interaction_steps s
       where s.agent_id is not null
         and (p_from is null or s.started_at >= cx.reporting_day_start(p_from))
         and (p_to is null or s.started_at < cx.reporting_day_start(p_to + 1))
      union
      select 'agent', cx.reporting_day(h.started_at), h.agent_id
        from cx.agent_status_history h
       where h.status in ('available', 'busy')
         and (p_from is null or h.started_at >= cx.reporting_day_start(p_from))
         and (p_to is null or h.started_at < cx.reporting_day_start(p_to + 1))
      union
      select 'channel', r.metric_date, r.channel_id from cx.daily_interaction_rollup r
       where (p_from is null or r.metric_date >= p_from) and (p_to is null or r.metric_date <= p_to)
      union
      select 'agent', m.metric_date, m.agent_id from cx.daily_agent_metrics m
       where (p_from is null or m.metric_date >= p_from) and (p_to is null or m.metric_date <= p_to)
      returning 1
    )
    select count(*) from logged
  $$;
comment on function cx.rebuild_daily_metrics(date, date) is
  'Repair: logs every (day, channel) and (day, agent) bucket in the range (all when null) that the source or the daily tables hold, so the next cx.refresh_metrics() recomputes them all; returns the buckets logged.';

--! split: 0800-settings-rebuild-metrics.sql
/*
 * The reporting time zone cuts the days and the short-abandon grace counts abandons: changing
 * either changes every stored bucket, so the change logs them all for the next refresh.
 */
create function cx_private.tg_settings__rebuild_metrics() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  if new.setting_name in ('reporting_time_zone', 'short_abandon_grace_seconds')
     and new.setting_value is distinct from old.setting_value then
    perform cx.rebuild_daily_metrics();
    perform cx_private.request_metrics_refresh();
  end if;
  return null;
end
$$;
comment on function cx_private.tg_settings__rebuild_metrics() is
  'AFTER UPDATE of a setting the daily metrics depend on (reporting time zone, short-abandon grace): logs every bucket for recomputation.';
create trigger _800_rebuild_metrics after update on cx.settings
  for each row execute function cx_private.tg_settings__rebuild_metrics();
