/**
 * Compiled by the typecheck, never run: wrong field names and types in client calls must not
 * compile. Each @ts-expect-error fails the typecheck if the line below it compiles.
 */
import type { CarepulseClient } from '../../src/client/connect.js';

export async function wrongCallsDoNotCompile(client: CarepulseClient): Promise<void> {
  const ref = await client.interactions.start({ customerId: 'c', channelId: 'ch', initialMode: 'bot' });

  // @ts-expect-error initialMode is one of the five modes
  await client.interactions.start({ customerId: 'c', channelId: 'ch', initialMode: 'robot' });
  // @ts-expect-error channelId is required
  await client.interactions.start({ customerId: 'c', initialMode: 'bot' });
  // @ts-expect-error the field is customerId, not customer_id
  await client.interactions.start({ customer_id: 'c', channelId: 'ch', initialMode: 'bot' });
  await client.interactions.start({
    customerId: 'c',
    channelId: 'ch',
    initialMode: 'bot',
    // @ts-expect-error startTimestamp is a Date
    startTimestamp: 42,
  });
  // @ts-expect-error step types are bot, human, queue, hold, wrap_up
  await client.interactions.addStep(ref, { stepType: 'transfer' });
  // @ts-expect-error an interaction cannot end as active
  await client.interactions.end(ref, { status: 'active', resolutionStatus: 'resolved' });
  // @ts-expect-error resolutionStatus is required
  await client.interactions.end(ref, { status: 'completed' });
  await client.interactions.end(ref, {
    status: 'completed',
    resolutionStatus: 'resolved',
    // @ts-expect-error costToServe is a number
    costToServe: '4.20',
  });
  // @ts-expect-error escalation reasons are a closed list
  await client.interactions.escalate(ref, { reason: 'bored' });

  const row = await client.interactions.get(ref);
  // @ts-expect-error durations are numbers
  const duration: string = row.humanDurationSeconds;
  // @ts-expect-error timestamps are Dates
  const started: string = row.startTimestamp;
  void duration;
  void started;

  const chatbot = await client.channels.byName('chatbot');
  // @ts-expect-error the field is humanCostPerMinute, not human_cost_per_minute
  await client.channels.update(chatbot.channelId, { human_cost_per_minute: 0.85 });
  // @ts-expect-error costs are numbers
  await client.channels.update(chatbot.channelId, { humanCostPerMinute: '0.85' });
  // @ts-expect-error a channel's name is its stable key, not one of the changes
  await client.channels.update(chatbot.channelId, { channelName: 'assistant' });
  // @ts-expect-error channel categories are core and advanced
  await client.channels.create({ channelName: 'fax', displayName: 'Fax', channelCategory: 'legacy' });

  // @ts-expect-error the field is teamName, not team
  await client.agents.update('a', { team: 'Billing B' });
  // @ts-expect-error maxConcurrentChats is a number
  await client.agents.update('a', { maxConcurrentChats: '3' });
  // @ts-expect-error the status changes through setStatus, which records its history
  await client.agents.update('a', { currentStatus: 'busy' });

  // @ts-expect-error categories are a closed list
  await client.knowledgeBase.update('k', { category: 'marketing' });
  // @ts-expect-error usage counters are computed by the metrics worker
  await client.knowledgeBase.update('k', { usageCount: 3 });
  // @ts-expect-error plan kinds are data, voice and combo
  await client.servicePlans.update('p', { planKind: 'fibre' });

  const plan = await client.servicePlans.get('p');
  // @ts-expect-error money is a number
  const fee: string = plan.monthlyFee;
  void fee;

  // @ts-expect-error groupings are a closed list
  await client.metrics.values({ from: '2026-11-01', to: '2026-11-30', groupBy: 'week' });
  // @ts-expect-error regions are R9 and DEUR
  await client.metrics.values({ from: '2026-11-01', to: '2026-11-30', region: 'EU' });
  const [value] = await client.metrics.values({ from: '2026-11-01', to: '2026-11-30' });
  // @ts-expect-error a value may be missing (a rate over nothing)
  const rate: number = value?.value;
  void rate;
  // @ts-expect-error threshold levels are numbers
  await client.thresholds.create({ metricName: 'nps', warningThreshold: '10', criticalThreshold: 0 });
  // @ts-expect-error a threshold's metric and scope are its identity, not changes
  await client.thresholds.update('t', { metricName: 'csat_score' });
  // @ts-expect-error alert statuses are open, acknowledged and resolved
  await client.alerts.list({ statuses: ['closed'] });
}
