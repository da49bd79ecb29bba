--! Previous: sha1:5cc944eca96fb581f864a587c912bf8792f4e75a
--! Hash: sha1:893f1720059142d0545abf4775a7ba556b832688
--! Message: every metric has a label; the change against the previous period in SQL

--! split: 0100-every-metric-has-a-label.sql
/*
 * The report showed metric codes (fcr_rate) to the supervisor who reads it. Every metric now has
 * a human label in the catalog, the one place screens take it from: the report shows
 * "First contact resolution (fcr_rate)". A metric a DBA adds must give one.
 */
alter table cx.metrics add column if not exists label text;
comment on column cx.metrics.label is 'The name a person reads (First contact resolution); screens show it with the code.';
update cx.metrics m
   set label = l.label
  from (values
    ('abandonment_rate', 'Abandonment rate'),
    ('agent_aht_seconds', 'Agent average handle time'),
    ('agent_csat_score', 'Agent customer satisfaction'),
    ('agent_escalations_received', 'Escalations received by the agent'),
    ('agent_handled', 'Contacts handled by the agent'),
    ('agent_occupancy', 'Agent occupancy'),
    ('aht_seconds', 'Average handle time'),
    ('asa_seconds', 'Average speed of answer'),
    ('avg_bot_seconds', 'Average bot time'),
    ('avg_human_seconds', 'Average time with a human'),
    ('bot_abandonment_rate', 'Bot sessions left unresolved'),
    ('bot_interactions', 'Bot interactions'),
    ('bot_resolution_rate', 'Bot resolution rate'),
    ('bot_savings', 'Bot savings'),
    ('bot_share', 'Bot share'),
    ('ces_score', 'Customer effort score'),
    ('channels_per_journey', 'Channels per journey'),
    ('churn_value', 'Churn and refund value'),
    ('containment_rate', 'Containment rate'),
    ('cost_per_interaction', 'Cost per interaction'),
    ('csat_score', 'Customer satisfaction (mean)'),
    ('csat_top2_rate', 'Customer satisfaction (top-2-box)'),
    ('escalation_answered_rate', 'Escalations answered by a human'),
    ('escalation_rate', 'Escalation rate'),
    ('escalations', 'Escalations'),
    ('failure_rate', 'Failure rate'),
    ('fcr_contact_rate', 'First contact resolution, of all contacts'),
    ('fcr_rate', 'First contact resolution'),
    ('friction_rate', 'Journey friction rate'),
    ('goal_achievement_rate', 'Journey goal achievement'),
    ('interactions', 'Interactions'),
    ('journey_completion_rate', 'Journey completion rate'),
    ('journey_satisfaction', 'Journey satisfaction'),
    ('journeys', 'Journeys'),
    ('live_chat_interactions', 'Live chat interactions'),
    ('multi_channel_rate', 'Multi-channel journeys'),
    ('nps', 'Net Promoter Score'),
    ('outcome_value', 'Outcome value'),
    ('outcomes', 'Outcomes'),
    ('queue_abandoned_after_escalation', 'Escalations abandoned in the queue'),
    ('retention_saves', 'Retention saves'),
    ('sales_value', 'Sales value'),
    ('service_level', 'Service level'),
    ('success_rate', 'Success rate'),
    ('touchpoints_per_journey', 'Touchpoints per journey')
  ) l(metric_name, label)
 where m.metric_name = l.metric_name;
-- a metric of an installation's own without a label reads as its code
update cx.metrics set label = metric_name where label is null;
alter table cx.metrics alter column label set not null;
alter table cx.metrics drop constraint if exists metrics_label_not_blank;
alter table cx.metrics add constraint metrics_label_not_blank check (btrim(label) <> '');
alter table cx.metrics drop constraint if exists metrics_label_max_length;
alter table cx.metrics add constraint metrics_label_max_length check (char_length(label) <= 100);
insert into cx_private.constraint_messages (constraint_name, message) values
  ('metrics_label_not_blank', 'label must not be blank'),
  ('metrics_label_max_length', 'label must be at most 100 characters')
on conflict (constraint_name) do update set message = excluded.message;

--! split: 0200-the-change-against-the-previous-period-in-sql.sql
/*
 * The report's change against the previous period (the difference, the relative change, better
 * or worse by the metric's direction) was worked out in TypeScript. It is a metric rule like the
 * others, so it is SQL, read by the report and the client alike; screens only format it.
 */
drop function if exists cx.metric_comparison(date, date, date, date, uuid, uuid, text, uuid);
create function cx.metric_comparison(
  p_from date,
  p_to date,
  p_previous_from date,
  p_previous_to date,
  p_channel_id uuid default null,
  p_interaction_type_id uuid default null,
  p_region text default null,
  p_agent_id uuid default null
) returns table (metric_name text, value numeric, sample numeric, previous numeric, previous_sample numeric,
                 difference numeric, relative_change numeric, verdict text)
  language sql stable
  set search_path = pg_catalog
  as $$
    select m.metric_name, c.value, c.sample, p.value, p.sample,
           c.value - p.value,
           round((c.value - p.value) / nullif(abs(p.value), 0), 6),
           case
             when m.higher_is_better is null or c.value is null or p.value is null then null
             when c.value = p.value then 'same'
             when (c.value > p.value) = m.higher_is_better then 'better'
             else 'worse'
           end
      from cx.metric_values(p_from, p_to, 'none', p_channel_id, p_interaction_type_id, p_region, p_agent_id) c
      join cx.metric_values(p_previous_from, p_previous_to, 'none', p_channel_id, p_interaction_type_id, p_region,
                            p_agent_id) p using (metric_name)
      join cx.metrics m on m.metric_name = c.metric_name
  $$;
comment on function cx.metric_comparison(date, date, date, date, uuid, uuid, text, uuid) is
  'Every metric over p_from..p_to beside the same over p_previous_from..p_previous_to (filters as cx.metric_values): the difference, the change relative to the previous value (null when that is 0 or has none), and the verdict by the metric''s direction (better, worse, same; null without a direction or a value).';
