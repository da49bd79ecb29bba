import { NotFoundError, ValidationError } from '../errors.js';
import {
  acknowledgeAlert,
  alertStatus,
  checkThresholds,
  type ICheckThresholdsResult,
  type IListAlertsResult,
  listAlerts,
  resolveAlert,
} from '../queries/alerts.queries.js';
import { assertReportingDay, type ReportingDay } from './reporting-days.js';
import type { Session } from './session.js';
import { checkFields, limit, text, textList, uuid } from './validation.js';

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type Alert = IListAlertsResult;
export type ThresholdCheck = ICheckThresholdsResult;

export function alertsApi(session: Session) {
  async function mustExist(alertId: string): Promise<AlertStatus> {
    uuid('alertId', alertId);
    const [row] = await session.run(alertStatus, { alertId });
    if (!row) throw new NotFoundError('alert', alertId);
    return row.alertStatus as AlertStatus;
  }
  return {
    /**
     * Alerts, most severe and newest first; open and acknowledged ones unless statuses says
     * otherwise (limit 1 to 10,000, default 100).
     */
    async list(
      filter: { statuses?: AlertStatus[]; from?: ReportingDay; to?: ReportingDay; limit?: number } = {},
    ): Promise<Alert[]> {
      checkFields(filter, { statuses: textList, from: assertReportingDay, to: assertReportingDay, limit });
      return session.run(listAlerts, {
        statuses: filter.statuses ?? ['open', 'acknowledged'],
        from: filter.from,
        to: filter.to,
        limit: filter.limit ?? 100,
      });
    },
    /** Someone is on it: open -> acknowledged. A ValidationError when it is not open. */
    async acknowledge(alertId: string, acknowledgedBy: string): Promise<{ acknowledgedAt: Date }> {
      checkFields({ alertId, acknowledgedBy }, { alertId: uuid, acknowledgedBy: text });
      const [row] = await session.run(acknowledgeAlert, { alertId, acknowledgedBy });
      if (!row?.alertId) {
        const status = await mustExist(alertId);
        throw new ValidationError(
          `alert ${alertId} is ${status}: only an open alert can be acknowledged`,
          'alertStatus',
        );
      }
      return { acknowledgedAt: row.acknowledgedAt as Date };
    },
    /** Resolves an open or acknowledged alert with a note. */
    async resolve(alertId: string, resolution: string): Promise<{ resolvedAt: Date }> {
      checkFields({ alertId, resolution }, { alertId: uuid, resolution: text });
      if (resolution.trim() === '')
        throw new ValidationError('resolution must say why the alert is resolved', 'resolution');
      const [row] = await session.run(resolveAlert, { alertId, resolution });
      if (!row?.alertId) {
        await mustExist(alertId);
        throw new ValidationError(`alert ${alertId} is already resolved`, 'alertStatus');
      }
      return { resolvedAt: row.resolvedAt as Date };
    },
    /** Checks every enabled threshold for a reporting day (default today); the worker does this after each refresh. */
    async check(metricDate?: ReportingDay): Promise<ThresholdCheck> {
      assertReportingDay('metricDate', metricDate);
      const [row] = await session.run(checkThresholds, { metricDate });
      return row as ThresholdCheck;
    },
  };
}
export type AlertsApi = ReturnType<typeof alertsApi>;
