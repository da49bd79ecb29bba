import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';

const test = databaseSuite('uuid v7 generator');

test('a UUIDv7 for a given moment carries that moment to the millisecond, version 7 and the RFC variant', async ({
  pool,
}) => {
  const { rows } = await pool.query<{ id: string; at: Date }>(
    "select id::text, cx.uuid_v7_timestamp(id) as at from (select cx.uuid_generate_v7('2026-11-02T09:00:00.123Z') as id) s",
  );
  const [row] = rows;
  assert.ok(row);
  // 2026-11-02T09:00:00.123Z is 1793610000123 ms since the epoch = 0x01a19b7ca6fb
  assert.is(row.id.slice(0, 13), '01a19b7c-a6fb');
  assert.is(row.id[14], '7', 'version nibble');
  assert.ok('89ab'.includes(row.id[19] as string), `variant nibble ${row.id[19]}`);
  assert.is(row.at.toISOString(), '2026-11-02T09:00:00.123Z');
});

test('keys made later sort after keys made earlier, and keys for one moment differ', async ({ pool }) => {
  const { rows } = await pool.query<{ earlier: string; later: string; same_a: string; same_b: string }>(`
    select cx.uuid_generate_v7('2026-01-01T00:00:00Z')::text as earlier,
           cx.uuid_generate_v7('2026-01-01T00:00:00.001Z')::text as later,
           cx.uuid_generate_v7('2026-01-01T00:00:00Z')::text as same_a,
           cx.uuid_generate_v7('2026-01-01T00:00:00Z')::text as same_b`);
  const [row] = rows;
  assert.ok(row);
  assert.ok(row.earlier < row.later, `${row.earlier} < ${row.later}`);
  assert.is.not(row.same_a, row.same_b);
  assert.is(row.same_a.slice(0, 13), row.earlier.slice(0, 13));
});

test('without an argument the key is for now', async ({ pool }) => {
  const { rows } = await pool.query<{ drift_ms: number }>(
    'select abs(extract(epoch from (cx.uuid_v7_timestamp(cx.uuid_generate_v7()) - clock_timestamp())) * 1000)::float8 as drift_ms',
  );
  assert.ok((rows[0]?.drift_ms ?? Number.POSITIVE_INFINITY) < 1000, `drift ${rows[0]?.drift_ms} ms`);
});

test.run();
