--! Previous: sha1:0b7399f96a8f54f3e83525b375509cb93dd690cf
--! Hash: sha1:cd681bd4971e276ff0db8e2c4275c268715aa505
--! Message: Interaction writes lock before they read and name an interaction once

--! split: 0100-locks-before-reads.sql
/*
 * Review of migrations 000044 and 000045 (issue 15):
 * - a writer that deletes or re-keys interactions took FOR NO KEY UPDATE and then needed FOR UPDATE,
 *   while a step writer held FOR KEY SHARE and then needed FOR NO KEY UPDATE: each waited for the
 *   other. Deletes and corrections now lock FOR UPDATE from the start;
 * - the recomputations locked in the statement that read the steps and feedback, whose snapshot
 *   predates the wait: a concurrent writer's rows were missed. They lock first, then read;
 * - an interaction named twice in a batch multiplied its changes (its history counted twice or
 *   four times); write_interactions pairs each change by its position, and the batches refuse a
 *   key named twice;
 * - Citus refuses an UPDATE that sets the distribution column, even to the same value: only a
 *   change of customer sets customer_id;
 * - the parent key cascaded on update, a write no function saw: a parent moves with its follow-ups
 *   in one correction, or not at all.
 */
drop function if exists cx_private.lock_interaction_rows(cx_private.interaction_key[]);
drop function if exists cx_private.lock_interaction_rows(cx_private.interaction_key[], boolean);

create function cx_private.lock_interaction_rows(p_keys cx_private.interaction_key[], p_for_update boolean default false)
  returns cx.customer_interactions[]
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_rows cx.customer_interactions[] := '{}';
  v_row cx.customer_interactions;
  v_customer uuid;
begin
  -- in key order, so writers of the same interactions queue and never deadlock. A writer that will
  -- delete them or change their key takes FOR UPDATE at once: upgrading from a weaker lock while a
  -- step writer holds FOR KEY SHARE would wait for it as it waits for this one. Citus locks only
  -- what an equality on customer_id names: one customer at a time there
  if cx_private.distributed('cx.customer_interactions') then
    for v_customer in select distinct k.customer_id from unnest(p_keys) k order by 1 loop
      if p_for_update then
        for v_row in
          select ci.* from cx.customer_interactions ci
           where ci.customer_id = v_customer
             and (ci.interaction_id, ci.start_timestamp) in
                 (select k.interaction_id, k.start_timestamp from unnest(p_keys) k where k.customer_id = v_customer)
           order by ci.interaction_id, ci.start_timestamp
             for update of ci
        loop
          v_rows := array_append(v_rows, v_row);
        end loop;
      else
        for v_row in
          select ci.* from cx.customer_interactions ci
           where ci.customer_id = v_customer
             and (ci.interaction_id, ci.start_timestamp) in
                 (select k.interaction_id, k.start_timestamp from unnest(p_keys) k where k.customer_id = v_customer)
           order by ci.interaction_id, ci.start_timestamp
             for no key update of ci
        loop
          v_rows := array_append(v_rows, v_row);
        end loop;
      end if;
    end loop;
  elsif p_for_update then
    select coalesce(array_agg(l.r), '{}') into v_rows
      from (select ci::cx.customer_interactions as r
              from cx.customer_interactions ci
             where (ci.customer_id, ci.interaction_id, ci.start_timestamp) in
                   (select k.customer_id, k.interaction_id, k.start_timestamp from unnest(p_keys) k)
             order by ci.customer_id, ci.interaction_id, ci.start_timestamp
               for update of ci) l;
  else
    select coalesce(array_agg(l.r), '{}') into v_rows
      from (select ci::cx.customer_interactions as r
              from cx.customer_interactions ci
             where (ci.customer_id, ci.interaction_id, ci.start_timestamp) in
                   (select k.customer_id, k.interaction_id, k.start_timestamp from unnest(p_keys) k)
             order by ci.customer_id, ci.interaction_id, ci.start_timestamp
               for no key update of ci) l;
  end if;
  return v_rows;
end
$$;

comment on function cx_private.lock_interaction_rows(cx_private.interaction_key[], boolean) is
  'Locks the named interactions FOR NO KEY UPDATE, or FOR UPDATE for a writer that deletes them or changes their key, in key order (one customer at a time where Citus distributes them), and returns them as they are; a key that names nothing is left out. Callers read what the lock protects in a later statement, whose snapshot follows the wait.';

create or replace function cx_private.write_interactions(p_changes cx_private.interaction_change[])
  returns cx.customer_interactions[]
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_changes cx_private.interaction_change[];
  v_old cx.customer_interactions[];
  v_written cx.customer_interactions[];
  v_moved_rows cx.customer_interactions[];
  v_set text;
begin
  -- each change keeps its position: a row is paired with nothing but its own old row. A cost a
  -- writer changes is theirs (given); set to null it is derived again; every derived cost follows
  -- the row's durations and channel
  select array_agg((x.old_row,
                    case when s.source = 'derived'
                         then jsonb_populate_record(x.new_row, jsonb_build_object('cost_to_serve_source', s.source,
                                'cost_to_serve', cx_private.cost_from_rates(ch.bot_cost_per_minute, ch.human_cost_per_minute,
                                  (x.new_row).bot_duration_seconds, (x.new_row).human_duration_seconds,
                                  (x.new_row).wrap_up_seconds)))
                         else jsonb_populate_record(x.new_row, jsonb_build_object('cost_to_serve_source', s.source))
                    end)::cx_private.interaction_change order by x.pos)
    into v_changes
    from unnest(p_changes) with ordinality x(old_row, new_row, pos)
    left join cx.channels ch on ch.channel_id = (x.new_row).channel_id
   cross join lateral (
     select case when (x.new_row).cost_to_serve is not distinct from (x.old_row).cost_to_serve
                 then (x.new_row).cost_to_serve_source
                 when (x.new_row).cost_to_serve is null then 'derived'
                 else 'given' end as source) s;
  select array_agg(c order by c.pos) into v_changes
    from (select (x.old_row, x.new_row)::cx_private.interaction_change as c, x.pos
            from unnest(v_changes) with ordinality x(old_row, new_row, pos)
           where x.new_row is distinct from x.old_row) c;
  if v_changes is null then
    return '{}';
  end if;

  -- every column a write function may change but the customer: Citus refuses an UPDATE that sets
  -- its distribution column, even to its own value, so only a change of customer names it
  select string_agg(format('%I = (c.new_row).%I', a.attname, a.attname), ', ' order by a.attnum)
    into v_set
    from pg_attribute a
   where a.attrelid = 'cx.customer_interactions'::regclass and a.attnum > 0 and not a.attisdropped
     and a.attgenerated = '' and a.attname not in ('customer_id', 'interaction_id', 'created_at', 'updated_at');
  execute format(
    'with written as (
       update cx.customer_interactions ci set %s
         from unnest($1) c
        where ci.customer_id = (c.old_row).customer_id and ci.interaction_id = (c.old_row).interaction_id
          and ci.start_timestamp = (c.old_row).start_timestamp
          and (c.new_row).customer_id is not distinct from (c.old_row).customer_id
       returning ci.*)
     select array_agg(w::cx.customer_interactions) from written w', v_set)
    into v_written using v_changes;
  if exists (select 1 from unnest(v_changes) c where (c.new_row).customer_id is distinct from (c.old_row).customer_id) then
    execute format(
      'with written as (
         update cx.customer_interactions ci set customer_id = (c.new_row).customer_id, %s
           from unnest($1) c
          where ci.customer_id = (c.old_row).customer_id and ci.interaction_id = (c.old_row).interaction_id
            and ci.start_timestamp = (c.old_row).start_timestamp
            and (c.new_row).customer_id is distinct from (c.old_row).customer_id
         returning ci.*)
       select array_agg(w::cx.customer_interactions) from written w', v_set)
      into v_moved_rows using v_changes;
    v_written := coalesce(v_written, '{}') || coalesce(v_moved_rows, '{}');
  end if;
  select array_agg(c.old_row) into v_old from unnest(v_changes) c;
  perform cx_private.interactions_changed(v_old, coalesce(v_written, '{}'));
  return coalesce(v_written, '{}');
end
$$;

comment on function cx_private.write_interactions(cx_private.interaction_change[]) is
  'Writes interactions as the write functions mean them (each change: the row as it is, locked, and as it should be; an interaction once per call): a changed cost_to_serve becomes given (null: derived again), a derived cost follows the durations and the channel, only rows that change are updated (customer_id only where the customer changes, as Citus requires), and their consequences are applied (cx_private.interactions_changed). Returns the rows as written.';

--! split: 0200-recomputations-lock-then-read.sql
create or replace function cx_private.recompute_step_totals(p_keys cx_private.interaction_key[]) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_locked cx.customer_interactions[];
  v_changes cx_private.interaction_change[];
begin
  -- locked first: the steps are read by the next statement, whose snapshot follows the wait
  v_locked := cx_private.lock_interaction_rows(array(select distinct k from unnest(p_keys) k));
  with locked as (
    select l as r from unnest(v_locked) l
  ),
  totals as (
    select (x.r).customer_id, (x.r).interaction_id, (x.r).start_timestamp,
           coalesce(sum(s.duration_seconds) filter (where s.step_type = 'bot'), 0)::integer as bot_seconds,
           coalesce(sum(s.duration_seconds) filter (where s.step_type in ('human', 'hold')), 0)::integer as human_seconds,
           coalesce(sum(s.duration_seconds) filter (where s.step_type = 'queue'), 0)::integer as queue_seconds,
           coalesce(sum(s.duration_seconds) filter (where s.step_type = 'wrap_up'), 0)::integer as wrap_up_seconds,
           min(s.started_at) filter (where s.step_type in ('queue', 'human')) as first_human_or_queue
      from locked x
      left join cx.interaction_steps s
        on s.customer_id = (x.r).customer_id and s.interaction_id = (x.r).interaction_id
       and s.interaction_start_timestamp = (x.r).start_timestamp
     group by 1, 2, 3
  )
  select array_agg((x.r, jsonb_populate_record(x.r, jsonb_build_object(
           'bot_duration_seconds', t.bot_seconds, 'human_duration_seconds', t.human_seconds,
           'queue_time_seconds', t.queue_seconds, 'wrap_up_seconds', t.wrap_up_seconds,
           -- a bot session that reached a queue or a human escalated then
           'escalated_to_human', (x.r).escalated_to_human or h.reached_human,
           'escalation_timestamp', case when h.reached_human then t.first_human_or_queue
                                        else (x.r).escalation_timestamp end)))::cx_private.interaction_change)
    into v_changes
    from locked x
    join totals t
      on t.customer_id = (x.r).customer_id and t.interaction_id = (x.r).interaction_id
     and t.start_timestamp = (x.r).start_timestamp
   cross join lateral (select (x.r).initial_mode in ('bot', 'self_service', 'ivr') and t.first_human_or_queue is not null
                         as reached_human) h;
  if v_changes is not null then
    perform cx_private.write_interactions(v_changes);
  end if;
end
$$;

comment on function cx_private.recompute_step_totals(cx_private.interaction_key[]) is
  'Recomputes bot, human (+hold), queue and wrap-up seconds and the escalation of the given interactions from all their steps (locked first, read after), and writes those that change through cx_private.write_interactions (cost, history and buckets follow).';

create or replace function cx_private.recompute_interaction_scores(p_keys cx_private.interaction_key[]) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_locked cx.customer_interactions[];
  v_changes cx_private.interaction_change[];
begin
  -- locked first: the feedback is read by the next statement, whose snapshot follows the wait
  v_locked := cx_private.lock_interaction_rows(array(
    select distinct k from unnest(p_keys) k where k.interaction_id is not null));
  select array_agg((x.r, jsonb_populate_record(x.r, jsonb_build_object(
           'customer_satisfaction_score', l.csat, 'nps_score', l.nps, 'customer_effort_score', l.ces)))::cx_private.interaction_change)
    into v_changes
    from (select l as r from unnest(v_locked) l) x
   cross join lateral (
     select (select f.csat_score from cx.customer_feedback f
              where f.customer_id = (x.r).customer_id and f.interaction_id = (x.r).interaction_id
                and f.interaction_start_timestamp = (x.r).start_timestamp and f.csat_score is not null
              order by f.submitted_at desc, f.feedback_id desc limit 1) as csat,
            (select f.nps_score from cx.customer_feedback f
              where f.customer_id = (x.r).customer_id and f.interaction_id = (x.r).interaction_id
                and f.interaction_start_timestamp = (x.r).start_timestamp and f.nps_score is not null
              order by f.submitted_at desc, f.feedback_id desc limit 1) as nps,
            (select f.ces_score from cx.customer_feedback f
              where f.customer_id = (x.r).customer_id and f.interaction_id = (x.r).interaction_id
                and f.interaction_start_timestamp = (x.r).start_timestamp and f.ces_score is not null
              order by f.submitted_at desc, f.feedback_id desc limit 1) as ces
   ) l;
  if v_changes is not null then
    perform cx_private.write_interactions(v_changes);
  end if;
end
$$;

comment on function cx_private.recompute_interaction_scores(cx_private.interaction_key[]) is
  'Sets each given interaction''s CSAT, NPS and CES to the latest linked feedback that has each score (locked first, read after), through cx_private.write_interactions (history and buckets follow).';

--! split: 0300-batches-name-an-interaction-once.sql
create or replace function cx.correct_interactions(p_corrections jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_fields text[] := array(
    select a.attname::text from pg_attribute a
     where a.attrelid = 'cx.customer_interactions'::regclass and a.attnum > 0 and not a.attisdropped
       and a.attgenerated = ''
       and a.attname not in ('interaction_id', 'first_contact_resolution', 'cost_to_serve_source', 'created_at', 'updated_at')
     order by a.attnum);
  v_refused record;
  v_changes cx_private.interaction_change[];
  v_ords integer[];
begin
  perform cx_private.require_batch_rows(p_corrections, array['customer_id', 'interaction_id', 'start_timestamp', 'set'],
                                        'corrections');
  select (e.ord - 1)::integer as ord, jsonb_typeof(e.value -> 'set') as kind, k.key
    into v_refused
    from jsonb_array_elements(p_corrections) with ordinality e(value, ord)
    left join lateral (select k.key from jsonb_object_keys(case when jsonb_typeof(e.value -> 'set') = 'object'
                                                                then e.value -> 'set' end) k(key)
                        where k.key <> all (v_fields) order by k.key limit 1) k on true
   where jsonb_typeof(e.value -> 'set') is distinct from 'object' or k.key is not null
   order by e.ord
   limit 1;
  if found and v_refused.key is null then
    raise exception 'set must be a JSON object of the columns to change, got %', coalesce(v_refused.kind, 'nothing')
      using errcode = 'invalid_parameter_value', column = 'set', detail = cx_private.staged_row_position(v_refused.ord, null);
  elsif found then
    raise exception '% is not a column a correction can set: the columns are %', v_refused.key, array_to_string(v_fields, ', ')
      using errcode = 'invalid_parameter_value', column = v_refused.key,
            detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;
  select (e.ord - 1)::integer as ord into v_refused
    from jsonb_array_elements(p_corrections) with ordinality e(value, ord)
   where e.value ->> 'customer_id' is null or e.value ->> 'interaction_id' is null or e.value ->> 'start_timestamp' is null
   order by e.ord
   limit 1;
  if found then
    raise exception 'a correction names its interaction by customer_id, interaction_id and start_timestamp'
      using errcode = 'not_null_violation', column = 'interaction_id', detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;
  perform cx_private.require_batch_interactions(
    array(select (e.value ->> 'customer_id')::uuid from jsonb_array_elements(p_corrections) with ordinality e(value, ord) order by e.ord),
    array(select (e.value ->> 'interaction_id')::uuid from jsonb_array_elements(p_corrections) with ordinality e(value, ord) order by e.ord),
    array(select (e.value ->> 'start_timestamp')::timestamptz from jsonb_array_elements(p_corrections) with ordinality e(value, ord) order by e.ord),
    'customer_interactions_missing');
  select b.ord into v_refused
    from (select (e.ord - 1)::integer as ord,
                 row_number() over (partition by (e.value ->> 'customer_id')::uuid, (e.value ->> 'interaction_id')::uuid,
                                                (e.value ->> 'start_timestamp')::timestamptz order by e.ord) as times
            from jsonb_array_elements(p_corrections) with ordinality e(value, ord)) b
   where b.times > 1
   order by b.ord
   limit 1;
  if found then
    raise exception 'an interaction is corrected once in a batch: join its corrections into one set'
      using errcode = 'unique_violation', column = 'interaction_id', detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;

  with batch as (
    select (e.ord - 1)::integer as ord, (e.value ->> 'customer_id')::uuid as customer_id,
           (e.value ->> 'interaction_id')::uuid as interaction_id,
           (e.value ->> 'start_timestamp')::timestamptz as start_timestamp, e.value -> 'set' as changes
      from jsonb_array_elements(p_corrections) with ordinality e(value, ord)
  ),
  locked as (
    select l as r
      from unnest(cx_private.lock_interaction_rows(array(
             select (b.customer_id, b.interaction_id, b.start_timestamp)::cx_private.interaction_key from batch b),
             -- a correction may move the interaction: FOR UPDATE from the start
             true)) l
  )
  select array_agg((x.r, jsonb_populate_record(x.r, b.changes))::cx_private.interaction_change order by b.ord),
         array_agg(b.ord order by b.ord)
    into v_changes, v_ords
    from batch b
    join locked x
      on (x.r).customer_id = b.customer_id and (x.r).interaction_id = b.interaction_id
     and (x.r).start_timestamp = b.start_timestamp;
  perform cx_private.write_interactions(v_changes);

  return query
    select u.ord, (u.new_row).customer_id, (u.new_row).interaction_id, (u.new_row).start_timestamp
      from unnest(v_changes, v_ords) u(old_row, new_row, ord)
     order by u.ord;
end
$$;

create or replace function cx.end_interactions(p_ends jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz, end_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_refused record;
  v_changes cx_private.interaction_change[];
  v_ords integer[];
begin
  perform cx_private.require_batch_rows(p_ends,
    array['customer_id', 'interaction_id', 'start_timestamp', 'end_timestamp', 'status', 'resolution_status',
          'error_code', 'cost_to_serve', 'interaction_value', 'revenue_impact', 'sentiment_score', 'correction'],
    'ends');
  select (e.ord - 1)::integer as ord, f.field into v_refused
    from jsonb_array_elements(p_ends) with ordinality e(value, ord)
   cross join lateral (select f.field from unnest(array['customer_id', 'interaction_id', 'start_timestamp', 'status',
                                                        'resolution_status']) with ordinality f(field, pos)
                        where e.value ->> f.field is null order by f.pos limit 1) f
   order by e.ord
   limit 1;
  if found then
    raise exception '% is required to end an interaction', v_refused.field
      using errcode = 'not_null_violation', column = v_refused.field,
            detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;

  select b.ord into v_refused
    from (select (e.ord - 1)::integer as ord,
                 row_number() over (partition by (e.value ->> 'customer_id')::uuid, (e.value ->> 'interaction_id')::uuid,
                                                (e.value ->> 'start_timestamp')::timestamptz order by e.ord) as times
            from jsonb_array_elements(p_ends) with ordinality e(value, ord)) b
   where b.times > 1
   order by b.ord
   limit 1;
  if found then
    raise exception 'an interaction is ended once in a batch'
      using errcode = 'unique_violation', column = 'interaction_id', detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;

  with batch as (
    select (e.ord - 1)::integer as ord, r.*
      from jsonb_array_elements(p_ends) with ordinality e(value, ord)
     cross join lateral jsonb_to_record(e.value) as r(customer_id uuid, interaction_id uuid, start_timestamp timestamptz,
                                                      end_timestamp timestamptz, status text, resolution_status text,
                                                      error_code text, cost_to_serve numeric, interaction_value numeric,
                                                      revenue_impact numeric, sentiment_score numeric, correction boolean)
  ),
  locked as (
    select l as r
      from unnest(cx_private.lock_interaction_rows(array(
             select distinct (b.customer_id, b.interaction_id, b.start_timestamp)::cx_private.interaction_key
               from batch b))) l
  )
  select array_agg((x.r, jsonb_populate_record(x.r, jsonb_build_object(
           -- a correction that gives no new end or error code keeps the ones it corrects
           'end_timestamp', coalesce(b.end_timestamp, (x.r).end_timestamp, now()),
           'status', b.status,
           'resolution_status', b.resolution_status,
           'error_code', coalesce(b.error_code, case when b.status = 'failed' then (x.r).error_code end),
           'cost_to_serve', coalesce(b.cost_to_serve, (x.r).cost_to_serve),
           'interaction_value', coalesce(b.interaction_value, (x.r).interaction_value),
           'revenue_impact', coalesce(b.revenue_impact, (x.r).revenue_impact),
           'sentiment_score', coalesce(b.sentiment_score, (x.r).sentiment_score))))::cx_private.interaction_change
           order by b.ord),
         array_agg(b.ord order by b.ord)
    into v_changes, v_ords
    from batch b
    join locked x
      on (x.r).customer_id = b.customer_id and (x.r).interaction_id = b.interaction_id
     and (x.r).start_timestamp = b.start_timestamp
   -- ending an ended interaction again is a correction, and only on purpose
   where (x.r).end_timestamp is null or coalesce(b.correction, false);
  perform cx_private.write_interactions(v_changes);

  return query
    select u.ord, (u.new_row).customer_id, (u.new_row).interaction_id, (u.new_row).start_timestamp,
           (u.new_row).end_timestamp
      from unnest(v_changes, v_ords) u(old_row, new_row, ord)
     order by u.ord;
end
$$;

create or replace function cx.delete_interactions(p_customer_ids uuid[], p_interaction_ids uuid[],
                                                  p_start_timestamps timestamptz[])
  returns table (ord integer, interaction_id uuid)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_gone cx.customer_interactions[];
begin
  -- locked first, FOR UPDATE and in key order, like every writer that deletes or moves them
  perform cx_private.lock_interaction_rows(array(
    select distinct (b.customer_id, b.interaction_id, b.start_timestamp)::cx_private.interaction_key
      from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) b(customer_id, interaction_id, start_timestamp)),
    true);
  with gone as (
    delete from cx.customer_interactions ci
     using unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) b(customer_id, interaction_id, start_timestamp)
     where ci.customer_id = b.customer_id and ci.interaction_id = b.interaction_id
       and ci.start_timestamp = b.start_timestamp
    returning ci.*
  )
  select array_agg(g::cx.customer_interactions) into v_gone from gone g;
  perform cx_private.interactions_changed(v_gone, '{}');

  return query
    select (b.ord - 1)::integer, b.interaction_id
      from unnest(p_customer_ids, p_interaction_ids, p_start_timestamps) with ordinality
           b(customer_id, interaction_id, start_timestamp, ord)
      join unnest(v_gone) g
        on g.customer_id = b.customer_id and g.interaction_id = b.interaction_id and g.start_timestamp = b.start_timestamp
     order by b.ord;
end
$$;

create or replace function cx.delete_customers(p_customer_ids uuid[])
  returns table (customer_id uuid, interactions integer)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_customers uuid[];
  v_customer uuid;
  v_interactions integer;
begin
  -- the customers first, in key order: a writer recording for one of them waits, or finds it gone
  if cx_private.distributed('cx.customers') then
    -- Citus locks only what an equality on customer_id names
    for v_customer in select distinct i from unnest(p_customer_ids) i where i is not null order by 1 loop
      perform 1 from cx.customers c where c.customer_id = v_customer for update;
      if found then
        v_customers := array_append(v_customers, v_customer);
      end if;
    end loop;
  else
    select array_agg(c.customer_id order by c.customer_id) into v_customers
      from (select c.customer_id from cx.customers c where c.customer_id = any(p_customer_ids)
             order by c.customer_id for update of c) c;
  end if;
  if v_customers is null then
    return;
  end if;
  -- their interactions, with the steps, outcomes and references that have no key to the customer
  select count(*)::integer into v_interactions
    from (select array_agg(ci.customer_id) as customers, array_agg(ci.interaction_id) as ids,
                 array_agg(ci.start_timestamp) as starts
            from cx.customer_interactions ci
           where ci.customer_id = any(v_customers)) k
   cross join lateral cx.delete_interactions(k.customers, k.ids, k.starts) d;
  -- the rest follows the customer by its foreign keys
  return query
    with gone as (delete from cx.customers c where c.customer_id = any(v_customers) returning c.customer_id)
    select g.customer_id, v_interactions from gone g order by g.customer_id;
end
$$;

create or replace function cx_private.require_batch_references(p_ids uuid[], p_table regclass, p_key text, p_column text,
                                                    p_constraint text, p_noun text) returns void
  language plpgsql
  set search_path = pg_catalog
  as $$
declare
  v_locked bigint;
  v_count bigint;
  v_id uuid;
  v_missing record;
begin
  -- one query when the batch passes: lock like a foreign-key check (FOR KEY SHARE, in key order)
  -- and compare counts; only a refused batch looks for its first row
  if cx_private.distributed(p_table) then
    -- Citus locks only what an equality on the distribution column names: one key at a time
    v_locked := 0;
    for v_id in select distinct i from unnest(p_ids) i where i is not null order by 1 loop
      execute format('select count(*) from (select 1 from %2$s t where t.%1$I = $1 for key share of t) r', p_key, p_table)
        into v_count using v_id;
      v_locked := v_locked + v_count;
    end loop;
  else
    execute format(
      'select count(*) from (select t.%1$I from %2$s t where t.%1$I = any($1) order by t.%1$I for key share of t) r',
      p_key, p_table)
      into v_locked using array(select distinct i from unnest(p_ids) i where i is not null);
  end if;
  if v_locked = (select count(distinct i) from unnest(p_ids) i) then
    return;
  end if;
  execute format(
    'select (b.ord - 1)::integer as ord, b.id from unnest($1) with ordinality b(id, ord)
      where b.id is not null and not exists (select 1 from %2$s t where t.%1$I = b.id)
      order by b.ord limit 1',
    p_key, p_table)
    into v_missing using p_ids;
  if v_missing.id is not null then
    raise exception '% % does not name an existing %', p_column, v_missing.id, p_noun
      using errcode = 'foreign_key_violation', column = p_column, constraint = p_constraint,
            detail = cx_private.staged_row_position(v_missing.ord, null);
  end if;
end
$$;

create or replace function cx.record_interactions(p_interactions jsonb)
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz)
  language plpgsql security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_rows cx.customer_interactions[];
  v_inserted cx.customer_interactions[];
  v_now timestamptz := now();
  v_refused record;
begin
  perform cx_private.require_batch_rows(p_interactions,
    array(select a.attname::text from pg_attribute a
           where a.attrelid = 'cx.customer_interactions'::regclass and a.attnum > 0 and not a.attisdropped
             and a.attgenerated = ''
             and a.attname not in ('first_contact_resolution', 'cost_to_serve_source', 'created_at', 'updated_at')
           order by a.attnum),
    'interactions');
  -- each row read with the table's type (a value of the wrong type is refused by its column);
  -- what a row leaves out takes the table's default, and its id is a version 7 UUID of its start
  select array_agg(jsonb_populate_record(null::cx.customer_interactions,
                     jsonb_build_object('start_timestamp', v_now, 'status', 'active', 'resolution_status', 'pending',
                                        'client_info', '{}'::jsonb, 'queue_time_seconds', 0, 'bot_duration_seconds', 0,
                                        'human_duration_seconds', 0, 'wrap_up_seconds', 0, 'escalated_to_human', false)
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('created_at', v_now, 'updated_at', v_now,
                                           'cost_to_serve_source', case when e.value ->> 'cost_to_serve' is null
                                                                        then 'derived' else 'given' end,
                                           'interaction_id', coalesce(e.value ->> 'interaction_id', cx.uuid_generate_v7(
                                             coalesce((e.value ->> 'start_timestamp')::timestamptz, v_now))::text)))
                   order by e.ord)
    into v_rows
    from jsonb_array_elements(p_interactions) with ordinality e(value, ord);
  if v_rows is null then
    return;
  end if;
  select (u.ordinality - 1)::integer as ord into v_refused
    from (select x.ordinality, row_number() over (partition by x.customer_id, x.interaction_id order by x.ordinality) as times
            from unnest(v_rows) with ordinality x) u
   where u.times > 1
   order by u.ordinality
   limit 1;
  if found then
    raise exception 'an interaction_id is recorded once in a batch'
      using errcode = 'unique_violation', column = 'interaction_id', detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;

  perform cx_private.require_batch_references(array(select u.customer_id from unnest(v_rows) u),
    'cx.customers', 'customer_id', 'customer_id', 'customer_interactions_customer_missing', 'customer');
  perform cx_private.require_batch_references(array(select u.channel_id from unnest(v_rows) u),
    'cx.channels', 'channel_id', 'channel_id', 'customer_interactions_channel_id_fkey', 'channel');
  perform cx_private.require_batch_references(array(select u.interaction_type_id from unnest(v_rows) u),
    'cx.interaction_types', 'interaction_type_id', 'interaction_type_id',
    'customer_interactions_interaction_type_id_fkey', 'interaction type');
  perform cx_private.require_batch_references(array(select u.primary_agent_id from unnest(v_rows) u),
    'cx.agents', 'agent_id', 'primary_agent_id', 'customer_interactions_primary_agent_id_fkey', 'agent');

  with inserted as (
    insert into cx.customer_interactions
      (customer_id, interaction_id, start_timestamp, end_timestamp, queue_time_seconds, channel_id,
       interaction_type_id, session_id, parent_interaction_id, parent_start_timestamp, status, resolution_status,
       error_code, device_type, operating_system, app_version, browser, connection_type, screen_resolution,
       client_info, primary_agent_id, secondary_agent_id, supervisor_agent_id, initial_mode, interaction_mode,
       bot_duration_seconds, human_duration_seconds, wrap_up_seconds, escalated_to_human, escalation_reason,
       escalation_timestamp, customer_satisfaction_score, customer_effort_score, nps_score,
       first_contact_resolution, interaction_value, cost_to_serve, cost_to_serve_source, revenue_impact,
       customer_intent, sentiment_score, language_code, region, created_at, updated_at)
    select u.customer_id, u.interaction_id, u.start_timestamp, u.end_timestamp, u.queue_time_seconds, u.channel_id,
           u.interaction_type_id, u.session_id, u.parent_interaction_id, u.parent_start_timestamp, u.status,
           u.resolution_status, u.error_code, u.device_type, u.operating_system, u.app_version, u.browser,
           u.connection_type, u.screen_resolution, u.client_info, u.primary_agent_id, u.secondary_agent_id,
           u.supervisor_agent_id, u.initial_mode, u.interaction_mode, u.bot_duration_seconds,
           u.human_duration_seconds, u.wrap_up_seconds, u.escalated_to_human, u.escalation_reason,
           u.escalation_timestamp, u.customer_satisfaction_score, u.customer_effort_score, u.nps_score,
           -- what it is while no repeat follows; interactions_changed recomputes the batch's and the
           -- earlier contacts it turns into repeats
           u.resolution_status = 'resolved', u.interaction_value, u.cost_to_serve,
           -- a given cost equal to the channel's formula is the derived one, as on the bulk path
           case when u.cost_to_serve_source = 'given'
                 and u.cost_to_serve = cx_private.cost_from_rates(ch.bot_cost_per_minute, ch.human_cost_per_minute,
                       u.bot_duration_seconds, u.human_duration_seconds, u.wrap_up_seconds)
                then 'derived' else u.cost_to_serve_source end,
           u.revenue_impact, u.customer_intent, u.sentiment_score, u.language_code,
           -- the customer's region unless the source knows the contact's own
           coalesce(u.region, c.region), u.created_at, u.updated_at
      from unnest(cx_private.with_derived_costs(v_rows)) u
      join cx.customers c on c.customer_id = u.customer_id
      left join cx.channels ch on ch.channel_id = u.channel_id
    returning customer_interactions.*
  )
  select array_agg(i::cx.customer_interactions) into v_inserted from inserted i;
  perform cx_private.interactions_changed('{}', v_inserted);

  return query
    select (u.ordinality - 1)::integer, i.customer_id, i.interaction_id, i.start_timestamp
      from unnest(v_rows) with ordinality u
      join unnest(v_inserted) i on i.interaction_id = u.interaction_id and i.customer_id = u.customer_id
     order by u.ordinality;
end
$$;


comment on function cx.record_interactions(jsonb) is
  'Records a batch of interactions, a JSON array of rows keyed by customer_interactions'' column names (started now, active and pending by default, the customer''s region unless given, the cost derived from the channel''s rates unless given, and a given cost equal to the formula counted as derived; first_contact_resolution, cost_to_serve_source and the times written are the database''s): refuses an unknown field, an interaction_id named twice, and a customer, channel, interaction type or primary agent that does not exist (DETAIL names the batch row), inserts them and applies their consequences (cx_private.interactions_changed). Returns each interaction''s key by its position (0-based). Every writer records interactions through it or through cx.ingest_staged.';
comment on function cx.end_interactions(jsonb) is
  'Ends a batch of interactions: a JSON array of {customer_id, interaction_id, start_timestamp, status, resolution_status} with, optionally, end_timestamp (now by default), error_code, cost_to_serve, interaction_value, revenue_impact, sentiment_score, and correction (true to replace how an ended interaction ended; it keeps the end and error code it is not given). Refuses an interaction named twice (DETAIL names the batch row). Returns the rows it ended by position (0-based); one that does not exist or ended already (without correction) is left out. Applies the consequences (cx_private.interactions_changed).';

--! split: 0400-a-parent-moves-with-its-follow-ups.sql
alter table cx.customer_interactions drop constraint if exists customer_interactions_parent_interaction_id_fkey;
alter table cx.customer_interactions
  add constraint customer_interactions_parent_interaction_id_fkey
  foreign key (customer_id, parent_interaction_id, parent_start_timestamp)
  references cx.customer_interactions (customer_id, interaction_id, start_timestamp)
  on update no action on delete set null (parent_interaction_id, parent_start_timestamp);
insert into cx_private.constraint_messages (constraint_name, message, table_name, field_names) values
  ('customer_interactions_parent_interaction_id_fkey',
   'the parent interaction (the customer_id, parent_interaction_id and parent_start_timestamp) must exist: an interaction with follow-ups moves with them, in one correction that gives them its new key',
   'customer_interactions', '{customer_id,parent_interaction_id,parent_start_timestamp}')
on conflict (constraint_name) do update
  set message = excluded.message, table_name = excluded.table_name, field_names = excluded.field_names;
