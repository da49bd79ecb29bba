import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * FCR (DESIGN.md §3): resolved, and no other interaction of the same customer about the same type
 * starts in [end, end + 7 days); computed whatever the arrival order, never written by a writer.
 */
const test = databaseSuite('first contact resolution');

async function fcr(pool: pg.Pool, ...refs: given.InteractionRef[]): Promise<boolean[]> {
  const values: boolean[] = [];
  for (const ref of refs)
    values.push((await given.interactionRow(pool, ref)).first_contact_resolution as boolean);
  return values;
}

async function contact(
  pool: pg.Pool,
  customerId: string,
  typeId: string | null,
  start: string,
  end: string,
  resolution = 'resolved',
) {
  return given.interaction(pool, {
    customerId,
    typeId,
    start,
    end,
    resolution,
    channel: 'web_app',
    mode: 'live_chat',
  });
}

test('resolved with no repeat contact is FCR; unresolved never is', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_single');
  const resolved = await contact(pool, customerId, typeId, '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z');
  const unresolved = await contact(
    pool,
    customerId,
    typeId,
    '2026-10-20T09:00:00Z',
    '2026-10-20T09:10:00Z',
    'unresolved',
  );
  assert.equal(await fcr(pool, resolved, unresolved), [true, false]);
});

test('a repeat contact about the same type inside the window flips the earlier one', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_repeat');
  const first = await contact(pool, customerId, typeId, '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z');
  assert.equal(await fcr(pool, first), [true]);
  // 6 days 23:59 after the first one ended
  const repeat = await contact(pool, customerId, typeId, '2026-10-08T09:09:00Z', '2026-10-08T09:20:00Z');
  assert.equal(await fcr(pool, first, repeat), [false, true]);
});

test('a contact starting exactly a window after the end is not a repeat', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_edge');
  const first = await contact(pool, customerId, typeId, '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z');
  const later = await contact(pool, customerId, typeId, '2026-10-08T09:10:00Z', '2026-10-08T09:20:00Z');
  assert.equal(await fcr(pool, first, later), [true, true]);
});

test('a backfilled earlier contact is not FCR when a later one exists; the later one is unaffected', async ({
  pool,
}) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_backfill');
  const later = await contact(pool, customerId, typeId, '2026-10-10T09:00:00Z', '2026-10-10T09:10:00Z');
  const backfilled = await contact(pool, customerId, typeId, '2026-10-05T09:00:00Z', '2026-10-05T09:10:00Z');
  assert.equal(await fcr(pool, backfilled, later), [false, true]);
});

test('other types, other customers and contacts without a type do not count as repeats', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const otherCustomer = await given.customer(pool);
  const billing = await given.interactionType(pool, 'fcr_billing');
  const technical = await given.interactionType(pool, 'fcr_technical', 'technical');
  const first = await contact(pool, customerId, billing, '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z');
  await contact(pool, customerId, technical, '2026-10-02T09:00:00Z', '2026-10-02T09:10:00Z');
  await contact(pool, otherCustomer, billing, '2026-10-02T09:00:00Z', '2026-10-02T09:10:00Z');
  await contact(pool, customerId, null, '2026-10-02T09:00:00Z', '2026-10-02T09:10:00Z');
  assert.equal(await fcr(pool, first), [true]);
});

test('contacts without a type form a group of their own', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const first = await contact(pool, customerId, null, '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z');
  const second = await contact(pool, customerId, null, '2026-10-03T09:00:00Z', '2026-10-03T09:10:00Z');
  assert.equal(await fcr(pool, first, second), [false, true]);
});

test('an open interaction counts from its start; ending it later moves its window', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_open');
  const open = await given.interaction(pool, {
    customerId,
    typeId,
    start: '2026-10-01T09:00:00Z',
    resolution: 'resolved',
    status: 'active',
  });
  const next = await contact(pool, customerId, typeId, '2026-10-09T08:00:00Z', '2026-10-09T08:10:00Z');
  assert.equal(await fcr(pool, open, next), [true, true]);
  // ended on 2026-10-03: the contact of 2026-10-09 now starts within 7 days of the end
  const { rows } = await pool.query('select * from cx.end_interactions($1::jsonb)', [
    JSON.stringify([
      {
        customer_id: open.customerId,
        interaction_id: open.interactionId,
        start_timestamp: open.startTimestamp,
        end_timestamp: '2026-10-03T09:00:00Z',
        status: 'completed',
        resolution_status: 'resolved',
      },
    ]),
  ]);
  assert.is(rows.length, 1);
  assert.equal(await fcr(pool, open, next), [false, true]);
});

test('deleting the repeat contact gives the earlier one its FCR back', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_delete');
  const first = await contact(pool, customerId, typeId, '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z');
  const repeat = await contact(pool, customerId, typeId, '2026-10-02T09:00:00Z', '2026-10-02T09:10:00Z');
  assert.equal(await fcr(pool, first), [false]);
  assert.is(await given.deleteInteractions(pool, repeat), 1);
  assert.equal(await fcr(pool, first), [true]);
});

test('a writer cannot set first_contact_resolution: refused by name', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_written');
  const unresolved = await contact(
    pool,
    customerId,
    typeId,
    '2026-10-01T09:00:00Z',
    '2026-10-01T09:10:00Z',
    'unresolved',
  );
  const corrected = await rejection<{ code: string; column: string }>(
    given.correctInteractions(pool, unresolved, { first_contact_resolution: true }),
  );
  assert.equal([corrected.code, corrected.column], ['22023', 'first_contact_resolution']);
  const recorded = await rejection<{ code: string; column: string }>(
    pool.query('select * from cx.record_interactions($1::jsonb)', [
      JSON.stringify([
        {
          customer_id: customerId,
          start_timestamp: '2026-11-01T09:00:00Z',
          channel_id: await given.channelId(pool, 'email'),
          initial_mode: 'live_chat',
          first_contact_resolution: true,
        },
      ]),
    ]),
  );
  assert.equal([recorded.code, recorded.column], ['22023', 'first_contact_resolution']);
  // the same interaction without it: the database's value
  const recordedWithout = await given.interaction(pool, {
    customerId,
    start: '2026-11-01T09:00:00Z',
    channel: 'email',
    mode: 'live_chat',
  });
  assert.equal(await fcr(pool, unresolved, recordedWithout), [false, false]);
});

test('the repeat window is a setting', async ({ pool }) => {
  const customerId = await given.customer(pool);
  const typeId = await given.interactionType(pool, 'fcr_window');
  await pool.query("update cx.settings set setting_value = '1 day' where setting_name = 'fcr_repeat_window'");
  try {
    const first = await contact(pool, customerId, typeId, '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z');
    const twoDaysLater = await contact(
      pool,
      customerId,
      typeId,
      '2026-10-03T09:00:00Z',
      '2026-10-03T09:10:00Z',
    );
    const sameDay = await contact(pool, customerId, typeId, '2026-10-03T20:00:00Z', '2026-10-03T20:10:00Z');
    assert.equal(await fcr(pool, first, twoDaysLater, sameDay), [true, false, true]);
  } finally {
    await pool.query(
      "update cx.settings set setting_value = '7 days' where setting_name = 'fcr_repeat_window'",
    );
  }
});

test.run();
