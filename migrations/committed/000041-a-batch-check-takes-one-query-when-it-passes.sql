--! Previous: sha1:80e9e143eb54b8f22d0a2f2a231e8310f2e95ab8
--! Hash: sha1:8c12c35a5e7560d547a3f4813b5daa8af4bf54e6
--! Message: A batch check takes one query when it passes

--! split: 0100-a-batch-check-takes-one-query-when-it-passes.sql
/*
 * cx_private.require_batch_interactions searched the batch for a missing interaction (to name its
 * row) and then locked the keys (cx_private.require_interactions), which looks them up again: two
 * queries on every write that names an interaction, though the search matters only when one is
 * missing. Locking comes first now and counts what it found (cx_private.lock_interactions, the one
 * definition of the lock, on one node and on Citus); only when it found fewer is the row searched.
 */
drop function if exists cx_private.lock_interactions(cx_private.interaction_key[]);
create function cx_private.lock_interactions(p_keys cx_private.interaction_key[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_locked integer := 0;
  v_customer uuid;
begin
  -- FOR KEY SHARE, like a foreign-key check: a concurrent delete or key change of one waits until
  -- this transaction ends, and one that committed first leaves that interaction unlocked, hence
  -- uncounted. Citus locks only what an equality on customer_id names: one customer at a time there.
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
  return v_locked;
end
$$;
comment on function cx_private.lock_interactions(cx_private.interaction_key[]) is
  'Locks the named interactions FOR KEY SHARE (one customer at a time where Citus distributes them) and returns how many it found; the keys must be distinct.';

create or replace function cx_private.require_interactions(p_keys cx_private.interaction_key[], p_rule text)
  returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_missing cx_private.interaction_key;
begin
  if p_keys is null or cardinality(p_keys) = 0 then
    return;
  end if;
  if cx_private.lock_interactions(p_keys) < cardinality(p_keys) then
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

create or replace function cx_private.require_batch_interactions(
  p_customer_ids uuid[], p_interaction_ids uuid[], p_start_timestamps timestamptz[], p_rule text
) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
  v_missing record;
begin
  select array_agg(distinct (k.customer_id, k.interaction_id, k.start_timestamp)::cx_private.interaction_key)
    into v_keys
    from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) k(customer_id, interaction_id, start_timestamp)
   where k.interaction_id is not null;
  if v_keys is null or cx_private.lock_interactions(v_keys) = cardinality(v_keys) then
    return;
  end if;
  -- an outer join, not a correlated subquery: Citus plans no correlated subquery beside a
  -- set-returning function (measured on Citus 13.2)
  select (b.ord - 1)::integer as ord, b.interaction_id, b.customer_id, b.start_timestamp into v_missing
    from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) with ordinality
         as b(customer_id, interaction_id, start_timestamp, ord)
    left join cx.customer_interactions ci
      on ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
     and ci.start_timestamp = b.start_timestamp
   where b.interaction_id is not null and ci.interaction_id is null
   order by b.ord
   limit 1;
  if not found then
    -- it went missing between the lock and the search (deleted and written again): named without a row
    perform cx_private.require_interactions(v_keys, p_rule);
    return;
  end if;
  raise exception 'interaction % (customer %, started %) does not exist',
      v_missing.interaction_id, v_missing.customer_id, v_missing.start_timestamp
    using errcode = 'foreign_key_violation', column = 'interaction_id', constraint = p_rule,
          detail = cx_private.staged_row_position(v_missing.ord, null);
end
$$;
