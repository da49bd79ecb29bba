import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import {
  AGENT_METRICS,
  buildLedger,
  type Cell,
  D1,
  D2,
  expectedGroups,
  GROUPINGS,
  type Groups,
  INTERACTION_METRICS,
  JOURNEY_METRICS,
  type Ledger,
  OUTCOME_METRICS,
  OVER_NOTHING,
} from './ledger.js';

/**
 * The ledger (test/metrics/ledger.ts: two days, hand-computed) through cx.metric_values and the
 * typed client, for the whole period, per day, per channel, per day and channel, per agent and per
 * day and agent: every metric of every group, exactly, and no group or metric more.
 */
const test = databaseSuite('metrics: the ledger through SQL and the client');

let ledger: Ledger;
let names: Map<string, string>;

/** A group's readable label: the day, the channel's name or the agent's letter. */
function label(date: string | null, key: string | null): string {
  const name = key === null ? null : (names.get(key) ?? key);
  return [date, name].filter((part) => part !== null).join(' ') || 'all';
}

function collect(
  rows: Array<{ date: string | null; key: string | null; metric: string; cell: Cell }>,
): Groups {
  const groups: Groups = {};
  for (const row of rows) {
    const group = label(row.date, row.key);
    groups[group] ??= {};
    groups[group][row.metric] = row.cell;
  }
  return groups;
}

test.before(async ({ client }) => {
  ledger = await buildLedger(client);
  names = new Map([
    [ledger.channels.chatbot, 'chatbot'],
    [ledger.channels.voice, 'voice_call'],
    [ledger.channels.web, 'web_app'],
    [ledger.agents.h, 'H'],
    [ledger.agents.k, 'K'],
  ]);
});

for (const grouping of GROUPINGS) {
  test(`cx.metric_values grouped by ${grouping}`, async ({ pool }) => {
    const { rows } = await pool.query(
      `select metric_name, metric_date::text as day, group_key, value, sample
         from cx.metric_values($1, $2, $3)`,
      [D1, D2, grouping],
    );
    const groups = collect(
      rows.map((r) => ({ date: r.day, key: r.group_key, metric: r.metric_name, cell: [r.value, r.sample] })),
    );
    assert.equal(groups, expectedGroups()[grouping]);
  });

  test(`client.metrics.values grouped by ${grouping}`, async ({ client }) => {
    const values = await client.metrics.values({ from: D1, to: D2, groupBy: grouping });
    const groups = collect(
      values.map((v) => ({
        date: v.metricDate,
        key: v.groupKey,
        metric: v.metricName,
        cell: [v.value, v.sample],
      })),
    );
    assert.equal(groups, expectedGroups()[grouping]);
  });
}

test('the ledger holds every metric of the catalog, each in the table of its source', async ({ pool }) => {
  const { rows } = await pool.query('select source, metric_name from cx.metrics order by metric_name');
  const bySource = (source: string) => rows.filter((r) => r.source === source).map((r) => r.metric_name);
  const sorted = (table: Record<string, unknown>) => Object.keys(table).sort();
  assert.equal(sorted(INTERACTION_METRICS), bySource('daily_interaction_rollup'));
  assert.equal(sorted(JOURNEY_METRICS), bySource('daily_journey_rollup'));
  assert.equal(sorted(OUTCOME_METRICS), bySource('daily_outcome_rollup'));
  assert.equal(sorted(AGENT_METRICS), bySource('daily_agent_metrics'));
  assert.equal(
    sorted(OVER_NOTHING),
    rows.filter((r) => r.source !== 'daily_agent_metrics').map((r) => r.metric_name),
  );
});

test('daily_channel_metrics carries the counts of the newer rates and the bot savings', async ({ pool }) => {
  const { rows } = await pool.query(
    `select metric_date::text || ' ' || c.channel_name as bucket, ended, escalated_answered,
            escalated_queue_abandoned, bot_abandoned, bot_savings_sum
       from cx.daily_channel_metrics m join cx.channels c using (channel_id)
      where metric_date between $1 and $2 order by 1`,
    [D1, D2],
  );
  assert.equal(
    rows.map((r) => [
      r.bucket,
      r.ended,
      r.escalated_answered,
      r.escalated_queue_abandoned,
      r.bot_abandoned,
      r.bot_savings_sum,
    ]),
    [
      // ended I1-I6; I3 answered, I4 left in the queue; I2 left the bot; savings as the ledger says
      [`${D1} chatbot`, 6, 1, 1, 1, 13.57],
      [`${D1} voice_call`, 1, 0, 0, 0, 0],
      [`${D2} voice_call`, 2, 0, 0, 0, 0],
    ],
  );
});

test('filtered to one channel and to one agent, as grouped', async ({ client }) => {
  const expected = expectedGroups();
  for (const [channel, id] of Object.entries({
    chatbot: ledger.channels.chatbot,
    voice_call: ledger.channels.voice,
  })) {
    const values = await client.metrics.values({ from: D1, to: D2, channelId: id, groupBy: 'day' });
    const groups = collect(
      values.map((v) => ({
        date: v.metricDate,
        key: channel,
        metric: v.metricName,
        cell: [v.value, v.sample],
      })),
    );
    const perDay = Object.fromEntries(
      Object.entries(expected.day_channel).filter(([group]) => group.endsWith(` ${channel}`)),
    );
    assert.equal(groups, perDay, channel);
  }
  const values = await client.metrics.values({ from: D2, to: D2, agentId: ledger.agents.k });
  assert.equal(
    Object.fromEntries(values.map((v) => [v.metricName, [v.value, v.sample]])),
    expected.day_agent[`${D2} K`],
  );
});

test.run();
