import * as assert from 'uvu/assert';
import { listSettings, updateSetting } from '../../src/queries/settings.queries.js';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import * as given from '../support/given.js';

const test = databaseSuite('settings table');

test('ships the reporting time zone, FCR window, short abandons and the window of accepted times', async ({
  pool,
}) => {
  const rows = await listSettings.run(undefined, pool);
  assert.equal(
    rows.map((r) => [r.settingName, r.settingValue, r.valueType]),
    [
      ['earliest_timestamp', '2000-01-01 00:00:00+00', 'timestamp'],
      ['fcr_repeat_window', '7 days', 'interval'],
      ['latest_timestamp', '2100-01-01 00:00:00+00', 'timestamp'],
      ['reporting_time_zone', 'UTC', 'time_zone'],
      ['short_abandon_grace_seconds', '5', 'integer'],
      ['short_abandons_count', 'true', 'boolean'],
    ],
  );
  const { rows: read } = await pool.query<{ value: string }>(
    "select cx.setting('fcr_repeat_window') as value",
  );
  assert.is(read[0]?.value, '7 days');
});

test('an update is validated by its type and stamps updated_at', async ({ pool }) => {
  await inRollbackTransaction(pool, async (client) => {
    await client.query(
      "update cx.settings set updated_at = '2020-01-01' where setting_name = 'reporting_time_zone'",
    );
    const [row] = await updateSetting.run(
      { settingName: 'reporting_time_zone', settingValue: 'Europe/Berlin' },
      client,
    );
    assert.is(row?.settingValue, 'Europe/Berlin');
    assert.ok((row?.updatedAt.getFullYear() ?? 0) > 2020, 'updated_at moved');
  });
});

test('cx.change_settings: a new reporting time zone logs every bucket for a rebuild; other settings log none', async ({
  pool,
}) => {
  const ref = await given.interaction(pool, { start: '2026-11-04T09:00:00Z', end: '2026-11-04T09:10:00Z' });
  await given.steps(pool, ref, [['human', '09:00:00', '09:10:00']]);
  await pool.query('select cx.refresh_metrics()');
  await inRollbackTransaction(pool, async (client) => {
    const logged = async () =>
      (await client.query('select count(*)::int as n from cx_private.metric_bucket_log')).rows[0].n;
    const { rows } = await client.query(
      `select setting_name, setting_value from cx.change_settings(array['fcr_repeat_window', 'short_abandons_count'], array['3 days', 'false'])`,
    );
    assert.equal(rows, [
      { setting_name: 'fcr_repeat_window', setting_value: '3 days' },
      { setting_name: 'short_abandons_count', setting_value: 'false' },
    ]);
    assert.is(await logged(), 0);
    await client.query(
      `select * from cx.change_settings(array['reporting_time_zone'], array['Europe/Berlin'])`,
    );
    // the channel day and the agent day of the one contact
    assert.is(await logged(), 2);
  });
  const unknown = await pool
    .query(`select * from cx.change_settings(array['speed_of_light'], array['fast'])`)
    .then(
      () => undefined,
      (e) => [e.code, e.message],
    );
  assert.equal(unknown, ['P0002', 'setting speed_of_light does not exist']);
});

for (const [name, bad, type] of [
  ['reporting_time_zone', 'Mars/Olympus_Mons', 'time_zone'],
  ['fcr_repeat_window', 'a week or so', 'interval'],
  ['short_abandon_grace_seconds', 'five', 'integer'],
  ['earliest_timestamp', 'the year 2000', 'timestamp'],
  ['short_abandons_count', 'sometimes', 'boolean'],
] as const) {
  test(`a ${type} setting rejects "${bad}" with a message naming the setting`, async ({ pool }) => {
    const error = await pool
      .query('update cx.settings set setting_value = $2 where setting_name = $1', [name, bad])
      .then(
        () => undefined,
        (e: { code: string; message: string; column: string }) => e,
      );
    assert.ok(error, 'the update was accepted');
    assert.is(error.code, '22023');
    assert.is(error.message, `setting ${name} must be a valid ${type}, got "${bad}"`);
    assert.is(error.column, 'setting_value');
  });
}

test('setting names are snake_case', async ({ pool }) => {
  const error = await pool
    .query(
      "insert into cx.settings (setting_name, setting_value, value_type, description) values ('Bad Name', 'x', 'text', 'x')",
    )
    .then(
      () => undefined,
      (e: { constraint: string }) => e,
    );
  assert.is(error?.constraint, 'settings_setting_name_format');
});

test.run();
