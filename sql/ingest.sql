/* @name BeginIngest */
select cx.ingest_begin() as "started";

/* @name FinishIngest */
select ord as "ord!", customer_id as "customerId!", interaction_id as "interactionId!",
       start_timestamp as "startTimestamp!", duplicate as "duplicate!", conflicting as "conflicting!"
  from cx.ingest_staged();
