import type pg from 'pg';
import * as assert from 'uvu/assert';
import type { CarepulseClient } from '../../src/client/connect.js';
import type { InteractionRef } from '../../src/client/interactions.js';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * Feedback, journey touchpoints, outcomes and external references name an existing interaction and
 * follow it when it is deleted, re-keyed or truncated, instead of foreign keys (migration 000016),
 * with their actions: cx_private.interactions_changed, what the interactions' write functions apply
 * (migration 000044), and the TRUNCATE trigger. That each names an existing one is the write
 * functions' check now (test/write-functions); the bulk path writes the external references with
 * their interactions.
 */
const test = databaseSuite('rows about an interaction follow it');

const at = (time: string) => new Date(`2026-11-12T${time}Z`);

interface Dependents {
  interaction: InteractionRef;
  sessionId: string;
}

/** An interaction with one row of each kind that names it. */
async function interactionWithDependents(client: CarepulseClient, pool: pg.Pool): Promise<Dependents> {
  const customerId = await given.customer(pool);
  const app = await given.channelId(pool, 'mobile_app');
  const chatbot = await given.channelId(pool, 'chatbot');
  const session = await client.journeys.startSession({
    customerId,
    startTimestamp: at('08:00:00'),
    journeyGoal: 'change_plan',
    entryChannelId: app,
  });
  const [ingested] = (
    await client.interactions.ingest([
      {
        customerId,
        channelId: chatbot,
        initialMode: 'bot',
        startTimestamp: at('08:05:00'),
        endTimestamp: at('08:09:00'),
        sessionId: session.sessionId,
        source: { system: 'chatbot', reference: `dependents-${customerId}` },
        steps: [{ stepType: 'bot', startedAt: at('08:05:00'), endedAt: at('08:09:00') }],
      },
    ])
  ).results;
  assert.ok(ingested);
  const interaction = ingested.ref;
  await client.journeys.touch(session, {
    channelId: chatbot,
    touchpointType: 'bot_message',
    occurredAt: at('08:05:00'),
    interaction,
  });
  await client.feedback.submit({ customerId, interaction, submittedAt: at('08:10:00'), csatScore: 4 });
  await client.outcomes.record(interaction, { outcomeType: 'cost_saving', outcomeValue: 3 });
  return { interaction, sessionId: session.sessionId };
}

/** What names the interaction, table by table: the start each row names (null when unlinked). */
async function dependentsOf(db: pg.Pool | pg.PoolClient, { interaction, sessionId }: Dependents) {
  const { rows } = await db.query(
    `select 'feedback' as kind, interaction_start_timestamp as start from cx.customer_feedback
      where customer_id = $1 and (interaction_id = $2 or interaction_id is null)
     union all
     select 'touchpoint', interaction_start_timestamp from cx.journey_touchpoints
      where session_id = $3 and touchpoint_type = 'bot_message'
     union all
     select 'outcome', interaction_start_timestamp from cx.interaction_outcomes where interaction_id = $2
     union all
     select 'external reference', start_timestamp from cx.interaction_external_refs where interaction_id = $2
     union all
     select 'step', interaction_start_timestamp from cx.interaction_steps where interaction_id = $2
     order by 1`,
    [interaction.customerId, interaction.interactionId, sessionId],
  );
  return rows.map((r) => [r.kind, (r.start as Date | null)?.toISOString() ?? null]);
}

test('deleting an interaction deletes its outcomes, references and steps and unlinks feedback and touchpoints', async ({
  pool,
  client,
}) => {
  const dependents = await interactionWithDependents(client, pool);
  const start = dependents.interaction.startTimestamp.toISOString();
  assert.equal(await dependentsOf(pool, dependents), [
    ['external reference', start],
    ['feedback', start],
    ['outcome', start],
    ['step', start],
    ['touchpoint', start],
  ]);
  assert.is(await given.deleteInteractions(pool, dependents.interaction.interactionId), 1);
  assert.equal(await dependentsOf(pool, dependents), [
    ['feedback', null],
    ['touchpoint', null],
  ]);
});

test('a correction to start_timestamp takes everything that names the interaction along', async ({
  pool,
  client,
}) => {
  const dependents = await interactionWithDependents(client, pool);
  // a minute earlier: its steps (from 08:05) still lie within it
  const moved = '2026-11-12T08:04:00.000Z';
  assert.is(
    await given.correctInteractions(pool, dependents.interaction.interactionId, { start_timestamp: moved }),
    1,
  );
  assert.equal(await dependentsOf(pool, dependents), [
    ['external reference', moved],
    ['feedback', moved],
    ['outcome', moved],
    ['step', moved],
    ['touchpoint', moved],
  ]);
});

test('truncating interactions truncates outcomes, references and steps and unlinks feedback and touchpoints', async ({
  pool,
  client,
}) => {
  const dependents = await interactionWithDependents(client, pool);
  await inRollbackTransaction(pool, async (tx) => {
    await tx.query('truncate cx.customer_interactions');
    assert.equal(await dependentsOf(tx, dependents), [
      ['feedback', null],
      ['touchpoint', null],
    ]);
    const { rows } = await tx.query(
      `select (select count(*)::int from cx.interaction_outcomes) + (select count(*)::int from cx.interaction_external_refs)
              + (select count(*)::int from cx.interaction_steps) as left_over,
              (select count(*)::int from cx.customer_feedback where interaction_id is not null) as linked_feedback`,
    );
    assert.equal(rows[0], { left_over: 0, linked_feedback: 0 });
  });
});

test.run();
