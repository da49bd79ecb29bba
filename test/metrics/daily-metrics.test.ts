import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * The daily tables hold the counts and sums behind every KPI, recomputed from source for exactly
 * the buckets writes logged. One hand-computed day on the chatbot channel (costs: bot 0.01 and
 * human 0.85 per minute; service-level target 60 s; short-abandon grace 5 s):
 * - I1 bot, contained, resolved: bot 09:00-09:04 (240 s); CSAT 5; cost 240 x 0.01 / 60 = 0.04
 * - I2 bot, escalated, resolved: bot 10:00-10:02 (120), queue 10:02-10:03 (60), human A
 *   10:03-10:09 (360), wrap-up A 10:09-10:10 (60); CSAT 3, NPS 9; primary agent A;
 *   cost (120 x 0.01 + (360 + 60) x 0.85) / 60 = 5.97
 * - I3 bot, escalated, abandoned in the queue: bot 11:00-11:01 (60), queue 11:01-11:03 (120);
 *   cost 0.01
 * - I4 live chat, unresolved: queue 12:00:00-12:00:20 (20), human A 12:00:20-12:05:20 (300); CES 2;
 *   cost 300 x 0.85 / 60 = 4.25
 * Agent A was available 09:00-13:00 (14,400 s).
 */
const test = databaseSuite('daily metrics');

const DAY = '2026-11-03';
let agentA: string;
let refs: Record<'i1' | 'i2' | 'i3' | 'i4', given.InteractionRef>;

async function refresh(pool: pg.Pool) {
  const { rows } = await pool.query('select * from cx.refresh_metrics()');
  return rows[0];
}

async function channelDay(pool: pg.Pool, day = DAY, channel = 'chatbot') {
  const { rows } = await pool.query(
    `select m.* from cx.daily_channel_metrics m join cx.channels c using (channel_id)
      where m.metric_date = $1 and c.channel_name = $2`,
    [day, channel],
  );
  return rows[0];
}

/** The (kind, day) pairs waiting in the refresh log. */
async function loggedBuckets(pool: pg.Pool) {
  const { rows } = await pool.query(
    'select distinct bucket_kind, metric_date::text from cx_private.metric_bucket_log order by 1',
  );
  return rows;
}

async function feedback(pool: pg.Pool, ref: given.InteractionRef, scores: Record<string, number>) {
  await given.feedback(pool, ref, scores);
}

test.before(async ({ pool }) => {
  agentA = await given.agent(pool, 'agent-a');
  const i1 = await given.botInteraction(pool, { start: `${DAY}T09:00:00Z`, end: `${DAY}T09:04:00Z` });
  await given.steps(pool, i1, [['bot', '09:00:00', '09:04:00']]);
  const i2 = await given.botInteraction(pool, { start: `${DAY}T10:00:00Z`, end: `${DAY}T10:10:00Z` });
  await given.steps(pool, i2, [
    ['bot', '10:00:00', '10:02:00'],
    ['queue', '10:02:00', '10:03:00'],
    ['human', '10:03:00', '10:09:00', agentA],
    ['wrap_up', '10:09:00', '10:10:00', agentA],
  ]);
  await given.correctInteractions(pool, i2, { primary_agent_id: agentA });
  const i3 = await given.botInteraction(pool, {
    start: `${DAY}T11:00:00Z`,
    end: `${DAY}T11:03:00Z`,
    status: 'abandoned',
    resolution: 'unresolved',
  });
  await given.steps(pool, i3, [
    ['bot', '11:00:00', '11:01:00'],
    ['queue', '11:01:00', '11:03:00'],
  ]);
  const i4 = await given.interaction(pool, {
    start: `${DAY}T12:00:00Z`,
    end: `${DAY}T12:05:20Z`,
    mode: 'live_chat',
    resolution: 'unresolved',
  });
  await given.steps(pool, i4, [
    ['queue', '12:00:00', '12:00:20'],
    ['human', '12:00:20', '12:05:20', agentA],
  ]);
  await feedback(pool, i1, { csat_score: 5 });
  await feedback(pool, i2, { csat_score: 3, nps_score: 9 });
  await feedback(pool, i4, { ces_score: 2 });
  await given.statusIntervals(pool, agentA, [['available', `${DAY}T09:00:00Z`, `${DAY}T13:00:00Z`]]);
  refs = { i1, i2, i3, i4 };
});

test('the channel day holds the counts and sums behind every KPI', async ({ pool }) => {
  await refresh(pool);
  const day = await channelDay(pool);
  assert.equal(
    {
      volume: [
        day.interactions,
        day.completed,
        day.completed_resolved,
        day.resolved,
        day.first_contact_resolved,
      ],
      bots: [day.bot_started, day.contained, day.contained_resolved, day.escalated],
      automated: [day.automated_started, day.automated_escalated, day.failed],
      modes: [day.bot_interactions, day.live_chat_interactions, day.other_interactions],
      queues: [day.queued, day.answered_after_queue, day.queue_seconds_answered, day.abandoned],
      serviceLevel: [day.abandoned_after_grace, day.answered_within_target],
      handling: [day.human_handled, day.human_seconds, day.wrap_up_seconds, day.bot_seconds],
      csat: [day.csat_responses, day.csat_sum, day.csat_top2],
      nps: [day.nps_responses, day.nps_promoters, day.nps_passives, day.nps_detractors],
      ces: [day.ces_responses, day.ces_sum],
      cost: [day.cost_to_serve_sum, day.contained_cost_sum, day.human_handled_cost_sum],
      successRate: day.success_rate,
    },
    {
      volume: [4, 3, 2, 2, 2],
      bots: [3, 1, 1, 2],
      automated: [3, 2, 0],
      modes: [1, 3, 0],
      queues: [3, 2, 80, 1],
      serviceLevel: [1, 2],
      handling: [2, 660, 60, 420],
      csat: [2, 8, 1],
      nps: [1, 1, 0, 0],
      ces: [1, 2],
      cost: [10.27, 0.04, 10.22],
      // completed and resolved 2 of completed 3
      successRate: 0.6667,
    },
  );
});

test("the agent's day: handled, handle and wrap-up time, escalations received, CSAT, occupancy", async ({
  pool,
}) => {
  await refresh(pool);
  const { rows } = await pool.query('select * from cx.daily_agent_metrics where agent_id = $1', [agentA]);
  assert.is(rows.length, 1);
  const a = rows[0];
  // handling: 10:03-10:10 (420 s) and 12:00:20-12:05:20 (300 s) = 720 s of 14,400 s available
  assert.equal(
    [a.metric_date.toISOString().slice(0, 10), a.handled, a.handle_seconds, a.wrap_up_seconds, a.transfers],
    [DAY, 2, 660, 60, 0],
  );
  assert.equal([a.escalations_received, a.csat_responses, a.csat_sum, a.csat_top2], [1, 1, 3, 0]);
  assert.equal(
    [a.handling_seconds, a.idle_seconds, a.available_seconds, a.occupancy],
    [720, 13680, 14400, 0.05],
  );
});

test('late feedback logs its old day again, and the refresh fixes it', async ({ pool }) => {
  await refresh(pool);
  await feedback(pool, refs.i4, { csat_score: 1 });
  assert.equal(await loggedBuckets(pool), [{ bucket_kind: 'channel', metric_date: DAY }]);
  const done = await refresh(pool);
  assert.equal([done.channel_buckets, done.remaining_log_rows], [1, 0]);
  const day = await channelDay(pool);
  assert.equal([day.csat_responses, day.csat_sum, day.csat_top2], [3, 9, 1]);
});

test('an update logs the agent days only when a figure of theirs can change', async ({ pool }) => {
  await refresh(pool);
  const correct = (set: Record<string, unknown>) => given.correctInteractions(pool, refs.i2, set);
  // first contact resolution (the database's, from the resolution) is a channel figure: agent A's
  // day is not logged for a change of it
  await correct({ resolution_status: 'unresolved' });
  assert.equal(await loggedBuckets(pool), [{ bucket_kind: 'channel', metric_date: DAY }]);
  await correct({ resolution_status: 'resolved' });
  await refresh(pool);
  // a CSAT score is the primary agent's as well: 1 instead of 3
  await correct({ customer_satisfaction_score: 1 });
  assert.equal(await loggedBuckets(pool), [
    { bucket_kind: 'agent', metric_date: DAY },
    { bucket_kind: 'channel', metric_date: DAY },
  ]);
  await refresh(pool);
  const { rows } = await pool.query(
    'select csat_responses, csat_sum, csat_top2 from cx.daily_agent_metrics where agent_id = $1',
    [agentA],
  );
  assert.equal(rows[0], { csat_responses: 1, csat_sum: 1, csat_top2: 0 });
  await correct({ customer_satisfaction_score: 3 });
  await refresh(pool);
});

test('a queue or human step that appears or goes logs its channel day even when no total changes', async ({
  pool,
}) => {
  await refresh(pool);
  const day = '2026-11-05';
  const chat = await given.interaction(pool, {
    start: `${day}T12:00:00Z`,
    end: `${day}T12:10:00Z`,
    mode: 'live_chat',
  });
  await refresh(pool);
  assert.is((await channelDay(pool, day)).queued, 0);
  // a bot step of no length changes no total and no flag the rollup reads: nothing to log
  await given.steps(pool, chat, [['bot', '12:00:00', '12:00:00']]);
  assert.equal(await loggedBuckets(pool), []);
  // a queue step of no length changes no total either, but the day now has a queued contact
  await given.steps(pool, chat, [['queue', '12:00:00', '12:00:00']]);
  assert.equal(await loggedBuckets(pool), [{ bucket_kind: 'channel', metric_date: day }]);
  await refresh(pool);
  assert.is((await channelDay(pool, day)).queued, 1);
  await given.deleteSteps(pool, chat.interactionId, { stepType: 'queue' });
  assert.equal(await loggedBuckets(pool), [{ bucket_kind: 'channel', metric_date: day }]);
  await refresh(pool);
  assert.is((await channelDay(pool, day)).queued, 0);
  await given.deleteSteps(pool, chat.interactionId);
  await given.deleteInteractions(pool, chat);
  await refresh(pool);
  assert.is(await channelDay(pool, day), undefined);
});

test('a refresh again, or a full rebuild, changes nothing', async ({ pool }) => {
  await refresh(pool);
  const snapshot = async () =>
    (
      await pool.query(
        `select to_jsonb(r) - 'refreshed_at' as r from cx.daily_interaction_rollup r
         union all select to_jsonb(a) - 'refreshed_at' from cx.daily_agent_metrics a order by 1`,
      )
    ).rows;
  const before = await snapshot();
  const again = await refresh(pool);
  assert.equal([again.channel_buckets, again.agent_buckets, again.rows_written], [0, 0, 0]);
  const { rows } = await pool.query('select cx.rebuild_daily_metrics() as logged');
  assert.ok(rows[0].logged >= 2, `${rows[0].logged} buckets logged`);
  await refresh(pool);
  assert.equal(await snapshot(), before);
});

test('a refresh that fails or is cut off leaves the previous values and its log rows', async ({ pool }) => {
  await refresh(pool);
  await given.correctInteractions(pool, refs.i4, { resolution_status: 'resolved' });
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select * from cx.refresh_metrics()');
    await client.query('rollback'); // the worker died before commit
  } finally {
    client.release();
  }
  assert.is((await channelDay(pool)).completed_resolved, 2);
  const { rows } = await pool.query('select count(*)::int as n from cx_private.metric_bucket_log');
  assert.ok(rows[0].n > 0, 'the buckets are still logged');
  await refresh(pool);
  assert.is((await channelDay(pool)).completed_resolved, 3);
  await given.correctInteractions(pool, refs.i4, { resolution_status: 'unresolved' });
  await refresh(pool);
});

test('moving an interaction to another day recomputes both days; deleting one removes it', async ({
  pool,
}) => {
  await refresh(pool);
  const moved = await given.botInteraction(pool, { start: `${DAY}T15:00:00Z`, end: `${DAY}T15:01:00Z` });
  await refresh(pool);
  assert.is((await channelDay(pool)).interactions, 5);
  await given.correctInteractions(pool, moved, {
    start_timestamp: '2026-11-04T15:00:00Z',
    end_timestamp: '2026-11-04T15:01:00Z',
  });
  await refresh(pool);
  assert.is((await channelDay(pool)).interactions, 4);
  assert.is((await channelDay(pool, '2026-11-04')).interactions, 1);
  await given.deleteInteractions(pool, moved);
  await refresh(pool);
  assert.is(await channelDay(pool, '2026-11-04'), undefined);
});

test('days are calendar days of the reporting time zone', async ({ pool }) => {
  await refresh(pool);
  await pool.query(`select * from cx.change_settings(array['reporting_time_zone'], array['Europe/Berlin'])`);
  try {
    // 23:30 UTC on 4 November is 00:30 on 5 November in Berlin
    const late = await given.interaction(pool, {
      start: '2026-11-04T23:30:00Z',
      end: '2026-11-04T23:40:00Z',
      channel: 'email',
      mode: 'live_chat',
    });
    await refresh(pool);
    const { rows } = await pool.query(
      `select m.metric_date::text as day, m.interactions from cx.daily_channel_metrics m
         join cx.channels c using (channel_id) where c.channel_name = 'email'`,
    );
    assert.equal(rows, [{ day: '2026-11-05', interactions: 1 }]);
    await given.deleteInteractions(pool, late);
  } finally {
    await pool.query(`select * from cx.change_settings(array['reporting_time_zone'], array['UTC'])`);
  }
  await refresh(pool);
});

test.run();
