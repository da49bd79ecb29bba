/* @name StartSession */
select s.customer_id as "customerId!", s.session_id as "sessionId!"
  from cx.record_sessions(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'start_timestamp', :startTimestamp::timestamptz,
         'journey_goal', :journeyGoal::text, 'entry_channel_id', :entryChannelId::uuid,
         'device_type', :deviceType::text))) s;

/* @name Touch */
select t.touchpoint_id as "touchpointId!"
  from cx.record_touchpoints(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'session_id', :sessionId!::uuid, 'channel_id', :channelId!::uuid,
         'interaction_id', :interactionId::uuid, 'interaction_start_timestamp', :interactionStartTimestamp::timestamptz,
         'touchpoint_type', :touchpointType!::text, 'occurred_at', :occurredAt::timestamptz,
         'sequence_number', :sequenceNumber::integer, 'page_or_screen', :pageOrScreen::text, 'action', :action::text,
         'dwell_seconds', :dwellSeconds::integer, 'friction_detected', :frictionDetected::boolean,
         'friction_type', :frictionType::text, 'touchpoint_details', :touchpointDetails::jsonb))) t;

/* @name EndSession */
select e.session_id as "sessionId!"
  from cx.end_sessions(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'session_id', :sessionId!::uuid, 'journey_outcome', :journeyOutcome!::text,
         'goal_achieved', :goalAchieved::boolean, 'end_timestamp', :endTimestamp::timestamptz,
         'exit_channel_id', :exitChannelId::uuid,
         'journey_satisfaction_score', :journeySatisfactionScore::smallint))) e;

/* @name GetSession */
select customer_id as "customerId!", session_id as "sessionId!", start_timestamp as "startTimestamp!",
       end_timestamp as "endTimestamp", duration_seconds as "durationSeconds", journey_goal as "journeyGoal",
       goal_achieved as "goalAchieved", journey_outcome as "journeyOutcome!", entry_channel_id as "entryChannelId",
       exit_channel_id as "exitChannelId", device_type as "deviceType",
       journey_satisfaction_score as "journeySatisfactionScore", touchpoint_count as "touchpointCount!",
       channel_ids as "channelIds!", channels_used as "channelsUsed!", last_activity_at as "lastActivityAt"
  from cx.customer_journey_sessions
 where customer_id = :customerId! and session_id = :sessionId!;
