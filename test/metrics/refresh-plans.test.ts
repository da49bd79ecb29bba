import type pg from 'pg';
import * as assert from 'uvu/assert';
import { simulate } from '../../src/simulate/load.js';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';

/**
 * The agent and channel day refreshes pick their join method by the number of buckets
 * (cx_private.choose_bucket_joins): up to 1000 they probe the indexes bucket by bucket, beyond that
 * they hash-join whole sources. Both plans must write the same rows.
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
    // 40 days or more (agents' shifts and late outcomes reach past the contacts), each day's buckets
    // well under the 1000 that switch to hashing
    assert.ok(sizes[0].days >= 40, `${sizes[0].days} days`);
    assert.ok(sizes[0].agents > 40 && sizes[0].agents < 1000, `${sizes[0].agents} agent buckets`);
    assert.ok(sizes[0].channels > 40 && sizes[0].channels < 1000, `${sizes[0].channels} channel buckets`);

    // one day at a time: a handful of buckets per call, probed
    await client.query(`
      select cx_private.recompute_agent_days(array_agg(metric_date) filter (where bucket_kind = 'agent'),
                                             array_agg(bucket_key) filter (where bucket_kind = 'agent')),
             cx_private.recompute_channel_days(array_agg(metric_date) filter (where bucket_kind = 'channel'),
                                               array_agg(bucket_key) filter (where bucket_kind = 'channel'))
        from bucket group by metric_date`);
    const probed = await dailyDigest(client);

    // every bucket three times in one call: over 1000, hashed (a bucket named twice is refreshed once)
    await client.query('truncate cx.daily_agent_metrics, cx.daily_interaction_rollup');
    const { rows: written } = await client.query(`
      select cx_private.recompute_agent_days(array_agg(b.metric_date), array_agg(b.bucket_key)) as agent_rows,
             cardinality(array_agg(b.metric_date)) as agent_entries
        from bucket b cross join generate_series(1, 3) where b.bucket_kind = 'agent'`);
    const { rows: channelWritten } = await client.query(`
      select cx_private.recompute_channel_days(array_agg(b.metric_date), array_agg(b.bucket_key)) as channel_rows,
             cardinality(array_agg(b.metric_date)) as channel_entries
        from bucket b cross join generate_series(1, 12) where b.bucket_kind = 'channel'`);
    assert.ok(written[0].agent_entries > 1000, `${written[0].agent_entries} agent entries`);
    assert.ok(
      channelWritten[0].channel_entries > 1000,
      `${channelWritten[0].channel_entries} channel entries`,
    );
    const hashed = await dailyDigest(client);

    assert.ok(probed.agent_rows > 40 && probed.channel_rows > 40, JSON.stringify(probed));
    assert.is(written[0].agent_rows, probed.agent_rows);
    assert.is(channelWritten[0].channel_rows, probed.channel_rows);
    assert.equal(hashed, probed);
  });
});

test('the join methods follow the number of buckets and are restored when the refresh returns', async ({
  pool,
}) => {
  const settings = async (client: pg.PoolClient) =>
    (
      await client.query(
        "select current_setting('enable_nestloop') as nestloop, current_setting('enable_hashjoin') as hashjoin",
      )
    ).rows[0];
  await inRollbackTransaction(pool, async (client) => {
    await client.query('select cx_private.choose_bucket_joins(1000)');
    assert.equal(await settings(client), { nestloop: 'on', hashjoin: 'off' });
  });
  await inRollbackTransaction(pool, async (client) => {
    await client.query('select cx_private.choose_bucket_joins(1001)');
    assert.equal(await settings(client), { nestloop: 'off', hashjoin: 'on' });
  });
  await inRollbackTransaction(pool, async (client) => {
    const channel = (await client.query("select channel_id from cx.channels where channel_name = 'chatbot'"))
      .rows[0].channel_id as string;
    for (const entries of [1, 1001]) {
      await client.query(
        `select cx_private.recompute_channel_days(array_fill('2026-11-19'::date, array[$1::int]), array_fill($2::uuid, array[$1::int])),
                cx_private.recompute_agent_days(array_fill('2026-11-19'::date, array[$1::int]),
                                                array_fill((select agent_id from cx.agents limit 1), array[$1::int]))`,
        [entries, channel],
      );
      assert.equal(await settings(client), { nestloop: 'on', hashjoin: 'on' }, `${entries} entries`);
    }
  });
});

test.run();
