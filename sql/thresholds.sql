/* @name CreateThreshold */
insert into cx.performance_thresholds
  (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, higher_is_better, window_days, min_sample,
   enabled, description)
values
  (:metricName!, coalesce(:scopeKind::text, 'global'), :scopeId, :warningThreshold!, :criticalThreshold!, :higherIsBetter,
   coalesce(:windowDays::integer, 1), coalesce(:minSample::integer, 20), coalesce(:enabled::boolean, true), :description)
returning threshold_id as "thresholdId!";

/* @name UpdateThreshold */
update cx.performance_thresholds
   set warning_threshold = coalesce(:warningThreshold::numeric, warning_threshold),
       critical_threshold = coalesce(:criticalThreshold::numeric, critical_threshold),
       window_days = coalesce(:windowDays::integer, window_days),
       min_sample = coalesce(:minSample::integer, min_sample),
       enabled = coalesce(:enabled::boolean, enabled),
       description = coalesce(:description::text, description)
 where threshold_id = :thresholdId!
returning threshold_id as "thresholdId!";

/* @name ListThresholds */
select threshold_id as "thresholdId!", metric_name as "metricName!", scope_kind as "scopeKind!", scope_id as "scopeId",
       warning_threshold as "warningThreshold!", critical_threshold as "criticalThreshold!",
       higher_is_better as "higherIsBetter!", window_days as "windowDays!", min_sample as "minSample!",
       enabled as "enabled!", description as "description", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.performance_thresholds
 where (cardinality(:thresholdIds!::uuid[]) = 0 or threshold_id = any(:thresholdIds!::uuid[]))
   and (:metricName::text is null or metric_name = :metricName)
 order by metric_name, scope_kind, scope_id nulls first;

/* @name DeleteThreshold */
delete from cx.performance_thresholds where threshold_id = :thresholdId! returning threshold_id as "thresholdId!";
