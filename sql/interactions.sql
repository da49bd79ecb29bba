/* @name StartInteraction */
insert into cx.customer_interactions
  (customer_id, start_timestamp, channel_id, interaction_type_id, initial_mode, session_id,
   parent_interaction_id, parent_start_timestamp, primary_agent_id, device_type, operating_system,
   app_version, browser, connection_type, screen_resolution, language_code, customer_intent)
values
  (:customerId!, coalesce(:startTimestamp::timestamptz, now()), :channelId!, :interactionTypeId, :initialMode!, :sessionId,
   :parentInteractionId, :parentStartTimestamp, :primaryAgentId, :deviceType, :operatingSystem,
   :appVersion, :browser, :connectionType, :screenResolution, :languageCode, :customerIntent)
returning customer_id as "customerId!", interaction_id as "interactionId!", start_timestamp as "startTimestamp!";

/* @name AddStep */
select s.step_id as "stepId!", s.started_at as "startedAt!", s.ended_at as "endedAt", s.duration_seconds as "durationSeconds"
  from cx.record_steps(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'interaction_id', :interactionId!::uuid,
         'interaction_start_timestamp', :startTimestamp!::timestamptz, 'step_type', :stepType!::text,
         'agent_id', :agentId::uuid, 'started_at', :startedAt::timestamptz, 'ended_at', :endedAt::timestamptz,
         'kb_article_id', :kbArticleId::uuid, 'step_outcome', :stepOutcome::text, 'step_details', :stepDetails::jsonb))) s;

/* @name EndStep */
select s.step_id as "stepId!", s.started_at as "startedAt!", s.ended_at as "endedAt", s.duration_seconds as "durationSeconds"
  from cx.end_steps(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'step_id', :stepId!::uuid,
         'interaction_start_timestamp', :startTimestamp!::timestamptz, 'ended_at', :endedAt::timestamptz,
         'step_outcome', :stepOutcome::text))) s;

/* @name EscalateInteraction */
update cx.customer_interactions
   set escalated_to_human = true,
       escalation_reason = coalesce(:escalationReason, escalation_reason),
       escalation_timestamp = coalesce(:escalationTimestamp::timestamptz, escalation_timestamp)
 where customer_id = :customerId! and interaction_id = :interactionId! and start_timestamp = :startTimestamp!
returning interaction_id as "interactionId!";

/* @name EndInteraction */
update cx.customer_interactions
   -- a correction that gives no new end or error code keeps the ones it corrects
   set end_timestamp = coalesce(:endTimestamp::timestamptz, end_timestamp, now()),
       status = :status!,
       resolution_status = :resolutionStatus!,
       error_code = coalesce(:errorCode, case when :status! = 'failed' then error_code end),
       cost_to_serve = coalesce(:costToServe, cost_to_serve),
       interaction_value = coalesce(:interactionValue, interaction_value),
       revenue_impact = coalesce(:revenueImpact, revenue_impact),
       sentiment_score = coalesce(:sentimentScore, sentiment_score)
 where customer_id = :customerId! and interaction_id = :interactionId! and start_timestamp = :startTimestamp!
   -- ending an ended interaction again is a correction, and only on purpose
   and (end_timestamp is null or :correction!::boolean)
returning interaction_id as "interactionId!";

/* @name FindInteractions */
select customer_id as "customerId!", interaction_id as "interactionId!", start_timestamp as "startTimestamp!",
       end_timestamp as "endTimestamp", duration_seconds as "durationSeconds", queue_time_seconds as "queueTimeSeconds!",
       channel_id as "channelId!", interaction_type_id as "interactionTypeId", session_id as "sessionId",
       parent_interaction_id as "parentInteractionId", parent_start_timestamp as "parentStartTimestamp",
       status as "status!", resolution_status as "resolutionStatus!", error_code as "errorCode",
       device_type as "deviceType", operating_system as "operatingSystem", app_version as "appVersion",
       browser as "browser", connection_type as "connectionType", screen_resolution as "screenResolution",
       client_info as "clientInfo!", primary_agent_id as "primaryAgentId", secondary_agent_id as "secondaryAgentId",
       supervisor_agent_id as "supervisorAgentId", initial_mode as "initialMode!", interaction_mode as "interactionMode!",
       bot_duration_seconds as "botDurationSeconds!", human_duration_seconds as "humanDurationSeconds!",
       wrap_up_seconds as "wrapUpSeconds!", escalated_to_human as "escalatedToHuman!", escalation_reason as "escalationReason",
       escalation_timestamp as "escalationTimestamp", customer_satisfaction_score as "customerSatisfactionScore",
       customer_effort_score as "customerEffortScore", nps_score as "npsScore",
       first_contact_resolution as "firstContactResolution!", interaction_value as "interactionValue",
       cost_to_serve as "costToServe", cost_to_serve_source as "costToServeSource!", revenue_impact as "revenueImpact",
       customer_intent as "customerIntent", sentiment_score as "sentimentScore", language_code as "languageCode",
       region as "region!", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.customer_interactions
 where customer_id = :customerId!
   and start_timestamp >= :from! and start_timestamp < :to!
   and (cardinality(:interactionIds!::uuid[]) = 0 or interaction_id = any(:interactionIds!::uuid[]))
 order by start_timestamp, interaction_id
 limit :limit!;
