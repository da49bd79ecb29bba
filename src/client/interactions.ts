import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import {
  addStep,
  endInteraction,
  endStep,
  escalateInteraction,
  findInteractions,
  type IFindInteractionsResult,
  startInteraction,
} from '../queries/interactions.queries.js';
import { type IngestInteraction, type IngestResult, ingest } from './ingest.js';
import { assertDurationFits, assertFiniteNumber, assertValidDate, type Session } from './session.js';
import type {
  ConnectionType,
  DeviceType,
  EscalationReason,
  InteractionMode,
  InteractionStatus,
  ResolutionStatus,
  StepOutcome,
  StepType,
} from './vocabulary.js';

/** What an interaction's key needs (DESIGN.md §5): callers keep it and never look keys up. */
export interface InteractionRef {
  customerId: string;
  interactionId: string;
  startTimestamp: Date;
}

export interface StepRef {
  customerId: string;
  stepId: string;
  /** The interaction's start (the step's partition key). */
  startTimestamp: Date;
}

export interface StartInteraction {
  customerId: string;
  channelId: string;
  /** The mode the interaction starts in; containment is measured on it. */
  initialMode: InteractionMode;
  startTimestamp?: Date;
  interactionTypeId?: string;
  sessionId?: string;
  parent?: InteractionRef;
  primaryAgentId?: string;
  deviceType?: DeviceType;
  operatingSystem?: string;
  appVersion?: string;
  browser?: string;
  connectionType?: ConnectionType;
  screenResolution?: string;
  languageCode?: string;
  customerIntent?: string;
}

export interface AddStep {
  stepType: StepType;
  /** Required for human steps, empty for queue steps. */
  agentId?: string;
  startedAt?: Date;
  endedAt?: Date;
  kbArticleId?: string;
  stepOutcome?: StepOutcome;
  stepDetails?: Record<string, unknown>;
}

export interface EndInteraction {
  status: Exclude<InteractionStatus, 'active'>;
  resolutionStatus: ResolutionStatus;
  endTimestamp?: Date;
  /** Only for failed interactions. */
  errorCode?: string;
  /** Leave out to have it derived from the channel's costs and the durations. */
  costToServe?: number;
  interactionValue?: number;
  revenueImpact?: number;
  sentimentScore?: number;
}

export type Interaction = IFindInteractionsResult;

export interface ListInteractions {
  customerId: string;
  from: Date;
  to: Date;
  limit?: number;
}

const MAX_LIST = 10_000;
const ENDED_STATUSES: readonly string[] = ['completed', 'abandoned', 'failed'];

export function interactionsApi(session: Session) {
  async function get(ref: InteractionRef): Promise<Interaction> {
    assertValidDate('startTimestamp', ref.startTimestamp);
    const [row] = await session.run(findInteractions, {
      customerId: ref.customerId,
      interactionIds: [ref.interactionId],
      from: ref.startTimestamp,
      to: new Date(ref.startTimestamp.getTime() + 1),
      limit: 1,
    });
    if (!row) throw new NotFoundError('interaction', ref.interactionId);
    return row;
  }

  function requireRow<T>(rows: T[], ref: InteractionRef): T {
    const [row] = rows;
    if (!row) throw new NotFoundError('interaction', ref.interactionId);
    return row;
  }

  return {
    /** Records the start of an interaction; the database copies the region and classifies it. */
    async start(input: StartInteraction): Promise<InteractionRef> {
      assertValidDate('startTimestamp', input.startTimestamp);
      const [row] = await session.run(startInteraction, {
        ...input,
        parentInteractionId: input.parent?.interactionId,
        parentStartTimestamp: input.parent?.startTimestamp,
      });
      return row as InteractionRef;
    },

    /** Adds a step (bot, human, queue, hold, wrap-up); the database recomputes durations and escalation. */
    async addStep(ref: InteractionRef, step: AddStep): Promise<StepRef & { durationSeconds: number | null }> {
      assertValidDate('startedAt', step.startedAt);
      assertValidDate('endedAt', step.endedAt);
      const [row] = await session.run(addStep, {
        ...step,
        customerId: ref.customerId,
        interactionId: ref.interactionId,
        startTimestamp: ref.startTimestamp,
        stepDetails: step.stepDetails ? JSON.stringify(step.stepDetails) : null,
      });
      const { stepId, durationSeconds } = row as { stepId: string; durationSeconds: number | null };
      return { customerId: ref.customerId, stepId, startTimestamp: ref.startTimestamp, durationSeconds };
    },

    /** Ends an open step. */
    async endStep(
      step: StepRef,
      end: { endedAt?: Date; stepOutcome?: StepOutcome } = {},
    ): Promise<{ durationSeconds: number | null }> {
      assertValidDate('endedAt', end.endedAt);
      const [row] = await session.run(endStep, { ...end, ...step });
      if (!row) throw new NotFoundError('interaction step', step.stepId);
      return { durationSeconds: row.durationSeconds };
    },

    /** Flags an escalation to a human without steps (the steps, when they come, fill the durations). */
    async escalate(
      ref: InteractionRef,
      escalation: { reason?: EscalationReason; at?: Date } = {},
    ): Promise<void> {
      assertValidDate('at', escalation.at);
      requireRow(
        await session.run(escalateInteraction, {
          ...ref,
          escalationReason: escalation.reason,
          escalationTimestamp: escalation.at,
        }),
        ref,
      );
    },

    /**
     * Ends the interaction with its outcome and returns it as stored. An interaction that has
     * ended already is refused (ConflictError), unless `correction` says the new end replaces it.
     */
    async end(
      ref: InteractionRef,
      outcome: EndInteraction,
      { correction = false }: { correction?: boolean } = {},
    ): Promise<Interaction> {
      assertValidDate('endTimestamp', outcome.endTimestamp);
      assertDurationFits('endTimestamp', ref.startTimestamp, outcome.endTimestamp);
      // the database accepts an active row with an end from loaders (cx.check_data_quality reports
      // it); ending an interaction through the client means it is no longer active
      if (!ENDED_STATUSES.includes(outcome.status))
        throw new ValidationError(
          `status must be one of ${ENDED_STATUSES.join(', ')} to end an interaction, got ${String(outcome.status)}`,
          'status',
        );
      for (const field of ['costToServe', 'interactionValue', 'revenueImpact', 'sentimentScore'] as const) {
        assertFiniteNumber(field, outcome[field]);
      }
      const [ended] = await session.run(endInteraction, { ...outcome, ...ref, correction });
      if (!ended) {
        const stored = await get(ref);
        throw new ConflictError(
          `interaction ${ref.interactionId} ended already (${stored.status} at ${stored.endTimestamp?.toISOString()}); pass { correction: true } to replace how it ended`,
          'endTimestamp',
        );
      }
      return get(ref);
    },

    get,

    /** Bulk write of interactions with their steps (COPY + one set-based insert); atomic. */
    ingest: (batch: readonly IngestInteraction[]): Promise<IngestResult> => ingest(session, batch),

    /** A customer's interactions that started in [from, to), oldest first. */
    async list(query: ListInteractions): Promise<Interaction[]> {
      assertValidDate('from', query.from);
      assertValidDate('to', query.to);
      return session.run(findInteractions, {
        customerId: query.customerId,
        interactionIds: [],
        from: query.from,
        to: query.to,
        limit: Math.min(query.limit ?? 1000, MAX_LIST),
      });
    },
  };
}

export type InteractionsApi = ReturnType<typeof interactionsApi>;
