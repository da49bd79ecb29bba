/**
 * The contacts of the simulated carrier, generated hour by hour so memory holds one hour (and the
 * repeat contacts still to come), however many interactions are asked for. Pure: the same plan and
 * world give the same contacts; the loader does the writing.
 */

import type { IngestInteraction, IngestStep } from '../client/ingest.js';
import type { Category } from '../client/reference-data.js';
import type {
  DeviceType,
  EscalationReason,
  InteractionMode,
  ResolutionStatus,
} from '../client/vocabulary.js';
import { item } from './item.js';
import { customerProfile, type HumanProfile, isOnShift } from './population.js';
import { Random, uuidV7 } from './random.js';
import {
  BILL_RUN_BILLING_FACTOR,
  BILL_RUN_DAYS,
  CHANNELS,
  type ChannelName,
  HOUR_WEIGHT,
  INCIDENTS,
  INTERACTION_TYPES,
  type Incident,
  JOURNEY_SHARE,
  REPEAT_AFTER_RESOLVED,
  REPEAT_AFTER_UNRESOLVED,
  SKILLS,
  SURVEY_RESPONSE,
  TEAMS,
  WEEKDAY_WEIGHT,
} from './scenario.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface SimulationPlan {
  seed: number;
  days: number;
  interactions: number;
  customers: number;
  /** Data stops here (exclusive): the end of the last day, or now when the last day is today. */
  end: Date;
}

/** The ids the loader created for the reference data the contacts point to. */
export interface World {
  channelIds: Record<ChannelName, string>;
  /** Aligned with INTERACTION_TYPES. */
  typeIds: string[];
  surveyTemplateId: string;
  articles: Record<Category, string[]>;
  chatBotId: string;
  ivrBotId: string;
  humans: Array<HumanProfile & { agentId: string }>;
}

export interface SessionRow {
  customerId: string;
  sessionId: string;
  startTimestamp: Date;
  endTimestamp: Date;
  goal: string;
  goalAchieved: boolean;
  outcome: 'completed' | 'abandoned' | 'escalated' | 'failed';
  entryChannelId: string;
  exitChannelId: string;
  deviceType: DeviceType;
  satisfactionScore: number | null;
}

export interface TouchRow {
  customerId: string;
  sessionId: string;
  channelId: string;
  interactionId: string | null;
  interactionStartTimestamp: Date | null;
  touchpointType: string;
  occurredAt: Date;
  sequenceNumber: number;
  page: string | null;
  dwellSeconds: number | null;
  frictionType: string | null;
}

export interface FeedbackRow {
  customerId: string;
  interactionId: string;
  interactionStartTimestamp: Date;
  surveyTemplateId: string;
  channelId: string;
  submittedAt: Date;
  csat: number;
  nps: number | null;
  ces: number | null;
  text: string | null;
  sentimentScore: number | null;
  sentimentLabel: string | null;
}

export interface OutcomeRow {
  customerId: string;
  interactionId: string;
  interactionStartTimestamp: Date;
  outcomeType: string;
  outcomeValue: number;
  agentId: string | null;
  recordedAt: Date;
}

/** One simulated hour: what the loader writes in one go. */
export interface Hour {
  start: Date;
  interactions: Array<IngestInteraction & { interactionId: string }>;
  sessions: SessionRow[];
  touchpoints: TouchRow[];
  feedback: FeedbackRow[];
  outcomes: OutcomeRow[];
}

interface RepeatContact {
  customer: number;
  type: number;
  at: Date;
}

/** Midnight (UTC) of each simulated day, oldest first. */
export function simulatedDays(plan: SimulationPlan): Date[] {
  const last = Math.floor((plan.end.getTime() - 1) / DAY_MS) * DAY_MS;
  return Array.from({ length: plan.days }, (_, d) => new Date(last - (plan.days - 1 - d) * DAY_MS));
}

/** Splits `total` over `weights` in whole numbers that add up to it (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    counts[i] = item(counts, i) + 1;
    left -= 1;
  }
  return counts;
}

function incidentOn(days: number, day: number, channel?: ChannelName): Incident | undefined {
  return INCIDENTS.find((i) => days - 1 - i.daysBeforeEnd === day && (!channel || i.channel === channel));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

const at = (base: Date, seconds: number) => new Date(base.getTime() + Math.round(seconds) * 1000);

/** Generates the plan's contacts hour by hour. */
export function* workload(plan: SimulationPlan, world: World): Generator<Hour> {
  const days = simulatedDays(plan);
  const period = { start: item(days, 0), end: plan.end };
  const dayWeights = days.map((day, d) => {
    const noise = Random.derived(plan.seed, 0xda7, d).normal(1, 0.04);
    const incident = incidentOn(plan.days, d);
    const surge = incident ? 1 + CHANNELS[incident.channel].share * (incident.volumeFactor - 1) : 1;
    return item(WEEKDAY_WEIGHT, day.getUTCDay()) * noise * surge;
  });
  const perDay = apportion(plan.interactions, dayWeights);
  const meanDayWeight = dayWeights.reduce((a, b) => a + b, 0) / dayWeights.length;
  const meanHourWeight = HOUR_WEIGHT.reduce((a, b) => a + b, 0) / 24;
  const repeats = new Map<number, RepeatContact[]>();

  for (const [d, day] of days.entries()) {
    const perHour = apportion(item(perDay, d), HOUR_WEIGHT);
    for (let h = 0; h < 24; h += 1) {
      const start = new Date(day.getTime() + h * HOUR_MS);
      if (start >= plan.end) return;
      const hourIndex = d * 24 + h;
      const random = Random.derived(plan.seed, 0x4002, hourIndex);
      const load = ((item(HOUR_WEIGHT, h) / meanHourWeight) * item(dayWeights, d)) / meanDayWeight;
      const due = repeats.get(hourIndex) ?? [];
      repeats.delete(hourIndex);
      const fresh = Math.max(0, item(perHour, h) - due.length);
      const contacts: RepeatContact[] = due.slice(0, item(perHour, h));
      for (let i = 0; i < fresh; i += 1) {
        contacts.push({
          customer: Math.floor(plan.customers * random.next() ** 1.5),
          type: pickType(random, day),
          at: at(start, random.next() * 3600),
        });
      }
      contacts.sort((a, b) => a.at.getTime() - b.at.getTime());
      const hour: Hour = {
        start,
        interactions: [],
        sessions: [],
        touchpoints: [],
        feedback: [],
        outcomes: [],
      };
      for (const contact of contacts) {
        if (contact.at >= plan.end) continue;
        const next = simulateContact(random, plan, world, period, contact, d, load, hour);
        if (next) {
          const nextHour = Math.floor((next.at.getTime() - period.start.getTime()) / HOUR_MS);
          if (nextHour > hourIndex && nextHour < days.length * 24) {
            const list = repeats.get(nextHour) ?? [];
            list.push(next);
            repeats.set(nextHour, list);
          }
        }
      }
      yield hour;
    }
  }
}

function pickType(random: Random, day: Date): number {
  const billRun = day.getUTCDate() <= BILL_RUN_DAYS;
  const weights: Record<string, number> = {};
  INTERACTION_TYPES.forEach((t, i) => {
    weights[i] = t.share * (billRun && t.category === 'billing' ? BILL_RUN_BILLING_FACTOR : 1);
  });
  return Number(random.weighted(weights));
}

function pickChannel(random: Random, category: Category, incident: Incident | undefined): ChannelName {
  const weights = {} as Record<ChannelName, number>;
  for (const [name, profile] of Object.entries(CHANNELS) as [ChannelName, (typeof CHANNELS)[ChannelName]][]) {
    let w = profile.share;
    if (category === 'technical' && (name === 'voice_call' || name === 'interactive_menu')) w *= 1.6;
    if (category === 'sales' && name === 'web_app') w *= 1.4;
    if (incident?.channel === name) w *= incident.volumeFactor;
    weights[name] = w;
  }
  return random.weighted(weights);
}

function deviceOf(random: Random, channel: ChannelName): DeviceType {
  const device = CHANNELS[channel].device;
  if (device !== 'mixed') return device;
  return random.weighted({ smartphone: 60, desktop: 35, tablet: 5 });
}

function pickHuman(
  random: Random,
  world: World,
  category: Category,
  language: string,
  when: Date,
  except?: string,
): World['humans'][number] {
  const team = TEAMS.findIndex((t) => (t.categories as readonly string[]).includes(category));
  const candidates = world.humans.filter((a) => a.team === team && a.agentId !== except);
  const onShift = candidates.filter((a) => isOnShift(a, when));
  const speaking = onShift.filter((a) => a.languages.includes(language));
  const pool = speaking.length > 0 ? speaking : onShift.length > 0 ? onShift : candidates;
  return random.pick(pool.length > 0 ? pool : world.humans);
}

const HAPPY = [
  'Quick and friendly, thank you',
  'Solved in minutes',
  'Great help from the agent',
  'Easy in the app',
];
const UNHAPPY = [
  'Waited far too long',
  'The bot did not understand me',
  'Still not fixed',
  'Had to explain everything twice',
];

/** One contact: the interaction with its steps, and its survey answer, journey and outcome. */
function simulateContact(
  random: Random,
  plan: SimulationPlan,
  world: World,
  period: { start: Date; end: Date },
  contact: RepeatContact,
  day: number,
  load: number,
  hour: Hour,
): RepeatContact | undefined {
  const customer = customerProfile(plan.seed, contact.customer, period);
  const type = item(INTERACTION_TYPES, contact.type);
  const channelIncident = incidentOn(plan.days, day);
  const channel = pickChannel(random, type.category, channelIncident);
  const incident = incidentOn(plan.days, day, channel);
  const profile = CHANNELS[channel];
  const mode = random.weighted(profile.modes as Record<InteractionMode, number>);
  const automated = mode === 'bot' || mode === 'self_service' || mode === 'ivr';
  const start = contact.at;
  const interactionId = uuidV7(start, random);
  const steps: IngestStep[] = [];
  let t = start;
  let status: 'completed' | 'abandoned' | 'failed' = 'completed';
  let resolution: ResolutionStatus = 'resolved';
  let escalationReason: EscalationReason | undefined;
  let errorCode: string | undefined;
  let reachedHuman = false;
  let primaryAgentId: string | undefined;
  let queueSeconds = 0;
  let transfers = 0;

  if (automated) {
    const botSeconds = clamp(
      random.logNormal(type.botMedianSeconds * (mode === 'ivr' ? 0.6 : 1), 0.5),
      15,
      1800,
    );
    const containment =
      type.containment *
      (incident?.containmentFactor ?? 1) *
      (mode === 'ivr' ? 0.8 : mode === 'self_service' ? 0.9 : 1);
    const botAgent = mode === 'ivr' ? world.ivrBotId : mode === 'bot' ? world.chatBotId : undefined;
    const article = random.chance(0.6) ? random.pick(world.articles[type.category]) : undefined;
    const end = at(t, botSeconds);
    if (random.chance(containment)) {
      // the bot kept the customer: mostly resolved, and some customers leave the bot unresolved
      // without asking for a human (bot_abandonment_rate; containment counts them all the same)
      const kept = random.weighted({ resolved: 88, partially_resolved: 5, unresolved: 4, left: 3 });
      resolution = kept === 'left' ? 'unresolved' : kept;
      if (kept === 'left') status = 'abandoned';
      steps.push({
        stepType: 'bot',
        agentId: botAgent,
        startedAt: t,
        endedAt: end,
        kbArticleId: article,
        stepOutcome: kept === 'left' ? 'abandoned' : resolution === 'resolved' ? 'resolved' : 'answered',
      });
      t = end;
    } else if (random.chance(incident ? 0.3 : 0.01)) {
      status = 'failed';
      resolution = 'unresolved';
      errorCode = incident?.errorCode ?? 'SESSION_DROPPED';
      steps.push({ stepType: 'bot', agentId: botAgent, startedAt: t, endedAt: end, stepOutcome: 'failed' });
      t = end;
    } else {
      escalationReason = incident
        ? random.weighted({ ...type.escalationReasons, technical_failure: 6 } as Record<
            EscalationReason,
            number
          >)
        : random.weighted(type.escalationReasons as Record<EscalationReason, number>);
      steps.push({
        stepType: 'bot',
        agentId: botAgent,
        startedAt: t,
        endedAt: end,
        kbArticleId: article,
        stepOutcome: 'escalated',
      });
      t = end;
      reachedHuman = true;
    }
  } else {
    reachedHuman = true;
  }

  if (reachedHuman) {
    const queueMedian = profile.queueMedianSeconds * load ** 1.5 * (incident?.queueFactor ?? 1);
    const wait = Math.round(random.logNormal(queueMedian, 1.0));
    const patience = random.logNormal(profile.patienceMedianSeconds, 0.6);
    if (wait > patience) {
      queueSeconds = Math.round(patience);
      steps.push({ stepType: 'queue', startedAt: t, endedAt: at(t, patience), stepOutcome: 'abandoned' });
      t = at(t, patience);
      status = 'abandoned';
      resolution = 'unresolved';
    } else {
      queueSeconds = wait;
      steps.push({ stepType: 'queue', startedAt: t, endedAt: at(t, wait), stepOutcome: 'answered' });
      t = at(t, wait);
      let agent = pickHuman(random, world, type.category, customer.language, t);
      primaryAgentId = agent.agentId;
      const skill = SKILLS[agent.skill];
      const handle = clamp(random.logNormal(type.handleMedianSeconds * skill.handleFactor, 0.45), 30, 7200);
      const transfer = random.chance(type.category === 'technical' ? 0.12 : 0.06);
      const resolved = random.chance(Math.min(0.99, type.humanResolution * skill.resolutionFactor));
      resolution = resolved ? 'resolved' : random.chance(0.5) ? 'partially_resolved' : 'unresolved';
      const firstPart = transfer ? handle * 0.4 : handle;
      if (random.chance(0.15)) {
        const before = firstPart * 0.5;
        steps.push({
          stepType: 'human',
          agentId: agent.agentId,
          startedAt: t,
          endedAt: at(t, before),
          stepOutcome: 'answered',
        });
        t = at(t, before);
        const hold = random.int(30, 240);
        steps.push({ stepType: 'hold', agentId: agent.agentId, startedAt: t, endedAt: at(t, hold) });
        t = at(t, hold);
        steps.push({
          stepType: 'human',
          agentId: agent.agentId,
          startedAt: t,
          endedAt: at(t, firstPart - before),
          stepOutcome: transfer ? 'transferred' : resolved ? 'resolved' : 'answered',
        });
        t = at(t, firstPart - before);
      } else {
        steps.push({
          stepType: 'human',
          agentId: agent.agentId,
          startedAt: t,
          endedAt: at(t, firstPart),
          stepOutcome: transfer ? 'transferred' : resolved ? 'resolved' : 'answered',
        });
        t = at(t, firstPart);
      }
      if (transfer) {
        transfers = 1;
        const wrapFirst = t;
        agent = pickHuman(random, world, type.category, customer.language, t, agent.agentId);
        steps.push({
          stepType: 'human',
          agentId: agent.agentId,
          startedAt: t,
          endedAt: at(t, handle - firstPart),
          stepOutcome: resolved ? 'resolved' : 'answered',
        });
        t = at(t, handle - firstPart);
        // the first agent wraps up the handover while the second talks
        steps.push({
          stepType: 'wrap_up',
          agentId: primaryAgentId,
          startedAt: wrapFirst,
          endedAt: at(wrapFirst, random.int(20, 60)),
        });
      }
      const wrap = clamp(random.logNormal(60 * SKILLS[agent.skill].handleFactor, 0.4), 10, 600);
      steps.push({ stepType: 'wrap_up', agentId: agent.agentId, startedAt: t, endedAt: at(t, wrap) });
      t = at(t, wrap);
    }
  }

  // a contact still going on when the data stops is left out, and so is what it would have led to
  if (t > plan.end) return undefined;
  const channelId = world.channelIds[channel];
  const deviceType = deviceOf(random, channel);
  const escalated = automated && reachedHuman;
  const interaction: Hour['interactions'][number] = {
    interactionId,
    customerId: customer.customerId,
    channelId,
    initialMode: mode,
    startTimestamp: start,
    endTimestamp: t,
    status,
    resolutionStatus: resolution,
    interactionTypeId: item(world.typeIds, contact.type),
    primaryAgentId,
    escalationReason,
    errorCode,
    deviceType,
    languageCode: customer.language,
    customerIntent: type.typeCode,
    steps,
  };
  hour.interactions.push(interaction);

  // the survey: satisfaction follows resolution, waiting and effort
  const waitMinutes = queueSeconds / 60;
  let csat: number | undefined;
  const submittedAt = at(t, random.logNormal(1800, 1.2));
  if (
    random.chance(status === 'abandoned' ? SURVEY_RESPONSE / 2 : SURVEY_RESPONSE) &&
    submittedAt < plan.end
  ) {
    const base = resolution === 'resolved' ? 4.45 : resolution === 'partially_resolved' ? 3.2 : 2.0;
    csat = Math.round(
      clamp(
        base -
          Math.min(waitMinutes * 0.06, 1.2) -
          (escalated ? 0.2 : 0) -
          transfers * 0.35 +
          random.normal(0, 0.6),
        1,
        5,
      ),
    );
    const nps = random.chance(0.6)
      ? Math.round(clamp(csat * 2.2 - 0.8 + random.normal(0, 1.1), 0, 10))
      : null;
    const ces = random.chance(0.5)
      ? Math.round(
          clamp(
            6.3 -
              (escalated ? 0.7 : 0) -
              transfers * 0.5 -
              Math.min(waitMinutes * 0.1, 2) -
              (resolution === 'resolved' ? 0 : 1.6) +
              random.normal(0, 0.7),
            1,
            7,
          ),
        )
      : null;
    const sentiment = Math.round(clamp((csat - 3) / 2 + random.normal(0, 0.2), -1, 1) * 1000) / 1000;
    const text = random.chance(0.3) ? random.pick(csat >= 4 ? HAPPY : UNHAPPY) : null;
    hour.feedback.push({
      customerId: customer.customerId,
      interactionId,
      interactionStartTimestamp: start,
      surveyTemplateId: world.surveyTemplateId,
      channelId,
      submittedAt,
      csat,
      nps,
      ces,
      text,
      sentimentScore: text ? sentiment : null,
      sentimentLabel: text
        ? sentiment > 0.25
          ? 'positive'
          : sentiment < -0.25
            ? 'negative'
            : 'neutral'
        : null,
    });
    interaction.sentimentScore = sentiment;
  }

  // the business outcome
  if (type.outcome && status === 'completed') {
    if (resolution === 'resolved' && random.chance(type.outcome.chance)) {
      const value = Math.round(random.logNormal(type.outcome.value, 0.3) * 100) / 100;
      hour.outcomes.push({
        customerId: customer.customerId,
        interactionId,
        interactionStartTimestamp: start,
        outcomeType: type.outcome.type,
        outcomeValue: value,
        agentId: primaryAgentId ?? null,
        recordedAt: t,
      });
      interaction.revenueImpact = type.outcome.type === 'complaint_resolved' ? 0 : value;
    } else if (type.outcome.type === 'retention' && random.chance(0.5)) {
      hour.outcomes.push({
        customerId: customer.customerId,
        interactionId,
        interactionStartTimestamp: start,
        outcomeType: 'churn',
        outcomeValue: -Math.round(random.logNormal(420, 0.3) * 100) / 100,
        agentId: primaryAgentId ?? null,
        recordedAt: t,
      });
    }
  }

  // the journey: screens and searches before a digital contact
  const digital =
    channel !== 'voice_call' &&
    channel !== 'interactive_menu' &&
    channel !== 'email' &&
    channel !== 'video_call';
  if (digital && random.chance(JOURNEY_SHARE)) {
    const sessionId = uuidV7(start, random);
    const entry: ChannelName = deviceType === 'desktop' ? 'web_app' : 'mobile_app';
    const screens = random.int(1, 4);
    const dwell = Array.from({ length: screens }, () => random.int(5, 90));
    let when = at(start, -dwell.reduce((a, b) => a + b, 0) - screens);
    interaction.sessionId = sessionId;
    dwell.forEach((seconds, i) => {
      const friction =
        incident && random.chance(0.5)
          ? 'error'
          : random.chance(0.08)
            ? random.pick(['dead_end', 'slow_response', 'repeat_input'])
            : null;
      hour.touchpoints.push({
        customerId: customer.customerId,
        sessionId,
        channelId: world.channelIds[entry],
        interactionId: null,
        interactionStartTimestamp: null,
        touchpointType: random.pick(['app_screen', 'page_view', 'search', 'kb_article', 'form_submit']),
        occurredAt: when,
        sequenceNumber: i + 1,
        page: `${type.category}/${random.pick(['overview', 'details', 'help', 'form'])}`,
        dwellSeconds: seconds,
        frictionType: friction,
      });
      when = at(when, seconds + 1);
    });
    hour.touchpoints.push({
      customerId: customer.customerId,
      sessionId,
      channelId,
      interactionId,
      interactionStartTimestamp: start,
      touchpointType: profile.touchpoint,
      occurredAt: start,
      sequenceNumber: screens + 1,
      page: null,
      dwellSeconds: Math.round((t.getTime() - start.getTime()) / 1000),
      frictionType: status === 'failed' ? 'error' : status === 'abandoned' ? 'abandonment' : null,
    });
    const firstTouch = item(hour.touchpoints, hour.touchpoints.length - 1 - screens).occurredAt;
    hour.sessions.push({
      customerId: customer.customerId,
      sessionId,
      startTimestamp: firstTouch,
      endTimestamp: t,
      goal: type.typeCode,
      goalAchieved: resolution === 'resolved',
      outcome:
        status === 'abandoned'
          ? 'abandoned'
          : status === 'failed'
            ? 'failed'
            : resolution === 'resolved'
              ? 'completed'
              : escalated
                ? 'escalated'
                : 'failed',
      entryChannelId: world.channelIds[entry],
      exitChannelId: channelId,
      deviceType,
      satisfactionScore: csat ?? null,
    });
  }

  // an unresolved contact (and now and then a resolved one) brings the customer back
  const again = resolution === 'resolved' ? REPEAT_AFTER_RESOLVED : REPEAT_AFTER_UNRESOLVED;
  if (random.chance(again)) {
    return {
      customer: contact.customer,
      type: contact.type,
      at: new Date(t.getTime() + clamp(random.logNormal(1.2, 0.8), 0.05, 6.5) * DAY_MS),
    };
  }
  return undefined;
}
