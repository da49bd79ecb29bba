import type pg from 'pg';

/** One digest per table, over every column a writer or trigger sets (not the wall-clock created_at). */
export async function simulationDigests(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows } = await pool.query(`
    select
      (select md5(string_agg(row(c.customer_id, c.msisdn, c.first_name, c.last_name, c.customer_type, c.region,
                                  c.city, c.customer_segment, c.credit_limit, c.lifetime_value, c.account_status,
                                  c.activated_at, c.preferred_language, c.total_interactions,
                                  c.successful_interactions, c.escalation_count, c.satisfaction_sum,
                                  c.satisfaction_count, c.nps_sum, c.nps_count, c.effort_sum, c.effort_count)::text,
                              ',' order by c.customer_id)) from cx.customers c) as customers,
      (select md5(string_agg(row(a.customer_id, p.plan_code, a.valid_from, a.valid_to, a.assignment_reason)::text,
                              ',' order by a.customer_id, p.plan_code, a.valid_from))
         from cx.customer_service_plans a join cx.service_plans p using (service_plan_id)) as plan_assignments,
      (select md5(string_agg(row(a.agent_code, a.agent_name, a.agent_type, a.team_name, a.skill_level, a.languages,
                                  s.agent_code, a.current_status, a.status_changed_at, a.hire_date)::text,
                              ',' order by a.agent_code))
         from cx.agents a left join cx.agents s on s.agent_id = a.supervisor_id) as agents,
      (select md5(string_agg(row(a.agent_code, h.status, h.started_at, h.ended_at, h.source)::text,
                              ',' order by a.agent_code, h.started_at))
         from cx.agent_status_history h join cx.agents a using (agent_id)) as agent_status_history,
      (select md5(string_agg(row(i.customer_id, i.interaction_id, i.start_timestamp, i.end_timestamp, ch.channel_name,
                                  t.type_code, i.initial_mode, i.interaction_mode, i.status, i.resolution_status,
                                  i.escalated_to_human, i.escalation_reason, i.escalation_timestamp,
                                  i.bot_duration_seconds, i.human_duration_seconds, i.queue_time_seconds,
                                  i.wrap_up_seconds, i.customer_satisfaction_score, i.nps_score,
                                  i.customer_effort_score, i.first_contact_resolution, i.cost_to_serve,
                                  a.agent_code, i.session_id, i.error_code, i.sentiment_score, i.revenue_impact,
                                  i.cost_to_serve_source, i.region, i.device_type, i.language_code,
                                  i.customer_intent, i.interaction_value)::text,
                              ',' order by i.interaction_id))
         from cx.customer_interactions i
         join cx.channels ch using (channel_id)
         join cx.interaction_types t using (interaction_type_id)
         left join cx.agents a on a.agent_id = i.primary_agent_id) as interactions,
      (select md5(string_agg(row(s.interaction_id, s.step_type, a.agent_code, s.started_at, s.ended_at,
                                  k.article_key, s.step_outcome)::text,
                              ',' order by s.interaction_id, s.started_at, s.step_type, a.agent_code))
         from cx.interaction_steps s
         left join cx.agents a using (agent_id)
         left join cx.knowledge_base k on k.article_id = s.kb_article_id) as steps,
      (select md5(string_agg(row(f.customer_id, f.interaction_id, f.submitted_at, f.csat_score, f.nps_score,
                                  f.ces_score, f.feedback_text, f.sentiment_score, f.sentiment_label)::text,
                              ',' order by f.interaction_id, f.submitted_at)) from cx.customer_feedback f) as feedback,
      (select md5(string_agg(row(j.customer_id, j.session_id, j.start_timestamp, j.end_timestamp, j.journey_goal,
                                  j.goal_achieved, j.journey_outcome, j.device_type, j.journey_satisfaction_score,
                                  j.touchpoint_count, j.channels_used)::text,
                              ',' order by j.session_id)) from cx.customer_journey_sessions j) as journeys,
      (select md5(string_agg(row(p.session_id, p.sequence_number, p.touchpoint_type, p.occurred_at, ch.channel_name,
                                  p.interaction_id, p.dwell_seconds, p.friction_type)::text,
                              ',' order by p.session_id, p.sequence_number))
         from cx.journey_touchpoints p join cx.channels ch using (channel_id)) as touchpoints,
      (select md5(string_agg(row(o.interaction_id, o.outcome_type, o.outcome_value, a.agent_code, o.recorded_at)::text,
                              ',' order by o.interaction_id, o.outcome_type))
         from cx.interaction_outcomes o left join cx.agents a on a.agent_id = o.attributed_agent_id) as outcomes,
      -- the buckets waiting for the next metrics refresh, however often each was logged
      (select md5(string_agg(b::text, ',' order by b::text)) from (
         select distinct row(l.bucket_kind, l.metric_date, coalesce(ch.channel_name, a.agent_code, l.bucket_key::text)) as b
           from cx_private.metric_bucket_log l
           left join cx.channels ch on l.bucket_kind = 'channel' and ch.channel_id = l.bucket_key
           left join cx.agents a on l.bucket_kind = 'agent' and a.agent_id = l.bucket_key) buckets) as metric_bucket_log`);
  return rows[0];
}
