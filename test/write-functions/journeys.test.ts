import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.record_sessions, cx.end_sessions and cx.record_touchpoints, the write functions every writer
 * records journeys through (issue 15): batches of rows keyed by the tables' columns, the sessions'
 * counters the database's own, every journey day touched logged for the refresh.
 */
const test = databaseSuite('write functions: journeys');

const DAY = '2026-11-19';
let customerId: string;
let web: string;
let app: string;

async function loggedJourneyDays(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query(
    `select l.metric_date::text || ' ' || coalesce(c.channel_name, 'none') as bucket
       from cx_private.metric_bucket_log l left join cx.channels c on c.channel_id = l.bucket_key
      where l.bucket_kind = 'journey' order by 1`,
  );
  return rows.map((r) => r.bucket);
}

test.before(async ({ pool }) => {
  customerId = await given.customer(pool);
  web = await given.channelId(pool, 'web_app');
  app = await given.channelId(pool, 'mobile_app');
});

test('sessions: a batch, counters given are ignored, each day and entry channel logged', async ({ pool }) => {
  const { rows } = await pool.query(
    'select ord, customer_id, session_id from cx.record_sessions($1::jsonb)',
    [
      JSON.stringify([
        {
          customer_id: customerId,
          start_timestamp: `${DAY}T08:00:00Z`,
          entry_channel_id: web,
          touchpoint_count: 99,
        },
        { customer_id: customerId, start_timestamp: '2026-11-20T08:00:00Z' },
      ]),
    ],
  );
  assert.equal(
    rows.map((r) => [r.ord, r.customer_id]),
    [
      [0, customerId],
      [1, customerId],
    ],
  );
  const stored = await pool.query(
    `select journey_outcome, touchpoint_count, channels_used from cx.customer_journey_sessions
      where session_id = any($1) order by start_timestamp`,
    [rows.map((r) => r.session_id)],
  );
  assert.equal(stored.rows, [
    { journey_outcome: 'in_progress', touchpoint_count: 0, channels_used: 0 },
    { journey_outcome: 'in_progress', touchpoint_count: 0, channels_used: 0 },
  ]);
  assert.equal(await loggedJourneyDays(pool), [`${DAY} web_app`, '2026-11-20 none']);
});

test('touchpoints: the sessions count them, a friction flag alone logs its day; ends: unknown sessions left out', async ({
  pool,
}) => {
  await pool.query('select cx.refresh_metrics()');
  const [session] = await given.sessions(pool, [
    { customer_id: customerId, start_timestamp: `${DAY}T09:00:00Z`, entry_channel_id: app },
  ]);
  await pool.query('select cx.refresh_metrics()');
  const ids = await given.touchpoints(pool, [
    {
      customer_id: customerId,
      session_id: session,
      channel_id: app,
      touchpoint_type: 'app_screen',
      occurred_at: `${DAY}T09:01:00Z`,
    },
    {
      customer_id: customerId,
      session_id: session,
      channel_id: web,
      touchpoint_type: 'page_view',
      occurred_at: `${DAY}T09:03:00Z`,
      friction_detected: true,
      friction_type: 'slow_response',
    },
  ]);
  assert.is(ids.length, 2);
  const sessionRow = await pool.query(
    `select touchpoint_count, channels_used, last_activity_at from cx.customer_journey_sessions where session_id = $1`,
    [session],
  );
  assert.equal(sessionRow.rows, [
    { touchpoint_count: 2, channels_used: 2, last_activity_at: new Date(`${DAY}T09:03:00Z`) },
  ]);
  assert.equal(await loggedJourneyDays(pool), [`${DAY} mobile_app`]);

  const { rows } = await pool.query('select ord, session_id from cx.end_sessions($1::jsonb)', [
    JSON.stringify([
      {
        customer_id: customerId,
        session_id: '01900000-0000-7000-8000-00000000dead',
        journey_outcome: 'completed',
      },
      {
        customer_id: customerId,
        session_id: session,
        journey_outcome: 'completed',
        goal_achieved: true,
        end_timestamp: `${DAY}T09:10:00Z`,
        journey_satisfaction_score: 5,
      },
    ]),
  ]);
  assert.equal(rows, [{ ord: 1, session_id: session }]);
  await pool.query('select cx.refresh_metrics()');
  const day = await pool.query(
    `select journeys, journeys_completed, goals_achieved, touchpoints_sum, friction_touchpoints, satisfaction_sum
       from cx.daily_journey_rollup where metric_date = $1 and channel_id = $2`,
    [DAY, app],
  );
  assert.equal(day.rows, [
    {
      journeys: 1,
      journeys_completed: 1,
      goals_achieved: 1,
      touchpoints_sum: 2,
      friction_touchpoints: 1,
      satisfaction_sum: 5,
    },
  ]);
});

test('a touchpoint naming an interaction that does not exist: its row is named and nothing is stored', async ({
  pool,
}) => {
  const [session] = await given.sessions(pool, [
    { customer_id: customerId, start_timestamp: `${DAY}T11:00:00Z` },
  ]);
  const error = await pool
    .query('select * from cx.record_touchpoints($1::jsonb)', [
      JSON.stringify([
        { customer_id: customerId, session_id: session, channel_id: web, touchpoint_type: 'page_view' },
        {
          customer_id: customerId,
          session_id: session,
          channel_id: web,
          touchpoint_type: 'chat',
          interaction_id: '01900000-0000-7000-8000-00000000dead',
          interaction_start_timestamp: `${DAY}T11:00:00Z`,
        },
      ]),
    ])
    .then(
      () => undefined,
      (e) => e,
    );
  assert.equal(
    [error?.code, error?.constraint, error?.detail],
    ['23503', 'journey_touchpoints_interaction_fkey', 'batch row 1'],
  );
  const { rows } = await pool.query(
    'select count(*)::int as n from cx.journey_touchpoints where session_id = $1',
    [session],
  );
  assert.is(rows[0].n, 0);
});

test.run();
