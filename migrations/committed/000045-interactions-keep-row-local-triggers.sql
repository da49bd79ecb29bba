--! Previous: sha1:7757a8c774b749373aeded519c811abfb24f34da
--! Hash: sha1:6667758667269077da89b9fc4ffcf90a29d65471
--! Message: Interactions keep row-local triggers

--! split: 0100-interactions-keep-row-local-triggers.sql
/*
 * Every writer of interactions now goes through their write functions (cx.record_interactions,
 * cx.correct_interactions, cx.end_interactions, cx.delete_interactions, cx.ingest_staged, and the
 * functions that recompute derived columns), and each hands the rows before and after to
 * cx_private.interactions_changed: the statement trigger that did so goes. What the BEFORE trigger
 * read from other tables (the customer's region, the channel's rates for the derived cost) and its
 * guard of first_contact_resolution move into the write functions; it keeps the rules a row decides
 * from its own columns, which run on Citus's shards (issue 15). The bulk path loses its direct path:
 * with no trigger to switch off it needs no session_replication_role, so no superuser.
 */
drop trigger if exists _300_changed_after_delete on cx.customer_interactions;
drop trigger if exists _300_changed_after_insert on cx.customer_interactions;
drop trigger if exists _300_changed_after_update on cx.customer_interactions;
drop function if exists cx_private.tg_customer_interactions__changed();

create or replace function cx_private.tg_customer_interactions__apply_rules() returns trigger
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_mode text;
begin
  if tg_op = 'INSERT' then
    new.initial_mode := coalesce(new.initial_mode, new.interaction_mode);
  else
    if new.interaction_id is distinct from old.interaction_id then
      raise exception 'interaction_id of interaction % cannot change to %', old.interaction_id, new.interaction_id
        using errcode = 'check_violation', column = 'interaction_id',
              constraint = 'customer_interactions_interaction_id_fixed';
    end if;
    if old.escalated_to_human and not new.escalated_to_human then
      raise exception 'interaction % was escalated to a human; escalated_to_human cannot be set back to false', old.interaction_id
        using errcode = 'check_violation', column = 'escalated_to_human',
              constraint = 'customer_interactions_escalation_irreversible';
    end if;
    if new.initial_mode is distinct from old.initial_mode then
      raise exception 'initial_mode of interaction % is %, and cannot change to %', old.interaction_id, old.initial_mode, new.initial_mode
        using errcode = 'check_violation', column = 'initial_mode',
              constraint = 'customer_interactions_initial_mode_fixed';
    end if;
  end if;

  if new.escalated_to_human and new.escalation_timestamp is null and new.initial_mode in ('bot', 'self_service', 'ivr') then
    new.escalation_timestamp := case
      when tg_op = 'INSERT' then new.start_timestamp
      else greatest(new.start_timestamp, least(clock_timestamp(), coalesce(new.end_timestamp, 'infinity')))
    end;
  end if;

  v_mode := cx_private.interaction_mode_for(new.initial_mode, new.escalated_to_human);
  if (tg_op = 'INSERT' and new.interaction_mode is not null and new.interaction_mode not in (new.initial_mode, v_mode))
     or (tg_op = 'UPDATE' and new.interaction_mode is distinct from old.interaction_mode and new.interaction_mode <> v_mode) then
    raise exception 'interaction_mode % contradicts initial_mode % and escalated_to_human %: it would be %',
        new.interaction_mode, new.initial_mode, new.escalated_to_human, v_mode
      using errcode = 'check_violation', column = 'interaction_mode',
            constraint = 'customer_interactions_interaction_mode_consistent';
  end if;
  new.interaction_mode := v_mode;
  return new;
end
$$;

comment on function cx_private.tg_customer_interactions__apply_rules() is
  'BEFORE INSERT or UPDATE on customer_interactions, the rules a row decides from its own columns: interaction_id and initial_mode fixed, an escalation never undone, interaction_mode from initial_mode and the escalation, escalation_timestamp when an escalation gives none. The region, the derived cost and first contact resolution are the write functions''.';

--! split: 0200-writing-interactions.sql
drop function if exists cx_private.write_interactions(cx_private.interaction_change[]);
drop function if exists cx_private.lock_interaction_rows(cx_private.interaction_key[]);
drop function if exists cx_private.with_derived_costs(cx.customer_interactions[]);
drop type if exists cx_private.interaction_change;

create type cx_private.interaction_change as (old_row cx.customer_interactions, new_row cx.customer_interactions);
comment on type cx_private.interaction_change is
  'An interaction as it is (old_row) and as a write function means it to be (new_row).';

create function cx_private.lock_interaction_rows(p_keys cx_private.interaction_key[])
  returns cx.customer_interactions[]
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_rows cx.customer_interactions[] := '{}';
  v_customer uuid;
begin
  -- FOR NO KEY UPDATE in key order, so writers of the same interactions queue and never deadlock;
  -- Citus locks only what an equality on customer_id names: one customer at a time there
  if cx_private.distributed('cx.customer_interactions') then
    for v_customer in select distinct k.customer_id from unnest(p_keys) k order by 1 loop
      v_rows := v_rows || array(
        select l.r from (
          select ci::cx.customer_interactions as r, ci.interaction_id, ci.start_timestamp
            from cx.customer_interactions ci
           where ci.customer_id = v_customer
             and (ci.interaction_id, ci.start_timestamp) in
                 (select k.interaction_id, k.start_timestamp from unnest(p_keys) k where k.customer_id = v_customer)
           order by ci.interaction_id, ci.start_timestamp
             for no key update of ci) l);
    end loop;
  else
    select coalesce(array_agg(l.r), '{}') into v_rows
      from (select ci::cx.customer_interactions as r
              from cx.customer_interactions ci
             where (ci.customer_id, ci.interaction_id, ci.start_timestamp) in
                   (select k.customer_id, k.interaction_id, k.start_timestamp from unnest(p_keys) k)
             order by ci.customer_id, ci.interaction_id, ci.start_timestamp
               for no key update of ci) l;
  end if;
  return v_rows;
end
$$;

comment on function cx_private.lock_interaction_rows(cx_private.interaction_key[]) is
  'Locks the named interactions FOR NO KEY UPDATE, in key order (one customer at a time where Citus distributes them), and returns them as they are; a key that names nothing is left out.';

create function cx_private.with_derived_costs(p_rows cx.customer_interactions[])
  returns cx.customer_interactions[]
  language sql stable
  set search_path = pg_catalog
  as $$
    select coalesce(array_agg(
             case when r.cost_to_serve_source = 'derived'
                  then jsonb_populate_record(r, jsonb_build_object('cost_to_serve', cx_private.cost_from_rates(
                         ch.bot_cost_per_minute, ch.human_cost_per_minute, r.bot_duration_seconds,
                         r.human_duration_seconds, r.wrap_up_seconds)))
                  else r end), '{}')
      from unnest(p_rows) r
      left join cx.channels ch on ch.channel_id = r.channel_id
  $$;

comment on function cx_private.with_derived_costs(cx.customer_interactions[]) is
  'The rows with cost_to_serve derived from their channel''s rates and their bot, human and wrap-up seconds where cost_to_serve_source is derived (cx.derived_cost_to_serve''s formula); rows with a given cost unchanged. Order is not kept.';

create function cx_private.write_interactions(p_changes cx_private.interaction_change[])
  returns cx.customer_interactions[]
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_changes cx_private.interaction_change[];
  v_new cx.customer_interactions[];
  v_old cx.customer_interactions[];
  v_written cx.customer_interactions[];
begin
  -- a cost a writer changes is theirs (given); set to null it is derived again. Every derived cost
  -- follows the row's durations and channel
  select array_agg(case when (x.new_row).cost_to_serve is distinct from (x.old_row).cost_to_serve
                        then jsonb_populate_record(x.new_row, jsonb_build_object('cost_to_serve_source',
                               case when (x.new_row).cost_to_serve is null then 'derived' else 'given' end))
                        else x.new_row end)
    into v_new
    from unnest(p_changes) x;
  v_new := cx_private.with_derived_costs(v_new);
  -- paired again by the key each row is to have (a batch names an interaction once)
  select array_agg((x.old_row, d)::cx_private.interaction_change) into v_changes
    from unnest(p_changes) x
    join unnest(v_new) d
      on d.customer_id = (x.new_row).customer_id and d.interaction_id = (x.new_row).interaction_id
     and d.start_timestamp = (x.new_row).start_timestamp
   where d is distinct from x.old_row;
  if v_changes is null then
    return '{}';
  end if;

  with written as (
    update cx.customer_interactions ci
       set (customer_id, start_timestamp, end_timestamp, queue_time_seconds, channel_id, interaction_type_id,
            session_id, parent_interaction_id, parent_start_timestamp, status, resolution_status, error_code,
            device_type, operating_system, app_version, browser, connection_type, screen_resolution, client_info,
            primary_agent_id, secondary_agent_id, supervisor_agent_id, initial_mode, interaction_mode,
            bot_duration_seconds, human_duration_seconds, wrap_up_seconds, escalated_to_human, escalation_reason,
            escalation_timestamp, customer_satisfaction_score, customer_effort_score, nps_score,
            first_contact_resolution, interaction_value, cost_to_serve, cost_to_serve_source, revenue_impact,
            customer_intent, sentiment_score, language_code, region)
         = ((c.new_row).customer_id, (c.new_row).start_timestamp, (c.new_row).end_timestamp,
            (c.new_row).queue_time_seconds, (c.new_row).channel_id, (c.new_row).interaction_type_id,
            (c.new_row).session_id, (c.new_row).parent_interaction_id, (c.new_row).parent_start_timestamp,
            (c.new_row).status, (c.new_row).resolution_status, (c.new_row).error_code, (c.new_row).device_type,
            (c.new_row).operating_system, (c.new_row).app_version, (c.new_row).browser,
            (c.new_row).connection_type, (c.new_row).screen_resolution, (c.new_row).client_info,
            (c.new_row).primary_agent_id, (c.new_row).secondary_agent_id, (c.new_row).supervisor_agent_id,
            (c.new_row).initial_mode, (c.new_row).interaction_mode, (c.new_row).bot_duration_seconds,
            (c.new_row).human_duration_seconds, (c.new_row).wrap_up_seconds, (c.new_row).escalated_to_human,
            (c.new_row).escalation_reason, (c.new_row).escalation_timestamp,
            (c.new_row).customer_satisfaction_score, (c.new_row).customer_effort_score, (c.new_row).nps_score,
            (c.new_row).first_contact_resolution, (c.new_row).interaction_value, (c.new_row).cost_to_serve,
            (c.new_row).cost_to_serve_source, (c.new_row).revenue_impact, (c.new_row).customer_intent,
            (c.new_row).sentiment_score, (c.new_row).language_code, (c.new_row).region)
      from unnest(v_changes) c
     where ci.customer_id = (c.old_row).customer_id and ci.interaction_id = (c.old_row).interaction_id
       and ci.start_timestamp = (c.old_row).start_timestamp
    returning ci.*
  )
  select array_agg(w::cx.customer_interactions) into v_written from written w;
  select array_agg(c.old_row) into v_old from unnest(v_changes) c;
  perform cx_private.interactions_changed(v_old, coalesce(v_written, '{}'));
  return coalesce(v_written, '{}');
end
$$;

comment on function cx_private.write_interactions(cx_private.interaction_change[]) is
  'Writes interactions as the write functions mean them (each change: the row as it is, locked, and as it should be): a changed cost_to_serve becomes given (null: derived again), a derived cost follows the durations and the channel, only rows that change are updated, and their consequences are applied (cx_private.interactions_changed). Returns the rows as written.';

--! split: 0300-recomputed-columns-are-written-too.sql
/*
 * The step totals and the scores are derived columns the write functions of steps and feedback
 * recompute: they go through cx_private.write_interactions like any other change, so their cost,
 * history and buckets follow.
 */
create or replace function cx_private.recompute_step_totals(p_keys cx_private.interaction_key[]) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_changes cx_private.interaction_change[];
begin
  with locked as (
    select l as r
      from unnest(cx_private.lock_interaction_rows(array(select distinct k from unnest(p_keys) k))) l
  ),
  totals as (
    select (x.r).customer_id, (x.r).interaction_id, (x.r).start_timestamp,
           coalesce(sum(s.duration_seconds) filter (where s.step_type = 'bot'), 0)::integer as bot_seconds,
           coalesce(sum(s.duration_seconds) filter (where s.step_type in ('human', 'hold')), 0)::integer as human_seconds,
           coalesce(sum(s.duration_seconds) filter (where s.step_type = 'queue'), 0)::integer as queue_seconds,
           coalesce(sum(s.duration_seconds) filter (where s.step_type = 'wrap_up'), 0)::integer as wrap_up_seconds,
           min(s.started_at) filter (where s.step_type in ('queue', 'human')) as first_human_or_queue
      from locked x
      left join cx.interaction_steps s
        on s.customer_id = (x.r).customer_id and s.interaction_id = (x.r).interaction_id
       and s.interaction_start_timestamp = (x.r).start_timestamp
     group by 1, 2, 3
  )
  select array_agg((x.r, jsonb_populate_record(x.r, jsonb_build_object(
           'bot_duration_seconds', t.bot_seconds, 'human_duration_seconds', t.human_seconds,
           'queue_time_seconds', t.queue_seconds, 'wrap_up_seconds', t.wrap_up_seconds,
           -- a bot session that reached a queue or a human escalated then
           'escalated_to_human', (x.r).escalated_to_human or h.reached_human,
           'escalation_timestamp', case when h.reached_human then t.first_human_or_queue
                                        else (x.r).escalation_timestamp end)))::cx_private.interaction_change)
    into v_changes
    from locked x
    join totals t
      on t.customer_id = (x.r).customer_id and t.interaction_id = (x.r).interaction_id
     and t.start_timestamp = (x.r).start_timestamp
   cross join lateral (select (x.r).initial_mode in ('bot', 'self_service', 'ivr') and t.first_human_or_queue is not null
                         as reached_human) h;
  if v_changes is not null then
    perform cx_private.write_interactions(v_changes);
  end if;
end
$$;

comment on function cx_private.recompute_step_totals(cx_private.interaction_key[]) is
  'Recomputes bot, human (+hold), queue and wrap-up seconds and the escalation of the given interactions from all their steps, and writes those that change through cx_private.write_interactions (cost, history and buckets follow).';

create or replace function cx_private.recompute_interaction_scores(p_keys cx_private.interaction_key[]) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_changes cx_private.interaction_change[];
begin
  select array_agg((x.r, jsonb_populate_record(x.r, jsonb_build_object(
           'customer_satisfaction_score', l.csat, 'nps_score', l.nps, 'customer_effort_score', l.ces)))::cx_private.interaction_change)
    into v_changes
    from (select l as r
            from unnest(cx_private.lock_interaction_rows(array(
                   select distinct k from unnest(p_keys) k where k.interaction_id is not null))) l) x
   cross join lateral (
     select (select f.csat_score from cx.customer_feedback f
              where f.customer_id = (x.r).customer_id and f.interaction_id = (x.r).interaction_id
                and f.interaction_start_timestamp = (x.r).start_timestamp and f.csat_score is not null
              order by f.submitted_at desc, f.feedback_id desc limit 1) as csat,
            (select f.nps_score from cx.customer_feedback f
              where f.customer_id = (x.r).customer_id and f.interaction_id = (x.r).interaction_id
                and f.interaction_start_timestamp = (x.r).start_timestamp and f.nps_score is not null
              order by f.submitted_at desc, f.feedback_id desc limit 1) as nps,
            (select f.ces_score from cx.customer_feedback f
              where f.customer_id = (x.r).customer_id and f.interaction_id = (x.r).interaction_id
                and f.interaction_start_timestamp = (x.r).start_timestamp and f.ces_score is not null
              order by f.submitted_at desc, f.feedback_id desc limit 1) as ces
   ) l;
  if v_changes is not null then
    perform cx_private.write_interactions(v_changes);
  end if;
end
$$;

comment on function cx_private.recompute_interaction_scores(cx_private.interaction_key[]) is
  'Sets each given interaction''s CSAT, NPS and CES to the latest linked feedback that has each score, through cx_private.write_interactions (history and buckets follow).';

--! split: 0400-interaction-write-functions-apply-the-rules.sql
create or replace function cx.record_interactions(p_interactions jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.customer_interactions[];
  v_inserted cx.customer_interactions[];
  v_now timestamptz := now();
begin
  perform cx_private.require_batch_rows(p_interactions,
    array(select a.attname::text from pg_attribute a
           where a.attrelid = 'cx.customer_interactions'::regclass and a.attnum > 0 and not a.attisdropped
             and a.attgenerated = ''
             and a.attname not in ('first_contact_resolution', 'cost_to_serve_source', 'created_at', 'updated_at')
           order by a.attnum),
    'interactions');
  -- each row read with the table's type (a value of the wrong type is refused by its column);
  -- what a row leaves out takes the table's default, and its id is a version 7 UUID of its start
  select array_agg(jsonb_populate_record(null::cx.customer_interactions,
                     jsonb_build_object('start_timestamp', v_now, 'status', 'active', 'resolution_status', 'pending',
                                        'client_info', '{}'::jsonb, 'queue_time_seconds', 0, 'bot_duration_seconds', 0,
                                        'human_duration_seconds', 0, 'wrap_up_seconds', 0, 'escalated_to_human', false)
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('created_at', v_now, 'updated_at', v_now,
                                           'cost_to_serve_source', case when e.value ->> 'cost_to_serve' is null
                                                                        then 'derived' else 'given' end,
                                           'interaction_id', coalesce(e.value ->> 'interaction_id', cx.uuid_generate_v7(
                                             coalesce((e.value ->> 'start_timestamp')::timestamptz, v_now))::text)))
                   order by e.ord)
    into v_rows
    from jsonb_array_elements(p_interactions) with ordinality e(value, ord);
  if v_rows is null then
    return;
  end if;

  perform cx_private.require_batch_references(array(select u.customer_id from unnest(v_rows) u),
    'cx.customers', 'customer_id', 'customer_id', 'customer_interactions_customer_missing', 'customer');
  perform cx_private.require_batch_references(array(select u.channel_id from unnest(v_rows) u),
    'cx.channels', 'channel_id', 'channel_id', 'customer_interactions_channel_id_fkey', 'channel');
  perform cx_private.require_batch_references(array(select u.interaction_type_id from unnest(v_rows) u),
    'cx.interaction_types', 'interaction_type_id', 'interaction_type_id',
    'customer_interactions_interaction_type_id_fkey', 'interaction type');
  perform cx_private.require_batch_references(array(select u.primary_agent_id from unnest(v_rows) u),
    'cx.agents', 'agent_id', 'primary_agent_id', 'customer_interactions_primary_agent_id_fkey', 'agent');

  with inserted as (
    insert into cx.customer_interactions
      (customer_id, interaction_id, start_timestamp, end_timestamp, queue_time_seconds, channel_id,
       interaction_type_id, session_id, parent_interaction_id, parent_start_timestamp, status, resolution_status,
       error_code, device_type, operating_system, app_version, browser, connection_type, screen_resolution,
       client_info, primary_agent_id, secondary_agent_id, supervisor_agent_id, initial_mode, interaction_mode,
       bot_duration_seconds, human_duration_seconds, wrap_up_seconds, escalated_to_human, escalation_reason,
       escalation_timestamp, customer_satisfaction_score, customer_effort_score, nps_score,
       first_contact_resolution, interaction_value, cost_to_serve, cost_to_serve_source, revenue_impact,
       customer_intent, sentiment_score, language_code, region, created_at, updated_at)
    select u.customer_id, u.interaction_id, u.start_timestamp, u.end_timestamp, u.queue_time_seconds, u.channel_id,
           u.interaction_type_id, u.session_id, u.parent_interaction_id, u.parent_start_timestamp, u.status,
           u.resolution_status, u.error_code, u.device_type, u.operating_system, u.app_version, u.browser,
           u.connection_type, u.screen_resolution, u.client_info, u.primary_agent_id, u.secondary_agent_id,
           u.supervisor_agent_id, u.initial_mode, u.interaction_mode, u.bot_duration_seconds,
           u.human_duration_seconds, u.wrap_up_seconds, u.escalated_to_human, u.escalation_reason,
           u.escalation_timestamp, u.customer_satisfaction_score, u.customer_effort_score, u.nps_score,
           -- what it is while no repeat follows; interactions_changed recomputes the batch's and the
           -- earlier contacts it turns into repeats
           u.resolution_status = 'resolved', u.interaction_value, u.cost_to_serve, u.cost_to_serve_source,
           u.revenue_impact, u.customer_intent, u.sentiment_score, u.language_code,
           -- the customer's region unless the source knows the contact's own
           coalesce(u.region, c.region), u.created_at, u.updated_at
      from unnest(cx_private.with_derived_costs(v_rows)) u
      join cx.customers c on c.customer_id = u.customer_id
    returning customer_interactions.*
  )
  select array_agg(i::cx.customer_interactions) into v_inserted from inserted i;
  perform cx_private.interactions_changed('{}', v_inserted);

  return query
    select (u.ordinality - 1)::integer, i.customer_id, i.interaction_id, i.start_timestamp
      from unnest(v_rows) with ordinality u
      join unnest(v_inserted) i on i.interaction_id = u.interaction_id and i.customer_id = u.customer_id
     order by u.ordinality;
end
$$;

comment on function cx.record_interactions(jsonb) is
  'Records a batch of interactions, a JSON array of rows keyed by customer_interactions'' column names (started now, active and pending by default, the customer''s region unless given, the cost derived from the channel''s rates unless given; first_contact_resolution, cost_to_serve_source and the times written are the database''s): refuses an unknown field and a customer, channel, interaction type or primary agent that does not exist (DETAIL names the batch row), inserts them and applies their consequences (cx_private.interactions_changed). Returns each interaction''s key by its position (0-based). Every writer records interactions through it or through cx.ingest_staged.';

create or replace function cx.correct_interactions(p_corrections jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_fields text[] := array(
    select a.attname::text from pg_attribute a
     where a.attrelid = 'cx.customer_interactions'::regclass and a.attnum > 0 and not a.attisdropped
       and a.attgenerated = ''
       and a.attname not in ('interaction_id', 'first_contact_resolution', 'cost_to_serve_source', 'created_at', 'updated_at')
     order by a.attnum);
  v_refused record;
  v_changes cx_private.interaction_change[];
  v_ords integer[];
begin
  perform cx_private.require_batch_rows(p_corrections, array['customer_id', 'interaction_id', 'start_timestamp', 'set'],
                                        'corrections');
  select (e.ord - 1)::integer as ord, jsonb_typeof(e.value -> 'set') as kind, k.key
    into v_refused
    from jsonb_array_elements(p_corrections) with ordinality e(value, ord)
    left join lateral (select k.key from jsonb_object_keys(case when jsonb_typeof(e.value -> 'set') = 'object'
                                                                then e.value -> 'set' end) k(key)
                        where k.key <> all (v_fields) order by k.key limit 1) k on true
   where jsonb_typeof(e.value -> 'set') is distinct from 'object' or k.key is not null
   order by e.ord
   limit 1;
  if found and v_refused.key is null then
    raise exception 'set must be a JSON object of the columns to change, got %', coalesce(v_refused.kind, 'nothing')
      using errcode = 'invalid_parameter_value', column = 'set', detail = cx_private.staged_row_position(v_refused.ord, null);
  elsif found then
    raise exception '% is not a column a correction can set: the columns are %', v_refused.key, array_to_string(v_fields, ', ')
      using errcode = 'invalid_parameter_value', column = v_refused.key,
            detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;
  select (e.ord - 1)::integer as ord into v_refused
    from jsonb_array_elements(p_corrections) with ordinality e(value, ord)
   where e.value ->> 'customer_id' is null or e.value ->> 'interaction_id' is null or e.value ->> 'start_timestamp' is null
   order by e.ord
   limit 1;
  if found then
    raise exception 'a correction names its interaction by customer_id, interaction_id and start_timestamp'
      using errcode = 'not_null_violation', column = 'interaction_id', detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;
  perform cx_private.require_batch_interactions(
    array(select (e.value ->> 'customer_id')::uuid from jsonb_array_elements(p_corrections) with ordinality e(value, ord) order by e.ord),
    array(select (e.value ->> 'interaction_id')::uuid from jsonb_array_elements(p_corrections) with ordinality e(value, ord) order by e.ord),
    array(select (e.value ->> 'start_timestamp')::timestamptz from jsonb_array_elements(p_corrections) with ordinality e(value, ord) order by e.ord),
    'customer_interactions_missing');
  select b.ord into v_refused
    from (select (e.ord - 1)::integer as ord,
                 count(*) over (partition by e.value ->> 'customer_id', e.value ->> 'interaction_id',
                                             (e.value ->> 'start_timestamp')::timestamptz) as times
            from jsonb_array_elements(p_corrections) with ordinality e(value, ord)) b
   where b.times > 1
   order by b.ord
   limit 1;
  if found then
    raise exception 'an interaction is corrected once in a batch: join its corrections into one set'
      using errcode = 'unique_violation', column = 'interaction_id', detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;

  with batch as (
    select (e.ord - 1)::integer as ord, (e.value ->> 'customer_id')::uuid as customer_id,
           (e.value ->> 'interaction_id')::uuid as interaction_id,
           (e.value ->> 'start_timestamp')::timestamptz as start_timestamp, e.value -> 'set' as changes
      from jsonb_array_elements(p_corrections) with ordinality e(value, ord)
  ),
  locked as (
    select l as r
      from unnest(cx_private.lock_interaction_rows(array(
             select (b.customer_id, b.interaction_id, b.start_timestamp)::cx_private.interaction_key from batch b))) l
  )
  select array_agg((x.r, jsonb_populate_record(x.r, b.changes))::cx_private.interaction_change order by b.ord),
         array_agg(b.ord order by b.ord)
    into v_changes, v_ords
    from batch b
    join locked x
      on (x.r).customer_id = b.customer_id and (x.r).interaction_id = b.interaction_id
     and (x.r).start_timestamp = b.start_timestamp;
  perform cx_private.write_interactions(v_changes);

  return query
    select u.ord, (u.new_row).customer_id, (u.new_row).interaction_id, (u.new_row).start_timestamp
      from unnest(v_changes, v_ords) u(old_row, new_row, ord)
     order by u.ord;
end
$$;


create or replace function cx.end_interactions(p_ends jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz, end_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_refused record;
  v_changes cx_private.interaction_change[];
  v_ords integer[];
begin
  perform cx_private.require_batch_rows(p_ends,
    array['customer_id', 'interaction_id', 'start_timestamp', 'end_timestamp', 'status', 'resolution_status',
          'error_code', 'cost_to_serve', 'interaction_value', 'revenue_impact', 'sentiment_score', 'correction'],
    'ends');
  select (e.ord - 1)::integer as ord, f.field into v_refused
    from jsonb_array_elements(p_ends) with ordinality e(value, ord)
   cross join lateral (select f.field from unnest(array['customer_id', 'interaction_id', 'start_timestamp', 'status',
                                                        'resolution_status']) with ordinality f(field, pos)
                        where e.value ->> f.field is null order by f.pos limit 1) f
   order by e.ord
   limit 1;
  if found then
    raise exception '% is required to end an interaction', v_refused.field
      using errcode = 'not_null_violation', column = v_refused.field,
            detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;

  with batch as (
    select (e.ord - 1)::integer as ord, r.*
      from jsonb_array_elements(p_ends) with ordinality e(value, ord)
     cross join lateral jsonb_to_record(e.value) as r(customer_id uuid, interaction_id uuid, start_timestamp timestamptz,
                                                      end_timestamp timestamptz, status text, resolution_status text,
                                                      error_code text, cost_to_serve numeric, interaction_value numeric,
                                                      revenue_impact numeric, sentiment_score numeric, correction boolean)
  ),
  locked as (
    select l as r
      from unnest(cx_private.lock_interaction_rows(array(
             select distinct (b.customer_id, b.interaction_id, b.start_timestamp)::cx_private.interaction_key
               from batch b))) l
  )
  select array_agg((x.r, jsonb_populate_record(x.r, jsonb_build_object(
           -- a correction that gives no new end or error code keeps the ones it corrects
           'end_timestamp', coalesce(b.end_timestamp, (x.r).end_timestamp, now()),
           'status', b.status,
           'resolution_status', b.resolution_status,
           'error_code', coalesce(b.error_code, case when b.status = 'failed' then (x.r).error_code end),
           'cost_to_serve', coalesce(b.cost_to_serve, (x.r).cost_to_serve),
           'interaction_value', coalesce(b.interaction_value, (x.r).interaction_value),
           'revenue_impact', coalesce(b.revenue_impact, (x.r).revenue_impact),
           'sentiment_score', coalesce(b.sentiment_score, (x.r).sentiment_score))))::cx_private.interaction_change
           order by b.ord),
         array_agg(b.ord order by b.ord)
    into v_changes, v_ords
    from batch b
    join locked x
      on (x.r).customer_id = b.customer_id and (x.r).interaction_id = b.interaction_id
     and (x.r).start_timestamp = b.start_timestamp
   -- ending an ended interaction again is a correction, and only on purpose
   where (x.r).end_timestamp is null or coalesce(b.correction, false);
  perform cx_private.write_interactions(v_changes);

  return query
    select u.ord, (u.new_row).customer_id, (u.new_row).interaction_id, (u.new_row).start_timestamp,
           (u.new_row).end_timestamp
      from unnest(v_changes, v_ords) u(old_row, new_row, ord)
     order by u.ord;
end
$$;

create or replace function cx.delete_interactions(p_customer_ids uuid[], p_interaction_ids uuid[],
                                                  p_start_timestamps timestamptz[])
  returns table (ord integer, interaction_id uuid)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_gone cx.customer_interactions[];
begin
  -- locked first, in key order, like every other writer of them
  perform cx_private.lock_interaction_rows(array(
    select distinct (b.customer_id, b.interaction_id, b.start_timestamp)::cx_private.interaction_key
      from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) b(customer_id, interaction_id, start_timestamp)));
  with gone as (
    delete from cx.customer_interactions ci
     using unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) b(customer_id, interaction_id, start_timestamp)
     where ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
       and ci.start_timestamp = b.start_timestamp
    returning ci.*
  )
  select array_agg(g::cx.customer_interactions) into v_gone from gone g;
  perform cx_private.interactions_changed(v_gone, '{}');

  return query
    select (b.ord - 1)::integer, b.interaction_id
      from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) with ordinality
           b(customer_id, interaction_id, start_timestamp, ord)
      join unnest(v_gone) g
        on g.customer_id = b.customer_id and g.interaction_id = b.interaction_id and g.start_timestamp = b.start_timestamp
     order by b.ord;
end
$$;

--! split: 0500-the-bulk-path-has-one-path.sql
create or replace function cx_private.ingest_staged_batch() RETURNS TABLE(ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamp with time zone, duplicate boolean, conflicting boolean)
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_refused record;
  v_zone text;
  v_inserted_rows cx.customer_interactions[];
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
  -- the window of accepted times and the agents' kinds on steps (named by batch row)
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

  v_zone := cx_private.reporting_zone();

  -- the region, derived cost and first contact resolution of cx.record_interactions, and the step
  -- totals of recompute_step_totals, for the whole batch (its steps are inserted below with them)
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
    returning customer_interactions.*
  )
  select array_agg(i::cx.customer_interactions), count(*) into v_inserted_rows, v_inserted
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

  -- the batch's history, first contact resolution, sessions and buckets, as for every insert
  perform cx_private.interactions_changed('{}', coalesce(v_inserted_rows, '{}'));
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

comment on function cx_private.ingest_staged_batch() is
  'The work of cx.ingest_staged(): skips replays (flagging those whose content differs from what was kept), checks every reference of the batch, inserts with one INSERT ... SELECT per table (computing the region, derived cost and step totals as the write functions do) and hands the inserted interactions to cx_private.interactions_changed. It needs no privilege beyond its tables.';

--! split: 0600-recompute-derived-covers-the-interactions.sql
drop function if exists cx_private.recompute_customer_history(uuid[]);

create function cx_private.recompute_customer_history(p_customer_ids uuid[]) returns void
  language sql
  set search_path = pg_catalog
  as $$
    with counted as (
      select c.customer_id,
             count(ci.interaction_id)::integer as total,
             (count(*) filter (where ci.status = 'completed' and ci.resolution_status = 'resolved'))::integer as successful,
             (count(*) filter (where ci.escalated_to_human))::integer as escalated,
             coalesce(sum(ci.customer_satisfaction_score), 0)::integer as csat_sum,
             count(ci.customer_satisfaction_score)::integer as csat_count,
             coalesce(sum(ci.nps_score), 0)::integer as nps_sum,
             count(ci.nps_score)::integer as nps_count,
             coalesce(sum(ci.customer_effort_score), 0)::integer as ces_sum,
             count(ci.customer_effort_score)::integer as ces_count
        from cx.customers c
        left join cx.customer_interactions ci on ci.customer_id = c.customer_id
       where c.customer_id = any(p_customer_ids)
       group by c.customer_id
    )
    update cx.customers c
       set total_interactions = n.total, successful_interactions = n.successful, escalation_count = n.escalated,
           satisfaction_sum = n.csat_sum, satisfaction_count = n.csat_count, nps_sum = n.nps_sum,
           nps_count = n.nps_count, effort_sum = n.ces_sum, effort_count = n.ces_count
      from counted n
     where c.customer_id = n.customer_id
       and (c.total_interactions, c.successful_interactions, c.escalation_count, c.satisfaction_sum,
            c.satisfaction_count, c.nps_sum, c.nps_count, c.effort_sum, c.effort_count)
           is distinct from
           (n.total, n.successful, n.escalated, n.csat_sum, n.csat_count, n.nps_sum, n.nps_count, n.ces_sum, n.ces_count)
  $$;

comment on function cx_private.recompute_customer_history(uuid[]) is
  'Counts the given customers'' history (interactions, successful, escalated, CSAT, NPS and CES sums and counts) again from all their interactions, writing only customers whose figures differ: the repair after an owner''s direct write; writers keep it by deltas (cx_private.apply_customer_history).';

create or replace function cx.recompute_derived(p_customer_ids uuid[])
  returns table (interactions integer, outcome_buckets integer)
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
  v_fcr cx_private.fcr_key[];
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
    -- their durations and escalation from their steps (cx.record_steps, cx.end_steps, cx.delete_steps);
    -- one without steps keeps the durations its source gave
    perform cx_private.recompute_step_totals(array(
      select distinct (s.customer_id, s.interaction_id, s.interaction_start_timestamp)::cx_private.interaction_key
        from cx.interaction_steps s where s.customer_id = any(p_customer_ids)));
    -- their CSAT, NPS and CES from their latest answers (cx.record_feedback)
    perform cx_private.recompute_interaction_scores(v_keys);
    -- their derived costs, from their durations and their channels' rates
    perform cx_private.write_interactions(array(
      select (l, l)::cx_private.interaction_change from unnest(cx_private.lock_interaction_rows(v_keys)) l));
    -- first contact resolution of all their contacts, by type
    select array_agg((x.customer_id, x.interaction_type_id, '-infinity'::timestamptz)::cx_private.fcr_key) into v_fcr
      from (select distinct ci.customer_id, ci.interaction_type_id
              from cx.customer_interactions ci where ci.customer_id = any(p_customer_ids)) x;
    perform cx_private.log_metric_buckets(cx_private.recompute_first_contact_resolution(v_fcr));
  end if;
  -- their history, counted again
  perform cx_private.recompute_customer_history(p_customer_ids);
  -- the days of their channels and primary agents, and of the agents of their steps
  perform cx_private.log_metric_buckets(array(
    select distinct b from (
      select ('channel', cx_private.day_in_zone(ci.start_timestamp, v_zone), ci.channel_id)::cx_private.metric_bucket as b
        from cx.customer_interactions ci where ci.customer_id = any(p_customer_ids)
      union all
      select ('agent', cx_private.day_in_zone(ci.start_timestamp, v_zone), ci.primary_agent_id)::cx_private.metric_bucket
        from cx.customer_interactions ci where ci.customer_id = any(p_customer_ids) and ci.primary_agent_id is not null
      union all
      select ('agent', cx_private.day_in_zone(s.started_at, v_zone), s.agent_id)::cx_private.metric_bucket
        from cx.interaction_steps s where s.customer_id = any(p_customer_ids) and s.agent_id is not null) x));
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
  'After the owner corrected rows straight in the tables: recomputes for the given customers what the write functions derive (the durations and escalation of the interactions with steps, from their steps, their scores from their latest feedback, their derived costs, their first contact resolution, the customers'' history, their sessions'' counters) and logs their channel, agent, outcome and journey buckets for the refresh. Returns how many interactions and outcome buckets it went over. A row the owner deleted leaves its bucket to cx.rebuild_daily_metrics(), and its dependents to the owner.';

insert into cx_private.constraint_messages (constraint_name, message, table_name, field_names) values
  ('customer_interactions_missing',
   'a correction''s customer_id, interaction_id and start_timestamp must name an existing interaction',
   'customer_interactions', '{interaction_id}')
on conflict (constraint_name) do update
  set message = excluded.message, table_name = excluded.table_name, field_names = excluded.field_names;

--! split: 0700-customers-are-deleted-with-their-interactions.sql
/*
 * A customer's interactions go with the customer (their foreign key cascades), but their steps,
 * outcomes and external references have no key to the customer (a foreign key to the partitioned
 * interactions would cost a query per row), and followed only through the interactions' trigger.
 * cx.delete_customers deletes the interactions through cx.delete_interactions first.
 */
drop function if exists cx.delete_customers(uuid[]);

create function cx.delete_customers(p_customer_ids uuid[])
  returns table (customer_id uuid, interactions integer)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_customers uuid[];
  v_interactions integer;
begin
  -- the customers first, in key order: a writer recording for one of them waits, or finds it gone
  select array_agg(c.customer_id order by c.customer_id) into v_customers
    from (select c.customer_id from cx.customers c where c.customer_id = any(p_customer_ids)
           order by c.customer_id for update of c) c;
  if v_customers is null then
    return;
  end if;
  -- their interactions, with the steps, outcomes and references that have no key to the customer
  select count(*)::integer into v_interactions
    from (select array_agg(ci.customer_id) as customers, array_agg(ci.interaction_id) as ids,
                 array_agg(ci.start_timestamp) as starts
            from cx.customer_interactions ci
           where ci.customer_id = any(v_customers)) k
   cross join lateral cx.delete_interactions(k.customers, k.ids, k.starts) d;
  -- the rest follows the customer by its foreign keys
  return query
    with gone as (delete from cx.customers c where c.customer_id = any(v_customers) returning c.customer_id)
    select g.customer_id, v_interactions from gone g order by g.customer_id;
end
$$;

comment on function cx.delete_customers(uuid[]) is
  'Deletes the given customers with everything of theirs: their interactions through cx.delete_interactions (their steps, outcomes and external references, which have no key to the customer, and the history and buckets), then the customers, whose foreign keys take their feedback, sessions, plans and scores along. Returns each deleted customer with how many interactions went with it. An owner''s plain DELETE of a customer leaves those steps, outcomes and references behind.';
