import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

/**
 * The message catalog (cx_private.constraint_messages) turns every constraint name an error can
 * carry into a sentence (DESIGN.md §2). These tests list what is missing or stray, so a failure
 * names it.
 */
const test = databaseSuite('constraint message catalog');

/** Rules raised by triggers and write functions under these names: catalogued, but no constraint or index has them. */
const TRIGGER_RULES = [
  'agent_status_history_status_changed_at_order',
  'customer_feedback_interaction_fkey',
  'customer_interactions_customer_missing',
  'customer_interactions_end_timestamp_in_window',
  'customer_interactions_escalation_irreversible',
  'customer_interactions_initial_mode_fixed',
  'customer_interactions_interaction_id_fixed',
  'customer_interactions_interaction_id_shared',
  'customer_interactions_interaction_mode_consistent',
  'customer_interactions_missing',
  'customer_interactions_start_timestamp_in_window',
  'interaction_outcomes_interaction_fkey',
  'interaction_steps_agent_id_kind',
  'interaction_steps_ended_at_in_window',
  'interaction_steps_escalation_irreversible',
  'interaction_steps_interaction_missing',
  'interaction_steps_started_at_in_window',
  'journey_touchpoints_interaction_fkey',
  'performance_thresholds_direction_known',
];

/**
 * Trigger-raised rules whose catalog row names the table and columns they guard (the others name
 * none: their errors name their column themselves).
 */
const REFERENCE = ['customer_id', 'interaction_id', 'interaction_start_timestamp'];
const TRIGGER_RULE_FIELDS: Record<string, { table: string; fields: string[] }> = {
  customer_feedback_interaction_fkey: { table: 'customer_feedback', fields: REFERENCE },
  journey_touchpoints_interaction_fkey: { table: 'journey_touchpoints', fields: REFERENCE },
  interaction_outcomes_interaction_fkey: { table: 'interaction_outcomes', fields: REFERENCE },
  customer_interactions_interaction_id_fixed: { table: 'customer_interactions', fields: ['interaction_id'] },
  customer_interactions_interaction_id_shared: { table: 'customer_interactions', fields: ['interaction_id'] },
  customer_interactions_missing: { table: 'customer_interactions', fields: ['interaction_id'] },
  interaction_steps_interaction_missing: { table: 'interaction_steps', fields: ['interaction_id'] },
  customer_interactions_start_timestamp_in_window: {
    table: 'customer_interactions',
    fields: ['start_timestamp'],
  },
  customer_interactions_end_timestamp_in_window: {
    table: 'customer_interactions',
    fields: ['end_timestamp'],
  },
  interaction_steps_started_at_in_window: { table: 'interaction_steps', fields: ['started_at'] },
  interaction_steps_ended_at_in_window: { table: 'interaction_steps', fields: ['ended_at'] },
  interaction_steps_agent_id_kind: { table: 'interaction_steps', fields: ['agent_id'] },
};
const TRIGGER_RULES_WITHOUT_FIELDS = TRIGGER_RULES.filter((name) => !(name in TRIGGER_RULE_FIELDS));

/**
 * Every named constraint of the tables of cx that are not partitions (NOT NULL left out: PostgreSQL
 * names those itself), and every unique or exclusion index of those tables. A foreign key that
 * references a partitioned table has a copy per referenced partition (conparentid <> 0); errors
 * carry the parent's name, so only the parent counts.
 */
const NAMED_RULES = `
  select con.conname::text as name, t.relname::text as table_name
    from pg_constraint con
    join pg_class t on t.oid = con.conrelid
   where t.relnamespace = 'cx'::regnamespace and not t.relispartition
     and con.contype in ('c', 'u', 'p', 'f', 'x') and con.conparentid = 0
  union
  select i.relname::text, t.relname::text
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
   where t.relnamespace = 'cx'::regnamespace and not t.relispartition and (x.indisunique or x.indisexclusion)
     and t.relkind <> 'm'`;

test('every constraint and every unique or exclusion index has a sentence', async ({ pool }) => {
  const { rows } = await pool.query(
    `select r.name from (${NAMED_RULES}) r
      where not exists (select 1 from cx_private.constraint_messages m where m.constraint_name = r.name)
      order by 1`,
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('every sentence belongs to a constraint, an index or a trigger-raised rule', async ({ pool }) => {
  const { rows } = await pool.query(
    `select m.constraint_name from cx_private.constraint_messages m
      where m.constraint_name not in (select r.name from (${NAMED_RULES}) r)
        and m.constraint_name <> all($1::text[])
      order by 1`,
    [TRIGGER_RULES],
  );
  assert.equal(
    rows.map((r) => r.constraint_name),
    [],
  );
});

test('the trigger-raised rules are catalogued and are not constraints', async ({ pool }) => {
  const { rows } = await pool.query(
    `select m.constraint_name,
            exists (select 1 from pg_constraint c where c.conname = m.constraint_name)
            or exists (select 1 from pg_class i where i.relname = m.constraint_name) as is_object
       from cx_private.constraint_messages m
      where m.constraint_name = any($1::text[])
      order by 1`,
    [TRIGGER_RULES],
  );
  assert.equal(
    rows,
    TRIGGER_RULES.map((name) => ({ constraint_name: name, is_object: false })),
  );
});

test('every sentence is a sentence: not blank, no padding, starting in lower case', async ({ pool }) => {
  const { rows } = await pool.query(
    `select constraint_name from cx_private.constraint_messages
      where btrim(message) = '' or message <> btrim(message) or message !~ '^[a-z]'
      order by 1`,
  );
  assert.equal(
    rows.map((r) => r.constraint_name),
    [],
  );
});

test('every constraint and index name starts with its table name', async ({ pool }) => {
  const { rows } = await pool.query(
    `select r.name from (${NAMED_RULES}) r where left(r.name, length(r.table_name) + 1) <> r.table_name || '_' order by 1`,
  );
  assert.equal(
    rows.map((r) => r.name),
    [],
  );
});

test('cx.constraint_message reads the catalog: a sentence for a known name, null otherwise', async ({
  pool,
}) => {
  const { rows } = await pool.query(
    `select cx.constraint_message('customer_feedback_csat_score_range') as known,
            cx.constraint_message('customers_msisdn_unique') as index_rule,
            cx.constraint_message('customer_interactions_escalation_irreversible') as trigger_rule,
            cx.constraint_message('no_such_constraint') as unknown,
            cx.constraint_message(null) as nothing`,
  );
  assert.equal(rows[0], {
    known: 'csat_score must be a whole number from 1 to 5',
    index_rule: 'msisdn is already held by another customer who has not churned',
    trigger_rule: 'an escalation cannot be undone: escalated_to_human stays true once set',
    unknown: null,
    nothing: null,
  });
});

test('cx.constraint_catalog lists every catalogued name once, with its table and columns', async ({
  pool,
}) => {
  const { rows } = await pool.query(
    `select (select count(*)::int from cx_private.constraint_messages) as catalogued,
            count(*)::int as listed,
            count(distinct constraint_name)::int as distinct_names,
            coalesce(array_agg(distinct constraint_name) filter (
              where table_name in (select relname from pg_class where relispartition)), '{}') as on_partitions,
            coalesce(array_agg(distinct constraint_name) filter (where table_name is null), '{}') as without_table,
            coalesce(array_agg(distinct constraint_name) filter (where field_names = '{}'), '{}') as without_fields
       from cx.constraint_catalog()`,
  );
  const [row] = rows;
  assert.equal(
    {
      listed: row.listed,
      distinct: row.distinct_names,
      onPartitions: row.on_partitions,
      withoutTable: row.without_table,
      withoutFields: row.without_fields,
    },
    {
      listed: row.catalogued,
      distinct: row.catalogued,
      onPartitions: [],
      withoutTable: TRIGGER_RULES_WITHOUT_FIELDS,
      withoutFields: TRIGGER_RULES_WITHOUT_FIELDS,
    },
  );
});

test('cx.constraint_catalog lists a trigger-raised rule with the table and columns its catalog row names', async ({
  pool,
}) => {
  const { rows } = await pool.query(
    `select constraint_name, table_name, field_names from cx.constraint_catalog()
      where constraint_name = any($1::text[]) order by 1`,
    [Object.keys(TRIGGER_RULE_FIELDS)],
  );
  assert.equal(
    Object.fromEntries(rows.map((r) => [r.constraint_name, { table: r.table_name, fields: r.field_names }])),
    TRIGGER_RULE_FIELDS,
  );
});

test('the tables and columns catalog rows name exist in cx', async ({ pool }) => {
  const { rows } = await pool.query(
    `select m.constraint_name
       from cx_private.constraint_messages m
      where (m.table_name is not null or m.field_names is not null)
        and (to_regclass('cx.' || quote_ident(m.table_name)) is null
             or m.field_names is null or cardinality(m.field_names) = 0
             or exists (select 1 from unnest(m.field_names) f
                         where not exists (select 1 from pg_attribute a
                                            where a.attrelid = to_regclass('cx.' || quote_ident(m.table_name))
                                              and a.attname = f and a.attnum > 0 and not a.attisdropped)))
      order by 1`,
  );
  assert.equal(
    rows.map((r) => r.constraint_name),
    [],
  );
});

test.run();
