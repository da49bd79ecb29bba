import type { TaskList } from 'graphile-worker';
import { metrics__refresh } from './tasks/metrics__refresh.js';
import { partitions__create_ahead } from './tasks/partitions__create_ahead.js';

/**
 * Every task the worker runs, by identifier: `<subject>__<action>`, one file in tasks/, one small
 * action whose work is SQL. Jobs come from SQL (writers' triggers add metrics__refresh), from the
 * tasks themselves, and from the crontab (crontab.ts).
 *
 * Adding a task is one import and one line here (and a crontab line if it is periodic), once its
 * SQL exists; the ones the metrics issue plans: thresholds__check, cx_scores__compute,
 * capacity__refresh, materialized_views__refresh.
 */
export const taskList = {
  metrics__refresh,
  partitions__create_ahead,
} satisfies TaskList;

export type TaskIdentifier = keyof typeof taskList;

export const taskIdentifiers = Object.keys(taskList) as TaskIdentifier[];
