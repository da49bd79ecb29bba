--! Previous: sha1:899810c951dd7d7fcb84b83dd3361126d2d34c7a
--! Hash: sha1:6ad80f1bca906c7f64bccf6d4f3628fe6a75f5c3
--! Message: bulk ingest through staging tables

--! split: 0100-bulk-ingest.sql
/*
 * The bulk path (DESIGN.md §4): a writer COPYs a batch into two temporary staging tables, then one
 * call moves it into the partitioned tables with one set-based INSERT ... SELECT per table, so the
 * statement triggers fire once per batch and COPY never goes row by row into a partitioned table.
 * The INSERT computes what the triggers would otherwise recompute (step totals, escalation, region,
 * partitions), so the step trigger finds nothing left to change. Replays are skipped by their
 * (source_system, external_reference). Call both inside one transaction: the staging tables
 * disappear at commit, and the batch lands whole or not at all.
 */
drop function if exists cx.ingest_staged();
drop function if exists cx.ingest_begin();

create function cx.ingest_begin() returns void
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
    sentiment_score numeric,
    interaction_value numeric,
    revenue_impact numeric,
    cost_to_serve numeric,
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
    step_outcome text
  ) on commit drop;
end
$$;
comment on function cx.ingest_begin() is
  'Creates the temporary staging tables ingest_interactions and ingest_steps (dropped at commit) for a bulk batch; COPY into them, then call cx.ingest_staged() in the same transaction.';

create function cx.ingest_staged()
  returns table (ord integer, customer_id uuid, interaction_id uuid, start_timestamp timestamptz, duplicate boolean)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_from timestamptz;
  v_to timestamptz;
begin
  update pg_temp.ingest_interactions s
     set interaction_id = cx.uuid_generate_v7(s.start_timestamp)
   where s.interaction_id is null;

  -- a replayed event (its source reference already recorded, or twice in this batch) is skipped
  create temporary table ingest_duplicates on commit drop as
    select s.ord
      from pg_temp.ingest_interactions s
     where s.source_system is not null
       and (exists (select 1 from cx.interaction_external_refs r
                     where r.source_system = s.source_system and r.external_reference = s.external_reference)
            or exists (select 1 from pg_temp.ingest_interactions e
                        where e.source_system = s.source_system and e.external_reference = s.external_reference
                          and e.ord < s.ord));

  select min(s.start_timestamp), max(s.start_timestamp) into v_from, v_to from pg_temp.ingest_interactions s;
  if v_from is not null then
    perform cx.ensure_partitions(v_from, v_to);
  end if;

  insert into cx.customer_interactions
    (customer_id, interaction_id, start_timestamp, end_timestamp, channel_id, interaction_type_id, initial_mode,
     status, resolution_status, session_id, primary_agent_id, escalated_to_human, escalation_reason, escalation_timestamp,
     bot_duration_seconds, human_duration_seconds, queue_time_seconds, wrap_up_seconds, error_code, device_type,
     language_code, customer_intent, sentiment_score, interaction_value, revenue_impact, cost_to_serve, region)
  select s.customer_id, s.interaction_id, s.start_timestamp, s.end_timestamp, s.channel_id, s.interaction_type_id,
         s.initial_mode, s.status, s.resolution_status, s.session_id, s.primary_agent_id,
         s.escalated_to_human or (s.initial_mode in ('bot', 'self_service', 'ivr') and t.first_human_or_queue is not null),
         s.escalation_reason,
         case when s.initial_mode in ('bot', 'self_service', 'ivr') then t.first_human_or_queue end,
         coalesce(t.bot_seconds, 0), coalesce(t.human_seconds, 0), coalesce(t.queue_seconds, 0), coalesce(t.wrap_up_seconds, 0),
         s.error_code, s.device_type, s.language_code, s.customer_intent, s.sentiment_score, s.interaction_value,
         s.revenue_impact, s.cost_to_serve, c.region
    from pg_temp.ingest_interactions s
    left join cx.customers c on c.customer_id = s.customer_id
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
   where s.ord not in (select d.ord from ingest_duplicates d);

  insert into cx.interaction_steps
    (customer_id, interaction_id, interaction_start_timestamp, step_type, agent_id, started_at, ended_at, kb_article_id, step_outcome)
  select s.customer_id, s.interaction_id, s.start_timestamp, st.step_type, st.agent_id, st.started_at, st.ended_at,
         st.kb_article_id, st.step_outcome
    from pg_temp.ingest_steps st
    join pg_temp.ingest_interactions s on s.ord = st.interaction_ord
   where s.ord not in (select d.ord from ingest_duplicates d);

  insert into cx.interaction_external_refs (source_system, external_reference, customer_id, interaction_id, start_timestamp)
  select s.source_system, s.external_reference, s.customer_id, s.interaction_id, s.start_timestamp
    from pg_temp.ingest_interactions s
   where s.source_system is not null and s.ord not in (select d.ord from ingest_duplicates d);

  return query
    select s.ord, s.customer_id, s.interaction_id, s.start_timestamp, s.ord in (select d.ord from ingest_duplicates d)
      from pg_temp.ingest_interactions s
     order by s.ord;
  drop table ingest_duplicates;
end
$$;
comment on function cx.ingest_staged() is
  'Moves the batch staged by cx.ingest_begin() into customer_interactions, interaction_steps and interaction_external_refs with one INSERT ... SELECT each, skipping replays; returns each staged interaction''s key (or that it was a duplicate), in staging order.';
