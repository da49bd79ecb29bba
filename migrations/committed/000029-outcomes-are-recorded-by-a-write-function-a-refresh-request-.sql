--! Previous: sha1:1cd6db21e68bca30c72f2b494dc50c6766234d72
--! Hash: sha1:adf2b67ae46573d873169ea6d830b3a697d3fe09
--! Message: Outcomes are recorded by a write function; a refresh request needs no rights on the worker schema

--! split: 0100-a-refresh-request-needs-no-rights-on-the-worker-schema.sql
/*
 * Every write that logs a metric bucket asks the worker for a refresh, by adding a job to
 * graphile_worker's queue. An application role had to be granted rights on graphile_worker's tables
 * for that (or its sessions told that a refresh was already requested). The request is now made
 * with the rights of the function's owner: it takes no input and does one fixed thing, queue at
 * most one pending metrics__refresh job, so any writer may run it.
 */
create or replace function cx_private.request_metrics_refresh() returns void
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
begin
  if current_setting('carepulse.metrics_refresh_requested', true) = 'on' then
    return; -- this transaction asked already
  end if;
  perform set_config('carepulse.metrics_refresh_requested', 'on', true);
  if to_regclass('graphile_worker.jobs') is null then
    return; -- the worker's schema is not installed (a bare restore): the crontab will catch up
  end if;
  if not exists (
    select 1 from graphile_worker.jobs j
     where j.task_identifier = 'metrics__refresh' and j.locked_at is null and j.attempts < j.max_attempts
  ) then
    perform graphile_worker.add_job('metrics__refresh', '{}'::json,
      run_at := now() + interval '1 second', max_attempts := 10);
  end if;
end
$$;
comment on function cx_private.request_metrics_refresh() is
  'Queues one metrics__refresh job a second from now unless one is pending, once per transaction; runs with its owner''s rights (security definer, search_path pinned), so writers need no rights on graphile_worker.';

--! split: 0200-outcomes-are-recorded-by-a-write-function.sql
/*
 * The first rules to leave the triggers for a write function (issue 15): an outcome's interaction
 * must exist, and the outcome's (day recorded, channel) bucket is logged for the refresh. Both were
 * statement triggers on interaction_outcomes, which on Citus run on each shard and cannot query the
 * interactions or write the coordinator's bucket log. cx.record_outcomes does both for a batch, in
 * a few set-based statements; the client and the simulator call it. The owner may still write the
 * table directly: then nothing is checked or logged (cx.rebuild_daily_metrics() recomputes all).
 */
drop trigger if exists _100_interaction_exists_after_insert on cx.interaction_outcomes;
drop trigger if exists _100_interaction_exists_after_update on cx.interaction_outcomes;
drop trigger if exists _800_log_metric_buckets_after_delete on cx.interaction_outcomes;
drop trigger if exists _800_log_metric_buckets_after_insert on cx.interaction_outcomes;
drop trigger if exists _800_log_metric_buckets_after_update on cx.interaction_outcomes;
drop function if exists cx_private.tg_interaction_outcomes__log_metric_buckets();
drop function if exists cx.record_outcomes(uuid[], uuid[], timestamptz[], text[], numeric[], text[], uuid[], uuid[],
  timestamptz[], jsonb[]);

create function cx.record_outcomes(
  p_customer_ids uuid[],
  p_interaction_ids uuid[],
  p_interaction_start_timestamps timestamptz[],
  p_outcome_types text[],
  p_outcome_values numeric[] default null,
  p_currencies text[] default null,
  p_service_plan_ids uuid[] default null,
  p_attributed_agent_ids uuid[] default null,
  p_recorded_ats timestamptz[] default null,
  p_outcome_details jsonb[] default null
) returns table (ord integer, outcome_id uuid)
  language plpgsql volatile
  security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_count integer := coalesce(cardinality(p_customer_ids), 0);
  v_missing record;
  v_keys cx_private.interaction_key[];
  v_ords integer[];
  v_ids uuid[];
  v_buckets cx_private.metric_bucket[];
  v_zone text := cx_private.reporting_zone();
begin
  if coalesce(cardinality(p_interaction_ids), 0) <> v_count
     or coalesce(cardinality(p_interaction_start_timestamps), 0) <> v_count
     or coalesce(cardinality(p_outcome_types), 0) <> v_count
     or cardinality(p_outcome_values) <> v_count or cardinality(p_currencies) <> v_count
     or cardinality(p_service_plan_ids) <> v_count or cardinality(p_attributed_agent_ids) <> v_count
     or cardinality(p_recorded_ats) <> v_count or cardinality(p_outcome_details) <> v_count then
    raise exception 'every array of the batch must have one element per outcome (% customer ids)', v_count
      using errcode = 'invalid_parameter_value';
  end if;
  if v_count = 0 then
    return;
  end if;

  -- the interactions must exist: the first row naming a missing one is named, then the keys are
  -- locked as a foreign key would lock them (a concurrent delete waits for this transaction)
  select b.ord - 1 as ord, b.interaction_id, b.customer_id, b.start_timestamp into v_missing
    from unnest(p_customer_ids, p_interaction_ids, p_interaction_start_timestamps) with ordinality
         as b(customer_id, interaction_id, start_timestamp, ord)
   where not exists (select 1 from cx.customer_interactions ci
                      where ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
                        and ci.start_timestamp = b.start_timestamp)
   order by b.ord
   limit 1;
  if found then
    raise exception 'interaction % (customer %, started %) does not exist',
        v_missing.interaction_id, v_missing.customer_id, v_missing.start_timestamp
      using errcode = 'foreign_key_violation', column = 'interaction_id',
            constraint = 'interaction_outcomes_interaction_fkey',
            detail = cx_private.staged_row_position(v_missing.ord::integer, null);
  end if;
  select array_agg(distinct (k.customer_id, k.interaction_id, k.start_timestamp)::cx_private.interaction_key)
    into v_keys
    from unnest(p_customer_ids, p_interaction_ids, p_interaction_start_timestamps) k(customer_id, interaction_id, start_timestamp);
  perform cx_private.require_interactions(v_keys, 'interaction_outcomes_interaction_fkey');

  with batch as materialized (
    select (b.ord - 1)::integer as ord, cx.uuid_generate_v7() as outcome_id, b.customer_id, b.interaction_id,
           b.interaction_start_timestamp, b.outcome_type, coalesce(b.outcome_value, 0) as outcome_value,
           coalesce(b.currency, 'EUR') as currency, b.service_plan_id, b.attributed_agent_id,
           coalesce(b.recorded_at, now()) as recorded_at, coalesce(b.outcome_details, '{}') as outcome_details
      from unnest(p_customer_ids, p_interaction_ids, p_interaction_start_timestamps, p_outcome_types,
                  coalesce(p_outcome_values, array_fill(null::numeric, array[v_count])),
                  coalesce(p_currencies, array_fill(null::text, array[v_count])),
                  coalesce(p_service_plan_ids, array_fill(null::uuid, array[v_count])),
                  coalesce(p_attributed_agent_ids, array_fill(null::uuid, array[v_count])),
                  coalesce(p_recorded_ats, array_fill(null::timestamptz, array[v_count])),
                  coalesce(p_outcome_details, array_fill(null::jsonb, array[v_count])))
           with ordinality
           as b(customer_id, interaction_id, interaction_start_timestamp, outcome_type, outcome_value, currency,
                service_plan_id, attributed_agent_id, recorded_at, outcome_details, ord)
  ),
  inserted as (
    insert into cx.interaction_outcomes
      (customer_id, outcome_id, interaction_id, interaction_start_timestamp, outcome_type, outcome_value, currency,
       service_plan_id, attributed_agent_id, recorded_at, outcome_details)
    select b.customer_id, b.outcome_id, b.interaction_id, b.interaction_start_timestamp, b.outcome_type,
           b.outcome_value, b.currency, b.service_plan_id, b.attributed_agent_id, b.recorded_at, b.outcome_details
      from batch b
     order by b.ord
    returning 1
  )
  -- outcomes count on the day they were recorded, under their interaction's channel
  select array_agg(b.ord order by b.ord), array_agg(b.outcome_id order by b.ord),
         array_agg(distinct ('outcome', cx_private.day_in_zone(b.recorded_at, v_zone), ci.channel_id)::cx_private.metric_bucket)
    into v_ords, v_ids, v_buckets
    from batch b
    join cx.customer_interactions ci
      on ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
     and ci.start_timestamp = b.interaction_start_timestamp;
  perform cx_private.log_metric_buckets(v_buckets);

  return query select o.ord, o.outcome_id from unnest(v_ords, v_ids) o(ord, outcome_id);
end
$$;
comment on function cx.record_outcomes(uuid[], uuid[], timestamptz[], text[], numeric[], text[], uuid[], uuid[],
  timestamptz[], jsonb[]) is
  'Records a batch of business outcomes (one element per outcome in each array; value 0, EUR, now and {} by default): checks that each names an existing interaction (DETAIL names the batch row), inserts them, and logs their (day recorded, channel) buckets. Returns each outcome''s id by its position in the batch (0-based, as error details number rows). Every writer records outcomes through it.';

/*
 * Deleting interactions deletes their outcomes (cx_private.tg_customer_interactions__cascade_dependents),
 * and those outcomes' buckets must be refreshed: logged there now that the outcomes have no trigger
 * of their own, with the channel of the deleted interaction (before, the outcome trigger ran after
 * the interaction was gone and logged a bucket of no channel, leaving the real one stale).
 */
create or replace function cx_private.tg_customer_interactions__cascade_dependents() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_moved cx_private.interaction_key[];
  v_shared uuid;
  v_outcome_buckets cx_private.metric_bucket[];
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
    with gone as (
      delete from cx.interaction_outcomes x
       using old_rows o
       where x.customer_id = o.customer_id and x.interaction_id = o.interaction_id
         and x.interaction_start_timestamp = o.start_timestamp
      returning x.recorded_at, o.channel_id
    ),
    zone as materialized (select cx_private.reporting_zone() as zone)
    select array_agg(distinct ('outcome', cx_private.day_in_zone(g.recorded_at, z.zone), g.channel_id)::cx_private.metric_bucket)
      into v_outcome_buckets
      from gone g cross join zone z;
    if v_outcome_buckets is not null then
      perform cx_private.log_metric_buckets(v_outcome_buckets);
    end if;
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
