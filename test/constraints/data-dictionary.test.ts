import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * The schema is its own data dictionary (DESIGN.md §2): every table, view, column, index and
 * function carries a `comment on`. Each test lists the undocumented objects, so a failure names
 * them. Partitions are left out (their comments are written by cx.create_monthly_partitions), as
 * are objects that belong to extensions.
 */
const test = databaseSuite('data dictionary');

const SCHEMAS = ['cx', 'cx_private'];

/** Comments that say nothing count as missing. */
const UNDOCUMENTED = "(comment is null or btrim(comment) = '')";

test('every table and view of cx and cx_private is commented', async ({ pool }) => {
  const { rows } = await pool.query(
    `select name from (
       select c.oid::regclass::text as name, obj_description(c.oid, 'pg_class') as comment
         from pg_class c
        where c.relnamespace = any($1::regnamespace[]) and c.relkind in ('r', 'p', 'v', 'm', 'f') and not c.relispartition
          and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
     ) tables
     where ${UNDOCUMENTED}
     order by 1`,
    [SCHEMAS],
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('every column of every table is commented', async ({ pool }) => {
  const { rows } = await pool.query(
    `select name from (
       select c.oid::regclass::text || '.' || a.attname as name, col_description(c.oid, a.attnum) as comment
         from pg_class c
         join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where c.relnamespace = any($1::regnamespace[]) and c.relkind in ('r', 'p', 'f') and not c.relispartition
     ) columns
     where ${UNDOCUMENTED}
     order by 1`,
    [SCHEMAS],
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('every column of every view is commented', async ({ pool }) => {
  const { rows } = await pool.query(
    `select name from (
       select c.oid::regclass::text || '.' || a.attname as name, col_description(c.oid, a.attnum) as comment
         from pg_class c
         join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where c.relnamespace = any($1::regnamespace[]) and c.relkind in ('v', 'm')
     ) columns
     where ${UNDOCUMENTED}
     order by 1`,
    [SCHEMAS],
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('every function of cx and cx_private is commented', async ({ pool }) => {
  const { rows } = await pool.query(
    `select name from (
       select p.oid::regprocedure::text as name, obj_description(p.oid, 'pg_proc') as comment
         from pg_proc p
        where p.pronamespace = any($1::regnamespace[])
          and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     ) functions
     where ${UNDOCUMENTED}
     order by 1`,
    [SCHEMAS],
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

/**
 * An index made by a PRIMARY KEY or UNIQUE constraint is documented by its constraint's sentence
 * in the message catalog; every other index (plain, partial unique, exclusion) says why it exists.
 */
test('every index of a table of cx says why it exists', async ({ pool }) => {
  const { rows } = await pool.query(
    `select name from (
       select i.oid::regclass::text as name, obj_description(i.oid, 'pg_class') as comment
         from pg_index x
         join pg_class i on i.oid = x.indexrelid
         join pg_class t on t.oid = x.indrelid
        where t.relnamespace = 'cx'::regnamespace and not t.relispartition
          and not exists (select 1 from pg_constraint con where con.conindid = i.oid and con.contype in ('p', 'u'))
     ) indexes
     where ${UNDOCUMENTED}
     order by 1`,
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('the listings above see the data model: its tables, columns, functions and indexes', async ({
  pool,
}) => {
  const { rows } = await pool.query(
    `select (select count(*)::int from pg_class c
              where c.relnamespace = 'cx'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition) as tables,
            (select count(*)::int from pg_attribute a
              where a.attrelid = 'cx.customer_interactions'::regclass and a.attnum > 0 and not a.attisdropped) as interaction_columns,
            (select count(*)::int from pg_class c
              where c.relnamespace = 'cx'::regnamespace and c.relkind = 'v') > 0 as has_views,
            to_regprocedure('cx.constraint_message(text)') is not null as has_functions`,
  );
  assert.equal(rows[0], { tables: 26, interaction_columns: 46, has_views: true, has_functions: true });
});

test.run();
