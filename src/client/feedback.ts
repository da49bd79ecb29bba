import { ValidationError } from '../errors.js';
import { submitFeedback } from '../queries/feedback.queries.js';
import type { InteractionRef } from './interactions.js';
import { assertValidDate, type Session } from './session.js';

export interface Feedback {
  customerId: string;
  /** The interaction the feedback is about; its CSAT / NPS / CES follow the latest answer. */
  interaction?: InteractionRef;
  sessionId?: string;
  surveyTemplateId?: string;
  channelId?: string;
  submittedAt?: Date;
  /** 1-5 */
  csatScore?: number;
  /** 0-10 */
  npsScore?: number;
  /** 1-7, 7 = easiest */
  cesScore?: number;
  feedbackText?: string;
  /** -1 to 1 */
  sentimentScore?: number;
  sentimentLabel?: 'positive' | 'neutral' | 'negative' | 'mixed';
  feedbackTopics?: string[];
  answers?: Record<string, unknown>;
  followUpStatus?: 'not_required' | 'pending';
}

const SCALES = { csatScore: [1, 5], npsScore: [0, 10], cesScore: [1, 7] } as const;

export function feedbackApi(session: Session) {
  return {
    /** Records a survey answer or free-text feedback. */
    async submit(feedback: Feedback): Promise<{ feedbackId: string; submittedAt: Date }> {
      assertValidDate('submittedAt', feedback.submittedAt);
      for (const [field, [low, high]] of Object.entries(SCALES)) {
        const score = feedback[field as keyof typeof SCALES];
        if (score !== undefined && !(Number.isInteger(score) && score >= low && score <= high)) {
          throw new ValidationError(
            `${field} must be a whole number from ${low} to ${high}, got ${score}`,
            field,
          );
        }
      }
      if (
        feedback.sentimentScore !== undefined &&
        !(feedback.sentimentScore >= -1 && feedback.sentimentScore <= 1)
      ) {
        throw new ValidationError(
          `sentimentScore must be from -1 to 1, got ${feedback.sentimentScore}`,
          'sentimentScore',
        );
      }
      const [row] = await session.run(submitFeedback, {
        ...feedback,
        interactionId: feedback.interaction?.interactionId,
        interactionStartTimestamp: feedback.interaction?.startTimestamp,
        answers: feedback.answers ? JSON.stringify(feedback.answers) : null,
      });
      return row as { feedbackId: string; submittedAt: Date };
    },
  };
}
export type FeedbackApi = ReturnType<typeof feedbackApi>;
