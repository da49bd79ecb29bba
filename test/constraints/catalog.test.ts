import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * The schema is its own data dictionary and every constraint has a sentence: these tests list what
 * is missing, so a failure names it.
 */
const test = databaseSuite('constraint messages and data dictionary');

/** Rules enforced by triggers that report these names in the error's constraint field. */
const TRIGGER_RULES = [
  'agent_status_history_status_changed_at_order',
  'customer_interactions_customer_missing',
  'customer_interactions_escalation_irreversible',
  'customer_interactions_initial_mode_fixed',
  'customer_interactions_interaction_mode_consistent',
  'interaction_steps_escalation_irreversible',
];

test('every constraint and unique index of the data model has a message', async ({ pool }) => {
  const { rows } = await pool.query(`
    with named as (
      select con.conname as name
        from pg_constraint con
        join pg_class t on t.oid = con.conrelid
        join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = 'cx' and not t.relispartition and con.contype in ('c', 'u', 'p', 'f', 'x')
         -- a foreign key to a partitioned table has one internal copy per partition; errors name the parent
         and con.conparentid = 0
      union
      select i.relname
        from pg_index x
        join pg_class i on i.oid = x.indexrelid
        join pg_class t on t.oid = x.indrelid
        join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = 'cx' and not t.relispartition and x.indisunique
    )
    select name from named
     where name not in (select constraint_name from cx_private.constraint_messages)
     order by name`);
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('every message names a real constraint, index or trigger rule', async ({ pool }) => {
  const { rows } = await pool.query(
    `select m.constraint_name from cx_private.constraint_messages m
      where not exists (select 1 from pg_constraint c where c.conname = m.constraint_name)
        and not exists (select 1 from pg_class i where i.relname = m.constraint_name and i.relkind in ('i', 'I'))
        and m.constraint_name <> all($1)
      order by 1`,
    [TRIGGER_RULES],
  );
  assert.equal(
    rows.map((r) => r.constraint_name),
    [],
  );
  const { rows: sentences } = await pool.query('select cx.constraint_message($1) as message', [
    'customer_feedback_nps_score_range',
  ]);
  assert.is(sentences[0].message, 'nps_score must be a whole number from 0 to 10');
});

test('every table, view, column, index and function is commented', async ({ pool }) => {
  const { rows } = await pool.query(`
    select kind || ' ' || name as missing from (
      select 'table' as kind, c.oid::regclass::text as name, obj_description(c.oid, 'pg_class') as comment
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('cx', 'cx_private') and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
      union all
      select 'table', c.oid::regclass::text, obj_description(c.oid, 'pg_class')
        from pg_class c where c.oid in ('cx.customer_interactions_default'::regclass, 'cx.interaction_steps_default'::regclass)
      union all
      select 'column', c.oid::regclass::text || '.' || a.attname, col_description(c.oid, a.attnum)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where n.nspname in ('cx', 'cx_private') and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
      union all
      select 'index', i.oid::regclass::text, obj_description(i.oid, 'pg_class')
        from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
        join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = 'cx' and not t.relispartition and not x.indisprimary
         and not exists (select 1 from pg_constraint k where k.conindid = i.oid and k.contype = 'u')
      union all
      select 'function', p.oid::regprocedure::text, obj_description(p.oid, 'pg_proc')
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('cx', 'cx_private')
    ) objects
    where comment is null or btrim(comment) = ''
    order by 1`);
  assert.equal(
    rows.map((r) => r.missing),
    [],
  );
});

test("the catalog lists each constraint once; partition constraint names find their parent's sentence", async ({
  pool,
}) => {
  const { rows } = await pool.query(
    'select count(*)::int as listed, count(distinct constraint_name)::int as names from cx.constraint_catalog()',
  );
  assert.is(rows[0].listed, rows[0].names);
  const { rows: names } = await pool.query(
    `select cx.constraint_message('customer_interactions_y2026m11_pkey') as monthly,
            cx.constraint_message('interaction_steps_default_pkey') as fallback,
            cx.parent_constraint_name('customers_msisdn_unique') as unchanged`,
  );
  assert.equal(names[0], {
    monthly: 'an interaction with this interaction_id and start_timestamp already exists for the customer',
    fallback: 'a step with this step_id already exists for the interaction',
    unchanged: 'customers_msisdn_unique',
  });
});

test('every foreign key states its delete rule, and those reaching a partition key cascade updates', async ({
  pool,
}) => {
  const { rows } = await pool.query(`
    select con.conname
      from pg_constraint con
      join pg_class t on t.oid = con.conrelid
      join pg_namespace n on n.oid = t.relnamespace
     where n.nspname = 'cx' and con.contype = 'f' and con.conparentid = 0
       and (con.confdeltype = 'a'
            or (con.confrelid = 'cx.customer_interactions'::regclass and con.confupdtype <> 'c'))
     order by 1`);
  assert.equal(
    rows.map((r) => r.conname),
    [],
  );
});

test('every table with updated_at keeps it current', async ({ pool }) => {
  const { rows } = await pool.query(`
    select c.relname
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at'
     where n.nspname = 'cx' and c.relkind in ('r', 'p') and not c.relispartition
       and not exists (
         select 1 from pg_trigger tg join pg_proc p on p.oid = tg.tgfoid
          where tg.tgrelid = c.oid and p.prosrc like '%new.updated_at :=%')
     order by 1`);
  assert.equal(
    rows.map((r) => r.relname),
    [],
  );
  const { rows: touched } = await pool.query(`
    with changed as (
      update cx.channels set display_name = display_name where channel_name = 'sms' returning updated_at
    ) select updated_at > now() - interval '1 minute' and updated_at <= now() as fresh from changed`);
  assert.equal(touched, [{ fresh: true }]);
});

test.run();
