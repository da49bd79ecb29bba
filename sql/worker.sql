/* @name RefreshMetrics */
select channel_buckets as "channelBuckets!",
       agent_buckets as "agentBuckets!",
       rows_written as "rowsWritten!",
       remaining_log_rows as "remainingLogRows!",
       oldest_change as "oldestChange",
       milliseconds as "milliseconds!",
       round(extract(epoch from clock_timestamp() - oldest_change), 1) as "oldestChangeSecondsAgo"
  from cx.refresh_metrics();

/* @name CountWaitingMetricsRefreshes */
select count(*) as "waiting!"
  from graphile_worker.jobs j
 where j.task_identifier = 'metrics__refresh' and j.locked_at is null and j.attempts < j.max_attempts;

/* @name CreatePartitionsAhead */
select cx.create_monthly_partitions(now(), :months!) as "monthsCreated!";
