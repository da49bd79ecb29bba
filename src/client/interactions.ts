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
import type { Session } from './session.js';
import {
  type Check,
  checkDurationFits,
  checkFields,
  checkInstantPeriod,
  date,
  type FieldChecks,
  json,
  limit,
  nested,
  number,
  text,
  uuid,
} from './validation.js';
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

const ENDED_STATUSES: readonly string[] = ['completed', 'abandoned', 'failed'];
const REF: FieldChecks<InteractionRef> = { customerId: uuid, interactionId: uuid, startTimestamp: date };
/** For the modules whose inputs name an interaction (feedback, touchpoints, outcomes). */
export const interactionRefChecks = REF;
const STEP_REF: FieldChecks<StepRef> = { customerId: uuid, stepId: uuid, startTimestamp: date };
const interactionRef: Check = nested(REF);

const START: FieldChecks<StartInteraction> = {
  customerId: uuid,
  channelId: uuid,
  initialMode: text,
  startTimestamp: date,
  interactionTypeId: uuid,
  sessionId: uuid,
  parent: interactionRef,
  primaryAgentId: uuid,
  deviceType: text,
  operatingSystem: text,
  appVersion: text,
  browser: text,
  connectionType: text,
  screenResolution: text,
  languageCode: text,
  customerIntent: text,
};
const ADD_STEP: FieldChecks<AddStep> = {
  stepType: text,
  agentId: uuid,
  startedAt: date,
  endedAt: date,
  kbArticleId: uuid,
  stepOutcome: text,
  stepDetails: json,
};
const END: FieldChecks<EndInteraction> = {
  status: text,
  resolutionStatus: text,
  endTimestamp: date,
  errorCode: text,
  costToServe: number,
  interactionValue: number,
  revenueImpact: number,
  sentimentScore: number,
};
const LIST: FieldChecks<ListInteractions> = { customerId: uuid, from: date, to: date, limit };

export function interactionsApi(session: Session) {
  async function get(ref: InteractionRef): Promise<Interaction> {
    checkFields(ref, REF);
    const start = new Date(ref.startTimestamp);
    const [row] = await session.run(
      findInteractions,
      {
        customerId: ref.customerId,
        interactionIds: [ref.interactionId],
        from: start,
        to: new Date(start.getTime() + 1),
        limit: 1,
      },
      { interactionIds: 'interactionId', from: 'startTimestamp', to: 'startTimestamp' },
    );
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
      checkFields(input, START);
      const [row] = await session.run(
        startInteraction,
        {
          ...input,
          parentInteractionId: input.parent?.interactionId,
          parentStartTimestamp: input.parent?.startTimestamp,
        },
        { parentInteractionId: 'parent.interactionId', parentStartTimestamp: 'parent.startTimestamp' },
      );
      return row as InteractionRef;
    },

    /** Adds a step (bot, human, queue, hold, wrap-up); the database recomputes durations and escalation. */
    async addStep(ref: InteractionRef, step: AddStep): Promise<StepRef & { durationSeconds: number | null }> {
      checkFields(ref, REF);
      checkFields(step, ADD_STEP);
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
      checkFields(step, STEP_REF);
      checkFields(end, { endedAt: date, stepOutcome: text });
      const [row] = await session.run(endStep, { ...end, ...step });
      if (!row) throw new NotFoundError('interaction step', step.stepId);
      return { durationSeconds: row.durationSeconds };
    },

    /** Flags an escalation to a human without steps (the steps, when they come, fill the durations). */
    async escalate(
      ref: InteractionRef,
      escalation: { reason?: EscalationReason; at?: Date } = {},
    ): Promise<void> {
      checkFields(ref, REF);
      checkFields(escalation, { reason: text, at: date });
      requireRow(
        await session.run(
          escalateInteraction,
          { ...ref, escalationReason: escalation.reason, escalationTimestamp: escalation.at },
          { escalationReason: 'reason', escalationTimestamp: 'at' },
        ),
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
      checkFields(ref, REF);
      checkFields(outcome, END);
      checkDurationFits('endTimestamp', ref.startTimestamp, outcome.endTimestamp);
      // the database accepts an active row with an end from loaders (cx.check_data_quality reports
      // it); ending an interaction through the client means it is no longer active
      if (!ENDED_STATUSES.includes(outcome.status))
        throw new ValidationError(
          `status must be one of ${ENDED_STATUSES.join(', ')} to end an interaction, got ${String(outcome.status)}`,
          'status',
        );
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

    /** A customer's interactions that started in [from, to), oldest first (limit 1 to 10,000, default 1,000). */
    async list(query: ListInteractions): Promise<Interaction[]> {
      checkFields(query, LIST);
      checkInstantPeriod(query);
      return session.run(findInteractions, {
        customerId: query.customerId,
        interactionIds: [],
        from: query.from,
        to: query.to,
        limit: query.limit ?? 1000,
      });
    },
  };
}

export type InteractionsApi = ReturnType<typeof interactionsApi>;
