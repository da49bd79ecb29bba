import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * cx.refresh_channel_capacity(from, to): hourly load per channel against max_concurrent_users
 * (video_call: 300). On 3 November 2026 (UTC):
 *   V1 09:50-10:20   V2 10:05-10:15   V3 10:15-10:40   V4 10:10-11:10   V5 10:30-10:30 (no length)
 * 09:00  V1: 1 active, 1 arrival, peak 1, 600 s
 * 10:00  all five active, 4 arrivals; V1 + V2 + V4 open from 10:10 to 10:15, when V2 ends as V3
 *        starts (back to back: no overlap), so the peak is 3, never 4; seconds 1,200 + 600 + 1,500
 *        + 3,000 + 0 = 6,300: average 1.75 concurrent, utilisation 1.75 / 300 = 0.005833, peak 0.01
 * 11:00  V4: 1 active, no arrival, peak 1, 600 s
 */
const test = databaseSuite('channel capacity');

const DAY = '2026-11-03';
let refs: given.InteractionRef[];

async function refresh(pool: pg.Pool, from: string, to: string) {
  const { rows } = await pool.query('select * from cx.refresh_channel_capacity($1, $2)', [from, to]);
  return rows[0];
}

async function hours(pool: pg.Pool, channel = 'video_call') {
  const { rows } = await pool.query(
    `select to_char(cc.hour_start at time zone 'UTC', 'HH24:MI') as hour, cc.interactions, cc.arrivals,
            cc.peak_concurrent, cc.interaction_seconds, cc.avg_concurrent, cc.utilisation, cc.peak_utilisation,
            cc.max_concurrent_users
       from cx.channel_capacity cc join cx.channels c using (channel_id)
      where c.channel_name = $1 order by cc.hour_start`,
    [channel],
  );
  return rows.map((r) => Object.values(r));
}

const video = (start: string, end: string) =>
  ({ start: `${DAY}T${start}Z`, end: `${DAY}T${end}Z`, channel: 'video_call', mode: 'video_call' }) as const;

test.before(async ({ pool }) => {
  refs = [];
  for (const [start, end] of [
    ['09:50:00', '10:20:00'],
    ['10:05:00', '10:15:00'],
    ['10:15:00', '10:40:00'],
    ['10:10:00', '11:10:00'],
    ['10:30:00', '10:30:00'],
  ] as const) {
    refs.push(await given.interaction(pool, video(start, end)));
  }
});

test.before.each(async ({ pool }) => {
  await pool.query('delete from cx.channel_capacity');
});

test('per hour: interactions active, arrivals, true peak, average concurrency and utilisation', async ({
  pool,
}) => {
  assert.equal(await refresh(pool, `${DAY}T09:30:00Z`, `${DAY}T12:00:00Z`), {
    hours: 3,
    rows_written: 3,
    rows_removed: 0,
  });
  assert.equal(await hours(pool), [
    ['09:00', 1, 1, 1, 600, 0.1667, 0.000556, 0.003333, 300],
    ['10:00', 5, 4, 3, 6300, 1.75, 0.005833, 0.01, 300],
    ['11:00', 1, 0, 1, 600, 0.1667, 0.000556, 0.003333, 300],
  ]);
});

test('a second refresh writes nothing; a refresh of one hour equals the rebuild of all', async ({ pool }) => {
  await refresh(pool, '-infinity', 'infinity');
  const all = await hours(pool);
  assert.equal(await refresh(pool, '-infinity', 'infinity'), { hours: 3, rows_written: 0, rows_removed: 0 });
  assert.equal(await refresh(pool, `${DAY}T10:00:00Z`, `${DAY}T11:00:00Z`), {
    hours: 1,
    rows_written: 0,
    rows_removed: 0,
  });
  assert.equal(await hours(pool), all);
});

test('changed interactions change only their hours; hours left without interactions lose their row', async ({
  pool,
}) => {
  await refresh(pool, `${DAY}T00:00:00Z`, `${DAY}T23:59:59Z`);
  // V4 ends at 10:50 instead: 11:00 is empty, 10:00 has 2,400 s of V4
  await given.correctInteractions(pool, refs[3] as given.InteractionRef, {
    end_timestamp: `${DAY}T10:50:00Z`,
  });
  try {
    assert.equal(await refresh(pool, `${DAY}T00:00:00Z`, `${DAY}T23:59:59Z`), {
      hours: 2,
      rows_written: 1,
      rows_removed: 1,
    });
    assert.equal(
      (await hours(pool)).map((h) => h.slice(0, 5)),
      [
        ['09:00', 1, 1, 1, 600],
        ['10:00', 5, 4, 3, 5700],
      ],
    );
  } finally {
    await given.correctInteractions(pool, refs[3] as given.InteractionRef, {
      end_timestamp: `${DAY}T11:10:00Z`,
    });
  }
});

test('an interaction counts for at most 7 days, in a full rebuild and in a refresh of a few hours alike', async ({
  pool,
}) => {
  // an email thread left open for 10 days
  const long = await given.interaction(pool, {
    start: '2026-10-01T00:00:00Z',
    end: '2026-10-11T00:00:00Z',
    channel: 'email',
    mode: 'live_chat',
  });
  try {
    assert.equal(await refresh(pool, '-infinity', 'infinity'), {
      hours: 3 + 7 * 24,
      rows_written: 171,
      rows_removed: 0,
    });
    const email = await pool.query(
      `select count(*)::int as hours, min(hour_start) as first, max(hour_start) as last,
              sum(interaction_seconds)::int as seconds
         from cx.channel_capacity where channel_id = (select channel_id from cx.channels where channel_name = 'email')`,
    );
    assert.equal(email.rows[0], {
      hours: 168,
      first: new Date('2026-10-01T00:00:00Z'),
      last: new Date('2026-10-07T23:00:00Z'),
      seconds: 7 * 86400,
    });
    assert.equal(await refresh(pool, '2026-10-07T22:15:00Z', '2026-10-08T02:00:00Z'), {
      hours: 2,
      rows_written: 0,
      rows_removed: 0,
    });
  } finally {
    await given.deleteInteractions(pool, long);
  }
});

test('a range must end after it starts', async ({ pool }) => {
  const error = await refresh(pool, `${DAY}T10:00:00Z`, `${DAY}T10:00:00Z`).then(
    () => undefined,
    (e: { code: string }) => e,
  );
  assert.is(error?.code, '22023');
});

test.run();
