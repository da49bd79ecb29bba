import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * Triggers keep row-local rules only: on Citus a distributed table's trigger runs on each shard,
 * where a query on another distributed or coordinator-local table fails ("cannot execute a
 * distributed query from a query on a shard"), and a reference table's trigger runs once per copy,
 * repeating its side effects (DESIGN.md §5, issue 15). Rules that read or write other rows belong
 * in the set-based write functions every writer calls.
 *
 * The test reads every trigger function on a table of cx, follows the functions it calls (every
 * reference in these functions is schema-qualified: their search_path is pg_catalog) and lists the
 * relations it reaches besides its own table. Each one left must be in the list below with the
 * reason; the list must be exact, so a rule moved out of its trigger leaves it too.
 */
const test = databaseSuite('schema: triggers keep row-local rules');

/** trigger function on table -> the other relations it reaches, and why it may. */
const ALLOWED: Record<string, [relations: string, why: string]> = {
  'cx_private.tg_customer_interactions__cascade_dependents on cx.customer_interactions': [
    'cx.customer_feedback, cx.interaction_external_refs, cx.interaction_outcomes, cx.interaction_steps, cx.journey_touchpoints',
    'an owner resetting the table (TRUNCATE): write functions do not truncate',
  ],
  'cx_private.tg_customer_interactions__times_in_window on cx.customer_interactions': [
    'cx.settings',
    // measured on Citus 13.2: it passes on the shards (a reference table has a local copy there)
    'reads only the accepted window of times from settings, a reference table, and writes nothing',
  ],
  'cx_private.tg_customer_service_plans__copy_plan_kind on cx.customer_service_plans': [
    'cx.service_plans',
    'a row trigger that reads only the plan kind from service_plans, a reference table, and sets its own row (not yet measured on Citus)',
  ],
  'cx_private.tg_interaction_steps__check_inputs on cx.interaction_steps': [
    'cx.agents, cx.settings',
    // measured on Citus 13.2: joining the transition table to agents could not be planned ("unrecognized
    // RTE kind: 7"); reading agents by arrays taken from the rows passes on the shards (migration 000039)
    'reads only agents and settings, reference tables, by arrays taken from its own rows; writes nothing',
  ],
  'cx_private.tg_performance_thresholds__defaults on cx.performance_thresholds': [
    'cx.metrics',
    "a row trigger that reads only the metric's direction from metrics, a reference table, and sets its own row: every copy computes the same (not yet measured on Citus)",
  ],
};

/** Every trigger function of a cx table, with the relations besides its own that it reaches. */
const REACH = `
  with recursive fn as (
    select p.oid, n.nspname || '.' || p.proname as name, p.prosrc
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname in ('cx', 'cx_private')
  ),
  named as (
    select distinct f.oid, lower(m[1] || '.' || m[2]) as ref
      from fn f, regexp_matches(f.prosrc, '\\m(cx|cx_private)\\.([a-z_][a-z0-9_]*)', 'gi') m
  ),
  relations as (
    select nm.oid, nm.ref
      from named nm
      join pg_class c on c.relname = split_part(nm.ref, '.', 2) and c.relkind in ('r', 'p', 'v', 'm', 'f')
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = split_part(nm.ref, '.', 1)
  ),
  calls as (
    select distinct nm.oid as caller, f.oid as callee from named nm join fn f on f.name = nm.ref
  ),
  reach (root, oid) as (
    select oid, oid from fn
    union
    select r.root, c.callee from reach r join calls c on c.caller = r.oid
  ),
  triggers as (
    select distinct t.tgfoid, n.nspname || '.' || c.relname as own
      from pg_trigger t
      join pg_class c on c.oid = t.tgrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'cx' and not t.tgisinternal and not c.relispartition
  )
  select f.name || ' on ' || t.own as trigger, string_agg(distinct rl.ref, ', ' order by rl.ref) as relations
    from triggers t
    join fn f on f.oid = t.tgfoid
    join reach r on r.root = f.oid
    join relations rl on rl.oid = r.oid and rl.ref <> t.own
   group by 1
   order by 1`;

test('every trigger that reaches beyond its own row is listed, with the reason', async ({ pool }) => {
  const { rows } = await pool.query(REACH);
  const reached = Object.fromEntries(rows.map((r) => [r.trigger as string, r.relations as string]));
  const allowed = Object.fromEntries(Object.entries(ALLOWED).map(([name, [relations]]) => [name, relations]));
  assert.equal(reached, allowed);
});

test('the reach follows calls: a trigger that calls a function reading a table reaches it', async ({
  pool,
}) => {
  // the accepted-times check names no settings table itself: cx_private.timestamp_window() reads it
  const { rows } = await pool.query(
    `select prosrc ~ 'cx\\.settings' as names_them from pg_proc
      where proname = 'tg_customer_interactions__times_in_window'`,
  );
  assert.equal(rows, [{ names_them: false }]);
  const reach = await pool.query(REACH);
  assert.equal(
    reach.rows.find((r) => r.trigger.startsWith('cx_private.tg_customer_interactions__times_in_window '))
      ?.relations,
    'cx.settings',
  );
});

test.run();
