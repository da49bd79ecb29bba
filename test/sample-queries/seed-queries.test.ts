import * as assert from 'uvu/assert';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * The data model document's first two sample queries, verbatim, with cx on the search_path:
 * they must run unchanged and return what the data says.
 */
const test = databaseSuite("the document's sample queries");

const botEffectiveness = `
SELECT 
    c.channel_name,
    ci.interaction_mode,
    COUNT(*) as interactions,
    AVG(ci.duration_seconds) as avg_duration,
    AVG(ci.customer_satisfaction_score) as avg_satisfaction,
    COUNT(CASE WHEN ci.escalated_to_human THEN 1 END) as escalations
FROM customer_interactions ci
JOIN channels c ON ci.channel_id = c.channel_id
WHERE ci.start_timestamp >= CURRENT_DATE - INTERVAL '30 days'
GROUP BY c.channel_name, ci.interaction_mode;`;

const customerJourneys = `
SELECT 
    cjs.customer_id,
    COUNT(DISTINCT ci.channel_id) as channels_used,
    COUNT(ci.interaction_id) as total_interactions,
    AVG(ci.customer_satisfaction_score) as avg_satisfaction,
    cjs.goal_achieved
FROM customer_journey_sessions cjs
JOIN customer_interactions ci ON cjs.session_id = ci.session_id
GROUP BY cjs.customer_id, cjs.goal_achieved;`;

function daysAgo(days: number, minutes = 0): string {
  return new Date(Date.now() - days * 86_400_000 + minutes * 60_000).toISOString();
}

test('bot effectiveness by channel: modes, durations, satisfaction and escalations of the last 30 days', async ({
  pool,
}) => {
  const rows = await inRollbackTransaction(pool, async (client) => {
    const setScore = (ref: given.InteractionRef, csat: number) =>
      given.correctInteractions(client, ref, { customer_satisfaction_score: csat });
    const contained = await given.botInteraction(client, { start: daysAgo(2), end: daysAgo(2, 5) });
    await setScore(contained, 5);
    const escalated = await given.botInteraction(client, { start: daysAgo(3), end: daysAgo(3, 10) });
    await given.steps(client, escalated, [
      ['bot', daysAgo(3), daysAgo(3, 2)],
      ['human', daysAgo(3, 2), daysAgo(3, 9)],
    ]);
    await setScore(escalated, 3);
    const contained2 = await given.botInteraction(client, { start: daysAgo(4), end: daysAgo(4, 15) });
    await setScore(contained2, 4);
    const live = await given.interaction(client, {
      start: daysAgo(1),
      end: daysAgo(1, 20),
      channel: 'web_app',
      mode: 'live_chat',
    });
    await setScore(live, 4);
    // older than 30 days: left out
    await given.botInteraction(client, { start: daysAgo(40), end: daysAgo(40, 5) });
    return (await client.query(botEffectiveness)).rows;
  });
  rows.sort((a, b) =>
    `${a.channel_name}/${a.interaction_mode}`.localeCompare(`${b.channel_name}/${b.interaction_mode}`),
  );
  assert.equal(rows, [
    {
      channel_name: 'chatbot',
      interaction_mode: 'bot',
      interactions: 2,
      avg_duration: 600,
      avg_satisfaction: 4.5,
      escalations: 0,
    },
    {
      channel_name: 'chatbot',
      interaction_mode: 'live_chat',
      interactions: 1,
      avg_duration: 600,
      avg_satisfaction: 3,
      escalations: 1,
    },
    {
      channel_name: 'web_app',
      interaction_mode: 'live_chat',
      interactions: 1,
      avg_duration: 1200,
      avg_satisfaction: 4,
      escalations: 0,
    },
  ]);
});

test('customer journeys: channels, interactions and satisfaction per customer and goal', async ({ pool }) => {
  const { rows, achiever, other } = await inRollbackTransaction(pool, async (client) => {
    const achiever = await given.customer(client);
    const other = await given.customer(client);
    const session = async (customerId: string, goalAchieved: boolean) =>
      (
        await client.query(
          `insert into cx.customer_journey_sessions (customer_id, start_timestamp, goal_achieved)
           values ($1, '2026-10-01T08:00:00Z', $2) returning session_id`,
          [customerId, goalAchieved],
        )
      ).rows[0].session_id as string;
    const won = await session(achiever, true);
    const lost = await session(other, false);
    const inSession = async (
      customerId: string,
      sessionId: string,
      channel: string,
      start: string,
      csat: number | null,
    ) => {
      const ref = await given.interaction(client, {
        customerId,
        sessionId,
        channel,
        mode: channel === 'chatbot' ? 'bot' : 'live_chat',
        start,
        end: start.replace('T08', 'T09'),
      });
      await given.correctInteractions(client, ref, { customer_satisfaction_score: csat });
    };
    await inSession(achiever, won, 'mobile_app', '2026-10-01T08:00:00Z', 5);
    await inSession(achiever, won, 'chatbot', '2026-10-01T08:10:00Z', 2);
    await inSession(achiever, won, 'chatbot', '2026-10-01T08:20:00Z', null);
    await inSession(other, lost, 'email', '2026-10-01T08:00:00Z', null);
    // not in any session: left out
    await given.interaction(client, { customerId: achiever, start: '2026-10-02T08:00:00Z' });
    return { rows: (await client.query(customerJourneys)).rows, achiever, other };
  });
  rows.sort((a, b) => Number(b.goal_achieved) - Number(a.goal_achieved));
  assert.equal(rows, [
    {
      customer_id: achiever,
      channels_used: 2,
      total_interactions: 3,
      avg_satisfaction: 3.5,
      goal_achieved: true,
    },
    {
      customer_id: other,
      channels_used: 1,
      total_interactions: 1,
      avg_satisfaction: null,
      goal_achieved: false,
    },
  ]);
});

test.run();
