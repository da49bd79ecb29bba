--! Previous: sha1:72835ffca9ae4f21750d921a7f6d724e25b08303
--! Hash: sha1:80e9e143eb54b8f22d0a2f2a231e8310f2e95ab8
--! Message: Locks Citus can take

--! split: 0100-locks-citus-can-take.sql
/*
 * Two locks over many customers at once, the interactions a batch names (FOR KEY SHARE, as a
 * foreign key would) and the customers whose history a batch changes (FOR NO KEY UPDATE, in one
 * order so writers queue rather than deadlock), are refused on Citus: it locks rows only where an
 * equality on the distribution column names them (measured on Citus 13.2: "could not run
 * distributed query with FOR UPDATE/SHARE commands", also for customer_id = any(...)). Where the
 * table is distributed they are now taken one customer at a time, in the same order; on one node,
 * as before, in one statement.
 */
create or replace function cx_private.distributed(p_table regclass) returns boolean
  language plpgsql stable
  set search_path = pg_catalog
  as $$
declare
  v_distributed boolean;
begin
  if to_regclass('pg_catalog.pg_dist_partition') is null then
    return false; -- not Citus
  end if;
  execute 'select exists (select 1 from pg_catalog.pg_dist_partition where logicalrelid = $1 and partmethod = ''h'')'
    into v_distributed using p_table;
  return v_distributed;
end
$$;
comment on function cx_private.distributed(regclass) is
  'Whether the table is distributed by hash on Citus (false on PostgreSQL without Citus).';

create or replace function cx_private.require_interactions(p_keys cx_private.interaction_key[], p_rule text)
  returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_locked integer := 0;
  v_customer uuid;
  v_missing cx_private.interaction_key;
begin
  if p_keys is null or cardinality(p_keys) = 0 then
    return;
  end if;
  -- lock every named interaction FOR KEY SHARE like a foreign-key check: a concurrent delete or
  -- key change of one waits until this transaction ends, and one that committed first leaves that
  -- interaction unlocked, hence missing. The keys are distinct; each names at most one interaction.
  if cx_private.distributed('cx.customer_interactions') then
    for v_customer in select distinct k.customer_id from unnest(p_keys) k order by 1 loop
      select v_locked + count(*) into v_locked
        from (select 1
                from cx.customer_interactions ci
               where ci.customer_id = v_customer
                 and (ci.interaction_id, ci.start_timestamp) in
                     (select k.interaction_id, k.start_timestamp from unnest(p_keys) k where k.customer_id = v_customer)
                 for key share of ci) p;
    end loop;
  else
    select count(*) into v_locked
      from (select 1
              from cx.customer_interactions ci
              join unnest(p_keys) k
                on ci.customer_id = k.customer_id and ci.interaction_id = k.interaction_id
               and ci.start_timestamp = k.start_timestamp
               for key share of ci) p;
  end if;
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

create or replace function cx_private.apply_customer_history(p_changes cx_private.history_change[]) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_customer uuid;
begin
  -- lock the touched customers in a fixed order first: concurrent writers queue, never deadlock
  if cx_private.distributed('cx.customers') then
    for v_customer in select distinct ch.customer_id from unnest(p_changes) ch order by 1 loop
      perform 1 from cx.customers c where c.customer_id = v_customer for no key update;
    end loop;
  else
    perform 1
       from cx.customers c
      where c.customer_id in (select distinct ch.customer_id from unnest(p_changes) ch)
      order by c.customer_id
        for no key update;
  end if;
  with delta as (
    select ch.customer_id,
           sum(ch.sign) as total,
           coalesce(sum(ch.sign) filter (where ch.successful), 0) as successful,
           coalesce(sum(ch.sign) filter (where ch.escalated), 0) as escalated,
           coalesce(sum(ch.sign * ch.csat), 0) as csat_sum,
           coalesce(sum(ch.sign) filter (where ch.csat is not null), 0) as csat_count,
           coalesce(sum(ch.sign * ch.nps), 0) as nps_sum,
           coalesce(sum(ch.sign) filter (where ch.nps is not null), 0) as nps_count,
           coalesce(sum(ch.sign * ch.ces), 0) as ces_sum,
           coalesce(sum(ch.sign) filter (where ch.ces is not null), 0) as ces_count
      from unnest(p_changes) ch
     group by ch.customer_id
  )
  update cx.customers c
     set total_interactions = c.total_interactions + d.total,
         successful_interactions = c.successful_interactions + d.successful,
         escalation_count = c.escalation_count + d.escalated,
         satisfaction_sum = c.satisfaction_sum + d.csat_sum,
         satisfaction_count = c.satisfaction_count + d.csat_count,
         nps_sum = c.nps_sum + d.nps_sum,
         nps_count = c.nps_count + d.nps_count,
         effort_sum = c.effort_sum + d.ces_sum,
         effort_count = c.effort_count + d.ces_count
    from delta d
   where c.customer_id = d.customer_id
     and (d.total, d.successful, d.escalated, d.csat_sum, d.csat_count, d.nps_sum, d.nps_count, d.ces_sum, d.ces_count)
         <> (0, 0, 0, 0, 0, 0, 0, 0, 0);
end
$$;
