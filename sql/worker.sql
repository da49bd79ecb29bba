/* @name CountWaitingMetricsRefreshes */
select count(*) as "waiting!"
  from graphile_worker.jobs j
 where j.task_identifier = 'metrics__refresh' and j.locked_at is null and j.attempts < j.max_attempts;

/* @name CreatePartitionsAhead */
select cx.create_monthly_partitions(now(), :months!) as "monthsCreated!";

/* @name CheckThresholdsAndDataQuality */
-- the day is the reporting time zone's: today, or :daysBack days before it (1: yesterday)
select d.day::text as "metricDate!", t.evaluated as "evaluated!", t.opened as "opened!", t.escalated as "escalated!",
       t.updated as "updated!", t.resolved as "resolved!", q.checked as "qualityChecked!", q.opened as "qualityOpened!",
       q.escalated as "qualityEscalated!", q.updated as "qualityUpdated!", q.resolved as "qualityResolved!"
  from (select cx.reporting_day(now()) - :daysBack!::integer as day) d
 cross join lateral cx.check_thresholds(d.day) t
 cross join lateral cx.check_data_quality(d.day) q;

/* @name RefreshRecentCapacity */
select hours as "hours!", rows_written as "rowsWritten!", rows_removed as "rowsRemoved!"
  from cx.refresh_channel_capacity(now() - make_interval(hours => :hours!::integer), now());

/* @name RefreshPerformance */
select a.agents as "agents!", a.agents_changed as "agentsChanged!", k.articles as "articles!",
       k.articles_changed as "articlesChanged!"
  from cx.refresh_agent_performance() a cross join cx.refresh_knowledge_base_counters() k;

/* @name ComputeCustomerExperienceScores */
select score_date::text as "scoreDate!", customers as "customers!", rows_written as "rowsWritten!",
       rows_removed as "rowsRemoved!"
  from cx.compute_customer_experience_scores(:scoreDate::date);
