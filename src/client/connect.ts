import type pg from 'pg';
import { configuredConnectionString } from '../db/database.js';
import { createPool } from '../db/pool.js';
import { type AgentsApi, agentsApi } from './agents.js';
import { type AlertsApi, alertsApi } from './alerts.js';
import { type CustomersApi, customersApi } from './customers.js';
import { type FeedbackApi, feedbackApi } from './feedback.js';
import { type InteractionsApi, interactionsApi } from './interactions.js';
import { type JourneysApi, journeysApi } from './journeys.js';
import { type MetricsApi, metricsApi } from './metrics.js';
import { type OutcomesApi, outcomesApi } from './outcomes.js';
import { referenceDataApis } from './reference-data.js';
import { Session } from './session.js';
import { type ThresholdsApi, thresholdsApi } from './thresholds.js';

export interface ConnectOptions {
  /** Default: DATABASE_URL, else the embedded server's connection string. */
  connectionString?: string;
  /** Use this pool instead of making one (the client then does not end it on close). */
  pool?: pg.Pool;
}

type ReferenceDataApis = ReturnType<typeof referenceDataApis>;

export interface CarepulseClient extends ReferenceDataApis {
  interactions: InteractionsApi;
  customers: CustomersApi;
  agents: AgentsApi;
  feedback: FeedbackApi;
  journeys: JourneysApi;
  outcomes: OutcomesApi;
  /** The read side: KPIs over periods from the daily tables, the scorecard, bot effectiveness. */
  metrics: MetricsApi;
  alerts: AlertsApi;
  thresholds: ThresholdsApi;
  /** Runs `fn` with a client whose calls all happen in one transaction; rolls back if it throws. */
  withTransaction<T>(fn: (tx: CarepulseClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function clientOn(session: Session, close: () => Promise<void>): CarepulseClient {
  return {
    interactions: interactionsApi(session),
    customers: customersApi(session),
    agents: agentsApi(session),
    feedback: feedbackApi(session),
    journeys: journeysApi(session),
    outcomes: outcomesApi(session),
    metrics: metricsApi(session),
    alerts: alertsApi(session),
    thresholds: thresholdsApi(session),
    ...referenceDataApis(session),
    async withTransaction(fn) {
      if (session.db !== session.pool) return fn(clientOn(session, close)); // already inside one
      const connection = await session.pool.connect();
      try {
        await connection.query('begin');
        const result = await fn(clientOn(session.inTransaction(connection), close));
        await connection.query('commit');
        return result;
      } catch (error) {
        await connection.query('rollback').catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    close,
  };
}

/** A carepulse client over a pool; every call is one SQL statement with generated types. */
export function connect(options: ConnectOptions = {}): CarepulseClient {
  const connectionString = options.connectionString ?? (options.pool ? '' : configuredConnectionString());
  const pool = options.pool ?? createPool({ connectionString, max: 10, options: '-c search_path=cx,public' });
  const ownsPool = !options.pool;
  return clientOn(new Session(pool, pool, connectionString), async () => {
    if (ownsPool) await pool.end();
  });
}
