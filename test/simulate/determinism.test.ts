import * as assert from 'uvu/assert';
import { ConflictError } from '../../src/errors.js';
import { type SimulationSummary, simulate } from '../../src/simulate/load.js';
import { databaseSuite, withSecondDatabase } from '../support/database.js';
import { simulationDigests as digests } from '../support/simulation-digests.js';

/**
 * The simulator is deterministic: the same seed and end give the same rows, ids included, in any
 * database; another seed gives other rows. Generated ids of the reference data (agents, types,
 * articles) are compared by their codes.
 */
const test = databaseSuite('simulator determinism');

/** Three days: 18, 19 and 20 November 2026. */
const OPTIONS = { days: 3, interactions: 1500, customers: 300, end: new Date('2026-11-20T00:00:00Z') };

let summary: SimulationSummary;
let first: Record<string, string>;

test.before(async ({ pool }) => {
  summary = await simulate(pool, { ...OPTIONS, seed: 7 });
  first = await digests(pool);
});

test('a simulation writes what its summary says, within its days', async ({ pool }) => {
  const { rows } = await pool.query(`
    select (select count(*)::int from cx.customers) as customers,
           (select count(*)::int from cx.customer_interactions) as interactions,
           (select count(*)::int from cx.interaction_steps) as steps,
           (select count(*)::int from cx.customer_feedback) as feedback,
           (select count(*)::int from cx.customer_journey_sessions) as journeys,
           (select count(*)::int from cx.journey_touchpoints) as touchpoints,
           (select count(*)::int from cx.interaction_outcomes) as outcomes,
           (select count(*)::int from cx.agents) as agents,
           (select min(start_timestamp) from cx.customer_interactions) as first_start,
           (select max(end_timestamp) from cx.customer_interactions) as last_end`);
  const counts = rows[0];
  assert.equal(
    [counts.customers, counts.interactions, counts.steps, counts.feedback],
    [summary.customers, summary.interactions, summary.steps, summary.feedback],
  );
  assert.equal(
    [counts.journeys, counts.touchpoints, counts.outcomes],
    [summary.journeys, summary.touchpoints, summary.outcomes],
  );
  // 2 bots, 4 team leads, and the humans: at least 8 (500 contacts a day need 5)
  assert.is(counts.agents, summary.agents + 4);
  assert.is(counts.customers, 300);
  // contacts still going on at the end are left out: a few at most
  assert.ok(counts.interactions > 1490 && counts.interactions <= 1500, `${counts.interactions} interactions`);
  assert.ok(counts.first_start >= new Date('2026-11-18T00:00:00Z'), 'starts on the first of the three days');
  assert.ok(counts.last_end <= new Date('2026-11-21T00:00:00Z'), 'ends with the last day');
});

test('the same seed gives the same rows in another database; another seed gives others', async () => {
  await withSecondDatabase(async (pool) => {
    await simulate(pool, { ...OPTIONS, seed: 7 });
    assert.equal(await digests(pool), first);
  });
  await withSecondDatabase(async (pool) => {
    await simulate(pool, { ...OPTIONS, seed: 8 });
    const other = await digests(pool);
    for (const table of ['customers', 'interactions', 'steps', 'feedback', 'journeys', 'outcomes'])
      assert.is.not(other[table], first[table], `${table} differ between seeds`);
  });
});

test('a database that already holds a simulation is refused, and nothing is added', async ({ pool }) => {
  const before = await pool.query('select count(*)::int as n from cx.customer_interactions');
  try {
    await simulate(pool, { ...OPTIONS, seed: 9 });
    assert.unreachable('a second simulation was accepted');
  } catch (error) {
    assert.instance(error, ConflictError);
    assert.is(
      (error as Error).message,
      'this database already holds a simulation, perhaps a half-finished one (agent SIM-BOT-CHAT exists): remove it with "carepulse simulate --reset", or simulate into another database',
    );
  }
  const after = await pool.query('select count(*)::int as n from cx.customer_interactions');
  assert.is(after.rows[0].n, before.rows[0].n);
});

test.run();
