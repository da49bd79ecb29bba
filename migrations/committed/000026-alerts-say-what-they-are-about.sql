--! Previous: sha1:893f1720059142d0545abf4775a7ba556b832688
--! Hash: sha1:7fc12cb988948cc42f2d623f63b1698d9215e720
--! Message: alerts say what they are about

--! split: 0100-alerts-say-what-they-are-about.sql
/*
 * An alert read "fcr_rate is 0.55, below the warning level 0.7 (7 days ending ...)": which channel,
 * which type, which agent was left to the reader. Every threshold alert now names its metric by
 * label and code and its scope by name (the channel's name, the interaction type's code, the
 * agent's display name), with the window and the day; cx.alert_scope_name gives the same name to
 * every screen that lists alerts.
 */
drop function if exists cx_private.threshold_alert_message(text, numeric, boolean, text, numeric, integer, date, numeric);
drop function if exists cx_private.threshold_alert_message(text, text, uuid, numeric, boolean, text, numeric, integer, date, numeric);
drop function if exists cx.alert_subject(text, text, uuid);
drop function if exists cx.alert_scope_name(text, uuid);

create function cx.alert_scope_name(p_scope_kind text, p_scope_id uuid) returns text
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$
    select case p_scope_kind
             when 'channel' then (select c.channel_name from cx.channels c where c.channel_id = p_scope_id)
             when 'interaction_type' then (select t.type_code from cx.interaction_types t where t.interaction_type_id = p_scope_id)
             when 'agent' then (select a.agent_name from cx.agents a where a.agent_id = p_scope_id)
           end
  $$;
comment on function cx.alert_scope_name(text, uuid) is
  'What an alert is about, by name: the channel''s name, the interaction type''s code or the agent''s display name; null for a global alert (or a scope that is gone).';

create function cx.alert_subject(p_metric text, p_scope_kind text, p_scope_id uuid) returns text
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$
    select format('%s (%s)', coalesce((select m.label from cx.metrics m where m.metric_name = p_metric), p_metric), p_metric)
           || coalesce(format(' on %s %s', replace(p_scope_kind, '_', ' '), cx.alert_scope_name(p_scope_kind, p_scope_id)), '')
  $$;
comment on function cx.alert_subject(text, text, uuid) is
  'The metric and scope an alert speaks of: "First contact resolution (fcr_rate) on channel chatbot".';

create function cx_private.threshold_alert_message(
  p_metric text, p_scope_kind text, p_scope_id uuid, p_value numeric, p_higher_is_better boolean, p_severity text,
  p_level numeric, p_window_days integer, p_date date, p_sample numeric
) returns text
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$
    select format('%s is %s, %s the %s level %s (%s ending %s, %s observations)',
                  cx.alert_subject(p_metric, p_scope_kind, p_scope_id), round(p_value, 4),
                  case when p_higher_is_better then 'below' else 'above' end, p_severity, p_level,
                  case when p_window_days = 1 then '1 day' else p_window_days || ' days' end, p_date, p_sample)
  $$;
comment on function cx_private.threshold_alert_message(text, text, uuid, numeric, boolean, text, numeric, integer, date, numeric) is
  'The sentence of a threshold alert: the metric (label and code) and its scope by name, its value, the level crossed, the window, the day and the sample.';

create or replace function cx.check_thresholds(p_date date default null)
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
                 resolution = format('back within bounds: %s is %s (warning at %s)',
                                     cx.alert_subject(v_threshold.metric_name, v_alert.scope_kind, v_alert.scope_id),
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
           cx_private.threshold_alert_message(v_threshold.metric_name,
             case when v_threshold.scope_kind = 'global' then 'channel' else v_threshold.scope_kind end, v_value.scope_id,
             v_value.value, v_threshold.higher_is_better,
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
               message = cx_private.threshold_alert_message(v_threshold.metric_name,
             case when v_threshold.scope_kind = 'global' then 'channel' else v_threshold.scope_kind end, v_value.scope_id,
             v_value.value, v_threshold.higher_is_better,
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

-- the open alerts say what they are about from now on
update cx.system_alerts a
   set message = cx_private.threshold_alert_message(a.metric_name, a.scope_kind, a.scope_id, a.observed_value,
                   m.higher_is_better, a.severity, a.threshold_value, a.window_days, a.metric_date, a.sample)
  from cx.metrics m
 where a.alert_kind = 'threshold' and a.alert_status <> 'resolved' and m.metric_name = a.metric_name;
