--! Previous: sha1:99eb50145b7ce49d6dd7e258024bfa26a18d4302
--! Hash: sha1:b4e6d54dafbac222ea07abd30bb2aa65dddf2c1a
--! Message: bulk ingest computes what the triggers would, row triggers off where allowed; FCR probes stay probes

--! split: 0100-cost-and-mode-formulas.sql
/*
 * Two rules the bulk path applies to a whole batch in one statement while the row trigger applies
 * them one row at a time: each is written once, here, and both paths call it.
 */
create or replace function cx_private.cost_from_rates(
  p_bot_cost_per_minute numeric, p_human_cost_per_minute numeric,
  p_bot_seconds integer, p_human_seconds integer, p_wrap_up_seconds integer
) returns numeric
  language sql immutable parallel safe
  as $$
    select round(
      -- a negative duration is refused by its own constraint; it must not surface as a negative cost
      (greatest(coalesce(p_bot_seconds, 0), 0) * p_bot_cost_per_minute
       + (greatest(coalesce(p_human_seconds, 0), 0) + greatest(coalesce(p_wrap_up_seconds, 0), 0)) * p_human_cost_per_minute) / 60.0,
      4)
  $$;
comment on function cx_private.cost_from_rates(numeric, numeric, integer, integer, integer) is
  'The derived cost_to_serve formula: (bot seconds x bot_cost_per_minute + (human + hold + wrap-up seconds) x human_cost_per_minute) / 60, rounded to 4 decimals.';

create or replace function cx.derived_cost_to_serve(
  p_channel_id uuid, p_bot_seconds integer, p_human_seconds integer, p_wrap_up_seconds integer
) returns numeric
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$
    select cx_private.cost_from_rates(c.bot_cost_per_minute, c.human_cost_per_minute,
                                      p_bot_seconds, p_human_seconds, p_wrap_up_seconds)
      from cx.channels c
     where c.channel_id = p_channel_id
  $$;

create or replace function cx_private.interaction_mode_for(p_initial_mode text, p_escalated_to_human boolean)
  returns text
  language sql immutable parallel safe
  as $$
    select case
      when p_escalated_to_human and p_initial_mode in ('bot', 'self_service') then 'live_chat'
      else p_initial_mode
    end
  $$;
comment on function cx_private.interaction_mode_for(text, boolean) is
  'interaction_mode from initial_mode and escalated_to_human: a bot or self-service conversation that reached a human is live chat (DESIGN.md §3); every other mode stays what it started as.';

create or replace function cx_private.tg_customer_interactions__apply_rules() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_mode text;
begin
  if tg_op = 'INSERT' then
    new.initial_mode := coalesce(new.initial_mode, new.interaction_mode);
    if new.region is null then
      select c.region into new.region from cx.customers c where c.customer_id = new.customer_id;
      if not found then
        raise exception 'customer_id % does not name an existing customer', new.customer_id
          using errcode = 'foreign_key_violation', column = 'customer_id',
                constraint = 'customer_interactions_customer_missing';
      end if;
    end if;
    -- computed by the roll-up triggers; a writer's value is ignored. Start from what it is when no
    -- repeat contact exists (the common case), so the recomputation rewrites only real repeats
    new.first_contact_resolution := new.resolution_status = 'resolved';
    -- a row moving to another partition arrives here as an INSERT with its derived cost: a cost
    -- equal to the channel formula stays derived, any other given cost is the writer's
    new.cost_to_serve_source := case
      when new.cost_to_serve is null then 'derived'
      when new.cost_to_serve_source = 'derived' and new.cost_to_serve = cx.derived_cost_to_serve(
             new.channel_id, new.bot_duration_seconds, new.human_duration_seconds, new.wrap_up_seconds) then 'derived'
      else 'given'
    end;
  else
    if new.interaction_id is distinct from old.interaction_id then
      raise exception 'interaction_id of interaction % cannot change to %', old.interaction_id, new.interaction_id
        using errcode = 'check_violation', column = 'interaction_id',
              constraint = 'customer_interactions_interaction_id_fixed';
    end if;
    if old.escalated_to_human and not new.escalated_to_human then
      raise exception 'interaction % was escalated to a human; escalated_to_human cannot be set back to false', old.interaction_id
        using errcode = 'check_violation', column = 'escalated_to_human',
              constraint = 'customer_interactions_escalation_irreversible';
    end if;
    if new.initial_mode is distinct from old.initial_mode then
      raise exception 'initial_mode of interaction % is %, and cannot change to %', old.interaction_id, old.initial_mode, new.initial_mode
        using errcode = 'check_violation', column = 'initial_mode',
              constraint = 'customer_interactions_initial_mode_fixed';
    end if;
    if pg_trigger_depth() = 1 then
      -- a writer's statement: first_contact_resolution is not theirs to set
      new.first_contact_resolution := old.first_contact_resolution;
    end if;
    if new.cost_to_serve is distinct from old.cost_to_serve then
      new.cost_to_serve_source := case when new.cost_to_serve is null then 'derived' else 'given' end;
    end if;
  end if;

  if new.escalated_to_human and new.escalation_timestamp is null and new.initial_mode in ('bot', 'self_service', 'ivr') then
    new.escalation_timestamp := case
      when tg_op = 'INSERT' then new.start_timestamp
      else greatest(new.start_timestamp, least(clock_timestamp(), coalesce(new.end_timestamp, 'infinity')))
    end;
  end if;

  v_mode := cx_private.interaction_mode_for(new.initial_mode, new.escalated_to_human);
  if (tg_op = 'INSERT' and new.interaction_mode is not null and new.interaction_mode not in (new.initial_mode, v_mode))
     or (tg_op = 'UPDATE' and new.interaction_mode is distinct from old.interaction_mode and new.interaction_mode <> v_mode) then
    raise exception 'interaction_mode % contradicts initial_mode % and escalated_to_human %: it would be %',
        new.interaction_mode, new.initial_mode, new.escalated_to_human, v_mode
      using errcode = 'check_violation', column = 'interaction_mode',
            constraint = 'customer_interactions_interaction_mode_consistent';
  end if;
  new.interaction_mode := v_mode;

  if new.cost_to_serve_source = 'derived' then
    new.cost_to_serve := cx.derived_cost_to_serve(
      new.channel_id, new.bot_duration_seconds, new.human_duration_seconds, new.wrap_up_seconds);
  end if;
  return new;
end
$$;
comment on function cx_private.tg_customer_interactions__apply_rules() is
  'BEFORE INSERT or UPDATE on customer_interactions: interaction_id and initial_mode fixed, escalation never undone and its consequences for interaction_mode and escalation_timestamp, region copied from the customer, cost_to_serve derived unless given, first_contact_resolution kept from writers.';

--! split: 0200-first-contact-resolution-plan.sql
/*
 * FCR recomputation is a probe per touched customer and type. While a bulk load fills a partition,
 * its statistics lag far behind its contents, and the planner then hash-joined whole partitions or
 * probed through the (interaction_type_id, start_timestamp) index: both grow with the table, and a
 * 1M-interaction load spent most of its time here. Same rule, a plan that stays a probe.
 */
drop function if exists cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]);
create function cx_private.recompute_first_contact_resolution(p_keys cx_private.fcr_key[])
  returns cx_private.metric_bucket[]
  language sql volatile
  set search_path = pg_catalog
  -- Every access below is an index probe per key: the batch touches few customers of a large
  -- table. While a bulk load fills a partition its statistics lag far behind, and the planner then
  -- hash-joins whole partitions, probes through the (interaction_type_id, start_timestamp) index, or
  -- builds a bitmap for each key's two rows; these settings hold the plan to nested index probes.
  set enable_seqscan = off
  set enable_bitmapscan = off
  set enable_hashjoin = off
  set enable_mergejoin = off
  as $$
    with window_setting as (
      select coalesce(cx.setting('fcr_repeat_window')::interval, interval '7 days') as repeat_window
    ),
    keys as (
      select k.customer_id, k.interaction_type_id, min(k.since) as since
        from unnest(p_keys) k
       group by k.customer_id, k.interaction_type_id
    ),
    -- In the repeat probe, row comparisons can be served only by indexes that lead with
    -- customer_id, so each probe is a range scan of one customer's interactions of one type
    -- (written as plain equality plus a range, the planner, with stale statistics, was as happy to
    -- range-scan the type's interactions of a whole week). The one-sided bound (a repeat
    -- starts after its predecessor ended, which ended within the window before the key's moment)
    -- lets the executor skip older partitions and is too wide to tempt the planner towards the
    -- start_timestamp index. Interactions without a type form their own group.
    candidates as (
      select x.customer_id, x.interaction_id, x.start_timestamp,
             x.resolution_status = 'resolved' and not exists (
               select 1
                 from cx.customer_interactions y
                where (y.customer_id, y.interaction_type_id, y.start_timestamp)
                      >= (x.customer_id, x.interaction_type_id, coalesce(x.end_timestamp, x.start_timestamp))
                  and (y.customer_id, y.interaction_type_id, y.start_timestamp)
                      < (x.customer_id, x.interaction_type_id, coalesce(x.end_timestamp, x.start_timestamp) + w.repeat_window)
                  and y.start_timestamp >= k.since - w.repeat_window
                  and y.interaction_id <> x.interaction_id
             ) as fcr
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and x.interaction_type_id = k.interaction_type_id
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
      union all
      select x.customer_id, x.interaction_id, x.start_timestamp,
             x.resolution_status = 'resolved' and not exists (
               select 1
                 from cx.customer_interactions y
                where y.customer_id = x.customer_id
                  -- "is true" keeps these out of index conditions: only customer_id leads the probe
                  and (y.interaction_type_id is null) is true
                  and (y.start_timestamp >= coalesce(x.end_timestamp, x.start_timestamp)) is true
                  and (y.start_timestamp < coalesce(x.end_timestamp, x.start_timestamp) + w.repeat_window) is true
                  and y.start_timestamp >= k.since - w.repeat_window
                  and y.interaction_id <> x.interaction_id
             )
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and (x.interaction_type_id is null) is true
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
       where k.interaction_type_id is null
    )
    ,
    changed as (
      -- updated_at by hand too: the bulk path runs this with row triggers off
      update cx.customer_interactions ci
         set first_contact_resolution = c.fcr, updated_at = now()
        from candidates c
       where ci.customer_id = c.customer_id and ci.interaction_id = c.interaction_id and ci.start_timestamp = c.start_timestamp
         and ci.first_contact_resolution is distinct from c.fcr
      returning ci.channel_id, ci.primary_agent_id, ci.start_timestamp
    )
    ,
    zone as materialized (select cx_private.reporting_zone() as zone) -- once, not once per row
    select coalesce(array_agg(b.bucket), '{}')
      from zone z
     cross join changed ch
     cross join lateral (values
       (('channel', cx_private.day_in_zone(ch.start_timestamp, z.zone), ch.channel_id)::cx_private.metric_bucket),
       (('agent', cx_private.day_in_zone(ch.start_timestamp, z.zone), ch.primary_agent_id)::cx_private.metric_bucket)
     ) b(bucket)
  $$;
comment on function cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]) is
  'Recomputes first_contact_resolution of every interaction of the given customers and types whose repeat window reaches the given moments; returns the metric buckets of the interactions it changed (the update trigger logs them too, when triggers are on).';

--! split: 0300-ingest-without-row-triggers.sql
/*
 * The bulk path computes in SQL, for the whole batch, everything the triggers would work out row
 * by row (DESIGN.md §4; issue 4's benchmark): region, mode, escalation, step totals, cost, the
 * initial FCR. What the triggers would still spend on a batch they have nothing to change in is
 * the per-row machinery itself: the BEFORE ROW rules and the foreign-key checks, one call per row
 * and key (eight keys on an interaction), queued and run one by one. So when the caller may set
 * session_replication_role (a superuser, or a role granted SET on it: PostgreSQL 15+), the batch
 * is inserted with triggers off, after the foreign keys are checked and their rows locked with
 * one query per key for the whole batch, and the statement-level work (customer history, FCR,
 * journeys, the metric bucket log) runs once afterwards with triggers back on. Any other caller,
 * or `set carepulse.ingest_direct = off`, takes the trigger path; both give the same rows (tested).
 */
create or replace function cx_private.require_references(
  p_ids uuid[], p_table regclass, p_key text, p_constraint text, p_column text, p_noun text
) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_missing uuid;
begin
  -- lock like a foreign-key check (FOR KEY SHARE, in key order so batches never deadlock), then
  -- look for a key that found no row: one deleted by a transaction that committed first is gone
  execute format(
    'select m.id from (select distinct k as id from unnest($1) k where k is not null
                        except
                       select r.%1$I from (select t.%1$I from %2$s t where t.%1$I = any($1)
                                            order by t.%1$I for key share of t) r) m
      order by m.id limit 1',
    p_key, p_table)
    into v_missing using p_ids;
  if v_missing is not null then
    raise exception '% % does not name an existing %', p_column, v_missing, p_noun
      using errcode = 'foreign_key_violation', column = p_column, constraint = p_constraint;
  end if;
end
$$;
comment on function cx_private.require_references(uuid[], regclass, text, text, text, text) is
  'A foreign-key check for a whole batch: locks the referenced rows FOR KEY SHARE and raises foreign_key_violation, under the foreign key''s own constraint name and column, for the first key that names no row.';

create or replace function cx.ingest_staged()
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz, duplicate boolean)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_from timestamptz;
  v_to timestamptz;
  v_replication_role text := current_setting('session_replication_role');
  v_direct boolean := coalesce(current_setting('carepulse.ingest_direct', true), '') <> 'off';
  v_missing record;
  v_zone text;
  v_history cx_private.history_change[];
  v_fcr cx_private.fcr_key[];
  v_customers uuid[];
  v_sessions uuid[];
  v_buckets cx_private.metric_bucket[];
begin
  update pg_temp.ingest_interactions s
     set interaction_id = cx.uuid_generate_v7(s.start_timestamp)
   where s.interaction_id is null;
  -- fresh temporary tables have no statistics: with them, the joins below fit a batch's size
  analyze pg_temp.ingest_interactions;
  analyze pg_temp.ingest_steps;

  -- a replayed event (its source reference already recorded, or twice in this batch) is skipped
  drop table if exists pg_temp.ingest_duplicates;
  create temporary table ingest_duplicates on commit drop as
    select s.ord, s.customer_id, s.interaction_id, s.start_timestamp
      from pg_temp.ingest_interactions s
     where s.source_system is not null
       and (exists (select 1 from cx.interaction_external_refs r
                     where r.source_system = s.source_system and r.external_reference = s.external_reference)
            or exists (select 1 from pg_temp.ingest_interactions e
                        where e.source_system = s.source_system and e.external_reference = s.external_reference
                          and e.ord < s.ord));
  delete from pg_temp.ingest_interactions s using pg_temp.ingest_duplicates d where d.ord = s.ord;
  -- keep the duplicates' keys for the answer; their steps are never inserted
  delete from pg_temp.ingest_steps st using pg_temp.ingest_duplicates d where d.ord = st.interaction_ord;

  select min(s.start_timestamp), max(s.start_timestamp) into v_from, v_to from pg_temp.ingest_interactions s;
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

  if v_direct then
    perform cx_private.require_references(array(select s.customer_id from pg_temp.ingest_interactions s),
      'cx.customers', 'customer_id', 'customer_interactions_customer_missing', 'customer_id', 'customer');
    perform cx_private.require_references(array(select s.channel_id from pg_temp.ingest_interactions s),
      'cx.channels', 'channel_id', 'customer_interactions_channel_id_fkey', 'channel_id', 'channel');
    perform cx_private.require_references(array(select s.interaction_type_id from pg_temp.ingest_interactions s),
      'cx.interaction_types', 'interaction_type_id', 'customer_interactions_interaction_type_id_fkey',
      'interaction_type_id', 'interaction type');
    perform cx_private.require_references(array(select s.primary_agent_id from pg_temp.ingest_interactions s),
      'cx.agents', 'agent_id', 'customer_interactions_primary_agent_id_fkey', 'primary_agent_id', 'agent');
    perform cx_private.require_references(array(select st.agent_id from pg_temp.ingest_steps st),
      'cx.agents', 'agent_id', 'interaction_steps_agent_id_fkey', 'agent_id', 'agent');
    perform cx_private.require_references(array(select st.kb_article_id from pg_temp.ingest_steps st),
      'cx.knowledge_base', 'article_id', 'interaction_steps_kb_article_id_fkey', 'kb_article_id',
      'knowledge-base article');
    -- a session belongs to its customer: the key is the pair
    select m.* into v_missing
      from (select distinct s.customer_id, s.session_id from pg_temp.ingest_interactions s where s.session_id is not null
            except
            select j.customer_id, j.session_id
              from (select js.customer_id, js.session_id
                      from cx.customer_journey_sessions js
                     where (js.customer_id, js.session_id) in
                           (select s.customer_id, s.session_id from pg_temp.ingest_interactions s where s.session_id is not null)
                     order by js.customer_id, js.session_id
                       for key share of js) j) m
     order by m.customer_id, m.session_id
     limit 1;
    if found then
      raise exception 'session_id % does not name a journey session of customer %', v_missing.session_id, v_missing.customer_id
        using errcode = 'foreign_key_violation', column = 'session_id', constraint = 'customer_interactions_session_id_fkey';
    end if;
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
           || array_agg(('agent', cx_private.day_in_zone(i.start_timestamp, v_zone), i.primary_agent_id)::cx_private.metric_bucket)
    into v_history, v_fcr, v_customers, v_sessions, v_buckets
    from inserted i;

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
    select s.ord, s.customer_id, s.interaction_id, s.start_timestamp, false
      from pg_temp.ingest_interactions s
    union all
    select d.ord, d.customer_id, d.interaction_id, d.start_timestamp, true
      from pg_temp.ingest_duplicates d
     order by 1;
  drop table pg_temp.ingest_duplicates;
end
$$;
comment on function cx.ingest_staged() is
  'Moves the batch staged by cx.ingest_begin() into customer_interactions, interaction_steps and interaction_external_refs with one INSERT ... SELECT each, skipping replays, and computes in the same statements what the triggers would (with the row triggers off when the caller may set session_replication_role); returns each staged interaction''s key (or that it was a duplicate), in staging order.';
