import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * Journeys and outcomes have daily rollups of their own, logged and refreshed like interactions.
 * The day: journey J1 enters on the mobile app at 08:00 (two screens, one with friction), goes on
 * in a chatbot conversation, ends completed at 08:30 with satisfaction 4; journey J2 starts at
 * 09:00 without an entry channel and is still in progress. The chatbot conversation records a
 * sale of 100 and a churn of -50.
 */
const test = databaseSuite('journey and outcome rollups');

const DAY = '2026-11-03';

async function values(pool: pg.Pool, names: string[]) {
  const { rows } = await pool.query(
    `select metric_name, value from cx.metric_values($1, $1) where metric_name = any($2) order by metric_name`,
    [DAY, names],
  );
  return Object.fromEntries(rows.map((r) => [r.metric_name, r.value]));
}

let conversation: given.InteractionRef;

test.before(async ({ pool }) => {
  const customer = await given.customer(pool);
  const mobile = await given.channelId(pool, 'mobile_app');
  const [j1] = await given.sessions(pool, [
    {
      customer_id: customer,
      start_timestamp: `${DAY}T08:00:00Z`,
      end_timestamp: `${DAY}T08:30:00Z`,
      journey_outcome: 'completed',
      goal_achieved: true,
      entry_channel_id: mobile,
      journey_satisfaction_score: 4,
    },
    { customer_id: customer, start_timestamp: `${DAY}T09:00:00Z` },
  ]);
  await given.touchpoints(pool, [
    {
      customer_id: customer,
      session_id: j1,
      channel_id: mobile,
      touchpoint_type: 'app_screen',
      occurred_at: `${DAY}T08:00:00Z`,
    },
    {
      customer_id: customer,
      session_id: j1,
      channel_id: mobile,
      touchpoint_type: 'form_submit',
      occurred_at: `${DAY}T08:02:00Z`,
      friction_detected: true,
      friction_type: 'error',
    },
  ]);
  conversation = await given.botInteraction(pool, {
    customerId: customer,
    start: `${DAY}T08:05:00Z`,
    end: `${DAY}T08:30:00Z`,
    sessionId: j1,
  });
  const { customerId, interactionId, startTimestamp } = conversation;
  await pool.query(
    `select * from cx.record_outcomes(array[$1, $1]::uuid[], array[$2, $2]::uuid[], array[$3, $3]::timestamptz[],
       array['sale', 'churn'], array[100, -50], p_recorded_ats => array['${DAY}T08:30:00Z', '${DAY}T08:31:00Z']::timestamptz[])`,
    [customerId, interactionId, startTimestamp],
  );
  await pool.query('select cx.refresh_metrics()');
});

test('the journey day: counts and sums per entry channel', async ({ pool }) => {
  const { rows } = await pool.query(
    `select c.channel_name, r.journeys, r.journeys_completed, r.goals_achieved, r.journeys_in_progress,
            r.multi_channel_journeys, r.channels_used_sum, r.touchpoints_sum, r.friction_touchpoints,
            r.ended_journeys, r.duration_seconds_sum, r.satisfaction_responses, r.satisfaction_sum
       from cx.daily_journey_rollup r left join cx.channels c using (channel_id) order by 1 nulls last`,
  );
  assert.equal(rows, [
    {
      channel_name: 'mobile_app',
      journeys: 1,
      journeys_completed: 1,
      goals_achieved: 1,
      journeys_in_progress: 0,
      // the app's screens and the chatbot conversation
      multi_channel_journeys: 1,
      channels_used_sum: 2,
      touchpoints_sum: 2,
      friction_touchpoints: 1,
      ended_journeys: 1,
      duration_seconds_sum: 1800,
      satisfaction_responses: 1,
      satisfaction_sum: 4,
    },
    {
      channel_name: null,
      journeys: 1,
      journeys_completed: 0,
      goals_achieved: 0,
      journeys_in_progress: 1,
      multi_channel_journeys: 0,
      channels_used_sum: 0,
      touchpoints_sum: 0,
      friction_touchpoints: 0,
      ended_journeys: 0,
      duration_seconds_sum: 0,
      satisfaction_responses: 0,
      satisfaction_sum: 0,
    },
  ]);
  assert.equal(
    await values(pool, [
      'journeys',
      'journey_completion_rate',
      'goal_achievement_rate',
      'multi_channel_rate',
      'friction_rate',
    ]),
    {
      journeys: 2,
      // 1 completed of the 1 no longer in progress
      journey_completion_rate: 1,
      goal_achievement_rate: 0.5,
      multi_channel_rate: 0.5,
      friction_rate: 0.5,
    },
  );
});

test('outcomes by day, channel and type; a deleted interaction takes its outcomes out of the day', async ({
  pool,
}) => {
  assert.equal(
    await values(pool, ['outcomes', 'outcome_value', 'sales_value', 'churn_value', 'retention_saves']),
    {
      outcomes: 2,
      outcome_value: 50,
      sales_value: 100,
      churn_value: -50,
      retention_saves: 0,
    },
  );
  const { rows } = await pool.query(
    `select c.channel_name, r.outcome_type, r.outcomes, r.value_sum from cx.daily_outcome_rollup r
       join cx.channels c using (channel_id) order by 2`,
  );
  assert.equal(rows, [
    { channel_name: 'chatbot', outcome_type: 'churn', outcomes: 1, value_sum: -50 },
    { channel_name: 'chatbot', outcome_type: 'sale', outcomes: 1, value_sum: 100 },
  ]);
  await given.deleteInteractions(pool, conversation);
  await pool.query('select cx.refresh_metrics()');
  // totals over nothing are 0 (sales_value and churn_value were already; outcome_value was null)
  assert.equal(await values(pool, ['outcomes', 'outcome_value']), { outcomes: 0, outcome_value: 0 });
  // the journey lost its second channel with the conversation
  const { rows: journeys } = await pool.query(
    'select sum(multi_channel_journeys)::int as multi from cx.daily_journey_rollup',
  );
  assert.equal(journeys, [{ multi: 0 }]);
});

test('journey and outcome metrics do not answer type or region questions', async ({ pool }) => {
  const { rows } = await pool.query(
    "select count(*)::int as n from cx.metric_values($1, $1, 'none', null, null, 'DEUR') where metric_name in ('journeys', 'outcomes')",
    [DAY],
  );
  assert.equal(rows, [{ n: 0 }]);
});

test.run();
