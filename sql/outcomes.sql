/* @name RecordOutcome */
select o.outcome_id as "outcomeId!"
  from cx.record_outcomes(
         array[:customerId!::uuid], array[:interactionId!::uuid], array[:startTimestamp!::timestamptz],
         array[:outcomeType!::text], array[:outcomeValue::numeric], array[:currency::text],
         array[:servicePlanId::uuid], array[:attributedAgentId::uuid], array[:recordedAt::timestamptz],
         array[:outcomeDetails::jsonb]) o;
