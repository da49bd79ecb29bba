--! Previous: sha1:f5b7def9f74438ce1a0e4e78a62aa14fcd04a17e
--! Hash: sha1:d10610c2d11ef4db12b7083ff7fec9181ff8834e
--! Message: status change error names the open interval; drop last_interaction_at

--! split: 0100-status-change-error-names-the-open-interval.sql
/*
 * A status change dated before the agent's open interval began is refused with a message that
 * names that interval's start (it named nothing: the start was read by the failing UPDATE).
 */
create or replace function cx_private.tg_agents__record_status() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_open_started_at timestamptz;
begin
  if tg_op = 'UPDATE' then
    if new.current_status is not distinct from old.current_status then
      return null;
    end if;
    -- read the open interval's start first: the error below must name it when the update fails
    select started_at into v_open_started_at
      from cx.agent_status_history
     where agent_id = new.agent_id and ended_at is null;
    update cx.agent_status_history
       set ended_at = new.status_changed_at
     where agent_id = new.agent_id and ended_at is null;
  end if;
  insert into cx.agent_status_history (agent_id, status, started_at, source)
  values (new.agent_id, new.current_status, new.status_changed_at, 'status_change');
  return null;
exception when check_violation then
  raise exception 'status_changed_at % is before the start % of agent %''s current status interval',
      new.status_changed_at, v_open_started_at, new.agent_id
    using errcode = 'check_violation', column = 'status_changed_at',
          constraint = 'agent_status_history_status_changed_at_order';
end
$$;


--! split: 0110-drop-last-interaction-at.sql
/*
 * customers.last_interaction_at was documented as trigger-kept but nothing kept it; the latest
 * interaction is one index probe away (customer_interactions_fcr_idx), so the column goes.
 */
alter table cx.customers drop column if exists last_interaction_at;
