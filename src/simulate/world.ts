/**
 * The simulated carrier's reference data — interaction types, plans, survey, knowledge base, bots,
 * supervisors and human agents — created through the typed client, as an application would.
 */
import type { AgentStatus } from '../client/agents.js';
import type { CarepulseClient } from '../client/connect.js';
import type { Category } from '../client/reference-data.js';
import { ConflictError } from '../errors.js';
import { item } from './item.js';
import { dayOfStatuses, humanRoster, PLANS } from './population.js';
import { Random } from './random.js';
import { type ChannelName, CONTACTS_PER_AGENT, INTERACTION_TYPES, TEAMS } from './scenario.js';
import { type SimulationPlan, simulatedDays, type World } from './workload.js';

export const CHAT_BOT_CODE = 'SIM-BOT-CHAT';

const ARTICLES: Record<Category, readonly string[]> = {
  billing: ['Understanding your bill', 'Paying by direct debit', 'Why is my bill higher this month?'],
  account: ['Changing your address', 'Replacing a lost SIM', 'Roaming in the EU'],
  technical: ['Setting up APN and mobile data', 'No signal: first steps', 'Enabling Wi-Fi calling'],
  sales: ['Comparing our plans', 'Adding a line', 'Trading in your phone'],
  support: ['How to make a complaint', 'Cancelling your contract', 'Contacting us'],
};

export interface CreatedWorld extends World {
  servicePlanIds: string[];
}

/** Creates the reference data and staff; refuses a database that already holds a simulation. */
export async function createWorld(client: CarepulseClient, plan: SimulationPlan): Promise<CreatedWorld> {
  const firstDay = item(simulatedDays(plan), 0);
  const existing = await client.agents.list({ agentType: 'bot' });
  if (existing.some((a) => a.agentCode === CHAT_BOT_CODE)) {
    throw new ConflictError(
      `this database already holds a simulation, perhaps a half-finished one (agent ${CHAT_BOT_CODE} exists): remove it with "carepulse simulate --reset", or simulate into another database`,
      'agentCode',
    );
  }
  const channelIds = Object.fromEntries(
    (await client.channels.list()).map((c) => [c.channelName, c.channelId]),
  ) as Record<ChannelName, string>;

  const typeIds: string[] = [];
  for (const t of INTERACTION_TYPES) {
    const { interactionTypeId } = await client.interactionTypes.create({
      typeCode: t.typeCode,
      typeName: t.typeName,
      category: t.category,
      complexityLevel: t.complexityLevel,
      businessCriticality: t.businessCriticality,
      targetResolutionSeconds: t.targetResolutionSeconds,
      escalationThresholdSeconds: t.escalationThresholdSeconds,
      revenueImpacting: t.revenueImpacting,
      requiresHuman: false,
      requiresAuthentication: t.category === 'account' || t.typeCode === 'cancellation',
      description: `Simulated: contacts about ${t.typeName.toLowerCase()}`,
    });
    typeIds.push(interactionTypeId);
  }

  const servicePlanIds: string[] = [];
  for (const p of PLANS) servicePlanIds.push((await client.servicePlans.create({ ...p })).servicePlanId);

  const { surveyTemplateId } = await client.surveyTemplates.create({
    templateCode: 'sim_post_contact',
    templateName: 'Post-contact survey',
    surveyType: 'custom',
    questions: [
      { key: 'csat', text: 'How satisfied are you with this contact?', scale: [1, 5] },
      { key: 'nps', text: 'How likely are you to recommend us?', scale: [0, 10] },
      { key: 'ces', text: 'How easy was it to get what you needed?', scale: [1, 7] },
      { key: 'comment', text: 'Anything else?' },
    ],
  });

  const chatBot = await client.agents.create({
    agentCode: CHAT_BOT_CODE,
    agentName: 'Chat assistant',
    agentType: 'bot',
    specialization: 'general',
    languages: ['de', 'en', 'tr', 'es'],
    currentStatus: 'available',
    statusChangedAt: firstDay,
    maxConcurrentChats: 100,
  });
  const ivrBot = await client.agents.create({
    agentCode: 'SIM-BOT-IVR',
    agentName: 'Voice menu',
    agentType: 'bot',
    specialization: 'general',
    languages: ['de', 'en'],
    currentStatus: 'available',
    statusChangedAt: firstDay,
    maxConcurrentChats: 100,
  });

  const articles = {} as Record<Category, string[]>;
  for (const [category, titles] of Object.entries(ARTICLES) as [Category, readonly string[]][]) {
    articles[category] = [];
    for (const [i, title] of titles.entries()) {
      const { articleId } = await client.knowledgeBase.create({
        articleKey: `sim-${category}-${i + 1}`,
        title,
        content: `${title}: step-by-step help (simulated).`,
        category,
        tags: [category],
        confidenceScore: 0.9,
        authorAgentId: chatBot.agentId,
        publishedAt: new Date(firstDay.getTime() - 90 * 86_400_000),
      });
      articles[category].push(articleId);
    }
  }

  const random = Random.derived(plan.seed, 0x51aff);
  const supervisors: string[] = [];
  for (const [i, team] of TEAMS.entries()) {
    const supervisor = await client.agents.create({
      agentCode: `SIM-S${String(i + 1).padStart(2, '0')}`,
      agentName: `${team.teamName} lead`,
      agentType: 'supervisor',
      teamName: team.teamName,
      specialization: team.specialization,
      skillLevel: 'specialist',
      languages: ['de', 'en'],
      statusChangedAt: plan.end,
    });
    supervisors.push(supervisor.agentId);
  }
  const averageDaily = plan.interactions / plan.days;
  const roster = humanRoster(plan.seed, Math.max(8, Math.ceil(averageDaily / CONTACTS_PER_AGENT)));
  const lastDay = simulatedDays(plan).at(-1) as Date;
  const humans: World['humans'] = [];
  for (const human of roster) {
    // the status now is the last of the simulated ones: the history loaded later ends where it starts
    const today = dayOfStatuses(human, lastDay, plan.end);
    const previous = dayOfStatuses(human, new Date(lastDay.getTime() - 86_400_000), plan.end);
    const current: AgentStatus = (today.at(-1) ?? previous.at(-1))?.status ?? 'offline';
    const team = item(TEAMS, human.team);
    const agent = await client.agents.create({
      agentCode: human.agentCode,
      agentName: human.agentName,
      agentType: 'human',
      supervisorId: item(supervisors, human.team),
      teamName: team.teamName,
      specialization: team.specialization,
      skillLevel: human.skill,
      languages: human.languages,
      workSchedule: { shift: human.shift, weekends: human.weekends },
      currentStatus: current,
      statusChangedAt: plan.end,
      maxConcurrentChats: human.team === 1 ? 1 : 3,
      hireDate: new Date(firstDay.getTime() - random.int(30, 3000) * 86_400_000),
    });
    humans.push({ ...human, agentId: agent.agentId });
  }

  return {
    channelIds,
    typeIds,
    surveyTemplateId,
    articles,
    chatBotId: chatBot.agentId,
    ivrBotId: ivrBot.agentId,
    humans,
    servicePlanIds,
  };
}
