import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * Cross-customer counters the worker computes (DESIGN.md §5), never a per-row trigger.
 *
 * Knowledge base: a use is a step with kb_article_id; it is successful when its interaction is
 * resolved. reset-pin is used by a bot step of I1 (resolved), a bot step of I2 (unresolved) and a
 * human step of I3 (resolved): 3 uses, 2 successful, 0.66667. roaming-help: a bot step of I1,
 * 1 use, 1.0. unused: 0 uses, no rate.
 *
 * Agents, from daily_agent_metrics over the last p_days reporting days. Two days ago (D):
 * - J1 bot-started, bot B 09:00-09:02 (120 s), contained; primary agent B, CSAT 5;
 * - J2 bot-started, bot B 10:00-10:01 (60 s), then (a later statement, as an agent desktop writes
 *   it) queue 10:01-10:02, human H1 10:02-10:08 (360 s) ending transferred, human H2 10:08-10:10
 *   (120 s), wrap-up H2 10:10-10:11 (60 s): escalated; primary agent H2, CSAT 3;
 * - J3 live chat, human H1 11:00-11:05 (300 s), wrap-up H1 11:05-11:06 (60 s); primary H1, CSAT 4.
 * Forty days ago: J4 live chat, human H1 600 s (outside the 30-day window, inside a 60-day one).
 * B:  handled 2, 180 s, 1 conversation escalated       -> AHT 90, CSAT 5, escalation 0.5
 * H1: handled 2, 660 s + 60 s wrap-up, 1 transfer      -> AHT 360, CSAT 4, escalation 0.5
 * H2: handled 1, 120 s + 60 s wrap-up, no transfer     -> AHT 180, CSAT 3, escalation 0
 * H3: nothing                                          -> all null
 */
const test = databaseSuite('knowledge-base counters and agent performance');

const DAY_MS = 86_400_000;
const D = new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10);
const OLD = new Date(Date.now() - 40 * DAY_MS).toISOString().slice(0, 10);

let articles: Record<'resetPin' | 'roaming' | 'unused', string>;
let agents: Record<'bot' | 'h1' | 'h2' | 'h3', string>;
let refs: Record<'i2', given.InteractionRef>;
let botTransfersBeforeEscalation: number;

async function botTransfers(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(
    'select transfers from cx.daily_agent_metrics where agent_id = $1 and metric_date = $2',
    [agents.bot, D],
  );
  return rows[0].transfers;
}

async function article(pool: pg.Pool, key: string): Promise<string> {
  const { rows } = await pool.query(
    `insert into cx.knowledge_base (article_key, title, category) values ($1, $1, 'account') returning article_id`,
    [key],
  );
  return rows[0].article_id;
}

/** One step, with the fields given.steps does not set. */
async function step(
  pool: pg.Pool,
  ref: given.InteractionRef,
  fields: {
    type: string;
    start: string;
    end: string;
    agentId?: string;
    articleId?: string;
    outcome?: string;
  },
) {
  const day = ref.startTimestamp.slice(0, 10);
  await pool.query('select count(*) from cx.record_steps($1::jsonb)', [
    JSON.stringify([
      {
        customer_id: ref.customerId,
        interaction_id: ref.interactionId,
        interaction_start_timestamp: ref.startTimestamp,
        step_type: fields.type,
        started_at: `${day}T${fields.start}Z`,
        ended_at: `${day}T${fields.end}Z`,
        agent_id: fields.agentId ?? null,
        kb_article_id: fields.articleId ?? null,
        step_outcome: fields.outcome ?? null,
      },
    ]),
  ]);
}

async function csat(pool: pg.Pool, ref: given.InteractionRef, score: number, primaryAgentId: string) {
  await given.feedback(pool, ref, { csat_score: score });
  await given.correctInteractions(pool, ref, { primary_agent_id: primaryAgentId });
}

async function counters(pool: pg.Pool) {
  const { rows } = await pool.query(
    `select article_key, usage_count, resolution_success_rate, usage_updated_at
       from cx.knowledge_base where article_id = any($1) order by article_key`,
    [Object.values(articles)],
  );
  return rows;
}

async function performance(pool: pg.Pool) {
  const { rows } = await pool.query(
    `select agent_code, average_handling_seconds, satisfaction_score, escalation_rate, performance_updated_at
       from cx.agents where agent_id = any($1) order by agent_code`,
    [Object.values(agents)],
  );
  return rows;
}

const figures = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.agent_code, r.average_handling_seconds, r.satisfaction_score, r.escalation_rate]);

test.before(async ({ pool }) => {
  articles = {
    resetPin: await article(pool, 'reset-pin'),
    roaming: await article(pool, 'roaming-help'),
    unused: await article(pool, 'unused'),
  };
  agents = {
    bot: await given.agent(pool, 'bot-b', 'bot'),
    h1: await given.agent(pool, 'human-h1'),
    h2: await given.agent(pool, 'human-h2'),
    h3: await given.agent(pool, 'human-h3'),
  };
  const day = (time: string) => `${D}T${time}Z`;

  // knowledge-base uses, on the chatbot channel at 07:00-08:00
  const i1 = await given.botInteraction(pool, { start: day('07:00:00'), end: day('07:10:00') });
  await step(pool, i1, { type: 'bot', start: '07:00:00', end: '07:01:00', articleId: articles.resetPin });
  await step(pool, i1, { type: 'bot', start: '07:01:00', end: '07:02:00', articleId: articles.roaming });
  const i2 = await given.botInteraction(pool, {
    start: day('07:20:00'),
    end: day('07:25:00'),
    resolution: 'unresolved',
  });
  await step(pool, i2, { type: 'bot', start: '07:20:00', end: '07:21:00', articleId: articles.resetPin });
  const i3 = await given.interaction(pool, {
    start: day('07:30:00'),
    end: day('07:40:00'),
    mode: 'live_chat',
  });
  await step(pool, i3, {
    type: 'human',
    start: '07:30:00',
    end: '07:31:00',
    agentId: await given.agent(pool, 'kb-reader'),
    articleId: articles.resetPin,
  });

  // agent performance
  const j1 = await given.botInteraction(pool, { start: day('09:00:00'), end: day('09:02:00') });
  await step(pool, j1, { type: 'bot', start: '09:00:00', end: '09:02:00', agentId: agents.bot });
  await csat(pool, j1, 5, agents.bot);
  const j2 = await given.botInteraction(pool, { start: day('10:00:00'), end: day('10:11:00') });
  await step(pool, j2, { type: 'bot', start: '10:00:00', end: '10:01:00', agentId: agents.bot });
  await csat(pool, j2, 3, agents.h2);
  await pool.query('select cx.refresh_metrics()');
  botTransfersBeforeEscalation = await botTransfers(pool);
  // the agent desktop writes the queue and human steps after the bot platform wrote its step
  await step(pool, j2, { type: 'queue', start: '10:01:00', end: '10:02:00' });
  await step(pool, j2, {
    type: 'human',
    start: '10:02:00',
    end: '10:08:00',
    agentId: agents.h1,
    outcome: 'transferred',
  });
  await step(pool, j2, { type: 'human', start: '10:08:00', end: '10:10:00', agentId: agents.h2 });
  await step(pool, j2, { type: 'wrap_up', start: '10:10:00', end: '10:11:00', agentId: agents.h2 });
  const j3 = await given.interaction(pool, {
    start: day('11:00:00'),
    end: day('11:06:00'),
    mode: 'live_chat',
  });
  await step(pool, j3, { type: 'human', start: '11:00:00', end: '11:05:00', agentId: agents.h1 });
  await step(pool, j3, { type: 'wrap_up', start: '11:05:00', end: '11:06:00', agentId: agents.h1 });
  await csat(pool, j3, 4, agents.h1);
  const j4 = await given.interaction(pool, {
    start: `${OLD}T09:00:00Z`,
    end: `${OLD}T09:10:00Z`,
    mode: 'live_chat',
  });
  await step(pool, j4, { type: 'human', start: '09:00:00', end: '09:10:00', agentId: agents.h1 });
  refs = { i2 };
});

test('usage count and resolution success rate of every article, from the steps that used it', async ({
  pool,
}) => {
  await pool.query(
    'update cx.knowledge_base set usage_count = 0, resolution_success_rate = null where article_id = any($1)',
    [Object.values(articles)],
  );
  const { rows } = await pool.query('select * from cx.refresh_knowledge_base_counters()');
  const { rows: all } = await pool.query('select count(*)::int as n from cx.knowledge_base');
  assert.equal(rows[0], { articles: all[0].n, articles_changed: 2 });
  assert.equal(
    (await counters(pool)).map((r) => [r.article_key, r.usage_count, r.resolution_success_rate]),
    [
      ['reset-pin', 3, 0.66667],
      ['roaming-help', 1, 1],
      ['unused', 0, null],
    ],
  );
});

test('a second run writes nothing; a new use changes only its article', async ({ pool }) => {
  await pool.query('select cx.refresh_knowledge_base_counters()');
  const before = await counters(pool);
  const { rows: again } = await pool.query(
    'select articles_changed from cx.refresh_knowledge_base_counters()',
  );
  assert.is(again[0].articles_changed, 0);
  assert.equal(await counters(pool), before);

  await step(pool, refs.i2, { type: 'bot', start: '07:21:00', end: '07:22:00', articleId: articles.roaming });
  const { rows } = await pool.query('select articles_changed from cx.refresh_knowledge_base_counters()');
  assert.is(rows[0].articles_changed, 1);
  const after = await counters(pool);
  // roaming-help: I1 resolved, I2 unresolved
  assert.equal([after[1].usage_count, after[1].resolution_success_rate], [2, 0.5]);
  assert.equal([after[0], after[2]], [before[0], before[2]]);
  assert.ok(after[1].usage_updated_at > before[1].usage_updated_at, 'usage_updated_at moved');
  await given.deleteSteps(pool, refs.i2.interactionId, { startedAt: `${D}T07:21:00Z` });
  await pool.query('select cx.refresh_knowledge_base_counters()');
});

test("a bot's escalation written by a later statement re-logs the bot's day", async ({ pool }) => {
  await pool.query('select cx.refresh_metrics()');
  assert.equal([botTransfersBeforeEscalation, await botTransfers(pool)], [0, 1]);
  const { rows } = await pool.query(
    `select a.agent_code, m.handled, m.handle_seconds, m.wrap_up_seconds, m.transfers, m.csat_responses, m.csat_sum
       from cx.daily_agent_metrics m join cx.agents a using (agent_id)
      where m.metric_date = $1 and a.agent_id = any($2) order by a.agent_code`,
    [D, Object.values(agents)],
  );
  assert.equal(
    rows.map((r) => Object.values(r)),
    [
      ['bot-b', 2, 180, 0, 1, 1, 5],
      ['human-h1', 2, 660, 60, 1, 1, 4],
      ['human-h2', 1, 120, 60, 0, 1, 3],
    ],
  );
});

test("agents' handling time, satisfaction and escalation rate over the last 30 days", async ({ pool }) => {
  await pool.query('select cx.refresh_metrics()');
  const { rows } = await pool.query('select * from cx.refresh_agent_performance()');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(
    [rows[0].period_from.toISOString().slice(0, 10), rows[0].period_to.toISOString().slice(0, 10)],
    [new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10), today],
  );
  assert.equal(figures(await performance(pool)), [
    ['bot-b', 90, 5, 0.5],
    ['human-h1', 360, 4, 0.5],
    ['human-h2', 180, 3, 0],
    ['human-h3', null, null, null],
  ]);
});

test('a second run writes nothing; a wider window takes in older days', async ({ pool }) => {
  await pool.query('select cx.refresh_metrics()');
  await pool.query('select cx.refresh_agent_performance()');
  const before = await performance(pool);
  const { rows: again } = await pool.query('select agents_changed from cx.refresh_agent_performance()');
  assert.is(again[0].agents_changed, 0);
  assert.equal(await performance(pool), before);

  // 60 days: H1 also handled J4 (600 s): (660 + 60 + 600) / 3 = 440, 1 transfer of 3
  const { rows } = await pool.query('select agents_changed from cx.refresh_agent_performance(60)');
  assert.is(rows[0].agents_changed, 1);
  assert.equal(figures(await performance(pool))[1], ['human-h1', 440, 4, 0.33333]);
  await pool.query('select cx.refresh_agent_performance()');
  assert.equal(figures(await performance(pool))[1], ['human-h1', 360, 4, 0.5]);
});

test('a window of no days is refused', async ({ pool }) => {
  const error = await pool.query('select cx.refresh_agent_performance(0)').then(
    () => undefined,
    (e: { code: string; message: string }) => e,
  );
  assert.equal(
    [error?.code, error?.message],
    ['22023', 'p_days must be a whole number of days from 1 to 36600, got 0'],
  );
});

test.run();
