--! Previous: sha1:265cee6b2b97cda89b691afd0d7762f666dae2ed
--! Hash: sha1:ab0f7f6f0b0df7b97f392e4946a9b4fe62e73fcc
--! Message: Journeys are recorded by write functions

--! split: 0100-a-batch-names-the-row-of-an-interaction-that-does-not-exist.sql
/*
 * The check the write functions share: every interaction a batch names exists. The first row that
 * names a missing one is named in DETAIL ('batch row N', 0-based), then the keys are locked as a
 * foreign key would lock them (cx_private.require_interactions: a concurrent delete waits).
 */
create or replace function cx_private.require_batch_interactions(
  p_customer_ids uuid[], p_interaction_ids uuid[], p_start_timestamps timestamptz[], p_rule text
) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_missing record;
  v_keys cx_private.interaction_key[];
begin
  -- an outer join, not a correlated subquery: Citus plans no correlated subquery beside a
  -- set-returning function (measured on Citus 13.2)
  select (b.ord - 1)::integer as ord, b.interaction_id, b.customer_id, b.start_timestamp into v_missing
    from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) with ordinality
         as b(customer_id, interaction_id, start_timestamp, ord)
    left join cx.customer_interactions ci
      on ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
     and ci.start_timestamp = b.start_timestamp
   where b.interaction_id is not null and ci.interaction_id is null
   order by b.ord
   limit 1;
  if found then
    raise exception 'interaction % (customer %, started %) does not exist',
        v_missing.interaction_id, v_missing.customer_id, v_missing.start_timestamp
      using errcode = 'foreign_key_violation', column = 'interaction_id', constraint = p_rule,
            detail = cx_private.staged_row_position(v_missing.ord, null);
  end if;
  select array_agg(distinct (k.customer_id, k.interaction_id, k.start_timestamp)::cx_private.interaction_key)
    into v_keys
    from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) k(customer_id, interaction_id, start_timestamp)
   where k.interaction_id is not null;
  perform cx_private.require_interactions(v_keys, p_rule);
end
$$;
comment on function cx_private.require_batch_interactions(uuid[], uuid[], timestamptz[], text) is
  'Refuses a batch (foreign_key_violation under the rule''s name, DETAIL the first offending batch row) unless every interaction it names (a null interaction_id names none) exists, and locks them FOR KEY SHARE.';

--! split: 0200-outcomes-and-feedback-use-the-shared-check.sql
create or replace function cx.record_outcomes(
  p_customer_ids uuid[],
  p_interaction_ids uuid[],
  p_interaction_start_timestamps timestamptz[],
  p_outcome_types text[],
  p_outcome_values numeric[] default null,
  p_currencies text[] default null,
  p_service_plan_ids uuid[] default null,
  p_attributed_agent_ids uuid[] default null,
  p_recorded_ats timestamptz[] default null,
  p_outcome_details jsonb[] default null
) returns table (ord integer, outcome_id uuid)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_count integer := coalesce(cardinality(p_customer_ids), 0);
  v_ords integer[];
  v_ids uuid[];
  v_buckets cx_private.metric_bucket[];
  v_zone text := cx_private.reporting_zone();
begin
  if coalesce(cardinality(p_interaction_ids), 0) <> v_count
     or coalesce(cardinality(p_interaction_start_timestamps), 0) <> v_count
     or coalesce(cardinality(p_outcome_types), 0) <> v_count
     or cardinality(p_outcome_values) <> v_count or cardinality(p_currencies) <> v_count
     or cardinality(p_service_plan_ids) <> v_count or cardinality(p_attributed_agent_ids) <> v_count
     or cardinality(p_recorded_ats) <> v_count or cardinality(p_outcome_details) <> v_count then
    raise exception 'every array of the batch must have one element per outcome (% customer ids)', v_count
      using errcode = 'invalid_parameter_value';
  end if;
  if v_count = 0 then
    return;
  end if;
  perform cx_private.require_batch_interactions(p_customer_ids, p_interaction_ids, p_interaction_start_timestamps,
    'interaction_outcomes_interaction_fkey');

  with batch as materialized (
    select (b.ord - 1)::integer as ord, cx.uuid_generate_v7() as outcome_id, b.customer_id, b.interaction_id,
           b.interaction_start_timestamp, b.outcome_type, coalesce(b.outcome_value, 0) as outcome_value,
           coalesce(b.currency, 'EUR') as currency, b.service_plan_id, b.attributed_agent_id,
           coalesce(b.recorded_at, now()) as recorded_at, coalesce(b.outcome_details, '{}') as outcome_details
      from unnest(p_customer_ids, p_interaction_ids, p_interaction_start_timestamps, p_outcome_types,
                  coalesce(p_outcome_values, array_fill(null::numeric, array[v_count])),
                  coalesce(p_currencies, array_fill(null::text, array[v_count])),
                  coalesce(p_service_plan_ids, array_fill(null::uuid, array[v_count])),
                  coalesce(p_attributed_agent_ids, array_fill(null::uuid, array[v_count])),
                  coalesce(p_recorded_ats, array_fill(null::timestamptz, array[v_count])),
                  coalesce(p_outcome_details, array_fill(null::jsonb, array[v_count])))
           with ordinality
           as b(customer_id, interaction_id, interaction_start_timestamp, outcome_type, outcome_value, currency,
                service_plan_id, attributed_agent_id, recorded_at, outcome_details, ord)
  ),
  inserted as (
    insert into cx.interaction_outcomes
      (customer_id, outcome_id, interaction_id, interaction_start_timestamp, outcome_type, outcome_value, currency,
       service_plan_id, attributed_agent_id, recorded_at, outcome_details)
    select b.customer_id, b.outcome_id, b.interaction_id, b.interaction_start_timestamp, b.outcome_type,
           b.outcome_value, b.currency, b.service_plan_id, b.attributed_agent_id, b.recorded_at, b.outcome_details
      from batch b
     order by b.ord
    returning 1
  )
  -- outcomes count on the day they were recorded, under their interaction's channel
  select array_agg(b.ord order by b.ord), array_agg(b.outcome_id order by b.ord),
         array_agg(distinct ('outcome', cx_private.day_in_zone(b.recorded_at, v_zone), ci.channel_id)::cx_private.metric_bucket)
    into v_ords, v_ids, v_buckets
    from batch b
    join cx.customer_interactions ci
      on ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
     and ci.start_timestamp = b.interaction_start_timestamp;
  perform cx_private.log_metric_buckets(v_buckets);

  return query select o.ord, o.outcome_id from unnest(v_ords, v_ids) o(ord, outcome_id);
end
$$;

create or replace function cx.record_feedback(p_feedback jsonb)
  returns table (ord integer, feedback_id uuid, submitted_at timestamptz)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.customer_feedback[];
  v_keys cx_private.interaction_key[];
  v_now timestamptz := now();
begin
  if p_feedback is null or jsonb_typeof(p_feedback) <> 'array' then
    raise exception 'the feedback must be a JSON array of rows, got %', coalesce(jsonb_typeof(p_feedback), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  -- each row read with the table's type; what a row leaves out (or gives as null) takes the
  -- default; when it was written is the database's to say
  select array_agg(jsonb_populate_record(null::cx.customer_feedback,
                     jsonb_build_object('submitted_at', v_now, 'feedback_topics', '[]'::jsonb, 'answers', '{}'::jsonb,
                                        'follow_up_status', 'not_required')
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('feedback_id', coalesce(e.value ->> 'feedback_id', cx.uuid_generate_v7()::text),
                                           'created_at', v_now, 'updated_at', v_now))
                   order by e.ord)
    into v_rows
    from jsonb_array_elements(p_feedback) with ordinality e(value, ord);
  if v_rows is null then
    return;
  end if;
  perform cx_private.require_batch_interactions(
    array(select u.customer_id from unnest(v_rows) with ordinality u order by u.ordinality),
    array(select u.interaction_id from unnest(v_rows) with ordinality u order by u.ordinality),
    array(select u.interaction_start_timestamp from unnest(v_rows) with ordinality u order by u.ordinality),
    'customer_feedback_interaction_fkey');

  insert into cx.customer_feedback select * from unnest(v_rows);

  -- the interactions' scores follow their latest answers
  select array_agg(distinct (u.customer_id, u.interaction_id, u.interaction_start_timestamp)::cx_private.interaction_key)
    into v_keys
    from unnest(v_rows) u
   where u.interaction_id is not null;
  if v_keys is not null then
    perform cx_private.recompute_interaction_scores(v_keys);
  end if;

  return query
    select (u.ordinality - 1)::integer, u.feedback_id, u.submitted_at
      from unnest(v_rows) with ordinality u
     order by u.ordinality;
end
$$;

--! split: 0300-journeys-are-recorded-by-write-functions.sql
/*
 * Journeys leave their triggers too: a session's (day, entry channel) bucket was logged by a
 * statement trigger on customer_journey_sessions, and a touchpoint's interaction was checked, its
 * session's counters recomputed and its bucket logged by three on journey_touchpoints. On Citus both
 * tables are distributed by customer, and a shard cannot write the coordinator's bucket log. Now
 * cx.record_sessions, cx.end_sessions and cx.record_touchpoints do it for a batch (JSON arrays of
 * rows keyed by the tables' column names), and recompute_journey_sessions, which interactions with
 * a session call as well, logs the buckets of the sessions whose counters it changed.
 */
drop trigger if exists _800_log_metric_buckets_after_delete on cx.customer_journey_sessions;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.customer_journey_sessions;
drop trigger if exists _800_log_metric_buckets_after_update on cx.customer_journey_sessions;
drop trigger if exists _100_interaction_exists_after_insert on cx.journey_touchpoints;
drop trigger if exists _100_interaction_exists_after_update on cx.journey_touchpoints;
drop trigger if exists _500_roll_up_after_delete on cx.journey_touchpoints;
drop trigger if exists _500_roll_up_after_insert on cx.journey_touchpoints;
drop trigger if exists _500_roll_up_after_update on cx.journey_touchpoints;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.journey_touchpoints;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.journey_touchpoints;
drop trigger if exists _800_log_metric_buckets_after_update on cx.journey_touchpoints;
drop function if exists cx_private.tg_customer_journey_sessions__log_metric_buckets();
drop function if exists cx_private.tg_journey_touchpoints__roll_up();
drop function if exists cx_private.tg_journey_touchpoints__log_metric_buckets();
drop function if exists cx_private.log_journey_buckets(uuid[], uuid[]);
drop function if exists cx.record_sessions(jsonb);
drop function if exists cx.end_sessions(jsonb);
drop function if exists cx.record_touchpoints(jsonb);

create function cx_private.log_journey_buckets(p_customer_ids uuid[], p_session_ids uuid[]) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_zone text := cx_private.reporting_zone();
begin
  perform cx_private.log_metric_buckets(array(
    select distinct ('journey', cx_private.day_in_zone(s.start_timestamp, v_zone),
                     coalesce(s.entry_channel_id, '00000000-0000-0000-0000-000000000000'))::cx_private.metric_bucket
      from unnest(p_customer_ids, p_session_ids) k(customer_id, session_id)
      join cx.customer_journey_sessions s on s.customer_id = k.customer_id and s.session_id = k.session_id));
end
$$;
comment on function cx_private.log_journey_buckets(uuid[], uuid[]) is
  'Logs the (day started, entry channel) journey bucket of each given session, as it is now, for the refresh (a session without an entry channel under the zero uuid).';

create or replace function cx_private.recompute_journey_sessions(p_customer_ids uuid[], p_session_ids uuid[])
  returns void
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
  if v_changed_customers is not null then
    perform cx_private.log_journey_buckets(v_changed_customers, v_changed_sessions);
  end if;
end
$$;
comment on function cx_private.recompute_journey_sessions(uuid[], uuid[]) is
  'Recomputes the given sessions'' touchpoint count, channels used (touchpoints and interactions) and last activity, writing only sessions that change, and logs those sessions'' journey buckets.';

create function cx.record_sessions(p_sessions jsonb)
  returns table (ord integer, customer_id uuid, session_id uuid)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.customer_journey_sessions[];
  v_now timestamptz := now();
begin
  if p_sessions is null or jsonb_typeof(p_sessions) <> 'array' then
    raise exception 'the sessions must be a JSON array of rows, got %', coalesce(jsonb_typeof(p_sessions), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  -- the counters are the database's: a session starts with none, touchpoints and interactions add them
  select array_agg(jsonb_populate_record(null::cx.customer_journey_sessions,
                     jsonb_build_object('start_timestamp', v_now, 'journey_outcome', 'in_progress')
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('session_id', coalesce(e.value ->> 'session_id', cx.uuid_generate_v7()::text),
                                           'touchpoint_count', 0, 'channel_ids', '[]'::jsonb,
                                           'last_activity_at', null, 'created_at', v_now, 'updated_at', v_now))
                   order by e.ord)
    into v_rows
    from jsonb_array_elements(p_sessions) with ordinality e(value, ord);
  if v_rows is null then
    return;
  end if;
  insert into cx.customer_journey_sessions
    (customer_id, session_id, start_timestamp, end_timestamp, journey_goal, goal_achieved, journey_outcome,
     entry_channel_id, exit_channel_id, device_type, journey_satisfaction_score, touchpoint_count, channel_ids,
     last_activity_at, created_at, updated_at)
  select u.customer_id, u.session_id, u.start_timestamp, u.end_timestamp, u.journey_goal, u.goal_achieved,
         u.journey_outcome, u.entry_channel_id, u.exit_channel_id, u.device_type, u.journey_satisfaction_score,
         u.touchpoint_count, u.channel_ids, u.last_activity_at, u.created_at, u.updated_at
    from unnest(v_rows) u;
  perform cx_private.log_journey_buckets(array(select u.customer_id from unnest(v_rows) u),
                                         array(select u.session_id from unnest(v_rows) u));
  return query
    select (u.ordinality - 1)::integer, u.customer_id, u.session_id
      from unnest(v_rows) with ordinality u
     order by u.ordinality;
end
$$;
comment on function cx.record_sessions(jsonb) is
  'Records a batch of journey sessions, a JSON array of rows keyed by customer_journey_sessions'' column names (started now and in progress by default; a loader may give the end and outcome too; the counters are computed, never given), and logs their journey buckets. Returns each session''s key by its position (0-based). Every writer starts sessions through it.';

create function cx.end_sessions(p_ends jsonb)
  returns table (ord integer, customer_id uuid, session_id uuid)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_now timestamptz := now();
  v_ords integer[];
  v_customers uuid[];
  v_sessions uuid[];
begin
  if p_ends is null or jsonb_typeof(p_ends) <> 'array' then
    raise exception 'the session ends must be a JSON array of rows, got %', coalesce(jsonb_typeof(p_ends), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  with ends as (
    select (e.ord - 1)::integer as ord, r.*
      from jsonb_array_elements(p_ends) with ordinality e(value, ord)
     cross join lateral jsonb_populate_record(null::cx.customer_journey_sessions, e.value) r
  ),
  ended as (
    update cx.customer_journey_sessions s
       set end_timestamp = coalesce(e.end_timestamp, v_now),
           journey_outcome = e.journey_outcome,
           goal_achieved = e.goal_achieved,
           exit_channel_id = coalesce(e.exit_channel_id, s.exit_channel_id),
           journey_satisfaction_score = coalesce(e.journey_satisfaction_score, s.journey_satisfaction_score)
      from ends e
     where s.customer_id = e.customer_id and s.session_id = e.session_id
    returning e.ord, s.customer_id, s.session_id
  )
  select array_agg(d.ord order by d.ord), array_agg(d.customer_id order by d.ord), array_agg(d.session_id order by d.ord)
    into v_ords, v_customers, v_sessions
    from ended d;
  if v_ords is null then
    return;
  end if;
  perform cx_private.log_journey_buckets(v_customers, v_sessions);
  return query select e.ord, e.customer_id, e.session_id from unnest(v_ords, v_customers, v_sessions) e(ord, customer_id, session_id);
end
$$;
comment on function cx.end_sessions(jsonb) is
  'Ends a batch of journey sessions, a JSON array of rows {customer_id, session_id, journey_outcome, goal_achieved, end_timestamp (default now), exit_channel_id, journey_satisfaction_score (both kept when not given)}, and logs their journey buckets. Returns the sessions it found, by position (0-based); an unknown session is left out.';

create function cx.record_touchpoints(p_touchpoints jsonb)
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
                                                array(select u.session_id from unnest(v_rows) u));
  perform cx_private.log_journey_buckets(array(select u.customer_id from unnest(v_rows) u),
                                         array(select u.session_id from unnest(v_rows) u));
  return query
    select (u.ordinality - 1)::integer, u.touchpoint_id
      from unnest(v_rows) with ordinality u
     order by u.ordinality;
end
$$;
comment on function cx.record_touchpoints(jsonb) is
  'Records a batch of journey touchpoints, a JSON array of rows keyed by journey_touchpoints'' column names (now, no friction, no details by default): checks the interactions named (DETAIL names the batch row), inserts them, recomputes their sessions'' counters and logs their journey buckets. Returns each touchpoint_id by position (0-based). Every writer records touchpoints through it.';

--! split: 0400-the-repair-covers-journeys.sql
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
    perform cx_private.recompute_journey_sessions(v_session_customers, v_sessions);
    perform cx_private.log_journey_buckets(v_session_customers, v_sessions);
  end if;
  return query select coalesce(cardinality(v_keys), 0), coalesce(cardinality(v_buckets), 0);
end
$$;
comment on function cx.recompute_derived(uuid[]) is
  'After the owner corrected rows straight in the tables: recomputes for the given customers what the write functions derive (the interactions'' scores from their latest feedback, their sessions'' counters) and logs their outcome and journey buckets for the refresh. Returns how many interactions and outcome buckets it went over. A row the owner deleted leaves its bucket to cx.rebuild_daily_metrics().';
