import type pg from 'pg';
import { CarepulseError, ConflictError, ValidationError } from '../errors.js';
import { beginIngest, finishIngest } from '../queries/ingest.queries.js';
import { type ConstraintCatalog, camelCase, toCarepulseError } from './constraint-errors.js';
import { copyRows } from './copy-rows.js';
import type { InteractionRef } from './interactions.js';
import type { Session } from './session.js';
import {
  boolean,
  type Check,
  checkDurationFits,
  checkFields,
  date,
  type FieldChecks,
  nested,
  number,
  text,
  uuid,
} from './validation.js';
import type {
  DeviceType,
  EscalationReason,
  InteractionMode,
  InteractionStatus,
  ResolutionStatus,
  StepOutcome,
  StepType,
} from './vocabulary.js';

export interface IngestStep {
  stepType: StepType;
  agentId?: string;
  startedAt: Date;
  endedAt?: Date;
  kbArticleId?: string;
  stepOutcome?: StepOutcome;
}

export interface IngestInteraction {
  customerId: string;
  channelId: string;
  initialMode: InteractionMode;
  startTimestamp: Date;
  endTimestamp?: Date;
  /** Default: completed when it has an end, else active. */
  status?: InteractionStatus;
  /** Default: resolved when completed, else pending. */
  resolutionStatus?: ResolutionStatus;
  interactionId?: string;
  interactionTypeId?: string;
  sessionId?: string;
  primaryAgentId?: string;
  /** For sources that know of an escalation but send no steps. */
  escalatedToHuman?: boolean;
  escalationReason?: EscalationReason;
  errorCode?: string;
  deviceType?: DeviceType;
  languageCode?: string;
  customerIntent?: string;
  sentimentScore?: number;
  interactionValue?: number;
  revenueImpact?: number;
  costToServe?: number;
  /** The source's own reference: a replay of the same reference is skipped. */
  source?: { system: string; reference: string };
  steps?: IngestStep[];
}

/** A replay whose content differs from the interaction kept for its source reference. */
export interface ConflictingReplay {
  /** The replay's place in the batch. */
  index: number;
  source: { system: string; reference: string };
  /** The interaction that was kept (first write wins). */
  kept: InteractionRef;
}

export interface IngestResult {
  inserted: number;
  /** Replays skipped whose content equals what was kept. */
  duplicates: number;
  /**
   * Replays skipped whose content differs from what was kept (another end, status, agent,
   * steps...): the first write wins, so a corrected re-send is not applied; these say so.
   */
  conflictingReplays: ConflictingReplay[];
  /**
   * In input order. duplicate marks a replay that was skipped (conflicting: with other content);
   * its ref is the kept interaction's.
   */
  results: Array<{ ref: InteractionRef; duplicate: boolean; conflicting: boolean }>;
}

const INTERACTION_COLUMNS = [
  'ord',
  'interaction_id',
  'customer_id',
  'start_timestamp',
  'end_timestamp',
  'channel_id',
  'interaction_type_id',
  'initial_mode',
  'status',
  'resolution_status',
  'session_id',
  'primary_agent_id',
  'escalated_to_human',
  'escalation_reason',
  'error_code',
  'device_type',
  'language_code',
  'customer_intent',
  'sentiment_score',
  'interaction_value',
  'revenue_impact',
  'cost_to_serve',
  'source_system',
  'external_reference',
] as const;
const STEP_COLUMNS = [
  'interaction_ord',
  'step_type',
  'agent_id',
  'started_at',
  'ended_at',
  'kb_article_id',
  'step_outcome',
  'step_ord',
] as const;

const STEP_CHECKS: FieldChecks<IngestStep> = {
  stepType: text,
  agentId: uuid,
  startedAt: date,
  endedAt: date,
  kbArticleId: uuid,
  stepOutcome: text,
};

/** Steps are checked one by one below, with their index in the path. */
const noCheck: Check = () => {};

const INTERACTION_CHECKS: FieldChecks<IngestInteraction> = {
  customerId: uuid,
  channelId: uuid,
  initialMode: text,
  startTimestamp: date,
  endTimestamp: date,
  status: text,
  resolutionStatus: text,
  interactionId: uuid,
  interactionTypeId: uuid,
  sessionId: uuid,
  primaryAgentId: uuid,
  escalatedToHuman: boolean,
  escalationReason: text,
  errorCode: text,
  deviceType: text,
  languageCode: text,
  customerIntent: text,
  sentimentScore: number,
  interactionValue: number,
  revenueImpact: number,
  costToServe: number,
  source: nested<{ system: string; reference: string }>({ system: text, reference: text }),
  steps: noCheck,
};

/** What SQL would refuse anyway, refused before the round trip with the field's path. */
function checkBatch(batch: readonly IngestInteraction[]): void {
  if (!Array.isArray(batch))
    throw new ValidationError('interactions must be an array of interactions', 'interactions');
  if (batch.length === 0)
    throw new ValidationError('a batch must hold at least one interaction', 'interactions');
  batch.forEach((interaction, i) => {
    const at = `interactions[${i}]`;
    if (typeof interaction !== 'object' || interaction === null)
      throw new ValidationError(`${at} must be an interaction object`, at);
    checkFields(interaction, INTERACTION_CHECKS, `${at}.`);
    if (!(interaction.startTimestamp instanceof Date))
      throw new ValidationError(`${at}.startTimestamp must be a valid date`, `${at}.startTimestamp`);
    checkDurationFits(`${at}.endTimestamp`, interaction.startTimestamp, interaction.endTimestamp);
    if (interaction.status === 'active' && interaction.endTimestamp !== undefined)
      throw new ValidationError(
        `${at}.status must be completed, abandoned or failed when endTimestamp is given, got active`,
        `${at}.status`,
      );
    if (interaction.steps !== undefined && !Array.isArray(interaction.steps as unknown))
      throw new ValidationError(`${at}.steps must be an array of steps`, `${at}.steps`);
    interaction.steps?.forEach((step: IngestStep, j: number) => {
      const stepAt = `${at}.steps[${j}]`;
      if (typeof step !== 'object' || step === null)
        throw new ValidationError(`${stepAt} must be a step object`, stepAt);
      checkFields(step, STEP_CHECKS, `${stepAt}.`);
      if (!(step.startedAt instanceof Date))
        throw new ValidationError(`${stepAt}.startedAt must be a valid date`, `${stepAt}.startedAt`);
      checkDurationFits(`${stepAt}.endedAt`, step.startedAt, step.endedAt);
    });
  });
}

function* interactionRows(batch: readonly IngestInteraction[]): Generator<unknown[]> {
  for (const [ord, i] of batch.entries()) {
    const status = i.status ?? (i.endTimestamp ? 'completed' : 'active');
    yield [
      ord,
      i.interactionId,
      i.customerId,
      i.startTimestamp,
      i.endTimestamp,
      i.channelId,
      i.interactionTypeId,
      i.initialMode,
      status,
      i.resolutionStatus ?? (status === 'completed' ? 'resolved' : 'pending'),
      i.sessionId,
      i.primaryAgentId,
      i.escalatedToHuman ?? false,
      i.escalationReason,
      i.errorCode,
      i.deviceType,
      i.languageCode,
      i.customerIntent,
      i.sentimentScore,
      i.interactionValue,
      i.revenueImpact,
      i.costToServe,
      i.source?.system,
      i.source?.reference,
    ];
  }
}

function* stepRows(batch: readonly IngestInteraction[]): Generator<unknown[]> {
  for (const [ord, i] of batch.entries()) {
    for (const [stepOrd, s] of (i.steps ?? []).entries())
      yield [ord, s.stepType, s.agentId, s.startedAt, s.endedAt, s.kbArticleId, s.stepOutcome, stepOrd];
  }
}

/** Where in the batch an error belongs: `interactions[3]` or `interactions[3].steps[1]`. */
function batchPath(row: number, step?: number): string {
  return `interactions[${row}]${step === undefined ? '' : `.steps[${step}]`}`;
}

/** The batch position of the COPY line an error names (COPY counts lines from 1). */
function copyLinePath(batch: readonly IngestInteraction[], table: string, line: number): string | undefined {
  if (table === 'ingest_interactions') return line <= batch.length ? batchPath(line - 1) : undefined;
  let seen = 0;
  for (const [row, interaction] of batch.entries()) {
    const steps = interaction.steps?.length ?? 0;
    if (line <= seen + steps) return batchPath(row, line - seen - 1);
    seen += steps;
  }
  return undefined;
}

const STAGED_TABLES: Record<string, string> = {
  ingest_interactions: 'customer_interactions',
  ingest_steps: 'interaction_steps',
};

/**
 * Puts the batch position in an error's field and message. The database names it in DETAIL
 * ('batch row N[, step M]', from cx.ingest_staged); COPY names the line and the column in its
 * context ('COPY ingest_steps, line 4, column ended_at: ...'), where a value out of its column's
 * range gets the column's range sentence when the catalog has one.
 */
function placeInBatch(
  error: unknown,
  batch: readonly IngestInteraction[],
  catalog: ConstraintCatalog | undefined,
): unknown {
  if (!(error instanceof ValidationError || error instanceof ConflictError)) return error;
  const cause = error.cause as { detail?: string; where?: string; message?: string } | undefined;
  let path: string | undefined;
  let field = error.field;
  let message = error.message;
  const position = /^batch row (\d+)(?:, step (\d+))?/.exec(cause?.detail ?? '');
  if (position) {
    path = batchPath(Number(position[1]), position[2] === undefined ? undefined : Number(position[2]));
  } else {
    const copy = /COPY (ingest_interactions|ingest_steps), line (\d+)(?:, column (\w+))?/.exec(
      cause?.where ?? '',
    );
    if (copy) {
      const [, staging, line, column] = copy as unknown as [string, string, string, string | undefined];
      path = copyLinePath(batch, staging, Number(line));
      if (column) {
        field = camelCase(column);
        const range = catalog?.get(`${STAGED_TABLES[staging]}_${column}_range`);
        message = range?.message ?? `${column}: ${message}${cause?.detail ? ` (${cause.detail})` : ''}`;
      }
    }
  }
  if (!path) return error;
  const Placed = error instanceof ConflictError ? ConflictError : ValidationError;
  return new Placed(`${path}: ${message}`, field ? `${path}.${field}` : path, error.constraint, {
    cause: error.cause,
  });
}

/**
 * The bulk path: COPY into staging tables, then one set-based INSERT ... SELECT per table
 * (cx.ingest_staged), in one transaction: the whole batch lands, or none of it.
 */
export async function ingest(session: Session, batch: readonly IngestInteraction[]): Promise<IngestResult> {
  checkBatch(batch);
  const inTransaction = session.db !== session.pool;
  const client = inTransaction ? (session.db as pg.PoolClient) : await session.pool.connect();
  const staged = session.inTransaction(client);
  try {
    if (!inTransaction) await client.query('begin');
    await staged.run(beginIngest, undefined);
    try {
      await copyRows(client, 'ingest_interactions', INTERACTION_COLUMNS, interactionRows(batch));
      await copyRows(client, 'ingest_steps', STEP_COLUMNS, stepRows(batch));
    } catch (error) {
      throw toCarepulseError(error, await session.catalogPromise());
    }
    const rows = await staged.run(finishIngest, undefined);
    if (!inTransaction) await client.query('commit');
    const results = rows.map((r) => ({
      ref: { customerId: r.customerId, interactionId: r.interactionId, startTimestamp: r.startTimestamp },
      duplicate: r.duplicate,
      conflicting: r.conflicting,
    }));
    const conflictingReplays = results.flatMap(({ ref, conflicting }, index) => {
      const source = batch[index]?.source;
      return conflicting && source ? [{ index, source: { ...source }, kept: ref }] : [];
    });
    const duplicates = rows.filter((r) => r.duplicate).length;
    return {
      inserted: rows.length - duplicates,
      duplicates: duplicates - conflictingReplays.length,
      conflictingReplays,
      results,
    };
  } catch (error) {
    if (!inTransaction) await client.query('rollback').catch(() => {});
    throw error instanceof CarepulseError
      ? placeInBatch(error, batch, await session.catalogPromise())
      : error;
  } finally {
    if (!inTransaction) client.release();
  }
}
