import type pg from 'pg';
import { ValidationError } from '../errors.js';
import { beginIngest, finishIngest } from '../queries/ingest.queries.js';
import { toCarepulseError } from './constraint-errors.js';
import { copyRows } from './copy-rows.js';
import type { InteractionRef } from './interactions.js';
import type { Session } from './session.js';
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

export interface IngestResult {
  inserted: number;
  duplicates: number;
  /** In input order; duplicate marks a replay that was skipped. */
  results: Array<{ ref: InteractionRef; duplicate: boolean }>;
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
] as const;

function isDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** What SQL would refuse anyway, refused before the round trip with the field's path. */
function checkBatch(batch: readonly IngestInteraction[]): void {
  if (batch.length === 0)
    throw new ValidationError('a batch must hold at least one interaction', 'interactions');
  batch.forEach((interaction, i) => {
    const at = `interactions[${i}]`;
    if (!isDate(interaction.startTimestamp))
      throw new ValidationError(`${at}.startTimestamp must be a valid date`, `${at}.startTimestamp`);
    if (interaction.endTimestamp !== undefined && !isDate(interaction.endTimestamp)) {
      throw new ValidationError(`${at}.endTimestamp must be a valid date`, `${at}.endTimestamp`);
    }
    for (const field of ['sentimentScore', 'interactionValue', 'revenueImpact', 'costToServe'] as const) {
      const value = interaction[field];
      if (value !== undefined && !Number.isFinite(value)) {
        throw new ValidationError(`${at}.${field} must be a finite number, got ${value}`, `${at}.${field}`);
      }
    }
    interaction.steps?.forEach((step, j) => {
      if (!isDate(step.startedAt))
        throw new ValidationError(
          `${at}.steps[${j}].startedAt must be a valid date`,
          `${at}.steps[${j}].startedAt`,
        );
      if (step.endedAt !== undefined && !isDate(step.endedAt)) {
        throw new ValidationError(
          `${at}.steps[${j}].endedAt must be a valid date`,
          `${at}.steps[${j}].endedAt`,
        );
      }
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
    for (const s of i.steps ?? [])
      yield [ord, s.stepType, s.agentId, s.startedAt, s.endedAt, s.kbArticleId, s.stepOutcome];
  }
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
    const duplicates = rows.filter((r) => r.duplicate).length;
    return {
      inserted: rows.length - duplicates,
      duplicates,
      results: rows.map((r) => ({
        ref: { customerId: r.customerId, interactionId: r.interactionId, startTimestamp: r.startTimestamp },
        duplicate: r.duplicate,
      })),
    };
  } catch (error) {
    if (!inTransaction) await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    if (!inTransaction) client.release();
  }
}
