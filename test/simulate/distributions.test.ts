import * as assert from 'uvu/assert';
import { simulate } from '../../src/simulate/load.js';
import { CHANNELS, type ChannelName, INCIDENTS } from '../../src/simulate/scenario.js';
import { databaseSuite } from '../support/database.js';

/**
 * The simulated workload has the shape the scenario promises, within stated bounds (8,000
 * contacts over 14 days: bounds leave room for sampling noise of a few standard deviations).
 * The data ends yesterday, so the document's "last 30 days" queries see all of it.
 */
const test = databaseSuite('simulated distributions');

const DAYS = 14;
const yesterday = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000);
/** Contacts that talk to someone live (queues measured in seconds, not hours). */
const LIVE = `('mobile_app', 'web_app', 'chatbot', 'interactive_menu', 'voice_call', 'video_call')`;

test.before(async ({ pool }) => {
  await simulate(pool, { days: DAYS, interactions: 8000, customers: 1500, seed: 11, end: yesterday });
});

test('bot containment differs by interaction type: billing is easy, technical is hard', async ({ pool }) => {
  const { rows } = await pool.query(`
    select t.category, t.type_code,
           avg((not i.escalated_to_human)::int)::float as containment
      from cx.customer_interactions i join cx.interaction_types t using (interaction_type_id)
     where i.initial_mode in ('bot', 'self_service', 'ivr')
     group by 1, 2`);
  const billing = rows.filter((r) => r.category === 'billing');
  const technical = rows.filter((r) => r.category === 'technical');
  assert.is(billing.length, 2);
  assert.is(technical.length, 2);
  for (const b of billing) assert.ok(b.containment >= 0.6, `${b.type_code} contains ${b.containment}`);
  for (const t of technical) assert.ok(t.containment <= 0.4, `${t.type_code} contains ${t.containment}`);
  for (const b of billing)
    for (const t of technical)
      assert.ok(b.containment - t.containment >= 0.25, `${b.type_code} vs ${t.type_code}`);
});

test('some customers leave the bot unresolved without asking for a human', async ({ pool }) => {
  // the scenario: 3 % of the contacts a bot keeps are left; containment is about 60 % overall
  const { rows } = await pool.query(`
    select (count(*) filter (where not escalated_to_human and status = 'abandoned'
                              and resolution_status = 'unresolved'))::float / count(*) as left_rate
      from cx.customer_interactions where initial_mode = 'bot'`);
  const rate = rows[0].left_rate as number;
  assert.ok(rate >= 0.005 && rate <= 0.04, `bot sessions left: ${rate}`);
});

test("each channel's share of contacts is the scenario's, within 3 points", async ({ pool }) => {
  const { rows } = await pool.query(`
    select c.channel_name, count(*)::float / sum(count(*)) over () as share
      from cx.customer_interactions i join cx.channels c using (channel_id)
     group by 1`);
  assert.is(rows.length, 9);
  for (const row of rows) {
    const expected = CHANNELS[row.channel_name as ChannelName].share;
    assert.ok(Math.abs(row.share - expected) <= 0.03, `${row.channel_name}: ${row.share} vs ${expected}`);
  }
});

test('satisfaction, recommendation and effort follow resolution', async ({ pool }) => {
  const { rows } = await pool.query(`
    select avg(customer_satisfaction_score) filter (where resolution_status = 'resolved')::float as csat_resolved,
           avg(customer_satisfaction_score) filter (where resolution_status = 'unresolved')::float as csat_unresolved,
           corr(customer_satisfaction_score, (resolution_status = 'resolved')::int) as correlation,
           avg(nps_score) filter (where resolution_status = 'resolved')::float as nps_resolved,
           avg(nps_score) filter (where resolution_status = 'unresolved')::float as nps_unresolved,
           avg(customer_effort_score) filter (where resolution_status = 'resolved')::float as ces_resolved,
           avg(customer_effort_score) filter (where resolution_status = 'unresolved')::float as ces_unresolved,
           count(customer_satisfaction_score)::float / count(*) as response_rate
      from cx.customer_interactions`);
  const r = rows[0];
  assert.ok(r.csat_resolved >= 4.0, `CSAT resolved ${r.csat_resolved}`);
  assert.ok(r.csat_unresolved <= 2.5, `CSAT unresolved ${r.csat_unresolved}`);
  assert.ok(r.correlation >= 0.5, `correlation ${r.correlation}`);
  assert.ok(r.nps_resolved - r.nps_unresolved >= 3, `NPS ${r.nps_resolved} vs ${r.nps_unresolved}`);
  assert.ok(r.ces_resolved - r.ces_unresolved >= 1, `CES ${r.ces_resolved} vs ${r.ces_unresolved}`);
  assert.ok(r.response_rate >= 0.2 && r.response_rate <= 0.32, `response rate ${r.response_rate}`);
});

test('the longer the queue, the more customers hang up', async ({ pool }) => {
  const { rows } = await pool.query(`
    select case when queue_time_seconds < 30 then 1 when queue_time_seconds < 120 then 2 else 3 end as bucket,
           avg((status = 'abandoned')::int)::float as abandoned, count(*)::int as queued
      from cx.customer_interactions i join cx.channels c using (channel_id)
     where c.channel_name in ${LIVE}
       and exists (select 1 from cx.interaction_steps s
                    where s.customer_id = i.customer_id and s.interaction_id = i.interaction_id
                      and s.interaction_start_timestamp = i.start_timestamp and s.step_type = 'queue')
     group by 1 order by 1`);
  const [short, medium, long] = rows.map((r) => r.abandoned);
  assert.is(rows.length, 3);
  assert.ok(short <= 0.05, `under half a minute: ${short}`);
  assert.ok(medium > short && long > medium, `${short} < ${medium} < ${long}`);
  assert.ok(long >= 0.2, `two minutes or more: ${long}`);
});

test('queues are longer at peak hours than early and late', async ({ pool }) => {
  const { rows } = await pool.query(`
    select avg(queue_time_seconds) filter (where extract(hour from start_timestamp at time zone 'UTC') in (9, 10, 11, 17, 18, 19))::float as peak,
           avg(queue_time_seconds) filter (where extract(hour from start_timestamp at time zone 'UTC') in (5, 6, 7, 21, 22, 23))::float as quiet
      from cx.customer_interactions i join cx.channels c using (channel_id)
     where c.channel_name in ${LIVE} and status = 'completed' and queue_time_seconds > 0`);
  assert.ok(rows[0].peak >= 1.3 * rows[0].quiet, `peak ${rows[0].peak} s, quiet ${rows[0].quiet} s`);
});

test('weekdays are busier than Sundays', async ({ pool }) => {
  const { rows } = await pool.query(`
    select avg(n) filter (where dow between 1 and 5)::float as weekday, avg(n) filter (where dow = 0)::float as sunday
      from (select extract(dow from start_timestamp at time zone 'UTC') as dow, count(*) as n
              from cx.customer_interactions group by (start_timestamp at time zone 'UTC')::date, 1) days`);
  assert.ok(rows[0].weekday >= 1.3 * rows[0].sunday, `weekday ${rows[0].weekday}, Sunday ${rows[0].sunday}`);
});

test('on the incident day the chatbot resolves far less alone and reports its error', async ({ pool }) => {
  const incident = INCIDENTS.find((i) => i.channel === 'chatbot');
  assert.ok(incident);
  const day = new Date(yesterday.getTime() - incident.daysBeforeEnd * 86_400_000).toISOString().slice(0, 10);
  const { rows } = await pool.query(
    `select avg((not escalated_to_human and resolution_status = 'resolved')::int)
              filter (where (start_timestamp at time zone 'UTC')::date = $1::date)::float as that_day,
            avg((not escalated_to_human and resolution_status = 'resolved')::int)
              filter (where (start_timestamp at time zone 'UTC')::date <> $1::date)::float as other_days,
            array_agg(distinct (start_timestamp at time zone 'UTC')::date::text) filter (where error_code = $2) as error_days
       from cx.customer_interactions i join cx.channels c using (channel_id)
      where c.channel_name = 'chatbot' and initial_mode = 'bot'`,
    [day, incident.errorCode],
  );
  assert.ok(rows[0].that_day <= 0.6 * rows[0].other_days, `${rows[0].that_day} vs ${rows[0].other_days}`);
  assert.equal(rows[0].error_days, [day]);
});

test('repeat contacts make first contact resolution meaningful', async ({ pool }) => {
  const { rows } = await pool.query(`
    select avg(first_contact_resolution::int) filter (where resolution_status = 'resolved')::float as fcr,
           (select count(*)::int from (
              select 1 from cx.customer_interactions
               group by customer_id, interaction_type_id having count(*) > 1) repeats) as repeated_pairs
      from cx.customer_interactions`);
  assert.ok(rows[0].fcr >= 0.6 && rows[0].fcr <= 0.92, `FCR ${rows[0].fcr}`);
  assert.ok(
    rows[0].repeated_pairs >= 400,
    `${rows[0].repeated_pairs} customers came back about the same thing`,
  );
});

test("the document's bot effectiveness query: a row per channel and mode, escalations only after a bot", async ({
  pool,
}) => {
  const { rows } = await pool.query(`
    SELECT c.channel_name, ci.interaction_mode, COUNT(*) as interactions, AVG(ci.duration_seconds) as avg_duration,
           AVG(ci.customer_satisfaction_score) as avg_satisfaction,
           COUNT(CASE WHEN ci.escalated_to_human THEN 1 END) as escalations
    FROM customer_interactions ci
    JOIN channels c ON ci.channel_id = c.channel_id
    WHERE ci.start_timestamp >= CURRENT_DATE - INTERVAL '30 days'
    GROUP BY c.channel_name, ci.interaction_mode`);
  const total = await pool.query('select count(*)::int as n from cx.customer_interactions');
  assert.is(
    rows.reduce((n, r) => n + Number(r.interactions), 0),
    total.rows[0].n,
  );
  assert.is(new Set(rows.map((r) => r.channel_name)).size, 9);
  for (const r of rows) {
    assert.ok(r.avg_duration > 0, `${r.channel_name}/${r.interaction_mode} lasts ${r.avg_duration}`);
    assert.ok(
      r.avg_satisfaction >= 1 && r.avg_satisfaction <= 5,
      `${r.channel_name} CSAT ${r.avg_satisfaction}`,
    );
    // an escalated bot conversation counts as live chat, an escalated IVR call stays ivr
    if (['bot', 'self_service', 'video_call'].includes(r.interaction_mode))
      assert.is(Number(r.escalations), 0);
  }
  const chatbot = rows.filter((r) => r.channel_name === 'chatbot').map((r) => r.interaction_mode);
  assert.equal(chatbot.sort(), ['bot', 'live_chat']);
});

test("the document's journey query: customers' journeys with the channels they used", async ({ pool }) => {
  const { rows } = await pool.query(`
    SELECT cjs.customer_id, COUNT(DISTINCT ci.channel_id) as channels_used, COUNT(ci.interaction_id) as total_interactions,
           AVG(ci.customer_satisfaction_score) as avg_satisfaction, cjs.goal_achieved
    FROM customer_journey_sessions cjs
    JOIN customer_interactions ci ON cjs.session_id = ci.session_id
    GROUP BY cjs.customer_id, cjs.goal_achieved`);
  const journeys = await pool.query(
    'select count(*)::int as n from cx.customer_interactions where session_id is not null',
  );
  assert.ok(rows.length >= 500, `${rows.length} rows`);
  assert.is(
    rows.reduce((n, r) => n + Number(r.total_interactions), 0),
    journeys.rows[0].n,
  );
  assert.equal(new Set(rows.map((r) => r.goal_achieved)), new Set([true, false]));
  for (const r of rows) assert.ok(Number(r.channels_used) >= 1 && Number(r.channels_used) <= 5);
  const sessions = await pool.query(
    'select min(channels_used) as least, max(channels_used) as most from cx.customer_journey_sessions',
  );
  // the app or web screens before the contact, and the contact's own channel
  assert.equal(sessions.rows[0], { least: 1, most: 2 });
});

test.run();
