import type { TaskList } from 'graphile-worker';
import { capacity__refresh } from './tasks/capacity__refresh.js';
import { cx_scores__compute } from './tasks/cx_scores__compute.js';
import { materialized_views__refresh } from './tasks/materialized_views__refresh.js';
import { metrics__refresh } from './tasks/metrics__refresh.js';
import { partitions__create_ahead } from './tasks/partitions__create_ahead.js';
import { performance__refresh } from './tasks/performance__refresh.js';
import { thresholds__check } from './tasks/thresholds__check.js';

/**
 * Every task the worker runs, by identifier: `<subject>__<action>`, one file in tasks/, one small
 * action whose work is SQL. Jobs come from SQL (writers' triggers add metrics__refresh), from the
 * tasks themselves, and from the crontab (crontab.ts).
 *
 * Adding a task is one import and one line here (and a crontab line if it is periodic).
 */
export const taskList = {
  metrics__refresh,
  thresholds__check,
  materialized_views__refresh,
  capacity__refresh,
  performance__refresh,
  cx_scores__compute,
  partitions__create_ahead,
} satisfies TaskList;

export type TaskIdentifier = keyof typeof taskList;

export const taskIdentifiers = Object.keys(taskList) as TaskIdentifier[];
