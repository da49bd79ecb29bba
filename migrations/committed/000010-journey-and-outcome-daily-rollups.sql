--! Previous: sha1:52088735d0e1b7c8c461918ac9aa727a9330a3af
--! Hash: sha1:536852dcbd90b8a38283894df3cd561bdaacb0d9
--! Message: journey and outcome daily rollups

--! split: 0100-drop-for-idempotence.sql
/*
 * current.sql runs again on every save while it is written: drop what it creates, last first.
 */
drop trigger if exists _800_log_metric_buckets_after_insert on cx.customer_journey_sessions;
drop trigger if exists _800_log_metric_buckets_after_update on cx.customer_journey_sessions;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.customer_journey_sessions;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.journey_touchpoints;
drop trigger if exists _800_log_metric_buckets_after_update on cx.journey_touchpoints;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.journey_touchpoints;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.interaction_outcomes;
drop trigger if exists _800_log_metric_buckets_after_update on cx.interaction_outcomes;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.interaction_outcomes;
drop function if exists cx_private.tg_customer_journey_sessions__log_metric_buckets();
drop function if exists cx_private.tg_journey_touchpoints__log_metric_buckets();
drop function if exists cx_private.tg_interaction_outcomes__log_metric_buckets();
drop function if exists cx_private.recompute_journey_days(date[], uuid[]);
drop function if exists cx_private.recompute_outcome_days(date[], uuid[]);
drop table if exists cx.daily_journey_rollup;
drop table if exists cx.daily_outcome_rollup;
delete from cx.metrics where source in ('daily_journey_rollup', 'daily_outcome_rollup');

--! split: 0200-bucket-kinds.sql
/*
 * Journeys and outcomes get their own daily rollups, logged and refreshed like the interactions'.
 * A bucket key of all zeros stands for "no channel" (a journey without an entry channel) or, for
 * outcomes, "every channel of the day" (an outcome whose interaction is gone: its channel is
 * unknown, so the whole day is recomputed).
 */
alter table cx_private.metric_bucket_log drop constraint if exists metric_bucket_log_bucket_kind_known;
alter table cx_private.metric_bucket_log add constraint metric_bucket_log_bucket_kind_known
  check (bucket_kind in ('channel', 'agent', 'journey', 'outcome'));
comment on column cx_private.metric_bucket_log.bucket_kind is
  'channel (daily_interaction_rollup), agent (daily_agent_metrics), journey (daily_journey_rollup) or outcome (daily_outcome_rollup).';
comment on column cx_private.metric_bucket_log.bucket_key is
  'The channel_id or agent_id of the bucket; all zeros: no channel (journeys) or every channel of the day (outcomes).';

--! split: 0300-daily-journey-rollup.sql
/*
 * Journeys per reporting day of their start and entry channel: how many, how they ended, how many
 * channels and touchpoints they used, friction, duration and satisfaction, as counts and sums.
 */
create table cx.daily_journey_rollup (
  metric_date date not null,
  channel_id uuid,
  journeys integer not null,
  journeys_completed integer not null,
  goals_achieved integer not null,
  journeys_abandoned integer not null,
  journeys_escalated integer not null,
  journeys_failed integer not null,
  journeys_in_progress integer not null,
  multi_channel_journeys integer not null,
  channels_used_sum integer not null,
  touchpoints_sum integer not null,
  friction_touchpoints integer not null,
  ended_journeys integer not null,
  duration_seconds_sum bigint not null,
  satisfaction_responses integer not null,
  satisfaction_sum integer not null,
  refreshed_at timestamptz not null default now()
);
create unique index daily_journey_rollup_bucket_idx on cx.daily_journey_rollup (metric_date, channel_id) nulls not distinct;
comment on index cx.daily_journey_rollup_bucket_idx is 'One row per day and entry channel (or none).';
comment on table cx.daily_journey_rollup is
  'Customer journeys per reporting day of their start and entry channel, as counts and sums; recomputed bucket by bucket by cx.refresh_metrics().';
comment on column cx.daily_journey_rollup.metric_date is 'Reporting day of the journey''s start.';
comment on column cx.daily_journey_rollup.channel_id is 'The entry channel; null for journeys without one.';
comment on column cx.daily_journey_rollup.journeys is 'Journeys that started that day.';
comment on column cx.daily_journey_rollup.journeys_completed is 'journey_outcome completed.';
comment on column cx.daily_journey_rollup.goals_achieved is 'goal_achieved true.';
comment on column cx.daily_journey_rollup.journeys_abandoned is 'journey_outcome abandoned.';
comment on column cx.daily_journey_rollup.journeys_escalated is 'journey_outcome escalated.';
comment on column cx.daily_journey_rollup.journeys_failed is 'journey_outcome failed.';
comment on column cx.daily_journey_rollup.journeys_in_progress is 'journey_outcome in_progress.';
comment on column cx.daily_journey_rollup.multi_channel_journeys is 'Journeys that used two channels or more.';
comment on column cx.daily_journey_rollup.channels_used_sum is 'Sum of channels_used.';
comment on column cx.daily_journey_rollup.touchpoints_sum is 'Sum of touchpoint_count.';
comment on column cx.daily_journey_rollup.friction_touchpoints is 'Touchpoints of those journeys with friction detected.';
comment on column cx.daily_journey_rollup.ended_journeys is 'Journeys with an end_timestamp.';
comment on column cx.daily_journey_rollup.duration_seconds_sum is 'Sum of duration_seconds of ended journeys.';
comment on column cx.daily_journey_rollup.satisfaction_responses is 'Journeys with a journey_satisfaction_score.';
comment on column cx.daily_journey_rollup.satisfaction_sum is 'Sum of journey_satisfaction_score.';
comment on column cx.daily_journey_rollup.refreshed_at is 'When the bucket was last recomputed.';

--! split: 0310-daily-outcome-rollup.sql
/*
 * Business outcomes per reporting day they were recorded, channel of their interaction and
 * outcome type: how many and their value.
 */
create table cx.daily_outcome_rollup (
  metric_date date not null,
  channel_id uuid not null,
  outcome_type text not null,
  outcomes integer not null,
  value_sum numeric(16, 2) not null,
  agent_attributed integer not null,
  refreshed_at timestamptz not null default now(),
  constraint daily_outcome_rollup_pkey primary key (metric_date, channel_id, outcome_type)
);
comment on table cx.daily_outcome_rollup is
  'Business outcomes per reporting day recorded, channel of the interaction and outcome type; recomputed bucket by bucket by cx.refresh_metrics().';
comment on column cx.daily_outcome_rollup.metric_date is 'Reporting day of recorded_at.';
comment on column cx.daily_outcome_rollup.channel_id is 'The channel of the outcome''s interaction.';
comment on column cx.daily_outcome_rollup.outcome_type is 'sale, upsell, cross_sell, retention, cost_saving, churn, refund, complaint_resolved or other.';
comment on column cx.daily_outcome_rollup.outcomes is 'Outcomes recorded.';
comment on column cx.daily_outcome_rollup.value_sum is 'Sum of outcome_value (negative for churn and refunds).';
comment on column cx.daily_outcome_rollup.agent_attributed is 'Outcomes attributed to an agent.';
comment on column cx.daily_outcome_rollup.refreshed_at is 'When the bucket was last recomputed.';
insert into cx_private.constraint_messages (constraint_name, message) values
  ('daily_journey_rollup_bucket_idx', 'a journey rollup row for this metric_date and channel_id already exists'),
  ('daily_outcome_rollup_pkey', 'an outcome rollup row for this metric_date, channel_id and outcome_type already exists')
on conflict (constraint_name) do update set message = excluded.message;

--! split: 0400-recompute-journeys-and-outcomes.sql
create function cx_private.recompute_journey_days(p_days date[], p_channels uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_rows integer;
begin
  delete from cx.daily_journey_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date
     and r.channel_id is not distinct from nullif(b.channel_id, '00000000-0000-0000-0000-000000000000');
  insert into cx.daily_journey_rollup
  select b.metric_date, s.entry_channel_id,
         count(*),
         count(*) filter (where s.journey_outcome = 'completed'),
         count(*) filter (where s.goal_achieved),
         count(*) filter (where s.journey_outcome = 'abandoned'),
         count(*) filter (where s.journey_outcome = 'escalated'),
         count(*) filter (where s.journey_outcome = 'failed'),
         count(*) filter (where s.journey_outcome = 'in_progress'),
         count(*) filter (where s.channels_used >= 2),
         coalesce(sum(s.channels_used), 0),
         coalesce(sum(s.touchpoint_count), 0),
         coalesce(sum(f.friction), 0),
         count(s.end_timestamp),
         coalesce(sum(s.duration_seconds), 0),
         count(s.journey_satisfaction_score),
         coalesce(sum(s.journey_satisfaction_score), 0),
         now()
    from (select distinct d.metric_date, d.channel_id from unnest(p_days, p_channels) d(metric_date, channel_id)) b
    join cx.customer_journey_sessions s
      on s.start_timestamp >= cx.reporting_day_start(b.metric_date)
     and s.start_timestamp < cx.reporting_day_start(b.metric_date + 1)
     and s.entry_channel_id is not distinct from nullif(b.channel_id, '00000000-0000-0000-0000-000000000000')
    cross join lateral (
      select count(*) filter (where tp.friction_detected)::integer as friction
        from cx.journey_touchpoints tp
       where tp.customer_id = s.customer_id and tp.session_id = s.session_id
    ) f
   group by b.metric_date, s.entry_channel_id;
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
comment on function cx_private.recompute_journey_days(date[], uuid[]) is
  'Replaces the daily_journey_rollup rows of the given (day, entry channel) pairs (all zeros: no entry channel) from the journey sessions and their touchpoints; returns the rows written.';

create function cx_private.recompute_outcome_days(p_days date[], p_channels uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_rows integer;
begin
  delete from cx.daily_outcome_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date
     and (b.channel_id = '00000000-0000-0000-0000-000000000000' or r.channel_id = b.channel_id);
  insert into cx.daily_outcome_rollup
  select cx.reporting_day(o.recorded_at), i.channel_id, o.outcome_type,
         count(*), coalesce(sum(o.outcome_value), 0), count(o.attributed_agent_id), now()
    from cx.interaction_outcomes o
    join cx.customer_interactions i
      on i.customer_id = o.customer_id and i.interaction_id = o.interaction_id
     and i.start_timestamp = o.interaction_start_timestamp
   where exists (
           select 1 from unnest(p_days, p_channels) b(metric_date, channel_id)
            where o.recorded_at >= cx.reporting_day_start(b.metric_date)
              and o.recorded_at < cx.reporting_day_start(b.metric_date + 1)
              and (b.channel_id = '00000000-0000-0000-0000-000000000000' or i.channel_id = b.channel_id))
   group by 1, 2, 3;
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
comment on function cx_private.recompute_outcome_days(date[], uuid[]) is
  'Replaces the daily_outcome_rollup rows of the given (day, channel) pairs (all zeros: every channel of the day) from the outcomes recorded that day; returns the rows written.';

--! split: 0500-log-journey-and-outcome-buckets.sql
create function cx_private.tg_customer_journey_sessions__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_buckets cx_private.metric_bucket[] := '{}';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    select v_buckets || coalesce(array_agg(('journey', cx.reporting_day(r.start_timestamp),
             coalesce(r.entry_channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket), '{}')
      into v_buckets from new_rows r;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_buckets || coalesce(array_agg(('journey', cx.reporting_day(r.start_timestamp),
             coalesce(r.entry_channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket), '{}')
      into v_buckets from old_rows r;
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
  return null;
end
$$;
comment on function cx_private.tg_customer_journey_sessions__log_metric_buckets() is
  'AFTER each statement on customer_journey_sessions: logs the (day, entry channel) journey buckets of the old and new rows (touchpoint and interaction changes reach the sessions through their roll-up).';

create function cx_private.tg_journey_touchpoints__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_sessions uuid[] := '{}';
  v_customers uuid[] := '{}';
begin
  -- friction lives on the touchpoints: a flag changing without a new touchpoint still changes the day
  if tg_op in ('INSERT', 'UPDATE') then
    select v_sessions || coalesce(array_agg(r.session_id), '{}'), v_customers || coalesce(array_agg(r.customer_id), '{}')
      into v_sessions, v_customers from new_rows r;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_sessions || coalesce(array_agg(r.session_id), '{}'), v_customers || coalesce(array_agg(r.customer_id), '{}')
      into v_sessions, v_customers from old_rows r;
  end if;
  perform cx_private.log_metric_buckets(array(
    select distinct ('journey', cx.reporting_day(s.start_timestamp),
                     coalesce(s.entry_channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket
      from unnest(v_customers, v_sessions) k(customer_id, session_id)
      join cx.customer_journey_sessions s on s.customer_id = k.customer_id and s.session_id = k.session_id));
  return null;
end
$$;
comment on function cx_private.tg_journey_touchpoints__log_metric_buckets() is
  'AFTER each statement on journey_touchpoints: logs the journey buckets of the touched sessions.';

create function cx_private.tg_interaction_outcomes__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_outcomes cx_private.step_key[] := '{}';
begin
  -- (customer, interaction, start) of the outcome's interaction, and when it was recorded
  if tg_op in ('INSERT', 'UPDATE') then
    select v_outcomes || coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp, null, r.recorded_at)::cx_private.step_key), '{}')
      into v_outcomes from new_rows r;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_outcomes || coalesce(array_agg((r.customer_id, r.interaction_id, r.interaction_start_timestamp, null, r.recorded_at)::cx_private.step_key), '{}')
      into v_outcomes from old_rows r;
  end if;
  perform cx_private.log_metric_buckets(array(
    select distinct ('outcome', cx.reporting_day(o.started_at),
                     coalesce(i.channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket
      from unnest(v_outcomes) o
      left join cx.customer_interactions i
        on i.customer_id = o.customer_id and i.interaction_id = o.interaction_id
       and i.start_timestamp = o.interaction_start_timestamp));
  return null;
end
$$;
comment on function cx_private.tg_interaction_outcomes__log_metric_buckets() is
  'AFTER each statement on interaction_outcomes: logs the (day recorded, channel) outcome buckets; every channel of the day when the interaction is gone.';

create trigger _800_log_metric_buckets_after_insert after insert on cx.customer_journey_sessions
  referencing new table as new_rows
  for each statement execute function cx_private.tg_customer_journey_sessions__log_metric_buckets();
create trigger _800_log_metric_buckets_after_update after update on cx.customer_journey_sessions
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_journey_sessions__log_metric_buckets();
create trigger _800_log_metric_buckets_after_delete after delete on cx.customer_journey_sessions
  referencing old table as old_rows
  for each statement execute function cx_private.tg_customer_journey_sessions__log_metric_buckets();
create trigger _800_log_metric_buckets_after_insert after insert on cx.journey_touchpoints
  referencing new table as new_rows
  for each statement execute function cx_private.tg_journey_touchpoints__log_metric_buckets();
create trigger _800_log_metric_buckets_after_update after update on cx.journey_touchpoints
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_journey_touchpoints__log_metric_buckets();
create trigger _800_log_metric_buckets_after_delete after delete on cx.journey_touchpoints
  referencing old table as old_rows
  for each statement execute function cx_private.tg_journey_touchpoints__log_metric_buckets();
create trigger _800_log_metric_buckets_after_insert after insert on cx.interaction_outcomes
  referencing new table as new_rows
  for each statement execute function cx_private.tg_interaction_outcomes__log_metric_buckets();
create trigger _800_log_metric_buckets_after_update after update on cx.interaction_outcomes
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_interaction_outcomes__log_metric_buckets();
create trigger _800_log_metric_buckets_after_delete after delete on cx.interaction_outcomes
  referencing old table as old_rows
  for each statement execute function cx_private.tg_interaction_outcomes__log_metric_buckets();

--! split: 0600-journey-and-outcome-metrics.sql
alter table cx.metrics drop constraint if exists metrics_source_known;
alter table cx.metrics add constraint metrics_source_known
  check (source in ('daily_interaction_rollup', 'daily_agent_metrics', 'daily_journey_rollup', 'daily_outcome_rollup'));
update cx_private.constraint_messages
   set message = 'source must be one of daily_interaction_rollup, daily_agent_metrics, daily_journey_rollup, daily_outcome_rollup'
 where constraint_name = 'metrics_source_known';
comment on column cx.metrics.source is 'The daily table the expression aggregates: daily_interaction_rollup, daily_agent_metrics, daily_journey_rollup or daily_outcome_rollup.';

insert into cx.metrics (metric_name, family, description, unit, higher_is_better, source, expression, sample_expression) values
  ('journeys', 'customer_experience', 'Journeys that started in the period.', 'count', null, 'daily_journey_rollup',
   'sum(journeys)', 'sum(journeys)'),
  ('journey_completion_rate', 'customer_experience', 'Journeys completed / journeys no longer in progress.', 'fraction', true, 'daily_journey_rollup',
   'sum(journeys_completed)::numeric / nullif(sum(journeys) - sum(journeys_in_progress), 0)', 'sum(journeys) - sum(journeys_in_progress)'),
  ('goal_achievement_rate', 'customer_experience', 'Journeys whose goal was achieved / journeys.', 'fraction', true, 'daily_journey_rollup',
   'sum(goals_achieved)::numeric / nullif(sum(journeys), 0)', 'sum(journeys)'),
  ('multi_channel_rate', 'customer_experience', 'Journeys that used two channels or more / journeys.', 'fraction', null, 'daily_journey_rollup',
   'sum(multi_channel_journeys)::numeric / nullif(sum(journeys), 0)', 'sum(journeys)'),
  ('channels_per_journey', 'customer_experience', 'Mean channels used per journey.', 'count', null, 'daily_journey_rollup',
   'sum(channels_used_sum)::numeric / nullif(sum(journeys), 0)', 'sum(journeys)'),
  ('touchpoints_per_journey', 'customer_experience', 'Mean touchpoints per journey.', 'count', null, 'daily_journey_rollup',
   'sum(touchpoints_sum)::numeric / nullif(sum(journeys), 0)', 'sum(journeys)'),
  ('friction_rate', 'customer_experience', 'Touchpoints with friction / touchpoints.', 'fraction', false, 'daily_journey_rollup',
   'sum(friction_touchpoints)::numeric / nullif(sum(touchpoints_sum), 0)', 'sum(touchpoints_sum)'),
  ('journey_satisfaction', 'customer_experience', 'Mean journey satisfaction (1-5).', 'score_1_5', true, 'daily_journey_rollup',
   'sum(satisfaction_sum)::numeric / nullif(sum(satisfaction_responses), 0)', 'sum(satisfaction_responses)'),
  ('outcomes', 'business_impact', 'Business outcomes recorded in the period.', 'count', null, 'daily_outcome_rollup',
   'sum(outcomes)', 'sum(outcomes)'),
  ('outcome_value', 'business_impact', 'Net value of all outcomes (churn and refunds count negative).', 'currency', true, 'daily_outcome_rollup',
   'sum(value_sum)', 'sum(outcomes)'),
  ('sales_value', 'business_impact', 'Value of sales, upsells and cross-sells.', 'currency', true, 'daily_outcome_rollup',
   'coalesce(sum(value_sum) filter (where outcome_type in (''sale'', ''upsell'', ''cross_sell'')), 0)',
   'coalesce(sum(outcomes) filter (where outcome_type in (''sale'', ''upsell'', ''cross_sell'')), 0)'),
  ('retention_saves', 'business_impact', 'Customers kept: retention outcomes.', 'count', null, 'daily_outcome_rollup',
   'coalesce(sum(outcomes) filter (where outcome_type = ''retention''), 0)', 'sum(outcomes)'),
  ('churn_value', 'business_impact', 'Value lost to churn and refunds (negative).', 'currency', false, 'daily_outcome_rollup',
   'coalesce(sum(value_sum) filter (where outcome_type in (''churn'', ''refund'')), 0)',
   'coalesce(sum(outcomes) filter (where outcome_type in (''churn'', ''refund'')), 0)');

--! split: 0700-refresh-and-read-journeys-and-outcomes.sql
/*
 * The refresh, the full rebuild and cx.metric_values learn the journey and outcome rollups.
 */
create or replace function cx.refresh_metrics()
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
  v_journey_days date[];
  v_journey_channels uuid[];
  v_outcome_days date[];
  v_outcome_channels uuid[];
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
         array_agg(b.metric_date) filter (where b.bucket_kind = 'journey'),
         array_agg(b.bucket_key) filter (where b.bucket_kind = 'journey'),
         array_agg(b.metric_date) filter (where b.bucket_kind = 'outcome'),
         array_agg(b.bucket_key) filter (where b.bucket_kind = 'outcome'),
         min(b.logged_at)
    into v_channel_days, v_channels, v_agent_days, v_agents, v_journey_days, v_journey_channels,
         v_outcome_days, v_outcome_channels, v_oldest
    from buckets b;
  if v_channels is not null then
    v_rows := v_rows + cx_private.recompute_channel_days(v_channel_days, v_channels);
  end if;
  if v_agents is not null then
    v_rows := v_rows + cx_private.recompute_agent_days(v_agent_days, v_agents);
  end if;
  if v_journey_channels is not null then
    v_rows := v_rows + cx_private.recompute_journey_days(v_journey_days, v_journey_channels);
  end if;
  if v_outcome_channels is not null then
    v_rows := v_rows + cx_private.recompute_outcome_days(v_outcome_days, v_outcome_channels);
  end if;
  return query select coalesce(cardinality(v_channels), 0) + coalesce(cardinality(v_journey_channels), 0)
                        + coalesce(cardinality(v_outcome_channels), 0),
                      coalesce(cardinality(v_agents), 0), v_rows,
                      (select count(*) from cx_private.metric_bucket_log), v_oldest,
                      round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
end
$$;
comment on function cx.refresh_metrics() is
  'Recomputes from source every daily-metric bucket logged so far and removes those log rows, in one transaction; returns how many channel and agent buckets and rows it wrote, the log rows left (written meanwhile), the oldest change it covered and how long it took. Returns zeros at once while another refresh runs.';
comment on function cx.refresh_metrics() is
  'Recomputes from source every daily-metric bucket logged so far (interactions, agents, journeys, outcomes) and removes those log rows, in one transaction; returns the channel-keyed buckets (interaction, journey and outcome days), the agent buckets, the rows written, the log rows left (written meanwhile), the oldest change covered and how long it took. Returns zeros at once while another refresh runs.';

create or replace function cx.rebuild_daily_metrics(p_from date default null, p_to date default null) returns bigint
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
      select 'journey', cx.reporting_day(s.start_timestamp), coalesce(s.entry_channel_id, '00000000-0000-0000-0000-000000000000')
        from cx.customer_journey_sessions s
       where (p_from is null or s.start_timestamp >= cx.reporting_day_start(p_from))
         and (p_to is null or s.start_timestamp < cx.reporting_day_start(p_to + 1))
      union
      select 'outcome', cx.reporting_day(o.recorded_at), '00000000-0000-0000-0000-000000000000'::uuid
        from cx.interaction_outcomes o
       where (p_from is null or o.recorded_at >= cx.reporting_day_start(p_from))
         and (p_to is null or o.recorded_at < cx.reporting_day_start(p_to + 1))
      union
      select 'journey', r.metric_date, coalesce(r.channel_id, '00000000-0000-0000-0000-000000000000') from cx.daily_journey_rollup r
       where (p_from is null or r.metric_date >= p_from) and (p_to is null or r.metric_date <= p_to)
      union
      select 'outcome', r.metric_date, '00000000-0000-0000-0000-000000000000'::uuid from cx.daily_outcome_rollup r
       where (p_from is null or r.metric_date >= p_from) and (p_to is null or r.metric_date <= p_to)
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

comment on function cx.rebuild_daily_metrics(date, date) is
  'Repair: logs every interaction, agent, journey and outcome bucket in the range (all when null) that the source or the daily tables hold, so the next cx.refresh_metrics() recomputes them all; returns the buckets logged.';

create or replace function cx.metric_values(
  p_from date,
  p_to date,
  p_group text default 'none',
  p_channel_id uuid default null,
  p_interaction_type_id uuid default null,
  p_region text default null,
  p_agent_id uuid default null
) returns table (metric_name text, metric_date date, group_key text, value numeric, sample numeric)
  language plpgsql stable
  set search_path = pg_catalog
  as $$
declare
  v_source record;
  v_group_columns text;
  v_date_select text;
  v_key_select text;
  v_filters text;
begin
  if p_from is null or p_to is null or p_to < p_from then
    raise exception 'the period must have a start and an end not before it, got % to %', p_from, p_to
      using errcode = 'invalid_parameter_value', column = 'p_from';
  end if;
  if p_group not in ('none', 'day', 'channel', 'day_channel', 'interaction_type', 'channel_interaction_type', 'region', 'agent', 'day_agent') then
    raise exception 'group must be one of none, day, channel, day_channel, interaction_type, channel_interaction_type, region, agent, day_agent, got %', p_group
      using errcode = 'invalid_parameter_value', column = 'p_group';
  end if;
  for v_source in
    select m.source,
           -- a count over no rows is 0, a rate over no rows has no value
           string_agg(format('row(%L, %s, coalesce((%s)::numeric, 0))::cx_private.metric_cell',
                             m.metric_name,
                             case when m.unit = 'count' then format('coalesce((%s)::numeric, 0)', m.expression)
                                  else format('(%s)::numeric', m.expression) end,
                             m.sample_expression), ', ' order by m.metric_name) as cells
      from cx.metrics m
     where case
             -- agent metrics answer agent questions only
             when p_group in ('agent', 'day_agent') or p_agent_id is not null then m.source = 'daily_agent_metrics'
             when m.source = 'daily_agent_metrics' then false
             -- journeys and outcomes have days and channels, no interaction type or region
             when m.source in ('daily_journey_rollup', 'daily_outcome_rollup')
               then p_group in ('none', 'day', 'channel', 'day_channel')
                    and p_interaction_type_id is null and p_region is null
             else true
           end
     group by m.source
  loop
    v_group_columns := case p_group
      when 'none' then null
      when 'day' then 'metric_date'
      when 'channel' then 'channel_id'
      when 'day_channel' then 'metric_date, channel_id'
      when 'interaction_type' then 'interaction_type_id'
      when 'channel_interaction_type' then 'channel_id, interaction_type_id'
      when 'region' then 'region'
      when 'agent' then 'agent_id'
      when 'day_agent' then 'metric_date, agent_id'
    end;
    v_date_select := case when p_group in ('day', 'day_channel', 'day_agent') then 'metric_date' else 'null::date' end;
    v_key_select := case p_group
      when 'channel' then 'channel_id::text'
      when 'day_channel' then 'channel_id::text'
      when 'interaction_type' then 'interaction_type_id::text'
      when 'channel_interaction_type' then 'channel_id || ''/'' || coalesce(interaction_type_id::text, ''none'')'
      when 'region' then 'region'
      when 'agent' then 'agent_id::text'
      when 'day_agent' then 'agent_id::text'
      else 'null::text'
    end;
    v_filters := format('metric_date between %L and %L', p_from, p_to);
    if v_source.source <> 'daily_agent_metrics' and p_channel_id is not null then
      v_filters := v_filters || format(' and channel_id = %L', p_channel_id);
    end if;
    if v_source.source = 'daily_interaction_rollup' then
      if p_interaction_type_id is not null then v_filters := v_filters || format(' and interaction_type_id = %L', p_interaction_type_id); end if;
      if p_region is not null then v_filters := v_filters || format(' and region = %L', p_region); end if;
    elsif p_agent_id is not null then
      v_filters := v_filters || format(' and agent_id = %L', p_agent_id);
    end if;
    return query execute format(
      'select v.metric_name::text, g.d, g.k, round(v.value::numeric, 6), v.sample::numeric
         from (select %s as d, %s as k, array[%s] as cells
                 from cx.%I where %s %s) g
        cross join lateral unnest(g.cells) v',
      v_date_select, v_key_select, v_source.cells, v_source.source, v_filters,
      case when v_group_columns is null then '' else 'group by ' || v_group_columns end);
  end loop;
end
$$;
comment on function cx.metric_values(date, date, text, uuid, uuid, text, uuid) is
  'Every metric of cx.metrics over reporting days p_from..p_to, filtered by channel, interaction type, region (rollup metrics) or agent (agent metrics), grouped by none, day, channel, day_channel, interaction_type, channel_interaction_type (key channel/type), region, agent or day_agent; one row per metric and group with its value and sample size. Agent metrics are returned when grouping by agent or filtering on one.';
comment on function cx.metric_values(date, date, text, uuid, uuid, text, uuid) is
  'Every metric of cx.metrics over reporting days p_from..p_to, filtered by channel, interaction type, region or agent, grouped by none, day, channel, day_channel, interaction_type, channel_interaction_type (key channel/type), region, agent or day_agent; one row per metric and group with its value and sample size. Agent metrics answer when grouping by or filtering on agents; journey and outcome metrics when grouping by none, day or channel without type or region filters.';
