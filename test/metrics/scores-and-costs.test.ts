import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * The score, share, cost and agent metrics no other test computes by hand, on one chatbot day
 * (bot 0.01, human 0.85 per minute):
 * - B1 bot, contained, resolved: bot 09:00-09:04 (240 s), cost 0.04; CSAT 5, NPS 10, CES 6
 * - B2 bot, contained, completed unresolved: bot 09:10-09:12 (120 s), cost 0.02; CSAT 2, NPS 3, CES 2
 * - B3 bot, escalated: bot 10:00-10:02 (120 s), queue 10:02-10:03, human H 10:03-10:09 (360 s), hold
 *   10:09-10:10 (60 s): human seconds 420, cost (120 x 0.01 + 420 x 0.85) / 60 = 5.97; primary agent
 *   H; CSAT 4, NPS 9
 * - L1 live chat, human H 12:00-12:05 (300 s), cost 4.25; primary agent H; CSAT 3
 * and two journeys entering on web_app that day, rated 4 and 5.
 */
const test = databaseSuite('metrics: scores, shares, costs and agents by hand');

const DAY = '2026-11-08';
let human: string;

async function feedback(pool: pg.Pool, ref: given.InteractionRef, scores: Record<string, number>) {
  await given.feedback(pool, ref, scores);
}

async function values(pool: pg.Pool, group: string, names: string[], filters: Record<string, string> = {}) {
  const { rows } = await pool.query(
    `select metric_name, value, sample
       from cx.metric_values($1, $1, $2, p_channel_id => $4, p_agent_id => $5)
      where metric_name = any($3) order by metric_name`,
    [DAY, group, names, filters.channelId ?? null, filters.agentId ?? null],
  );
  return Object.fromEntries(rows.map((r) => [r.metric_name, [r.value, r.sample]]));
}

test.before(async ({ pool }) => {
  human = await given.agent(pool, 'scores-human');
  const at = (time: string) => `${DAY}T${time}Z`;
  const b1 = await given.botInteraction(pool, { start: at('09:00:00'), end: at('09:04:00') });
  await given.steps(pool, b1, [['bot', '09:00:00', '09:04:00']]);
  const b2 = await given.botInteraction(pool, {
    start: at('09:10:00'),
    end: at('09:12:00'),
    resolution: 'unresolved',
  });
  await given.steps(pool, b2, [['bot', '09:10:00', '09:12:00']]);
  const b3 = await given.botInteraction(pool, { start: at('10:00:00'), end: at('10:10:00') });
  await given.steps(pool, b3, [
    ['bot', '10:00:00', '10:02:00'],
    ['queue', '10:02:00', '10:03:00'],
    ['human', '10:03:00', '10:09:00', human],
    ['hold', '10:09:00', '10:10:00', human],
  ]);
  const l1 = await given.interaction(pool, { start: at('12:00:00'), end: at('12:05:00'), mode: 'live_chat' });
  await given.steps(pool, l1, [['human', '12:00:00', '12:05:00', human]]);
  await given.correctInteractions(pool, [b3, l1], { primary_agent_id: human });
  await feedback(pool, b1, { csat_score: 5, nps_score: 10, ces_score: 6 });
  await feedback(pool, b2, { csat_score: 2, nps_score: 3, ces_score: 2 });
  await feedback(pool, b3, { csat_score: 4, nps_score: 9 });
  await feedback(pool, l1, { csat_score: 3 });
  const web = await given.channelId(pool, 'web_app');
  for (const score of [4, 5]) {
    await given.sessions(pool, [
      {
        customer_id: await given.customer(pool),
        start_timestamp: at('08:00:00'),
        entry_channel_id: web,
        journey_satisfaction_score: score,
      },
    ]);
  }
  await pool.query('select * from cx.refresh_metrics()');
});

test('scores: CSAT mean and top-2-box, NPS, CES', async ({ pool }) => {
  const chatbot = await given.channelId(pool, 'chatbot');
  assert.equal(
    await values(pool, 'none', ['ces_score', 'csat_score', 'csat_top2_rate', 'nps'], { channelId: chatbot }),
    {
      // (6 + 2) / 2
      ces_score: [4, 2],
      // (5 + 2 + 4 + 3) / 4
      csat_score: [3.5, 4],
      // 5 and 4 of 4 answers
      csat_top2_rate: [0.5, 4],
      // promoters 10 and 9, detractor 3, of 3: 100 x (2 - 1) / 3
      nps: [33.333333, 3],
    },
  );
});

test('shares, escalations, bot resolution, time with a human, cost per interaction', async ({ pool }) => {
  const chatbot = await given.channelId(pool, 'chatbot');
  assert.equal(
    await values(
      pool,
      'none',
      ['avg_human_seconds', 'bot_resolution_rate', 'bot_share', 'cost_per_interaction', 'escalations'],
      { channelId: chatbot },
    ),
    {
      // (420 + 300) / 2 contacts with a human
      avg_human_seconds: [360, 2],
      // B1 of B1, B2, B3
      bot_resolution_rate: [0.333333, 3],
      // bot mode B1, B2 of bot and live chat B1, B2, B3, L1
      bot_share: [0.5, 4],
      // (0.04 + 0.02 + 5.97 + 4.25) / 4
      cost_per_interaction: [2.57, 4],
      // B3, of 3 bot-started
      escalations: [1, 3],
    },
  );
});

test('volumes by mode, failures and handle time', async ({ pool }) => {
  const chatbot = await given.channelId(pool, 'chatbot');
  assert.equal(
    await values(
      pool,
      'none',
      ['aht_seconds', 'bot_interactions', 'failure_rate', 'live_chat_interactions'],
      {
        channelId: chatbot,
      },
    ),
    {
      // (720 human seconds + 0 wrap-up) / 2 contacts with a human
      aht_seconds: [360, 2],
      // B1, B2 stayed bot; B3 (escalated) and L1 are live chat; of 4
      bot_interactions: [2, 4],
      // none failed
      failure_rate: [0, 4],
      live_chat_interactions: [2, 4],
    },
  );
});

test("the agent's CSAT and the escalations the agent received", async ({ pool }) => {
  assert.equal(
    await values(
      pool,
      'agent',
      ['agent_aht_seconds', 'agent_csat_score', 'agent_escalations_received', 'agent_handled'],
      {
        agentId: human,
      },
    ),
    {
      // human 360 + hold 60 + human 300 seconds, no wrap-up, over 2 contacts
      agent_aht_seconds: [360, 2],
      // primary agent of B3 (4) and L1 (3)
      agent_csat_score: [3.5, 2],
      // B3 escalated, and H took a human step in it; of 2 handled
      agent_escalations_received: [1, 2],
      agent_handled: [2, 2],
    },
  );
});

test('journey satisfaction', async ({ pool }) => {
  const web = await given.channelId(pool, 'web_app');
  assert.equal(await values(pool, 'none', ['journey_satisfaction', 'journeys'], { channelId: web }), {
    journey_satisfaction: [4.5, 2],
    journeys: [2, 2],
  });
});

test.run();
