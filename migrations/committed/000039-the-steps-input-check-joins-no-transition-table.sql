--! Previous: sha1:1c2c7f7a196d2e5123ccddff98728e55018f1724
--! Hash: sha1:72835ffca9ae4f21750d921a7f6d724e25b08303
--! Message: The steps' input check joins no transition table

--! split: 0100-the-steps-input-check-joins-no-transition-table.sql
/*
 * The steps' input check joined its transition table to cx.agents. Citus 13.2 cannot plan a query
 * that joins a transition table to a Citus table (measured: "unrecognized RTE kind: 7" on every
 * step insert). It now takes the agents and step types out of its rows first, then reads the
 * agents (a reference table, with a copy on every node) by those arrays; what it refuses is the same.
 */
create or replace function cx_private.tg_interaction_steps__check_inputs() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_window tstzrange := cx_private.timestamp_window();
  v_agents uuid[];
  v_step_types text[];
  v_refused record;
begin
  select array_agg(n.agent_id), array_agg(n.step_type) into v_agents, v_step_types
    from new_steps n
   where n.agent_id is not null;
  if v_agents is not null then
    select s.agent_id, s.step_type, a.agent_type into v_refused
      from unnest(v_agents, v_step_types) s(agent_id, step_type)
      join cx.agents a on a.agent_id = s.agent_id
     where (s.step_type = 'bot' and a.agent_type not in ('bot', 'hybrid'))
        or (s.step_type in ('human', 'hold', 'wrap_up') and a.agent_type = 'bot')
     limit 1;
    if found then
      raise exception 'agent % is a % agent and cannot take a % step', v_refused.agent_id, v_refused.agent_type, v_refused.step_type
        using errcode = 'check_violation', column = 'agent_id', constraint = 'interaction_steps_agent_id_kind';
    end if;
  end if;
  if tg_op = 'INSERT' then
    select n.started_at, n.ended_at into v_refused
      from new_steps n
     where not n.started_at <@ v_window or not n.ended_at <@ v_window
     limit 1;
  else
    select case when n.started_at is distinct from o.started_at then n.started_at end as started_at,
           case when n.ended_at is distinct from o.ended_at then n.ended_at end as ended_at
      into v_refused
      from new_steps n
      join old_steps o on o.step_id = n.step_id
     where (n.started_at is distinct from o.started_at and not n.started_at <@ v_window)
        or (n.ended_at is distinct from o.ended_at and not n.ended_at <@ v_window)
     limit 1;
  end if;
  if found then
    perform cx_private.require_in_window('interaction_steps', 'started_at', v_refused.started_at, null);
    perform cx_private.require_in_window('interaction_steps', 'ended_at', v_refused.ended_at, null);
  end if;
  return null;
end
$$;
