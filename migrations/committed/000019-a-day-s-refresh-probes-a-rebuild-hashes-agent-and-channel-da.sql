--! Previous: sha1:940bacd1eb0d70891aa9ff413cc9930799943ef9
--! Hash: sha1:cbaeb29e40c558d0637225131c834da9f55354b8
--! Message: a day's refresh probes, a rebuild hashes: agent and channel days planned per call for their size

--! split: 0050-choose-bucket-joins.sql
/*
 * A refresh recomputes a set of (day, key) buckets by joining them to the sources. The planner
 * cannot tell a day's refresh from a rebuild: the buckets' bounds are unknown to it, so it guesses
 * the same plan for both, and either plan is wrong for one of them (probing every monthly
 * partition per bucket made a year's rebuild quadratic; hashing whole sources made a day's refresh
 * read all of history). The recompute functions therefore plan their statement on each call
 * (EXECUTE) after this picks the join method for the refresh's size: a few buckets probe the
 * indexes bucket by bucket, many (a rebuild, a backfill) read each source once and hash-join it to
 * the buckets. Either way the work is linear in what is refreshed. The settings are local: each
 * caller names them in its SET clauses, so they are restored when it returns.
 */
create or replace function cx_private.choose_bucket_joins(p_buckets integer) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  -- where hashing whole sources overtakes probing per bucket: at a year of 300k interactions, a day
  -- of 12 agents took about 2.5 ms per bucket by probing, the whole year (4,384 buckets) 7.5 s by
  -- hashing; probing grows with the monthly partitions, hashing with the history
  c_hash_from constant integer := 1000;
begin
  if p_buckets > c_hash_from then
    perform set_config('enable_nestloop', 'off', true);
  else
    perform set_config('enable_hashjoin', 'off', true);
  end if;
end
$$;
comment on function cx_private.choose_bucket_joins(integer) is
  'Sets, for the calling recompute function (which restores them through its SET clauses), the join methods for refreshing p_buckets buckets: index probes per bucket up to 1000, hash joins over whole sources beyond.';

--! split: 0100-agent-days-set-based.sql
/*
 * Refreshing many agent buckets at once (a rebuild: every agent × every day) is linear in them.
 * The steps are partitioned by their interaction's start, so a probe by (agent, day) cannot prune
 * and touched every monthly partition's index, about 10 ms per bucket at a year of history (47 s of
 * a 300k-interaction rebuild). The buckets are now a set: steps and interactions are joined to it
 * on the agent and on the day written as an equality as well as a range, so one bucket is still
 * index probes while a rebuild can hash-join and aggregate each source once. Only the status
 * history stays a per-bucket probe (an interval can span days; the exclusion index serves it).
 * The figures are unchanged.
 */
create or replace function cx_private.recompute_agent_days(p_days date[], p_agents uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  -- cx_private.choose_bucket_joins picks the join method per call; these keep its choice inside
  set enable_nestloop = on
  set enable_hashjoin = on
  -- a merge join would join on the agent alone (the day expression has no sort order), testing every
  -- step of an agent against every day of it: quadratic in days
  set enable_mergejoin = off
  as $$
declare
  v_rows integer;
  v_zone text := cx_private.reporting_zone();
begin
  delete from cx.daily_agent_metrics m
   using unnest(p_days, p_agents) b(metric_date, agent_id)
   where m.metric_date = b.metric_date and m.agent_id = b.agent_id;

  perform cx_private.choose_bucket_joins(cardinality(p_days));
  execute $refresh$
  insert into cx.daily_agent_metrics
    (metric_date, agent_id, handled, handle_seconds, wrap_up_seconds, transfers, escalations_received,
     csat_responses, csat_sum, csat_top2, handling_seconds, idle_seconds, available_seconds)
  with bucket as materialized (
    -- each bucket's bounds computed once, not once per row compared
    select d.metric_date, d.agent_id,
           cx.reporting_day_start(d.metric_date) as day_start,
           cx.reporting_day_start(d.metric_date + 1) as day_end
      from (select distinct u.metric_date, u.agent_id from unnest($1::date[], $2::uuid[]) u(metric_date, agent_id)) d
  ),
  step_figures as (
    select b.metric_date, b.agent_id,
           -- a bot's conversations are its human steps: a bot agent handles through bot steps
           count(distinct s.interaction_id) filter (where s.step_type in ('human', 'bot'))::integer as handled,
           coalesce(sum(s.duration_seconds) filter (where s.step_type in ('human', 'hold', 'bot')), 0)::bigint as handle_seconds,
           coalesce(sum(s.duration_seconds) filter (where s.step_type = 'wrap_up'), 0)::bigint as wrap_up_seconds,
           -- a human's transfers, and a bot's conversations handed over to a human
           (count(*) filter (where s.step_type = 'human' and s.step_outcome = 'transferred')
            + count(distinct s.interaction_id) filter (where s.step_type = 'bot' and i.escalated_to_human))::integer as transfers,
           count(distinct s.interaction_id) filter (
             where s.step_type = 'human' and i.escalated_to_human
               and i.initial_mode in ('bot', 'self_service', 'ivr'))::integer as escalations_received,
           range_agg(tstzrange(s.started_at, coalesce(s.ended_at, s.started_at)))
             filter (where s.step_type in ('human', 'hold', 'wrap_up', 'bot')) as handling_ranges
      from bucket b
      join cx.interaction_steps s
        on s.agent_id = b.agent_id
       and s.started_at >= b.day_start
       and s.started_at < b.day_end
       and cx_private.day_in_zone(s.started_at, $3) = b.metric_date
      left join cx.customer_interactions i
        on s.step_type in ('human', 'bot')
       and i.customer_id = s.customer_id
       and i.interaction_id = s.interaction_id
       and i.start_timestamp = s.interaction_start_timestamp
     group by b.metric_date, b.agent_id
  ),
  satisfaction as (
    select b.metric_date, b.agent_id,
           count(i.customer_satisfaction_score)::integer as responses,
           coalesce(sum(i.customer_satisfaction_score), 0)::integer as total,
           count(*) filter (where i.customer_satisfaction_score >= 4)::integer as top2
      from bucket b
      join cx.customer_interactions i
        on i.primary_agent_id = b.agent_id
       and i.start_timestamp >= b.day_start
       and i.start_timestamp < b.day_end
       and cx_private.day_in_zone(i.start_timestamp, $3) = b.metric_date
     group by b.metric_date, b.agent_id
  )
  select b.metric_date, b.agent_id,
         coalesce(st.handled, 0), coalesce(st.handle_seconds, 0), coalesce(st.wrap_up_seconds, 0),
         coalesce(st.transfers, 0), coalesce(st.escalations_received, 0),
         coalesce(sc.responses, 0), coalesce(sc.total, 0), coalesce(sc.top2, 0),
         tm.handling, tm.idle, tm.available
    from bucket b
    left join step_figures st on st.metric_date = b.metric_date and st.agent_id = b.agent_id
    left join satisfaction sc on sc.metric_date = b.metric_date and sc.agent_id = b.agent_id
    cross join lateral (
      select coalesce(range_agg(tstzrange(greatest(h.started_at, b.day_start),
                                          least(coalesce(h.ended_at, now()), b.day_end))), '{}'::tstzmultirange) as available_ranges
        from cx.agent_status_history h
       where h.agent_id = b.agent_id and h.status in ('available', 'busy')
         -- the overlap as the exclusion index writes it, so it finds the day's intervals
         and tstzrange(h.started_at, h.ended_at) && tstzrange(b.day_start, b.day_end)
         and h.started_at < b.day_end and coalesce(h.ended_at, now()) > b.day_start
    ) av
    cross join lateral (
      select cx_private.multirange_seconds(coalesce(st.handling_ranges, '{}') * tstzmultirange(tstzrange(b.day_start, b.day_end))) as handling,
             cx_private.multirange_seconds(av.available_ranges - coalesce(st.handling_ranges, '{}')) as idle,
             cx_private.multirange_seconds(av.available_ranges) as available
    ) tm
   where coalesce(st.handled, 0) > 0 or st.handling_ranges is not null or coalesce(sc.responses, 0) > 0
      or not isempty(av.available_ranges)
  $refresh$ using p_days, p_agents, v_zone;
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
comment on function cx_private.recompute_agent_days(date[], uuid[]) is
  'Replaces the daily_agent_metrics rows of the given (day, agent) pairs with what the steps, interactions and status history say now; a day with nothing for the agent has no row. Set-based over the buckets, so a rebuild is linear in them. Returns the rows written.';

--! split: 0200-channel-days-planned-for-their-size.sql
/*
 * The channel rollup had the other half of the problem: a day's refresh (9 buckets) hash-joined all
 * of history (0.35 s at 300k interactions, growing with history). Same rows, same rule; the
 * statement is now planned per call for its size (cx_private.choose_bucket_joins). A bucket named
 * twice in one call is now counted once (it was counted twice; cx.refresh_metrics never names one
 * twice, a DBA's call might).
 */
create or replace function cx_private.recompute_channel_days(p_days date[], p_channels uuid[])
  returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  -- cx_private.choose_bucket_joins picks the join method per call; these keep its choice inside
  set enable_nestloop = on
  set enable_hashjoin = on
  set enable_mergejoin = off
  as $function$
declare
  v_grace integer := coalesce(cx.setting('short_abandon_grace_seconds')::integer, 5);
  v_rows integer;
  v_zone text := cx_private.reporting_zone();
begin
  delete from cx.daily_interaction_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date and r.channel_id = b.channel_id;

  perform cx_private.choose_bucket_joins(cardinality(p_days));
  execute $refresh$
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
         count(*) filter (where s.queued and not s.human and i.status = 'abandoned' and i.queue_time_seconds > $4),
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
            -- a bucket named twice is counted once
            from (select distinct u.metric_date, u.channel_id from unnest($1::date[], $2::uuid[]) u(metric_date, channel_id)) b
          offset 0) b -- each bucket's bounds computed once, not once per row compared
    join cx.customer_interactions i
      on i.channel_id = b.channel_id
     and i.start_timestamp >= b.day_start
     and i.start_timestamp < b.day_end
     -- the same day as an equality too: a refresh of many buckets (a rebuild) can hash-join on
     -- channel and day instead of testing each interaction of a channel against each of its days
     and cx_private.day_in_zone(i.start_timestamp, $3) = b.metric_date
    join cx.channels ch on ch.channel_id = i.channel_id
    cross join lateral (
      select coalesce(bool_or(st.step_type = 'queue'), false) as queued,
             coalesce(bool_or(st.step_type = 'human'), false) as human
        from cx.interaction_steps st
       where st.customer_id = i.customer_id and st.interaction_id = i.interaction_id
         and st.interaction_start_timestamp = i.start_timestamp
    ) s
   group by b.metric_date, i.channel_id, i.interaction_type_id, i.region
  $refresh$ using p_days, p_channels, v_zone, v_grace;
  get diagnostics v_rows = row_count;
  return v_rows;
end
$function$;
comment on function cx_private.recompute_channel_days(date[], uuid[]) is
  'Replaces the daily_interaction_rollup rows of the given (day, channel) buckets with what the interactions and their steps say now; planned per call for the number of buckets (cx_private.choose_bucket_joins). Returns the rows written.';
