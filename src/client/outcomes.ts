import { recordOutcome } from '../queries/outcomes.queries.js';
import type { InteractionRef } from './interactions.js';
import { assertFiniteNumber, assertValidDate, type Session } from './session.js';

export type OutcomeType =
  | 'sale'
  | 'upsell'
  | 'cross_sell'
  | 'retention'
  | 'cost_saving'
  | 'churn'
  | 'refund'
  | 'complaint_resolved'
  | 'other';

export interface Outcome {
  outcomeType: OutcomeType;
  /** Revenue or savings (zero or more); lost revenue for churn and refund (zero or less). */
  outcomeValue?: number;
  currency?: string;
  servicePlanId?: string;
  attributedAgentId?: string;
  recordedAt?: Date;
  outcomeDetails?: Record<string, unknown>;
}

export function outcomesApi(session: Session) {
  return {
    /** Records a business outcome (sale, retention, cost saving, ...) of an interaction. */
    async record(ref: InteractionRef, outcome: Outcome): Promise<{ outcomeId: string }> {
      assertFiniteNumber('outcomeValue', outcome.outcomeValue);
      assertValidDate('recordedAt', outcome.recordedAt);
      const [row] = await session.run(recordOutcome, {
        ...outcome,
        ...ref,
        outcomeDetails: outcome.outcomeDetails ? JSON.stringify(outcome.outcomeDetails) : null,
      });
      return row as { outcomeId: string };
    },
  };
}
export type OutcomesApi = ReturnType<typeof outcomesApi>;
