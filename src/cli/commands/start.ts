import type { Command } from 'commander';
import type pg from 'pg';
import { connect } from '../../client/connect.js';
import { dropDatabase } from '../../db/admin.js';
import { withClientCheck } from '../../db/client-check.js';
import { type DatabaseTarget, databaseName } from '../../db/database.js';
import { createPool } from '../../db/pool.js';
import { withDatabase } from '../../db/with-database.js';
import { CarepulseError } from '../../errors.js';
import { migrateDatabase } from '../../migrate/migrate.js';
import { demoState, type IDemoStateResult, markDemoLoaded } from '../../queries/demo.queries.js';
import { buildKpiReport, reportPeriods } from '../../report/kpi-report.js';
import { renderTable } from '../../report/render-report.js';
import { simulate } from '../../simulate/load.js';
import { CHAT_BOT_CODE } from '../../simulate/world.js';
import { refreshUntilEmpty } from '../../worker/refresh-until-empty.js';
import { positiveWholeNumber } from '../arguments.js';
import { progressReporter } from '../progress.js';
import { treatSignalsAsNormalExit } from '../shutdown.js';
import { migrationSummary } from './migrate.js';
import { runWorkerUntilSignalled } from './worker.js';

/** The demo: a carrier's last 60 days, ending now: the report's 30 days, and the 30 before them to compare with. */
export const DEMO_DAYS = 60;
export const DEMO_INTERACTIONS = 150_000;

interface StartOptions {
  /** true: --demo, false: --no-demo, undefined: load into an empty embedded database only. */
  demo?: boolean;
  demoInteractions: number;
}

/** An empty database; a demo load that began (its bot exists) but never marked itself finished. */
async function databaseState(pool: pg.Pool): Promise<IDemoStateResult> {
  const [state] = await demoState.run({ chatBotCode: CHAT_BOT_CODE }, pool);
  if (!state) throw new Error('the demo state query returned no row');
  return state;
}

/**
 * Loads the demo when asked, or by default when the database is carepulse's own embedded one and
 * holds no interactions: never into a user's own database unless --demo says so. A demo load cut
 * off half-way (Ctrl-C) is redone from scratch in the embedded database: the finished load marks
 * itself in the settings.
 */
async function loadDemoIfWanted(db: DatabaseTarget, options: StartOptions): Promise<boolean> {
  let pool = createPool({ connectionString: db.connectionString, max: 2 });
  try {
    let state = await databaseState(pool);
    if (state.unfinishedDemo && db.kind === 'embedded' && options.demo !== false) {
      console.log('An earlier demo load was cut off: the embedded database starts again from scratch.');
      const closing = pool;
      pool = createPool({ connectionString: db.connectionString, max: 2 }); // ended below, whatever happens
      await closing.end();
      await dropDatabase(db.rootConnectionString, databaseName(db.connectionString));
      await migrateDatabase(db);
      state = await databaseState(pool);
    }
    const wanted = options.demo ?? (db.kind === 'embedded' && state.empty);
    if (!wanted) {
      if (!state.empty) console.log('Using the data already in the database (no demo load).');
      return false;
    }
    if (!state.empty)
      throw new CarepulseError(
        'the database already holds customers or interactions: --demo loads only into an empty database',
      );
    console.log(
      `Loading the demo: ${options.demoInteractions} interactions over the last ${DEMO_DAYS} days...`,
    );
    const progress = progressReporter(false);
    const started = Date.now();
    try {
      const summary = await simulate(pool, {
        days: DEMO_DAYS,
        interactions: options.demoInteractions,
        seed: 1,
        onProgress: progress.report,
      });
      progress.stop();
      await markDemoLoaded.run(undefined, pool);
      console.log(
        `Demo loaded: ${summary.interactions} interactions of ${summary.customers} customers in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
      return true;
    } finally {
      progress.stop();
    }
  } finally {
    await pool.end();
  }
}

const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Brings the daily tables, alerts and views up to date, then prints the KPI report of the last 30
 * days. After a demo load the thresholds are checked for each of those days, as the nightly check
 * would have had it run then (only then: on data people work with, a re-check of past days would
 * reopen the alerts they resolved).
 */
async function printReport(db: DatabaseTarget, demoLoaded: boolean): Promise<void> {
  const pool = createPool(
    withClientCheck({ connectionString: db.connectionString, max: 2, options: '-c search_path=cx,public' }),
  );
  const client = connect({ pool });
  try {
    await refreshUntilEmpty(pool);
    if (demoLoaded) {
      const { period } = reportPeriods({ to: await client.metrics.today() });
      for (let day = period.from; day <= period.to; day = nextDay(day)) await client.alerts.check(day);
    } else await client.alerts.check();
    await client.metrics.refreshViews();
    process.stdout.write(renderTable(await buildKpiReport(client)));
  } finally {
    await pool.end();
  }
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'the main job: database up and migrated, the demo loaded into an empty embedded database, the KPI report, then the worker until Ctrl-C',
    )
    .option('--demo', 'load the demo dataset even into your own (empty) database')
    .option('--no-demo', 'never load the demo dataset')
    .option('--demo-interactions <n>', 'size of the demo dataset', positiveWholeNumber, DEMO_INTERACTIONS)
    .action(async (options: StartOptions) => {
      treatSignalsAsNormalExit();
      await withDatabase(async (db) => {
        console.log(migrationSummary(db, await migrateDatabase(db)));
        const demoLoaded = await loadDemoIfWanted(db, options);
        await printReport(db, demoLoaded);
        await runWorkerUntilSignalled(db, {}, () => {
          console.log(`carepulse is ready. Connect with:\n  ${db.connectionString}`);
          console.log('The worker keeps the daily metrics current; it prints one line per job.');
          console.log(
            db.startedHere
              ? 'Press Ctrl-C to stop (this also stops the embedded server carepulse started).'
              : 'Press Ctrl-C to stop.',
          );
        });
      });
    });
}
