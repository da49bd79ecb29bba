--! Previous: sha1:cbaeb29e40c558d0637225131c834da9f55354b8
--! Hash: sha1:728ba73047d2b3df38565b3cc9cfc0f80491d7b4
--! Message: refreshes choose their plan by their share of all buckets; first contact resolution and interaction updates log agent days only when an agent figure can change

--! split: 0050-choose-bucket-joins-by-share.sql
/*
 * Migration 000019 chose the join method by a fixed count: over 1,000 buckets, hash whole sources.
 * At 10M interactions (about 280 agents) a new day and the earlier days whose first contact
 * resolution it flipped came to more than 1,000 agent buckets, so a day's refresh read all of
 * history (43 s). What decides between the plans is the share of history a refresh covers:
 * probing costs each bucket's index descents, hashing costs a pass over every bucket there is.
 * At a year of 300k interactions a probed agent day cost about 2.5 ms and a hashed one 1.7 ms of a
 * whole pass, so hashing pays from about two thirds of all buckets covered; half is the threshold
 * (either plan is within a factor of about 1.5 of the better one there). A refresh of at most 100
 * buckets always probes: hashing a whole history for a handful of days never pays, and when the
 * history is small both are cheap. Buckets are counted once however often they are named.
 */
drop function if exists cx_private.choose_bucket_joins(integer);
drop function if exists cx_private.estimated_row_count(regclass);

create or replace function cx_private.estimated_row_count(p_table regclass) returns bigint
  language plpgsql stable
  set search_path = pg_catalog
  as $$
declare
  v_pages double precision;
  v_tuples double precision;
  v_now_pages double precision := pg_relation_size(p_table) / current_setting('block_size')::double precision;
  v_count bigint;
begin
  select c.relpages, c.reltuples into v_pages, v_tuples from pg_class c where c.oid = p_table;
  if v_pages > 0 and v_tuples >= 0 then
    -- the planner's own estimate: the density last measured, times the pages there are now
    return round(v_tuples / v_pages * v_now_pages);
  end if;
  -- never measured (a new or truncated table, a rebuild that has not been analyzed yet): count
  execute format('select count(*) from %s', p_table) into v_count;
  return v_count;
end
$$;
comment on function cx_private.estimated_row_count(regclass) is
  'The rows of a table as the planner estimates them (the density of the last ANALYZE or VACUUM times its pages now), or counted when the table was never measured. Cheap enough for every refresh.';

create or replace function cx_private.choose_bucket_joins(p_kind text, p_buckets bigint) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  c_always_probe_up_to constant integer := 100;
  v_all_buckets bigint;
begin
  v_all_buckets := case p_kind
    when 'agent' then cx_private.estimated_row_count('cx.daily_agent_metrics')
    -- channels have a day each whether or not they had contacts that day: days of history × channels
    when 'channel' then (select coalesce(max(r.metric_date) - min(r.metric_date) + 1, 0)
                           from cx.daily_interaction_rollup r)
                        * (select count(*) from cx.channels)
  end;
  if v_all_buckets is null then
    raise exception 'unknown bucket kind %: expected agent or channel', coalesce(p_kind, 'null')
      using errcode = '22023';
  end if;
  if p_buckets > c_always_probe_up_to and p_buckets * 2 > v_all_buckets then
    perform set_config('enable_nestloop', 'off', true);
  else
    perform set_config('enable_hashjoin', 'off', true);
  end if;
end
$$;
comment on function cx_private.choose_bucket_joins(text, bigint) is
  'Sets, for the calling recompute function (which restores them through its SET clauses), the join methods for refreshing p_buckets distinct buckets of kind agent or channel: hash joins over whole sources when they are more than 100 and more than half of all the buckets of that kind there are (a rebuild, a large backfill), index probes bucket by bucket otherwise (a day, a late change).';

--! split: 0100-agent-and-channel-days-choose-by-share.sql
/*
 * The two recompute functions count their distinct buckets and choose before they delete (so the
 * buckets being refreshed still count among all of them). Otherwise unchanged from 000019.
 */
create or replace function cx_private.recompute_agent_days(p_days date[], p_agents uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  -- cx_private.choose_bucket_joins picks the join methods per call; these keep its choice inside
  set enable_nestloop = on
  set enable_hashjoin = on
  -- a merge join would join on the agent alone (the day expression has no sort order), testing every
  -- step of an agent against every day of it: quadratic in days
  set enable_mergejoin = off
  as $$
declare
  v_rows integer;
  v_zone text := cx_private.reporting_zone();
  v_buckets bigint := (select count(*) from (select distinct * from unnest(p_days, p_agents)) d);
begin
  -- chosen against the days as they are, before this refresh deletes any
  perform cx_private.choose_bucket_joins('agent', v_buckets);
  delete from cx.daily_agent_metrics m
   using unnest(p_days, p_agents) b(metric_date, agent_id)
   where m.metric_date = b.metric_date and m.agent_id = b.agent_id;

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
  'Replaces the daily_agent_metrics rows of the given (day, agent) pairs with what the steps, interactions and status history say now; a day with nothing for the agent has no row. Set-based over the buckets, planned per call for their share of all agent days (cx_private.choose_bucket_joins). Returns the rows written.';

create or replace function cx_private.recompute_channel_days(p_days date[], p_channels uuid[])
  returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  -- cx_private.choose_bucket_joins picks the join methods per call; these keep its choice inside
  set enable_nestloop = on
  set enable_hashjoin = on
  set enable_mergejoin = off
  as $function$
declare
  v_grace integer := coalesce(cx.setting('short_abandon_grace_seconds')::integer, 5);
  v_rows integer;
  v_zone text := cx_private.reporting_zone();
  v_buckets bigint := (select count(*) from (select distinct * from unnest(p_days, p_channels)) d);
begin
  -- chosen against the days as they are, before this refresh deletes any
  perform cx_private.choose_bucket_joins('channel', v_buckets);
  delete from cx.daily_interaction_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date and r.channel_id = b.channel_id;

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
  'Replaces the daily_interaction_rollup rows of the given (day, channel) buckets with what the interactions and their steps say now; planned per call for their share of all channel days (cx_private.choose_bucket_joins). Returns the rows written.';

--! split: 0200-interaction-updates-log-only-what-changed.sql
/*
 * An update of interactions logged the (day, primary agent) buckets of every row it touched. A new
 * day's repeat contacts flip the first contact resolution of earlier interactions: a week of days
 * for every agent, although no agent figure reads first contact resolution. An update now logs an
 * agent bucket only when a column the agent figures read changed: the primary agent, the start or
 * the CSAT score (the primary agent's satisfaction), and the escalation or the initial mode (the
 * step agents' transfers and escalations received; 000008 logged only an escalation that appeared,
 * not one withdrawn or a changed initial mode). Channel buckets are logged as before.
 */
create or replace function cx_private.tg_customer_interactions__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_buckets cx_private.metric_bucket[] := '{}';
  v_zone text := cx_private.reporting_zone();
begin
  -- a transition table exists only for the events that have it: read each in its own branch
  if tg_op = 'INSERT' then
    select coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket as b from new_rows r
      union all
      select ('agent', cx_private.day_in_zone(r.start_timestamp, v_zone), r.primary_agent_id)::cx_private.metric_bucket from new_rows r
    ) x;
  elsif tg_op = 'DELETE' then
    select coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket as b from old_rows r
      union all
      select ('agent', cx_private.day_in_zone(r.start_timestamp, v_zone), r.primary_agent_id)::cx_private.metric_bucket from old_rows r
    ) x;
  else
    select coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket as b from new_rows r
      union all
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket from old_rows r
      union all
      -- the primary agent's satisfaction, on the old day and agent and on the new
      select ('agent', cx_private.day_in_zone(x.start_timestamp, v_zone), x.primary_agent_id)::cx_private.metric_bucket
        from new_rows n
        join old_rows o on o.customer_id = n.customer_id and o.interaction_id = n.interaction_id
        cross join lateral (values (n.start_timestamp, n.primary_agent_id),
                                   (o.start_timestamp, o.primary_agent_id)) x(start_timestamp, primary_agent_id)
       where (n.primary_agent_id, n.start_timestamp, n.customer_satisfaction_score)
             is distinct from (o.primary_agent_id, o.start_timestamp, o.customer_satisfaction_score)
      union all
      -- the days of every agent with a step in it: the bots' transfers, the humans' escalations received
      select ('agent', cx_private.day_in_zone(s.started_at, v_zone), s.agent_id)::cx_private.metric_bucket
        from new_rows n
        join old_rows o on o.customer_id = n.customer_id and o.interaction_id = n.interaction_id
        join cx.interaction_steps s
          on s.customer_id = n.customer_id and s.interaction_id = n.interaction_id
         and s.interaction_start_timestamp = n.start_timestamp
       where (n.escalated_to_human, n.initial_mode) is distinct from (o.escalated_to_human, o.initial_mode)
         and s.agent_id is not null
    ) x;
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
  return null;
end
$$;
comment on function cx_private.tg_customer_interactions__log_metric_buckets() is
  'AFTER each statement on customer_interactions: logs the (day, channel) buckets of the old and new rows and the (day, primary agent) buckets of inserted and deleted rows for the metrics refresh; an update logs agent buckets only when a column the agent figures read changed (primary agent, start, CSAT: the primary agent''s days; escalation, initial mode: the days of every agent with a step in the interaction).';

--! split: 0300-first-contact-resolution-logs-channel-days-only.sql
/*
 * The bulk path's first contact resolution returned the (day, primary agent) bucket of every
 * interaction whose FCR it changed, as well as its (day, channel) bucket. No agent figure reads
 * FCR: it now returns the channel buckets only. Otherwise unchanged from 000017.
 */
create or replace function cx_private.recompute_first_contact_resolution(p_keys cx_private.fcr_key[])
  returns cx_private.metric_bucket[]
  language sql volatile
  set search_path = pg_catalog
  -- Every access below is an index probe per key: the batch touches few customers of a large
  -- table. While a bulk load fills a partition its statistics lag far behind, and the planner then
  -- hash-joins whole partitions, probes through the (interaction_type_id, start_timestamp) index, or
  -- builds a bitmap for each key's two rows; these settings hold the plan to nested index probes.
  set enable_seqscan = off
  set enable_bitmapscan = off
  set enable_hashjoin = off
  set enable_mergejoin = off
  as $$
    with window_setting as (
      select coalesce(cx.setting('fcr_repeat_window')::interval, interval '7 days') as repeat_window
    ),
    keys as (
      select k.customer_id, k.interaction_type_id, min(k.since) as since
        from unnest(p_keys) k
       group by k.customer_id, k.interaction_type_id
    ),
    -- the rows whose FCR the keys can change, and with them every row that can be their repeat;
    -- interactions without a type form their own group ("is true" keeps that test out of the
    -- index conditions: customer_id leads the probe)
    affected as (
      select x.customer_id, x.interaction_type_id, x.interaction_id, x.start_timestamp,
             coalesce(x.end_timestamp, x.start_timestamp) as ended, x.resolution_status
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and x.interaction_type_id = k.interaction_type_id
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
      union all
      select x.customer_id, x.interaction_type_id, x.interaction_id, x.start_timestamp,
             coalesce(x.end_timestamp, x.start_timestamp), x.resolution_status
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and (x.interaction_type_id is null) is true
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
       where k.interaction_type_id is null
    ),
    grouped as (
      select a.*,
             array_agg(a.start_timestamp) over same_customer_and_type as group_starts,
             array_agg(a.interaction_id) over same_customer_and_type as group_ids
        from affected a
      window same_customer_and_type as (partition by a.customer_id, a.interaction_type_id)
    ),
    candidates as (
      select g.customer_id, g.interaction_id, g.start_timestamp,
             g.resolution_status = 'resolved' and not exists (
               select 1
                 from unnest(g.group_starts, g.group_ids) y(start_timestamp, interaction_id)
                where y.start_timestamp >= g.ended
                  and y.start_timestamp < g.ended + w.repeat_window
                  and y.interaction_id <> g.interaction_id
             ) as fcr
        from grouped g
       cross join window_setting w
    ),
    changed as (
      -- updated_at by hand too: the bulk path runs this with row triggers off
      update cx.customer_interactions ci
         set first_contact_resolution = c.fcr, updated_at = now()
        from candidates c
       where ci.customer_id = c.customer_id and ci.interaction_id = c.interaction_id and ci.start_timestamp = c.start_timestamp
         and ci.first_contact_resolution is distinct from c.fcr
      returning ci.channel_id, ci.start_timestamp
    ),
    zone as materialized (select cx_private.reporting_zone() as zone) -- once, not once per row
    -- first contact resolution is a channel figure: no agent day changes with it
    select coalesce(array_agg(('channel', cx_private.day_in_zone(ch.start_timestamp, z.zone), ch.channel_id)::cx_private.metric_bucket), '{}')
      from zone z
     cross join changed ch
  $$;
comment on function cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]) is
  'Recomputes first_contact_resolution of every interaction of the given customers and types whose repeat window reaches the given moments; returns the (day, channel) metric buckets of the interactions it changed (FCR is a channel figure; the update trigger logs them too, when triggers are on).';
