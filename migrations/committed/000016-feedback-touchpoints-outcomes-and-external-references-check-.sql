--! Previous: sha1:b4e6d54dafbac222ea07abd30bb2aa65dddf2c1a
--! Hash: sha1:7fe160ac3edaea68413eebb3e38f19a4f8a9acbb
--! Message: feedback, touchpoints, outcomes and external references check their interaction per statement; interactions cascade to them by trigger

--! split: 0100-drop-for-idempotence.sql
/*
 * current.sql runs again on every change while it is being written: drop what it creates first,
 * in reverse order of creation; functions it redefines are replaced, catalog rows updated.
 */
drop trigger if exists _300_cascade_dependents_after_truncate on cx.customer_interactions;
drop trigger if exists _300_cascade_dependents_after_update on cx.customer_interactions;
drop trigger if exists _300_cascade_dependents_after_delete on cx.customer_interactions;
drop function if exists cx_private.tg_customer_interactions__cascade_dependents();
drop trigger if exists _100_interaction_exists_after_update on cx.customer_feedback;
drop trigger if exists _100_interaction_exists_after_insert on cx.customer_feedback;
drop trigger if exists _100_interaction_exists_after_update on cx.journey_touchpoints;
drop trigger if exists _100_interaction_exists_after_insert on cx.journey_touchpoints;
drop trigger if exists _100_interaction_exists_after_update on cx.interaction_outcomes;
drop trigger if exists _100_interaction_exists_after_insert on cx.interaction_outcomes;
drop trigger if exists _100_interaction_exists_after_update on cx.interaction_external_refs;
drop trigger if exists _100_interaction_exists_after_insert on cx.interaction_external_refs;
drop function if exists cx_private.tg__interaction_exists();

--! split: 0110-rows-about-an-interaction-name-an-existing-one.sql
/*
 * Feedback, journey touchpoints, outcomes and external references name their interaction by its
 * key, and the interaction's deletes and key changes carry over to them. Declarative foreign keys
 * said so until now; they go, like the steps' one did in 000011 and for the same reason: a foreign
 * key that references a partitioned table checks every inserted row with a query of its own (about
 * 165 µs a row on the test machines), which dominated bulk loads of these rows (the simulator and
 * the `npm start` demo write hundreds of thousands). A statement trigger checks a whole statement
 * with one set-based query that locks the named interactions FOR KEY SHARE, as the foreign key did.
 * The rules keep their foreign keys' names (errors, the catalog and clients that match on them do
 * not change) and behaviour:
 * - INSERT or UPDATE of one of these rows: its interaction must exist (SQLSTATE 23503), unless its
 *   interaction_id or start timestamp is null (MATCH SIMPLE, as before);
 * - interactions DELETE: outcomes and external references are deleted with them, feedback and
 *   touchpoints keep their row with interaction_id and interaction_start_timestamp set to null;
 * - interactions UPDATE of customer_id or start_timestamp: the rows follow the new key;
 * - interactions TRUNCATE (which the foreign keys refused without CASCADE): outcomes and
 *   references are truncated, feedback and touchpoints unlinked as on delete.
 * The same limits as for the steps (README, "Steps and their interaction"): statement triggers
 * fire for statements on the partitioned parent only, and act with the writer's privileges.
 */
alter table cx.customer_feedback drop constraint if exists customer_feedback_interaction_fkey;
alter table cx.journey_touchpoints drop constraint if exists journey_touchpoints_interaction_fkey;
alter table cx.interaction_outcomes drop constraint if exists interaction_outcomes_interaction_fkey;
alter table cx.interaction_external_refs drop constraint if exists interaction_external_refs_interaction_fkey;
update cx_private.constraint_messages set table_name = 'customer_feedback', field_names = '{customer_id,interaction_id,interaction_start_timestamp}' where constraint_name = 'customer_feedback_interaction_fkey';
update cx_private.constraint_messages set table_name = 'journey_touchpoints', field_names = '{customer_id,interaction_id,interaction_start_timestamp}' where constraint_name = 'journey_touchpoints_interaction_fkey';
update cx_private.constraint_messages set table_name = 'interaction_outcomes', field_names = '{customer_id,interaction_id,interaction_start_timestamp}' where constraint_name = 'interaction_outcomes_interaction_fkey';
update cx_private.constraint_messages set table_name = 'interaction_external_refs', field_names = '{customer_id,interaction_id,start_timestamp}' where constraint_name = 'interaction_external_refs_interaction_fkey';

create or replace function cx_private.require_interactions(p_keys cx_private.interaction_key[], p_rule text)
  returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_locked integer;
  v_missing cx_private.interaction_key;
begin
  if p_keys is null or cardinality(p_keys) = 0 then
    return;
  end if;
  -- lock every named interaction FOR KEY SHARE like a foreign-key check: a concurrent delete or
  -- key change of one waits until this transaction ends, and one that committed first leaves that
  -- interaction unlocked, hence missing. The keys are distinct; each names at most one interaction.
  select count(*) into v_locked
    from (select 1
            from cx.customer_interactions ci
            join unnest(p_keys) k
              on ci.customer_id = k.customer_id and ci.interaction_id = k.interaction_id
             and ci.start_timestamp = k.start_timestamp
             for key share of ci) p;
  if v_locked < cardinality(p_keys) then
    select m.* into v_missing
      from (select * from unnest(p_keys) except select ci.customer_id, ci.interaction_id, ci.start_timestamp
              from cx.customer_interactions ci
              join unnest(p_keys) k
                on ci.customer_id = k.customer_id and ci.interaction_id = k.interaction_id
               and ci.start_timestamp = k.start_timestamp) m
     order by m.customer_id, m.interaction_id, m.start_timestamp
     limit 1;
    raise exception 'interaction % (customer %, started %) does not exist',
        v_missing.interaction_id, v_missing.customer_id, v_missing.start_timestamp
      using errcode = 'foreign_key_violation', column = 'interaction_id', constraint = p_rule;
  end if;
end
$$;
comment on function cx_private.require_interactions(cx_private.interaction_key[], text) is
  'The check of a foreign key to customer_interactions for a whole statement: locks the named interactions FOR KEY SHARE and raises foreign_key_violation under the given rule name for the first key that names none. p_keys must be distinct.';

create function cx_private.tg__interaction_exists() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_named cx_private.interaction_key[];
begin
  -- tg_argv[0]: the rule's name; tg_argv[1]: the column holding the interaction's start_timestamp
  execute format(
    'select array_agg(distinct (n.customer_id, n.interaction_id, n.%1$I)::cx_private.interaction_key)
       from new_rows n
      where n.interaction_id is not null and n.%1$I is not null',
    tg_argv[1])
    into v_named;
  perform cx_private.require_interactions(v_named, tg_argv[0]);
  return null;
end
$$;
comment on function cx_private.tg__interaction_exists() is
  'AFTER INSERT or UPDATE statement trigger of a table whose rows name an interaction: refuses the statement when one names an interaction that does not exist. Arguments: the rule''s name, the column of the interaction''s start_timestamp.';

create trigger _100_interaction_exists_after_insert after insert on cx.customer_feedback
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('customer_feedback_interaction_fkey', 'interaction_start_timestamp');
comment on trigger _100_interaction_exists_after_insert on cx.customer_feedback is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule customer_feedback_interaction_fkey).';
create trigger _100_interaction_exists_after_update after update on cx.customer_feedback
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('customer_feedback_interaction_fkey', 'interaction_start_timestamp');
comment on trigger _100_interaction_exists_after_update on cx.customer_feedback is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule customer_feedback_interaction_fkey).';
create trigger _100_interaction_exists_after_insert after insert on cx.journey_touchpoints
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('journey_touchpoints_interaction_fkey', 'interaction_start_timestamp');
comment on trigger _100_interaction_exists_after_insert on cx.journey_touchpoints is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule journey_touchpoints_interaction_fkey).';
create trigger _100_interaction_exists_after_update after update on cx.journey_touchpoints
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('journey_touchpoints_interaction_fkey', 'interaction_start_timestamp');
comment on trigger _100_interaction_exists_after_update on cx.journey_touchpoints is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule journey_touchpoints_interaction_fkey).';
create trigger _100_interaction_exists_after_insert after insert on cx.interaction_outcomes
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('interaction_outcomes_interaction_fkey', 'interaction_start_timestamp');
comment on trigger _100_interaction_exists_after_insert on cx.interaction_outcomes is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule interaction_outcomes_interaction_fkey).';
create trigger _100_interaction_exists_after_update after update on cx.interaction_outcomes
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('interaction_outcomes_interaction_fkey', 'interaction_start_timestamp');
comment on trigger _100_interaction_exists_after_update on cx.interaction_outcomes is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule interaction_outcomes_interaction_fkey).';
create trigger _100_interaction_exists_after_insert after insert on cx.interaction_external_refs
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('interaction_external_refs_interaction_fkey', 'start_timestamp');
comment on trigger _100_interaction_exists_after_insert on cx.interaction_external_refs is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule interaction_external_refs_interaction_fkey).';
create trigger _100_interaction_exists_after_update after update on cx.interaction_external_refs
  referencing new table as new_rows
  for each statement execute function cx_private.tg__interaction_exists('interaction_external_refs_interaction_fkey', 'start_timestamp');
comment on trigger _100_interaction_exists_after_update on cx.interaction_external_refs is
  'Refuses rows that name an interaction that does not exist, locking the ones that do (rule interaction_external_refs_interaction_fkey).';

--! split: 0120-steps-share-the-interaction-check.sql
/*
 * The steps' check (000011) is the same check: one definition, cx_private.require_interactions.
 */
create or replace function cx_private.tg_interaction_steps__classify() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
  v_named cx_private.interaction_key[];
  v_refused record;
begin
  if tg_op = 'DELETE' then
    select o.interaction_id, o.step_type into v_refused
      from old_steps o
      join cx.customer_interactions ci
        on ci.customer_id = o.customer_id and ci.interaction_id = o.interaction_id
       and ci.start_timestamp = o.interaction_start_timestamp
     where o.step_type in ('queue', 'human') and ci.escalated_to_human
     limit 1;
    if found then
      raise exception 'interaction % was escalated to a human: its % steps cannot be deleted', v_refused.interaction_id, v_refused.step_type
        using errcode = 'check_violation', constraint = 'interaction_steps_escalation_irreversible';
    end if;
    select array_agg(distinct (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key)
      into v_keys from old_steps o;
  else
    select array_agg(distinct (n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key)
      into v_named from new_steps n;
    perform cx_private.require_interactions(v_named, 'interaction_steps_interaction_missing');
    if tg_op = 'INSERT' then
      v_keys := v_named;
    else
      select array_agg(distinct k) into v_keys from (
        select (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key as k from old_steps o
        union all
        select unnest(v_named)
      ) keys;
    end if;
  end if;
  if v_keys is not null then
    perform cx_private.recompute_step_totals(v_keys);
  end if;
  return null;
end
$$;
comment on function cx_private.tg_interaction_steps__classify() is
  'AFTER each statement on interaction_steps: refuses steps whose interaction does not exist (locking the ones that do FOR KEY SHARE, in one query), recomputes the durations and escalation of every interaction whose steps it touched; refuses deleting queue or human steps of an escalated interaction that still exists.';

--! split: 0130-interactions-cascade-to-their-dependents.sql
/*
 * What the foreign keys' ON DELETE and ON UPDATE actions did, once per statement, for the steps
 * (000011) and now the four tables above. Numbered _300_ so they run before the _500_ roll-ups, as
 * the foreign keys' actions did.
 */
drop trigger if exists _300_cascade_steps_after_truncate on cx.customer_interactions;
drop trigger if exists _300_cascade_steps_after_update on cx.customer_interactions;
drop trigger if exists _300_cascade_steps_after_delete on cx.customer_interactions;
drop function if exists cx_private.tg_customer_interactions__cascade_steps();

create function cx_private.tg_customer_interactions__cascade_dependents() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_moved cx_private.interaction_key[];
  v_shared uuid;
begin
  if tg_op = 'TRUNCATE' then
    truncate cx.interaction_steps, cx.interaction_outcomes, cx.interaction_external_refs;
    update cx.customer_feedback set interaction_id = null, interaction_start_timestamp = null
     where interaction_id is not null;
    update cx.journey_touchpoints set interaction_id = null, interaction_start_timestamp = null
     where interaction_id is not null;
  elsif tg_op = 'DELETE' then
    delete from cx.interaction_steps s
     using old_rows o
     where s.customer_id = o.customer_id and s.interaction_id = o.interaction_id
       and s.interaction_start_timestamp = o.start_timestamp;
    delete from cx.interaction_outcomes x
     using old_rows o
     where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
       and x.interaction_start_timestamp = o.start_timestamp;
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
    update cx.interaction_steps x
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join new_rows n on n.interaction_id = m.interaction_id
     where x.customer_id = m.customer_id and x.interaction_id = m.interaction_id
       and x.interaction_start_timestamp = m.start_timestamp;
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
comment on function cx_private.tg_customer_interactions__cascade_dependents() is
  'AFTER each statement on customer_interactions: deletes the steps, outcomes and external references of deleted interactions and unlinks their feedback and touchpoints; moves all of them to the new key of interactions whose customer_id or start_timestamp changed (refusing key changes of interactions that share an interaction_id in one statement); after a TRUNCATE, truncates steps, outcomes and references and unlinks feedback and touchpoints.';

create trigger _300_cascade_dependents_after_delete after delete on cx.customer_interactions
  referencing old table as old_rows
  for each statement execute function cx_private.tg_customer_interactions__cascade_dependents();
comment on trigger _300_cascade_dependents_after_delete on cx.customer_interactions is
  'Deletes or unlinks what named the interactions the statement deleted (instead of foreign keys'' ON DELETE actions).';
create trigger _300_cascade_dependents_after_update after update on cx.customer_interactions
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__cascade_dependents();
comment on trigger _300_cascade_dependents_after_update on cx.customer_interactions is
  'Moves what names interactions whose customer_id or start_timestamp the statement changed (instead of foreign keys'' ON UPDATE CASCADE).';
create trigger _300_cascade_dependents_after_truncate after truncate on cx.customer_interactions
  for each statement execute function cx_private.tg_customer_interactions__cascade_dependents();
comment on trigger _300_cascade_dependents_after_truncate on cx.customer_interactions is
  'Truncates steps, outcomes and external references and unlinks feedback and touchpoints after customer_interactions is truncated.';
