/* @name StartInteraction */
select i.customer_id as "customerId!", i.interaction_id as "interactionId!", i.start_timestamp as "startTimestamp!"
  from cx.record_interactions(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'start_timestamp', :startTimestamp::timestamptz,
         'channel_id', :channelId!::uuid, 'interaction_type_id', :interactionTypeId::uuid,
         'initial_mode', :initialMode!::text, 'session_id', :sessionId::uuid,
         'parent_interaction_id', :parentInteractionId::uuid, 'parent_start_timestamp', :parentStartTimestamp::timestamptz,
         'primary_agent_id', :primaryAgentId::uuid, 'device_type', :deviceType::text,
         'operating_system', :operatingSystem::text, 'app_version', :appVersion::text, 'browser', :browser::text,
         'connection_type', :connectionType::text, 'screen_resolution', :screenResolution::text,
         'language_code', :languageCode::text, 'customer_intent', :customerIntent::text))) i;

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
select c.interaction_id as "interactionId!"
  from cx.correct_interactions(
         -- an interaction that does not exist is the caller's not-found, not a refused batch
         case when exists (select 1 from cx.customer_interactions ci
                            where ci.customer_id = :customerId! and ci.interaction_id = :interactionId!
                              and ci.start_timestamp = :startTimestamp!)
              then jsonb_build_array(jsonb_build_object(
                     'customer_id', :customerId!::uuid, 'interaction_id', :interactionId!::uuid,
                     'start_timestamp', :startTimestamp!::timestamptz,
                     -- what is not given keeps what was recorded
                     'set', jsonb_strip_nulls(jsonb_build_object(
                              'escalated_to_human', true, 'escalation_reason', :escalationReason::text,
                              'escalation_timestamp', :escalationTimestamp::timestamptz))))
              else '[]'::jsonb end) c;

/* @name EndInteraction */
select e.interaction_id as "interactionId!"
  from cx.end_interactions(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'interaction_id', :interactionId!::uuid,
         'start_timestamp', :startTimestamp!::timestamptz, 'end_timestamp', :endTimestamp::timestamptz,
         'status', :status!::text, 'resolution_status', :resolutionStatus!::text, 'error_code', :errorCode::text,
         'cost_to_serve', :costToServe::numeric, 'interaction_value', :interactionValue::numeric,
         'revenue_impact', :revenueImpact::numeric, 'sentiment_score', :sentimentScore::numeric,
         -- ending an ended interaction again is a correction, and only on purpose
         'correction', :correction!::boolean))) e;

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
