import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

const test = databaseSuite('escalation from steps');

test('a human step after a bot step makes the whole interaction live chat', async ({ pool }) => {
  const ref = await given.botInteraction(pool, { start: '2026-11-02T09:00:00Z' });
  await given.steps(pool, ref, [
    ['bot', '09:00:00', '09:03:00'],
    ['human', '09:04:00', '09:10:00'],
  ]);
  const row = await given.interactionRow(pool, ref);
  assert.is(row.interaction_mode, 'live_chat');
  assert.is(row.initial_mode, 'bot');
  assert.equal([row.bot_duration_seconds, row.human_duration_seconds], [180, 360]);
  assert.is(row.escalated_to_human, true);
  assert.is((row.escalation_timestamp as Date).toISOString(), '2026-11-02T09:04:00.000Z');
});

test.run();
