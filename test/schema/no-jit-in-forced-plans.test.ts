import * as assert from 'uvu/assert';
import { connect } from '../../src/client/connect.js';
import { createPool } from '../../src/db/pool.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * Functions that force their plans by turning join or scan methods off (enable_* = off) made
 * PostgreSQL 15, with JIT on as it is by default, JIT-compile every statement in them: a disabled
 * node costs 1e10 there, far over jit_above_cost. One single-row write then took 200-400 ms.
 */
const test = databaseSuite('schema: no JIT where plans are forced');

test('every function that turns a planner method off also turns JIT off', async ({ pool }) => {
  const { rows } = await pool.query(`
    select p.oid::regprocedure::text as function,
           coalesce('jit=off' = any(p.proconfig), false) as jit_off
      from pg_proc p
     where p.pronamespace in ('cx'::regnamespace, 'cx_private'::regnamespace)
       and (exists (select 1 from unnest(p.proconfig) c where c ~ '^enable_[a-z_]+=off$')
            -- their callers set the methods for them, restored on return
            or p.prosrc ~ 'choose_bucket_joins\\(')
       and p.proname <> 'choose_bucket_joins'
     order by 1`);
  assert.equal(rows, [
    { function: 'cx_private.recompute_agent_days(date[],uuid[])', jit_off: true },
    { function: 'cx_private.recompute_channel_days(date[],uuid[])', jit_off: true },
    { function: 'cx_private.recompute_first_contact_resolution(cx_private.fcr_key[])', jit_off: true },
  ]);
});

/**
 * auto_explain logs the plan of every statement, nested ones included, as a notice; a plan that
 * JIT-compiles says "JIT:". Where the server has JIT (PostgreSQL 15 from Debian: yes; the embedded
 * 18: no), a contact recorded through the client and a refresh must show none.
 */
test('a contact and a refresh compile nothing with the server default jit = on', async ({
  pool,
  connectionString,
}) => {
  const { rows } = await pool.query(`select pg_jit_available() as available, current_setting('jit') as jit`);
  const plans: string[] = [];
  const explained = createPool({ connectionString, max: 1, options: '-c search_path=cx,public' });
  explained.on('connect', (connection) => {
    connection.on('notice', (notice) => plans.push(notice.message ?? ''));
  });
  try {
    await explained.query(`load 'auto_explain';
      set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on;
      set auto_explain.log_level = notice; set client_min_messages = notice`);
    const session = await explained.query(`select current_setting('jit') as jit`);
    assert.is(session.rows[0].jit, rows[0].jit, 'the session keeps the server default');
    // the detector works: a query forced over the threshold compiles where JIT exists
    await explained.query('set jit_above_cost = 0; select count(*) from cx.channels; reset jit_above_cost');
    assert.is(
      plans.some((p) => p.includes('\nJIT:')),
      rows[0].available && rows[0].jit === 'on',
    );
    plans.length = 0;

    const client = connect({ pool: explained });
    const customerId = await given.customer(pool);
    const channelId = await given.channelId(pool, 'chatbot');
    const agentId = await given.agent(pool, 'jit-human');
    const start = new Date('2026-11-16T10:00:00Z');
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
    const chat = await client.interactions.start({
      customerId,
      channelId,
      initialMode: 'bot',
      startTimestamp: start,
    });
    await client.interactions.addStep(chat, { stepType: 'bot', startedAt: start, endedAt: minutes(2) });
    await client.interactions.addStep(chat, {
      stepType: 'human',
      agentId,
      startedAt: minutes(2),
      endedAt: minutes(9),
    });
    await client.interactions.end(chat, {
      status: 'completed',
      resolutionStatus: 'resolved',
      endTimestamp: minutes(9),
    });
    await client.feedback.submit({ customerId, interaction: chat, csatScore: 4 });
    await explained.query('select * from cx.refresh_metrics()');
    assert.ok(plans.length > 20, `${plans.length} plans logged`);
    assert.equal(
      plans.filter((p) => p.includes('\nJIT:')).map((p) => p.split('\n').slice(0, 2).join(' ')),
      [],
    );
  } finally {
    await explained.end();
  }
});

test.run();
