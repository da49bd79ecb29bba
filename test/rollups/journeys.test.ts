import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/** A journey session's touchpoints, channels used and last activity follow its touchpoints and interactions. */
const test = databaseSuite('journey session roll-up');

async function session(pool: pg.Pool, customerId: string, start: string): Promise<string> {
  const [id] = await given.sessions(pool, [{ customer_id: customerId, start_timestamp: start }]);
  return id as string;
}

async function touch(
  pool: pg.Pool,
  customerId: string,
  sessionId: string,
  channel: string,
  at: string,
): Promise<string> {
  const [id] = await given.touchpoints(pool, [
    {
      customer_id: customerId,
      session_id: sessionId,
      channel_id: await given.channelId(pool, channel),
      touchpoint_type: 'app_screen',
      occurred_at: at,
    },
  ]);
  return id as string;
}

async function stats(pool: pg.Pool, customerId: string, sessionId: string) {
  const { rows } = await pool.query(
    `select s.touchpoint_count, s.channels_used,
            array(select c.channel_name from unnest(s.channel_ids) id join cx.channels c on c.channel_id = id order by 1) as channels,
            s.last_activity_at
       from cx.customer_journey_sessions s where s.customer_id = $1 and s.session_id = $2`,
    [customerId, sessionId],
  );
  const row = rows[0];
  return { ...row, last_activity_at: row.last_activity_at?.toISOString() ?? null };
}

test('touchpoints and interactions count their channels once and set the last activity', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const sessionId = await session(pool, customerId, '2026-11-06T08:00:00Z');
  assert.equal(await stats(pool, customerId, sessionId), {
    touchpoint_count: 0,
    channels_used: 0,
    channels: [],
    last_activity_at: null,
  });
  await touch(pool, customerId, sessionId, 'mobile_app', '2026-11-06T08:00:00Z');
  await touch(pool, customerId, sessionId, 'mobile_app', '2026-11-06T08:03:00Z');
  await given.interaction(pool, {
    customerId,
    sessionId,
    start: '2026-11-06T08:05:00Z',
    end: '2026-11-06T08:20:00Z',
    channel: 'chatbot',
  });
  await given.interaction(pool, {
    customerId,
    sessionId,
    start: '2026-11-06T08:25:00Z',
    channel: 'mobile_app',
  });
  assert.equal(await stats(pool, customerId, sessionId), {
    touchpoint_count: 2,
    channels_used: 2,
    channels: ['chatbot', 'mobile_app'],
    last_activity_at: '2026-11-06T08:25:00.000Z',
  });
});

test('an interaction moved to another session recomputes both; a touchpoint moved or deleted by hand, after cx.recompute_derived', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const first = await session(pool, customerId, '2026-11-06T09:00:00Z');
  const second = await session(pool, customerId, '2026-11-06T12:00:00Z');
  const touchpoint = await touch(pool, customerId, first, 'web_app', '2026-11-06T09:01:00Z');
  await touch(pool, customerId, first, 'sms', '2026-11-06T09:02:00Z');
  const ref = await given.interaction(pool, {
    customerId,
    sessionId: first,
    start: '2026-11-06T09:05:00Z',
    end: '2026-11-06T09:06:00Z',
    channel: 'voice_call',
    mode: 'live_chat',
  });
  // a correction written straight into the table: the repair recomputes what follows from it
  await pool.query('update cx.journey_touchpoints set session_id = $1 where touchpoint_id = $2', [
    second,
    touchpoint,
  ]);
  await pool.query('select cx.recompute_derived(array[$1::uuid])', [customerId]);
  await given.correctInteractions(pool, ref, { session_id: second });
  assert.equal(await stats(pool, customerId, first), {
    touchpoint_count: 1,
    channels_used: 1,
    channels: ['sms'],
    last_activity_at: '2026-11-06T09:02:00.000Z',
  });
  assert.equal(await stats(pool, customerId, second), {
    touchpoint_count: 1,
    channels_used: 2,
    channels: ['voice_call', 'web_app'],
    last_activity_at: '2026-11-06T09:06:00.000Z',
  });
  await given.deleteInteractions(pool, ref);
  await pool.query('delete from cx.journey_touchpoints where touchpoint_id = $1', [touchpoint]);
  await pool.query('select cx.recompute_derived(array[$1::uuid])', [customerId]);
  assert.equal(await stats(pool, customerId, second), {
    touchpoint_count: 0,
    channels_used: 0,
    channels: [],
    last_activity_at: null,
  });
});

test.run();
