--! Previous: sha1:dfed999803dd191e48e9efaad79c4201388c7dab
--! Hash: sha1:c094d89bf855aa66d366abdd24b12b50333bbde8
--! Message: Journey days compute their bounds before the join

--! split: 0100-journey-days-compute-their-bounds-before-the-join.sql
/*
 * recompute_journey_days computed each bucket's day bounds (cx.reporting_day_start, which reads
 * the settings) in the join condition, so on Citus the call went to the shards with the query, and
 * a shard may not query the settings there (measured on Citus 13.2: "cannot execute a distributed
 * query from a query on a shard"). The bounds are now computed once per bucket in a materialized
 * CTE, as recompute_agent_days does; the rows written are the same.
 */
create or replace function cx_private.recompute_journey_days(p_days date[], p_channels uuid[]) returns integer
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
  with bucket as materialized (
    select d.metric_date, nullif(d.channel_id, '00000000-0000-0000-0000-000000000000') as channel_id,
           cx.reporting_day_start(d.metric_date) as day_start,
           cx.reporting_day_start(d.metric_date + 1) as day_end
      from (select distinct u.metric_date, u.channel_id from unnest(p_days, p_channels) u(metric_date, channel_id)) d
  )
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
    from bucket b
    join cx.customer_journey_sessions s
      on s.start_timestamp >= b.day_start
     and s.start_timestamp < b.day_end
     and s.entry_channel_id is not distinct from b.channel_id
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
