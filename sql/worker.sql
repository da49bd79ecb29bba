/* @name CountWaitingMetricsRefreshes */
select count(*) as "waiting!"
  from graphile_worker.jobs j
 where j.task_identifier = 'metrics__refresh' and j.locked_at is null and j.attempts < j.max_attempts;

/* @name CreatePartitionsAhead */
select cx.create_monthly_partitions(now(), :months!) as "monthsCreated!";

/* @name CheckThresholdsAndDataQuality */
select t.evaluated as "evaluated!", t.opened as "opened!", t.escalated as "escalated!", t.updated as "updated!",
       t.resolved as "resolved!", q.checked as "qualityChecked!", q.opened as "qualityOpened!",
       q.escalated as "qualityEscalated!", q.updated as "qualityUpdated!", q.resolved as "qualityResolved!"
  from cx.check_thresholds(:metricDate::date) t
 cross join cx.check_data_quality(:metricDate::date) q;

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
