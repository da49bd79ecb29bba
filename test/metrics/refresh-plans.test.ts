import type pg from 'pg';
import * as assert from 'uvu/assert';
import { simulate } from '../../src/simulate/load.js';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import { rejection } from '../support/rejection.js';

/**
 * The agent and channel day refreshes pick their join method by the share of all buckets they
 * refresh (cx_private.choose_bucket_joins): more than 100 buckets and more than half of them all
 * hash-join whole sources, anything less probes the indexes bucket by bucket. Both plans must write
 * the same rows.
 */
const test = databaseSuite('refresh plans');

/** 40 days ending 20 November 2026: about 12 agents' and 9 channels' days each. */
const OPTIONS = {
  days: 40,
  interactions: 4000,
  customers: 400,
  end: new Date('2026-11-20T00:00:00Z'),
  seed: 5,
};

/** Every column of the two daily tables but when they were written. */
async function dailyDigest(client: pg.PoolClient) {
  const { rows } = await client.query(`
    select (select count(*)::int from cx.daily_agent_metrics) as agent_rows,
           (select md5(string_agg((to_jsonb(m) - 'refreshed_at')::text, ',' order by m.metric_date, m.agent_id))
              from cx.daily_agent_metrics m) as agent_days,
           (select count(*)::int from cx.daily_interaction_rollup) as channel_rows,
           (select md5(string_agg((to_jsonb(r) - 'refreshed_at')::text, ','
                                  order by r.metric_date, r.channel_id, r.interaction_type_id, r.region))
              from cx.daily_interaction_rollup r) as channel_days`);
  return rows[0];
}

test.before(async ({ pool }) => {
  await simulate(pool, OPTIONS);
  // every bucket the sources have, logged (a rebuild refreshes nothing itself)
  await pool.query('select cx.rebuild_daily_metrics()');
});

test('a rebuild-sized refresh (hash joins) writes exactly what day-sized refreshes (index probes) write', async ({
  pool,
}) => {
  await inRollbackTransaction(pool, async (client) => {
    await client.query(`
      create temporary table bucket on commit drop as
      select distinct bucket_kind, metric_date, bucket_key from cx_private.metric_bucket_log
       where bucket_kind in ('agent', 'channel')`);
    const { rows: sizes } = await client.query(`
      select count(*) filter (where bucket_kind = 'agent')::int as agents,
             count(*) filter (where bucket_kind = 'channel')::int as channels,
             count(distinct metric_date)::int as days from bucket`);
    // 40 days or more (agents' shifts and late outcomes reach past the contacts); a day's buckets
    // are under the 100 that always probe, all of them over it
    assert.ok(sizes[0].days >= 40, `${sizes[0].days} days`);
    assert.ok(sizes[0].agents > 100, `${sizes[0].agents} agent buckets`);
    assert.ok(sizes[0].channels > 100, `${sizes[0].channels} channel buckets`);
    const { rows: busiest } = await client.query(`
      select max(n)::int as buckets from (select count(*) as n from bucket group by bucket_kind, metric_date) d`);
    assert.ok(busiest[0].buckets <= 100, `${busiest[0].buckets} buckets on the busiest day`);

    // one day at a time: a handful of buckets per call, probed
    await client.query(`
      select cx_private.recompute_agent_days(array_agg(metric_date) filter (where bucket_kind = 'agent'),
                                             array_agg(bucket_key) filter (where bucket_kind = 'agent')),
             cx_private.recompute_channel_days(array_agg(metric_date) filter (where bucket_kind = 'channel'),
                                               array_agg(bucket_key) filter (where bucket_kind = 'channel'))
        from bucket group by metric_date`);
    const probed = await dailyDigest(client);

    // every bucket in one call, named three times (counted once), into empty tables: all of them
    // and over 100, hashed
    await client.query('truncate cx.daily_agent_metrics, cx.daily_interaction_rollup');
    const { rows: written } = await client.query(`
      select cx_private.recompute_agent_days(array_agg(b.metric_date), array_agg(b.bucket_key)) as agent_rows
        from bucket b cross join generate_series(1, 3) where b.bucket_kind = 'agent'`);
    const { rows: channelWritten } = await client.query(`
      select cx_private.recompute_channel_days(array_agg(b.metric_date), array_agg(b.bucket_key)) as channel_rows
        from bucket b cross join generate_series(1, 3) where b.bucket_kind = 'channel'`);
    const hashed = await dailyDigest(client);

    assert.ok(probed.agent_rows > 40 && probed.channel_rows > 40, JSON.stringify(probed));
    assert.is(written[0].agent_rows, probed.agent_rows);
    assert.is(channelWritten[0].channel_rows, probed.channel_rows);
    assert.equal(hashed, probed);
  });
});

test('more than 100 buckets and more than half of all of their kind hash; fewer probe', async ({ pool }) => {
  const choose = async (client: pg.PoolClient, kind: string, buckets: number) => {
    await client.query('savepoint choice');
    await client.query('select cx_private.choose_bucket_joins($1, $2)', [kind, buckets]);
    const { rows } = await client.query(
      "select current_setting('enable_nestloop') as nestloop, current_setting('enable_hashjoin') as hashjoin",
    );
    await client.query('rollback to savepoint choice');
    return rows[0].nestloop === 'off' && rows[0].hashjoin === 'on'
      ? 'hash'
      : rows[0].nestloop === 'on' && rows[0].hashjoin === 'off'
        ? 'probe'
        : JSON.stringify(rows[0]);
  };
  await inRollbackTransaction(pool, async (client) => {
    // the first test's rolled-back rows left dead pages that autovacuum may have measured (no live
    // rows on N pages); a truncated table is never measured, whenever this runs
    await client.query('truncate cx.daily_agent_metrics, cx.daily_interaction_rollup');
    // nothing refreshed yet: every refresh of more than 100 buckets is all of them
    assert.is(await choose(client, 'agent', 100), 'probe');
    assert.is(await choose(client, 'agent', 101), 'hash');
    assert.is(await choose(client, 'channel', 100), 'probe');
    assert.is(await choose(client, 'channel', 101), 'hash');

    await client.query('select * from cx.refresh_metrics()');
    const { rows } = await client.query(`
      select (select count(*)::int from cx.daily_agent_metrics) as agent_days,
             (select max(metric_date) - min(metric_date) + 1 from cx.daily_interaction_rollup) as days,
             (select count(*)::int from cx.channels) as channels,
             cx_private.estimated_row_count('cx.daily_agent_metrics') as estimated`);
    const { agent_days: agentDays, days, channels } = rows[0];
    // never analyzed: counted
    assert.is(rows[0].estimated, agentDays);
    assert.ok(agentDays > 202, `${agentDays} agent days`);
    assert.is(await choose(client, 'agent', Math.floor(agentDays / 2)), 'probe');
    assert.is(await choose(client, 'agent', Math.floor(agentDays / 2) + 1), 'hash');
    // a channel has a day whether or not it had contacts: the days of history times the channels
    assert.ok(days >= 40 && channels >= 9, `${days} days, ${channels} channels`);
    assert.is(await choose(client, 'channel', Math.floor((days * channels) / 2)), 'probe');
    assert.is(await choose(client, 'channel', Math.floor((days * channels) / 2) + 1), 'hash');

    // analyzed: the density it measured times the pages there are now
    await client.query('analyze cx.daily_agent_metrics');
    const { rows: analyzed } = await client.query(
      "select cx_private.estimated_row_count('cx.daily_agent_metrics') as estimated",
    );
    assert.is(analyzed[0].estimated, agentDays);

    await client.query('savepoint unknown');
    try {
      const error = await rejection(client.query("select cx_private.choose_bucket_joins('journey', 500)"));
      assert.is(error.message, 'unknown bucket kind journey: expected agent or channel');
    } finally {
      await client.query('rollback to savepoint unknown');
    }
  });
});

test('the join settings are restored when a refresh returns, whichever it chose', async ({ pool }) => {
  const settings = async (client: pg.PoolClient) =>
    (
      await client.query(
        "select current_setting('enable_nestloop') as nestloop, current_setting('enable_hashjoin') as hashjoin",
      )
    ).rows[0];
  await inRollbackTransaction(pool, async (client) => {
    const channel = (await client.query("select channel_id from cx.channels where channel_name = 'chatbot'"))
      .rows[0].channel_id as string;
    const agent = (await client.query('select agent_id from cx.agents limit 1')).rows[0].agent_id as string;
    // one bucket (probed), then 200 days of it (hashed: the tables hold no days yet)
    for (const days of [1, 200]) {
      await client.query(
        `select cx_private.recompute_channel_days(array(select '2026-06-01'::date + d from generate_series(1, $1) d), array_fill($2::uuid, array[$1::int])),
                cx_private.recompute_agent_days(array(select '2026-06-01'::date + d from generate_series(1, $1) d), array_fill($3::uuid, array[$1::int]))`,
        [days, channel, agent],
      );
      assert.equal(await settings(client), { nestloop: 'on', hashjoin: 'on' }, `${days} days`);
    }
  });
});

test.run();
