--! Previous: sha1:68bbfc7c034ad55e9e57684ee1f18f22c6eb7971
--! Hash: sha1:27ff0e7d0e3a30f21b47fc8e6416f06f9f08364d
--! Message: input rules: bulk ingest checks every reference on every path and names the batch row of any error, replays with other content are reported, no JIT where plans are forced, times within a window, step agents of their kind, free text has a maximum length

--! split: 0100-ingest-checks-every-reference-on-every-path.sql
/*
 * Bulk ingest on the trigger path (any role that may not set session_replication_role) dropped a
 * row whose customer did not exist and reported it stored: the insert inner-joins the customers
 * for their region, and the batch's reference checks ran on the direct path only. Every path now
 * checks every reference of the whole batch before it writes anything, and names the batch row
 * (and the step) that failed in the error's DETAIL as 'batch row N' or 'batch row N, step M':
 * the typed client turns that into the field's path, interactions[N].steps[M].agentId.
 *
 * The staging tables take the columns' own types (numeric(4,3) and so on), so a value the table
 * cannot hold fails in COPY, whose error names the line and the column, rather than in the
 * INSERT, whose overflow error names neither. ingest_steps gets step_ord, the step's place among
 * its interaction's steps, so errors can name the step.
 */
drop function if exists cx.ingest_staged();
drop function if exists cx_private.locate_staged_failure(text, text);
drop function if exists cx_private.staged_check_failure(text);
drop function if exists cx_private.staged_prefix_fails(integer, integer, integer, text, text);
drop function if exists cx_private.ingest_staged_batch();
drop function if exists cx_private.require_staged_references(text, text, regclass, text, text, text);
drop function if exists cx_private.staged_row_position(integer, integer);
-- its callers now check the staging tables directly, naming the row
drop function if exists cx_private.require_references(uuid[], regclass, text, text, text, text);

create or replace function cx.ingest_begin() returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  drop table if exists ingest_interactions;
  drop table if exists ingest_steps;
  create temporary table ingest_interactions (
    ord integer not null,
    interaction_id uuid,
    customer_id uuid not null,
    start_timestamp timestamptz not null,
    end_timestamp timestamptz,
    channel_id uuid not null,
    interaction_type_id uuid,
    initial_mode text not null,
    status text not null,
    resolution_status text not null,
    session_id uuid,
    primary_agent_id uuid,
    escalated_to_human boolean not null default false,
    escalation_reason text,
    error_code text,
    device_type text,
    language_code text,
    customer_intent text,
    sentiment_score numeric(4,3),
    interaction_value numeric(12,2),
    revenue_impact numeric(12,2),
    cost_to_serve numeric(12,4),
    source_system text,
    external_reference text
  ) on commit drop;
  create temporary table ingest_steps (
    interaction_ord integer not null,
    step_type text not null,
    agent_id uuid,
    started_at timestamptz not null,
    ended_at timestamptz,
    kb_article_id uuid,
    step_outcome text,
    step_ord integer
  ) on commit drop;
end
$$;
comment on function cx.ingest_begin() is
  'Creates the temporary staging tables ingest_interactions and ingest_steps (dropped at commit) for a bulk batch; COPY into them, then call cx.ingest_staged() in the same transaction. ord is the interaction''s place in the batch, step_ord the step''s place among its interaction''s steps: errors name them.';

create function cx_private.staged_row_position(p_ord integer, p_step_ord integer) returns text
  language sql immutable parallel safe
  set search_path = pg_catalog
  as $$
    select 'batch row ' || p_ord || coalesce(', step ' || p_step_ord, '')
  $$;
comment on function cx_private.staged_row_position(integer, integer) is
  'The DETAIL of an ingest error that names its row: ''batch row N'' or ''batch row N, step M'' (the typed client reads it back as interactions[N].steps[M]).';

create function cx_private.require_staged_references(
  p_staging text, p_column text, p_table regclass, p_key text, p_constraint text, p_noun text
) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $_$
declare
  v_ord integer;
  v_step_ord integer;
  v_missing uuid;
  v_step_column text := case p_staging when 'ingest_steps' then 's.step_ord' else 'null::integer' end;
  v_ord_column text := case p_staging when 'ingest_steps' then 'interaction_ord' else 'ord' end;
begin
  -- lock like a foreign-key check (FOR KEY SHARE, in key order so batches never deadlock), then
  -- look for a key that found no row: one deleted by a transaction that committed first is gone.
  -- One query for the batch; only a refused batch looks for its first row in batch order.
  execute format(
    'select m.id from (select distinct s.%3$I as id from pg_temp.%4$I s where s.%3$I is not null
                        except
                       select r.%1$I from (select t.%1$I from %2$s t
                                            where t.%1$I in (select s.%3$I from pg_temp.%4$I s)
                                            order by t.%1$I for key share of t) r) m
      limit 1',
    p_key, p_table, p_column, p_staging)
    into v_missing;
  if v_missing is not null then
    execute format(
      'select s.%5$I, %6$s, s.%3$I from pg_temp.%4$I s
        where s.%3$I is not null and not exists (select 1 from %2$s t where t.%1$I = s.%3$I)
        order by 1, 2 limit 1',
      p_key, p_table, p_column, p_staging, v_ord_column, v_step_column)
      into v_ord, v_step_ord, v_missing;
  end if;
  if v_missing is not null then
    raise exception '% % does not name an existing %', p_column, v_missing, p_noun
      using errcode = 'foreign_key_violation', column = p_column, constraint = p_constraint,
            detail = cx_private.staged_row_position(v_ord, v_step_ord);
  end if;
end
$_$;
comment on function cx_private.require_staged_references(text, text, regclass, text, text, text) is
  'The foreign-key check of one column of a staging table (ingest_interactions or ingest_steps) for the whole batch: locks the referenced rows FOR KEY SHARE and raises foreign_key_violation, under the foreign key''s constraint name and column, for the first staged row (in batch order) whose key names no row, with that row in DETAIL.';

create function cx_private.ingest_staged_batch()
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz,
                 duplicate boolean, conflicting boolean)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_replication_role text := current_setting('session_replication_role');
  v_direct boolean := coalesce(current_setting('carepulse.ingest_direct', true), '') <> 'off';
  v_refused record;
  v_zone text;
  v_history cx_private.history_change[];
  v_fcr cx_private.fcr_key[];
  v_customers uuid[];
  v_sessions uuid[];
  v_buckets cx_private.metric_bucket[];
  v_staged bigint;
  v_inserted bigint;
begin
  -- fresh temporary tables have no statistics: with them, the joins below fit a batch's size
  analyze pg_temp.ingest_interactions;
  analyze pg_temp.ingest_steps;

  /*
   * A replay (its source reference already recorded, or earlier in this batch) is skipped: the
   * first write wins, which is what makes re-sending safe. One that differs from what was kept
   * (another end, status, agent, steps...) is reported apart as conflicting, so a source that
   * re-sends corrected data finds out. Its key is the kept interaction's.
   */
  -- each staged interaction with a source reference, its steps as one comparable value
  drop table if exists pg_temp.ingest_step_signatures;
  create temporary table ingest_step_signatures on commit drop as
    select x.ord, array_agg(x.step order by x.step) as steps
      from (select st.interaction_ord as ord,
                   (st.step_type, st.agent_id, st.started_at, st.ended_at, st.kb_article_id, st.step_outcome)::text as step
              from pg_temp.ingest_steps st
              join pg_temp.ingest_interactions s on s.ord = st.interaction_ord
             where s.source_system is not null) x
     -- a batch without source references (a backfill, the simulator) has no replays to compare
     where exists (select 1 from pg_temp.ingest_interactions s where s.source_system is not null)
     group by x.ord;
  drop table if exists pg_temp.ingest_duplicates;
  create temporary table ingest_duplicates on commit drop as
    select s.ord, r.customer_id, r.interaction_id, r.start_timestamp, null::integer as first_ord,
           (s.customer_id, s.start_timestamp, s.end_timestamp, s.channel_id, s.interaction_type_id, s.initial_mode,
            s.status, s.resolution_status, s.session_id, s.primary_agent_id, s.escalation_reason, s.error_code,
            s.device_type, s.language_code, s.customer_intent, s.sentiment_score, s.interaction_value, s.revenue_impact)
             is distinct from
           (ci.customer_id, ci.start_timestamp, ci.end_timestamp, ci.channel_id, ci.interaction_type_id, ci.initial_mode,
            ci.status, ci.resolution_status, ci.session_id, ci.primary_agent_id, ci.escalation_reason, ci.error_code,
            ci.device_type, ci.language_code, ci.customer_intent, ci.sentiment_score, ci.interaction_value, ci.revenue_impact)
           or (s.interaction_id is not null and s.interaction_id <> r.interaction_id)
           or (s.escalated_to_human and not ci.escalated_to_human)
           or (s.cost_to_serve is not null and s.cost_to_serve is distinct from ci.cost_to_serve)
           or coalesce(sig.steps, '{}') is distinct from coalesce(kept.steps, '{}') as conflicting
      from pg_temp.ingest_interactions s
      join cx.interaction_external_refs r
        on r.source_system = s.source_system and r.external_reference = s.external_reference
      left join cx.customer_interactions ci
        on ci.customer_id = r.customer_id and ci.interaction_id = r.interaction_id and ci.start_timestamp = r.start_timestamp
      left join pg_temp.ingest_step_signatures sig on sig.ord = s.ord
      cross join lateral (
        select array_agg(x.step order by x.step) as steps
          from (select (st.step_type, st.agent_id, st.started_at, st.ended_at, st.kb_article_id, st.step_outcome)::text as step
                  from cx.interaction_steps st
                 where st.customer_id = r.customer_id and st.interaction_id = r.interaction_id
                   and st.interaction_start_timestamp = r.start_timestamp) x
      ) kept;
  -- a reference repeated within the batch: the first occurrence is the one kept
  insert into pg_temp.ingest_duplicates (ord, first_ord, conflicting)
  select s.ord, f.ord,
         (s.customer_id, s.start_timestamp, s.end_timestamp, s.channel_id, s.interaction_type_id, s.initial_mode,
          s.status, s.resolution_status, s.session_id, s.primary_agent_id, s.escalated_to_human, s.escalation_reason,
          s.error_code, s.device_type, s.language_code, s.customer_intent, s.sentiment_score, s.interaction_value,
          s.revenue_impact, s.cost_to_serve, s.interaction_id)
           is distinct from
         (f.customer_id, f.start_timestamp, f.end_timestamp, f.channel_id, f.interaction_type_id, f.initial_mode,
          f.status, f.resolution_status, f.session_id, f.primary_agent_id, f.escalated_to_human, f.escalation_reason,
          f.error_code, f.device_type, f.language_code, f.customer_intent, f.sentiment_score, f.interaction_value,
          f.revenue_impact, f.cost_to_serve, f.interaction_id)
         or coalesce(s_sig.steps, '{}') is distinct from coalesce(f_sig.steps, '{}')
    from (select i.*, min(i.ord) over (partition by i.source_system, i.external_reference) as first_ord
            from pg_temp.ingest_interactions i
           where i.source_system is not null) s
    join pg_temp.ingest_interactions f on f.ord = s.first_ord
    left join pg_temp.ingest_step_signatures s_sig on s_sig.ord = s.ord
    left join pg_temp.ingest_step_signatures f_sig on f_sig.ord = f.ord
   where s.ord <> s.first_ord
     and not exists (select 1 from pg_temp.ingest_duplicates d where d.ord = s.ord);
  delete from pg_temp.ingest_interactions s using pg_temp.ingest_duplicates d where d.ord = s.ord;
  -- the duplicates' steps are never inserted
  delete from pg_temp.ingest_steps st using pg_temp.ingest_duplicates d where d.ord = st.interaction_ord;

  update pg_temp.ingest_interactions s
     set interaction_id = cx.uuid_generate_v7(s.start_timestamp)
   where s.interaction_id is null;
  update pg_temp.ingest_duplicates d
     set customer_id = s.customer_id, interaction_id = s.interaction_id, start_timestamp = s.start_timestamp
    from pg_temp.ingest_interactions s
   where s.ord = d.first_ord;

  -- every reference of the batch, on every path, before anything is written
  perform cx_private.require_staged_references('ingest_interactions', 'customer_id', 'cx.customers', 'customer_id',
    'customer_interactions_customer_missing', 'customer');
  perform cx_private.require_staged_references('ingest_interactions', 'channel_id', 'cx.channels', 'channel_id',
    'customer_interactions_channel_id_fkey', 'channel');
  perform cx_private.require_staged_references('ingest_interactions', 'interaction_type_id', 'cx.interaction_types',
    'interaction_type_id', 'customer_interactions_interaction_type_id_fkey', 'interaction type');
  perform cx_private.require_staged_references('ingest_interactions', 'primary_agent_id', 'cx.agents', 'agent_id',
    'customer_interactions_primary_agent_id_fkey', 'agent');
  perform cx_private.require_staged_references('ingest_steps', 'agent_id', 'cx.agents', 'agent_id',
    'interaction_steps_agent_id_fkey', 'agent');
  perform cx_private.require_staged_references('ingest_steps', 'kb_article_id', 'cx.knowledge_base', 'article_id',
    'interaction_steps_kb_article_id_fkey', 'knowledge-base article');
  -- a session belongs to its customer: the key is the pair
  perform 1
    from (select js.customer_id, js.session_id
            from cx.customer_journey_sessions js
           where (js.customer_id, js.session_id) in
                 (select s.customer_id, s.session_id from pg_temp.ingest_interactions s where s.session_id is not null)
           order by js.customer_id, js.session_id
             for key share of js) locked;
  select s.ord, s.customer_id, s.session_id into v_refused
    from pg_temp.ingest_interactions s
   where s.session_id is not null
     and not exists (select 1 from cx.customer_journey_sessions js
                      where js.customer_id = s.customer_id and js.session_id = s.session_id)
   order by s.ord
   limit 1;
  if found then
    raise exception 'session_id % does not name a journey session of customer %', v_refused.session_id, v_refused.customer_id
      using errcode = 'foreign_key_violation', column = 'session_id', constraint = 'customer_interactions_session_id_fkey',
            detail = cx_private.staged_row_position(v_refused.ord, null);
  end if;
  -- the window of accepted times and the agents' kinds on steps (their triggers are off on the
  -- direct path, and this names the batch row)
  perform cx_private.require_staged_inputs();
  -- the interaction's totals are summed from its steps before the steps' own rules run: a step
  -- that ends before it starts would otherwise be reported as a negative bot_duration_seconds
  select st.interaction_ord, st.step_ord into v_refused
    from pg_temp.ingest_steps st
   where st.ended_at < st.started_at
   order by st.interaction_ord, st.step_ord
   limit 1;
  if found then
    raise exception 'ended_at must not be before started_at'
      using errcode = 'check_violation', column = 'ended_at',
            constraint = 'interaction_steps_ended_at_not_before_started_at',
            detail = cx_private.staged_row_position(v_refused.interaction_ord, v_refused.step_ord);
  end if;

  select min(s.start_timestamp), max(s.start_timestamp), count(*) into v_from, v_to, v_staged
    from pg_temp.ingest_interactions s;
  if v_from is not null then
    perform cx.ensure_partitions(v_from, v_to);
  end if;

  if v_direct then
    begin
      perform set_config('session_replication_role', 'replica', true);
    exception when insufficient_privilege then
      v_direct := false;
    end;
  end if;
  v_zone := cx_private.reporting_zone();

  -- the rules of tg_customer_interactions__apply_rules and the step totals of
  -- recompute_step_totals, for the whole batch; the step trigger then finds nothing to change
  with inserted as (
    insert into cx.customer_interactions
      (customer_id, interaction_id, start_timestamp, end_timestamp, channel_id, interaction_type_id, initial_mode,
       interaction_mode, status, resolution_status, session_id, primary_agent_id, escalated_to_human, escalation_reason,
       escalation_timestamp, bot_duration_seconds, human_duration_seconds, queue_time_seconds, wrap_up_seconds,
       error_code, device_type, language_code, customer_intent, sentiment_score, interaction_value, revenue_impact,
       cost_to_serve, cost_to_serve_source, first_contact_resolution, region)
    select s.customer_id, s.interaction_id, s.start_timestamp, s.end_timestamp, s.channel_id, s.interaction_type_id,
           s.initial_mode, cx_private.interaction_mode_for(s.initial_mode, d.escalated), s.status, s.resolution_status,
           s.session_id, s.primary_agent_id, d.escalated, s.escalation_reason,
           case
             when not d.escalated or s.initial_mode not in ('bot', 'self_service', 'ivr') then null
             when t.first_human_or_queue is not null then t.first_human_or_queue
             else s.start_timestamp -- escalated by the source, without steps to show when
           end,
           d.bot_seconds, d.human_seconds, d.queue_seconds, d.wrap_up_seconds,
           s.error_code, s.device_type, s.language_code, s.customer_intent, s.sentiment_score, s.interaction_value,
           s.revenue_impact,
           coalesce(s.cost_to_serve, d.derived_cost),
           case when s.cost_to_serve is null or s.cost_to_serve = d.derived_cost then 'derived' else 'given' end,
           s.resolution_status = 'resolved',
           c.region
      from pg_temp.ingest_interactions s
      join cx.customers c on c.customer_id = s.customer_id
      left join cx.channels ch on ch.channel_id = s.channel_id
      left join (
        select st.interaction_ord,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type = 'bot')::integer as bot_seconds,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type in ('human', 'hold'))::integer as human_seconds,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type = 'queue')::integer as queue_seconds,
               sum(floor(extract(epoch from st.ended_at - st.started_at))) filter (where st.step_type = 'wrap_up')::integer as wrap_up_seconds,
               min(st.started_at) filter (where st.step_type in ('queue', 'human')) as first_human_or_queue
          from pg_temp.ingest_steps st
         group by st.interaction_ord
      ) t on t.interaction_ord = s.ord
     cross join lateral (
       select s.escalated_to_human or (s.initial_mode in ('bot', 'self_service', 'ivr') and t.first_human_or_queue is not null) as escalated,
              coalesce(t.bot_seconds, 0) as bot_seconds, coalesce(t.human_seconds, 0) as human_seconds,
              coalesce(t.queue_seconds, 0) as queue_seconds, coalesce(t.wrap_up_seconds, 0) as wrap_up_seconds,
              cx_private.cost_from_rates(ch.bot_cost_per_minute, ch.human_cost_per_minute,
                coalesce(t.bot_seconds, 0), coalesce(t.human_seconds, 0), coalesce(t.wrap_up_seconds, 0)) as derived_cost
     ) d
    returning customer_interactions.customer_id, customer_interactions.interaction_type_id,
              customer_interactions.start_timestamp, customer_interactions.session_id,
              customer_interactions.channel_id, customer_interactions.primary_agent_id,
              customer_interactions.status, customer_interactions.resolution_status,
              customer_interactions.escalated_to_human, customer_interactions.customer_satisfaction_score,
              customer_interactions.nps_score, customer_interactions.customer_effort_score
  )
  select array_agg((i.customer_id, 1, i.status = 'completed' and i.resolution_status = 'resolved', i.escalated_to_human,
                    i.customer_satisfaction_score, i.nps_score, i.customer_effort_score)::cx_private.history_change),
         array_agg((i.customer_id, i.interaction_type_id, i.start_timestamp)::cx_private.fcr_key),
         array_agg(i.customer_id) filter (where i.session_id is not null),
         array_agg(i.session_id) filter (where i.session_id is not null),
         array_agg(('channel', cx_private.day_in_zone(i.start_timestamp, v_zone), i.channel_id)::cx_private.metric_bucket)
           || array_agg(('agent', cx_private.day_in_zone(i.start_timestamp, v_zone), i.primary_agent_id)::cx_private.metric_bucket),
         count(*)
    into v_history, v_fcr, v_customers, v_sessions, v_buckets, v_inserted
    from inserted i;
  -- the references were checked and locked above, so the join to the customers keeps every row;
  -- should it ever not, the batch fails rather than report a row it did not store
  if v_inserted <> v_staged then
    raise exception 'ingest stored % of % staged interactions', v_inserted, v_staged
      using errcode = 'internal_error';
  end if;

  insert into cx.interaction_steps
    (customer_id, interaction_id, interaction_start_timestamp, step_type, agent_id, started_at, ended_at, kb_article_id, step_outcome)
  select s.customer_id, s.interaction_id, s.start_timestamp, st.step_type, st.agent_id, st.started_at, st.ended_at,
         st.kb_article_id, st.step_outcome
    from pg_temp.ingest_steps st
    join pg_temp.ingest_interactions s on s.ord = st.interaction_ord;

  insert into cx.interaction_external_refs (source_system, external_reference, customer_id, interaction_id, start_timestamp)
  select s.source_system, s.external_reference, s.customer_id, s.interaction_id, s.start_timestamp
    from pg_temp.ingest_interactions s
   where s.source_system is not null;

  if v_direct then
    -- what the statement triggers of customer_interactions and interaction_steps do after an
    -- insert. FCR first, triggers still off: its update trigger would take first_contact_resolution
    -- for a writer's (it is no one's to set), and the buckets it changed are logged below
    if v_fcr is not null then
      v_buckets := v_buckets || cx_private.recompute_first_contact_resolution(v_fcr);
    end if;
    perform set_config('session_replication_role', v_replication_role, true);
    if v_history is not null then
      perform cx_private.apply_customer_history(v_history);
    end if;
    if v_customers is not null then
      perform cx_private.recompute_journey_sessions(v_customers, v_sessions);
    end if;
    perform cx_private.log_metric_buckets(coalesce(v_buckets, '{}') || array(
      select ('agent', cx_private.day_in_zone(st.started_at, v_zone), st.agent_id)::cx_private.metric_bucket
        from pg_temp.ingest_steps st
       where st.agent_id is not null));
  end if;

  return query
    select s.ord, s.customer_id, s.interaction_id, s.start_timestamp, false, false
      from pg_temp.ingest_interactions s
    union all
    select d.ord, d.customer_id, d.interaction_id, d.start_timestamp, true, d.conflicting
      from pg_temp.ingest_duplicates d
     order by 1;
  drop table pg_temp.ingest_duplicates;
  drop table pg_temp.ingest_step_signatures;
end
$$;
comment on function cx_private.ingest_staged_batch() is
  'The work of cx.ingest_staged(): skips replays (flagging those whose content differs from what was kept), checks every reference of the batch, then inserts with one INSERT ... SELECT per table, computing what the triggers would (with the row triggers off when the caller may set session_replication_role).';

create function cx_private.staged_prefix_fails(
  p_last_ord integer, p_step_row integer, p_last_step_ord integer, p_sqlstate text, p_constraint text
) returns boolean
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_sqlstate text;
  v_constraint text;
begin
  begin
    delete from pg_temp.ingest_interactions s where s.ord > p_last_ord;
    delete from pg_temp.ingest_steps st
     where st.interaction_ord > p_last_ord
        or (st.interaction_ord = p_step_row and (st.step_ord is null or st.step_ord > p_last_step_ord));
    perform from cx_private.ingest_staged_batch();
    -- it went through: undo it (and the deletes) by leaving the block with an error of our own
    raise exception 'trial ingest succeeded' using errcode = 'CX000';
  exception
    when sqlstate 'CX000' then
      return false;
    when others then
      get stacked diagnostics v_sqlstate = returned_sqlstate, v_constraint = constraint_name;
      return v_sqlstate = p_sqlstate and v_constraint = coalesce(p_constraint, '');
  end;
end
$$;
comment on function cx_private.staged_prefix_fails(integer, integer, integer, text, text) is
  'Whether the staged batch cut to the rows up to ord p_last_ord (and, of row p_step_row, to the steps up to step_ord p_last_step_ord) fails with the given SQLSTATE and constraint; tries it in a subtransaction that is always rolled back. For cx_private.locate_staged_failure.';

create function cx_private.staged_check_failure(p_constraint text) returns text
  language plpgsql volatile
  set search_path = pg_catalog
  as $_$
declare
  v_table regclass;
  v_expression text;
  v_columns text[];
  v_staged text;
  v_position text;
begin
  select c.conrelid::regclass, regexp_replace(pg_get_constraintdef(c.oid), '^CHECK \((.*)\)( NOT VALID)?$', '\1'),
         array(select a.attname::text from pg_attribute a where a.attrelid = c.conrelid and a.attnum = any(c.conkey))
    into v_table, v_expression, v_columns
    from pg_constraint c
   where c.conname = p_constraint and c.contype = 'c'
     and c.conrelid in ('cx.customer_interactions'::regclass, 'cx.interaction_steps'::regclass);
  if not found then
    return null;
  end if;
  -- the staged rows as the table will see them, where the rule reads only what was staged; a
  -- replay (its reference stored, or earlier in the batch) is skipped, so no rule judges it
  v_staged := format(
    case v_table
      when 'cx.customer_interactions'::regclass then
        '(select s.*, null::integer as step_ord from pg_temp.ingest_interactions s where %1$s) r'
      else
        '(select st.*, st.interaction_ord as ord, s.customer_id, s.interaction_id,
                 s.start_timestamp as interaction_start_timestamp
            from pg_temp.ingest_steps st join pg_temp.ingest_interactions s on s.ord = st.interaction_ord
           where %1$s) r'
    end,
    's.source_system is null
     or (not exists (select 1 from cx.interaction_external_refs x
                      where x.source_system = s.source_system and x.external_reference = s.external_reference)
         and not exists (select 1 from pg_temp.ingest_interactions e
                          where e.source_system = s.source_system and e.external_reference = s.external_reference
                            and e.ord < s.ord))');
  if exists (select 1 from unnest(v_columns) c
              where c not in (select a.attname from pg_attribute a
                               where a.attnum > 0 and not a.attisdropped
                                 and a.attrelid = case v_table when 'cx.customer_interactions'::regclass
                                                    then 'pg_temp.ingest_interactions'::regclass
                                                    else 'pg_temp.ingest_steps'::regclass end)
                and c not in ('customer_id', 'interaction_id', 'interaction_start_timestamp'))
     -- staged, but what is stored is computed from it and the steps
     or 'escalated_to_human' = any(v_columns) or 'cost_to_serve' = any(v_columns) then
    return null; -- it reads a column the writer does not give as stored (a computed one)
  end if;
  execute format('select cx_private.staged_row_position(r.ord, r.step_ord) from %s where not (%s)
                   order by r.ord, r.step_ord limit 1', v_staged, v_expression)
    into v_position;
  return v_position;
end
$_$;
comment on function cx_private.staged_check_failure(text) is
  'The staged row (''batch row N[, step M]'') that breaks the CHECK constraint p_constraint of customer_interactions or interaction_steps, evaluated on the staging tables in one query; null when the rule reads a column the writer does not stage (a computed one) or no staged row breaks it.';

create function cx_private.locate_staged_failure(p_sqlstate text, p_constraint text) returns text
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_ords integer[];
  v_steps integer[];
  v_low integer;
  v_high integer;
  v_middle integer;
  v_row integer;
  v_position text;
begin
  -- most refusals are a CHECK on what the writer gave: one query finds the row
  if p_sqlstate = '23514' then
    v_position := cx_private.staged_check_failure(p_constraint);
    if v_position is not null then
      return v_position;
    end if;
  end if;
  select array_agg(s.ord order by s.ord) into v_ords from pg_temp.ingest_interactions s;
  if v_ords is null then
    return null;
  end if;
  -- the shortest failing prefix of the batch ends with the row that makes it fail (a failure
  -- stays once its row is in: the rules never need a later row to accept an earlier one)
  v_low := 1;
  v_high := cardinality(v_ords);
  while v_low < v_high loop
    v_middle := (v_low + v_high) / 2;
    if cx_private.staged_prefix_fails(v_ords[v_middle], null, null, p_sqlstate, p_constraint) then
      v_high := v_middle;
    else
      v_low := v_middle + 1;
    end if;
  end loop;
  v_row := v_ords[v_low];
  -- the search assumed the whole batch fails the same way again; a failure that did not come
  -- back in the trials (a concurrent writer's row that has since committed) is not placed
  if not cx_private.staged_prefix_fails(v_row, null, null, p_sqlstate, p_constraint) then
    return null;
  end if;
  -- and the same again over that row's steps, when the row alone passes without them
  select array_agg(st.step_ord order by st.step_ord) into v_steps
    from pg_temp.ingest_steps st where st.interaction_ord = v_row and st.step_ord is not null;
  if v_steps is null or cx_private.staged_prefix_fails(v_row, v_row, -1, p_sqlstate, p_constraint) then
    return cx_private.staged_row_position(v_row, null);
  end if;
  v_low := 1;
  v_high := cardinality(v_steps);
  while v_low < v_high loop
    v_middle := (v_low + v_high) / 2;
    if cx_private.staged_prefix_fails(v_row, v_row, v_steps[v_middle], p_sqlstate, p_constraint) then
      v_high := v_middle;
    else
      v_low := v_middle + 1;
    end if;
  end loop;
  return cx_private.staged_row_position(v_row, v_steps[v_low]);
end
$$;
comment on function cx_private.locate_staged_failure(text, text) is
  'After a staged batch failed with a data or integrity error the checks did not place: the batch row (and step) that makes it fail, as ''batch row N[, step M]'': a CHECK on staged columns is evaluated on the staging tables; anything else is found by bisecting the batch in rolled-back subtransactions (about log2(rows) trial runs, on the failure path only). Null when it cannot be placed.';

create function cx.ingest_staged()
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz,
                 duplicate boolean, conflicting boolean)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_sqlstate text;
  v_message text;
  v_detail text;
  v_hint text;
  v_column text;
  v_constraint text;
  v_table text;
  v_schema text;
  v_datatype text;
begin
  return query select * from cx_private.ingest_staged_batch();
exception when data_exception or integrity_constraint_violation then
  get stacked diagnostics v_sqlstate = returned_sqlstate, v_message = message_text, v_detail = pg_exception_detail,
    v_hint = pg_exception_hint, v_column = column_name, v_constraint = constraint_name, v_table = table_name,
    v_schema = schema_name, v_datatype = pg_datatype_name;
  -- a check of the batch names its row already; a rule of the tables does not: find it
  if v_detail not like 'batch row %' then
    v_detail := coalesce(cx_private.locate_staged_failure(v_sqlstate, v_constraint), v_detail);
  end if;
  raise exception using message = v_message, errcode = v_sqlstate, detail = v_detail, hint = v_hint,
    column = v_column, constraint = v_constraint, table = v_table, schema = v_schema, datatype = v_datatype;
end
$$;
comment on function cx.ingest_staged() is
  'Moves the batch staged by cx.ingest_begin() into customer_interactions, interaction_steps and interaction_external_refs (cx_private.ingest_staged_batch), in staging order: each staged interaction''s key, or for a replay the kept interaction''s key with duplicate = true and conflicting = whether its content differs. A refused batch raises the error with the batch row (and step) in DETAIL, ''batch row N[, step M]''.';

--! split: 0200-no-jit-where-plans-are-forced.sql
/*
 * These functions hold their plans to a join method by turning the others off (enable_* = off,
 * in their SET clauses or through cx_private.choose_bucket_joins). PostgreSQL before 18 prices a
 * disabled plan node at 1e10 more, which crosses the JIT thresholds (jit_above_cost 100,000), so
 * with jit = on, the default, every statement in them was JIT-compiled: on PostgreSQL 15 a single
 * interactions.start took 199 ms against 5 ms with JIT off, 8 writers × 50 contacts 283 s against
 * 19 s. The statements are index probes and small hash joins that JIT never pays off for. PostgreSQL
 * 18 counts disabled nodes apart from the cost and is not affected.
 */
alter function cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]) set jit = off;
alter function cx_private.recompute_agent_days(date[], uuid[]) set jit = off;
alter function cx_private.recompute_channel_days(date[], uuid[]) set jit = off;

--! split: 0300-timestamps-within-a-window-of-settings.sql
/*
 * A start in year 275760 (JavaScript's largest date) was stored, and would have made a partition
 * for it. Interactions and steps must start and end within a window, earliest_timestamp until
 * latest_timestamp (settings, by default 2000-01-01 until 2100-01-01 UTC): wide enough for any
 * history and any test, narrow enough to refuse clock, unit and parsing errors (epoch zero,
 * milliseconds read as seconds). A statement trigger checks the rows a statement writes (an update
 * only where the time changed, so narrowing the window later never blocks unrelated updates);
 * bulk ingest checks its staging tables.
 */
drop trigger if exists _150_check_inputs_after_insert on cx.interaction_steps;
drop trigger if exists _150_check_inputs_after_update on cx.interaction_steps;
drop trigger if exists _150_times_in_window_after_insert on cx.customer_interactions;
drop trigger if exists _150_times_in_window_after_update on cx.customer_interactions;
drop function if exists cx_private.tg_interaction_steps__check_inputs();
drop function if exists cx_private.tg_customer_interactions__times_in_window();
drop function if exists cx_private.require_staged_inputs();
drop function if exists cx_private.require_in_window(text, text, timestamptz, text);
drop function if exists cx_private.timestamp_window();

alter table cx.settings drop constraint if exists settings_value_type_known;
alter table cx.settings add constraint settings_value_type_known
  check (value_type in ('text', 'integer', 'interval', 'time_zone', 'timestamp'));
update cx_private.constraint_messages
   set message = 'value_type must be one of text, integer, interval, time_zone, timestamp'
 where constraint_name = 'settings_value_type_known';
comment on column cx.settings.value_type is
  'How the value is interpreted: text, integer, interval, time_zone (an IANA name PostgreSQL knows) or timestamp (a time with its UTC offset).';

create or replace function cx_private.tg_settings__validate() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  begin
    case new.value_type
      when 'integer' then perform new.setting_value::integer;
      when 'interval' then perform new.setting_value::interval;
      when 'time_zone' then perform now() at time zone new.setting_value;
      when 'timestamp' then perform new.setting_value::timestamptz;
      else null;
    end case;
  exception when others then
    raise exception 'setting % must be a valid %, got "%"', new.setting_name, new.value_type, new.setting_value
      using errcode = '22023', column = 'setting_value';
  end;
  new.updated_at := now();
  return new;
end
$$;
comment on function cx_private.tg_settings__validate() is
  'Rejects a setting value its value_type cannot read (a bad time zone, interval, number or timestamp) and stamps updated_at.';

insert into cx.settings (setting_name, setting_value, value_type, description) values
  ('earliest_timestamp', '2000-01-01 00:00:00+00', 'timestamp',
   'Interactions and steps that start or end before this are refused: a time this early is a clock, unit or parsing error.'),
  ('latest_timestamp', '2100-01-01 00:00:00+00', 'timestamp',
   'Interactions and steps that start or end at or after this are refused: a time this late is a clock, unit or parsing error.')
on conflict (setting_name) do nothing;

create function cx_private.timestamp_window() returns tstzrange
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$
    select tstzrange(coalesce(cx.setting('earliest_timestamp')::timestamptz, '-infinity'),
                     coalesce(cx.setting('latest_timestamp')::timestamptz, 'infinity'), '[)')
  $$;
comment on function cx_private.timestamp_window() is
  'The accepted times of interactions and steps, [earliest_timestamp, latest_timestamp) of cx.settings.';

create function cx_private.require_in_window(p_table text, p_column text, p_value timestamptz, p_detail text)
  returns void
  language plpgsql stable
  set search_path = pg_catalog
  as $$
declare
  v_window tstzrange := cx_private.timestamp_window();
begin
  if p_value is not null and not p_value <@ v_window then
    raise exception '% % is outside the accepted times, from % until % (settings earliest_timestamp and latest_timestamp)',
        p_column, p_value, lower(v_window), upper(v_window)
      using errcode = 'check_violation', column = p_column, constraint = p_table || '_' || p_column || '_in_window',
            detail = coalesce(p_detail, '');
  end if;
end
$$;
comment on function cx_private.require_in_window(text, text, timestamptz, text) is
  'Raises check_violation under <table>_<column>_in_window when p_value lies outside cx_private.timestamp_window(); p_detail names the row of a batch.';

create function cx_private.tg_customer_interactions__times_in_window() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_window tstzrange := cx_private.timestamp_window();
  v_refused record;
begin
  if tg_op = 'INSERT' then
    select n.start_timestamp, n.end_timestamp into v_refused
      from new_rows n
     where not n.start_timestamp <@ v_window or not n.end_timestamp <@ v_window
     limit 1;
  else
    -- interaction_id never changes: it pairs each new row with its old one
    select case when n.start_timestamp is distinct from o.start_timestamp then n.start_timestamp end as start_timestamp,
           case when n.end_timestamp is distinct from o.end_timestamp then n.end_timestamp end as end_timestamp
      into v_refused
      from new_rows n
      join old_rows o on o.interaction_id = n.interaction_id
     where (n.start_timestamp is distinct from o.start_timestamp and not n.start_timestamp <@ v_window)
        or (n.end_timestamp is distinct from o.end_timestamp and not n.end_timestamp <@ v_window)
     limit 1;
  end if;
  if found then
    perform cx_private.require_in_window('customer_interactions', 'start_timestamp', v_refused.start_timestamp, null);
    perform cx_private.require_in_window('customer_interactions', 'end_timestamp', v_refused.end_timestamp, null);
  end if;
  return null;
end
$$;
comment on function cx_private.tg_customer_interactions__times_in_window() is
  'AFTER each statement inserting or updating customer_interactions: refuses a start_timestamp or end_timestamp it writes outside the accepted times (cx_private.timestamp_window()).';

create trigger _150_times_in_window_after_insert after insert on cx.customer_interactions
  referencing new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__times_in_window();
create trigger _150_times_in_window_after_update after update on cx.customer_interactions
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__times_in_window();

--! split: 0400-steps-name-agents-of-their-kind.sql
/*
 * A human step could name a bot agent and a bot step a human one, which put bot time into human
 * handle times and agent scorecards. A bot step names a bot or hybrid agent (or none); a human,
 * hold or wrap-up step a human, supervisor or hybrid agent. The check reads the agents, so it is a
 * statement trigger next to the steps' other checks (issue 15 moves such rules into the write
 * functions); it also holds the steps' times to the accepted window.
 */
create function cx_private.tg_interaction_steps__check_inputs() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_window tstzrange := cx_private.timestamp_window();
  v_refused record;
begin
  select n.agent_id, n.step_type, a.agent_type into v_refused
    from new_steps n
    join cx.agents a on a.agent_id = n.agent_id
   where (n.step_type = 'bot' and a.agent_type not in ('bot', 'hybrid'))
      or (n.step_type in ('human', 'hold', 'wrap_up') and a.agent_type = 'bot')
   limit 1;
  if found then
    raise exception 'agent % is a % agent and cannot take a % step', v_refused.agent_id, v_refused.agent_type, v_refused.step_type
      using errcode = 'check_violation', column = 'agent_id', constraint = 'interaction_steps_agent_id_kind';
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
comment on function cx_private.tg_interaction_steps__check_inputs() is
  'AFTER each statement inserting or updating interaction_steps: refuses a step whose agent is not of its kind (bot steps: bot or hybrid agents; human, hold and wrap-up steps: human, supervisor or hybrid) and step times outside the accepted window.';

create trigger _150_check_inputs_after_insert after insert on cx.interaction_steps
  referencing new table as new_steps
  for each statement execute function cx_private.tg_interaction_steps__check_inputs();
create trigger _150_check_inputs_after_update after update on cx.interaction_steps
  referencing old table as old_steps new table as new_steps
  for each statement execute function cx_private.tg_interaction_steps__check_inputs();

create function cx_private.require_staged_inputs() returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_window tstzrange := cx_private.timestamp_window();
  v_refused record;
begin
  select s.ord, s.start_timestamp, s.end_timestamp into v_refused
    from pg_temp.ingest_interactions s
   where not s.start_timestamp <@ v_window or not s.end_timestamp <@ v_window
   order by s.ord
   limit 1;
  if found then
    perform cx_private.require_in_window('customer_interactions', 'start_timestamp', v_refused.start_timestamp,
      cx_private.staged_row_position(v_refused.ord, null));
    perform cx_private.require_in_window('customer_interactions', 'end_timestamp', v_refused.end_timestamp,
      cx_private.staged_row_position(v_refused.ord, null));
  end if;
  select st.interaction_ord, st.step_ord, st.started_at, st.ended_at into v_refused
    from pg_temp.ingest_steps st
   where not st.started_at <@ v_window or not st.ended_at <@ v_window
   order by st.interaction_ord, st.step_ord
   limit 1;
  if found then
    perform cx_private.require_in_window('interaction_steps', 'started_at', v_refused.started_at,
      cx_private.staged_row_position(v_refused.interaction_ord, v_refused.step_ord));
    perform cx_private.require_in_window('interaction_steps', 'ended_at', v_refused.ended_at,
      cx_private.staged_row_position(v_refused.interaction_ord, v_refused.step_ord));
  end if;
  select st.interaction_ord, st.step_ord, st.agent_id, st.step_type, a.agent_type into v_refused
    from pg_temp.ingest_steps st
    join cx.agents a on a.agent_id = st.agent_id
   where (st.step_type = 'bot' and a.agent_type not in ('bot', 'hybrid'))
      or (st.step_type in ('human', 'hold', 'wrap_up') and a.agent_type = 'bot')
   order by st.interaction_ord, st.step_ord
   limit 1;
  if found then
    raise exception 'agent % is a % agent and cannot take a % step', v_refused.agent_id, v_refused.agent_type, v_refused.step_type
      using errcode = 'check_violation', column = 'agent_id', constraint = 'interaction_steps_agent_id_kind',
            detail = cx_private.staged_row_position(v_refused.interaction_ord, v_refused.step_ord);
  end if;
end
$$;
comment on function cx_private.require_staged_inputs() is
  'The input rules of the triggers that read more than their row, for a staged bulk batch (its triggers may be off): times within the accepted window, step agents of the step''s kind; the error names the batch row.';

insert into cx_private.constraint_messages (constraint_name, message, table_name, field_names) values
  ('customer_interactions_start_timestamp_in_window',
   'start_timestamp must lie within the accepted times (settings earliest_timestamp and latest_timestamp; by default from 2000-01-01 until 2100-01-01 UTC)',
   'customer_interactions', '{start_timestamp}'),
  ('customer_interactions_end_timestamp_in_window',
   'end_timestamp must lie within the accepted times (settings earliest_timestamp and latest_timestamp; by default from 2000-01-01 until 2100-01-01 UTC)',
   'customer_interactions', '{end_timestamp}'),
  ('interaction_steps_started_at_in_window',
   'started_at must lie within the accepted times (settings earliest_timestamp and latest_timestamp; by default from 2000-01-01 until 2100-01-01 UTC)',
   'interaction_steps', '{started_at}'),
  ('interaction_steps_ended_at_in_window',
   'ended_at must lie within the accepted times (settings earliest_timestamp and latest_timestamp; by default from 2000-01-01 until 2100-01-01 UTC)',
   'interaction_steps', '{ended_at}'),
  ('interaction_steps_agent_id_kind',
   'agent_id must name a bot or hybrid agent on a bot step, and a human, supervisor or hybrid agent on a human, hold or wrap-up step',
   'interaction_steps', '{agent_id}')
on conflict (constraint_name) do update
  set message = excluded.message, table_name = excluded.table_name, field_names = excluded.field_names;

--! split: 0500-free-text-has-a-maximum-length.sql
/*
 * Names, notes, feedback and intents took a megabyte each: one bad source could fill pages and
 * reports with it. Every free-text column has a maximum length, and every list of free text a
 * number of items and characters in all, each a constraint of its own (<table>_<column>_max_length)
 * with a sentence in the catalog. Columns held by a format (codes, language tags) or to a list of
 * values are bounded already. A database holding longer values refuses this migration, naming
 * the constraint: shorten them first.
 */
do $$
declare
  v_limit record;
  v_name text;
begin
  for v_limit in
    select * from (values
      ('agents', 'agent_code', 100), ('agents', 'agent_name', 200), ('agents', 'team_name', 100),
      ('channels', 'display_name', 200),
      ('customer_feedback', 'feedback_text', 10000), ('customer_feedback', 'follow_up_notes', 10000),
      ('customer_interactions', 'app_version', 50), ('customer_interactions', 'browser', 200),
      ('customer_interactions', 'operating_system', 200), ('customer_interactions', 'customer_intent', 1000),
      ('customer_interactions', 'error_code', 100),
      ('customer_journey_sessions', 'journey_goal', 200),
      ('customers', 'first_name', 200), ('customers', 'last_name', 200), ('customers', 'city', 200),
      ('customers', 'postal_code', 20), ('customers', 'time_zone', 64),
      ('interaction_external_refs', 'external_reference', 500),
      ('interaction_types', 'type_name', 200), ('interaction_types', 'sub_category', 100),
      ('interaction_types', 'description', 2000),
      ('journey_touchpoints', 'action', 200), ('journey_touchpoints', 'page_or_screen', 500),
      ('knowledge_base', 'title', 500), ('knowledge_base', 'content', 100000),
      ('metrics', 'description', 2000), ('metrics', 'expression', 4000), ('metrics', 'sample_expression', 4000),
      ('performance_thresholds', 'description', 2000),
      ('service_plans', 'plan_name', 200),
      ('settings', 'setting_value', 1000), ('settings', 'description', 2000),
      ('survey_templates', 'template_name', 200),
      ('system_alerts', 'alert_key', 500), ('system_alerts', 'metric_name', 100), ('system_alerts', 'message', 4000),
      ('system_alerts', 'acknowledged_by', 200), ('system_alerts', 'resolution', 2000)
    ) l(table_name, column_name, max_length)
  loop
    v_name := v_limit.table_name || '_' || v_limit.column_name || '_max_length';
    execute format('alter table cx.%I drop constraint if exists %I', v_limit.table_name, v_name);
    -- added unchecked, then validated: VALIDATE reads the table without blocking its writers
    execute format('alter table cx.%I add constraint %I check (char_length(%I) <= %s) not valid',
                   v_limit.table_name, v_name, v_limit.column_name, v_limit.max_length);
    execute format('alter table cx.%I validate constraint %I', v_limit.table_name, v_name);
    insert into cx_private.constraint_messages (constraint_name, message)
    values (v_name, format('%s must be at most %s characters', v_limit.column_name,
                           to_char(v_limit.max_length, 'FM999,999')))
    on conflict (constraint_name) do update set message = excluded.message;
  end loop;
  -- lists of free text: a number of items and their characters in all
  for v_limit in
    select * from (values
      ('customer_feedback', 'feedback_topics', 50, 5000, 'topics'),
      ('knowledge_base', 'tags', 50, 5000, 'tags'),
      ('customers', 'accessibility_needs', 20, 2000, 'needs')
    ) l(table_name, column_name, max_items, max_length, items)
  loop
    v_name := v_limit.table_name || '_' || v_limit.column_name || '_max_length';
    execute format('alter table cx.%I drop constraint if exists %I', v_limit.table_name, v_name);
    execute format('alter table cx.%I add constraint %I check (cardinality(%I) <= %s and char_length(array_to_string(%I, '''')) <= %s) not valid',
                   v_limit.table_name, v_name, v_limit.column_name, v_limit.max_items, v_limit.column_name,
                   v_limit.max_length);
    execute format('alter table cx.%I validate constraint %I', v_limit.table_name, v_name);
    insert into cx_private.constraint_messages (constraint_name, message)
    values (v_name, format('%s must hold at most %s %s of at most %s characters in all', v_limit.column_name,
                           v_limit.max_items, v_limit.items, to_char(v_limit.max_length, 'FM999,999')))
    on conflict (constraint_name) do update set message = excluded.message;
  end loop;
end
$$;
