--! Previous: sha1:c094d89bf855aa66d366abdd24b12b50333bbde8
--! Hash: sha1:338c78b59c9806e41c724502bb10e02d1a526a51
--! Message: Status changes without a temporary table

--! split: 0100-status-changes-without-a-temporary-table.sql
/*
 * cx.set_agent_statuses kept its batch in a temporary table, created and dropped in every
 * transaction that changes a status: catalog writes on one of the most frequent writes of a
 * contact centre. The batch is now an array of a composite type held in a variable.
 */
drop type if exists cx_private.status_change cascade;
create type cx_private.status_change as (agent_id uuid, status text, changed_at timestamptz, open_started_at timestamptz);
comment on type cx_private.status_change is
  'One agent''s status change in a batch of cx.set_agent_statuses, with the start of the interval it closes.';

create or replace function cx.set_agent_statuses(p_agent_ids uuid[], p_statuses text[], p_changed_ats timestamptz[] default null)
  returns table (agent_id uuid, current_status text, status_changed_at timestamptz)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_count integer := coalesce(cardinality(p_agent_ids), 0);
  v_changes cx_private.status_change[];
  v_late cx_private.status_change;
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

  -- the agents named are locked first, in one order (concurrent batches neither deadlock nor read
  -- an interval another is closing); then the ones whose status changes (another status, or no
  -- open interval to continue)
  perform 1 from cx.agents a where a.agent_id = any(p_agent_ids) order by a.agent_id for no key update;
  select array_agg((a.agent_id, c.status, coalesce(c.changed_at, v_now), h.started_at)::cx_private.status_change
                   order by a.agent_id)
    into v_changes
    from unnest(p_agent_ids, p_statuses, coalesce(p_changed_ats, array_fill(null::timestamptz, array[v_count])))
         c(agent_id, status, changed_at)
    join cx.agents a on a.agent_id = c.agent_id
    left join cx.agent_status_history h on h.agent_id = a.agent_id and h.ended_at is null
   where a.current_status is distinct from c.status or h.agent_id is null;

  if v_changes is not null then
    -- a change may not end the open interval before it began
    select * into v_late from unnest(v_changes) b where b.changed_at < b.open_started_at order by b.agent_id limit 1;
    if found then
      raise exception 'status_changed_at % is before the start % of agent %''s current status interval',
          v_late.changed_at, v_late.open_started_at, v_late.agent_id
        using errcode = 'check_violation', column = 'status_changed_at',
              constraint = 'agent_status_history_status_changed_at_order';
    end if;
    update cx.agent_status_history h
       set ended_at = b.changed_at
      from unnest(v_changes) b
     where h.agent_id = b.agent_id and h.ended_at is null;
    perform cx_private.open_status_intervals(array(select b.agent_id from unnest(v_changes) b order by b.agent_id),
                                             array(select b.status from unnest(v_changes) b order by b.agent_id),
                                             array(select b.changed_at from unnest(v_changes) b order by b.agent_id));
    update cx.agents a
       set current_status = b.status, status_changed_at = b.changed_at
      from unnest(v_changes) b
     where a.agent_id = b.agent_id;
  end if;

  return query
    select a.agent_id, a.current_status, a.status_changed_at
      from cx.agents a
     where a.agent_id = any(p_agent_ids)
     order by array_position(p_agent_ids, a.agent_id);
end
$$;
