--! Previous: sha1:6ad80f1bca906c7f64bccf6d4f3628fe6a75f5c3
--! Hash: sha1:00879fa36d4051c90395521ed1a0df69d718f4a0
--! Message: optimistic first contact resolution at insert

--! split: 0100-optimistic-first-contact-resolution.sql
/*
 * A new interaction's first_contact_resolution starts as "resolved", what it is unless a repeat
 * contact exists, instead of false: the roll-up then rewrites only the interactions that really
 * have a repeat, not nearly every row of a bulk load a second time. The value a writer gives is
 * still ignored, and the recomputation after each statement still decides.
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
