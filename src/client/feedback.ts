import { submitFeedback } from '../queries/feedback.queries.js';
import { type InteractionRef, interactionRefChecks } from './interactions.js';
import type { Session } from './session.js';
import {
  checkFields,
  date,
  type FieldChecks,
  json,
  nested,
  numberFrom,
  text,
  textList,
  uuid,
  wholeNumberFrom,
} from './validation.js';

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

const FEEDBACK: FieldChecks<Feedback> = {
  customerId: uuid,
  interaction: nested(interactionRefChecks),
  sessionId: uuid,
  surveyTemplateId: uuid,
  channelId: uuid,
  submittedAt: date,
  csatScore: wholeNumberFrom(1, 5),
  npsScore: wholeNumberFrom(0, 10),
  cesScore: wholeNumberFrom(1, 7),
  feedbackText: text,
  sentimentScore: numberFrom(-1, 1),
  sentimentLabel: text,
  feedbackTopics: textList,
  answers: json,
  followUpStatus: text,
};

export function feedbackApi(session: Session) {
  return {
    /** Records a survey answer or free-text feedback. */
    async submit(feedback: Feedback): Promise<{ feedbackId: string; submittedAt: Date }> {
      checkFields(feedback, FEEDBACK);
      const [row] = await session.run(
        submitFeedback,
        {
          ...feedback,
          interactionId: feedback.interaction?.interactionId,
          interactionStartTimestamp: feedback.interaction?.startTimestamp,
          answers: feedback.answers ? JSON.stringify(feedback.answers) : null,
        },
        {
          interactionId: 'interaction.interactionId',
          interactionStartTimestamp: 'interaction.startTimestamp',
        },
      );
      return row as { feedbackId: string; submittedAt: Date };
    },
  };
}
export type FeedbackApi = ReturnType<typeof feedbackApi>;
