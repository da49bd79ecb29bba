--! Previous: sha1:2649d631fb9afce1a4810a49f33c41a88a002da6
--! Hash: sha1:940bacd1eb0d70891aa9ff413cc9930799943ef9
--! Message: refreshing many channel or outcome buckets at once is linear in them

--! split: 0100-channel-days-refresh-linear-in-the-buckets.sql
/*
 * Refreshing many (day, channel) buckets at once (cx.rebuild_daily_metrics, or the first refresh
 * after a long backfill) took time proportional to buckets x interactions: the planner joined the
 * buckets to a channel's interactions and evaluated both day bounds, two function calls, for every
 * pair (a year of 100k simulated interactions: 220 s). The bounds are now computed once per bucket
 * and the day is also an equality the planner can hash on. Same rows, same rule.
 */
create or replace function cx_private.recompute_channel_days(p_days date[], p_channels uuid[])
  returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $function$
declare
  v_grace integer := coalesce(cx.setting('short_abandon_grace_seconds')::integer, 5);
  v_rows integer;
  v_zone text := cx_private.reporting_zone();
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
    from (select b.metric_date, b.channel_id,
                 cx.reporting_day_start(b.metric_date) as day_start,
                 cx.reporting_day_start(b.metric_date + 1) as day_end
            from unnest(p_days, p_channels) b(metric_date, channel_id)
          offset 0) b -- each bucket's bounds computed once, not once per row compared
    join cx.customer_interactions i
      on i.channel_id = b.channel_id
     and i.start_timestamp >= b.day_start
     and i.start_timestamp < b.day_end
     -- the same day as an equality too: a refresh of many buckets (a rebuild) can hash-join on
     -- channel and day instead of testing each interaction of a channel against each of its days
     and cx_private.day_in_zone(i.start_timestamp, v_zone) = b.metric_date
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
$function$;

--! split: 0110-outcome-days-refresh-linear-in-the-buckets.sql
/*
 * The outcome rollup had the same flaw in another shape: each outcome was tested against every
 * logged bucket, with two function calls per test. The buckets are now a set looked up by (day,
 * channel), and the outcomes read are limited to the logged days' overall range.
 */
create or replace function cx_private.recompute_outcome_days(p_days date[], p_channels uuid[])
  returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $function$
declare
  v_zone text := cx_private.reporting_zone();
  v_from timestamptz;
  v_to timestamptz;
  v_rows integer;
begin
  delete from cx.daily_outcome_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date
     and (b.channel_id = '00000000-0000-0000-0000-000000000000' or r.channel_id = b.channel_id);
  select cx.reporting_day_start(min(d)), cx.reporting_day_start(max(d) + 1) into v_from, v_to from unnest(p_days) d;
  insert into cx.daily_outcome_rollup
  select cx_private.day_in_zone(o.recorded_at, v_zone), i.channel_id, o.outcome_type,
         count(*), coalesce(sum(o.outcome_value), 0), count(o.attributed_agent_id), now()
    from cx.interaction_outcomes o
    join cx.customer_interactions i
      on i.customer_id = o.customer_id and i.interaction_id = o.interaction_id
     and i.start_timestamp = o.interaction_start_timestamp
   where o.recorded_at >= v_from and o.recorded_at < v_to
     -- a bucket names one channel's day, or (the zero uuid) every channel's
     and ((cx_private.day_in_zone(o.recorded_at, v_zone), '00000000-0000-0000-0000-000000000000'::uuid)
            in (select b.metric_date, b.channel_id from unnest(p_days, p_channels) b(metric_date, channel_id))
          or (cx_private.day_in_zone(o.recorded_at, v_zone), i.channel_id)
            in (select b.metric_date, b.channel_id from unnest(p_days, p_channels) b(metric_date, channel_id)))
   group by 1, 2, 3;
  get diagnostics v_rows = row_count;
  return v_rows;
end
$function$;
