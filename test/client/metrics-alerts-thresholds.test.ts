import * as assert from 'uvu/assert';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { rejection } from '../support/rejection.js';

/**
 * The client's read side: KPIs from the daily tables, thresholds, alerts. One day two days ago
 * (inside the 30-day views): on the chatbot, a contained bot contact (resolved), an escalated one
 * (resolved) and a live chat (unresolved); by email one resolved contact.
 */
const test = databaseSuite('client: metrics, thresholds and alerts');

const DAY = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
let chatbot: string;
let email: string;

async function failure(call: Promise<unknown>) {
  const error = await rejection<Error & { field?: string }>(call);
  return [error.constructor, error.field, error.message];
}

test.before(async ({ pool, client }) => {
  chatbot = await given.channelId(pool, 'chatbot');
  email = await given.channelId(pool, 'email');
  const contained = await given.botInteraction(pool, { start: `${DAY}T09:00:00Z`, end: `${DAY}T09:02:00Z` });
  await given.steps(pool, contained, [['bot', '09:00:00', '09:02:00']]);
  const escalated = await given.botInteraction(pool, { start: `${DAY}T10:00:00Z`, end: `${DAY}T10:10:00Z` });
  await given.steps(pool, escalated, [
    ['bot', '10:00:00', '10:01:00'],
    ['queue', '10:01:00', '10:02:00'],
    ['human', '10:02:00', '10:10:00'],
  ]);
  await given.interaction(pool, {
    start: `${DAY}T11:00:00Z`,
    end: `${DAY}T11:05:00Z`,
    mode: 'live_chat',
    resolution: 'unresolved',
  });
  await given.interaction(pool, {
    start: `${DAY}T12:00:00Z`,
    end: `${DAY}T13:00:00Z`,
    channel: 'email',
    mode: 'live_chat',
  });
  await client.metrics.refresh();
});

test('metrics.values: the catalog metrics over a period, filtered and grouped', async ({ client }) => {
  const all = await client.metrics.values({ from: DAY, to: DAY });
  const byName = Object.fromEntries(all.map((v) => [v.metricName, v]));
  assert.equal(
    [byName.interactions?.value, byName.bot_interactions?.value, byName.live_chat_interactions?.value],
    [4, 1, 3],
  );
  // contained 1 of 2 bot starts; 3 of 4 completed contacts resolved
  assert.equal(
    { ...byName.containment_rate, value: byName.containment_rate?.value },
    {
      metricName: 'containment_rate',
      family: 'quality',
      unit: 'fraction',
      higherIsBetter: true,
      metricDate: null,
      groupKey: null,
      value: 0.5,
      sample: 2,
    },
  );
  assert.is(byName.success_rate?.value, 0.75);
  // no CSAT answers: a rate over nothing has no value
  assert.equal([byName.csat_score?.value, byName.csat_score?.sample], [null, 0]);

  const perChannel = await client.metrics.values({
    from: DAY,
    to: DAY,
    groupBy: 'channel',
    metrics: ['interactions'],
  });
  assert.equal(
    perChannel.map((v) => [v.groupKey, v.value]).sort(),
    [
      [chatbot, 3],
      [email, 1],
    ].sort(),
  );
  const emailOnly = await client.metrics.values({
    from: DAY,
    to: DAY,
    channelId: email,
    metrics: ['success_rate', 'interactions'],
  });
  assert.equal(
    emailOnly.map((v) => [v.metricName, v.value]),
    // quality before volume: ordered by family, then name
    [
      ['success_rate', 1],
      ['interactions', 1],
    ],
  );
  const perDay = await client.metrics.values({
    from: DAY,
    to: DAY,
    groupBy: 'day',
    metrics: ['interactions'],
  });
  assert.equal(
    perDay.map((v) => [v.metricDate, v.value]),
    [[DAY, 4]],
  );
});

test('metrics.values refuses a period that is not one, before the round trip', async ({ client }) => {
  assert.equal(await failure(client.metrics.values({ from: '2026-11-05', to: '2026-11-01' })), [
    ValidationError,
    'to',
    'to (2026-11-01) must not be before from (2026-11-05)',
  ]);
  assert.equal(await failure(client.metrics.values({ from: '2026-13-01', to: '2026-12-01' })), [
    ValidationError,
    'from',
    'from must be a calendar date as YYYY-MM-DD, got 2026-13-01',
  ]);
});

test('the scorecard and bot effectiveness views after refreshViews', async ({ client }) => {
  await client.metrics.refreshViews();
  const scorecard = await client.metrics.scorecard();
  assert.is(scorecard.length, 9);
  const row = scorecard.find((r) => r.channelName === 'chatbot');
  assert.equal(
    [row?.interactions, row?.containmentRate, row?.escalationRate, row?.successRate],
    [3, 0.5, 0.5, 0.666667],
  );
  const bots = await client.metrics.botEffectiveness();
  assert.equal(
    bots.map((b) => [b.channelName, b.typeCode, b.botStarted, b.containmentRate, b.avgBotSeconds]),
    [['chatbot', null, 2, 0.5, 90]],
  );
  const catalog = await client.metrics.catalog();
  assert.ok(
    catalog.some((m) => m.metricName === 'aht_seconds' && m.unit === 'seconds' && m.higherIsBetter === false),
  );
});

test('thresholds: create with the metric direction and defaults, update, list, remove; refusals', async ({
  client,
}) => {
  const created = await client.thresholds.create({
    metricName: 'success_rate',
    scopeKind: 'channel',
    scopeId: chatbot,
    warningThreshold: 0.9,
    criticalThreshold: 0.5,
  });
  assert.equal(
    [
      created.metricName,
      created.scopeKind,
      created.scopeId,
      created.higherIsBetter,
      created.windowDays,
      created.minSample,
    ],
    ['success_rate', 'channel', chatbot, true, 1, 20],
  );
  const updated = await client.thresholds.update(created.thresholdId, {
    minSample: 1,
    description: 'chatbot focus',
  });
  assert.equal(
    [updated.warningThreshold, updated.criticalThreshold, updated.minSample, updated.description],
    [0.9, 0.5, 1, 'chatbot focus'],
  );
  const listed = await client.thresholds.list({ metricName: 'success_rate' });
  assert.equal(
    listed.map((t) => [t.scopeKind, t.scopeId]),
    [
      ['channel', chatbot],
      ['global', null],
    ],
  );
  const duplicate = await rejection(client.thresholds.create({ ...created, warningThreshold: 0.8 } as never));
  assert.instance(duplicate, ConflictError);
  const backwards = await rejection<ValidationError>(
    client.thresholds.create({ metricName: 'aht_seconds', warningThreshold: 900, criticalThreshold: 600 }),
  );
  assert.equal(
    [backwards.constructor, backwards.constraint],
    [ValidationError, 'performance_thresholds_levels_ordered'],
  );
  assert.equal(
    await failure(client.thresholds.update(created.thresholdId, { warningThreshold: Number.NaN })),
    [ValidationError, 'warningThreshold', 'warningThreshold must be a finite number, got NaN'],
  );
  const extra = await client.thresholds.create({
    metricName: 'nps',
    scopeKind: 'channel',
    scopeId: email,
    warningThreshold: 10,
    criticalThreshold: 0,
  });
  await client.thresholds.remove(extra.thresholdId);
  assert.instance(await rejection(client.thresholds.get(extra.thresholdId)), NotFoundError);
});

test('alerts: a check opens one; acknowledge, resolve, and the refusals of each', async ({
  client,
  pool,
}) => {
  const threshold = await client.thresholds.create({
    metricName: 'fcr_rate',
    scopeKind: 'channel',
    scopeId: chatbot,
    warningThreshold: 0.9,
    criticalThreshold: 0.5,
    minSample: 1,
  });
  // only this threshold: the shipped ones would judge these few contacts too
  await pool.query('update cx.performance_thresholds set enabled = (threshold_id = $1)', [
    threshold.thresholdId,
  ]);
  // chatbot: first contact resolution is 2 of 2 resolved... unless a repeat: each contact is another customer
  const checked = await client.alerts.check(DAY);
  assert.equal(checked, { evaluated: 1, opened: 0, escalated: 0, updated: 0, resolved: 0 });
  await client.thresholds.update(threshold.thresholdId, { warningThreshold: 1.5, criticalThreshold: 1.2 });
  // 1.0 is below both now: one critical alert
  assert.equal(await client.alerts.check(DAY), {
    evaluated: 1,
    opened: 1,
    escalated: 0,
    updated: 0,
    resolved: 0,
  });
  const [alert, ...others] = await client.alerts.list();
  assert.is(others.length, 0);
  assert.equal(
    [
      alert?.metricName,
      alert?.scopeId,
      alert?.severity,
      alert?.alertStatus,
      alert?.metricDate,
      alert?.observedValue,
    ],
    ['fcr_rate', chatbot, 'critical', 'open', DAY, 1],
  );
  const id = alert?.alertId as string;
  const { acknowledgedAt } = await client.alerts.acknowledge(id, 'duty manager');
  assert.instance(acknowledgedAt, Date);
  assert.equal(await failure(client.alerts.acknowledge(id, 'someone else')), [
    ValidationError,
    'alertStatus',
    `alert ${id} is acknowledged: only an open alert can be acknowledged`,
  ]);
  await client.alerts.resolve(id, 'bot flow fixed');
  assert.equal(await client.alerts.list(), []);
  const resolved = await client.alerts.list({ statuses: ['resolved'] });
  assert.equal(
    resolved.map((a) => [a.alertStatus, a.resolution, a.acknowledgedBy]),
    [['resolved', 'bot flow fixed', 'duty manager']],
  );
  assert.equal(await failure(client.alerts.resolve(id, 'again')), [
    ValidationError,
    'alertStatus',
    `alert ${id} is already resolved`,
  ]);
  const missing = '01900000-0000-7000-8000-00000000dead';
  assert.instance(await rejection(client.alerts.acknowledge(missing, 'me')), NotFoundError);
  assert.equal(await failure(client.alerts.check('yesterday')), [
    ValidationError,
    'metricDate',
    'metricDate must be a calendar date as YYYY-MM-DD, got yesterday',
  ]);
});

test.run();
