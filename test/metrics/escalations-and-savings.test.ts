import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * Escalations that never reached a human, bots the customer left, first contact resolution over
 * every contact, short abandons by a setting, and bot savings that add up over channels. One
 * hand-built day. chatbot (bot 0.01, human 0.85 per minute; short-abandon grace 5 s):
 * - B1 bot, contained, resolved: bot 09:00-09:04 (240 s), cost 240 x 0.01 / 60 = 0.04
 * - B2 bot, left unresolved (abandoned, never escalated): bot 09:10-09:12 (120 s), cost 0.02
 * - B3 bot, escalated, answered, resolved: bot 10:00-10:02, queue 10:02-10:03, human 10:03-10:09
 *   (360 s), cost (120 x 0.01 + 360 x 0.85) / 60 = 5.12
 * - B4 bot, escalated, abandoned in the queue after 120 s: cost 60 x 0.01 / 60 = 0.01
 * - B5 bot, escalated, abandoned in the queue after 3 s (a short abandon): cost 0.01
 * - L1 live chat, a human at once 12:00-12:05 (300 s), resolved: cost 300 x 0.85 / 60 = 4.25
 * - A1 bot, still active: bot 13:00-13:01, cost 0.01
 * sms (bot 0.01, human 0.75):
 * - S1 bot, contained, resolved: bot 09:00-09:06 (360 s), cost 0.06
 * - S2 live chat, a human 10:00-10:04 (240 s), resolved: cost 3.00
 */
const test = databaseSuite('metrics: escalations, abandons, first contacts and savings');

const DAY = '2026-11-05';
let chatbot: string;
let sms: string;

async function values(pool: pg.Pool, names: string[], channelId: string | null = null) {
  const { rows } = await pool.query(
    `select metric_name, value, sample from cx.metric_values($1, $1, 'none', p_channel_id => $3)
      where metric_name = any($2) order by metric_name`,
    [DAY, names, channelId],
  );
  return Object.fromEntries(rows.map((r) => [r.metric_name, [r.value, r.sample]]));
}

test.before(async ({ pool }) => {
  chatbot = await given.channelId(pool, 'chatbot');
  sms = await given.channelId(pool, 'sms');
  const human = await given.agent(pool, 'savings-human');
  const at = (time: string) => `${DAY}T${time}Z`;
  const bot = (start: string, end: string | null, fields: Partial<given.InteractionFields> = {}) =>
    given.botInteraction(pool, { start: at(start), end: end && at(end), ...fields });
  const left = { status: 'abandoned', resolution: 'unresolved' };
  const b1 = await bot('09:00:00', '09:04:00');
  await given.steps(pool, b1, [['bot', '09:00:00', '09:04:00']]);
  const b2 = await bot('09:10:00', '09:12:00', left);
  await given.steps(pool, b2, [['bot', '09:10:00', '09:12:00']]);
  const b3 = await bot('10:00:00', '10:09:00');
  await given.steps(pool, b3, [
    ['bot', '10:00:00', '10:02:00'],
    ['queue', '10:02:00', '10:03:00'],
    ['human', '10:03:00', '10:09:00', human],
  ]);
  const b4 = await bot('11:00:00', '11:03:00', left);
  await given.steps(pool, b4, [
    ['bot', '11:00:00', '11:01:00'],
    ['queue', '11:01:00', '11:03:00'],
  ]);
  const b5 = await bot('11:30:00', '11:31:03', left);
  await given.steps(pool, b5, [
    ['bot', '11:30:00', '11:31:00'],
    ['queue', '11:31:00', '11:31:03'],
  ]);
  const l1 = await given.interaction(pool, { start: at('12:00:00'), end: at('12:05:00'), mode: 'live_chat' });
  await given.steps(pool, l1, [['human', '12:00:00', '12:05:00', human]]);
  const a1 = await bot('13:00:00', null);
  await given.steps(pool, a1, [['bot', '13:00:00', '13:01:00']]);
  const s1 = await given.botInteraction(pool, { start: at('09:00:00'), end: at('09:06:00'), channel: 'sms' });
  await given.steps(pool, s1, [['bot', '09:00:00', '09:06:00']]);
  const s2 = await given.interaction(pool, {
    start: at('10:00:00'),
    end: at('10:04:00'),
    channel: 'sms',
    mode: 'live_chat',
  });
  await given.steps(pool, s2, [['human', '10:00:00', '10:04:00', human]]);
  await pool.query('select * from cx.refresh_metrics()');
});

test('escalations a human answered and those left in the queue, bots the customer left', async ({ pool }) => {
  assert.equal(
    await values(
      pool,
      [
        'bot_abandonment_rate',
        'containment_rate',
        'escalation_answered_rate',
        'queue_abandoned_after_escalation',
      ],
      chatbot,
    ),
    {
      // B2 of 6 bot-started
      bot_abandonment_rate: [0.166667, 6],
      // B1, B2, A1 of 6: containment counts the bot the customer left
      containment_rate: [0.5, 6],
      // B3 of B3, B4, B5
      escalation_answered_rate: [0.333333, 3],
      // B4, B5
      queue_abandoned_after_escalation: [2, 3],
    },
  );
});

test('first contact resolution over the resolved and over every contact that ended', async ({ pool }) => {
  // resolved B1, B3, L1, none repeated; ended: all but A1
  assert.equal(await values(pool, ['fcr_contact_rate', 'fcr_rate'], chatbot), {
    fcr_contact_rate: [0.5, 6],
    fcr_rate: [1, 3],
  });
});

test('short abandons count towards abandonment unless the setting says not', async ({ pool }) => {
  // queued B3, B4, B5; abandoned B4, B5, of which B5 within the grace
  assert.equal(await values(pool, ['abandonment_rate'], chatbot), { abandonment_rate: [0.666667, 3] });
  await pool.query(
    `update cx.settings set setting_value = 'false' where setting_name = 'short_abandons_count'`,
  );
  try {
    assert.equal(await values(pool, ['abandonment_rate', 'service_level'], chatbot), {
      // B4 of B3, B4
      abandonment_rate: [0.5, 2],
      // B3 answered within 60 s and L1 at once, of B3, L1 and B4 (B5 is left out either way)
      service_level: [0.666667, 3],
    });
  } finally {
    await pool.query(
      `update cx.settings set setting_value = 'true' where setting_name = 'short_abandons_count'`,
    );
  }
});

test('bot savings add up: the day is the sum of its channels', async ({ pool }) => {
  // chatbot: 3 contained x (5.12 + 4.25) / 2 - (0.04 + 0.02 + 0.01) = 13.985
  // sms: 1 contained x 3.00 / 1 - 0.06 = 2.94
  assert.equal(await values(pool, ['bot_savings'], chatbot), { bot_savings: [13.985, 3] });
  assert.equal(await values(pool, ['bot_savings'], sms), { bot_savings: [2.94, 1] });
  // 16.925, where pooling both channels' costs gave 4 x (12.37 / 3 - 0.13 / 4) = 16.363333
  assert.equal(await values(pool, ['bot_savings']), { bot_savings: [16.925, 4] });
  const { rows } = await pool.query(
    `select sum(value) as channels from cx.metric_values($1, $1, 'channel') where metric_name = 'bot_savings'`,
    [DAY],
  );
  assert.is(rows[0].channels, 16.925);
});

test.run();
