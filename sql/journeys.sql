/* @name StartSession */
insert into cx.customer_journey_sessions (customer_id, start_timestamp, journey_goal, entry_channel_id, device_type)
values (:customerId!, coalesce(:startTimestamp::timestamptz, now()), :journeyGoal, :entryChannelId, :deviceType)
returning customer_id as "customerId!", session_id as "sessionId!";

/* @name Touch */
insert into cx.journey_touchpoints
  (customer_id, session_id, channel_id, interaction_id, interaction_start_timestamp, touchpoint_type, occurred_at,
   sequence_number, page_or_screen, action, dwell_seconds, friction_detected, friction_type, touchpoint_details)
values
  (:customerId!, :sessionId!, :channelId!, :interactionId, :interactionStartTimestamp, :touchpointType!,
   coalesce(:occurredAt::timestamptz, now()), :sequenceNumber, :pageOrScreen, :action, :dwellSeconds,
   coalesce(:frictionDetected, false), :frictionType, coalesce(:touchpointDetails::jsonb, '{}'))
returning touchpoint_id as "touchpointId!";

/* @name EndSession */
update cx.customer_journey_sessions
   set end_timestamp = coalesce(:endTimestamp::timestamptz, now()),
       journey_outcome = :journeyOutcome!,
       goal_achieved = :goalAchieved,
       exit_channel_id = coalesce(:exitChannelId, exit_channel_id),
       journey_satisfaction_score = coalesce(:journeySatisfactionScore, journey_satisfaction_score)
 where customer_id = :customerId! and session_id = :sessionId!
returning session_id as "sessionId!";

/* @name GetSession */
select customer_id as "customerId!", session_id as "sessionId!", start_timestamp as "startTimestamp!",
       end_timestamp as "endTimestamp", duration_seconds as "durationSeconds", journey_goal as "journeyGoal",
       goal_achieved as "goalAchieved", journey_outcome as "journeyOutcome!", entry_channel_id as "entryChannelId",
       exit_channel_id as "exitChannelId", device_type as "deviceType",
       journey_satisfaction_score as "journeySatisfactionScore", touchpoint_count as "touchpointCount!",
       channel_ids as "channelIds!", channels_used as "channelsUsed!", last_activity_at as "lastActivityAt"
  from cx.customer_journey_sessions
 where customer_id = :customerId! and session_id = :sessionId!;
