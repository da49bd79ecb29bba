import { NotFoundError } from '../errors.js';
import {
  endSession,
  getSession,
  type IGetSessionResult,
  startSession,
  touch,
} from '../queries/journeys.queries.js';
import { type InteractionRef, interactionRefChecks } from './interactions.js';
import type { Session } from './session.js';
import {
  boolean,
  checkFields,
  date,
  type FieldChecks,
  json,
  nested,
  number,
  text,
  uuid,
  wholeNumber,
} from './validation.js';
import type { DeviceType } from './vocabulary.js';

export interface SessionRef {
  customerId: string;
  sessionId: string;
}
export type JourneyOutcome = 'completed' | 'abandoned' | 'escalated' | 'failed';
export type TouchpointType =
  | 'page_view'
  | 'app_screen'
  | 'search'
  | 'form_submit'
  | 'payment'
  | 'bot_message'
  | 'ivr_menu'
  | 'chat'
  | 'call'
  | 'email'
  | 'sms'
  | 'social_post'
  | 'kb_article'
  | 'notification'
  | 'other';
export type FrictionType =
  | 'error'
  | 'slow_response'
  | 'dead_end'
  | 'repeat_input'
  | 'authentication'
  | 'abandonment'
  | 'other';

export interface Touchpoint {
  channelId: string;
  touchpointType: TouchpointType;
  occurredAt?: Date;
  interaction?: InteractionRef;
  sequenceNumber?: number;
  pageOrScreen?: string;
  action?: string;
  dwellSeconds?: number;
  frictionDetected?: boolean;
  frictionType?: FrictionType;
  touchpointDetails?: Record<string, unknown>;
}
export type JourneySession = IGetSessionResult;

export interface StartSession {
  customerId: string;
  startTimestamp?: Date;
  journeyGoal?: string;
  entryChannelId?: string;
  deviceType?: DeviceType;
}
export interface EndSession {
  journeyOutcome: JourneyOutcome;
  goalAchieved?: boolean;
  endTimestamp?: Date;
  exitChannelId?: string;
  journeySatisfactionScore?: number;
}

const SESSION_REF: FieldChecks<SessionRef> = { customerId: uuid, sessionId: uuid };
const START: FieldChecks<StartSession> = {
  customerId: uuid,
  startTimestamp: date,
  journeyGoal: text,
  entryChannelId: uuid,
  deviceType: text,
};
const TOUCHPOINT: FieldChecks<Touchpoint> = {
  channelId: uuid,
  touchpointType: text,
  occurredAt: date,
  interaction: nested(interactionRefChecks),
  sequenceNumber: wholeNumber,
  pageOrScreen: text,
  action: text,
  dwellSeconds: number,
  frictionDetected: boolean,
  frictionType: text,
  touchpointDetails: json,
};
const END: FieldChecks<EndSession> = {
  journeyOutcome: text,
  goalAchieved: boolean,
  endTimestamp: date,
  exitChannelId: uuid,
  journeySatisfactionScore: number,
};

export function journeysApi(session: Session) {
  async function get(ref: SessionRef): Promise<JourneySession> {
    checkFields(ref, SESSION_REF);
    const [row] = await session.run(getSession, ref);
    if (!row) throw new NotFoundError('journey session', ref.sessionId);
    return row;
  }
  return {
    async startSession(start: StartSession): Promise<SessionRef> {
      checkFields(start, START);
      const [row] = await session.run(startSession, start);
      return row as SessionRef;
    },
    /** Records a touchpoint; the session's counts, channels and last activity follow. */
    async touch(ref: SessionRef, touchpoint: Touchpoint): Promise<{ touchpointId: string }> {
      checkFields(ref, SESSION_REF);
      checkFields(touchpoint, TOUCHPOINT);
      const [row] = await session.run(
        touch,
        {
          ...touchpoint,
          ...ref,
          interactionId: touchpoint.interaction?.interactionId,
          interactionStartTimestamp: touchpoint.interaction?.startTimestamp,
          touchpointDetails: touchpoint.touchpointDetails
            ? JSON.stringify(touchpoint.touchpointDetails)
            : null,
        },
        {
          interactionId: 'interaction.interactionId',
          interactionStartTimestamp: 'interaction.startTimestamp',
        },
      );
      return row as { touchpointId: string };
    },
    async endSession(ref: SessionRef, end: EndSession): Promise<JourneySession> {
      checkFields(ref, SESSION_REF);
      checkFields(end, END);
      const [row] = await session.run(endSession, { ...end, ...ref });
      if (!row) throw new NotFoundError('journey session', ref.sessionId);
      return get(ref);
    },
    get,
  };
}
export type JourneysApi = ReturnType<typeof journeysApi>;
