--! Previous: sha1:27ff0e7d0e3a30f21b47fc8e6416f06f9f08364d
--! Hash: sha1:9aa968222f8730608fc7d0b34935d7b7b2d91ed4
--! Message: metric definitions: a mean over nothing has no value, ASA over every answered contact, occupancy needs availability

--! split: 0100-a-mean-over-nothing-has-no-value.sql
/*
 * A count over no rows is 0, but a mean or a rate over no rows has no value. cx.metric_values
 * decided by the unit, and channels_per_journey and touchpoints_per_journey (means, in the unit
 * count) showed 0 on days without journeys. Whether a metric is a total is now said by the
 * catalog itself (cx.metrics.is_total): counts and sums of money are totals, 0 over nothing;
 * everything else is a mean or a rate, null over nothing.
 */
alter table cx.metrics add column if not exists is_total boolean not null default false;
comment on column cx.metrics.is_total is
  'A total (a count, a sum of money): 0 over no rows. Otherwise a mean or a rate, with no value (null) over no rows.';
update cx.metrics
   set is_total = metric_name in ('agent_escalations_received', 'agent_handled', 'bot_interactions', 'churn_value',
                                  'escalations', 'interactions', 'journeys', 'live_chat_interactions', 'outcome_value',
                                  'outcomes', 'retention_saves', 'sales_value');

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
           -- a total over no rows is 0, a mean or a rate over no rows has no value
           string_agg(format('row(%L, %s, coalesce((%s)::numeric, 0))::cx_private.metric_cell',
                             m.metric_name,
                             case when m.is_total then format('coalesce((%s)::numeric, 0)', m.expression)
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
      -- six decimals: enough for any rate or mean shown (a fraction to 0.0001 %), and the same
      -- digits whatever the division's scale; sums of counts and money are exact anyway
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
  'Every metric of cx.metrics over reporting days p_from..p_to, filtered by channel, interaction type, region or agent, grouped by none, day, channel, day_channel, interaction_type, channel_interaction_type (key channel/type), region, agent or day_agent; one row per metric and group with its value (rounded to 6 decimals; a total is 0 over no rows, a mean or a rate null) and sample size. Agent metrics answer when grouping by or filtering on agents; journey and outcome metrics when grouping by none, day or channel without type or region filters.';

--! split: 0200-asa-over-every-answered-contact.sql
/*
 * Average speed of answer was queue seconds over the contacts answered after a queue, which left
 * out every contact a human answered without waiting and so overstated it. As Genesys Cloud
 * defines it (sum of tAnswered / count of tAnswered), ASA is the queue seconds of the answered
 * contacts over every contact a human answered, those answered at once counting zero.
 */
update cx.metrics
   set expression = 'sum(queue_seconds_answered)::numeric / nullif(sum(human_handled), 0)',
       sample_expression = 'sum(human_handled)',
       description = 'Average speed of answer: queue seconds of the contacts a human answered / every contact a human answered (those answered without a queue count 0 s; Genesys Cloud: sum of tAnswered / count of tAnswered).'
 where metric_name = 'asa_seconds';
comment on column cx.daily_interaction_rollup.queue_seconds_answered is
  'queue_time_seconds summed over answered_after_queue (ASA = this / human_handled: a contact answered without a queue waited 0 s).';

--! split: 0300-occupancy-needs-availability.sql
/*
 * Occupancy is handling time over handling plus idle available time. An agent without any status
 * history has no available time to speak of, and showed 1.0 (handling / handling). Such a day has
 * no occupancy: the daily column is null without available time, and the metric reads only the
 * days that have some.
 */
alter table cx.daily_agent_metrics drop column if exists occupancy;
alter table cx.daily_agent_metrics add column occupancy numeric
  generated always as (case when available_seconds > 0
                            then round(handling_seconds::numeric / nullif(handling_seconds + idle_seconds, 0), 4) end) stored;
comment on column cx.daily_agent_metrics.occupancy is
  'handling_seconds / (handling_seconds + idle_seconds), 0-1; null on a day without available time (no status history to measure against).';
update cx.metrics
   set expression = 'sum(handling_seconds) filter (where available_seconds > 0)::numeric / nullif(sum(handling_seconds + idle_seconds) filter (where available_seconds > 0), 0)',
       sample_expression = 'coalesce(sum(handling_seconds + idle_seconds) filter (where available_seconds > 0), 0)',
       description = 'Handling time / (handling + available idle time), over the days the agent has status history (available or busy time); no value without any.'
 where metric_name = 'agent_occupancy';
