--! Previous: sha1:8c3da606f4a141834d386d2481a91bc401846795
--! Hash: sha1:cddd37c6c43fff852277c6a1ed9be93073c3eb0b
--! Message: Status intervals are recorded by write functions

--! split: 0100-status-intervals-are-recorded-by-write-functions.sql
/*
 * Every day an agent's status interval covers is a bucket of the agent rollup (availability and
 * occupancy), logged until now by a statement trigger on agent_status_history. The table stays on
 * the coordinator under Citus, but a trigger there that writes the bucket log is a rule reaching
 * beyond its row (issue 15): cx_private.log_status_buckets logs the days of a batch of intervals,
 * and the functions that write intervals call it: cx_private.open_status_intervals (an agent's
 * first interval, and each status change), cx.set_agent_statuses (the interval it closes) and
 * cx.record_status_intervals, the loaders' back-dated intervals. The owner may still write the
 * table directly; then cx.rebuild_daily_metrics(from, to) refreshes the days.
 */
drop trigger if exists _800_log_metric_buckets_after_delete on cx.agent_status_history;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.agent_status_history;
drop trigger if exists _800_log_metric_buckets_after_update on cx.agent_status_history;
drop function if exists cx_private.tg_agent_status_history__log_metric_buckets();
drop function if exists cx.record_status_intervals(uuid[], text[], timestamptz[], timestamptz[], text[]);
drop function if exists cx_private.log_status_buckets(uuid[], timestamptz[], timestamptz[]);

create function cx_private.log_status_buckets(p_agent_ids uuid[], p_started_ats timestamptz[], p_ended_ats timestamptz[])
  returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
  v_now timestamptz := now();
begin
  -- every day an interval covers, its end included; an open one up to today
  perform cx_private.log_metric_buckets(array(
    select ('agent', d::date, x.agent_id)::cx_private.metric_bucket
      from unnest(p_agent_ids, p_started_ats, p_ended_ats) x(agent_id, started_at, ended_at)
     cross join lateral generate_series(
             cx_private.day_in_zone(x.started_at, v_zone)::timestamp,
             cx_private.day_in_zone(coalesce(x.ended_at, greatest(v_now, x.started_at)), v_zone)::timestamp,
             interval '1 day') d));
end
$$;
comment on function cx_private.log_status_buckets(uuid[], timestamptz[], timestamptz[]) is
  'Logs a (day, agent) bucket for every day each status interval covers (one element per interval in each array; an open interval, ended_at null, up to today). Every writer of agent_status_history calls it.';

create or replace function cx_private.open_status_intervals(p_agent_ids uuid[], p_statuses text[], p_started_ats timestamptz[])
  returns integer
  language sql volatile
  set search_path = pg_catalog
  as $$
    with opened as (
      insert into cx.agent_status_history (agent_id, status, started_at, source)
      select o.agent_id, o.status, o.started_at, 'status_change'
        from unnest(p_agent_ids, p_statuses, p_started_ats) o(agent_id, status, started_at)
      returning agent_id, started_at
    ),
    logged as (
      select cx_private.log_status_buckets(array_agg(o.agent_id), array_agg(o.started_at),
                                           array_agg(null::timestamptz)) as done
        from opened o
    )
    select (select count(*) from opened)::integer from logged
  $$;
comment on function cx_private.open_status_intervals(uuid[], text[], timestamptz[]) is
  'Opens a status interval (source status_change) per agent and logs its days: the one definition of what a status change records, used when an agent is created and by cx.set_agent_statuses.';

create or replace function cx.set_agent_statuses(p_agent_ids uuid[], p_statuses text[],
                                                 p_changed_ats timestamptz[] default null)
  returns table (agent_id uuid, current_status text, status_changed_at timestamptz)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_count integer := coalesce(cardinality(p_agent_ids), 0);
  v_changes cx_private.status_change[];
  v_late cx_private.status_change;
  v_now timestamptz := clock_timestamp();
begin
  if coalesce(cardinality(p_statuses), 0) <> v_count or cardinality(p_changed_ats) <> v_count then
    raise exception 'every array of the batch must have one element per agent (% agent ids)', v_count
      using errcode = 'invalid_parameter_value';
  end if;
  if v_count = 0 then
    return;
  end if;
  if (select count(distinct a) from unnest(p_agent_ids) a) < v_count then
    raise exception 'an agent may change status once per batch'
      using errcode = 'invalid_parameter_value', column = 'agent_id';
  end if;

  -- the agents named are locked first, in one order (concurrent batches neither deadlock nor read
  -- an interval another is closing); then the ones whose status changes (another status, or no
  -- open interval to continue)
  perform 1 from cx.agents a where a.agent_id = any(p_agent_ids) order by a.agent_id for no key update;
  select array_agg((a.agent_id, c.status, coalesce(c.changed_at, v_now), h.started_at)::cx_private.status_change
                   order by a.agent_id)
    into v_changes
    from unnest(p_agent_ids, p_statuses, coalesce(p_changed_ats, array_fill(null::timestamptz, array[v_count])))
         c(agent_id, status, changed_at)
    join cx.agents a on a.agent_id = c.agent_id
    left join cx.agent_status_history h on h.agent_id = a.agent_id and h.ended_at is null
   where a.current_status is distinct from c.status or h.agent_id is null;

  if v_changes is not null then
    -- a change may not end the open interval before it began
    select * into v_late from unnest(v_changes) b where b.changed_at < b.open_started_at order by b.agent_id limit 1;
    if found then
      raise exception 'status_changed_at % is before the start % of agent %''s current status interval',
          v_late.changed_at, v_late.open_started_at, v_late.agent_id
        using errcode = 'check_violation', column = 'status_changed_at',
              constraint = 'agent_status_history_status_changed_at_order';
    end if;
    update cx.agent_status_history h
       set ended_at = b.changed_at
      from unnest(v_changes) b
     where h.agent_id = b.agent_id and h.ended_at is null;
    -- the days of the intervals closed, as they were (open, up to today) and as they are now
    perform cx_private.log_status_buckets(
      array(select b.agent_id from unnest(v_changes) b where b.open_started_at is not null
            union all
            select b.agent_id from unnest(v_changes) b where b.open_started_at is not null),
      array(select b.open_started_at from unnest(v_changes) b where b.open_started_at is not null
            union all
            select b.open_started_at from unnest(v_changes) b where b.open_started_at is not null),
      array(select null::timestamptz from unnest(v_changes) b where b.open_started_at is not null
            union all
            select b.changed_at from unnest(v_changes) b where b.open_started_at is not null));
    perform cx_private.open_status_intervals(array(select b.agent_id from unnest(v_changes) b order by b.agent_id),
                                             array(select b.status from unnest(v_changes) b order by b.agent_id),
                                             array(select b.changed_at from unnest(v_changes) b order by b.agent_id));
    update cx.agents a
       set current_status = b.status, status_changed_at = b.changed_at
      from unnest(v_changes) b
     where a.agent_id = b.agent_id;
  end if;

  return query
    select a.agent_id, a.current_status, a.status_changed_at
      from cx.agents a
     where a.agent_id = any(p_agent_ids)
     order by array_position(p_agent_ids, a.agent_id);
end
$$;

create function cx.record_status_intervals(p_agent_ids uuid[], p_statuses text[], p_started_ats timestamptz[],
                                           p_ended_ats timestamptz[], p_sources text[] default null)
  returns integer
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_count integer := coalesce(cardinality(p_agent_ids), 0);
begin
  if coalesce(cardinality(p_statuses), 0) <> v_count or coalesce(cardinality(p_started_ats), 0) <> v_count
     or coalesce(cardinality(p_ended_ats), 0) <> v_count or cardinality(p_sources) <> v_count then
    raise exception 'every array of the batch must have one element per interval (% agent ids)', v_count
      using errcode = 'invalid_parameter_value';
  end if;
  if v_count = 0 then
    return 0;
  end if;
  insert into cx.agent_status_history (agent_id, status, started_at, ended_at, source)
  select i.agent_id, i.status, i.started_at, i.ended_at, coalesce(i.source, 'loader')
    from unnest(p_agent_ids, p_statuses, p_started_ats, p_ended_ats,
                coalesce(p_sources, array_fill(null::text, array[v_count])))
         i(agent_id, status, started_at, ended_at, source);
  perform cx_private.log_status_buckets(p_agent_ids, p_started_ats, p_ended_ats);
  return v_count;
end
$$;
comment on function cx.record_status_intervals(uuid[], text[], timestamptz[], timestamptz[], text[]) is
  'Records a batch of status intervals as a loader knows them (one element per interval in each array; source loader by default; ended_at null for one still open) and logs the days they cover. An interval that overlaps another of its agent is refused (agent_status_history_no_overlap) and the batch with it. Returns how many it recorded. The current status of an agent changes through cx.set_agent_statuses.';
comment on column cx.agent_status_history.source is
  'status_change (opened by cx.set_agent_statuses, or when the agent was created) or loader (cx.record_status_intervals: a back-dated import).';
