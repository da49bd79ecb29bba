--! Previous: sha1:536852dcbd90b8a38283894df3cd561bdaacb0d9
--! Hash: sha1:736a6f682aa796c41f878a284929ffb0d8473819
--! Message: steps belong to an existing interaction: statement triggers instead of a foreign key

--! split: 0100-drop-for-idempotence.sql
/*
 * current.sql runs again on every change while it is being written: drop what it creates first,
 * in reverse order of creation. The functions it redefines are replaced (create or replace), the
 * catalog rows it writes are upserted, and the foreign key it removes is dropped if it exists.
 */
drop trigger if exists _300_cascade_steps_after_truncate on cx.customer_interactions;
drop trigger if exists _300_cascade_steps_after_update on cx.customer_interactions;
drop trigger if exists _300_cascade_steps_after_delete on cx.customer_interactions;
drop function if exists cx_private.tg_customer_interactions__cascade_steps();

--! split: 0110-steps-name-an-existing-interaction.sql
/*
 * A step belongs to an existing interaction; the interaction's deletes, key changes and truncation
 * carry over to its steps. Until now a declarative foreign key said so
 * (interaction_steps_interaction_fkey, ON UPDATE CASCADE ON DELETE CASCADE). It goes: this is a
 * deliberate deviation from DESIGN.md §2 ("every foreign key states its on delete"), for speed,
 * with the same guarantees, enforced by statement triggers.
 *
 * Why: a foreign key that references a partitioned table checks each inserted row with its own
 * query (one SPI query per row, whatever the number of partitions). Profiling bulk ingest
 * (cx.ingest_staged) measured ~165 µs per step row for that check, ~70% of the batch: a
 * 10k-interaction batch took 6.5 s with the check and 1.7 s without the step table's triggers.
 * A statement trigger checks a whole batch with one set-based query instead (one index probe and
 * lock per interaction, ~10 µs). On a 2-core test machine, 10,000 steps added to existing
 * interactions in one INSERT took 4.7-5.8 s with the foreign key, 0.4-0.6 s with no check at all
 * and 0.4-0.7 s with this one.
 *
 * What replaces it, each rule one set-based statement per statement:
 * - steps INSERT or UPDATE: cx_private.tg_interaction_steps__classify locks every interaction the
 *   statement's steps name FOR KEY SHARE, as PostgreSQL's own foreign-key check does (a concurrent
 *   delete or key change of that interaction waits for this transaction; one that committed first
 *   leaves nothing to lock), and refuses the statement when one is missing
 *   (interaction_steps_interaction_missing, SQLSTATE 23503 like a foreign key);
 * - interactions DELETE: their steps are deleted; TRUNCATE: the steps are truncated;
 * - interactions UPDATE of customer_id or start_timestamp: the steps follow the new key.
 *   interaction_id no longer changes (customer_interactions_interaction_id_fixed), so it pairs each
 *   old row with its new row; interactions that share an interaction_id cannot change their keys
 *   in the same statement (customer_interactions_interaction_id_shared), because which steps
 *   follow which row could not be told.
 * What a foreign key did and these triggers do not: statement triggers fire for statements on the
 * partitioned parent only. Writers always name the parent (DESIGN.md §2); statements on a partition
 * itself, and DETACH or DROP of a month of customer_interactions, leave its steps alone (drop a
 * month of interaction_steps with the same month of customer_interactions). The triggers act with
 * the writer's privileges, where a foreign key's actions ran as the table's owner: whoever may
 * delete, re-key or truncate interactions needs the same on interaction_steps (as the roll-ups
 * already need on what they update). As before, nothing fires with session_replication_role =
 * replica (cx.create_monthly_partitions moves rows that way, unchanged, on purpose).
 */
alter table cx.interaction_steps drop constraint if exists interaction_steps_interaction_fkey;
comment on index cx.interaction_steps_interaction_idx is
  'The steps of an interaction: deleted and moved with it (cx_private.tg_customer_interactions__cascade_steps), and the per-interaction recomputation of durations and escalation.';

--! split: 0120-catalog-lists-tables-of-trigger-rules.sql
/*
 * A rule a trigger enforces has no constraint or index the catalog could read its table and
 * columns from: the catalog row can now say them itself, so cx.constraint_catalog lists such a
 * rule with its table and columns like any constraint (the client falls back on them when an error
 * names no column).
 */
alter table cx_private.constraint_messages add column if not exists table_name text;
alter table cx_private.constraint_messages add column if not exists field_names text[];
comment on column cx_private.constraint_messages.table_name is
  'For a rule a trigger enforces: the table it guards. Null for constraints and indexes, whose own table the catalog reads.';
comment on column cx_private.constraint_messages.field_names is
  'For a rule a trigger enforces: the columns it is about. Null for constraints and indexes, whose own columns the catalog reads.';

create or replace function cx.constraint_catalog()
  returns table (constraint_name text, message text, table_name text, field_names text[])
  language sql stable parallel safe
  security definer
  set search_path = pg_catalog
  as $$
    select m.constraint_name,
           m.message,
           coalesce(con.relname, idx.relname, m.table_name),
           coalesce(con.fields, idx.fields, m.field_names, '{}')
      from cx_private.constraint_messages m
      left join lateral (
        select t.relname::text as relname,
               (select array_agg(a.attname::text order by k.ord)
                  from unnest(c.conkey) with ordinality k(attnum, ord)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as fields
          from pg_constraint c
          join pg_class t on t.oid = c.conrelid
         where c.conname = m.constraint_name and c.connamespace = 'cx'::regnamespace
           and c.conparentid = 0 and not t.relispartition
         limit 1
      ) con on true
      left join lateral (
        select t.relname::text as relname,
               (select array_agg(a.attname::text order by k.ord)
                  from unnest(x.indkey::int2[]) with ordinality k(attnum, ord)
                  join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum) as fields
          from pg_class i
          join pg_index x on x.indexrelid = i.oid
          join pg_class t on t.oid = x.indrelid
         where i.relname = m.constraint_name and i.relnamespace = 'cx'::regnamespace and not t.relispartition
         limit 1
      ) idx on con.relname is null
  $$;
comment on function cx.constraint_catalog() is
  'Every catalogued constraint with its sentence, its table and the columns it covers; a rule enforced by a trigger with the table and columns its catalog row names (none where it names none).';

delete from cx_private.constraint_messages where constraint_name = 'interaction_steps_interaction_fkey';
insert into cx_private.constraint_messages (constraint_name, message, table_name, field_names) values
  ('interaction_steps_interaction_missing',
   'the step''s customer_id, interaction_id and interaction_start_timestamp must name an existing interaction',
   'interaction_steps', '{interaction_id}'),
  ('customer_interactions_interaction_id_fixed',
   'interaction_id cannot change after the interaction is recorded',
   'customer_interactions', '{interaction_id}'),
  ('customer_interactions_interaction_id_shared',
   'interactions that share an interaction_id cannot change customer_id or start_timestamp in the same statement: change them one at a time, so their steps follow the right one',
   'customer_interactions', '{interaction_id}')
on conflict (constraint_name) do update
  set message = excluded.message, table_name = excluded.table_name, field_names = excluded.field_names;

--! split: 0130-interaction-id-fixed.sql
/*
 * interaction_id never changes once recorded: it is how the steps (and the roll-ups) pair an
 * interaction's row before a statement with its row after it. The rest of the BEFORE ROW rules are
 * unchanged (as last defined by 000005).
 */
create or replace function cx_private.tg_customer_interactions__apply_rules() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_mode text;
begin
  if tg_op = 'INSERT' then
    new.initial_mode := coalesce(new.initial_mode, new.interaction_mode);
    if new.region is null then
      select c.region into new.region from cx.customers c where c.customer_id = new.customer_id;
      if not found then
        raise exception 'customer_id % does not name an existing customer', new.customer_id
          using errcode = 'foreign_key_violation', column = 'customer_id',
                constraint = 'customer_interactions_customer_missing';
      end if;
    end if;
    -- computed by the roll-up triggers; a writer's value is ignored. Start from what it is when no
    -- repeat contact exists (the common case), so the recomputation rewrites only real repeats
    new.first_contact_resolution := new.resolution_status = 'resolved';
    -- a row moving to another partition arrives here as an INSERT with its derived cost: a cost
    -- equal to the channel formula stays derived, any other given cost is the writer's
    new.cost_to_serve_source := case
      when new.cost_to_serve is null then 'derived'
      when new.cost_to_serve_source = 'derived' and new.cost_to_serve = cx.derived_cost_to_serve(
             new.channel_id, new.bot_duration_seconds, new.human_duration_seconds, new.wrap_up_seconds) then 'derived'
      else 'given'
    end;
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
    if pg_trigger_depth() = 1 then
      -- a writer's statement: first_contact_resolution is not theirs to set
      new.first_contact_resolution := old.first_contact_resolution;
    end if;
    if new.cost_to_serve is distinct from old.cost_to_serve then
      new.cost_to_serve_source := case when new.cost_to_serve is null then 'derived' else 'given' end;
    end if;
  end if;

  if new.escalated_to_human and new.escalation_timestamp is null and new.initial_mode in ('bot', 'self_service', 'ivr') then
    new.escalation_timestamp := case
      when tg_op = 'INSERT' then new.start_timestamp
      else greatest(new.start_timestamp, least(clock_timestamp(), coalesce(new.end_timestamp, 'infinity')))
    end;
  end if;

  v_mode := case
    when new.escalated_to_human and new.initial_mode in ('bot', 'self_service') then 'live_chat'
    else new.initial_mode
  end;
  if (tg_op = 'INSERT' and new.interaction_mode is not null and new.interaction_mode not in (new.initial_mode, v_mode))
     or (tg_op = 'UPDATE' and new.interaction_mode is distinct from old.interaction_mode and new.interaction_mode <> v_mode) then
    raise exception 'interaction_mode % contradicts initial_mode % and escalated_to_human %: it would be %',
        new.interaction_mode, new.initial_mode, new.escalated_to_human, v_mode
      using errcode = 'check_violation', column = 'interaction_mode',
            constraint = 'customer_interactions_interaction_mode_consistent';
  end if;
  new.interaction_mode := v_mode;

  if new.cost_to_serve_source = 'derived' then
    new.cost_to_serve := cx.derived_cost_to_serve(
      new.channel_id, new.bot_duration_seconds, new.human_duration_seconds, new.wrap_up_seconds);
  end if;
  return new;
end
$$;
comment on function cx_private.tg_customer_interactions__apply_rules() is
  'BEFORE INSERT or UPDATE on customer_interactions: interaction_id and initial_mode fixed, escalation never undone and its consequences for interaction_mode and escalation_timestamp, region copied from the customer, cost_to_serve derived unless given, first_contact_resolution kept from writers.';

--! split: 0140-steps-check-their-interaction.sql
/*
 * The step statement trigger checks the steps' interactions before it recomputes their totals:
 * one locking query for the whole statement instead of one foreign-key query per row. On UPDATE
 * every key the new rows name is checked, changed or not: which old row became which new row
 * cannot be told from the transition tables, and updates of steps are rare and small.
 */
create or replace function cx_private.tg_interaction_steps__classify() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
  v_named cx_private.interaction_key[];
  v_locked cx_private.interaction_key[];
  v_missing cx_private.interaction_key;
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
    if v_named is not null then
      -- lock every interaction the steps name, FOR KEY SHARE like a foreign-key check: a concurrent
      -- delete or key change of one waits until this transaction ends, and one that committed
      -- first leaves that interaction unlocked, hence missing
      select array_agg((p.customer_id, p.interaction_id, p.start_timestamp)::cx_private.interaction_key)
        into v_locked
        from (select ci.customer_id, ci.interaction_id, ci.start_timestamp
                from cx.customer_interactions ci
                join unnest(v_named) k
                  on ci.customer_id = k.customer_id and ci.interaction_id = k.interaction_id
                 and ci.start_timestamp = k.start_timestamp
                 for key share of ci) p;
      -- the named keys are distinct and each names at most one interaction
      if coalesce(cardinality(v_locked), 0) < cardinality(v_named) then
        select m.* into v_missing
          from (select * from unnest(v_named) except select * from unnest(v_locked)) m
         order by m.customer_id, m.interaction_id, m.start_timestamp
         limit 1;
        raise exception 'interaction % (customer %, started %) does not exist',
            v_missing.interaction_id, v_missing.customer_id, v_missing.start_timestamp
          using errcode = 'foreign_key_violation', column = 'interaction_id',
                constraint = 'interaction_steps_interaction_missing';
      end if;
    end if;
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

--! split: 0150-interactions-cascade-to-steps.sql
/*
 * What the foreign key's ON DELETE CASCADE and ON UPDATE CASCADE did, once per statement: deleted
 * interactions take their steps along, truncating interactions truncates the steps, and steps follow
 * their interaction to a new customer_id or start_timestamp (and partition). Numbered _300_ so they
 * run before the _500_ roll-ups, as the foreign key's actions did.
 */
create function cx_private.tg_customer_interactions__cascade_steps() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_moved cx_private.interaction_key[];
  v_shared uuid;
begin
  if tg_op = 'TRUNCATE' then
    truncate cx.interaction_steps;
  elsif tg_op = 'DELETE' then
    delete from cx.interaction_steps s
     using old_rows o
     where s.customer_id = o.customer_id and s.interaction_id = o.interaction_id
       and s.interaction_start_timestamp = o.start_timestamp;
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
    update cx.interaction_steps s
       set customer_id = n.customer_id, interaction_start_timestamp = n.start_timestamp
      from unnest(v_moved) m
      join new_rows n on n.interaction_id = m.interaction_id
     where s.customer_id = m.customer_id and s.interaction_id = m.interaction_id
       and s.interaction_start_timestamp = m.start_timestamp;
  end if;
  return null;
end
$$;
comment on function cx_private.tg_customer_interactions__cascade_steps() is
  'AFTER each statement on customer_interactions: deletes the steps of deleted interactions, moves the steps of interactions whose customer_id or start_timestamp changed to the new key (refusing key changes of interactions that share an interaction_id in one statement), truncates interaction_steps after a TRUNCATE.';

create trigger _300_cascade_steps_after_delete after delete on cx.customer_interactions
  referencing old table as old_rows
  for each statement execute function cx_private.tg_customer_interactions__cascade_steps();
comment on trigger _300_cascade_steps_after_delete on cx.customer_interactions is
  'Deletes the steps of the interactions the statement deleted (instead of a foreign key''s ON DELETE CASCADE).';
create trigger _300_cascade_steps_after_update after update on cx.customer_interactions
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__cascade_steps();
comment on trigger _300_cascade_steps_after_update on cx.customer_interactions is
  'Moves the steps of interactions whose customer_id or start_timestamp the statement changed (instead of a foreign key''s ON UPDATE CASCADE).';
create trigger _300_cascade_steps_after_truncate after truncate on cx.customer_interactions
  for each statement execute function cx_private.tg_customer_interactions__cascade_steps();
comment on trigger _300_cascade_steps_after_truncate on cx.customer_interactions is
  'Truncates interaction_steps after customer_interactions: steps cannot outlive their interactions.';
