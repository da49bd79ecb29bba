/**
 * `carepulse simulate`: creates the carrier's world through the typed client, then streams the
 * generated customers, agent shifts and contacts into the database through the bulk path —
 * customers and the rows around interactions with one unnest statement per batch, interactions and
 * steps through cx.ingest_staged (COPY) — one transaction per batch, so a batch lands whole.
 */
import type pg from 'pg';
import { connect } from '../client/connect.js';
import { ingest } from '../client/ingest.js';
import { Session } from '../client/session.js';
import { ValidationError } from '../errors.js';
import {
  bulkAssignPlans,
  bulkCreateCustomers,
  bulkRecordOutcomes,
  bulkRecordStatusIntervals,
  bulkStartSessions,
  bulkSubmitFeedback,
  bulkTouch,
} from '../queries/bulk.queries.js';
import { item } from './item.js';
import { type CustomerProfile, customerProfile, DATA_ADD_ON, dayOfStatuses } from './population.js';
import { type Hour, type SimulationPlan, simulatedDays, workload } from './workload.js';
import { type CreatedWorld, createWorld } from './world.js';

export interface SimulationOptions {
  seed?: number;
  days?: number;
  interactions?: number;
  /** Default: a quarter of the interactions, at least 100. */
  customers?: number;
  /** The last simulated day (a date); default today. Data stops at its end, or now if it is today. */
  end?: Date;
  /** Interactions per transaction. */
  batchSize?: number;
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  phase: 'world' | 'customers' | 'agents' | 'interactions';
  done: number;
  total: number;
}

export interface SimulationSummary {
  plan: SimulationPlan;
  customers: number;
  agents: number;
  interactions: number;
  steps: number;
  feedback: number;
  journeys: number;
  touchpoints: number;
  outcomes: number;
}

const DAY_MS = 86_400_000;

function checkWhole(field: string, value: number, low: number, high: number): void {
  if (!Number.isInteger(value) || value < low || value > high)
    throw new ValidationError(`${field} must be a whole number from ${low} to ${high}, got ${value}`, field);
}

/** The plan the options describe, checked before anything is written. */
export function simulationPlan(options: SimulationOptions, now = new Date()): SimulationPlan {
  const interactions = options.interactions ?? 10_000;
  const days = options.days ?? 30;
  const seed = options.seed ?? 1;
  checkWhole('interactions', interactions, 1, 1_000_000_000);
  checkWhole('days', days, 1, 3660);
  checkWhole('seed', seed, 0, 2 ** 31 - 1);
  const customers = options.customers ?? Math.max(100, Math.round(interactions / 4));
  checkWhole('customers', customers, 1, 100_000_000);
  const lastDay = options.end ?? now;
  if (Number.isNaN(lastDay.getTime())) throw new ValidationError('end must be a valid date', 'end');
  const dayEnd = new Date(Math.floor(lastDay.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  return { seed, days, interactions, customers, end: dayEnd > now ? now : dayEnd };
}

const nulls = <T>(values: Array<T | null | undefined>) => values as unknown as T[];

async function insertCustomers(
  tx: Session,
  profiles: CustomerProfile[],
  planIds: string[],
  plan: SimulationPlan,
) {
  await tx.run(bulkCreateCustomers, {
    customerIds: profiles.map((c) => c.customerId),
    msisdns: profiles.map((c) => c.msisdn),
    firstNames: profiles.map((c) => c.firstName),
    lastNames: profiles.map((c) => c.lastName),
    customerTypes: profiles.map((c) => c.customerType),
    regions: profiles.map((c) => c.region),
    countryCodes: profiles.map(() => 'DE'),
    cities: profiles.map((c) => c.city),
    timeZones: profiles.map(() => 'Europe/Berlin'),
    segments: profiles.map((c) => c.segment),
    creditLimits: nulls(profiles.map((c) => c.creditLimit)),
    lifetimeValues: profiles.map((c) => c.lifetimeValue),
    accountStatuses: profiles.map((c) => c.accountStatus),
    activatedAts: profiles.map((c) => c.activatedAt),
    contactTimes: profiles.map((c) => c.contactTime),
    languages: profiles.map((c) => c.language),
  });
  const assignments: Array<[string, string, Date, Date | null, string]> = [];
  for (const c of profiles) {
    if (c.upgradeAt && c.upgradeAt < plan.end) {
      assignments.push([c.customerId, item(planIds, c.planIndex), c.activatedAt, c.upgradeAt, 'new']);
      assignments.push([c.customerId, item(planIds, c.planIndex + 1), c.upgradeAt, null, 'upgrade']);
    } else {
      assignments.push([c.customerId, item(planIds, c.planIndex), c.activatedAt, null, 'new']);
    }
    if (c.dataAddOn) assignments.push([c.customerId, item(planIds, DATA_ADD_ON), c.activatedAt, null, 'new']);
  }
  await tx.run(bulkAssignPlans, {
    customerIds: assignments.map((a) => a[0]),
    servicePlanIds: assignments.map((a) => a[1]),
    validFroms: assignments.map((a) => a[2]),
    validTos: nulls(assignments.map((a) => a[3])),
    reasons: assignments.map((a) => a[4]),
  });
}

async function insertContacts(tx: Session, batch: Hour[]): Promise<void> {
  const sessions = batch.flatMap((h) => h.sessions);
  if (sessions.length > 0) {
    await tx.run(bulkStartSessions, {
      customerIds: sessions.map((s) => s.customerId),
      sessionIds: sessions.map((s) => s.sessionId),
      startTimestamps: sessions.map((s) => s.startTimestamp),
      endTimestamps: sessions.map((s) => s.endTimestamp),
      goals: sessions.map((s) => s.goal),
      goalsAchieved: sessions.map((s) => s.goalAchieved),
      outcomes: sessions.map((s) => s.outcome),
      entryChannelIds: sessions.map((s) => s.entryChannelId),
      exitChannelIds: sessions.map((s) => s.exitChannelId),
      deviceTypes: sessions.map((s) => s.deviceType),
      satisfactionScores: nulls(sessions.map((s) => s.satisfactionScore)),
    });
  }
  await ingest(
    tx,
    batch.flatMap((h) => h.interactions),
  );
  const touchpoints = batch.flatMap((h) => h.touchpoints);
  if (touchpoints.length > 0) {
    await tx.run(bulkTouch, {
      customerIds: touchpoints.map((t) => t.customerId),
      sessionIds: touchpoints.map((t) => t.sessionId),
      channelIds: touchpoints.map((t) => t.channelId),
      interactionIds: nulls(touchpoints.map((t) => t.interactionId)),
      interactionStartTimestamps: nulls(touchpoints.map((t) => t.interactionStartTimestamp)),
      touchpointTypes: touchpoints.map((t) => t.touchpointType),
      occurredAts: touchpoints.map((t) => t.occurredAt),
      sequenceNumbers: touchpoints.map((t) => t.sequenceNumber),
      pages: nulls(touchpoints.map((t) => t.page)),
      dwellSeconds: nulls(touchpoints.map((t) => t.dwellSeconds)),
      frictionTypes: nulls(touchpoints.map((t) => t.frictionType)),
    });
  }
  const feedback = batch.flatMap((h) => h.feedback);
  if (feedback.length > 0) {
    await tx.run(bulkSubmitFeedback, {
      customerIds: feedback.map((f) => f.customerId),
      interactionIds: feedback.map((f) => f.interactionId),
      interactionStartTimestamps: feedback.map((f) => f.interactionStartTimestamp),
      surveyTemplateIds: feedback.map((f) => f.surveyTemplateId),
      channelIds: feedback.map((f) => f.channelId),
      submittedAts: feedback.map((f) => f.submittedAt),
      csatScores: feedback.map((f) => f.csat),
      npsScores: nulls(feedback.map((f) => f.nps)),
      cesScores: nulls(feedback.map((f) => f.ces)),
      texts: nulls(feedback.map((f) => f.text)),
      sentimentScores: nulls(feedback.map((f) => f.sentimentScore)),
      sentimentLabels: nulls(feedback.map((f) => f.sentimentLabel)),
    });
  }
  const outcomes = batch.flatMap((h) => h.outcomes);
  if (outcomes.length > 0) {
    await tx.run(bulkRecordOutcomes, {
      customerIds: outcomes.map((o) => o.customerId),
      interactionIds: outcomes.map((o) => o.interactionId),
      interactionStartTimestamps: outcomes.map((o) => o.interactionStartTimestamp),
      outcomeTypes: outcomes.map((o) => o.outcomeType),
      outcomeValues: outcomes.map((o) => o.outcomeValue),
      agentIds: nulls(outcomes.map((o) => o.agentId)),
      recordedAts: outcomes.map((o) => o.recordedAt),
    });
  }
}

async function inTransaction(session: Session, work: (tx: Session) => Promise<void>): Promise<void> {
  const connection = await session.pool.connect();
  try {
    await connection.query('begin');
    await work(session.inTransaction(connection));
    await connection.query('commit');
  } catch (error) {
    await connection.query('rollback').catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

/** What the contacts need in place: the world, the customers and the agents' shifts. */
export interface PreparedSimulation {
  plan: SimulationPlan;
  world: CreatedWorld;
  summary: SimulationSummary;
}

/** Creates the world, then loads the customers and the agents' status history; returns what it wrote. */
export async function prepareSimulation(
  pool: pg.Pool,
  options: SimulationOptions = {},
): Promise<PreparedSimulation> {
  const plan = simulationPlan(options);
  const batchSize = options.batchSize ?? 5000;
  // a batch of nothing would never reach the end: refused before anything is written
  checkWhole('batchSize', batchSize, 1, 1_000_000);
  const progress = options.onProgress ?? (() => {});
  const session = new Session(pool, pool, '');
  const summary: SimulationSummary = {
    plan,
    customers: 0,
    agents: 0,
    interactions: 0,
    steps: 0,
    feedback: 0,
    journeys: 0,
    touchpoints: 0,
    outcomes: 0,
  };

  progress({ phase: 'world', done: 0, total: 1 });
  // all or nothing: a run stopped while it creates the world leaves none of it behind
  const world = await connect({ pool }).withTransaction((tx) => createWorld(tx, plan));
  progress({ phase: 'world', done: 1, total: 1 });

  const days = simulatedDays(plan);
  const period = { start: item(days, 0), end: plan.end };
  for (let first = 0; first < plan.customers; first += batchSize) {
    const profiles: CustomerProfile[] = [];
    for (let i = first; i < Math.min(plan.customers, first + batchSize); i += 1)
      profiles.push(customerProfile(plan.seed, i, period));
    await inTransaction(session, (tx) => insertCustomers(tx, profiles, world.servicePlanIds, plan));
    summary.customers += profiles.length;
    progress({ phase: 'customers', done: summary.customers, total: plan.customers });
  }

  for (const [d, day] of days.entries()) {
    const intervals = world.humans.flatMap((h) =>
      dayOfStatuses(h, day, plan.end).map((i) => ({ agentId: h.agentId, ...i })),
    );
    if (intervals.length > 0) {
      await session.run(bulkRecordStatusIntervals, {
        agentIds: intervals.map((i) => i.agentId),
        statuses: intervals.map((i) => i.status),
        startedAts: intervals.map((i) => i.startedAt),
        endedAts: intervals.map((i) => i.endedAt),
      });
    }
    progress({ phase: 'agents', done: d + 1, total: days.length });
  }
  summary.agents = world.humans.length + 2;
  return { plan, world, summary };
}

/** Generates the plan's workload and loads it; returns what it wrote. */
export async function simulate(pool: pg.Pool, options: SimulationOptions = {}): Promise<SimulationSummary> {
  const { plan, world, summary } = await prepareSimulation(pool, options);
  const batchSize = options.batchSize ?? 5000;
  const progress = options.onProgress ?? (() => {});
  const session = new Session(pool, pool, '');

  let pending: Hour[] = [];
  let pendingInteractions = 0;
  const flush = async () => {
    if (pendingInteractions === 0) return;
    const batch = pending;
    await inTransaction(session, (tx) => insertContacts(tx, batch));
    for (const hour of batch) {
      summary.interactions += hour.interactions.length;
      summary.steps += hour.interactions.reduce((n, i) => n + (i.steps?.length ?? 0), 0);
      summary.feedback += hour.feedback.length;
      summary.journeys += hour.sessions.length;
      summary.touchpoints += hour.touchpoints.length;
      summary.outcomes += hour.outcomes.length;
    }
    pending = [];
    pendingInteractions = 0;
    progress({ phase: 'interactions', done: summary.interactions, total: plan.interactions });
  };
  for (const hour of workload(plan, world)) {
    pending.push(hour);
    pendingInteractions += hour.interactions.length;
    if (pendingInteractions >= batchSize) await flush();
  }
  await flush();
  progress({ phase: 'interactions', done: plan.interactions, total: plan.interactions });
  return summary;
}
