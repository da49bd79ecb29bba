/**
 * A chatbot conversation that escalates to a human, then the customer's feedback, recorded through
 * the typed client. The database classifies it (live chat, escalated), computes the durations and
 * the cost, and rolls the CSAT up to the interaction and the customer; after a refresh, the day's
 * bot-vs-live-chat KPIs of the chatbot channel come from the daily tables.
 *
 *   npm run example
 *
 * Uses DATABASE_URL, or the embedded server (started for the run and stopped after, unless it was
 * already running), migrated first.
 */

import { installSignalHandlers } from '../src/cli/shutdown.js';
import { connect } from '../src/client/connect.js';
import { withDatabase } from '../src/db/with-database.js';
import { migrateDatabase } from '../src/migrate/migrate.js';

installSignalHandlers();
await withDatabase(async (db) => {
  await migrateDatabase(db);
  const client = connect({ connectionString: db.connectionString });
  try {
    const { chatbotId, day } = await client.withTransaction(async (cx) => {
      const chatbot = await cx.channels.byName('chatbot');
      const customer = await cx.customers.create({
        msisdn: `+49151${String(Date.now()).slice(-8)}`,
        customerType: 'postpaid',
        region: 'DEUR',
      });
      const bot = await cx.agents.create({
        agentCode: `bot-${Date.now()}`,
        agentName: 'Billing bot',
        agentType: 'bot',
      });
      const human = await cx.agents.create({
        agentCode: `agent-${Date.now()}`,
        agentName: 'Mia',
        agentType: 'human',
      });
      const survey = await cx.surveyTemplates.create({
        templateCode: `csat_${Date.now()}`,
        templateName: 'How did we do?',
        surveyType: 'csat',
      });

      const start = new Date(Date.now() - 15 * 60_000);
      const minute = (n: number) => new Date(start.getTime() + n * 60_000);
      const chat = await cx.interactions.start({
        customerId: customer.customerId,
        channelId: chatbot.channelId,
        initialMode: 'bot',
        startTimestamp: start,
      });
      await cx.interactions.addStep(chat, {
        stepType: 'bot',
        agentId: bot.agentId,
        startedAt: minute(0),
        endedAt: minute(3),
      });
      await cx.interactions.escalate(chat, { reason: 'bot_cannot_resolve' });
      await cx.interactions.addStep(chat, { stepType: 'queue', startedAt: minute(3), endedAt: minute(4) });
      await cx.interactions.addStep(chat, {
        stepType: 'human',
        agentId: human.agentId,
        startedAt: minute(4),
        endedAt: minute(11),
      });
      const ended = await cx.interactions.end(chat, {
        status: 'completed',
        resolutionStatus: 'resolved',
        endTimestamp: minute(12),
      });
      await cx.feedback.submit({
        customerId: customer.customerId,
        interaction: chat,
        surveyTemplateId: survey.surveyTemplateId,
        csatScore: 4,
        feedbackText: 'The bot could not help, the agent could.',
      });
      const rated = await cx.interactions.get(chat);
      console.log(`interaction ${chat.interactionId}`);
      console.log(
        `  counts as:        ${ended.interactionMode} (started as ${ended.initialMode}, escalated: ${ended.escalatedToHuman})`,
      );
      console.log(
        `  bot / human time: ${ended.botDurationSeconds} s / ${ended.humanDurationSeconds} s, queue ${ended.queueTimeSeconds} s`,
      );
      console.log(`  cost to serve:    ${ended.costToServe} EUR (derived from the channel's costs)`);
      console.log(`  CSAT:             ${rated.customerSatisfactionScore}`);
      return { chatbotId: chatbot.channelId, day: start.toISOString().slice(0, 10) };
    });

    // the daily tables catch up within seconds when the worker runs; here we refresh ourselves
    await client.metrics.refresh();
    const kpis = await client.metrics.values({
      from: day,
      to: day,
      channelId: chatbotId,
      metrics: [
        'bot_interactions',
        'live_chat_interactions',
        'containment_rate',
        'escalation_rate',
        'csat_score',
      ],
    });
    const kpi = Object.fromEntries(kpis.map((k) => [k.metricName, k.value]));
    const percent = (v: number | null | undefined) =>
      v === null || v === undefined ? '-' : `${Math.round(v * 100)} %`;
    console.log(`chatbot on ${day} (UTC day; the daily tables use the reporting time zone, UTC by default):`);
    console.log(`  bot vs live chat: ${kpi.bot_interactions} bot, ${kpi.live_chat_interactions} live chat`);
    console.log(
      `  containment:      ${percent(kpi.containment_rate)}, escalation ${percent(kpi.escalation_rate)}`,
    );
    console.log(`  mean CSAT:        ${kpi.csat_score?.toFixed(2) ?? '-'}`);
  } finally {
    await client.close();
  }
});
