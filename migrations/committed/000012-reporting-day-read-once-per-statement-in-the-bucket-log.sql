--! Previous: sha1:736a6f682aa796c41f878a284929ffb0d8473819
--! Hash: sha1:a9c846a1573c9b0a88c6e778d950674d2a7141f2
--! Message: reporting day read once per statement in the bucket log

--! split: 0100-reporting-day-once-per-statement.sql
/*
 * The bucket-log triggers and the rebuild called cx.reporting_day() once per row, which reads the
 * settings table each time (~40 µs a row: 8% of a bulk load). They now read the reporting time
 * zone once per statement and convert inline.
 */
create or replace function cx_private.reporting_zone() returns text
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$ select coalesce(cx.setting('reporting_time_zone'), 'UTC') $$;
comment on function cx_private.reporting_zone() is 'The reporting time zone of the settings (UTC when unset).';

-- no SET clause on purpose: a plain SQL expression is inlined into the calling query (a SET would
-- make it a call per row); it uses only a built-in operator, so the search path cannot change it
create or replace function cx_private.day_in_zone(p_at timestamptz, p_zone text) returns date
  language sql immutable parallel safe
  as $$ select (p_at at time zone p_zone)::date $$;
comment on function cx_private.day_in_zone(timestamptz, text) is
  'The calendar day of an instant in a time zone; inlined into set-based statements that read the zone once.';

create or replace function cx.reporting_day(p_at timestamptz) returns date
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$ select cx_private.day_in_zone(p_at, cx_private.reporting_zone()) $$;

create or replace function cx_private.tg_customer_interactions__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
  v_buckets cx_private.metric_bucket[] := '{}';
begin
  -- a transition table exists only for the events that have it: read each in its own branch
  if tg_op in ('INSERT', 'UPDATE') then
    select v_buckets || coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket as b from new_rows r
      union all
      select ('agent', cx_private.day_in_zone(r.start_timestamp, v_zone), r.primary_agent_id)::cx_private.metric_bucket from new_rows r
    ) x;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_buckets || coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket as b from old_rows r
      union all
      select ('agent', cx_private.day_in_zone(r.start_timestamp, v_zone), r.primary_agent_id)::cx_private.metric_bucket from old_rows r
    ) x;
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
  return null;
end
$$;

create or replace function cx_private.tg_interaction_steps__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
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
    select ('agent', cx_private.day_in_zone(t.started_at, v_zone), t.agent_id)::cx_private.metric_bucket
      from unnest(v_steps) t where t.agent_id is not null
    union all
    -- queued and answered come from the steps: the interaction's channel day changes too
    select ('channel', cx_private.day_in_zone(i.start_timestamp, v_zone), i.channel_id)::cx_private.metric_bucket
      from (select distinct t.customer_id, t.interaction_id, t.interaction_start_timestamp from unnest(v_steps) t) t
      join cx.customer_interactions i
        on i.customer_id = t.customer_id and i.interaction_id = t.interaction_id
       and i.start_timestamp = t.interaction_start_timestamp));
  return null;
end
$$;

create or replace function cx_private.tg_agent_status_history__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
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
     cross join lateral generate_series(cx_private.day_in_zone(lower(x.span), v_zone)::timestamp,
                                        cx_private.day_in_zone(upper(x.span), v_zone)::timestamp, interval '1 day') d));
  return null;
end
$$;

create or replace function cx_private.tg_customer_journey_sessions__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
  v_buckets cx_private.metric_bucket[] := '{}';
begin
  if tg_op in ('INSERT', 'UPDATE') then
    select v_buckets || coalesce(array_agg(('journey', cx_private.day_in_zone(r.start_timestamp, v_zone),
             coalesce(r.entry_channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket), '{}')
      into v_buckets from new_rows r;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_buckets || coalesce(array_agg(('journey', cx_private.day_in_zone(r.start_timestamp, v_zone),
             coalesce(r.entry_channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket), '{}')
      into v_buckets from old_rows r;
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
  return null;
end
$$;

create or replace function cx_private.tg_journey_touchpoints__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
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
    select distinct ('journey', cx_private.day_in_zone(s.start_timestamp, v_zone),
                     coalesce(s.entry_channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket
      from unnest(v_customers, v_sessions) k(customer_id, session_id)
      join cx.customer_journey_sessions s on s.customer_id = k.customer_id and s.session_id = k.session_id));
  return null;
end
$$;

create or replace function cx_private.tg_interaction_outcomes__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
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
    select distinct ('outcome', cx_private.day_in_zone(o.started_at, v_zone),
                     coalesce(i.channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket
      from unnest(v_outcomes) o
      left join cx.customer_interactions i
        on i.customer_id = o.customer_id and i.interaction_id = o.interaction_id
       and i.start_timestamp = o.interaction_start_timestamp));
  return null;
end
$$;

create or replace function cx_private.recompute_outcome_days(p_days date[], p_channels uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
  v_rows integer;
begin
  delete from cx.daily_outcome_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date
     and (b.channel_id = '00000000-0000-0000-0000-000000000000' or r.channel_id = b.channel_id);
  insert into cx.daily_outcome_rollup
  select cx_private.day_in_zone(o.recorded_at, v_zone), i.channel_id, o.outcome_type,
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

create or replace function cx.rebuild_daily_metrics(p_from date default null, p_to date default null) returns bigint
  language sql volatile
  set search_path = pg_catalog
  as $$
    -- a full rebuild is a refresh of every bucket the source has in the range: log them all
    with z as (select cx_private.reporting_zone() as zone),
    logged as (
      insert into cx_private.metric_bucket_log (bucket_kind, metric_date, bucket_key)
      select distinct 'channel', cx_private.day_in_zone(i.start_timestamp, z.zone), i.channel_id
        from cx.customer_interactions i cross join z
       where (p_from is null or i.start_timestamp >= cx.reporting_day_start(p_from))
         and (p_to is null or i.start_timestamp < cx.reporting_day_start(p_to + 1))
      union
      select 'agent', cx_private.day_in_zone(s.started_at, z.zone), s.agent_id
        from cx.interaction_steps s cross join z
       where s.agent_id is not null
         and (p_from is null or s.started_at >= cx.reporting_day_start(p_from))
         and (p_to is null or s.started_at < cx.reporting_day_start(p_to + 1))
      union
      select 'agent', cx_private.day_in_zone(h.started_at, z.zone), h.agent_id
        from cx.agent_status_history h cross join z
       where h.status in ('available', 'busy')
         and (p_from is null or h.started_at >= cx.reporting_day_start(p_from))
         and (p_to is null or h.started_at < cx.reporting_day_start(p_to + 1))
      union
      select 'journey', cx_private.day_in_zone(s.start_timestamp, z.zone), coalesce(s.entry_channel_id, '00000000-0000-0000-0000-000000000000')
        from cx.customer_journey_sessions s cross join z
       where (p_from is null or s.start_timestamp >= cx.reporting_day_start(p_from))
         and (p_to is null or s.start_timestamp < cx.reporting_day_start(p_to + 1))
      union
      select 'outcome', cx_private.day_in_zone(o.recorded_at, z.zone), '00000000-0000-0000-0000-000000000000'::uuid
        from cx.interaction_outcomes o cross join z
       where (p_from is null or o.recorded_at >= cx.reporting_day_start(p_from))
         and (p_to is null or o.recorded_at < cx.reporting_day_start(p_to + 1))
      union
      select 'journey', r.metric_date, coalesce(r.channel_id, '00000000-0000-0000-0000-000000000000') from cx.daily_journey_rollup r cross join z
       where (p_from is null or r.metric_date >= p_from) and (p_to is null or r.metric_date <= p_to)
      union
      select 'outcome', r.metric_date, '00000000-0000-0000-0000-000000000000'::uuid from cx.daily_outcome_rollup r cross join z
       where (p_from is null or r.metric_date >= p_from) and (p_to is null or r.metric_date <= p_to)
      union
      select 'channel', r.metric_date, r.channel_id from cx.daily_interaction_rollup r cross join z
       where (p_from is null or r.metric_date >= p_from) and (p_to is null or r.metric_date <= p_to)
      union
      select 'agent', m.metric_date, m.agent_id from cx.daily_agent_metrics m
       where (p_from is null or m.metric_date >= p_from) and (p_to is null or m.metric_date <= p_to)
      returning 1
    )
    select count(*) from logged
  $$;
