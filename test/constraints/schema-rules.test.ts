import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * Rules about the schema as a whole: partition copies of a constraint report their parent's name and
 * sentence, every foreign key states its delete rule, every updated_at is kept by a trigger.
 */
const test = databaseSuite('schema-wide rules');

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

test('every foreign key states its delete rule, and none reaching an interaction cascades its updates', async ({
  pool,
}) => {
  const { rows } = await pool.query(`
    select con.conname
      from pg_constraint con
      join pg_class t on t.oid = con.conrelid
      join pg_namespace n on n.oid = t.relnamespace
     where n.nspname = 'cx' and con.contype = 'f' and con.conparentid = 0
       and (con.confdeltype = 'a'
            -- a cascaded update is a write no write function sees (its history, buckets and
            -- dependents would not follow): an interaction moves with its follow-ups in one
            -- cx.correct_interactions batch (migration 000047)
            or (con.confrelid = 'cx.customer_interactions'::regclass and con.confupdtype = 'c'))
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
