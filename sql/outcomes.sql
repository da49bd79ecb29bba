/* @name RecordOutcome */
insert into cx.interaction_outcomes
  (customer_id, interaction_id, interaction_start_timestamp, outcome_type, outcome_value, currency, service_plan_id,
   attributed_agent_id, recorded_at, outcome_details)
values
  (:customerId!, :interactionId!, :startTimestamp!, :outcomeType!, coalesce(:outcomeValue::numeric, 0), coalesce(:currency, 'EUR'),
   :servicePlanId, :attributedAgentId, coalesce(:recordedAt::timestamptz, now()), coalesce(:outcomeDetails::jsonb, '{}'))
returning outcome_id as "outcomeId!";
