--! Previous: sha1:b43bb235ccabd97a5eb0b570c4216376c96ac54e
--! Hash: sha1:eee1bdd7001ba46ef152a3bafc42a812a29dd8f2
--! Message: One cost rule and one list of fields

--! split: 0100-one-cost-rule-and-one-list-of-fields.sql
/*
 * Reading the change of migrations 000044-000048 again: the cost rule stood in three places (the
 * updates' write, record_interactions' derived costs, and its given cost equal to the formula),
 * with two joins to the channels; the fields a writer may give were listed by three queries of
 * pg_attribute; record_interactions named the table's 45 columns twice. cx_private.with_costs is the
 * cost rule of a write, insert or update, and cx_private.interaction_fields the fields a writer
 * gives (the bulk path keeps its own statement of the rule, computed inline for a batch).
 */
drop function if exists cx_private.with_costs(cx_private.interaction_change[]);
drop function if exists cx_private.interaction_fields();

create function cx_private.interaction_fields() returns text[]
  language sql stable
  set search_path = pg_catalog
  as $$
    select array_agg(a.attname::text order by a.attnum)
      from pg_attribute a
     where a.attrelid = 'cx.customer_interactions'::regclass and a.attnum > 0 and not a.attisdropped
       and a.attgenerated = ''
       and a.attname not in ('first_contact_resolution', 'cost_to_serve_source', 'created_at', 'updated_at')
  $$;

comment on function cx_private.interaction_fields() is
  'The fields of an interaction a writer may give, in column order: every column but the generated duration and what the database derives (first_contact_resolution, cost_to_serve_source, created_at, updated_at).';

create function cx_private.with_costs(p_changes cx_private.interaction_change[]) returns cx_private.interaction_change[]
  language sql stable
  set search_path = pg_catalog
  as $$
    select coalesce(array_agg((x.old_row,
             case when s.source = 'derived'
                  then jsonb_populate_record(x.new_row, jsonb_build_object('cost_to_serve_source', s.source,
                         'cost_to_serve', d.cost))
                  else jsonb_populate_record(x.new_row, jsonb_build_object('cost_to_serve_source', s.source))
             end)::cx_private.interaction_change order by x.pos), '{}')
      from unnest(p_changes) with ordinality x(old_row, new_row, pos)
      left join cx.channels ch on ch.channel_id = (x.new_row).channel_id
     cross join lateral (
       select cx_private.cost_from_rates(ch.bot_cost_per_minute, ch.human_cost_per_minute,
                (x.new_row).bot_duration_seconds, (x.new_row).human_duration_seconds, (x.new_row).wrap_up_seconds) as cost) d
     cross join lateral (
       select case
                -- a new row: a given cost is the writer's, unless it is what the formula gives (as on the bulk path)
                when (x.old_row).interaction_id is null
                  then case when (x.new_row).cost_to_serve is null or (x.new_row).cost_to_serve = d.cost
                            then 'derived' else 'given' end
                -- a change: a cost the writer changes is theirs; set to null it is derived again
                when (x.new_row).cost_to_serve is not distinct from (x.old_row).cost_to_serve
                  then (x.new_row).cost_to_serve_source
                when (x.new_row).cost_to_serve is null then 'derived'
                else 'given' end as source) s
  $$;

comment on function cx_private.with_costs(cx_private.interaction_change[]) is
  'The cost rule of every write of interactions, for each change in its place (old_row null for a new row): a new row''s given cost is the writer''s unless it equals the formula; a changed cost is the writer''s, set to null it is derived again; a derived cost is the channel''s rates times the bot, human and wrap-up seconds (cx.derived_cost_to_serve''s formula).';

create or replace function cx_private.write_interactions(p_changes cx_private.interaction_change[]) RETURNS cx.customer_interactions[]
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $_$
declare
  v_changes cx_private.interaction_change[];
  v_old cx.customer_interactions[];
  v_written cx.customer_interactions[];
  v_moved_rows cx.customer_interactions[];
  v_set text;
begin
  -- the cost as every write derives it, each change in its place (paired with nothing but its own
  -- old row)
  v_changes := cx_private.with_costs(p_changes);
  select array_agg(c order by c.pos) into v_changes
    from (select (x.old_row, x.new_row)::cx_private.interaction_change as c, x.pos
            from unnest(v_changes) with ordinality x(old_row, new_row, pos)
           where x.new_row is distinct from x.old_row) c;
  if v_changes is null then
    return '{}';
  end if;

  -- every column a write function may change but the customer: Citus refuses an UPDATE that sets
  -- its distribution column, even to its own value, so only a change of customer names it
  select string_agg(format('%I = (c.new_row).%I', f, f), ', ')
    into v_set
    from unnest(array_cat(array_remove(array_remove(cx_private.interaction_fields(), 'customer_id'), 'interaction_id'),
                          array['first_contact_resolution', 'cost_to_serve_source'])) f;
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
$_$;

create or replace function cx.record_interactions(p_interactions jsonb) RETURNS TABLE(ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  v_rows cx.customer_interactions[];
  v_ready cx.customer_interactions[];
  v_inserted cx.customer_interactions[];
  v_now timestamptz := now();
  v_refused record;
begin
  perform cx_private.require_batch_rows(p_interactions, cx_private.interaction_fields(), 'interactions');
  -- each row read with the table's type (a value of the wrong type is refused by its column);
  -- what a row leaves out takes the table's default, and its id is a version 7 UUID of its start
  select array_agg(jsonb_populate_record(null::cx.customer_interactions,
                     jsonb_build_object('start_timestamp', v_now, 'status', 'active', 'resolution_status', 'pending',
                                        'client_info', '{}'::jsonb, 'queue_time_seconds', 0, 'bot_duration_seconds', 0,
                                        'human_duration_seconds', 0, 'wrap_up_seconds', 0, 'escalated_to_human', false)
                     || jsonb_strip_nulls(e.value)
                     || jsonb_build_object('created_at', v_now, 'updated_at', v_now,
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

  -- the cost as every write derives it; the customer's region unless the source knows the
  -- contact's own; first contact resolution as it is while no repeat follows (interactions_changed
  -- recomputes the batch's and the earlier contacts it turns into repeats)
  select array_agg(jsonb_populate_record(c.new_row, jsonb_build_object(
           'region', coalesce((c.new_row).region, cu.region),
           'first_contact_resolution', (c.new_row).resolution_status = 'resolved')))
    into v_ready
    from unnest(cx_private.with_costs(array(
           select (null, r)::cx_private.interaction_change from unnest(v_rows) r))) c
    join cx.customers cu on cu.customer_id = (c.new_row).customer_id;
  execute format(
    'with inserted as (insert into cx.customer_interactions (%1$s) select %1$s from unnest($1) returning *)
     select array_agg(i::cx.customer_interactions) from inserted i',
    cx_private.insertable_columns('cx.customer_interactions'))
    into v_inserted using v_ready;
  perform cx_private.interactions_changed('{}', v_inserted);

  return query
    select (u.ordinality - 1)::integer, i.customer_id, i.interaction_id, i.start_timestamp
      from unnest(v_rows) with ordinality u
      join unnest(v_inserted) i on i.interaction_id = u.interaction_id and i.customer_id = u.customer_id
     order by u.ordinality;
end
$_$;
create or replace function cx.correct_interactions(p_corrections jsonb) RETURNS TABLE(ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  -- what a writer may give, but not the key that never changes
  v_fields text[] := array_remove(cx_private.interaction_fields(), 'interaction_id');
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

drop function if exists cx_private.with_derived_costs(cx.customer_interactions[]);
