import * as assert from 'uvu/assert';
import { databaseSuite } from '../support/database.js';
import * as given from '../support/given.js';
import { eventually, withWorker } from '../support/worker.js';

/**
 * Thresholds are checked after each refresh, and the views built on the daily tables follow: on
 * the real worker, a day whose success rate breaks a threshold raises its alert without anyone
 * calling a function, and the 30-day scorecard shows the day.
 */
const test = databaseSuite('after a refresh: thresholds and views on the real worker');

test('a refresh queues the threshold check and the view refresh; the alert and the scorecard follow', async ({
  pool,
  connectionString,
}) => {
  const today = new Date().toISOString().slice(0, 10);
  // only one threshold: chatbot success rate, judged on any sample
  await pool.query('update cx.performance_thresholds set enabled = false');
  await pool.query(
    `insert into cx.performance_thresholds (metric_name, scope_kind, scope_id, warning_threshold, critical_threshold, min_sample)
     select 'success_rate', 'channel', channel_id, 0.9, 0.6, 1 from cx.channels where channel_name = 'chatbot'`,
  );
  // 1 of 2 completed resolved: 0.5, below the critical level
  await given.interaction(pool, {
    start: `${today}T00:01:00Z`,
    end: `${today}T00:02:00Z`,
    resolution: 'resolved',
  });
  await given.interaction(pool, {
    start: `${today}T00:03:00Z`,
    end: `${today}T00:04:00Z`,
    resolution: 'unresolved',
  });

  await withWorker(connectionString, async (worker) => {
    const alert = await eventually('the success-rate alert', async () => {
      const { rows } = await pool.query(
        "select severity, observed_value from cx.system_alerts where metric_name = 'success_rate'",
      );
      return rows[0];
    });
    assert.equal(alert, { severity: 'critical', observed_value: 0.5 });
    const scorecard = await eventually(
      'the chatbot in the 30-day scorecard',
      async () => {
        const { rows } = await pool.query(
          "select interactions, success_rate from cx.channel_scorecard_30d where channel_name = 'chatbot' and interactions > 0",
        );
        return rows[0];
      },
      20_000,
    );
    assert.equal(scorecard, { interactions: 2, success_rate: 0.5 });
    // a job's report comes just after its commit: wait for it rather than race it
    for (const task of ['thresholds__check', 'materialized_views__refresh'])
      await eventually(`a ${task} job`, async () => worker.reports.some((r) => r.task === task));
  });
});

test.run();
