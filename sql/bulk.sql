/*
 * Set-based writes for loaders (the simulator): one statement per batch, whatever its size, with
 * one array per column expanded by unnest (bind parameters stay a handful, never one per row), so
 * the statement triggers fire once per batch. Interactions and their steps go through
 * cx.ingest_staged (COPY) instead.
 */

/* @name BulkCreateCustomers */
insert into cx.customers
  (customer_id, msisdn, first_name, last_name, customer_type, region, country_code, city, time_zone,
   customer_segment, credit_limit, lifetime_value, account_status, activated_at, preferred_contact_time,
   preferred_language, communication_preferences)
select c.customer_id, c.msisdn, c.first_name, c.last_name, c.customer_type, c.region, c.country_code, c.city,
       c.time_zone, c.customer_segment, c.credit_limit, c.lifetime_value, c.account_status, c.activated_at,
       c.preferred_contact_time, c.preferred_language, '{"sms": true, "email": true, "push": true}'::jsonb
  from unnest(:customerIds!::uuid[], :msisdns!::text[], :firstNames!::text[], :lastNames!::text[],
              :customerTypes!::text[], :regions!::text[], :countryCodes!::text[], :cities!::text[],
              :timeZones!::text[], :segments!::text[], :creditLimits!::numeric[], :lifetimeValues!::numeric[],
              :accountStatuses!::text[], :activatedAts!::timestamptz[], :contactTimes!::text[],
              :languages!::text[])
       as c(customer_id, msisdn, first_name, last_name, customer_type, region, country_code, city, time_zone,
            customer_segment, credit_limit, lifetime_value, account_status, activated_at, preferred_contact_time,
            preferred_language);

/* @name BulkAssignPlans */
insert into cx.customer_service_plans (customer_id, service_plan_id, valid_from, valid_to, assignment_reason)
select a.customer_id, a.service_plan_id, a.valid_from, a.valid_to, a.assignment_reason
  from unnest(:customerIds!::uuid[], :servicePlanIds!::uuid[], :validFroms!::timestamptz[],
              :validTos!::timestamptz[], :reasons!::text[])
       as a(customer_id, service_plan_id, valid_from, valid_to, assignment_reason);

/* @name BulkRecordStatusIntervals */
select cx.record_status_intervals(:agentIds!::uuid[], :statuses!::text[], :startedAts!::timestamptz[],
                                  :endedAts!::timestamptz[]) as "recorded!";

/* @name BulkStartSessions */
select count(*)::integer as "recorded!"
  from cx.record_sessions((
    select coalesce(jsonb_agg(to_jsonb(s)), '[]')
      from unnest(:customerIds!::uuid[], :sessionIds!::uuid[], :startTimestamps!::timestamptz[],
                  :endTimestamps!::timestamptz[], :goals!::text[], :goalsAchieved!::boolean[], :outcomes!::text[],
                  :entryChannelIds!::uuid[], :exitChannelIds!::uuid[], :deviceTypes!::text[],
                  :satisfactionScores!::smallint[])
           as s(customer_id, session_id, start_timestamp, end_timestamp, journey_goal, goal_achieved, journey_outcome,
                entry_channel_id, exit_channel_id, device_type, journey_satisfaction_score)));

/* @name BulkTouch */
select count(*)::integer as "recorded!"
  from cx.record_touchpoints((
    select coalesce(jsonb_agg(to_jsonb(t)), '[]')
      from (select u.*, u.friction_type is not null as friction_detected
              from unnest(:customerIds!::uuid[], :sessionIds!::uuid[], :channelIds!::uuid[], :interactionIds!::uuid[],
                          :interactionStartTimestamps!::timestamptz[], :touchpointTypes!::text[],
                          :occurredAts!::timestamptz[], :sequenceNumbers!::integer[], :pages!::text[],
                          :dwellSeconds!::integer[], :frictionTypes!::text[])
                   as u(customer_id, session_id, channel_id, interaction_id, interaction_start_timestamp, touchpoint_type,
                        occurred_at, sequence_number, page_or_screen, dwell_seconds, friction_type)) t));

/* @name BulkSubmitFeedback */
select count(*)::integer as "recorded!"
  from cx.record_feedback((
    select coalesce(jsonb_agg(to_jsonb(f)), '[]')
      from unnest(:customerIds!::uuid[], :interactionIds!::uuid[], :interactionStartTimestamps!::timestamptz[],
                  :surveyTemplateIds!::uuid[], :channelIds!::uuid[], :submittedAts!::timestamptz[],
                  :csatScores!::smallint[], :npsScores!::smallint[], :cesScores!::smallint[], :texts!::text[],
                  :sentimentScores!::numeric[], :sentimentLabels!::text[])
           as f(customer_id, interaction_id, interaction_start_timestamp, survey_template_id, channel_id, submitted_at,
                csat_score, nps_score, ces_score, feedback_text, sentiment_score, sentiment_label)));

/* @name BulkRecordOutcomes */
select count(*)::integer as "recorded!"
  from cx.record_outcomes(:customerIds!::uuid[], :interactionIds!::uuid[], :interactionStartTimestamps!::timestamptz[],
                          :outcomeTypes!::text[], :outcomeValues!::numeric[],
                          p_attributed_agent_ids => :agentIds!::uuid[], p_recorded_ats => :recordedAts!::timestamptz[]);
