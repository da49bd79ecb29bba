--! Previous: sha1:adf2b67ae46573d873169ea6d830b3a697d3fe09
--! Hash: sha1:bf0737d1b9f7b76d6fae484317f3b36e556333d9
--! Message: Agent statuses are set by a write function

--! split: 0100-agent-statuses-are-set-by-a-write-function.sql
/*
 * An agent's status changes were recorded by a row trigger on cx.agents that wrote
 * agent_status_history. agents is a reference table on Citus, whose triggers run once per copy:
 * the history would be written on every node. Setting a status is now cx.set_agent_statuses (a
 * batch: close each agent's open interval, open the next, update the agent), and a new agent opens
 * its first interval through cx_private.open_status_intervals in the statement that creates it.
 * The row trigger that stamps status_changed_at when a writer gives no time stays: it reads only
 * its own row. The owner may still update agents directly; then no interval is recorded.
 */
drop trigger if exists _200_record_status on cx.agents;
drop function if exists cx_private.tg_agents__record_status();
drop function if exists cx_private.open_status_intervals(uuid[], text[], timestamptz[]);
drop function if exists cx.set_agent_statuses(uuid[], text[], timestamptz[]);

create function cx_private.open_status_intervals(p_agent_ids uuid[], p_statuses text[], p_started_ats timestamptz[])
  returns integer
  language sql volatile
  set search_path = pg_catalog
  as $$
    with opened as (
      insert into cx.agent_status_history (agent_id, status, started_at, source)
      select o.agent_id, o.status, o.started_at, 'status_change'
        from unnest(p_agent_ids, p_statuses, p_started_ats) o(agent_id, status, started_at)
      returning 1
    )
    select count(*)::integer from opened
  $$;
comment on function cx_private.open_status_intervals(uuid[], text[], timestamptz[]) is
  'Opens a status interval (source status_change) per agent: the one definition of what a status change records, used when an agent is created and by cx.set_agent_statuses.';

create function cx.set_agent_statuses(p_agent_ids uuid[], p_statuses text[], p_changed_ats timestamptz[] default null)
  returns table (agent_id uuid, current_status text, status_changed_at timestamptz)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_count integer := coalesce(cardinality(p_agent_ids), 0);
  v_late record;
  v_now timestamptz := clock_timestamp();
begin
  if coalesce(cardinality(p_statuses), 0) <> v_count or cardinality(p_changed_ats) <> v_count then
    raise exception 'every array of the batch must have one element per agent (% agent ids)', v_count
      using errcode = 'invalid_parameter_value';
  end if;
  if v_count = 0 then
    return;
  end if;
  if (select count(distinct a) from unnest(p_agent_ids) a) < v_count then
    raise exception 'an agent may change status once per batch'
      using errcode = 'invalid_parameter_value', column = 'agent_id';
  end if;

  -- the agents whose status changes (another status, or no open interval to continue); locked
  create temporary table if not exists set_agent_statuses_batch (
    agent_id uuid primary key, status text, changed_at timestamptz, open_started_at timestamptz
  ) on commit drop;
  truncate pg_temp.set_agent_statuses_batch;
  insert into pg_temp.set_agent_statuses_batch
  select a.agent_id, c.status, coalesce(c.changed_at, v_now), h.started_at
    from unnest(p_agent_ids, p_statuses, coalesce(p_changed_ats, array_fill(null::timestamptz, array[v_count])))
         c(agent_id, status, changed_at)
    join cx.agents a on a.agent_id = c.agent_id
    left join cx.agent_status_history h on h.agent_id = a.agent_id and h.ended_at is null
   where a.current_status is distinct from c.status or h.agent_id is null
     for no key update of a;

  -- a change may not end the open interval before it began
  select b.agent_id, b.changed_at, b.open_started_at into v_late
    from pg_temp.set_agent_statuses_batch b
   where b.changed_at < b.open_started_at
   order by b.agent_id
   limit 1;
  if found then
    raise exception 'status_changed_at % is before the start % of agent %''s current status interval',
        v_late.changed_at, v_late.open_started_at, v_late.agent_id
      using errcode = 'check_violation', column = 'status_changed_at',
            constraint = 'agent_status_history_status_changed_at_order';
  end if;

  update cx.agent_status_history h
     set ended_at = b.changed_at
    from pg_temp.set_agent_statuses_batch b
   where h.agent_id = b.agent_id and h.ended_at is null;
  perform cx_private.open_status_intervals(array_agg(b.agent_id), array_agg(b.status), array_agg(b.changed_at))
     from pg_temp.set_agent_statuses_batch b;
  update cx.agents a
     set current_status = b.status, status_changed_at = b.changed_at
    from pg_temp.set_agent_statuses_batch b
   where a.agent_id = b.agent_id;

  return query
    select a.agent_id, a.current_status, a.status_changed_at
      from cx.agents a
     where a.agent_id = any(p_agent_ids)
     order by array_position(p_agent_ids, a.agent_id);
end
$$;
comment on function cx.set_agent_statuses(uuid[], text[], timestamptz[]) is
  'Sets a batch of agents'' statuses (at the given times, else now): for each agent whose status changes, or that has no open interval, closes the open interval and opens the next in agent_status_history, then updates the agent. Returns the named agents'' status as it is now, in the order given (an unknown agent is left out). Every writer changes statuses through it.';
