--! Previous: sha1:2e43101d9ec1dbd8ed9c42084c075fd777501338
--! Hash: sha1:52088735d0e1b7c8c461918ac9aa727a9330a3af
--! Message: metric catalog, thresholds, alerts, materialized views

--! split: 0100-drop-for-idempotence.sql
/*
 * current.sql runs again on every save while it is written: drop what it creates, last first.
 */
drop function if exists cx.refresh_materialized_views();
drop materialized view if exists cx.bot_effectiveness_30d;
drop materialized view if exists cx.channel_scorecard_30d;
drop function if exists cx.resolve_alert(uuid, text);
drop function if exists cx.acknowledge_alert(uuid, text);
drop function if exists cx.check_thresholds(date);
drop function if exists cx_private.threshold_alert_message(text, numeric, boolean, text, numeric, integer, date, numeric);
drop table if exists cx.system_alerts;
drop table if exists cx.performance_thresholds;
drop function if exists cx_private.tg_performance_thresholds__defaults();
drop function if exists cx.metric_values(date, date, text, uuid, uuid, text, uuid);
drop type if exists cx_private.metric_cell;
drop table if exists cx.metrics;

--! split: 0200-metric-catalog.sql
/*
 * Every KPI by name, with its one definition: an expression over the sums and counts of the daily
 * tables (DESIGN.md §3). Thresholds, cx.metric_values() and the typed client refer to metrics by
 * these names, and the expressions are the only place a rate is computed. The expressions run as
 * dynamic SQL: only the schema owner may change this table.
 */
create table cx.metrics (
  metric_name text primary key
    constraint metrics_metric_name_format check (metric_name ~ '^[a-z][a-z0-9_]{1,62}$'),
  family text not null
    constraint metrics_family_known check (family in ('volume', 'quality', 'efficiency', 'customer_experience', 'business_impact', 'agent')),
  description text not null
    constraint metrics_description_not_blank check (btrim(description) <> ''),
  unit text not null
    constraint metrics_unit_known check (unit in ('count', 'fraction', 'seconds', 'score_1_5', 'score_1_7', 'nps', 'currency')),
  higher_is_better boolean,
  source text not null
    constraint metrics_source_known check (source in ('daily_interaction_rollup', 'daily_agent_metrics')),
  expression text not null,
  sample_expression text not null
);
comment on table cx.metrics is
  'The KPI catalog: one row per metric name with its definition as an expression over the summed columns of a daily table; read by cx.metric_values(), thresholds and the client. Only the schema owner writes it.';
comment on column cx.metrics.metric_name is 'The name thresholds, alerts and the client use, snake_case.';
comment on column cx.metrics.family is 'KPI family of the data model document: volume, quality, efficiency, customer_experience, business_impact, or agent.';
comment on column cx.metrics.description is 'What the number means, for readers of reports.';
comment on column cx.metrics.unit is 'count, fraction (0-1, shown as %), seconds, score_1_5 (CSAT), score_1_7 (CES, 7 easiest), nps (-100..100) or currency.';
comment on column cx.metrics.higher_is_better is 'Direction: true when higher is better, false when lower is, null for plain volumes.';
comment on column cx.metrics.source is 'The daily table the expression aggregates: daily_interaction_rollup or daily_agent_metrics.';
comment on column cx.metrics.expression is 'SQL over aggregates of the source''s columns (sum(...)), e.g. sum(contained)::numeric / nullif(sum(bot_started), 0).';
comment on column cx.metrics.sample_expression is 'The number of observations behind a value (its denominator), so thresholds can ignore tiny samples.';
insert into cx_private.constraint_messages (constraint_name, message) values
  ('metrics_pkey', 'a metric with this metric_name already exists'),
  ('metrics_metric_name_format', 'metric_name must be snake_case: a lowercase letter, then 1 to 62 lowercase letters, digits or underscores'),
  ('metrics_family_known', 'family must be one of volume, quality, efficiency, customer_experience, business_impact, agent'),
  ('metrics_description_not_blank', 'description must not be blank'),
  ('metrics_unit_known', 'unit must be one of count, fraction, seconds, score_1_5, score_1_7, nps, currency'),
  ('metrics_source_known', 'source must be one of daily_interaction_rollup, daily_agent_metrics')
on conflict (constraint_name) do update set message = excluded.message;

insert into cx.metrics (metric_name, family, description, unit, higher_is_better, source, expression, sample_expression) values
  ('interactions', 'volume', 'Interactions that started in the period.', 'count', null, 'daily_interaction_rollup',
   'sum(interactions)', 'sum(interactions)'),
  ('bot_interactions', 'volume', 'Bot interactions: started with a bot and never escalated (interaction_mode bot).', 'count', null, 'daily_interaction_rollup',
   'sum(bot_mode)', 'sum(interactions)'),
  ('live_chat_interactions', 'volume', 'Live-chat interactions: human from the start, or an escalated bot or self-service contact (interaction_mode live_chat).', 'count', null, 'daily_interaction_rollup',
   'sum(live_chat_mode)', 'sum(interactions)'),
  ('bot_share', 'volume', 'Bot interactions / (bot + live-chat interactions).', 'fraction', null, 'daily_interaction_rollup',
   'sum(bot_mode)::numeric / nullif(sum(bot_mode) + sum(live_chat_mode), 0)', 'sum(bot_mode) + sum(live_chat_mode)'),
  ('escalations', 'volume', 'Bot-started interactions escalated to a human.', 'count', null, 'daily_interaction_rollup',
   'sum(escalated)', 'sum(bot_started)'),
  ('containment_rate', 'quality', 'Bot-started, not escalated / bot-started.', 'fraction', true, 'daily_interaction_rollup',
   'sum(contained)::numeric / nullif(sum(bot_started), 0)', 'sum(bot_started)'),
  ('bot_resolution_rate', 'quality', 'Bot-started, not escalated, resolved / bot-started.', 'fraction', true, 'daily_interaction_rollup',
   'sum(contained_resolved)::numeric / nullif(sum(bot_started), 0)', 'sum(bot_started)'),
  ('escalation_rate', 'quality', 'Bot-started, escalated / bot-started.', 'fraction', false, 'daily_interaction_rollup',
   'sum(escalated)::numeric / nullif(sum(bot_started), 0)', 'sum(bot_started)'),
  ('success_rate', 'quality', 'Completed and resolved / completed.', 'fraction', true, 'daily_interaction_rollup',
   'sum(completed_resolved)::numeric / nullif(sum(completed), 0)', 'sum(completed)'),
  ('fcr_rate', 'quality', 'First contact resolution: resolved with no repeat contact about the same type within the repeat window / resolved.', 'fraction', true, 'daily_interaction_rollup',
   'sum(first_contact_resolved)::numeric / nullif(sum(resolved), 0)', 'sum(resolved)'),
  ('failure_rate', 'quality', 'Failed interactions / interactions.', 'fraction', false, 'daily_interaction_rollup',
   'sum(failed)::numeric / nullif(sum(interactions), 0)', 'sum(interactions)'),
  ('csat_score', 'quality', 'Mean CSAT (1-5) of interactions with an answer (latest answer per interaction).', 'score_1_5', true, 'daily_interaction_rollup',
   'sum(csat_sum)::numeric / nullif(sum(csat_responses), 0)', 'sum(csat_responses)'),
  ('csat_top2_rate', 'quality', 'CSAT answers of 4 or 5 / CSAT answers.', 'fraction', true, 'daily_interaction_rollup',
   'sum(csat_top2)::numeric / nullif(sum(csat_responses), 0)', 'sum(csat_responses)'),
  ('nps', 'quality', 'Net promoter score: % promoters (9-10) - % detractors (0-6).', 'nps', true, 'daily_interaction_rollup',
   '100 * (sum(nps_promoters) - sum(nps_detractors))::numeric / nullif(sum(nps_responses), 0)', 'sum(nps_responses)'),
  ('ces_score', 'quality', 'Mean customer effort score (1-7, 7 = easiest).', 'score_1_7', true, 'daily_interaction_rollup',
   'sum(ces_sum)::numeric / nullif(sum(ces_responses), 0)', 'sum(ces_responses)'),
  ('avg_bot_seconds', 'efficiency', 'Mean bot time of automated starts, seconds.', 'seconds', false, 'daily_interaction_rollup',
   'sum(bot_seconds)::numeric / nullif(sum(automated_started), 0)', 'sum(automated_started)'),
  ('avg_human_seconds', 'efficiency', 'Mean human time (human + hold) of human-handled interactions, seconds.', 'seconds', false, 'daily_interaction_rollup',
   'sum(human_seconds)::numeric / nullif(sum(human_handled), 0)', 'sum(human_handled)'),
  ('aht_seconds', 'efficiency', 'Average handle time: (human + hold + wrap-up seconds) / human-handled interactions.', 'seconds', false, 'daily_interaction_rollup',
   '(sum(human_seconds) + sum(wrap_up_seconds))::numeric / nullif(sum(human_handled), 0)', 'sum(human_handled)'),
  ('asa_seconds', 'efficiency', 'Average speed of answer: queue seconds / interactions a human answered after a queue.', 'seconds', false, 'daily_interaction_rollup',
   'sum(queue_seconds_answered)::numeric / nullif(sum(answered_after_queue), 0)', 'sum(answered_after_queue)'),
  ('abandonment_rate', 'efficiency', 'Queued interactions abandoned before a human answered / queued.', 'fraction', false, 'daily_interaction_rollup',
   'sum(abandoned)::numeric / nullif(sum(queued), 0)', 'sum(queued)'),
  ('service_level', 'efficiency', 'Answered within the channel''s target / (answered + abandoned after the short-abandon grace).', 'fraction', true, 'daily_interaction_rollup',
   'sum(answered_within_target)::numeric / nullif(sum(answered_after_queue) + sum(abandoned_after_grace), 0)', 'sum(answered_after_queue) + sum(abandoned_after_grace)'),
  ('cost_per_interaction', 'efficiency', 'Sum of cost_to_serve / interactions.', 'currency', false, 'daily_interaction_rollup',
   'sum(cost_to_serve_sum) / nullif(sum(interactions), 0)', 'sum(interactions)'),
  ('bot_savings', 'business_impact', 'Contained interactions x (cost per human-handled interaction - cost per contained interaction).', 'currency', true, 'daily_interaction_rollup',
   'sum(contained) * (sum(human_handled_cost_sum) / nullif(sum(human_handled), 0) - sum(contained_cost_sum) / nullif(sum(contained), 0))', 'sum(contained)'),
  ('agent_handled', 'agent', 'Interactions the agent handled.', 'count', null, 'daily_agent_metrics',
   'sum(handled)', 'sum(handled)'),
  ('agent_aht_seconds', 'agent', 'The agent''s (handle + wrap-up seconds) / handled.', 'seconds', false, 'daily_agent_metrics',
   '(sum(handle_seconds) + sum(wrap_up_seconds))::numeric / nullif(sum(handled), 0)', 'sum(handled)'),
  ('agent_csat_score', 'agent', 'Mean CSAT of the interactions the agent was primary agent of.', 'score_1_5', true, 'daily_agent_metrics',
   'sum(csat_sum)::numeric / nullif(sum(csat_responses), 0)', 'sum(csat_responses)'),
  ('agent_escalations_received', 'agent', 'Escalated interactions the agent took.', 'count', null, 'daily_agent_metrics',
   'sum(escalations_received)', 'sum(handled)'),
  ('agent_occupancy', 'agent', 'Handling time / (handling + available idle time).', 'fraction', null, 'daily_agent_metrics',
   'sum(handling_seconds)::numeric / nullif(sum(handling_seconds) + sum(idle_seconds), 0)', 'sum(handling_seconds) + sum(idle_seconds)');

--! split: 0300-metric-values.sql
create type cx_private.metric_cell as (metric_name text, value numeric, sample numeric);
comment on type cx_private.metric_cell is 'One metric''s value and sample size in a group, as cx.metric_values() computes them.';

/*
 * One function evaluates any metrics over any period, filtered and grouped: the client's read
 * side, the thresholds and the report all call it, so every screen shows the same number. The
 * statement is built from the catalog's expressions: one pass over the daily table for all
 * metrics of a source.
 */
create function cx.metric_values(
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
     where (m.source = 'daily_agent_metrics') = (p_group in ('agent', 'day_agent') or p_agent_id is not null)
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
    if v_source.source = 'daily_interaction_rollup' then
      if p_channel_id is not null then v_filters := v_filters || format(' and channel_id = %L', p_channel_id); end if;
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

--! split: 0400-performance-thresholds.sql
/*
 * Thresholds on metrics by name: warning and critical levels, the direction from the metric
 * unless given, a window of days, a scope. Scopes: global (the default for every channel:
 * each channel is checked on its own, unless a channel threshold of the same metric names it),
 * channel (one channel), interaction_type (one type, all channels), agent (one agent, for agent
 * metrics). A minimum sample keeps a single bad contact from raising an alert.
 */
create table cx.performance_thresholds (
  threshold_id uuid primary key default cx.uuid_generate_v7(),
  metric_name text not null
    constraint performance_thresholds_metric_name_fkey references cx.metrics (metric_name) on delete cascade on update cascade,
  scope_kind text not null default 'global'
    constraint performance_thresholds_scope_kind_known check (scope_kind in ('global', 'channel', 'interaction_type', 'agent')),
  scope_id uuid,
  warning_threshold numeric not null,
  critical_threshold numeric not null,
  higher_is_better boolean not null,
  window_days integer not null default 1
    constraint performance_thresholds_window_days_range check (window_days between 1 and 366),
  min_sample integer not null default 20
    constraint performance_thresholds_min_sample_non_negative check (min_sample >= 0),
  enabled boolean not null default true,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint performance_thresholds_scope_id_matches_kind check ((scope_kind = 'global') = (scope_id is null)),
  constraint performance_thresholds_levels_ordered check (
    case when higher_is_better then critical_threshold <= warning_threshold else critical_threshold >= warning_threshold end)
);
create unique index performance_thresholds_metric_scope_idx
  on cx.performance_thresholds (metric_name, scope_kind, scope_id) nulls not distinct;
comment on index cx.performance_thresholds_metric_scope_idx is 'One threshold per metric and scope.';
comment on table cx.performance_thresholds is
  'Configurable monitoring thresholds on cx.metrics by name, checked by cx.check_thresholds() after each refresh; a breach opens or updates a system alert.';
comment on column cx.performance_thresholds.threshold_id is 'Identifier (UUIDv7).';
comment on column cx.performance_thresholds.metric_name is 'The metric (cx.metrics).';
comment on column cx.performance_thresholds.scope_kind is 'global (every channel, each on its own), channel, interaction_type or agent.';
comment on column cx.performance_thresholds.scope_id is 'The channel, interaction type or agent; null for global.';
comment on column cx.performance_thresholds.warning_threshold is 'Beyond this (below when higher is better, above otherwise) the metric is at warning.';
comment on column cx.performance_thresholds.critical_threshold is 'Beyond this it is critical.';
comment on column cx.performance_thresholds.higher_is_better is 'Direction; defaults to the metric''s.';
comment on column cx.performance_thresholds.window_days is 'Days the value is computed over, ending with the checked day.';
comment on column cx.performance_thresholds.min_sample is 'Smallest sample (the metric''s denominator) worth judging.';
comment on column cx.performance_thresholds.enabled is 'Disabled thresholds are not checked.';
comment on column cx.performance_thresholds.description is 'Why the levels are what they are.';
comment on column cx.performance_thresholds.created_at is 'When the row was created.';
comment on column cx.performance_thresholds.updated_at is 'When the row last changed.';

create function cx_private.tg_performance_thresholds__defaults() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  if new.higher_is_better is null then
    select m.higher_is_better into new.higher_is_better from cx.metrics m where m.metric_name = new.metric_name;
    if new.higher_is_better is null then
      raise exception 'metric % has no direction (a plain volume): give higher_is_better', new.metric_name
        using errcode = 'check_violation', column = 'higher_is_better',
              constraint = 'performance_thresholds_direction_known';
    end if;
  end if;
  return new;
end
$$;
comment on function cx_private.tg_performance_thresholds__defaults() is
  'BEFORE INSERT or UPDATE: takes the direction from the metric when the writer leaves it out.';
create trigger _100_defaults before insert or update on cx.performance_thresholds
  for each row execute function cx_private.tg_performance_thresholds__defaults();
create trigger _900_touch_updated_at before update on cx.performance_thresholds
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('performance_thresholds_pkey', 'a threshold with this threshold_id already exists'),
  ('performance_thresholds_metric_name_fkey', 'metric_name must name a metric of cx.metrics'),
  ('performance_thresholds_scope_kind_known', 'scope_kind must be one of global, channel, interaction_type, agent'),
  ('performance_thresholds_window_days_range', 'window_days must be a whole number from 1 to 366'),
  ('performance_thresholds_min_sample_non_negative', 'min_sample must be zero or more'),
  ('performance_thresholds_scope_id_matches_kind', 'scope_id must be given for a channel, interaction_type or agent scope, and left out for global'),
  ('performance_thresholds_levels_ordered', 'critical_threshold must be beyond warning_threshold: lower when higher is better, higher otherwise'),
  ('performance_thresholds_metric_scope_idx', 'this metric already has a threshold for this scope'),
  ('performance_thresholds_direction_known', 'higher_is_better must be given for a metric without a direction')
on conflict (constraint_name) do update set message = excluded.message;

insert into cx.performance_thresholds (metric_name, warning_threshold, critical_threshold, description) values
  ('success_rate', 0.80, 0.70, 'Completed contacts should end resolved.'),
  ('containment_rate', 0.50, 0.35, 'Bots should finish at least half of what they start.'),
  ('escalation_rate', 0.50, 0.65, 'The mirror of containment.'),
  ('fcr_rate', 0.70, 0.60, 'Industry first-contact resolution is around 70%.'),
  ('csat_score', 3.6, 3.2, 'Mean CSAT on 1-5.'),
  ('nps', 0, -20, 'Promoters minus detractors.'),
  ('ces_score', 4.5, 4.0, 'Effort on 1-7, 7 easiest.'),
  ('asa_seconds', 60, 180, 'Average speed of answer on live channels; asynchronous channels have their own below.'),
  ('abandonment_rate', 0.10, 0.20, 'Queued customers who hang up.'),
  ('service_level', 0.75, 0.60, 'Answered within each channel''s own target.'),
  ('aht_seconds', 900, 1200, 'Average handle time.'),
  ('cost_per_interaction', 12, 16, 'Cost to serve per contact (video and voice cost most).'),
  ('failure_rate', 0.02, 0.05, 'Technical failures.');
insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, description)
select 'asa_seconds', 'channel', c.channel_id, t.warning, t.critical, 'Asynchronous channel: answers within hours, not seconds.'
  from (values ('email', 3600, 7200), ('social_media', 1200, 2400), ('sms', 300, 600)) t(channel_name, warning, critical)
  join cx.channels c using (channel_name);

--! split: 0500-system-alerts.sql
/*
 * Alerts from threshold checks and data-quality checks. One open alert per (alert key, day): a
 * re-check updates it, escalates warning -> critical (and reopens an acknowledged one), and
 * resolves it by itself when the metric is back within bounds, saying when and why. Lifecycle:
 * open -> acknowledged -> resolved.
 */
create table cx.system_alerts (
  alert_id uuid primary key default cx.uuid_generate_v7(),
  alert_kind text not null
    constraint system_alerts_alert_kind_known check (alert_kind in ('threshold', 'volume_anomaly', 'integrity')),
  alert_key text not null,
  threshold_id uuid
    constraint system_alerts_threshold_id_fkey references cx.performance_thresholds (threshold_id) on delete set null,
  metric_name text,
  scope_kind text not null
    constraint system_alerts_scope_kind_known check (scope_kind in ('global', 'channel', 'interaction_type', 'agent')),
  scope_id uuid,
  metric_date date not null,
  window_days integer not null default 1,
  severity text not null
    constraint system_alerts_severity_known check (severity in ('info', 'warning', 'critical')),
  alert_status text not null default 'open'
    constraint system_alerts_alert_status_known check (alert_status in ('open', 'acknowledged', 'resolved')),
  observed_value numeric,
  threshold_value numeric,
  sample numeric,
  message text not null,
  opened_at timestamptz not null default now(),
  last_checked_at timestamptz not null default now(),
  escalated_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at timestamptz,
  resolution text,
  constraint system_alerts_acknowledged_fields check ((alert_status = 'open') or acknowledged_at is not null or alert_status = 'resolved'),
  constraint system_alerts_resolved_fields check ((alert_status = 'resolved') = (resolved_at is not null))
);
create unique index system_alerts_one_open_idx on cx.system_alerts (alert_key, metric_date) where alert_status <> 'resolved';
comment on index cx.system_alerts_one_open_idx is 'One open (or acknowledged) alert per alert key and day: re-checks update it.';
create index system_alerts_status_idx on cx.system_alerts (alert_status, metric_date);
comment on index cx.system_alerts_status_idx is 'Open alerts first: the report''s and the client''s list.';
comment on table cx.system_alerts is
  'Performance and data-quality alerts with severity and lifecycle (open, acknowledged, resolved). Local to the Citus coordinator.';
comment on column cx.system_alerts.alert_id is 'Identifier (UUIDv7).';
comment on column cx.system_alerts.alert_kind is 'threshold (a performance threshold breached), volume_anomaly or integrity (data quality).';
comment on column cx.system_alerts.alert_key is 'What the alert is about, stable across re-checks: threshold:<threshold>:<scope>, volume:<channel>, integrity:<check>.';
comment on column cx.system_alerts.threshold_id is 'The breached threshold, for threshold alerts.';
comment on column cx.system_alerts.metric_name is 'The metric, for threshold alerts.';
comment on column cx.system_alerts.scope_kind is 'global, channel, interaction_type or agent: what scope_id names.';
comment on column cx.system_alerts.scope_id is 'The channel, type or agent the value was computed for; null for global.';
comment on column cx.system_alerts.metric_date is 'The reporting day checked (the window ends with it).';
comment on column cx.system_alerts.window_days is 'Days the value covers.';
comment on column cx.system_alerts.severity is 'info, warning or critical; never lowered by a re-check.';
comment on column cx.system_alerts.alert_status is 'open, acknowledged (someone is on it) or resolved.';
comment on column cx.system_alerts.observed_value is 'The value at the latest check.';
comment on column cx.system_alerts.threshold_value is 'The level it crossed (critical or warning).';
comment on column cx.system_alerts.sample is 'Observations behind the value.';
comment on column cx.system_alerts.message is 'One readable sentence.';
comment on column cx.system_alerts.opened_at is 'When it was raised.';
comment on column cx.system_alerts.last_checked_at is 'The latest check that confirmed it.';
comment on column cx.system_alerts.escalated_at is 'When it went from warning to critical.';
comment on column cx.system_alerts.acknowledged_at is 'When someone acknowledged it.';
comment on column cx.system_alerts.acknowledged_by is 'Who acknowledged it.';
comment on column cx.system_alerts.resolved_at is 'When it was resolved.';
comment on column cx.system_alerts.resolution is 'Why: back within bounds (with the value), or the resolver''s note.';
insert into cx_private.constraint_messages (constraint_name, message) values
  ('system_alerts_pkey', 'an alert with this alert_id already exists'),
  ('system_alerts_alert_kind_known', 'alert_kind must be one of threshold, volume_anomaly, integrity'),
  ('system_alerts_threshold_id_fkey', 'threshold_id must name an existing threshold'),
  ('system_alerts_scope_kind_known', 'scope_kind must be one of global, channel, interaction_type, agent'),
  ('system_alerts_severity_known', 'severity must be one of info, warning, critical'),
  ('system_alerts_alert_status_known', 'alert_status must be one of open, acknowledged, resolved'),
  ('system_alerts_acknowledged_fields', 'an acknowledged alert needs acknowledged_at'),
  ('system_alerts_resolved_fields', 'resolved_at is set exactly when the alert is resolved'),
  ('system_alerts_one_open_idx', 'an open alert for this alert_key and day already exists: update it')
on conflict (constraint_name) do update set message = excluded.message;

--! split: 0600-check-thresholds.sql
create function cx_private.threshold_alert_message(
  p_metric text, p_value numeric, p_higher_is_better boolean, p_severity text, p_level numeric,
  p_window_days integer, p_date date, p_sample numeric
) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select format('%s is %s, %s the %s level %s (%s ending %s, %s observations)', p_metric, round(p_value, 4),
                  case when p_higher_is_better then 'below' else 'above' end, p_severity, p_level,
                  case when p_window_days = 1 then '1 day' else p_window_days || ' days' end, p_date, p_sample)
  $$;
comment on function cx_private.threshold_alert_message(text, numeric, boolean, text, numeric, integer, date, numeric) is
  'The sentence of a threshold alert: the metric, its value, the level crossed, the window and the sample.';

create function cx.check_thresholds(p_date date default null)
  returns table (evaluated integer, opened integer, escalated integer, updated integer, resolved integer)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_date date := coalesce(p_date, cx.reporting_day(now()));
  v_threshold record;
  v_value record;
  v_severity text;
  v_level numeric;
  v_key text;
  v_evaluated integer := 0;
  v_opened integer := 0;
  v_escalated integer := 0;
  v_updated integer := 0;
  v_resolved integer := 0;
  v_alert cx.system_alerts;
begin
  for v_threshold in
    select t.*, m.source, m.unit from cx.performance_thresholds t join cx.metrics m using (metric_name)
     where t.enabled order by t.threshold_id
  loop
    for v_value in
      select v.group_key::uuid as scope_id, v.value, v.sample
        from cx.metric_values(
               v_date - v_threshold.window_days + 1, v_date,
               case when v_threshold.source = 'daily_agent_metrics' then 'agent'
                    when v_threshold.scope_kind = 'interaction_type' then 'interaction_type'
                    else 'channel' end,
               case when v_threshold.scope_kind = 'channel' then v_threshold.scope_id end,
               case when v_threshold.scope_kind = 'interaction_type' then v_threshold.scope_id end,
               null,
               case when v_threshold.scope_kind = 'agent' then v_threshold.scope_id end) v
       where v.metric_name = v_threshold.metric_name
         -- a channel with its own threshold of this metric is judged by that one alone
         and not (v_threshold.scope_kind = 'global' and exists (
               select 1 from cx.performance_thresholds o
                where o.metric_name = v_threshold.metric_name and o.scope_kind = 'channel'
                  and o.scope_id = v.group_key::uuid and o.enabled))
    loop
      v_evaluated := v_evaluated + 1;
      v_key := format('threshold:%s:%s', v_threshold.threshold_id, coalesce(v_value.scope_id::text, 'all'));
      v_severity := null;
      if v_value.value is not null and v_value.sample >= v_threshold.min_sample then
        if (v_threshold.higher_is_better and v_value.value < v_threshold.critical_threshold)
           or (not v_threshold.higher_is_better and v_value.value > v_threshold.critical_threshold) then
          v_severity := 'critical';
          v_level := v_threshold.critical_threshold;
        elsif (v_threshold.higher_is_better and v_value.value < v_threshold.warning_threshold)
           or (not v_threshold.higher_is_better and v_value.value > v_threshold.warning_threshold) then
          v_severity := 'warning';
          v_level := v_threshold.warning_threshold;
        end if;
      end if;

      select * into v_alert from cx.system_alerts a
       where a.alert_key = v_key and a.metric_date = v_date and a.alert_status <> 'resolved'
       for update;
      if v_severity is null then
        if found and v_value.value is not null and v_value.sample >= v_threshold.min_sample then
          update cx.system_alerts
             set alert_status = 'resolved', resolved_at = now(), last_checked_at = now(),
                 observed_value = v_value.value, sample = v_value.sample,
                 resolution = format('back within bounds: %s is %s (warning at %s)', v_threshold.metric_name,
                                     round(v_value.value, 4), v_threshold.warning_threshold)
           where alert_id = v_alert.alert_id;
          v_resolved := v_resolved + 1;
        end if;
      elsif not found then
        insert into cx.system_alerts
          (alert_kind, alert_key, threshold_id, metric_name, scope_kind, scope_id, metric_date, window_days, severity,
           observed_value, threshold_value, sample, message)
        values
          ('threshold', v_key, v_threshold.threshold_id, v_threshold.metric_name,
           case when v_threshold.scope_kind = 'global' then 'channel' else v_threshold.scope_kind end,
           v_value.scope_id, v_date, v_threshold.window_days, v_severity, v_value.value, v_level, v_value.sample,
           cx_private.threshold_alert_message(v_threshold.metric_name, v_value.value, v_threshold.higher_is_better,
                                              v_severity, v_level, v_threshold.window_days, v_date, v_value.sample));
        v_opened := v_opened + 1;
      else
        update cx.system_alerts
           set observed_value = v_value.value, sample = v_value.sample, last_checked_at = now(),
               severity = case when v_severity = 'critical' then 'critical' else severity end,
               threshold_value = case when v_severity = 'critical' then v_level else threshold_value end,
               escalated_at = case when v_severity = 'critical' and severity <> 'critical' then now() else escalated_at end,
               -- an escalation needs new attention
               alert_status = case when v_severity = 'critical' and severity <> 'critical' then 'open' else alert_status end,
               message = cx_private.threshold_alert_message(v_threshold.metric_name, v_value.value, v_threshold.higher_is_better,
                 case when v_severity = 'critical' then 'critical' else severity end,
                 case when v_severity = 'critical' then v_level else threshold_value end,
                 v_threshold.window_days, v_date, v_value.sample)
         where alert_id = v_alert.alert_id;
        if v_severity = 'critical' and v_alert.severity <> 'critical' then
          v_escalated := v_escalated + 1;
        else
          v_updated := v_updated + 1;
        end if;
      end if;
    end loop;
  end loop;
  return query select v_evaluated, v_opened, v_escalated, v_updated, v_resolved;
end
$$;
comment on function cx.check_thresholds(date) is
  'Evaluates every enabled threshold for the reporting day (default today) against the daily tables (cx.metric_values) and writes system_alerts: opens one alert per threshold, scope and day, updates or escalates it on re-checks, resolves it when the value is back within bounds. Returns what it did.';

create function cx.acknowledge_alert(p_alert_id uuid, p_by text) returns cx.system_alerts
  language sql volatile
  set search_path = pg_catalog
  as $$
    update cx.system_alerts
       set alert_status = 'acknowledged', acknowledged_at = now(), acknowledged_by = p_by
     where alert_id = p_alert_id and alert_status = 'open'
    returning *
  $$;
comment on function cx.acknowledge_alert(uuid, text) is 'Marks an open alert acknowledged by someone; returns it (nothing when it is not open).';

create function cx.resolve_alert(p_alert_id uuid, p_resolution text) returns cx.system_alerts
  language sql volatile
  set search_path = pg_catalog
  as $$
    update cx.system_alerts
       set alert_status = 'resolved', resolved_at = now(), resolution = p_resolution
     where alert_id = p_alert_id and alert_status <> 'resolved'
    returning *
  $$;
comment on function cx.resolve_alert(uuid, text) is 'Resolves an open or acknowledged alert with a note; returns it (nothing when it was already resolved).';

--! split: 0700-materialized-views.sql
/*
 * Real materialized views for small, derived read models (DESIGN.md §1): built from the daily
 * tables through cx.metric_values (so they show the catalog's numbers), refreshed CONCURRENTLY
 * (readers never wait) by cx.refresh_materialized_views() after metric refreshes. Each has a unique
 * index on plain columns and is populated when created: a never-populated view cannot be
 * refreshed concurrently.
 */
create materialized view cx.channel_scorecard_30d as
  with period as (
    select cx.reporting_day(now()) - 29 as period_from, cx.reporting_day(now()) as period_to
  )
  select c.channel_id, c.channel_name, p.period_from, p.period_to,
         coalesce(max(v.value) filter (where v.metric_name = 'interactions'), 0)::integer as interactions,
         max(v.value) filter (where v.metric_name = 'bot_share') as bot_share,
         max(v.value) filter (where v.metric_name = 'containment_rate') as containment_rate,
         max(v.value) filter (where v.metric_name = 'escalation_rate') as escalation_rate,
         max(v.value) filter (where v.metric_name = 'success_rate') as success_rate,
         max(v.value) filter (where v.metric_name = 'fcr_rate') as fcr_rate,
         max(v.value) filter (where v.metric_name = 'csat_score') as csat_score,
         max(v.value) filter (where v.metric_name = 'nps') as nps,
         max(v.value) filter (where v.metric_name = 'ces_score') as ces_score,
         max(v.value) filter (where v.metric_name = 'asa_seconds') as asa_seconds,
         max(v.value) filter (where v.metric_name = 'abandonment_rate') as abandonment_rate,
         max(v.value) filter (where v.metric_name = 'service_level') as service_level,
         max(v.value) filter (where v.metric_name = 'aht_seconds') as aht_seconds,
         max(v.value) filter (where v.metric_name = 'cost_per_interaction') as cost_per_interaction,
         max(v.value) filter (where v.metric_name = 'bot_savings') as bot_savings,
         now() as refreshed_at
    from cx.channels c
    cross join period p
    left join cx.metric_values(p.period_from, p.period_to, 'channel') v on v.group_key = c.channel_id::text
   group by c.channel_id, c.channel_name, p.period_from, p.period_to
  with data;
create unique index channel_scorecard_30d_channel_idx on cx.channel_scorecard_30d (channel_id);
comment on index cx.channel_scorecard_30d_channel_idx is 'One row per channel; lets the view refresh concurrently.';
comment on materialized view cx.channel_scorecard_30d is
  'Rolling 30-day scorecard per channel (the last 30 reporting days up to the refresh): the headline KPIs of cx.metrics. Refreshed by cx.refresh_materialized_views().';
comment on column cx.channel_scorecard_30d.channel_id is 'The channel.';
comment on column cx.channel_scorecard_30d.channel_name is 'Its name.';
comment on column cx.channel_scorecard_30d.period_from is 'First reporting day covered.';
comment on column cx.channel_scorecard_30d.period_to is 'Last reporting day covered (the day of the refresh).';
comment on column cx.channel_scorecard_30d.interactions is 'cx.metrics interactions.';
comment on column cx.channel_scorecard_30d.bot_share is 'cx.metrics bot_share.';
comment on column cx.channel_scorecard_30d.containment_rate is 'cx.metrics containment_rate.';
comment on column cx.channel_scorecard_30d.escalation_rate is 'cx.metrics escalation_rate.';
comment on column cx.channel_scorecard_30d.success_rate is 'cx.metrics success_rate.';
comment on column cx.channel_scorecard_30d.fcr_rate is 'cx.metrics fcr_rate.';
comment on column cx.channel_scorecard_30d.csat_score is 'cx.metrics csat_score.';
comment on column cx.channel_scorecard_30d.nps is 'cx.metrics nps.';
comment on column cx.channel_scorecard_30d.ces_score is 'cx.metrics ces_score.';
comment on column cx.channel_scorecard_30d.asa_seconds is 'cx.metrics asa_seconds.';
comment on column cx.channel_scorecard_30d.abandonment_rate is 'cx.metrics abandonment_rate.';
comment on column cx.channel_scorecard_30d.service_level is 'cx.metrics service_level.';
comment on column cx.channel_scorecard_30d.aht_seconds is 'cx.metrics aht_seconds.';
comment on column cx.channel_scorecard_30d.cost_per_interaction is 'cx.metrics cost_per_interaction.';
comment on column cx.channel_scorecard_30d.bot_savings is 'cx.metrics bot_savings.';
comment on column cx.channel_scorecard_30d.refreshed_at is 'When the view was last refreshed.';

create materialized view cx.bot_effectiveness_30d as
  with period as (
    select cx.reporting_day(now()) - 29 as period_from, cx.reporting_day(now()) as period_to
  ),
  cells as (
    select split_part(v.group_key, '/', 1)::uuid as channel_id,
           nullif(split_part(v.group_key, '/', 2), 'none')::uuid as interaction_type_id,
           v.metric_name, v.value, v.sample
      from period p
     cross join cx.metric_values(p.period_from, p.period_to, 'channel_interaction_type') v
     where v.metric_name in ('containment_rate', 'bot_resolution_rate', 'escalation_rate', 'avg_bot_seconds', 'csat_score')
  )
  select c.channel_id, coalesce(c.interaction_type_id::text, 'none') as interaction_type_key, c.interaction_type_id,
         coalesce(max(c.sample) filter (where c.metric_name = 'containment_rate'), 0)::integer as bot_started,
         max(c.value) filter (where c.metric_name = 'containment_rate') as containment_rate,
         max(c.value) filter (where c.metric_name = 'bot_resolution_rate') as bot_resolution_rate,
         max(c.value) filter (where c.metric_name = 'escalation_rate') as escalation_rate,
         max(c.value) filter (where c.metric_name = 'avg_bot_seconds') as avg_bot_seconds,
         max(c.value) filter (where c.metric_name = 'csat_score') as csat_score,
         now() as refreshed_at
    from cells c
   group by c.channel_id, c.interaction_type_id
  having coalesce(max(c.sample) filter (where c.metric_name = 'containment_rate'), 0) > 0
  with data;
create unique index bot_effectiveness_30d_cell_idx on cx.bot_effectiveness_30d (channel_id, interaction_type_key);
comment on index cx.bot_effectiveness_30d_cell_idx is 'One row per channel and interaction type; lets the view refresh concurrently.';
comment on materialized view cx.bot_effectiveness_30d is
  'Bot effectiveness over the last 30 reporting days per channel and interaction type (cells where bots started contacts): containment, bot resolution, escalation, bot time, CSAT. Refreshed by cx.refresh_materialized_views().';
comment on column cx.bot_effectiveness_30d.channel_id is 'The channel.';
comment on column cx.bot_effectiveness_30d.interaction_type_key is 'The interaction type id as text, or none (a plain column for the unique index).';
comment on column cx.bot_effectiveness_30d.interaction_type_id is 'The interaction type; null for contacts without one.';
comment on column cx.bot_effectiveness_30d.bot_started is 'Bot-started interactions.';
comment on column cx.bot_effectiveness_30d.containment_rate is 'cx.metrics containment_rate.';
comment on column cx.bot_effectiveness_30d.bot_resolution_rate is 'cx.metrics bot_resolution_rate.';
comment on column cx.bot_effectiveness_30d.escalation_rate is 'cx.metrics escalation_rate.';
comment on column cx.bot_effectiveness_30d.avg_bot_seconds is 'cx.metrics avg_bot_seconds.';
comment on column cx.bot_effectiveness_30d.csat_score is 'cx.metrics csat_score (all of the cell''s contacts).';
comment on column cx.bot_effectiveness_30d.refreshed_at is 'When the view was last refreshed.';

create function cx.refresh_materialized_views() returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  refresh materialized view concurrently cx.channel_scorecard_30d;
  refresh materialized view concurrently cx.bot_effectiveness_30d;
  return 2;
end
$$;
comment on function cx.refresh_materialized_views() is
  'Refreshes the derived materialized views (channel_scorecard_30d, bot_effectiveness_30d) concurrently; returns how many.';
