import type pg from 'pg';
import * as assert from 'uvu/assert';
import { ConflictError } from '../../src/errors.js';
import { type SimulationSummary, simulate } from '../../src/simulate/load.js';
import { databaseSuite, withSecondDatabase } from '../support/database.js';

/**
 * The simulator is deterministic: the same seed and end give the same rows, ids included, in any
 * database; another seed gives other rows. Generated ids of the reference data (agents, types,
 * articles) are compared by their codes.
 */
const test = databaseSuite('simulator determinism');

/** Three days: 18, 19 and 20 November 2026. */
const OPTIONS = { days: 3, interactions: 1500, customers: 300, end: new Date('2026-11-20T00:00:00Z') };

/** One digest per table, over every column a writer or trigger sets (not the wall-clock created_at). */
async function digests(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows } = await pool.query(`
    select
      (select md5(string_agg(row(c.customer_id, c.msisdn, c.first_name, c.last_name, c.customer_type, c.region,
                                  c.city, c.customer_segment, c.credit_limit, c.lifetime_value, c.account_status,
                                  c.activated_at, c.preferred_language, c.total_interactions,
                                  c.successful_interactions, c.escalation_count, c.satisfaction_sum)::text,
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
                                  a.agent_code, i.session_id, i.error_code, i.sentiment_score, i.revenue_impact)::text,
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
         from cx.interaction_outcomes o left join cx.agents a on a.agent_id = o.attributed_agent_id) as outcomes`);
  return rows[0];
}

let summary: SimulationSummary;
let first: Record<string, string>;

test.before(async ({ pool }) => {
  summary = await simulate(pool, { ...OPTIONS, seed: 7 });
  first = await digests(pool);
});

test('a simulation writes what its summary says, within its days', async ({ pool }) => {
  const { rows } = await pool.query(`
    select (select count(*)::int from cx.customers) as customers,
           (select count(*)::int from cx.customer_interactions) as interactions,
           (select count(*)::int from cx.interaction_steps) as steps,
           (select count(*)::int from cx.customer_feedback) as feedback,
           (select count(*)::int from cx.customer_journey_sessions) as journeys,
           (select count(*)::int from cx.journey_touchpoints) as touchpoints,
           (select count(*)::int from cx.interaction_outcomes) as outcomes,
           (select count(*)::int from cx.agents) as agents,
           (select min(start_timestamp) from cx.customer_interactions) as first_start,
           (select max(end_timestamp) from cx.customer_interactions) as last_end`);
  const counts = rows[0];
  assert.equal(
    [counts.customers, counts.interactions, counts.steps, counts.feedback],
    [summary.customers, summary.interactions, summary.steps, summary.feedback],
  );
  assert.equal(
    [counts.journeys, counts.touchpoints, counts.outcomes],
    [summary.journeys, summary.touchpoints, summary.outcomes],
  );
  // 2 bots, 4 team leads, and the humans: at least 8 (500 contacts a day need 5)
  assert.is(counts.agents, summary.agents + 4);
  assert.is(counts.customers, 300);
  // contacts still going on at the end are left out: a few at most
  assert.ok(counts.interactions > 1490 && counts.interactions <= 1500, `${counts.interactions} interactions`);
  assert.ok(counts.first_start >= new Date('2026-11-18T00:00:00Z'), 'starts on the first of the three days');
  assert.ok(counts.last_end <= new Date('2026-11-21T00:00:00Z'), 'ends with the last day');
});

test('the same seed gives the same rows in another database; another seed gives others', async () => {
  await withSecondDatabase(async (pool) => {
    await simulate(pool, { ...OPTIONS, seed: 7 });
    assert.equal(await digests(pool), first);
  });
  await withSecondDatabase(async (pool) => {
    await simulate(pool, { ...OPTIONS, seed: 8 });
    const other = await digests(pool);
    for (const table of ['customers', 'interactions', 'steps', 'feedback', 'journeys', 'outcomes'])
      assert.is.not(other[table], first[table], `${table} differ between seeds`);
  });
});

test('a database that already holds a simulation is refused, and nothing is added', async ({ pool }) => {
  const before = await pool.query('select count(*)::int as n from cx.customer_interactions');
  try {
    await simulate(pool, { ...OPTIONS, seed: 9 });
    assert.unreachable('a second simulation was accepted');
  } catch (error) {
    assert.instance(error, ConflictError);
    assert.is(
      (error as Error).message,
      'this database already holds a simulation (agent SIM-BOT-CHAT exists): simulate into an empty database',
    );
  }
  const after = await pool.query('select count(*)::int as n from cx.customer_interactions');
  assert.is(after.rows[0].n, before.rows[0].n);
});

test.run();
