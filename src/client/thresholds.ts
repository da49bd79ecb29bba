import { NotFoundError } from '../errors.js';
import {
  createThreshold,
  deleteThreshold,
  type IListThresholdsResult,
  listThresholds,
  updateThreshold,
} from '../queries/thresholds.queries.js';
import type { MetricName } from './metrics.js';
import { assertFiniteNumber, type Session } from './session.js';

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

function checkNumbers(fields: ThresholdChanges): void {
  for (const field of ['warningThreshold', 'criticalThreshold', 'windowDays', 'minSample'] as const)
    assertFiniteNumber(field, fields[field]);
}

export function thresholdsApi(session: Session) {
  async function get(thresholdId: string): Promise<Threshold> {
    const [row] = await session.run(listThresholds, { thresholdIds: [thresholdId] });
    if (!row) throw new NotFoundError('threshold', thresholdId);
    return row;
  }
  return {
    async create(threshold: NewThreshold): Promise<Threshold> {
      checkNumbers(threshold);
      const [row] = await session.run(createThreshold, threshold);
      return get((row as { thresholdId: string }).thresholdId);
    },
    /** Changes the given fields; metric and scope stay (create another threshold for another scope). */
    async update(thresholdId: string, changes: ThresholdChanges): Promise<Threshold> {
      checkNumbers(changes);
      const [row] = await session.run(updateThreshold, { ...changes, thresholdId });
      if (!row) throw new NotFoundError('threshold', thresholdId);
      return get(thresholdId);
    },
    get,
    list: (filter: { metricName?: MetricName } = {}): Promise<Threshold[]> =>
      session.run(listThresholds, { thresholdIds: [], metricName: filter.metricName }),
    async remove(thresholdId: string): Promise<void> {
      const [row] = await session.run(deleteThreshold, { thresholdId });
      if (!row) throw new NotFoundError('threshold', thresholdId);
    },
  };
}
export type ThresholdsApi = ReturnType<typeof thresholdsApi>;
