import type pg from 'pg';
import { taskIdentifiers } from './task-list.js';

/**
 * graphile-worker records a task identifier the first time a job names it, with an INSERT ... ON
 * CONFLICT DO NOTHING into its task table; concurrent first inserts of one identifier wait until
 * the first commits. Writers' triggers add metrics__refresh jobs, so the first writers of a new
 * database would wait on each other, in open transactions, until the worker had run once.
 * Registering every identifier when the worker schema is installed (the statement the worker
 * itself runs when it starts) means no writer ever does that insert.
 */
export async function registerTaskIdentifiers(db: pg.Pool | pg.ClientBase): Promise<void> {
  await db.query(
    'insert into graphile_worker._private_tasks as tasks (identifier) select unnest($1::text[]) on conflict do nothing',
    [taskIdentifiers],
  );
}
