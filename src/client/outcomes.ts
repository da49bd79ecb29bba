import { recordOutcome } from '../queries/outcomes.queries.js';
import { type InteractionRef, interactionRefChecks } from './interactions.js';
import type { Session } from './session.js';
import { checkFields, date, type FieldChecks, json, number, text, uuid } from './validation.js';

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

const OUTCOME: FieldChecks<Outcome> = {
  outcomeType: text,
  outcomeValue: number,
  currency: text,
  servicePlanId: uuid,
  attributedAgentId: uuid,
  recordedAt: date,
  outcomeDetails: json,
};

export function outcomesApi(session: Session) {
  return {
    /** Records a business outcome (sale, retention, cost saving, ...) of an interaction. */
    async record(ref: InteractionRef, outcome: Outcome): Promise<{ outcomeId: string }> {
      checkFields(ref, interactionRefChecks);
      checkFields(outcome, OUTCOME);
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
