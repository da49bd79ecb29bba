--! Previous: sha1:a9c846a1573c9b0a88c6e778d950674d2a7141f2
--! Hash: sha1:ef2bef3e55d745b788414c9806c0e80d45435fe9
--! Message: derived data: knowledge-base counters, agent performance, customer experience scores, channel capacity, data quality

--! split: 0100-drop-for-idempotence.sql
/*
 * current.sql runs again on every save while it is written: drop what it creates, last first.
 * The functions of 000008 it redefines (create or replace) need no drop.
 */
drop function if exists cx.check_data_quality(date);
drop function if exists cx_private.apply_data_quality_finding(date, text, text, text, uuid, text, text, numeric, numeric, numeric, text, text);
drop function if exists cx.refresh_channel_capacity(timestamptz, timestamptz);
drop table if exists cx.channel_capacity;
drop function if exists cx.compute_customer_experience_scores(date, integer);
drop table if exists cx.customer_experience_scores;
drop function if exists cx.refresh_agent_performance(integer);
drop function if exists cx.refresh_knowledge_base_counters();
delete from cx_private.constraint_messages
 where constraint_name like 'customer\_experience\_scores\_%' or constraint_name like 'channel\_capacity\_%';

--! split: 0200-bot-escalations-in-agent-days.sql
/*
 * An agent's escalation rate needs, for a bot, how many of its conversations escalated to a human:
 * a bot hands a conversation over the way a human transfers one. daily_agent_metrics.transfers now
 * counts both: a human's steps that ended transferred (as before), plus a bot's conversations that
 * escalated (distinct interactions with a bot step of the agent that day whose escalated_to_human
 * is set). Everything else in the recomputation is unchanged.
 *
 * An escalation is usually set by a later statement than the bot's step (the agent desktop writes
 * the queue and human steps), which logs only the new steps' agents and the interaction's primary
 * agent: so an interaction that becomes escalated now also logs the (day, agent) buckets of every
 * agent with a step in it (the bots' transfers and the humans' escalations received change).
 */
create or replace function cx_private.recompute_agent_days(p_days date[], p_agents uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_rows integer;
begin
  delete from cx.daily_agent_metrics m
   using unnest(p_days, p_agents) b(metric_date, agent_id)
   where m.metric_date = b.metric_date and m.agent_id = b.agent_id;

  insert into cx.daily_agent_metrics
    (metric_date, agent_id, handled, handle_seconds, wrap_up_seconds, transfers, escalations_received,
     csat_responses, csat_sum, csat_top2, handling_seconds, idle_seconds, available_seconds)
  select b.metric_date, b.agent_id,
         st.handled, st.handle_seconds, st.wrap_up_seconds, st.transfers, st.escalations_received,
         sc.responses, sc.total, sc.top2,
         tm.handling, tm.idle, tm.available
    from (select distinct d.metric_date, d.agent_id from unnest(p_days, p_agents) d(metric_date, agent_id)) b
    cross join lateral (
      select cx.reporting_day_start(b.metric_date) as day_start, cx.reporting_day_start(b.metric_date + 1) as day_end
    ) day
    cross join lateral (
      -- a bot's conversations are its human steps: a bot agent handles through bot steps
      select count(distinct s.interaction_id) filter (where s.step_type in ('human', 'bot'))::integer as handled,
             coalesce(sum(s.duration_seconds) filter (where s.step_type in ('human', 'hold', 'bot')), 0)::bigint as handle_seconds,
             coalesce(sum(s.duration_seconds) filter (where s.step_type = 'wrap_up'), 0)::bigint as wrap_up_seconds,
             -- a human's transfers, and a bot's conversations handed over to a human
             (count(*) filter (where s.step_type = 'human' and s.step_outcome = 'transferred')
              + count(distinct s.interaction_id) filter (where s.step_type = 'bot' and exists (
                  select 1 from cx.customer_interactions i
                   where i.customer_id = s.customer_id and i.interaction_id = s.interaction_id
                     and i.start_timestamp = s.interaction_start_timestamp
                     and i.escalated_to_human)))::integer as transfers,
             count(distinct s.interaction_id) filter (where s.step_type = 'human' and exists (
               select 1 from cx.customer_interactions i
                where i.customer_id = s.customer_id and i.interaction_id = s.interaction_id
                  and i.start_timestamp = s.interaction_start_timestamp
                  and i.escalated_to_human and i.initial_mode in ('bot', 'self_service', 'ivr')))::integer as escalations_received,
             range_agg(tstzrange(s.started_at, coalesce(s.ended_at, s.started_at)))
               filter (where s.step_type in ('human', 'hold', 'wrap_up', 'bot')) as handling_ranges
        from cx.interaction_steps s
       where s.agent_id = b.agent_id and s.started_at >= day.day_start and s.started_at < day.day_end
    ) st
    cross join lateral (
      select count(i.customer_satisfaction_score)::integer as responses,
             coalesce(sum(i.customer_satisfaction_score), 0)::integer as total,
             count(*) filter (where i.customer_satisfaction_score >= 4)::integer as top2
        from cx.customer_interactions i
       where i.primary_agent_id = b.agent_id and i.start_timestamp >= day.day_start and i.start_timestamp < day.day_end
    ) sc
    cross join lateral (
      select coalesce(range_agg(tstzrange(greatest(h.started_at, day.day_start),
                                          least(coalesce(h.ended_at, now()), day.day_end))), '{}'::tstzmultirange) as available_ranges
        from cx.agent_status_history h
       where h.agent_id = b.agent_id and h.status in ('available', 'busy')
         and h.started_at < day.day_end and coalesce(h.ended_at, now()) > day.day_start
    ) av
    cross join lateral (
      select cx_private.multirange_seconds(coalesce(st.handling_ranges, '{}') * tstzmultirange(tstzrange(day.day_start, day.day_end))) as handling,
             cx_private.multirange_seconds(av.available_ranges - coalesce(st.handling_ranges, '{}')) as idle,
             cx_private.multirange_seconds(av.available_ranges) as available
    ) tm
   where st.handled > 0 or st.handling_ranges is not null or sc.responses > 0 or not isempty(av.available_ranges);
  get diagnostics v_rows = row_count;
  return v_rows;
end
$$;
comment on function cx_private.recompute_agent_days(date[], uuid[]) is
  'Replaces the daily_agent_metrics rows of the given (day, agent) pairs with what the steps, interactions and status history say now; a day with nothing for the agent has no row. Returns the rows written.';
comment on column cx.daily_agent_metrics.transfers is
  'Conversations the agent handed on: a human''s human steps that ended transferred; a bot''s conversations (distinct interactions with its bot steps that day) that escalated to a human.';

create or replace function cx_private.tg_customer_interactions__log_metric_buckets() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_buckets cx_private.metric_bucket[] := '{}';
  v_zone text := cx_private.reporting_zone();
begin
  -- a transition table exists only for the events that have it: read each in its own branch
  if tg_op in ('INSERT', 'UPDATE') then
    select v_buckets || coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket as b from new_rows r
      union all
      select ('agent', cx_private.day_in_zone(r.start_timestamp, v_zone), r.primary_agent_id)::cx_private.metric_bucket from new_rows r
    ) x;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    select v_buckets || coalesce(array_agg(b), '{}') into v_buckets from (
      select ('channel', cx_private.day_in_zone(r.start_timestamp, v_zone), r.channel_id)::cx_private.metric_bucket as b from old_rows r
      union all
      select ('agent', cx_private.day_in_zone(r.start_timestamp, v_zone), r.primary_agent_id)::cx_private.metric_bucket from old_rows r
    ) x;
  end if;
  if tg_op = 'UPDATE' then
    -- an escalation changes the days of every agent with a step in it: the bots' transfers, the
    -- humans' escalations received
    select v_buckets || coalesce(array_agg(b), '{}') into v_buckets from (
      select ('agent', cx_private.day_in_zone(s.started_at, v_zone), s.agent_id)::cx_private.metric_bucket as b
        from new_rows n
        join old_rows o on o.customer_id = n.customer_id and o.interaction_id = n.interaction_id
        join cx.interaction_steps s
          on s.customer_id = n.customer_id and s.interaction_id = n.interaction_id
         and s.interaction_start_timestamp = n.start_timestamp
       where n.escalated_to_human and not o.escalated_to_human and s.agent_id is not null
    ) x;
  end if;
  perform cx_private.log_metric_buckets(v_buckets);
  return null;
end
$$;
comment on function cx_private.tg_customer_interactions__log_metric_buckets() is
  'AFTER each statement on customer_interactions: logs the (day, channel) and (day, primary agent) buckets of the old and new rows for the metrics refresh, and the (day, agent) buckets of every step of an interaction that became escalated.';

--! split: 0300-knowledge-base-counters.sql
/*
 * An article's usage count and resolution success rate are cross-customer counters: every
 * customer's steps change them, so no per-row trigger keeps them (DESIGN.md §5: on Citus a
 * reference-table row updated by every shard's writes serializes them all). The worker recomputes
 * them from the steps, set-based, and writes only articles whose figures changed (so a run that
 * finds nothing new writes nothing). A use is a step with kb_article_id; a use is successful when
 * the interaction it belongs to is resolved (resolution_status resolved: the outcome every
 * interaction has, where step_outcome is optional). Each run recomputes every article from all
 * the steps: it is its own full rebuild.
 */
create function cx.refresh_knowledge_base_counters()
  returns table (articles integer, articles_changed integer)
  language sql volatile
  set search_path = pg_catalog
  as $$
    with uses as (
      select s.kb_article_id as article_id,
             count(*)::integer as uses,
             count(*) filter (where i.resolution_status = 'resolved')::integer as resolved_uses
        from cx.interaction_steps s
        join cx.customer_interactions i
          on i.customer_id = s.customer_id and i.interaction_id = s.interaction_id
         and i.start_timestamp = s.interaction_start_timestamp
       where s.kb_article_id is not null
       group by s.kb_article_id
    ),
    target as (
      select kb.article_id,
             coalesce(u.uses, 0) as usage_count,
             round(u.resolved_uses::numeric / nullif(u.uses, 0), 5) as resolution_success_rate
        from cx.knowledge_base kb
        left join uses u on u.article_id = kb.article_id
    ),
    changed as (
      update cx.knowledge_base kb
         set usage_count = t.usage_count,
             resolution_success_rate = t.resolution_success_rate,
             usage_updated_at = now()
        from target t
       where kb.article_id = t.article_id
         and (kb.usage_count, kb.resolution_success_rate) is distinct from (t.usage_count, t.resolution_success_rate)
      returning 1
    )
    select (select count(*)::integer from target), (select count(*)::integer from changed)
  $$;
comment on function cx.refresh_knowledge_base_counters() is
  'Recomputes every article''s usage_count (steps that used it) and resolution_success_rate (of those uses, the ones whose interaction is resolved / uses, 0-1, 5 decimals; null without uses) from all the steps, writing only articles whose figures changed; returns the articles counted and changed. Every run is a full rebuild. Run by the worker, never by a trigger (a cross-customer counter, DESIGN.md §5).';
comment on column cx.knowledge_base.usage_count is
  'Computed by cx.refresh_knowledge_base_counters(): interaction steps that used the article.';
comment on column cx.knowledge_base.resolution_success_rate is
  'Computed by cx.refresh_knowledge_base_counters(): of the steps that used the article, the share whose interaction is resolved, 0-1 (null before the first use).';
comment on column cx.knowledge_base.usage_updated_at is
  'When usage_count or resolution_success_rate last changed (the refresh writes only articles whose figures changed).';

--! split: 0400-agent-performance.sql
/*
 * The agents' performance fields of the data model document, from the daily agent metrics over
 * the last p_days reporting days (today included), as sums over the days, never averages of daily
 * averages:
 * - average_handling_seconds = (handle + wrap-up seconds) / handled (the catalog's agent_aht_seconds);
 * - satisfaction_score = CSAT sum / CSAT answers of the interactions the agent was primary agent of;
 * - escalation_rate = transfers / handled: for a human, human steps that ended transferred per
 *   conversation handled; for a bot, conversations that escalated to a human per conversation
 *   handled (daily_agent_metrics.transfers counts both). A human who transferred one conversation
 *   twice could exceed 1: the rate is capped at 1.
 * A field without data in the window (nothing handled, no CSAT answer) is null. Only agents whose
 * figures changed are written. Every run recomputes every agent: a wide window (up to 36600 days)
 * is the full rebuild.
 */
create function cx.refresh_agent_performance(p_days integer default 30)
  returns table (agents integer, agents_changed integer, period_from date, period_to date)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_to date := cx.reporting_day(now());
  v_from date;
begin
  if p_days is null or p_days not between 1 and 36600 then
    raise exception 'p_days must be a whole number of days from 1 to 36600, got %', p_days
      using errcode = 'invalid_parameter_value';
  end if;
  v_from := v_to - (p_days - 1);
  return query
    with figures as (
      select a.agent_id,
             round((sum(m.handle_seconds) + sum(m.wrap_up_seconds))::numeric / nullif(sum(m.handled), 0), 2) as average_handling_seconds,
             round(sum(m.csat_sum)::numeric / nullif(sum(m.csat_responses), 0), 3) as satisfaction_score,
             round(case when sum(m.handled) > 0 then least(sum(m.transfers)::numeric / sum(m.handled), 1) end, 5) as escalation_rate
        from cx.agents a
        left join cx.daily_agent_metrics m
          on m.agent_id = a.agent_id and m.metric_date between v_from and v_to
       group by a.agent_id
    ),
    changed as (
      update cx.agents a
         set average_handling_seconds = f.average_handling_seconds,
             satisfaction_score = f.satisfaction_score,
             escalation_rate = f.escalation_rate,
             performance_updated_at = now()
        from figures f
       where a.agent_id = f.agent_id
         and (a.average_handling_seconds, a.satisfaction_score, a.escalation_rate)
             is distinct from (f.average_handling_seconds, f.satisfaction_score, f.escalation_rate)
      returning 1
    )
    select (select count(*)::integer from figures), (select count(*)::integer from changed), v_from, v_to;
end
$$;
comment on function cx.refresh_agent_performance(integer) is
  'Sets every agent''s average_handling_seconds ((handle + wrap-up seconds) / handled), satisfaction_score (CSAT sum / answers) and escalation_rate (transfers / handled, capped at 1: a human''s transferred steps, a bot''s conversations escalated to a human) from daily_agent_metrics over the last p_days reporting days (1-36600, default 30; a wide window is the full rebuild), null where the window has no data; writes only agents whose figures changed and stamps performance_updated_at. Returns the agents evaluated and changed and the period.';
comment on column cx.agents.average_handling_seconds is
  'Performance (cx.refresh_agent_performance, from daily_agent_metrics over its window, default 30 days): (handle + wrap-up seconds) / conversations handled, seconds.';
comment on column cx.agents.satisfaction_score is
  'Performance (cx.refresh_agent_performance): mean CSAT 1-5 of the interactions the agent was primary agent of.';
comment on column cx.agents.escalation_rate is
  'Performance (cx.refresh_agent_performance): transfers / conversations handled, 0-1: for a human, human steps that ended transferred; for a bot, conversations that escalated to a human.';
comment on column cx.agents.performance_updated_at is
  'When the performance fields last changed (cx.refresh_agent_performance writes only agents whose figures changed).';

--! split: 0500-customer-experience-scores.sql
/*
 * The data model's periodic CX score history: per customer and score date, the customer's
 * interactions that started in the window of reporting days ending with the score date, as counts
 * and sums (exact under any roll-up), with CSAT, NPS, CES and a composite CX score derived from
 * them in generated columns. The scores are the interactions' own (the latest linked feedback of
 * each score), the same as the daily metrics read. Distributed by customer_id (DESIGN.md §5): the
 * key starts with it.
 *
 * The composite cx_score, 0-100: 100 x the weighted mean of the components the customer has:
 * CSAT (mean - 1) / 4, weight 0.35; NPS (net score + 100) / 200, weight 0.25; CES (mean - 1) / 6,
 * weight 0.20; resolved / interactions, weight 0.20 (always present). Weights of missing
 * components drop out, so a customer without feedback scores on resolution alone.
 */
create table cx.customer_experience_scores (
  customer_id uuid not null
    constraint customer_experience_scores_customer_id_fkey references cx.customers (customer_id) on delete cascade,
  score_date date not null,
  window_days integer not null
    constraint customer_experience_scores_window_days_range check (window_days between 1 and 3660),
  interactions integer not null,
  resolved integer not null,
  escalations integer not null,
  channels_used integer not null,
  csat_responses integer not null,
  csat_sum integer not null,
  csat_top2 integer not null,
  nps_responses integer not null,
  nps_promoters integer not null,
  nps_detractors integer not null,
  ces_responses integer not null,
  ces_sum integer not null,
  csat_score numeric generated always as (round(csat_sum::numeric / nullif(csat_responses, 0), 3)) stored,
  nps numeric generated always as (round(100 * (nps_promoters - nps_detractors)::numeric / nullif(nps_responses, 0), 2)) stored,
  ces_score numeric generated always as (round(ces_sum::numeric / nullif(ces_responses, 0), 3)) stored,
  cx_score numeric generated always as (round(100 * (
      0.20 * resolved::numeric / nullif(interactions, 0)
      + case when csat_responses > 0 then 0.35 * (csat_sum::numeric / csat_responses - 1) / 4 else 0 end
      + case when nps_responses > 0 then 0.25 * ((nps_promoters - nps_detractors)::numeric / nps_responses + 1) / 2 else 0 end
      + case when ces_responses > 0 then 0.20 * (ces_sum::numeric / ces_responses - 1) / 6 else 0 end
    ) / (0.20 + case when csat_responses > 0 then 0.35 else 0 end
              + case when nps_responses > 0 then 0.25 else 0 end
              + case when ces_responses > 0 then 0.20 else 0 end), 2)) stored,
  churn_risk_score numeric(5, 4)
    constraint customer_experience_scores_churn_risk_score_fraction check (churn_risk_score between 0 and 1),
  computed_at timestamptz not null default now(),
  constraint customer_experience_scores_pkey primary key (customer_id, score_date),
  constraint customer_experience_scores_counts_consistent check (
    interactions >= 1
    and resolved between 0 and interactions
    and escalations between 0 and interactions
    and channels_used between 1 and interactions
    and csat_responses between 0 and interactions
    and nps_responses between 0 and interactions
    and ces_responses between 0 and interactions),
  constraint customer_experience_scores_score_sums_in_range check (
    csat_sum between csat_responses and 5 * csat_responses
    and csat_top2 between 0 and csat_responses
    and nps_promoters >= 0 and nps_detractors >= 0 and nps_promoters + nps_detractors <= nps_responses
    and ces_sum between ces_responses and 7 * ces_responses)
);
create index customer_experience_scores_score_date_idx on cx.customer_experience_scores (score_date);
comment on index cx.customer_experience_scores_score_date_idx is 'All customers'' scores of one date: the recomputation of a date and reports over a date.';
comment on table cx.customer_experience_scores is
  'Per-customer CX score history: one row per customer and score date, from the customer''s interactions in the window of reporting days ending that date, computed by cx.compute_customer_experience_scores(). Distributed by customer_id.';
comment on column cx.customer_experience_scores.customer_id is 'The customer (distribution column).';
comment on column cx.customer_experience_scores.score_date is 'The reporting day the window ends with (included).';
comment on column cx.customer_experience_scores.window_days is 'Reporting days the window covers (the score date and the days before it).';
comment on column cx.customer_experience_scores.interactions is 'The customer''s interactions that started in the window (at least 1: customers without any have no row).';
comment on column cx.customer_experience_scores.resolved is 'Of them, resolution_status resolved.';
comment on column cx.customer_experience_scores.escalations is 'Of them, escalated from an automated start to a human.';
comment on column cx.customer_experience_scores.channels_used is 'Distinct channels of those interactions (multi-channel usage).';
comment on column cx.customer_experience_scores.csat_responses is 'Interactions with a CSAT score (1-5).';
comment on column cx.customer_experience_scores.csat_sum is 'Sum of their CSAT scores.';
comment on column cx.customer_experience_scores.csat_top2 is 'CSAT 4 or 5 (top-2-box = csat_top2 / csat_responses).';
comment on column cx.customer_experience_scores.nps_responses is 'Interactions with an NPS answer (0-10).';
comment on column cx.customer_experience_scores.nps_promoters is 'NPS answers 9-10.';
comment on column cx.customer_experience_scores.nps_detractors is 'NPS answers 0-6.';
comment on column cx.customer_experience_scores.ces_responses is 'Interactions with a CES score (1-7, 7 easiest).';
comment on column cx.customer_experience_scores.ces_sum is 'Sum of their CES scores.';
comment on column cx.customer_experience_scores.csat_score is 'Mean CSAT, 1-5 (generated; null without answers).';
comment on column cx.customer_experience_scores.nps is 'Net promoter score of the customer''s answers: 100 x (promoters - detractors) / answers, -100 to 100 (generated; null without answers).';
comment on column cx.customer_experience_scores.ces_score is 'Mean CES, 1-7 (generated; null without answers).';
comment on column cx.customer_experience_scores.cx_score is 'Composite CX score 0-100 (generated): 100 x the weighted mean of the components present, CSAT (mean - 1) / 4 weight 0.35, NPS (nps + 100) / 200 weight 0.25, CES (mean - 1) / 6 weight 0.20, resolved / interactions weight 0.20.';
comment on column cx.customer_experience_scores.churn_risk_score is 'Predicted churn probability 0-1: a placeholder, null until the analytics pipeline fills it (the computation keeps a value it finds).';
comment on column cx.customer_experience_scores.computed_at is 'When the row''s figures last changed.';
insert into cx_private.constraint_messages (constraint_name, message) values
  ('customer_experience_scores_pkey', 'this customer already has CX scores for this score_date'),
  ('customer_experience_scores_customer_id_fkey', 'customer_id must name an existing customer'),
  ('customer_experience_scores_window_days_range', 'window_days must be a whole number from 1 to 3660'),
  ('customer_experience_scores_churn_risk_score_fraction', 'churn_risk_score must be a probability from 0 to 1'),
  ('customer_experience_scores_counts_consistent', 'interactions must be 1 or more; resolved, escalations and the CSAT, NPS and CES response counts from 0 to interactions; channels_used from 1 to interactions'),
  ('customer_experience_scores_score_sums_in_range', 'the score sums must fit their counts: csat_sum from 1 to 5 and ces_sum from 1 to 7 per response, csat_top2 at most csat_responses, nps_promoters + nps_detractors at most nps_responses')
on conflict (constraint_name) do update set message = excluded.message;

create function cx.compute_customer_experience_scores(p_date date default null, p_window_days integer default 90)
  returns table (score_date date, window_days integer, customers integer, rows_written integer, rows_removed integer)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_date date := coalesce(p_date, cx.reporting_day(now()));
  v_from timestamptz;
  v_to timestamptz;
  v_customers integer;
  v_written integer;
  v_removed integer;
begin
  if p_window_days is null or p_window_days not between 1 and 3660 then
    raise exception 'p_window_days must be a whole number of days from 1 to 3660, got %', p_window_days
      using errcode = 'invalid_parameter_value';
  end if;
  v_from := cx.reporting_day_start(v_date - (p_window_days - 1));
  v_to := cx.reporting_day_start(v_date + 1);
  with figures as (
    select i.customer_id,
           count(*)::integer as interactions,
           count(*) filter (where i.resolution_status = 'resolved')::integer as resolved,
           count(*) filter (where i.escalated_to_human)::integer as escalations,
           count(distinct i.channel_id)::integer as channels_used,
           count(i.customer_satisfaction_score)::integer as csat_responses,
           coalesce(sum(i.customer_satisfaction_score), 0)::integer as csat_sum,
           count(*) filter (where i.customer_satisfaction_score >= 4)::integer as csat_top2,
           count(i.nps_score)::integer as nps_responses,
           count(*) filter (where i.nps_score >= 9)::integer as nps_promoters,
           count(*) filter (where i.nps_score <= 6)::integer as nps_detractors,
           count(i.customer_effort_score)::integer as ces_responses,
           coalesce(sum(i.customer_effort_score), 0)::integer as ces_sum
      from cx.customer_interactions i
     where i.start_timestamp >= v_from and i.start_timestamp < v_to
     group by i.customer_id
  ),
  removed as (
    delete from cx.customer_experience_scores s
     where s.score_date = v_date
       and not exists (select 1 from figures f where f.customer_id = s.customer_id)
    returning 1
  ),
  written as (
    insert into cx.customer_experience_scores as s
      (customer_id, score_date, window_days, interactions, resolved, escalations, channels_used,
       csat_responses, csat_sum, csat_top2, nps_responses, nps_promoters, nps_detractors, ces_responses, ces_sum)
    select f.customer_id, v_date, p_window_days, f.interactions, f.resolved, f.escalations, f.channels_used,
           f.csat_responses, f.csat_sum, f.csat_top2, f.nps_responses, f.nps_promoters, f.nps_detractors,
           f.ces_responses, f.ces_sum
      from figures f
    on conflict on constraint customer_experience_scores_pkey do update
       set window_days = excluded.window_days, interactions = excluded.interactions, resolved = excluded.resolved,
           escalations = excluded.escalations, channels_used = excluded.channels_used,
           csat_responses = excluded.csat_responses, csat_sum = excluded.csat_sum, csat_top2 = excluded.csat_top2,
           nps_responses = excluded.nps_responses, nps_promoters = excluded.nps_promoters,
           nps_detractors = excluded.nps_detractors, ces_responses = excluded.ces_responses, ces_sum = excluded.ces_sum,
           computed_at = now()
     where (s.window_days, s.interactions, s.resolved, s.escalations, s.channels_used, s.csat_responses, s.csat_sum,
            s.csat_top2, s.nps_responses, s.nps_promoters, s.nps_detractors, s.ces_responses, s.ces_sum)
           is distinct from
           (excluded.window_days, excluded.interactions, excluded.resolved, excluded.escalations, excluded.channels_used,
            excluded.csat_responses, excluded.csat_sum, excluded.csat_top2, excluded.nps_responses,
            excluded.nps_promoters, excluded.nps_detractors, excluded.ces_responses, excluded.ces_sum)
    returning 1
  )
  select (select count(*)::integer from figures), (select count(*)::integer from written),
         (select count(*)::integer from removed)
    into v_customers, v_written, v_removed;
  return query select v_date, p_window_days, v_customers, v_written, v_removed;
end
$$;
comment on function cx.compute_customer_experience_scores(date, integer) is
  'Computes customer_experience_scores for p_date (default today in the reporting time zone) over the p_window_days reporting days ending with it (1-3660, default 90): one row per customer with interactions that started in the window; rows of that date for customers without any are removed, rows already right are not rewritten (idempotent; churn_risk_score is kept). Calling it again for a past date rebuilds that date from source (repair). Returns the date, window, customers scored, rows written and rows removed.';

--! split: 0600-channel-capacity.sql
/*
 * Hourly concurrent load per channel against the channel's max_concurrent_users, for capacity
 * planning. Hours are UTC hours (in whole-hour time zones, also the local hours). An interaction
 * occupies [start, end): an active one until now, a closed one without an end (a data-quality
 * problem) only its start instant; to keep a refresh cheap and a refresh of a few hours equal to a
 * full rebuild, an interaction counts for at most 7 days after its start. Per hour:
 * - interactions: those whose span touches the hour (or that start in it);
 * - arrivals: those that start in it;
 * - peak_concurrent: the most spans open at one instant of the hour (a sweep over start and end
 *   events, ends before starts at the same instant: back-to-back contacts do not overlap);
 * - interaction_seconds: the seconds of all spans within the hour; avg_concurrent is that / 3600.
 * Hours with no interactions have no row. Local to the Citus coordinator (DESIGN.md §5).
 */
create table cx.channel_capacity (
  channel_id uuid not null
    constraint channel_capacity_channel_id_fkey references cx.channels (channel_id) on delete cascade,
  hour_start timestamptz not null
    constraint channel_capacity_hour_start_whole_hour check (hour_start = date_bin('1 hour', hour_start, timestamptz '2000-01-01 00:00:00+00')),
  interactions integer not null,
  arrivals integer not null,
  peak_concurrent integer not null,
  interaction_seconds numeric(14, 3) not null,
  max_concurrent_users integer not null
    constraint channel_capacity_max_concurrent_users_positive check (max_concurrent_users > 0),
  avg_concurrent numeric generated always as (round(interaction_seconds / 3600, 4)) stored,
  utilisation numeric generated always as (round(interaction_seconds / 3600 / nullif(max_concurrent_users, 0), 6)) stored,
  peak_utilisation numeric generated always as (round(peak_concurrent::numeric / nullif(max_concurrent_users, 0), 6)) stored,
  refreshed_at timestamptz not null default now(),
  constraint channel_capacity_pkey primary key (channel_id, hour_start),
  constraint channel_capacity_counts_consistent check (
    interactions >= 1 and arrivals between 0 and interactions and peak_concurrent between 0 and interactions),
  constraint channel_capacity_interaction_seconds_range check (interaction_seconds between 0 and 3600 * peak_concurrent)
);
create index channel_capacity_hour_start_idx on cx.channel_capacity (hour_start);
comment on index cx.channel_capacity_hour_start_idx is 'All channels over a period: the refresh of a range of hours and capacity reports.';
comment on table cx.channel_capacity is
  'Hourly concurrent load per channel against its max_concurrent_users: interactions, arrivals, peak and average concurrency, utilisation; recomputed by cx.refresh_channel_capacity(). Local to the Citus coordinator.';
comment on column cx.channel_capacity.channel_id is 'The channel.';
comment on column cx.channel_capacity.hour_start is 'Start of the UTC hour; the hour is [hour_start, hour_start + 1 hour).';
comment on column cx.channel_capacity.interactions is 'Interactions active in the hour: their span [start, end) overlaps it or they start in it.';
comment on column cx.channel_capacity.arrivals is 'Interactions that started in the hour.';
comment on column cx.channel_capacity.peak_concurrent is 'Most interactions open at the same instant of the hour (a sweep over start and end events; an interaction ending as another starts does not overlap it).';
comment on column cx.channel_capacity.interaction_seconds is 'Seconds of all interactions within the hour (interaction-seconds).';
comment on column cx.channel_capacity.max_concurrent_users is 'The channel''s max_concurrent_users when the hour was last computed.';
comment on column cx.channel_capacity.avg_concurrent is 'Average concurrent interactions: interaction_seconds / 3600 (generated).';
comment on column cx.channel_capacity.utilisation is 'Average utilisation: avg_concurrent / max_concurrent_users, 0-1 and beyond when overloaded (generated).';
comment on column cx.channel_capacity.peak_utilisation is 'Peak utilisation: peak_concurrent / max_concurrent_users (generated).';
comment on column cx.channel_capacity.refreshed_at is 'When the hour''s figures last changed.';
insert into cx_private.constraint_messages (constraint_name, message) values
  ('channel_capacity_pkey', 'this channel already has a capacity row for this hour_start'),
  ('channel_capacity_channel_id_fkey', 'channel_id must name an existing channel'),
  ('channel_capacity_hour_start_whole_hour', 'hour_start must be the start of a whole UTC hour, e.g. 2026-11-02T10:00:00Z'),
  ('channel_capacity_max_concurrent_users_positive', 'max_concurrent_users must be a whole number of 1 or more'),
  ('channel_capacity_counts_consistent', 'interactions must be 1 or more, and arrivals and peak_concurrent from 0 to interactions'),
  ('channel_capacity_interaction_seconds_range', 'interaction_seconds must be from 0 to 3600 x peak_concurrent: an hour holds at most that many interaction-seconds')
on conflict (constraint_name) do update set message = excluded.message;

create function cx.refresh_channel_capacity(p_from timestamptz, p_to timestamptz)
  returns table (hours integer, rows_written integer, rows_removed integer)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_origin constant timestamptz := timestamptz '2000-01-01 00:00:00+00';
  v_longest constant interval := interval '7 days';
  v_now timestamptz := now();
  v_from timestamptz;
  v_hours integer;
  v_written integer;
  v_removed integer;
begin
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception 'the range must have a start and an end after it, got % to %', p_from, p_to
      using errcode = 'invalid_parameter_value';
  end if;
  -- the whole hour p_from falls in
  v_from := case when isfinite(p_from) then date_bin('1 hour', p_from, v_origin) else p_from end;
  with spans as (
    select i.channel_id, i.start_timestamp as started,
           least(coalesce(i.end_timestamp,
                          case when i.status = 'active' then greatest(v_now, i.start_timestamp) end,
                          i.start_timestamp),
                 i.start_timestamp + v_longest) as ended
      from cx.customer_interactions i
     where i.start_timestamp < p_to
       and i.start_timestamp >= v_from - v_longest
  ),
  pieces as (
    -- one piece per hour of the range a span touches; a zero-length span is a piece of its start hour
    select s.channel_id, h.hour_start,
           greatest(s.started, h.hour_start) as piece_from,
           least(s.ended, h.hour_start + interval '1 hour') as piece_to,
           s.started >= h.hour_start as arrived
      from spans s
     cross join lateral generate_series(
             date_bin('1 hour', greatest(s.started, v_from), v_origin),
             date_bin('1 hour', case when s.ended > s.started then s.ended - interval '1 microsecond' else s.started end, v_origin),
             interval '1 hour') h(hour_start)
     where (s.started >= v_from or s.ended > v_from)
       and h.hour_start < p_to
  ),
  events as (
    select p.channel_id, p.hour_start, p.piece_from as at, 1 as delta from pieces p where p.piece_to > p.piece_from
    union all
    select p.channel_id, p.hour_start, p.piece_to, -1 from pieces p where p.piece_to > p.piece_from
  ),
  levels as (
    select e.channel_id, e.hour_start,
           sum(e.delta) over (partition by e.channel_id, e.hour_start order by e.at, e.delta
                              rows between unbounded preceding and current row) as level
      from events e
  ),
  peaks as (
    select l.channel_id, l.hour_start, max(l.level)::integer as peak_concurrent
      from levels l
     group by l.channel_id, l.hour_start
  ),
  figures as (
    select p.channel_id, p.hour_start,
           count(*)::integer as interactions,
           count(*) filter (where p.arrived)::integer as arrivals,
           round(sum(extract(epoch from p.piece_to - p.piece_from)), 3) as interaction_seconds
      from pieces p
     group by p.channel_id, p.hour_start
  ),
  computed as (
    select f.channel_id, f.hour_start, f.interactions, f.arrivals, coalesce(k.peak_concurrent, 0) as peak_concurrent,
           f.interaction_seconds, c.max_concurrent_users
      from figures f
      join cx.channels c on c.channel_id = f.channel_id
      left join peaks k on k.channel_id = f.channel_id and k.hour_start = f.hour_start
  ),
  removed as (
    delete from cx.channel_capacity cc
     where cc.hour_start >= v_from and cc.hour_start < p_to
       and not exists (select 1 from computed x where x.channel_id = cc.channel_id and x.hour_start = cc.hour_start)
    returning 1
  ),
  written as (
    insert into cx.channel_capacity as cc
      (channel_id, hour_start, interactions, arrivals, peak_concurrent, interaction_seconds, max_concurrent_users)
    select x.channel_id, x.hour_start, x.interactions, x.arrivals, x.peak_concurrent, x.interaction_seconds, x.max_concurrent_users
      from computed x
    on conflict on constraint channel_capacity_pkey do update
       set interactions = excluded.interactions, arrivals = excluded.arrivals, peak_concurrent = excluded.peak_concurrent,
           interaction_seconds = excluded.interaction_seconds, max_concurrent_users = excluded.max_concurrent_users,
           refreshed_at = now()
     where (cc.interactions, cc.arrivals, cc.peak_concurrent, cc.interaction_seconds, cc.max_concurrent_users)
           is distinct from
           (excluded.interactions, excluded.arrivals, excluded.peak_concurrent, excluded.interaction_seconds,
            excluded.max_concurrent_users)
    returning 1
  )
  select (select count(*)::integer from computed), (select count(*)::integer from written),
         (select count(*)::integer from removed)
    into v_hours, v_written, v_removed;
  return query select v_hours, v_written, v_removed;
end
$$;
comment on function cx.refresh_channel_capacity(timestamptz, timestamptz) is
  'Recomputes channel_capacity for every UTC hour from the hour p_from falls in up to p_to (exclusive) from the interactions: rows of hours that have no interactions any more are removed, rows already right are not rewritten (idempotent). An interaction counts from its start to its end (an active one to now, for at most 7 days). With a wide range (''-infinity'', ''infinity'') it is the full rebuild. Returns the channel-hours computed, rows written and rows removed.';

--! split: 0700-data-quality.sql
/*
 * Data-quality checks raise system_alerts with the lifecycle of threshold alerts: one alert per
 * (alert key, day) while it is not resolved; a re-check updates it, escalates warning -> critical
 * (reopening an acknowledged one), and resolves it when the condition has cleared. Severity is
 * never lowered by a re-check.
 *
 * Volume anomaly, per channel (alert key volume:<channel_id>, metric interactions): the day's
 * interactions against the same weekday in each of the 4 weeks before (weeks without any count
 * 0). For today only the part of the day that has passed is compared, with the same part of those
 * days. With m the mean and s the sample standard deviation of the 4, the day is flagged when it
 * is outside m +- 3 s AND its ratio to m is below 0.5 or above 2 (both: a large relative change
 * that is also unusual for the channel); critical beyond m +- 4 s, else warning. A channel whose 4
 * weeks had nothing (m = 0) is not judged.
 *
 * Integrity, over the interactions that started on the day (alert key integrity:<check>, severity
 * warning, the count as observed value, the rows checked as sample):
 * - closed_without_end: completed, abandoned or failed, but no end_timestamp;
 * - active_with_end: an end_timestamp, but still status active;
 * - active_over_24h: still active more than 24 hours after the start (as of the check);
 * - open_step_over_12h: steps of those interactions without ended_at more than 12 hours after they started.
 */
create function cx_private.apply_data_quality_finding(
  p_date date, p_kind text, p_key text, p_scope_kind text, p_scope_id uuid, p_metric text,
  p_severity text, p_observed numeric, p_level numeric, p_sample numeric, p_message text, p_cleared text
) returns text
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_alert cx.system_alerts;
begin
  select * into v_alert from cx.system_alerts a
   where a.alert_key = p_key and a.metric_date = p_date and a.alert_status <> 'resolved'
   for update;
  if p_severity is null then
    if found then
      update cx.system_alerts
         set alert_status = 'resolved', resolved_at = now(), last_checked_at = now(),
             observed_value = p_observed, sample = p_sample, resolution = p_cleared
       where alert_id = v_alert.alert_id;
      return 'resolved';
    end if;
    return null;
  elsif not found then
    insert into cx.system_alerts
      (alert_kind, alert_key, metric_name, scope_kind, scope_id, metric_date, window_days, severity,
       observed_value, threshold_value, sample, message)
    values (p_kind, p_key, p_metric, p_scope_kind, p_scope_id, p_date, 1, p_severity,
            p_observed, p_level, p_sample, p_message);
    return 'opened';
  elsif p_severity = 'critical' and v_alert.severity <> 'critical' then
    update cx.system_alerts
       set severity = 'critical', threshold_value = p_level, observed_value = p_observed, sample = p_sample,
           message = p_message, last_checked_at = now(), escalated_at = now(),
           -- an escalation needs new attention
           alert_status = 'open'
     where alert_id = v_alert.alert_id;
    return 'escalated';
  else
    update cx.system_alerts
       set observed_value = p_observed, sample = p_sample, message = p_message, last_checked_at = now(),
           -- the level of the severity kept (never lowered)
           threshold_value = case when v_alert.severity = p_severity then p_level else threshold_value end
     where alert_id = v_alert.alert_id;
    return 'updated';
  end if;
end
$$;
comment on function cx_private.apply_data_quality_finding(date, text, text, text, uuid, text, text, numeric, numeric, numeric, text, text) is
  'The alert lifecycle of one data-quality finding of a day: opens an alert (severity given), updates or escalates the open one, or resolves it with p_cleared (severity null). Returns opened, escalated, updated, resolved or null (nothing to do).';

create function cx.check_data_quality(p_date date default null)
  returns table (checked integer, opened integer, escalated integer, updated integer, resolved integer)
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_date date := coalesce(p_date, cx.reporting_day(now()));
  v_day_start timestamptz := cx.reporting_day_start(v_date);
  v_day_end timestamptz := cx.reporting_day_start(v_date + 1);
  v_now timestamptz := now();
  v_partial boolean;
  v_elapsed interval;
  v_finding record;
  v_done text;
  v_checked integer := 0;
  v_opened integer := 0;
  v_escalated integer := 0;
  v_updated integer := 0;
  v_resolved integer := 0;
begin
  -- one check at a time: two would both open the same alert
  perform pg_advisory_xact_lock(hashtext('cx.check_data_quality'));
  v_partial := v_now < v_day_end;
  v_elapsed := greatest(v_now - v_day_start, interval '0');

  for v_finding in
    with weeks as (
      select k as weeks_back, cx.reporting_day_start(v_date - 7 * k) as window_from,
             case when v_partial then cx.reporting_day_start(v_date - 7 * k) + v_elapsed
                  else cx.reporting_day_start(v_date - 7 * k + 1) end as window_to
        from generate_series(0, 4) k
    ),
    counts as (
      select c.channel_id, c.channel_name, w.weeks_back,
             (select count(*) from cx.customer_interactions i
               where i.channel_id = c.channel_id
                 and i.start_timestamp >= w.window_from and i.start_timestamp < w.window_to) as n
        from cx.channels c
       cross join weeks w
    ),
    stats as (
      select c.channel_id, c.channel_name,
             max(c.n) filter (where c.weeks_back = 0)::numeric as observed,
             avg(c.n) filter (where c.weeks_back > 0) as mean,
             stddev_samp(c.n) filter (where c.weeks_back > 0) as sd
        from counts c
       group by c.channel_id, c.channel_name
    ),
    judged as (
      select s.*,
             s.mean > 0 and abs(s.observed - s.mean) > 3 * s.sd
               and (s.observed / nullif(s.mean, 0) < 0.5 or s.observed / nullif(s.mean, 0) > 2) as flagged,
             abs(s.observed - s.mean) > 4 * s.sd as beyond_4_sd,
             case when s.observed < s.mean then -1 else 1 end as direction
        from stats s
    )
    select 'volume_anomaly' as kind, 'volume:' || j.channel_id as key, 'channel' as scope_kind, j.channel_id as scope_id,
           'interactions' as metric,
           case when not j.flagged then null when j.beyond_4_sd then 'critical' else 'warning' end as severity,
           j.observed,
           round(j.mean + j.direction * (case when j.beyond_4_sd then 4 else 3 end) * j.sd, 2) as level,
           4::numeric as sample,
           format('%s: %s interactions on %s%s, %s times the mean %s of the same weekday in the 4 weeks before (sd %s)',
                  j.channel_name, j.observed, v_date, case when v_partial then ' so far' else '' end,
                  round(j.observed / nullif(j.mean, 0), 2), round(j.mean, 2), round(j.sd, 2)) as message,
           format('%s back within the usual volume: %s interactions on %s%s, mean %s, sd %s',
                  j.channel_name, j.observed, v_date, case when v_partial then ' so far' else '' end,
                  round(j.mean, 2), round(j.sd, 2)) as cleared
      from judged j
    union all
    select 'integrity', 'integrity:' || q.check_name, 'global', null::uuid, null::text,
           case when q.problems > 0 then 'warning' end,
           q.problems::numeric, 0::numeric, q.checked::numeric,
           format('%s of %s %s started on %s %s', q.problems, q.checked, q.subject, v_date, q.problem),
           format('cleared: no %s started on %s %s (%s checked)', q.subject, v_date, q.problem, q.checked)
      from (
        select 'closed_without_end' as check_name, 'interactions' as subject,
               'are completed, abandoned or failed but have no end_timestamp' as problem,
               count(*) filter (where i.status in ('completed', 'abandoned', 'failed') and i.end_timestamp is null) as problems,
               count(*) as checked
          from cx.customer_interactions i
         where i.start_timestamp >= v_day_start and i.start_timestamp < v_day_end
        union all
        select 'active_with_end', 'interactions', 'have an end_timestamp but are still active',
               count(*) filter (where i.status = 'active' and i.end_timestamp is not null), count(*)
          from cx.customer_interactions i
         where i.start_timestamp >= v_day_start and i.start_timestamp < v_day_end
        union all
        select 'active_over_24h', 'interactions', 'are still active more than 24 hours after their start',
               count(*) filter (where i.status = 'active' and i.start_timestamp < v_now - interval '24 hours'), count(*)
          from cx.customer_interactions i
         where i.start_timestamp >= v_day_start and i.start_timestamp < v_day_end
        union all
        select 'open_step_over_12h', 'steps of interactions', 'are still open more than 12 hours after they started',
               count(*) filter (where s.ended_at is null and s.started_at < v_now - interval '12 hours'), count(*)
          from cx.interaction_steps s
         where s.interaction_start_timestamp >= v_day_start and s.interaction_start_timestamp < v_day_end
      ) q
  loop
    v_checked := v_checked + 1;
    v_done := cx_private.apply_data_quality_finding(
      v_date, v_finding.kind, v_finding.key, v_finding.scope_kind, v_finding.scope_id, v_finding.metric,
      v_finding.severity, v_finding.observed, v_finding.level, v_finding.sample, v_finding.message, v_finding.cleared);
    case v_done
      when 'opened' then v_opened := v_opened + 1;
      when 'escalated' then v_escalated := v_escalated + 1;
      when 'updated' then v_updated := v_updated + 1;
      when 'resolved' then v_resolved := v_resolved + 1;
      else null;
    end case;
  end loop;
  return query select v_checked, v_opened, v_escalated, v_updated, v_resolved;
end
$$;
comment on function cx.check_data_quality(date) is
  'Data-quality checks of a reporting day (default today) raising system_alerts. Volume anomaly per channel (key volume:<channel_id>): the day''s interactions (today: so far) against the same weekday (same part of the day) in the 4 weeks before, flagged when outside mean +- 3 sample standard deviations and below 0.5 or above 2 times the mean, critical beyond 4 sd, not judged without history. Integrity (key integrity:<check>, warning) over the interactions that started that day: closed_without_end, active_with_end, active_over_24h, open_step_over_12h. Opens, updates, escalates and resolves alerts like cx.check_thresholds (one per key and day); returns the findings checked and what it did.';
