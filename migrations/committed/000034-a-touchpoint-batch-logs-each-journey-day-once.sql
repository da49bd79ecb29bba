--! Previous: sha1:ab0f7f6f0b0df7b97f392e4946a9b4fe62e73fcc
--! Hash: sha1:145603362f912a9e58e4d037ec6bfd0c139b446c
--! Message: A touchpoint batch logs each journey day once

--! split: 0100-a-touchpoint-batch-logs-each-journey-day-once.sql
/*
 * cx.record_touchpoints logged the days of the sessions whose counters changed (in
 * recompute_journey_sessions) and then every touched session's day again, so most days went into
 * the bucket log twice. recompute_journey_sessions now takes whether to log every session it is
 * given (a touchpoint batch: friction changes the day even where no counter does) or only those it
 * changed (an interaction joining a session).
 */
drop function if exists cx_private.recompute_journey_sessions(uuid[], uuid[], boolean);
create or replace function cx_private.recompute_journey_sessions(
  p_customer_ids uuid[], p_session_ids uuid[], p_log_every_session boolean
) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_changed_customers uuid[];
  v_changed_sessions uuid[];
begin
  with touched as (
    select distinct k.customer_id, k.session_id
      from unnest(p_customer_ids, p_session_ids) k(customer_id, session_id)
     where k.session_id is not null
  ),
  stats as (
    select t.customer_id, t.session_id,
           (select count(*) from cx.journey_touchpoints tp
             where tp.customer_id = t.customer_id and tp.session_id = t.session_id)::integer as touchpoints,
           array(select distinct u.channel_id
                   from (select tp.channel_id from cx.journey_touchpoints tp
                          where tp.customer_id = t.customer_id and tp.session_id = t.session_id
                         union
                         select ci.channel_id from cx.customer_interactions ci
                          where ci.customer_id = t.customer_id and ci.session_id = t.session_id) u
                  order by u.channel_id) as channels,
           greatest(
             (select max(tp.occurred_at) from cx.journey_touchpoints tp
               where tp.customer_id = t.customer_id and tp.session_id = t.session_id),
             (select max(coalesce(ci.end_timestamp, ci.start_timestamp)) from cx.customer_interactions ci
               where ci.customer_id = t.customer_id and ci.session_id = t.session_id)) as last_activity
      from touched t
  ),
  changed as (
    update cx.customer_journey_sessions s
       set touchpoint_count = st.touchpoints,
           channel_ids = st.channels,
           last_activity_at = st.last_activity
      from stats st
     where s.customer_id = st.customer_id and s.session_id = st.session_id
       and (s.touchpoint_count, s.channel_ids, s.last_activity_at)
           is distinct from (st.touchpoints, st.channels, st.last_activity)
    returning s.customer_id, s.session_id
  )
  select array_agg(c.customer_id), array_agg(c.session_id) into v_changed_customers, v_changed_sessions from changed c;
  -- the journey day reads the counters
  if p_log_every_session then
    perform cx_private.log_journey_buckets(p_customer_ids, p_session_ids);
  elsif v_changed_customers is not null then
    perform cx_private.log_journey_buckets(v_changed_customers, v_changed_sessions);
  end if;
end
$$;
comment on function cx_private.recompute_journey_sessions(uuid[], uuid[], boolean) is
  'Recomputes the given sessions'' touchpoint count, channels used (touchpoints and interactions) and last activity, writing only sessions that change, and logs the journey buckets of every given session (p_log_every_session) or of those it changed.';

-- the two-argument form, kept for its callers: only the sessions it changes are logged
create or replace function cx_private.recompute_journey_sessions(p_customer_ids uuid[], p_session_ids uuid[])
  returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  perform cx_private.recompute_journey_sessions(p_customer_ids, p_session_ids, false);
end
$$;
comment on function cx_private.recompute_journey_sessions(uuid[], uuid[]) is
  'cx_private.recompute_journey_sessions(customers, sessions, false): logs the journey buckets of the sessions it changed.';

--! split: 0200-touchpoints-and-the-repair-log-each-day-once.sql
create or replace function cx.record_touchpoints(p_touchpoints jsonb)
  returns table (ord integer, touchpoint_id uuid)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.journey_touchpoints[];
  v_now timestamptz := now();
begin
  if p_touchpoints is null or jsonb_typeof(p_touchpoints) <> 'array' then
    raise exception 'the touchpoints must be a JSON array of rows, got %', coalesce(jsonb_typeof(p_touchpoints), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  select array_agg(jsonb_populate_record(null::cx.journey_touchpoints,
                     jsonb_build_object('occurred_at', v_now, 'friction_detected', false, 'touchpoint_details', '{}'::jsonb)
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('touchpoint_id', coalesce(e.value ->> 'touchpoint_id', cx.uuid_generate_v7()::text),
                                           'created_at', v_now))
                   order by e.ord)
    into v_rows
    from jsonb_array_elements(p_touchpoints) with ordinality e(value, ord);
  if v_rows is null then
    return;
  end if;
  perform cx_private.require_batch_interactions(
    array(select u.customer_id from unnest(v_rows) with ordinality u order by u.ordinality),
    array(select u.interaction_id from unnest(v_rows) with ordinality u order by u.ordinality),
    array(select u.interaction_start_timestamp from unnest(v_rows) with ordinality u order by u.ordinality),
    'journey_touchpoints_interaction_fkey');
  insert into cx.journey_touchpoints select * from unnest(v_rows);
  -- the sessions' counters follow; friction lives on the touchpoints, so their days are logged
  -- even where no counter changes
  perform cx_private.recompute_journey_sessions(array(select u.customer_id from unnest(v_rows) u),
                                                array(select u.session_id from unnest(v_rows) u), true);
  return query
    select (u.ordinality - 1)::integer, u.touchpoint_id
      from unnest(v_rows) with ordinality u
     order by u.ordinality;
end
$$;

create or replace function cx.recompute_derived(p_customer_ids uuid[])
  returns table (interactions integer, outcome_buckets integer)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
  v_buckets cx_private.metric_bucket[];
  v_session_customers uuid[];
  v_sessions uuid[];
  v_zone text := cx_private.reporting_zone();
begin
  -- the interactions' CSAT, NPS and CES from their latest answers (cx.record_feedback)
  select array_agg((ci.customer_id, ci.interaction_id, ci.start_timestamp)::cx_private.interaction_key)
    into v_keys
    from cx.customer_interactions ci
   where ci.customer_id = any(p_customer_ids);
  if v_keys is not null then
    perform cx_private.recompute_interaction_scores(v_keys);
  end if;
  -- the buckets of their outcomes, by the day recorded and the interaction's channel (cx.record_outcomes)
  select array_agg(distinct ('outcome', cx_private.day_in_zone(o.recorded_at, v_zone), ci.channel_id)::cx_private.metric_bucket)
    into v_buckets
    from cx.interaction_outcomes o
    join cx.customer_interactions ci
      on ci.customer_id = o.customer_id and ci.interaction_id = o.interaction_id
     and ci.start_timestamp = o.interaction_start_timestamp
   where o.customer_id = any(p_customer_ids);
  if v_buckets is not null then
    perform cx_private.log_metric_buckets(v_buckets);
  end if;
  -- their sessions' counters and journey buckets (cx.record_sessions, cx.record_touchpoints)
  select array_agg(s.customer_id), array_agg(s.session_id) into v_session_customers, v_sessions
    from cx.customer_journey_sessions s
   where s.customer_id = any(p_customer_ids);
  if v_sessions is not null then
    perform cx_private.recompute_journey_sessions(v_session_customers, v_sessions, true);
  end if;
  return query select coalesce(cardinality(v_keys), 0), coalesce(cardinality(v_buckets), 0);
end
$$;
