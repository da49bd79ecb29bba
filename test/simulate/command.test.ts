import * as assert from 'uvu/assert';
import { ValidationError } from '../../src/errors.js';
import { simulationPlan } from '../../src/simulate/load.js';
import { apportion } from '../../src/simulate/workload.js';
import { runCli } from '../support/cli.js';
import { databaseSuite } from '../support/database.js';

/** `carepulse simulate` from a shell: what it prints, and what it refuses before writing anything. */
const test = databaseSuite('carepulse simulate');

test('loads the workload into DATABASE_URL and says what it wrote', async ({ connectionString, pool }) => {
  const result = await runCli(
    [
      'simulate',
      '--days',
      '2',
      '--interactions',
      '400',
      '--customers',
      '120',
      '--seed',
      '3',
      '--end',
      '2026-11-10',
    ],
    { env: { DATABASE_URL: connectionString } },
  );
  assert.is(result.code, 0, result.stderr);
  const { rows } = await pool.query(`
    select (select count(*)::int from cx.customer_interactions) as interactions,
           (select count(*)::int from cx.interaction_steps) as steps,
           (select count(*)::int from cx.customers) as customers`);
  const { interactions, steps, customers } = rows[0];
  assert.is(customers, 120);
  assert.match(
    result.stdout,
    new RegExp(
      `^simulated ${interactions} interactions \\(${steps} steps\\) of 120 customers over 2 days ending 2026-11-11T00:00:00.000Z, seed 3: `,
    ),
  );
  // not a terminal: one line per phase instead of a bar
  assert.equal(result.stderr.trim().split('\n'), [
    'simulate: reference data…',
    'simulate: customers…',
    'simulate: agent shifts…',
    'simulate: interactions…',
  ]);
});

test('bad arguments are refused with the option named, before anything is written', async ({
  connectionString,
}) => {
  const days = await runCli(['simulate', '--days', 'many'], { env: { DATABASE_URL: connectionString } });
  assert.is(days.code, 1);
  assert.match(days.stderr, "option '--days <n>' argument 'many' is invalid. expected a whole number");
  const end = await runCli(['simulate', '--end', '20-11-2026'], { env: { DATABASE_URL: connectionString } });
  assert.match(
    end.stderr,
    "option '--end <date>' argument '20-11-2026' is invalid. expected a date as YYYY-MM-DD",
  );
});

test('the plan: data ends with the last day, or now when that is today; ranges are checked', () => {
  const now = new Date('2026-11-25T13:45:00Z');
  assert.equal(simulationPlan({ end: new Date('2026-11-20T00:00:00Z') }, now), {
    seed: 1,
    days: 30,
    interactions: 10_000,
    customers: 2500,
    end: new Date('2026-11-21T00:00:00Z'),
  });
  assert.equal(simulationPlan({ interactions: 50 }, now).end, now);
  assert.is(simulationPlan({ interactions: 50 }, now).customers, 100);
  assert.throws(
    () => simulationPlan({ days: 0 }),
    (e: unknown) => e instanceof ValidationError && e.field === 'days',
  );
  assert.throws(
    () => simulationPlan({ interactions: 1.5 }),
    (e: unknown) =>
      e instanceof ValidationError &&
      e.message === 'interactions must be a whole number from 1 to 1000000000, got 1.5',
  );
});

test('volumes are split in whole numbers that add up: largest remainder first, ties to the earlier', () => {
  assert.equal(apportion(10, [1, 1, 1]), [4, 3, 3]);
  assert.equal(apportion(7, [0.5, 0.25, 0.25]), [3, 2, 2]);
  assert.equal(apportion(0, [2, 3]), [0, 0]);
  assert.equal(apportion(100, [1, 0, 3]), [25, 0, 75]);
});

test.run();
