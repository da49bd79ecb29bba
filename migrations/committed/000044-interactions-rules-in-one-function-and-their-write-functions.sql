--! Previous: sha1:cddd37c6c43fff852277c6a1ed9be93073c3eb0b
--! Hash: sha1:7757a8c774b749373aeded519c811abfb24f34da
--! Message: Interactions' rules in one function, and their write functions

--! split: 0100-interactions-changed.sql
/*
 * What an interaction's change does to other rows (the cascade of a deleted or re-keyed
 * interaction to its dependents, the customer's history, first contact resolution of the batch and
 * of the earlier contacts it turns into repeats, the journey sessions, the metric buckets) was three
 * pairs of statement triggers, each with its own reading of the transition tables. Citus cannot
 * run them (issue 15): a shard's trigger cannot query other distributed tables. This migration puts
 * the rules in one function of the rows before and after, cx_private.interactions_changed, and
 * adds the interactions' write functions; the next migration has those call it and drops the
 * trigger that calls it now, once every writer goes through them.
 */
drop trigger if exists _300_cascade_dependents_after_delete on cx.customer_interactions;
drop trigger if exists _300_cascade_dependents_after_update on cx.customer_interactions;
drop trigger if exists _500_roll_up_after_delete on cx.customer_interactions;
drop trigger if exists _500_roll_up_after_insert on cx.customer_interactions;
drop trigger if exists _500_roll_up_after_update on cx.customer_interactions;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.customer_interactions;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.customer_interactions;
drop trigger if exists _800_log_metric_buckets_after_update on cx.customer_interactions;
drop trigger if exists _300_changed_after_delete on cx.customer_interactions;
drop trigger if exists _300_changed_after_insert on cx.customer_interactions;
drop trigger if exists _300_changed_after_update on cx.customer_interactions;
drop function if exists cx_private.tg_customer_interactions__roll_up();
drop function if exists cx_private.tg_customer_interactions__log_metric_buckets();
drop function if exists cx_private.tg_customer_interactions__changed();
drop function if exists cx_private.interactions_changed(cx.customer_interactions[], cx.customer_interactions[]);

create function cx_private.interactions_changed(p_old cx.customer_interactions[], p_new cx.customer_interactions[])
  returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_gone cx_private.interaction_key[];
  v_moved cx_private.interaction_key[];
  v_shared uuid;
  v_steps cx.interaction_steps[];
  v_outcome_buckets cx_private.metric_bucket[];
  v_history cx_private.history_change[];
  v_fcr cx_private.fcr_key[];
  v_session_customers uuid[];
  v_sessions uuid[];
  v_buckets cx_private.metric_bucket[];
  v_zone text := cx_private.reporting_zone();
begin
  p_old := coalesce(p_old, '{}');
  p_new := coalesce(p_new, '{}');

  /*
   * The dependents. interaction_id never changes, so it pairs a row before with its row after: an
   * old row whose interaction_id no new row has is deleted, one whose key (customer, start) is not
   * among the new rows moved. Inserts have no old rows, and nothing to cascade.
   */
  if cardinality(p_old) > 0 then
    with unkeyed as (
      select o.customer_id, o.interaction_id, o.start_timestamp
        from unnest(p_old) o
        left join unnest(p_new) n
          on n.customer_id = o.customer_id and n.interaction_id = o.interaction_id
         and n.start_timestamp = o.start_timestamp
       where n.interaction_id is null
    )
    select array_agg((u.customer_id, u.interaction_id, u.start_timestamp)::cx_private.interaction_key)
             filter (where m.interaction_id is null),
           array_agg((u.customer_id, u.interaction_id, u.start_timestamp)::cx_private.interaction_key)
             filter (where m.interaction_id is not null)
      into v_gone, v_moved
      from unkeyed u
      left join (select distinct n.interaction_id from unnest(p_new) n) m on m.interaction_id = u.interaction_id;
  end if;

  if v_gone is not null then
    with gone as (
      delete from cx.interaction_steps s
       using unnest(v_gone) o
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
       using unnest(v_gone) o
       where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
         and x.interaction_start_timestamp = o.start_timestamp
      returning x.recorded_at, x.customer_id, x.interaction_id
    )
    select array_agg(distinct ('outcome', cx_private.day_in_zone(g.recorded_at, v_zone), o.channel_id)::cx_private.metric_bucket)
      into v_outcome_buckets
      from gone g
      join unnest(p_old) o on o.customer_id = g.customer_id and o.interaction_id = g.interaction_id;
    if v_outcome_buckets is not null then
      perform cx_private.log_metric_buckets(v_outcome_buckets);
    end if;
    delete from cx.interaction_external_refs x
     using unnest(v_gone) o
     where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
       and x.start_timestamp = o.start_timestamp;
    update cx.customer_feedback x
       set interaction_id = null, interaction_start_timestamp = null
      from unnest(v_gone) o
     where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
       and x.interaction_start_timestamp = o.start_timestamp;
    update cx.journey_touchpoints x
       set interaction_id = null, interaction_start_timestamp = null
      from unnest(v_gone) o
     where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
       and x.interaction_start_timestamp = o.start_timestamp;
  end if;

  if v_moved is not null then
    -- the pairing needs each moved interaction_id once among the rows before
    select o.interaction_id into v_shared
      from unnest(p_old) o
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
        join unnest(p_new) n on n.interaction_id = m.interaction_id
       where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
         and x.interaction_start_timestamp = m.start_timestamp
      returning x.*
    )
    select array_agg(m::cx.interaction_steps) into v_steps from moved m;
    -- a moved step keeps its type, agent and start: as new steps of the new key they log the same
    -- agent days and the new interaction's channel day
    if v_steps is not null then
      perform cx_private.steps_changed('{}', v_steps);
    end if;
    update cx.interaction_outcomes x
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join unnest(p_new) n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.interaction_start_timestamp = m.start_timestamp;
    update cx.interaction_external_refs x
       set customer_id = n.customer_id, start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join unnest(p_new) n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.start_timestamp = m.start_timestamp;
    update cx.customer_feedback x
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join unnest(p_new) n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.interaction_start_timestamp = m.start_timestamp;
    update cx.journey_touchpoints x
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join unnest(p_new) n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.interaction_start_timestamp = m.start_timestamp;
  end if;

  /*
   * The roll-ups and the buckets, from each row before paired with its row after by customer and
   * interaction_id (a row that changed customer counts as leaving one history and entering another):
   * a side that is missing is an insert or a delete, a pair counts only when what the roll-up reads
   * changed.
   */
  with pairs as materialized (
    select o as old_row, n as new_row,
           o.interaction_id is not null as had, n.interaction_id is not null as has
      from unnest(p_old) o
      full join unnest(p_new) n on n.customer_id = o.customer_id and n.interaction_id = o.interaction_id
  ),
  compared as materialized (
    select p.*,
           not p.had or not p.has
             or ((p.old_row).status, (p.old_row).resolution_status, (p.old_row).escalated_to_human,
                 (p.old_row).customer_satisfaction_score, (p.old_row).nps_score, (p.old_row).customer_effort_score)
                is distinct from
                ((p.new_row).status, (p.new_row).resolution_status, (p.new_row).escalated_to_human,
                 (p.new_row).customer_satisfaction_score, (p.new_row).nps_score, (p.new_row).customer_effort_score)
             as history_changed,
           not p.had or not p.has
             or ((p.old_row).interaction_type_id, (p.old_row).start_timestamp, (p.old_row).end_timestamp,
                 (p.old_row).resolution_status)
                is distinct from
                ((p.new_row).interaction_type_id, (p.new_row).start_timestamp, (p.new_row).end_timestamp,
                 (p.new_row).resolution_status)
             as fcr_changed,
           not p.had or not p.has
             or ((p.old_row).session_id, (p.old_row).channel_id, (p.old_row).start_timestamp, (p.old_row).end_timestamp)
                is distinct from
                ((p.new_row).session_id, (p.new_row).channel_id, (p.new_row).start_timestamp, (p.new_row).end_timestamp)
             as session_changed,
           not p.had or not p.has
             or ((p.old_row).primary_agent_id, (p.old_row).start_timestamp, (p.old_row).customer_satisfaction_score)
                is distinct from
                ((p.new_row).primary_agent_id, (p.new_row).start_timestamp, (p.new_row).customer_satisfaction_score)
             as primary_agent_changed,
           p.had and p.has
             and ((p.old_row).escalated_to_human, (p.old_row).initial_mode)
                 is distinct from ((p.new_row).escalated_to_human, (p.new_row).initial_mode)
             as escalation_changed
      from pairs p
  ),
  sides as materialized (
    -- each row before (-1) and after (+1) that a change touched
    select -1 as sign, c.old_row as r, c.history_changed, c.fcr_changed, c.session_changed, c.primary_agent_changed
      from compared c where c.had
    union all
    select 1, c.new_row, c.history_changed, c.fcr_changed, c.session_changed, c.primary_agent_changed
      from compared c where c.has
  )
  select
    (select array_agg(((s.r).customer_id, s.sign, (s.r).status = 'completed' and (s.r).resolution_status = 'resolved',
                       (s.r).escalated_to_human, (s.r).customer_satisfaction_score, (s.r).nps_score,
                       (s.r).customer_effort_score)::cx_private.history_change)
       from sides s where s.history_changed),
    (select array_agg(((s.r).customer_id, (s.r).interaction_type_id, (s.r).start_timestamp)::cx_private.fcr_key)
       from sides s where s.fcr_changed),
    (select array_agg(x.customer_id) from (select distinct (s.r).customer_id, (s.r).session_id from sides s
                                            where s.session_changed and (s.r).session_id is not null) x),
    (select array_agg(x.session_id) from (select distinct (s.r).customer_id, (s.r).session_id from sides s
                                           where s.session_changed and (s.r).session_id is not null) x),
    (select coalesce(array_agg(b), '{}') from (
       -- every channel day a row was or is on
       select ('channel', cx_private.day_in_zone((s.r).start_timestamp, v_zone), (s.r).channel_id)::cx_private.metric_bucket as b
         from sides s
       union all
       -- the primary agent's figures (its contacts, their satisfaction), on the old day and agent and on the new
       select ('agent', cx_private.day_in_zone((s.r).start_timestamp, v_zone), (s.r).primary_agent_id)::cx_private.metric_bucket
         from sides s
        where s.primary_agent_changed and (s.r).primary_agent_id is not null
       union all
       -- the days of every agent with a step in it: the bots' transfers, the humans' escalations received
       select ('agent', cx_private.day_in_zone(st.started_at, v_zone), st.agent_id)::cx_private.metric_bucket
         from compared c
         join cx.interaction_steps st
           on st.customer_id = (c.new_row).customer_id and st.interaction_id = (c.new_row).interaction_id
          and st.interaction_start_timestamp = (c.new_row).start_timestamp
        where c.escalation_changed and st.agent_id is not null
     ) x)
    into v_history, v_fcr, v_session_customers, v_sessions, v_buckets;

  if v_history is not null then
    perform cx_private.apply_customer_history(v_history);
  end if;
  if v_fcr is not null then
    -- first contact resolution is a channel figure: the buckets of the rows it changed
    v_buckets := v_buckets || cx_private.recompute_first_contact_resolution(v_fcr);
  end if;
  if v_sessions is not null then
    perform cx_private.recompute_journey_sessions(v_session_customers, v_sessions);
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
end
$$;

comment on function cx_private.interactions_changed(cx.customer_interactions[], cx.customer_interactions[]) is
  'What a batch of interaction changes does to other rows, given the rows before (p_old) and after (p_new), paired by interaction_id: deletes the steps, outcomes and external references of interactions that are gone and unlinks their feedback and touchpoints; moves them to the new key of interactions whose customer or start changed (refusing that for interactions sharing an interaction_id); applies the customers'' history deltas; recomputes first contact resolution and the journey sessions the change reaches; logs the channel days of every row, and the agent days of the primary agent (inserted, deleted, or agent, start or CSAT changed) and of the step agents (escalation or initial mode changed). The one definition of these rules: every write function of interactions calls it.';

create function cx_private.tg_customer_interactions__changed() returns trigger
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_old cx.customer_interactions[] := '{}';
  v_new cx.customer_interactions[] := '{}';
begin
  -- a transition table exists only for the events that have it
  if tg_op in ('UPDATE', 'DELETE') then
    select coalesce(array_agg(o::cx.customer_interactions), '{}') into v_old from old_rows o;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select coalesce(array_agg(n::cx.customer_interactions), '{}') into v_new from new_rows n;
  end if;
  perform cx_private.interactions_changed(v_old, v_new);
  return null;
end
$$;

comment on function cx_private.tg_customer_interactions__changed() is
  'AFTER each statement on customer_interactions, until every writer goes through the write functions: hands the statement''s rows before and after to cx_private.interactions_changed.';

create trigger _300_changed_after_insert after insert on cx.customer_interactions
  referencing new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__changed();
create trigger _300_changed_after_update after update on cx.customer_interactions
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__changed();
create trigger _300_changed_after_delete after delete on cx.customer_interactions
  referencing old table as old_rows
  for each statement execute function cx_private.tg_customer_interactions__changed();

-- the TRUNCATE branch is what is left of the cascade trigger
create or replace function cx_private.tg_customer_interactions__cascade_dependents() returns trigger
  language plpgsql
  set search_path = pg_catalog
  as $$
begin
  truncate cx.interaction_steps, cx.interaction_outcomes, cx.interaction_external_refs;
  update cx.customer_feedback set interaction_id = null, interaction_start_timestamp = null
   where interaction_id is not null;
  update cx.journey_touchpoints set interaction_id = null, interaction_start_timestamp = null
   where interaction_id is not null;
  return null;
end
$$;

comment on function cx_private.tg_customer_interactions__cascade_dependents() is
  'AFTER TRUNCATE of customer_interactions (an owner''s reset): truncates steps, outcomes and external references and unlinks feedback and touchpoints.';

--! split: 0200-interaction-write-functions.sql
/*
 * The interactions' write functions: every writer records, corrects, ends and deletes interactions
 * through them (the bulk path through cx.ingest_staged). A batch is a JSON array of rows keyed by
 * the table's column names, so a source maps its fields once and the client sends what it has.
 */
drop function if exists cx.record_interactions(jsonb);
drop function if exists cx.correct_interactions(jsonb);
drop function if exists cx.end_interactions(jsonb);
drop function if exists cx.delete_interactions(uuid[], uuid[], timestamptz[]);
drop function if exists cx_private.require_batch_rows(jsonb, text[], text);
drop function if exists cx_private.require_batch_references(uuid[], regclass, text, text, text, text);

create function cx_private.require_batch_rows(p_rows jsonb, p_fields text[], p_what text) returns void
  language plpgsql immutable
  set search_path = pg_catalog
  as $$
declare
  v_refused record;
begin
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception 'the % must be a JSON array of rows, got %', p_what, coalesce(jsonb_typeof(p_rows), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  select (e.ord - 1)::integer as ord, jsonb_typeof(e.value) as kind, k.key
    into v_refused
    from jsonb_array_elements(p_rows) with ordinality e(value, ord)
    left join lateral (select k.key from jsonb_object_keys(case when jsonb_typeof(e.value) = 'object' then e.value end) k(key)
                        where k.key <> all (p_fields) order by k.key limit 1) k on true
   where jsonb_typeof(e.value) <> 'object' or k.key is not null
   order by e.ord
   limit 1;
  if not found then
    return;
  end if;
  if v_refused.kind <> 'object' then
    raise exception 'each of the % must be a JSON object, got %', p_what, v_refused.kind
      using errcode = 'invalid_parameter_value', detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;
  -- a misspelt field would otherwise be dropped without a word
  raise exception '% is not a field of the %: the fields are %', v_refused.key, p_what, array_to_string(p_fields, ', ')
    using errcode = 'invalid_parameter_value', column = v_refused.key,
          detail = cx_private.staged_row_position(v_refused.ord, null);
end
$$;

comment on function cx_private.require_batch_rows(jsonb, text[], text) is
  'Refuses a write function''s batch (invalid_parameter_value) unless it is a JSON array of objects whose keys are all among p_fields; the error names the field and, in DETAIL, the batch row.';

create function cx_private.require_batch_references(p_ids uuid[], p_table regclass, p_key text, p_column text,
                                                    p_constraint text, p_noun text) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_locked bigint;
  v_missing record;
begin
  -- one query when the batch passes: lock like a foreign-key check (FOR KEY SHARE, in key order)
  -- and compare counts; only a refused batch looks for its first row
  execute format(
    'select count(*) from (select t.%1$I from %2$s t where t.%1$I = any($1) order by t.%1$I for key share of t) r',
    p_key, p_table)
    into v_locked using array(select distinct i from unnest(p_ids) i where i is not null);
  if v_locked = (select count(distinct i) from unnest(p_ids) i) then
    return;
  end if;
  execute format(
    'select (b.ord - 1)::integer as ord, b.id from unnest($1) with ordinality b(id, ord)
      where b.id is not null and not exists (select 1 from %2$s t where t.%1$I = b.id)
      order by b.ord limit 1',
    p_key, p_table)
    into v_missing using p_ids;
  if v_missing.id is not null then
    raise exception '% % does not name an existing %', p_column, v_missing.id, p_noun
      using errcode = 'foreign_key_violation', column = p_column, constraint = p_constraint,
            detail = cx_private.staged_row_position(v_missing.ord, null);
  end if;
end
$$;

comment on function cx_private.require_batch_references(uuid[], regclass, text, text, text, text) is
  'The foreign-key check of one column of a write function''s batch: locks the referenced rows FOR KEY SHARE and raises foreign_key_violation, under the constraint''s name and the column, for the first batch row (DETAIL) whose id names no row.';

create function cx.record_interactions(p_interactions jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.customer_interactions[];
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
                                        'human_duration_seconds', 0, 'wrap_up_seconds', 0, 'escalated_to_human', false,
                                        'first_contact_resolution', false, 'cost_to_serve_source', 'derived')
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('created_at', v_now, 'updated_at', v_now,
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

  return query
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
             u.first_contact_resolution, u.interaction_value, u.cost_to_serve, u.cost_to_serve_source,
             u.revenue_impact, u.customer_intent, u.sentiment_score, u.language_code, u.region, u.created_at,
             u.updated_at
        from unnest(v_rows) u
      returning customer_interactions.customer_id, customer_interactions.interaction_id,
                customer_interactions.start_timestamp
    )
    select (u.ordinality - 1)::integer, i.customer_id, i.interaction_id, i.start_timestamp
      from unnest(v_rows) with ordinality u
      join inserted i on i.interaction_id = u.interaction_id and i.customer_id = u.customer_id
     order by u.ordinality;
end
$$;

comment on function cx.record_interactions(jsonb) is
  'Records a batch of interactions, a JSON array of rows keyed by customer_interactions'' column names (started now, active and pending by default; first_contact_resolution, cost_to_serve_source and the times written are the database''s): refuses an unknown field and a customer, channel, interaction type or primary agent that does not exist (DETAIL names the batch row), inserts them and applies their consequences (cx_private.interactions_changed). Returns each interaction''s key by its position (0-based). Every writer records interactions through it or through cx.ingest_staged.';

create function cx.correct_interactions(p_corrections jsonb)
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

  return query
    with batch as (
      select (e.ord - 1)::integer as ord, (e.value ->> 'customer_id')::uuid as customer_id,
             (e.value ->> 'interaction_id')::uuid as interaction_id,
             (e.value ->> 'start_timestamp')::timestamptz as start_timestamp, e.value -> 'set' as changes
        from jsonb_array_elements(p_corrections) with ordinality e(value, ord)
    ),
    corrected as (
      select b.ord, ci as old_row, jsonb_populate_record(ci, b.changes) as new_row
        from batch b
        join cx.customer_interactions ci
          on ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
         and ci.start_timestamp = b.start_timestamp
    ),
    updated as (
      update cx.customer_interactions ci
         set (customer_id, start_timestamp, end_timestamp, queue_time_seconds, channel_id, interaction_type_id,
              session_id, parent_interaction_id, parent_start_timestamp, status, resolution_status, error_code,
              device_type, operating_system, app_version, browser, connection_type, screen_resolution, client_info,
              primary_agent_id, secondary_agent_id, supervisor_agent_id, initial_mode, interaction_mode,
              bot_duration_seconds, human_duration_seconds, wrap_up_seconds, escalated_to_human, escalation_reason,
              escalation_timestamp, customer_satisfaction_score, customer_effort_score, nps_score, interaction_value,
              cost_to_serve, revenue_impact, customer_intent, sentiment_score, language_code, region)
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
              (c.new_row).interaction_value, (c.new_row).cost_to_serve, (c.new_row).revenue_impact,
              (c.new_row).customer_intent, (c.new_row).sentiment_score, (c.new_row).language_code,
              (c.new_row).region)
        from corrected c
       where ci.customer_id = (c.old_row).customer_id and ci.interaction_id = (c.old_row).interaction_id
         and ci.start_timestamp = (c.old_row).start_timestamp
      returning c.ord, ci.customer_id, ci.interaction_id, ci.start_timestamp
    )
    select u.ord, u.customer_id, u.interaction_id, u.start_timestamp from updated u order by u.ord;
end
$$;

comment on function cx.correct_interactions(jsonb) is
  'Corrects a batch of interactions: a JSON array of {customer_id, interaction_id, start_timestamp, set}, where set holds the columns to change by name and the values they take (interaction_id, first_contact_resolution, cost_to_serve_source and the times written are the database''s; a new customer_id or start_timestamp moves the interaction with its dependents). Refuses an unknown column, a missing interaction and an interaction named twice (DETAIL names the batch row); applies the change''s consequences (cx_private.interactions_changed). Returns each interaction''s key after the correction by its position (0-based).';

create function cx.end_interactions(p_ends jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz, end_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_refused record;
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

  return query
    with batch as (
      select (e.ord - 1)::integer as ord, r.*
        from jsonb_array_elements(p_ends) with ordinality e(value, ord)
       cross join lateral jsonb_to_record(e.value) as r(customer_id uuid, interaction_id uuid, start_timestamp timestamptz,
                                                        end_timestamp timestamptz, status text, resolution_status text,
                                                        error_code text, cost_to_serve numeric, interaction_value numeric,
                                                        revenue_impact numeric, sentiment_score numeric, correction boolean)
    ),
    ended as (
      update cx.customer_interactions ci
         -- a correction that gives no new end or error code keeps the ones it corrects
         set end_timestamp = coalesce(b.end_timestamp, ci.end_timestamp, now()),
             status = b.status,
             resolution_status = b.resolution_status,
             error_code = coalesce(b.error_code, case when b.status = 'failed' then ci.error_code end),
             cost_to_serve = coalesce(b.cost_to_serve, ci.cost_to_serve),
             interaction_value = coalesce(b.interaction_value, ci.interaction_value),
             revenue_impact = coalesce(b.revenue_impact, ci.revenue_impact),
             sentiment_score = coalesce(b.sentiment_score, ci.sentiment_score)
        from batch b
       where ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
         and ci.start_timestamp = b.start_timestamp
         -- ending an ended interaction again is a correction, and only on purpose
         and (ci.end_timestamp is null or coalesce(b.correction, false))
      returning b.ord, ci.customer_id, ci.interaction_id, ci.start_timestamp, ci.end_timestamp
    )
    select x.ord, x.customer_id, x.interaction_id, x.start_timestamp, x.end_timestamp from ended x order by x.ord;
end
$$;

comment on function cx.end_interactions(jsonb) is
  'Ends a batch of interactions: a JSON array of {customer_id, interaction_id, start_timestamp, status, resolution_status} with, optionally, end_timestamp (now by default), error_code, cost_to_serve, interaction_value, revenue_impact, sentiment_score, and correction (true to replace how an ended interaction ended; it keeps the end and error code it is not given). Returns the rows it ended by position (0-based); one that does not exist or ended already (without correction) is left out. Applies the consequences (cx_private.interactions_changed).';

create function cx.delete_interactions(p_customer_ids uuid[], p_interaction_ids uuid[],
                                       p_start_timestamps timestamptz[])
  returns table (ord integer, interaction_id uuid)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
begin
  return query
    with gone as (
      delete from cx.customer_interactions ci
       using unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) with ordinality
             b(customer_id, interaction_id, start_timestamp, ord)
       where ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
         and ci.start_timestamp = b.start_timestamp
      returning (b.ord - 1)::integer as ord, ci.interaction_id
    )
    select g.ord, g.interaction_id from gone g order by g.ord;
end
$$;

comment on function cx.delete_interactions(uuid[], uuid[], timestamptz[]) is
  'Deletes the interactions named by the three arrays (customer, interaction, start) with their steps, outcomes and external references, unlinks their feedback and touchpoints and applies the rest of the consequences (cx_private.interactions_changed). Returns the rows it deleted by position (0-based); a key that names nothing is left out.';
