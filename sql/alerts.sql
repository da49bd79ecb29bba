/* @name ListAlerts */
select a.alert_id as "alertId!", a.alert_kind as "alertKind!", a.metric_name as "metricName", a.threshold_id as "thresholdId",
       a.scope_kind as "scopeKind!", a.scope_id as "scopeId", a.metric_date::text as "metricDate!", a.window_days as "windowDays!",
       a.severity as "severity!", a.alert_status as "alertStatus!", a.observed_value as "observedValue",
       a.threshold_value as "thresholdValue", a.sample as "sample", a.message as "message!", a.opened_at as "openedAt!",
       a.last_checked_at as "lastCheckedAt!", a.escalated_at as "escalatedAt", a.acknowledged_at as "acknowledgedAt",
       a.acknowledged_by as "acknowledgedBy", a.resolved_at as "resolvedAt", a.resolution as "resolution",
       cx.alert_scope_name(a.scope_kind, a.scope_id) as "scopeName"
  from cx.system_alerts a
 where (cardinality(:statuses!::text[]) = 0 or a.alert_status = any(:statuses!::text[]))
   and (:from::date is null or a.metric_date >= :from::date)
   and (:to::date is null or a.metric_date <= :to::date)
-- by severity, then by what they are about, the latest day first
 order by case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end, a.scope_kind,
          cx.alert_scope_name(a.scope_kind, a.scope_id) nulls first, a.metric_date desc, a.opened_at desc
 limit :limit!;

/* @name AcknowledgeAlert */
select (a).alert_id as "alertId", (a).alert_status as "alertStatus", (a).acknowledged_at as "acknowledgedAt"
  from cx.acknowledge_alert(:alertId!::uuid, :acknowledgedBy!::text) a;

/* @name ResolveAlert */
select (a).alert_id as "alertId", (a).alert_status as "alertStatus", (a).resolved_at as "resolvedAt"
  from cx.resolve_alert(:alertId!::uuid, :resolution!::text) a;

/* @name AlertStatus */
select alert_status as "alertStatus!" from cx.system_alerts where alert_id = :alertId!::uuid;

/* @name CheckThresholds */
select evaluated as "evaluated!", opened as "opened!", escalated as "escalated!", updated as "updated!",
       resolved as "resolved!"
  from cx.check_thresholds(:metricDate::date);
