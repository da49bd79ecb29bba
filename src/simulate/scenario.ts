/**
 * The simulated carrier: what its customers contact it about, on which channels, how well its
 * bots and people handle each kind of contact, and when things go wrong. Every number the
 * simulator draws from is here, so the distributions the tests check can be read off this file.
 */
import type { Category } from '../client/reference-data.js';
import type { EscalationReason, InteractionMode } from '../client/vocabulary.js';

export interface InteractionTypeProfile {
  typeCode: string;
  typeName: string;
  category: Category;
  complexityLevel: 'low' | 'medium' | 'high' | 'critical';
  businessCriticality: 'low' | 'medium' | 'high' | 'critical';
  targetResolutionSeconds: number;
  escalationThresholdSeconds: number;
  revenueImpacting: boolean;
  /** Share of all contacts. */
  share: number;
  /** Share of automated (bot, self-service, IVR) starts that the automation finishes alone. */
  containment: number;
  /** Median bot conversation, seconds. */
  botMedianSeconds: number;
  /** Median human handle time, seconds (before the agent's skill factor). */
  handleMedianSeconds: number;
  /** Chance that a human resolves it. */
  humanResolution: number;
  /** Why the bot hands over, when it does. */
  escalationReasons: Partial<Record<EscalationReason, number>>;
  /** The business outcome it may produce, and how likely and valuable it is. */
  outcome?: {
    type: 'sale' | 'upsell' | 'retention' | 'refund' | 'complaint_resolved';
    chance: number;
    value: number;
  };
}

export const INTERACTION_TYPES: readonly InteractionTypeProfile[] = [
  {
    typeCode: 'billing_inquiry',
    typeName: 'Billing inquiry',
    category: 'billing',
    complexityLevel: 'low',
    businessCriticality: 'medium',
    targetResolutionSeconds: 600,
    escalationThresholdSeconds: 300,
    revenueImpacting: false,
    share: 0.24,
    containment: 0.78,
    botMedianSeconds: 150,
    handleMedianSeconds: 300,
    humanResolution: 0.93,
    escalationReasons: {
      customer_request: 4,
      bot_cannot_resolve: 3,
      bot_not_understood: 2,
      authentication_required: 1,
    },
  },
  {
    typeCode: 'payment',
    typeName: 'Payment and top-up',
    category: 'billing',
    complexityLevel: 'low',
    businessCriticality: 'high',
    targetResolutionSeconds: 300,
    escalationThresholdSeconds: 180,
    revenueImpacting: true,
    share: 0.14,
    containment: 0.85,
    botMedianSeconds: 100,
    handleMedianSeconds: 240,
    humanResolution: 0.95,
    escalationReasons: { bot_cannot_resolve: 3, authentication_required: 3, customer_request: 2 },
  },
  {
    typeCode: 'plan_change',
    typeName: 'Plan change',
    category: 'sales',
    complexityLevel: 'medium',
    businessCriticality: 'high',
    targetResolutionSeconds: 900,
    escalationThresholdSeconds: 420,
    revenueImpacting: true,
    share: 0.1,
    containment: 0.55,
    botMedianSeconds: 210,
    handleMedianSeconds: 480,
    humanResolution: 0.9,
    escalationReasons: { customer_request: 4, policy_requires_human: 2, bot_cannot_resolve: 2 },
    outcome: { type: 'upsell', chance: 0.35, value: 120 },
  },
  {
    typeCode: 'new_line',
    typeName: 'New line or device purchase',
    category: 'sales',
    complexityLevel: 'medium',
    businessCriticality: 'high',
    targetResolutionSeconds: 1200,
    escalationThresholdSeconds: 420,
    revenueImpacting: true,
    share: 0.05,
    containment: 0.4,
    botMedianSeconds: 240,
    handleMedianSeconds: 720,
    humanResolution: 0.85,
    escalationReasons: { customer_request: 3, policy_requires_human: 3, authentication_required: 1 },
    outcome: { type: 'sale', chance: 0.45, value: 480 },
  },
  {
    typeCode: 'roaming',
    typeName: 'Roaming and travel',
    category: 'account',
    complexityLevel: 'low',
    businessCriticality: 'medium',
    targetResolutionSeconds: 600,
    escalationThresholdSeconds: 300,
    revenueImpacting: false,
    share: 0.08,
    containment: 0.7,
    botMedianSeconds: 140,
    handleMedianSeconds: 330,
    humanResolution: 0.92,
    escalationReasons: { bot_cannot_resolve: 3, customer_request: 3, bot_not_understood: 2 },
  },
  {
    typeCode: 'account_update',
    typeName: 'Account and SIM update',
    category: 'account',
    complexityLevel: 'medium',
    businessCriticality: 'medium',
    targetResolutionSeconds: 900,
    escalationThresholdSeconds: 420,
    revenueImpacting: false,
    share: 0.1,
    containment: 0.62,
    botMedianSeconds: 180,
    handleMedianSeconds: 420,
    humanResolution: 0.9,
    escalationReasons: { authentication_required: 4, policy_requires_human: 2, customer_request: 2 },
  },
  {
    typeCode: 'device_support',
    typeName: 'Device and app support',
    category: 'technical',
    complexityLevel: 'high',
    businessCriticality: 'medium',
    targetResolutionSeconds: 1800,
    escalationThresholdSeconds: 480,
    revenueImpacting: false,
    share: 0.1,
    containment: 0.35,
    botMedianSeconds: 270,
    handleMedianSeconds: 780,
    humanResolution: 0.78,
    escalationReasons: { bot_cannot_resolve: 5, bot_not_understood: 3, customer_request: 2 },
  },
  {
    typeCode: 'network_issue',
    typeName: 'Network and coverage issue',
    category: 'technical',
    complexityLevel: 'high',
    businessCriticality: 'critical',
    targetResolutionSeconds: 3600,
    escalationThresholdSeconds: 600,
    revenueImpacting: false,
    share: 0.09,
    containment: 0.22,
    botMedianSeconds: 240,
    handleMedianSeconds: 900,
    humanResolution: 0.7,
    escalationReasons: {
      bot_cannot_resolve: 5,
      negative_sentiment: 2,
      customer_request: 2,
      technical_failure: 1,
    },
  },
  {
    typeCode: 'cancellation',
    typeName: 'Cancellation request',
    category: 'support',
    complexityLevel: 'high',
    businessCriticality: 'critical',
    targetResolutionSeconds: 1200,
    escalationThresholdSeconds: 120,
    revenueImpacting: true,
    share: 0.04,
    containment: 0.15,
    botMedianSeconds: 90,
    handleMedianSeconds: 840,
    humanResolution: 0.85,
    escalationReasons: { policy_requires_human: 5, customer_request: 3, negative_sentiment: 2 },
    outcome: { type: 'retention', chance: 0.38, value: 600 },
  },
  {
    typeCode: 'complaint',
    typeName: 'Complaint',
    category: 'support',
    complexityLevel: 'high',
    businessCriticality: 'high',
    targetResolutionSeconds: 2400,
    escalationThresholdSeconds: 180,
    revenueImpacting: false,
    share: 0.06,
    containment: 0.18,
    botMedianSeconds: 120,
    handleMedianSeconds: 960,
    humanResolution: 0.72,
    escalationReasons: { negative_sentiment: 5, customer_request: 4, bot_cannot_resolve: 1 },
    outcome: { type: 'complaint_resolved', chance: 0.5, value: 25 },
  },
];

export type ChannelName =
  | 'mobile_app'
  | 'web_app'
  | 'interactive_menu'
  | 'chatbot'
  | 'social_media'
  | 'email'
  | 'sms'
  | 'voice_call'
  | 'video_call';

export interface ChannelProfile {
  /** Share of all contacts. */
  share: number;
  /** How contacts on this channel start. */
  modes: Partial<Record<InteractionMode, number>>;
  /**
   * Median queue wait before a human answers at average load, seconds: about a fifth of the
   * channel's service-level target, so that on a normal day about 80 % are answered within it (waits
   * vary log-normally and grow with load) and an incident day's longer queues stand out.
   */
  queueMedianSeconds: number;
  /** Median patience in the queue before hanging up, seconds. */
  patienceMedianSeconds: number;
  device: 'smartphone' | 'desktop' | 'feature_phone' | 'mixed';
  /** Touchpoint type of the contact itself in a journey. */
  touchpoint: 'chat' | 'bot_message' | 'ivr_menu' | 'call' | 'email' | 'sms' | 'social_post';
}

export const CHANNELS: Readonly<Record<ChannelName, ChannelProfile>> = {
  mobile_app: {
    share: 0.27,
    modes: { bot: 0.6, self_service: 0.25, live_chat: 0.15 },
    queueMedianSeconds: 12,
    patienceMedianSeconds: 240,
    device: 'smartphone',
    touchpoint: 'chat',
  },
  web_app: {
    share: 0.15,
    modes: { bot: 0.55, self_service: 0.25, live_chat: 0.2 },
    queueMedianSeconds: 12,
    patienceMedianSeconds: 240,
    device: 'desktop',
    touchpoint: 'chat',
  },
  chatbot: {
    share: 0.16,
    modes: { bot: 1 },
    queueMedianSeconds: 12,
    patienceMedianSeconds: 200,
    device: 'mixed',
    touchpoint: 'bot_message',
  },
  interactive_menu: {
    share: 0.12,
    modes: { ivr: 1 },
    queueMedianSeconds: 6,
    patienceMedianSeconds: 150,
    device: 'feature_phone',
    touchpoint: 'ivr_menu',
  },
  voice_call: {
    share: 0.14,
    modes: { ivr: 0.7, live_chat: 0.3 },
    queueMedianSeconds: 4,
    patienceMedianSeconds: 150,
    device: 'smartphone',
    touchpoint: 'call',
  },
  social_media: {
    share: 0.05,
    modes: { bot: 0.45, live_chat: 0.55 },
    queueMedianSeconds: 180,
    patienceMedianSeconds: 7200,
    device: 'smartphone',
    touchpoint: 'social_post',
  },
  email: {
    share: 0.05,
    modes: { live_chat: 1 },
    queueMedianSeconds: 720,
    patienceMedianSeconds: 86400,
    device: 'desktop',
    touchpoint: 'email',
  },
  sms: {
    share: 0.04,
    modes: { bot: 0.7, live_chat: 0.3 },
    queueMedianSeconds: 60,
    patienceMedianSeconds: 3600,
    device: 'feature_phone',
    touchpoint: 'sms',
  },
  video_call: {
    share: 0.02,
    modes: { video_call: 1 },
    queueMedianSeconds: 6,
    patienceMedianSeconds: 200,
    device: 'smartphone',
    touchpoint: 'call',
  },
};

/** Contacts per weekday (0 = Sunday), relative. */
export const WEEKDAY_WEIGHT = [0.62, 1.18, 1.08, 1.02, 1.0, 0.95, 0.72] as const;

/** Contacts per hour of the day (reporting time zone), relative: a late-morning and an evening peak. */
export const HOUR_WEIGHT = [
  0.15, 0.08, 0.05, 0.04, 0.05, 0.12, 0.35, 0.7, 1.1, 1.45, 1.6, 1.55, 1.35, 1.3, 1.35, 1.3, 1.25, 1.35, 1.5,
  1.45, 1.15, 0.85, 0.55, 0.3,
] as const;

/** The bill run: billing contacts rise in the first days of the month. */
export const BILL_RUN_DAYS = 3;
export const BILL_RUN_BILLING_FACTOR = 1.8;

/** Human agents' shifts (hours, reporting time zone) and their share of staff. */
export const SHIFTS = [
  { name: 'early', start: 6, end: 14, share: 0.3 },
  { name: 'day', start: 9, end: 17, share: 0.4 },
  { name: 'late', start: 14, end: 22, share: 0.3 },
] as const;

export const SKILLS = {
  trainee: { share: 0.1, handleFactor: 1.35, resolutionFactor: 0.9 },
  junior: { share: 0.25, handleFactor: 1.15, resolutionFactor: 0.95 },
  intermediate: { share: 0.35, handleFactor: 1.0, resolutionFactor: 1.0 },
  senior: { share: 0.22, handleFactor: 0.9, resolutionFactor: 1.03 },
  specialist: { share: 0.08, handleFactor: 0.85, resolutionFactor: 1.06 },
} as const;
export type Skill = keyof typeof SKILLS;

/** Teams by specialization: the interaction categories each team takes. */
export const TEAMS = [
  { teamName: 'Billing', specialization: 'billing', categories: ['billing'], share: 0.3 },
  { teamName: 'Technical', specialization: 'technical', categories: ['technical'], share: 0.3 },
  { teamName: 'Sales', specialization: 'sales', categories: ['sales'], share: 0.15 },
  { teamName: 'Care', specialization: 'support', categories: ['support', 'account'], share: 0.25 },
] as const;

/** Human agents per daily contact (about one per hundred: handle times and a 75% occupancy target). */
export const CONTACTS_PER_AGENT = 100;

/** Chance a customer answers the survey after a contact. */
export const SURVEY_RESPONSE = 0.28;
/** Chance that an unresolved contact is followed by another about the same thing within days. */
export const REPEAT_AFTER_UNRESOLVED = 0.55;
/** Chance that a resolved contact is followed by another anyway (it was not really resolved). */
export const REPEAT_AFTER_RESOLVED = 0.06;
/** Share of digital contacts that are part of a recorded journey (screens before the contact). */
export const JOURNEY_SHARE = 0.35;

/**
 * A bad day on one channel, for alerts and anomaly checks to find: the bot fails more often and
 * reports errors, queues grow, and customers turn to other channels.
 */
export interface Incident {
  /** Days before the last simulated day. */
  daysBeforeEnd: number;
  channel: ChannelName;
  /** Multiplies containment. */
  containmentFactor: number;
  /** Multiplies queue waits. */
  queueFactor: number;
  /** Multiplies the channel's volume. */
  volumeFactor: number;
  errorCode: string;
}

export const INCIDENTS: readonly Incident[] = [
  {
    daysBeforeEnd: 4,
    channel: 'chatbot',
    containmentFactor: 0.35,
    queueFactor: 2.5,
    volumeFactor: 1.4,
    errorCode: 'NLU_TIMEOUT',
  },
  {
    daysBeforeEnd: 11,
    channel: 'voice_call',
    containmentFactor: 1,
    queueFactor: 4,
    volumeFactor: 1.6,
    errorCode: 'ACD_OVERLOAD',
  },
  {
    daysBeforeEnd: 19,
    channel: 'mobile_app',
    containmentFactor: 0.6,
    queueFactor: 1.8,
    volumeFactor: 0.7,
    errorCode: 'APP_LOGIN_5XX',
  },
];
