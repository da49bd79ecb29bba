/** The data model's vocabulary (DESIGN.md §3), as types: a wrong value does not compile. */
export type InteractionMode = 'bot' | 'live_chat' | 'self_service' | 'ivr' | 'video_call';
export type InteractionStatus = 'active' | 'completed' | 'abandoned' | 'failed';
export type ResolutionStatus = 'resolved' | 'partially_resolved' | 'unresolved' | 'pending';
export type StepType = 'bot' | 'human' | 'queue' | 'hold' | 'wrap_up';
export type StepOutcome = 'answered' | 'resolved' | 'transferred' | 'escalated' | 'abandoned' | 'failed';
export type EscalationReason =
  | 'customer_request'
  | 'bot_not_understood'
  | 'bot_cannot_resolve'
  | 'authentication_required'
  | 'negative_sentiment'
  | 'policy_requires_human'
  | 'technical_failure'
  | 'other';
export type DeviceType = 'smartphone' | 'tablet' | 'desktop' | 'feature_phone' | 'smart_speaker' | 'other';
export type ConnectionType = 'wifi' | '5g' | '4g' | '3g' | '2g' | 'ethernet' | 'fixed_line' | 'other';
