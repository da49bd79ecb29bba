import { NotFoundError } from '../errors.js';
import {
  createThreshold,
  deleteThreshold,
  type IListThresholdsResult,
  listThresholds,
  updateThreshold,
} from '../queries/thresholds.queries.js';
import type { MetricName } from './metrics.js';
import type { Session } from './session.js';
import { boolean, checkFields, type FieldChecks, number, text, uuid, wholeNumber } from './validation.js';

export type ThresholdScope = 'global' | 'channel' | 'interaction_type' | 'agent';
export type Threshold = IListThresholdsResult;

export interface NewThreshold {
  metricName: MetricName;
  /** global (every channel, each on its own; the default), channel, interaction_type or agent. */
  scopeKind?: ThresholdScope;
  /** The channel, interaction type or agent; left out for global. */
  scopeId?: string;
  warningThreshold: number;
  criticalThreshold: number;
  /** Default: the metric's direction. */
  higherIsBetter?: boolean;
  /** Days the value covers, ending with the checked day (default 1). */
  windowDays?: number;
  /** Smallest sample worth judging (default 20). */
  minSample?: number;
  enabled?: boolean;
  description?: string;
}
export type ThresholdChanges = Partial<
  Pick<
    NewThreshold,
    'warningThreshold' | 'criticalThreshold' | 'windowDays' | 'minSample' | 'enabled' | 'description'
  >
>;

const THRESHOLD: FieldChecks<NewThreshold> = {
  metricName: text,
  scopeKind: text,
  scopeId: uuid,
  warningThreshold: number,
  criticalThreshold: number,
  higherIsBetter: boolean,
  windowDays: wholeNumber,
  minSample: wholeNumber,
  enabled: boolean,
  description: text,
};

function checkArguments(fields: ThresholdChanges): void {
  checkFields(fields, THRESHOLD);
}

export function thresholdsApi(session: Session) {
  async function get(thresholdId: string): Promise<Threshold> {
    uuid('thresholdId', thresholdId);
    const [row] = await session.run(
      listThresholds,
      { thresholdIds: [thresholdId] },
      { thresholdIds: 'thresholdId' },
    );
    if (!row) throw new NotFoundError('threshold', thresholdId);
    return row;
  }
  return {
    async create(threshold: NewThreshold): Promise<Threshold> {
      checkArguments(threshold);
      const [row] = await session.run(createThreshold, threshold);
      return get((row as { thresholdId: string }).thresholdId);
    },
    /** Changes the given fields; metric and scope stay (create another threshold for another scope). */
    async update(thresholdId: string, changes: ThresholdChanges): Promise<Threshold> {
      uuid('thresholdId', thresholdId);
      checkArguments(changes);
      const [row] = await session.run(updateThreshold, { ...changes, thresholdId });
      if (!row) throw new NotFoundError('threshold', thresholdId);
      return get(thresholdId);
    },
    get,
    async list(filter: { metricName?: MetricName } = {}): Promise<Threshold[]> {
      checkFields(filter, { metricName: text });
      return session.run(listThresholds, { thresholdIds: [], metricName: filter.metricName });
    },
    async remove(thresholdId: string): Promise<void> {
      uuid('thresholdId', thresholdId);
      const [row] = await session.run(deleteThreshold, { thresholdId });
      if (!row) throw new NotFoundError('threshold', thresholdId);
    },
  };
}
export type ThresholdsApi = ReturnType<typeof thresholdsApi>;
