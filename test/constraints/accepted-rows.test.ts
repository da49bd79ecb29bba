import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * The good side of the constraints: the values at the edge of what a rule allows are accepted,
 * the first ones past it are refused, and the rules that compare rows (MSISDN and channel-name
 * uniqueness, plan assignments, agent status intervals) refuse exactly the rows that collide.
 * Each test runs in a transaction that is rolled back.
 */
const test = databaseSuite('constraints accept what they allow');

interface Refused {
  code: string;
  constraint: string;
}

/** Runs one statement under a savepoint: undefined when it was accepted, else the error (the transaction goes on). */
async function attempt(db: pg.PoolClient, sql: string, values: unknown[] = []): Promise<Refused | undefined> {
  await db.query('savepoint attempt');
  try {
    await db.query(sql, values);
    await db.query('release savepoint attempt');
    return undefined;
  } catch (error) {
    await db.query('rollback to savepoint attempt');
    const { code, constraint } = error as Refused;
    return { code, constraint };
  }
}

const UNIQUE = (constraint: string): Refused => ({ code: '23505', constraint });
const CHECK = (constraint: string): Refused => ({ code: '23514', constraint });
const EXCLUSION = (constraint: string): Refused => ({ code: '23P01', constraint });

const insertCustomer = `insert into cx.customers (msisdn, customer_type, region, account_status, churned_at)
  values ($1, 'prepaid', 'DEUR', $2, case when $2 = 'churned' then '2026-01-01T00:00:00Z'::timestamptz end)`;

// MSISDN: E.164, unique among customers who have not churned

for (const msisdn of [
  '+4915112345678',
  '+12025550123',
  '+447911123456',
  '+8613800138000',
  '+1234567',
  '+123456789012345',
]) {
  test(`msisdn ${msisdn} is E.164 and accepted`, async ({ pool }) => {
    const stored = await inRollbackTransaction(pool, async (db) => {
      await db.query(insertCustomer, [msisdn, 'active']);
      return (await db.query('select msisdn from cx.customers where msisdn = $1', [msisdn])).rows;
    });
    assert.equal(stored, [{ msisdn }]);
  });
}

for (const [msisdn, why] of [
  ['4915112345678', 'no leading +'],
  ['004915112345678', 'an international prefix instead of +'],
  ['+04915112345678', 'a country code starting with 0'],
  ['+123456', '6 digits'],
  ['+1234567890123456', '16 digits'],
  ['+49 151 12345678', 'spaces'],
  ['+49-151-12345678', 'hyphens'],
  ['+4915112345a78', 'a letter'],
  ['+', 'no digits'],
]) {
  test(`msisdn ${JSON.stringify(msisdn)} is refused: ${why}`, async ({ pool }) => {
    const error = await inRollbackTransaction(pool, (db) => attempt(db, insertCustomer, [msisdn, 'active']));
    assert.equal(error, CHECK('customers_msisdn_e164'));
  });
}

test("a churned customer's number can be given to a new customer", async ({ pool }) => {
  const holders = await inRollbackTransaction(pool, async (db) => {
    await db.query(insertCustomer, ['+491705550001', 'churned']);
    await db.query(insertCustomer, ['+491705550001', 'active']);
    await db.query(insertCustomer, ['+491705550001', 'churned']);
    const { rows } = await db.query(
      "select account_status, count(*)::int as n from cx.customers where msisdn = '+491705550001' group by 1 order by 1",
    );
    return rows;
  });
  assert.equal(holders, [
    { account_status: 'active', n: 1 },
    { account_status: 'churned', n: 2 },
  ]);
});

for (const holder of ['active', 'suspended', 'inactive']) {
  test(`a number held by a ${holder} customer cannot be given to another customer`, async ({ pool }) => {
    const errors = await inRollbackTransaction(pool, async (db) => {
      await db.query(insertCustomer, ['+491705550002', holder]);
      return [
        await attempt(db, insertCustomer, ['+491705550002', 'active']),
        await attempt(db, insertCustomer, ['+491705550002', 'suspended']),
      ];
    });
    assert.equal(errors, [UNIQUE('customers_msisdn_unique'), UNIQUE('customers_msisdn_unique')]);
  });
}

test('a churned customer cannot come back while the number is held; churning frees it', async ({ pool }) => {
  const outcome = await inRollbackTransaction(pool, async (db) => {
    await db.query(insertCustomer, ['+491705550003', 'churned']);
    await db.query(insertCustomer, ['+491705550003', 'active']);
    const comeBack = await attempt(
      db,
      "update cx.customers set account_status = 'active', churned_at = null where msisdn = '+491705550003' and account_status = 'churned'",
    );
    await db.query(
      "update cx.customers set account_status = 'churned', churned_at = '2026-06-01T00:00:00Z' where msisdn = '+491705550003'",
    );
    const newHolder = await attempt(db, insertCustomer, ['+491705550003', 'active']);
    return { comeBack, newHolder };
  });
  assert.equal(outcome, { comeBack: UNIQUE('customers_msisdn_unique'), newHolder: undefined });
});

test('one statement giving one number to two customers is refused whole', async ({ pool }) => {
  const outcome = await inRollbackTransaction(pool, async (db) => {
    const error = await attempt(
      db,
      `insert into cx.customers (msisdn, customer_type, region) values
         ('+491705550004', 'prepaid', 'DEUR'), ('+491705550005', 'prepaid', 'R9'), ('+491705550004', 'postpaid', 'R9')`,
    );
    const { rows } = await db.query(
      "select count(*)::int as n from cx.customers where msisdn in ('+491705550004', '+491705550005')",
    );
    return { error, stored: rows[0].n };
  });
  assert.equal(outcome, { error: UNIQUE('customers_msisdn_unique'), stored: 0 });
});

// channel names

test('channel names are unique; a name freed by renaming can be taken', async ({ pool }) => {
  const outcome = await inRollbackTransaction(pool, async (db) => {
    const insertChannel = "insert into cx.channels (channel_name, display_name) values ($1, 'A channel')";
    const taken = await attempt(db, insertChannel, ['chatbot']);
    const fresh = await attempt(db, insertChannel, ['rcs_chat']);
    const again = await attempt(db, insertChannel, ['rcs_chat']);
    await db.query("update cx.channels set channel_name = 'sms_legacy' where channel_name = 'sms'");
    const freed = await attempt(db, insertChannel, ['sms']);
    const { rows } = await db.query(
      "select channel_name from cx.channels where channel_name in ('chatbot', 'rcs_chat', 'sms', 'sms_legacy') order by 1",
    );
    return { taken, fresh, again, freed, names: rows.map((r) => r.channel_name) };
  });
  assert.equal(outcome, {
    taken: UNIQUE('channels_channel_name_unique'),
    fresh: undefined,
    again: UNIQUE('channels_channel_name_unique'),
    freed: undefined,
    names: ['chatbot', 'rcs_chat', 'sms', 'sms_legacy'],
  });
});

// score scales: CSAT 1-5, NPS 0-10, CES 1-7, journey satisfaction 1-5

interface Scale {
  table: 'customer_feedback' | 'customer_interactions' | 'customer_journey_sessions';
  column: string;
  constraint: string;
  lowest: number;
  highest: number;
}

const SCALES: Scale[] = [
  {
    table: 'customer_feedback',
    column: 'csat_score',
    constraint: 'customer_feedback_csat_score_range',
    lowest: 1,
    highest: 5,
  },
  {
    table: 'customer_feedback',
    column: 'nps_score',
    constraint: 'customer_feedback_nps_score_range',
    lowest: 0,
    highest: 10,
  },
  {
    table: 'customer_feedback',
    column: 'ces_score',
    constraint: 'customer_feedback_ces_score_range',
    lowest: 1,
    highest: 7,
  },
  {
    table: 'customer_interactions',
    column: 'customer_satisfaction_score',
    constraint: 'customer_interactions_customer_satisfaction_score_range',
    lowest: 1,
    highest: 5,
  },
  {
    table: 'customer_interactions',
    column: 'nps_score',
    constraint: 'customer_interactions_nps_score_range',
    lowest: 0,
    highest: 10,
  },
  {
    table: 'customer_interactions',
    column: 'customer_effort_score',
    constraint: 'customer_interactions_customer_effort_score_range',
    lowest: 1,
    highest: 7,
  },
  {
    table: 'customer_journey_sessions',
    column: 'journey_satisfaction_score',
    constraint: 'customer_journey_sessions_journey_satisfaction_score_range',
    lowest: 1,
    highest: 5,
  },
];

/** One row of the table with the score, for a new customer (an interaction through cx.record_interactions). */
function scoreInsert(table: Scale['table'], column: string): string {
  switch (table) {
    case 'customer_feedback':
      return `insert into cx.customer_feedback (customer_id, ${column}) values ($1, $2)`;
    case 'customer_interactions':
      return `select * from cx.record_interactions(jsonb_build_array(jsonb_build_object(
                'customer_id', $1::uuid, 'start_timestamp', '2026-11-02T10:00:00Z'::timestamptz,
                'channel_id', (select channel_id from cx.channels where channel_name = 'chatbot'), 'initial_mode', 'bot',
                '${column}', $2::integer)))`;
    case 'customer_journey_sessions':
      return `insert into cx.customer_journey_sessions (customer_id, start_timestamp, ${column}) values ($1, '2026-11-02T08:00:00Z', $2)`;
  }
}

for (const { table, column, constraint, lowest, highest } of SCALES) {
  test(`${table}.${column} accepts ${lowest} and ${highest}, refuses ${lowest - 1} and ${highest + 1}`, async ({
    pool,
  }) => {
    const outcome = await inRollbackTransaction(pool, async (db) => {
      const customerId = await given.customer(db);
      const sql = scoreInsert(table, column);
      const results = {
        below: await attempt(db, sql, [customerId, lowest - 1]),
        lowest: await attempt(db, sql, [customerId, lowest]),
        highest: await attempt(db, sql, [customerId, highest]),
        above: await attempt(db, sql, [customerId, highest + 1]),
      };
      const { rows } = await db.query(
        `select array_agg(${column} order by ${column}) as stored from cx.${table} where customer_id = $1`,
        [customerId],
      );
      return { ...results, stored: rows[0].stored };
    });
    assert.equal(outcome, {
      below: CHECK(constraint),
      lowest: undefined,
      highest: undefined,
      above: CHECK(constraint),
      stored: [lowest, highest],
    });
  });
}

test('survey templates accept the standard scales and custom ones of their own', async ({ pool }) => {
  const outcome = await inRollbackTransaction(pool, async (db) => {
    const insertTemplate = `insert into cx.survey_templates (template_code, template_name, survey_type, scale_min, scale_max)
                            values ($1, $1, $2, $3, $4)`;
    return [
      await attempt(db, insertTemplate, ['csat_five', 'csat', 1, 5]),
      await attempt(db, insertTemplate, ['nps_eleven', 'nps', 0, 10]),
      await attempt(db, insertTemplate, ['ces_seven', 'ces', 1, 7]),
      await attempt(db, insertTemplate, ['csat_default', 'csat', null, null]),
      await attempt(db, insertTemplate, ['custom_percent', 'custom', 0, 100]),
      await attempt(db, insertTemplate, ['csat_ten', 'csat', 1, 10]),
    ];
  });
  assert.equal(outcome, [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    CHECK('survey_templates_scale_standard'),
  ]);
});

// plan assignments: one plan of each kind at a time

test('plan assignments: adjacent periods and other kinds are accepted, overlaps of one kind refused', async ({
  pool,
}) => {
  const outcome = await inRollbackTransaction(pool, async (db) => {
    const plan = async (code: string, kind: string) =>
      (
        await db.query(
          'insert into cx.service_plans (plan_code, plan_name, plan_kind) values ($1, $1, $2) returning service_plan_id',
          [code, kind],
        )
      ).rows[0].service_plan_id as string;
    const dataS = await plan('data-s', 'data');
    const dataL = await plan('data-l', 'data');
    const voice = await plan('voice-flat', 'voice');
    const customerId = await given.customer(db);
    const otherCustomerId = await given.customer(db);
    const assign = (customer: string, servicePlanId: string, from: string, to: string | null) =>
      attempt(
        db,
        'insert into cx.customer_service_plans (customer_id, service_plan_id, valid_from, valid_to) values ($1, $2, $3, $4)',
        [customer, servicePlanId, from, to],
      );
    const results = {
      first: await assign(customerId, dataS, '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'),
      adjacent: await assign(customerId, dataL, '2026-07-01T00:00:00Z', null),
      otherKind: await assign(customerId, voice, '2026-03-01T00:00:00Z', null),
      otherCustomer: await assign(otherCustomerId, dataS, '2026-03-01T00:00:00Z', null),
      overlapping: await assign(customerId, dataS, '2026-06-30T00:00:00Z', '2026-07-02T00:00:00Z'),
      insideOpenEnded: await assign(customerId, dataS, '2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z'),
    };
    const { rows } = await db.query(
      `select sp.plan_code, csp.plan_kind from cx.customer_service_plans csp
         join cx.service_plans sp using (service_plan_id)
        where csp.customer_id = $1 order by csp.valid_from`,
      [customerId],
    );
    return { ...results, held: rows };
  });
  assert.equal(outcome, {
    first: undefined,
    adjacent: undefined,
    otherKind: undefined,
    otherCustomer: undefined,
    overlapping: EXCLUSION('customer_service_plans_no_overlap'),
    insideOpenEnded: EXCLUSION('customer_service_plans_no_overlap'),
    held: [
      { plan_code: 'data-s', plan_kind: 'data' },
      { plan_code: 'voice-flat', plan_kind: 'voice' },
      { plan_code: 'data-l', plan_kind: 'data' },
    ],
  });
});

test("plan_kind is copied from the plan when omitted, and again when the assignment's plan changes", async ({
  pool,
}) => {
  const kinds = await inRollbackTransaction(pool, async (db) => {
    const { rows: plans } = await db.query(
      `insert into cx.service_plans (plan_code, plan_name, plan_kind) values ('combo-m', 'Combo M', 'combo'), ('voice-m', 'Voice M', 'voice')
       returning plan_code, service_plan_id`,
    );
    const id = (code: string) => plans.find((p) => p.plan_code === code).service_plan_id;
    const customerId = await given.customer(db);
    const { rows } = await db.query(
      `insert into cx.customer_service_plans (customer_id, service_plan_id, valid_from)
       values ($1, $2, '2026-01-01T00:00:00Z') returning assignment_id, plan_kind`,
      [customerId, id('combo-m')],
    );
    const { rows: changed } = await db.query(
      'update cx.customer_service_plans set service_plan_id = $2 where assignment_id = $1 returning plan_kind',
      [rows[0].assignment_id, id('voice-m')],
    );
    return [rows[0].plan_kind, changed[0].plan_kind];
  });
  assert.equal(kinds, ['combo', 'voice']);
});

// agent status history: an agent's intervals never overlap

test('agent status intervals: adjacent ones and other agents are accepted, overlaps refused', async ({
  pool,
}) => {
  const outcome = await inRollbackTransaction(pool, async (db) => {
    const ada = await given.agent(db, 'ada');
    const bob = await given.agent(db, 'bob');
    const interval = (agentId: string, status: string, from: string, to: string | null) =>
      attempt(
        db,
        'insert into cx.agent_status_history (agent_id, status, started_at, ended_at) values ($1, $2, $3, $4)',
        [agentId, status, from, to],
      );
    const results = {
      first: await interval(ada, 'available', '2020-01-01T08:00:00Z', '2020-01-01T12:00:00Z'),
      adjacent: await interval(ada, 'on_break', '2020-01-01T12:00:00Z', '2020-01-01T12:30:00Z'),
      otherAgent: await interval(bob, 'busy', '2020-01-01T09:00:00Z', '2020-01-01T10:00:00Z'),
      overlapping: await interval(ada, 'busy', '2020-01-01T12:29:59Z', '2020-01-01T13:00:00Z'),
      inside: await interval(ada, 'busy', '2020-01-01T09:00:00Z', '2020-01-01T09:30:00Z'),
      backwards: await interval(ada, 'busy', '2020-01-02T09:00:00Z', '2020-01-02T08:59:59Z'),
    };
    const { rows } = await db.query(
      "select status from cx.agent_status_history where agent_id = $1 and started_at < '2021-01-01' order by started_at",
      [ada],
    );
    return { ...results, recorded: rows.map((r) => r.status) };
  });
  assert.equal(outcome, {
    first: undefined,
    adjacent: undefined,
    otherAgent: undefined,
    overlapping: EXCLUSION('agent_status_history_no_overlap'),
    inside: EXCLUSION('agent_status_history_no_overlap'),
    backwards: CHECK('agent_status_history_ended_at_not_before_started_at'),
    recorded: ['available', 'on_break'],
  });
});

test.run();
