--! Previous: sha1:8c12c35a5e7560d547a3f4813b5daa8af4bf54e6
--! Hash: sha1:8c3da606f4a141834d386d2481a91bc401846795
--! Message: Steps are written by write functions

--! split: 0100-steps-are-written-by-write-functions.sql
/*
 * A step changes its interaction: its bot, human, queue and wrap-up seconds, its escalation (a bot
 * session that reached a queue or a human), and the refresh buckets of its agent's day and, for a
 * queue or human step, of the interaction's channel day. Those were statement triggers on
 * interaction_steps (classify, log_metric_buckets), which on Citus run on each shard, where the
 * interactions cannot be queried (issue 15). cx_private.steps_changed does it for a batch of old and
 * new step rows; cx.record_steps, cx.end_steps and cx.delete_steps write steps and call it; the
 * interactions' cascade (deleting or re-keying their steps) calls it too. The owner may still write
 * the table directly: then cx.recompute_derived repairs the totals and logs the agents' days.
 */
drop trigger if exists _200_classify_after_delete on cx.interaction_steps;
drop trigger if exists _200_classify_after_insert on cx.interaction_steps;
drop trigger if exists _200_classify_after_update on cx.interaction_steps;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.interaction_steps;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.interaction_steps;
drop trigger if exists _800_log_metric_buckets_after_update on cx.interaction_steps;
drop function if exists cx_private.tg_interaction_steps__classify();
drop function if exists cx_private.tg_interaction_steps__log_metric_buckets();
drop function if exists cx.record_steps(jsonb);
drop function if exists cx.end_steps(jsonb);
drop function if exists cx.delete_steps(uuid[], uuid[], timestamptz[]);
drop function if exists cx_private.steps_changed(cx.interaction_steps[], cx.interaction_steps[]);

create function cx_private.steps_changed(p_old cx.interaction_steps[], p_new cx.interaction_steps[]) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_refused record;
  v_keys cx_private.interaction_key[];
  v_flagged cx_private.interaction_key[];
  v_zone text;
begin
  -- a step is the same step in p_old and p_new by its id; one only in p_old is gone. An escalation
  -- is never undone: the queue and human steps of an escalated interaction stay while it exists
  select o.interaction_id, o.step_type into v_refused
    from unnest(p_old) o
    join cx.customer_interactions ci
      on ci.customer_id = o.customer_id and ci.interaction_id = o.interaction_id
     and ci.start_timestamp = o.interaction_start_timestamp
   where o.step_type in ('queue', 'human') and ci.escalated_to_human
     and o.step_id not in (select n.step_id from unnest(p_new) n)
   limit 1;
  if found then
    raise exception 'interaction % was escalated to a human: its % steps cannot be deleted', v_refused.interaction_id, v_refused.step_type
      using errcode = 'check_violation', constraint = 'interaction_steps_escalation_irreversible';
  end if;

  select array_agg(distinct k.key) into v_keys
    from (select (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key as key
            from unnest(p_old) o
          union all
          select (n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key
            from unnest(p_new) n) k;
  if v_keys is null then
    return;
  end if;
  perform cx_private.recompute_step_totals(v_keys);

  -- the interactions whose "has a queue step" or "has a human step" may have changed: the only step
  -- facts the channel rollup reads (the totals' update of the interaction logs the rest)
  select array_agg(distinct f.key) into v_flagged
    from (select (n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key as key
            from unnest(p_new) n
            left join unnest(p_old) o on o.step_id = n.step_id
           where n.step_type in ('queue', 'human')
             and (o.step_id is null
                  or (o.step_type, o.interaction_id, o.interaction_start_timestamp)
                     is distinct from (n.step_type, n.interaction_id, n.interaction_start_timestamp))
          union all
          select (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key
            from unnest(p_old) o
            left join unnest(p_new) n on n.step_id = o.step_id
           where o.step_type in ('queue', 'human')
             and (n.step_id is null
                  or (o.step_type, o.interaction_id, o.interaction_start_timestamp)
                     is distinct from (n.step_type, n.interaction_id, n.interaction_start_timestamp))) f;

  v_zone := cx_private.reporting_zone();
  perform cx_private.log_metric_buckets(
    array(select ('agent', cx_private.day_in_zone(s.started_at, v_zone), s.agent_id)::cx_private.metric_bucket
            from (select o.started_at, o.agent_id from unnest(p_old) o
                  union all
                  select n.started_at, n.agent_id from unnest(p_new) n) s
           where s.agent_id is not null)
    || case when v_flagged is null then '{}'::cx_private.metric_bucket[] else array(
         select ('channel', cx_private.day_in_zone(i.start_timestamp, v_zone), i.channel_id)::cx_private.metric_bucket
           from unnest(v_flagged) k
           join cx.customer_interactions i
             on i.customer_id = k.customer_id and i.interaction_id = k.interaction_id
            and i.start_timestamp = k.start_timestamp) end);
end
$$;
comment on function cx_private.steps_changed(cx.interaction_steps[], cx.interaction_steps[]) is
  'What a batch of step writes changes beyond the steps (p_old: the rows before, p_new: after; a step in both by its step_id is changed, in p_old only deleted): refuses deleting queue or human steps of an escalated interaction that still exists, recomputes the durations and escalation of every interaction named, and logs the (day, agent) buckets of the steps and the (day, channel) buckets of the interactions whose queue or human steps appeared, went or changed type or interaction. Every step writer calls it.';

create function cx.record_steps(p_steps jsonb)
  returns table (ord integer, customer_id uuid, step_id uuid, interaction_start_timestamp timestamptz,
                 started_at timestamptz, ended_at timestamptz, duration_seconds integer)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.interaction_steps[];
  v_new cx.interaction_steps[];
  v_now timestamptz := now();
begin
  if p_steps is null or jsonb_typeof(p_steps) <> 'array' then
    raise exception 'the steps must be a JSON array of rows, got %', coalesce(jsonb_typeof(p_steps), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  -- each row read with the table's type (a value of the wrong type is refused by its column); what
  -- a row leaves out starts now with no details; when it was written is the database's to say
  select array_agg(jsonb_populate_record(null::cx.interaction_steps,
                     jsonb_build_object('started_at', v_now, 'step_details', '{}'::jsonb)
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('step_id', coalesce(e.value ->> 'step_id', cx.uuid_generate_v7()::text),
                                           'created_at', v_now))
                   order by e.ord)
    into v_rows
    from jsonb_array_elements(p_steps) with ordinality e(value, ord);
  if v_rows is null then
    return;
  end if;
  perform cx_private.require_batch_interactions(
    array(select u.customer_id from unnest(v_rows) with ordinality u order by u.ordinality),
    array(select u.interaction_id from unnest(v_rows) with ordinality u order by u.ordinality),
    array(select u.interaction_start_timestamp from unnest(v_rows) with ordinality u order by u.ordinality),
    'interaction_steps_interaction_missing');

  with inserted as (
    insert into cx.interaction_steps
      (customer_id, step_id, interaction_id, interaction_start_timestamp, step_type, agent_id, started_at, ended_at,
       kb_article_id, step_outcome, step_details, created_at)
    select u.customer_id, u.step_id, u.interaction_id, u.interaction_start_timestamp, u.step_type, u.agent_id,
           u.started_at, u.ended_at, u.kb_article_id, u.step_outcome, u.step_details, u.created_at
      from unnest(v_rows) u
    returning interaction_steps.*
  )
  select array_agg(i::cx.interaction_steps) into v_new from inserted i;
  perform cx_private.steps_changed('{}', v_new);

  return query
    select (u.ordinality - 1)::integer, n.customer_id, n.step_id, n.interaction_start_timestamp, n.started_at,
           n.ended_at, n.duration_seconds
      from unnest(v_rows) with ordinality u
      join unnest(v_new) n on n.step_id = u.step_id
     order by u.ordinality;
end
$$;
comment on function cx.record_steps(jsonb) is
  'Records a batch of interaction steps, a JSON array of rows keyed by interaction_steps'' column names (started now, no details by default): checks that each names an existing interaction (DETAIL names the batch row), inserts them, and recomputes their interactions'' durations and escalation and the refresh buckets (cx_private.steps_changed). Returns each step''s key, times and duration by its position (0-based). Every writer records steps through it or through cx.ingest_staged.';

create function cx.end_steps(p_ends jsonb)
  returns table (ord integer, step_id uuid, started_at timestamptz, ended_at timestamptz, duration_seconds integer)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_new cx.interaction_steps[];
  v_now timestamptz := now();
begin
  if p_ends is null or jsonb_typeof(p_ends) <> 'array' then
    raise exception 'the step ends must be a JSON array of rows, got %', coalesce(jsonb_typeof(p_ends), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  -- one statement: Citus updates each customer's rows on its shard
  with ends as (
    select (e.ord - 1)::integer as ord, (e.value ->> 'customer_id')::uuid as customer_id,
           (e.value ->> 'step_id')::uuid as step_id,
           (e.value ->> 'interaction_start_timestamp')::timestamptz as interaction_start_timestamp,
           coalesce((e.value ->> 'ended_at')::timestamptz, v_now) as ended_at, e.value ->> 'step_outcome' as step_outcome
      from jsonb_array_elements(p_ends) with ordinality e(value, ord)
  ),
  ended as (
    update cx.interaction_steps s
       set ended_at = e.ended_at, step_outcome = coalesce(e.step_outcome, s.step_outcome)
      from ends e
     where s.customer_id = e.customer_id and s.step_id = e.step_id
       and s.interaction_start_timestamp = e.interaction_start_timestamp
    returning s.*
  )
  select array_agg(x::cx.interaction_steps) into v_new from ended x;
  if v_new is null then
    return;
  end if;
  -- an end changes no step's type, agent, start or interaction: the rows before count as these
  perform cx_private.steps_changed(v_new, v_new);

  return query
    select (e.ord - 1)::integer, n.step_id, n.started_at, n.ended_at, n.duration_seconds
      from jsonb_array_elements(p_ends) with ordinality e(value, ord)
      join unnest(v_new) n
        on n.customer_id = (e.value ->> 'customer_id')::uuid and n.step_id = (e.value ->> 'step_id')::uuid
     order by e.ord;
end
$$;
comment on function cx.end_steps(jsonb) is
  'Ends a batch of steps, a JSON array of {customer_id, step_id, interaction_start_timestamp, ended_at (now by default), step_outcome (kept by default)}, and recomputes their interactions'' durations and the refresh buckets (cx_private.steps_changed). Returns the steps it found, each by its position (0-based); a step not found is left out.';

create function cx.delete_steps(p_customer_ids uuid[], p_step_ids uuid[], p_interaction_start_timestamps timestamptz[])
  returns table (ord integer, step_id uuid)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_old cx.interaction_steps[];
begin
  with gone as (
    delete from cx.interaction_steps s
     using unnest(p_customer_ids, p_step_ids, p_interaction_start_timestamps) k(customer_id, step_id, interaction_start_timestamp)
     where s.customer_id = k.customer_id and s.step_id = k.step_id
       and s.interaction_start_timestamp = k.interaction_start_timestamp
    returning s.*
  )
  select array_agg(g::cx.interaction_steps) into v_old from gone g;
  if v_old is null then
    return;
  end if;
  perform cx_private.steps_changed(v_old, '{}');
  return query
    select (k.ord - 1)::integer, k.step_id
      from unnest(p_step_ids) with ordinality k(step_id, ord)
     where k.step_id in (select o.step_id from unnest(v_old) o)
     order by k.ord;
end
$$;
comment on function cx.delete_steps(uuid[], uuid[], timestamptz[]) is
  'Deletes the steps named by their keys (one element per step in each array) and recomputes their interactions'' durations and the refresh buckets (cx_private.steps_changed); refuses deleting the queue or human steps of an escalated interaction. Returns the steps it deleted, each by its position (0-based).';

-- deleting or re-keying interactions moves their steps through the steps' rules
create or replace function cx_private.tg_customer_interactions__cascade_dependents() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_moved cx_private.interaction_key[];
  v_shared uuid;
  v_outcome_buckets cx_private.metric_bucket[];
  v_steps cx.interaction_steps[];
begin
  if tg_op = 'TRUNCATE' then
    truncate cx.interaction_steps, cx.interaction_outcomes, cx.interaction_external_refs;
    update cx.customer_feedback set interaction_id = null, interaction_start_timestamp = null
     where interaction_id is not null;
    update cx.journey_touchpoints set interaction_id = null, interaction_start_timestamp = null
     where interaction_id is not null;
  elsif tg_op = 'DELETE' then
    with gone as (
      delete from cx.interaction_steps s
       using old_rows o
       where s.customer_id = o.customer_id and s.interaction_id = o.interaction_id
         and s.interaction_start_timestamp = o.start_timestamp
      returning s.*
    )
    select array_agg(g::cx.interaction_steps) into v_steps from gone g;
    -- their agents' days (their interactions are gone: nothing else to recompute)
    if v_steps is not null then
      perform cx_private.steps_changed(v_steps, '{}');
    end if;
    with gone as (
      delete from cx.interaction_outcomes x
       using old_rows o
       where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
         and x.interaction_start_timestamp = o.start_timestamp
      returning x.recorded_at, o.channel_id
    ),
    zone as materialized (select cx_private.reporting_zone() as zone)
    select array_agg(distinct ('outcome', cx_private.day_in_zone(g.recorded_at, z.zone), g.channel_id)::cx_private.metric_bucket)
      into v_outcome_buckets
      from gone g cross join zone z;
    if v_outcome_buckets is not null then
      perform cx_private.log_metric_buckets(v_outcome_buckets);
    end if;
    delete from cx.interaction_external_refs x
     using old_rows o
     where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
       and x.start_timestamp = o.start_timestamp;
    update cx.customer_feedback x
       set interaction_id = null, interaction_start_timestamp = null
      from old_rows o
     where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
       and x.interaction_start_timestamp = o.start_timestamp;
    update cx.journey_touchpoints x
       set interaction_id = null, interaction_start_timestamp = null
      from old_rows o
     where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
       and x.interaction_start_timestamp = o.start_timestamp;
  else
    -- the rows whose key is gone after the statement: their customer_id or start_timestamp changed
    select array_agg((o.customer_id, o.interaction_id, o.start_timestamp)::cx_private.interaction_key)
      into v_moved
      from old_rows o
     where not exists (
             select 1 from new_rows n
              where n.customer_id = o.customer_id and n.interaction_id = o.interaction_id
                and n.start_timestamp = o.start_timestamp);
    if v_moved is null then
      return null;
    end if;
    -- interaction_id cannot change, so it pairs an old row with its new row, if no other row of
    -- the statement has it
    select o.interaction_id into v_shared
      from old_rows o
     where o.interaction_id in (select m.interaction_id from unnest(v_moved) m)
     group by o.interaction_id
    having count(*) > 1
     limit 1;
    if found then
      raise exception 'interactions sharing interaction_id % cannot change customer_id or start_timestamp in one statement', v_shared
        using errcode = 'check_violation', column = 'interaction_id',
              constraint = 'customer_interactions_interaction_id_shared';
    end if;
    with moved as (
      update cx.interaction_steps x
         set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
        from unnest(v_moved) m
        join new_rows n on n.interaction_id = m.interaction_id
       where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
         and x.interaction_start_timestamp = m.start_timestamp
      returning x.*
    )
    select array_agg(m::cx.interaction_steps) into v_steps from moved m;
    -- a moved step keeps its type, agent and start: as new steps of the new key they log the same
    -- agent days and the new interaction's channel day (the old one is gone)
    if v_steps is not null then
      perform cx_private.steps_changed('{}', v_steps);
    end if;
    update cx.interaction_outcomes x
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join new_rows n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.interaction_start_timestamp = m.start_timestamp;
    update cx.interaction_external_refs x
       set customer_id = n.customer_id, start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join new_rows n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.start_timestamp = m.start_timestamp;
    update cx.customer_feedback x
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join new_rows n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.interaction_start_timestamp = m.start_timestamp;
    update cx.journey_touchpoints x
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join new_rows n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.interaction_start_timestamp = m.start_timestamp;
  end if;
  return null;
end
$$;

-- the staged path logs its steps' agent days itself: the steps have no trigger to do it
create or replace function cx_private.ingest_staged_batch()
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz, duplicate boolean,
                 conflicting boolean)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_replication_role text := current_setting('session_replication_role');
  v_direct boolean := coalesce(current_setting('carepulse.ingest_direct', true), '') <> 'off';
  v_refused record;
  v_zone text;
  v_history cx_private.history_change[];
  v_fcr cx_private.fcr_key[];
  v_customers uuid[];
  v_sessions uuid[];
  v_buckets cx_private.metric_bucket[];
  v_staged bigint;
  v_inserted bigint;
begin
  -- fresh temporary tables have no statistics: with them, the joins below fit a batch's size
  analyze pg_temp.ingest_interactions;
  analyze pg_temp.ingest_steps;

  /*
   * A replay (its source reference already recorded, or earlier in this batch) is skipped: the
   * first write wins, which is what makes re-sending safe. One that differs from what was kept
   * (another end, status, agent, steps...) is reported apart as conflicting, so a source that
   * re-sends corrected data finds out. Its key is the kept interaction's.
   */
  -- each staged interaction with a source reference, its steps as one comparable value
  drop table if exists pg_temp.ingest_step_signatures;
  create temporary table ingest_step_signatures on commit drop as
    select x.ord, array_agg(x.step order by x.step) as steps
      from (select st.interaction_ord as ord,
                   (st.step_type, st.agent_id, st.started_at, st.ended_at, st.kb_article_id, st.step_outcome)::text as step
              from pg_temp.ingest_steps st
              join pg_temp.ingest_interactions s on s.ord = st.interaction_ord
             where s.source_system is not null) x
     -- a batch without source references (a backfill, the simulator) has no replays to compare
     where exists (select 1 from pg_temp.ingest_interactions s where s.source_system is not null)
     group by x.ord;
  drop table if exists pg_temp.ingest_duplicates;
  create temporary table ingest_duplicates on commit drop as
    select s.ord, r.customer_id, r.interaction_id, r.start_timestamp, null::integer as first_ord,
           (s.customer_id, s.start_timestamp, s.end_timestamp, s.channel_id, s.interaction_type_id, s.initial_mode,
            s.status, s.resolution_status, s.session_id, s.primary_agent_id, s.escalation_reason, s.error_code,
            s.device_type, s.language_code, s.customer_intent, s.sentiment_score, s.interaction_value, s.revenue_impact)
             is distinct from
           (ci.customer_id, ci.start_timestamp, ci.end_timestamp, ci.channel_id, ci.interaction_type_id, ci.initial_mode,
            ci.status, ci.resolution_status, ci.session_id, ci.primary_agent_id, ci.escalation_reason, ci.error_code,
            ci.device_type, ci.language_code, ci.customer_intent, ci.sentiment_score, ci.interaction_value, ci.revenue_impact)
           or (s.interaction_id is not null and s.interaction_id <> r.interaction_id)
           or (s.escalated_to_human and not ci.escalated_to_human)
           or (s.cost_to_serve is not null and s.cost_to_serve is distinct from ci.cost_to_serve)
           or coalesce(sig.steps, '{}') is distinct from coalesce(kept.steps, '{}') as conflicting
      from pg_temp.ingest_interactions s
      join cx.interaction_external_refs r
        on r.source_system = s.source_system and r.external_reference = s.external_reference
      left join cx.customer_interactions ci
        on ci.customer_id = r.customer_id and ci.interaction_id = r.interaction_id and ci.start_timestamp = r.start_timestamp
      left join pg_temp.ingest_step_signatures sig on sig.ord = s.ord
      cross join lateral (
        select array_agg(x.step order by x.step) as steps
          from (select (st.step_type, st.agent_id, st.started_at, st.ended_at, st.kb_article_id, st.step_outcome)::text as step
                  from cx.interaction_steps st
                 where st.customer_id = r.customer_id and st.interaction_id = r.interaction_id
                   and st.interaction_start_timestamp = r.start_timestamp) x
      ) kept;
  -- a reference repeated within the batch: the first occurrence is the one kept
  insert into pg_temp.ingest_duplicates (ord, first_ord, conflicting)
  select s.ord, f.ord,
         (s.customer_id, s.start_timestamp, s.end_timestamp, s.channel_id, s.interaction_type_id, s.initial_mode,
          s.status, s.resolution_status, s.session_id, s.primary_agent_id, s.escalated_to_human, s.escalation_reason,
          s.error_code, s.device_type, s.language_code, s.customer_intent, s.sentiment_score, s.interaction_value,
          s.revenue_impact, s.cost_to_serve, s.interaction_id)
           is distinct from
         (f.customer_id, f.start_timestamp, f.end_timestamp, f.channel_id, f.interaction_type_id, f.initial_mode,
          f.status, f.resolution_status, f.session_id, f.primary_agent_id, f.escalated_to_human, f.escalation_reason,
          f.error_code, f.device_type, f.language_code, f.customer_intent, f.sentiment_score, f.interaction_value,
          f.revenue_impact, f.cost_to_serve, f.interaction_id)
         or coalesce(s_sig.steps, '{}') is distinct from coalesce(f_sig.steps, '{}')
    from (select i.*, min(i.ord) over (partition by i.source_system, i.external_reference) as first_ord
            from pg_temp.ingest_interactions i
           where i.source_system is not null) s
    join pg_temp.ingest_interactions f on f.ord = s.first_ord
    left join pg_temp.ingest_step_signatures s_sig on s_sig.ord = s.ord
    left join pg_temp.ingest_step_signatures f_sig on f_sig.ord = f.ord
   where s.ord <> s.first_ord
     and not exists (select 1 from pg_temp.ingest_duplicates d where d.ord = s.ord);
  delete from pg_temp.ingest_interactions s using pg_temp.ingest_duplicates d where d.ord = s.ord;
  -- the duplicates' steps are never inserted
  delete from pg_temp.ingest_steps st using pg_temp.ingest_duplicates d where d.ord = st.interaction_ord;

  update pg_temp.ingest_interactions s
     set interaction_id = cx.uuid_generate_v7(s.start_timestamp)
   where s.interaction_id is null;
  update pg_temp.ingest_duplicates d
     set customer_id = s.customer_id, interaction_id = s.interaction_id, start_timestamp = s.start_timestamp
    from pg_temp.ingest_interactions s
   where s.ord = d.first_ord;

  -- every reference of the batch, on every path, before anything is written
  perform cx_private.require_staged_references('ingest_interactions', 'customer_id', 'cx.customers', 'customer_id',
    'customer_interactions_customer_missing', 'customer');
  perform cx_private.require_staged_references('ingest_interactions', 'channel_id', 'cx.channels', 'channel_id',
    'customer_interactions_channel_id_fkey', 'channel');
  perform cx_private.require_staged_references('ingest_interactions', 'interaction_type_id', 'cx.interaction_types',
    'interaction_type_id', 'customer_interactions_interaction_type_id_fkey', 'interaction type');
  perform cx_private.require_staged_references('ingest_interactions', 'primary_agent_id', 'cx.agents', 'agent_id',
    'customer_interactions_primary_agent_id_fkey', 'agent');
  perform cx_private.require_staged_references('ingest_steps', 'agent_id', 'cx.agents', 'agent_id',
    'interaction_steps_agent_id_fkey', 'agent');
  perform cx_private.require_staged_references('ingest_steps', 'kb_article_id', 'cx.knowledge_base', 'article_id',
    'interaction_steps_kb_article_id_fkey', 'knowledge-base article');
  -- a session belongs to its customer: the key is the pair
  perform 1
    from (select js.customer_id, js.session_id
            from cx.customer_journey_sessions js
           where (js.customer_id, js.session_id) in
                 (select s.customer_id, s.session_id from pg_temp.ingest_interactions s where s.session_id is not null)
           order by js.customer_id, js.session_id
             for key share of js) locked;
  select s.ord, s.customer_id, s.session_id into v_refused
    from pg_temp.ingest_interactions s
   where s.session_id is not null
     and not exists (select 1 from cx.customer_journey_sessions js
                      where js.customer_id = s.customer_id and js.session_id = s.session_id)
   order by s.ord
   limit 1;
  if found then
    raise exception 'session_id % does not name a journey session of customer %', v_refused.session_id, v_refused.customer_id
      using errcode = 'foreign_key_violation', column = 'session_id', constraint = 'customer_interactions_session_id_fkey',
            detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;
  -- the window of accepted times and the agents' kinds on steps (their triggers are off on the
  -- direct path, and this names the batch row)
  perform cx_private.require_staged_inputs();
  -- the interaction's totals are summed from its steps before the steps' own rules run: a step
  -- that ends before it starts would otherwise be reported as a negative bot_duration_seconds
  select st.interaction_ord, st.step_ord into v_refused
    from pg_temp.ingest_steps st
   where st.ended_at < st.started_at
   order by st.interaction_ord, st.step_ord
   limit 1;
  if found then
    raise exception 'ended_at must not be before started_at'
      using errcode = 'check_violation', column = 'ended_at',
            constraint = 'interaction_steps_ended_at_not_before_started_at',
            detail = cx_private.staged_row_position(v_refused.interaction_ord, v_refused.step_ord);
  end if;

  select min(s.start_timestamp), max(s.start_timestamp), count(*) into v_from, v_to, v_staged
    from pg_temp.ingest_interactions s;
  if v_from is not null then
    perform cx.ensure_partitions(v_from, v_to);
  end if;

  if v_direct then
    begin
      perform set_config('session_replication_role', 'replica', true);
    exception when insufficient_privilege then
      v_direct := false;
    end;
  end if;
  v_zone := cx_private.reporting_zone();

  -- the rules of tg_customer_interactions__apply_rules and the step totals of
  -- recompute_step_totals, for the whole batch
  with inserted as (
    insert into cx.customer_interactions
      (customer_id, interaction_id, start_timestamp, end_timestamp, channel_id, interaction_type_id, initial_mode,
       interaction_mode, status, resolution_status, session_id, primary_agent_id, escalated_to_human, escalation_reason,
       escalation_timestamp, bot_duration_seconds, human_duration_seconds, queue_time_seconds, wrap_up_seconds,
       error_code, device_type, language_code, customer_intent, sentiment_score, interaction_value, revenue_impact,
       cost_to_serve, cost_to_serve_source, first_contact_resolution, region)
    select s.customer_id, s.interaction_id, s.start_timestamp, s.end_timestamp, s.channel_id, s.interaction_type_id,
           s.initial_mode, cx_private.interaction_mode_for(s.initial_mode, d.escalated), s.status, s.resolution_status,
           s.session_id, s.primary_agent_id, d.escalated, s.escalation_reason,
           case
             when not d.escalated or s.initial_mode not in ('bot', 'self_service', 'ivr') then null
             when t.first_human_or_queue is not null then t.first_human_or_queue
             else s.start_timestamp -- escalated by the source, without steps to show when
           end,
           d.bot_seconds, d.human_seconds, d.queue_seconds, d.wrap_up_seconds,
           s.error_code, s.device_type, s.language_code, s.customer_intent, s.sentiment_score, s.interaction_value,
           s.revenue_impact,
           coalesce(s.cost_to_serve, d.derived_cost),
           case when s.cost_to_serve is null or s.cost_to_serve = d.derived_cost then 'derived' else 'given' end,
           s.resolution_status = 'resolved',
           c.region
      from pg_temp.ingest_interactions s
      join cx.customers c on c.customer_id = s.customer_id
      left join cx.channels ch on ch.channel_id = s.channel_id
      left join (
        select st.interaction_ord,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type = 'bot')::integer as bot_seconds,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type in ('human', 'hold'))::integer as human_seconds,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type = 'queue')::integer as queue_seconds,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type = 'wrap_up')::integer as wrap_up_seconds,
               min(st.started_at) filter (where st.step_type in ('queue', 'human')) as first_human_or_queue
          from pg_temp.ingest_steps st
         group by st.interaction_ord
      ) t on t.interaction_ord = s.ord
     cross join lateral (
       select s.escalated_to_human or (s.initial_mode in ('bot', 'self_service', 'ivr') and t.first_human_or_queue is not null) as escalated,
              coalesce(t.bot_seconds, 0) as bot_seconds, coalesce(t.human_seconds, 0) as human_seconds,
              coalesce(t.queue_seconds, 0) as queue_seconds, coalesce(t.wrap_up_seconds, 0) as wrap_up_seconds,
              cx_private.cost_from_rates(ch.bot_cost_per_minute, ch.human_cost_per_minute,
                coalesce(t.bot_seconds, 0), coalesce(t.human_seconds, 0), coalesce(t.wrap_up_seconds, 0)) as derived_cost
     ) d
    returning customer_interactions.customer_id, customer_interactions.interaction_type_id,
              customer_interactions.start_timestamp, customer_interactions.session_id,
              customer_interactions.channel_id, customer_interactions.primary_agent_id,
              customer_interactions.status, customer_interactions.resolution_status,
              customer_interactions.escalated_to_human, customer_interactions.customer_satisfaction_score,
              customer_interactions.nps_score, customer_interactions.customer_effort_score
  )
  select array_agg((i.customer_id, 1, i.status = 'completed' and i.resolution_status = 'resolved', i.escalated_to_human,
                    i.customer_satisfaction_score, i.nps_score, i.customer_effort_score)::cx_private.history_change),
         array_agg((i.customer_id, i.interaction_type_id, i.start_timestamp)::cx_private.fcr_key),
         array_agg(i.customer_id) filter (where i.session_id is not null),
         array_agg(i.session_id) filter (where i.session_id is not null),
         array_agg(('channel', cx_private.day_in_zone(i.start_timestamp, v_zone), i.channel_id)::cx_private.metric_bucket)
           || array_agg(('agent', cx_private.day_in_zone(i.start_timestamp, v_zone), i.primary_agent_id)::cx_private.metric_bucket),
         count(*)
    into v_history, v_fcr, v_customers, v_sessions, v_buckets, v_inserted
    from inserted i;
  -- the references were checked and locked above, so the join to the customers keeps every row;
  -- should it ever not, the batch fails rather than report a row it did not store
  if v_inserted <> v_staged then
    raise exception 'ingest stored % of % staged interactions', v_inserted, v_staged
      using errcode = 'internal_error';
  end if;

  insert into cx.interaction_steps
    (customer_id, interaction_id, interaction_start_timestamp, step_type, agent_id, started_at, ended_at, kb_article_id, step_outcome)
  select s.customer_id, s.interaction_id, s.start_timestamp, st.step_type, st.agent_id, st.started_at, st.ended_at,
         st.kb_article_id, st.step_outcome
    from pg_temp.ingest_steps st
    join pg_temp.ingest_interactions s on s.ord = st.interaction_ord;

  insert into cx.interaction_external_refs (source_system, external_reference, customer_id, interaction_id, start_timestamp)
  select s.source_system, s.external_reference, s.customer_id, s.interaction_id, s.start_timestamp
    from pg_temp.ingest_interactions s
   where s.source_system is not null;

  if v_direct then
    -- what the statement triggers of customer_interactions and interaction_steps do after an
    -- insert. FCR first, triggers still off: its update trigger would take first_contact_resolution
    -- for a writer's (it is no one's to set), and the buckets it changed are logged below
    if v_fcr is not null then
      v_buckets := v_buckets || cx_private.recompute_first_contact_resolution(v_fcr);
    end if;
    perform set_config('session_replication_role', v_replication_role, true);
    if v_history is not null then
      perform cx_private.apply_customer_history(v_history);
    end if;
    if v_customers is not null then
      perform cx_private.recompute_journey_sessions(v_customers, v_sessions);
    end if;
    perform cx_private.log_metric_buckets(coalesce(v_buckets, '{}'));
  end if;
  -- the steps' agent days, on every path (the steps have no triggers of their own; the totals and
  -- the escalation were computed above, and the interactions' buckets cover their channel days)
  perform cx_private.log_metric_buckets(array(
    select ('agent', cx_private.day_in_zone(st.started_at, v_zone), st.agent_id)::cx_private.metric_bucket
      from pg_temp.ingest_steps st
     where st.agent_id is not null));

  return query
    select s.ord, s.customer_id, s.interaction_id, s.start_timestamp, false, false
      from pg_temp.ingest_interactions s
    union all
    select d.ord, d.customer_id, d.interaction_id, d.start_timestamp, true, d.conflicting
      from pg_temp.ingest_duplicates d
     order by 1;
  drop table pg_temp.ingest_duplicates;
  drop table pg_temp.ingest_step_signatures;
end
$$;

/*
 * The owner's repair after writing steps straight into the table: the interactions' durations and
 * escalation from their steps, and the steps' agent days for the refresh.
 */
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
  select array_agg((ci.customer_id, ci.interaction_id, ci.start_timestamp)::cx_private.interaction_key)
    into v_keys
    from cx.customer_interactions ci
   where ci.customer_id = any(p_customer_ids);
  if v_keys is not null then
    -- their durations and escalation from their steps (cx.record_steps, cx.end_steps, cx.delete_steps)
    perform cx_private.recompute_step_totals(v_keys);
    -- their CSAT, NPS and CES from their latest answers (cx.record_feedback)
    perform cx_private.recompute_interaction_scores(v_keys);
  end if;
  -- the days of the agents of their steps
  perform cx_private.log_metric_buckets(array(
    select distinct ('agent', cx_private.day_in_zone(s.started_at, v_zone), s.agent_id)::cx_private.metric_bucket
      from cx.interaction_steps s
     where s.customer_id = any(p_customer_ids) and s.agent_id is not null));
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
comment on function cx.recompute_derived(uuid[]) is
  'After the owner corrected rows straight in the tables: recomputes for the given customers what the write functions derive (the interactions'' durations and escalation from their steps, their scores from their latest feedback, their sessions'' counters) and logs their steps'' agent days and their outcome and journey buckets for the refresh. Returns how many interactions and outcome buckets it went over. A row the owner deleted leaves its bucket to cx.rebuild_daily_metrics().';
