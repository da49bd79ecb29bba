import type pg from 'pg';

/**
 * Test data in a few lines: rows written straight with SQL (the typed client comes later), with
 * readable defaults. Times are UTC ISO strings; a step time like '09:03:00' is on the interaction's day.
 */
type Db = pg.Pool | pg.PoolClient;

export interface InteractionRef {
  customerId: string;
  interactionId: string;
  startTimestamp: string;
}

let counter = 0;
function nextMsisdn(): string {
  counter += 1;
  return `+49151${String(process.pid % 10000).padStart(4, '0')}${String(counter).padStart(4, '0')}`;
}

async function one<T extends pg.QueryResultRow>(db: Db, sql: string, values: unknown[] = []): Promise<T> {
  const { rows } = await db.query<T>(sql, values);
  if (!rows[0]) throw new Error(`no row from: ${sql}`);
  return rows[0];
}

export async function channelId(db: Db, channelName: string): Promise<string> {
  return (
    await one<{ id: string }>(db, 'select channel_id as id from cx.channels where channel_name = $1', [
      channelName,
    ])
  ).id;
}

export async function customer(
  db: Db,
  fields: { msisdn?: string; customerType?: string; region?: string; accountStatus?: string } = {},
): Promise<string> {
  const row = await one<{ id: string }>(
    db,
    `insert into cx.customers (msisdn, customer_type, region, account_status, churned_at)
     values ($1, $2, $3, $4, case when $4 = 'churned' then now() end) returning customer_id as id`,
    [
      fields.msisdn ?? nextMsisdn(),
      fields.customerType ?? 'postpaid',
      fields.region ?? 'DEUR',
      fields.accountStatus ?? 'active',
    ],
  );
  return row.id;
}

export async function interactionType(db: Db, typeCode: string, category = 'billing'): Promise<string> {
  const row = await one<{ id: string }>(
    db,
    `insert into cx.interaction_types (type_code, type_name, category) values ($1, $1, $2)
     on conflict (type_code) do update set type_name = excluded.type_name returning interaction_type_id as id`,
    [typeCode, category],
  );
  return row.id;
}

/** An agent (the same one again for the same code), its current status's interval open as the client's create opens it. */
export async function agent(db: Db, agentCode: string, agentType = 'human'): Promise<string> {
  const row = await one<{ id: string }>(
    db,
    `insert into cx.agents (agent_code, agent_name, agent_type) values ($1, $1, $2)
     on conflict (agent_code) do update set agent_name = excluded.agent_name returning agent_id as id`,
    [agentCode, agentType],
  );
  await db.query(
    `select * from cx.set_agent_statuses(array[$1::uuid], array[(select current_status from cx.agents where agent_id = $1)],
       array[(select status_changed_at from cx.agents where agent_id = $1)])`,
    [row.id],
  );
  return row.id;
}

/** [status, started_at, ended_at]: a status interval as a loader knows it. */
export type StatusInterval = [status: string, startedAt: string, endedAt: string | null];

/** Back-dated status intervals of one agent, through cx.record_status_intervals as a loader records them. */
export async function statusIntervals(db: Db, agentId: string, intervals: StatusInterval[]): Promise<void> {
  await db.query(
    'select cx.record_status_intervals($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[])',
    [
      intervals.map(() => agentId),
      intervals.map(([status]) => status),
      intervals.map(([, startedAt]) => startedAt),
      intervals.map(([, , endedAt]) => endedAt),
    ],
  );
}

export interface InteractionFields {
  customerId?: string;
  start: string;
  end?: string | null;
  channel?: string;
  mode?: string;
  typeId?: string | null;
  status?: string;
  resolution?: string;
  escalated?: boolean;
  sessionId?: string | null;
  costToServe?: number | null;
}

/** Records an interaction (a new customer unless given) through cx.record_interactions, as every writer does; returns its key. */
export async function interaction(db: Db, fields: InteractionFields): Promise<InteractionRef> {
  const customerId = fields.customerId ?? (await customer(db));
  const row = await one<{ interaction_id: string; start_timestamp: Date }>(
    db,
    `select interaction_id, start_timestamp
       from cx.record_interactions(jsonb_build_array(jsonb_build_object(
              'customer_id', $1::uuid, 'start_timestamp', $2::timestamptz, 'end_timestamp', $3::timestamptz,
              'channel_id', (select channel_id from cx.channels where channel_name = $4), 'initial_mode', $5::text,
              'interaction_type_id', $6::uuid, 'status', $7::text, 'resolution_status', $8::text,
              'escalated_to_human', $9::boolean, 'session_id', $10::uuid, 'cost_to_serve', $11::numeric)))`,
    [
      customerId,
      fields.start,
      fields.end ?? null,
      fields.channel ?? 'chatbot',
      fields.mode ?? 'bot',
      fields.typeId ?? null,
      fields.status ?? (fields.end ? 'completed' : 'active'),
      fields.resolution ?? (fields.end ? 'resolved' : 'pending'),
      fields.escalated ?? false,
      fields.sessionId ?? null,
      fields.costToServe ?? null,
    ],
  );
  return { customerId, interactionId: row.interaction_id, startTimestamp: row.start_timestamp.toISOString() };
}

/** An interaction named by its id alone (tests keep ids unique), or by its full key. */
export type InteractionName = string | InteractionRef;

const KEYS_OF = `select ci.customer_id, ci.interaction_id, ci.start_timestamp
   from cx.customer_interactions ci
  where ci.interaction_id = any($1::uuid[])`;

function idsOf(which: InteractionName | InteractionName[]): string[] {
  return (Array.isArray(which) ? which : [which]).map((w) => (typeof w === 'string' ? w : w.interactionId));
}

/**
 * Corrects interactions through cx.correct_interactions, as every writer corrects them: `set` holds
 * the columns to change (a column name and its new value); returns how many it corrected.
 */
export async function correctInteractions(
  db: Db,
  which: InteractionName | InteractionName[],
  set: Record<string, unknown>,
): Promise<number> {
  const row = await one<{ n: number }>(
    db,
    `select count(*)::int as n
       from cx.correct_interactions((select coalesce(jsonb_agg(jsonb_build_object(
                'customer_id', k.customer_id, 'interaction_id', k.interaction_id, 'start_timestamp', k.start_timestamp,
                'set', $2::jsonb)), '[]') from (${KEYS_OF}) k))`,
    [idsOf(which), JSON.stringify(set)],
  );
  return row.n;
}

/** Deletes interactions (with their dependents) through cx.delete_interactions; returns how many it deleted. */
export async function deleteInteractions(
  db: Db,
  which: InteractionName | InteractionName[],
): Promise<number> {
  const row = await one<{ n: number }>(
    db,
    `select count(*)::int as n
       from (select array_agg(k.customer_id) as customers, array_agg(k.interaction_id) as ids,
                    array_agg(k.start_timestamp) as starts from (${KEYS_OF}) k) b
      cross join lateral cx.delete_interactions(b.customers, b.ids, b.starts)`,
    [idsOf(which)],
  );
  return row.n;
}

export function botInteraction(db: Db, fields: Omit<InteractionFields, 'mode'>): Promise<InteractionRef> {
  return interaction(db, { ...fields, mode: 'bot' });
}

/** [type, start, end, agentId?]: start and end as 'HH:MM:SS' on the interaction's UTC day, or full ISO. */
export type StepSpec = [stepType: string, start: string, end: string | null, agentId?: string | null];

function onDayOf(ref: InteractionRef, time: string | null): string | null {
  if (time === null) return null;
  return time.includes('T') ? time : `${ref.startTimestamp.slice(0, 10)}T${time}Z`;
}

/** A row of a cx.record_steps batch: one step of `ref`, the agent left out unless given. */
export function stepRow(
  ref: InteractionRef,
  stepType: string,
  startedAt: string | null,
  endedAt: string | null,
  agentId: string | null = null,
): Record<string, unknown> {
  return {
    customer_id: ref.customerId,
    interaction_id: ref.interactionId,
    interaction_start_timestamp: ref.startTimestamp,
    step_type: stepType,
    started_at: startedAt,
    ended_at: endedAt,
    agent_id: agentId,
  };
}

/** Records the steps in one batch through cx.record_steps, as every writer does; human steps get a default agent. */
export async function steps(db: Db, ref: InteractionRef, specs: StepSpec[]): Promise<void> {
  const human = specs.some(([type, , , agentId]) => type === 'human' && !agentId)
    ? await agent(db, 'given-human')
    : null;
  await db.query('select count(*) from cx.record_steps($1::jsonb)', [
    JSON.stringify(
      specs.map(([type, start, end, agentId]) =>
        stepRow(
          ref,
          type,
          onDayOf(ref, start),
          onDayOf(ref, end),
          agentId ?? (type === 'human' ? human : null),
        ),
      ),
    ),
  ]);
}

/** Which of an interaction's steps: all, or those of a type or a start. */
export interface StepFilter {
  stepType?: string;
  startedAt?: string;
}

const STEPS_OF = `from cx.interaction_steps
   where interaction_id = $1 and ($2::text is null or step_type = $2) and ($3::timestamptz is null or started_at = $3)`;

/** Ends an interaction's steps at `endedAt` through cx.end_steps; returns how many it ended. */
export async function endSteps(
  db: Db,
  interactionId: string,
  endedAt: string,
  which: StepFilter = {},
): Promise<number> {
  const row = await one<{ n: number }>(
    db,
    `select count(*)::int as n
       from cx.end_steps((select coalesce(jsonb_agg(jsonb_build_object('customer_id', customer_id, 'step_id', step_id,
                                'interaction_start_timestamp', interaction_start_timestamp, 'ended_at', $4::timestamptz)), '[]')
                            ${STEPS_OF}))`,
    [interactionId, which.stepType ?? null, which.startedAt ?? null, endedAt],
  );
  return row.n;
}

/** Deletes an interaction's steps through cx.delete_steps; returns how many it deleted. */
export async function deleteSteps(db: Db, interactionId: string, which: StepFilter = {}): Promise<number> {
  const row = await one<{ n: number }>(
    db,
    `select count(*)::int as n
       from (select array_agg(customer_id) as customers, array_agg(step_id) as steps,
                    array_agg(interaction_start_timestamp) as starts
               ${STEPS_OF}) k
      cross join lateral cx.delete_steps(k.customers, k.steps, k.starts)`,
    [interactionId, which.stepType ?? null, which.startedAt ?? null],
  );
  return row.n;
}

/** The interaction's row, as stored. */
export async function interactionRow(db: Db, ref: InteractionRef): Promise<Record<string, unknown>> {
  return one(
    db,
    'select * from cx.customer_interactions where customer_id = $1 and interaction_id = $2 and start_timestamp = $3',
    [ref.customerId, ref.interactionId, ref.startTimestamp],
  );
}

/** Feedback about an interaction (or only of a customer), through cx.record_feedback as every writer records it; returns its id. */
export async function feedback(
  db: Db,
  about: InteractionRef | { customerId: string },
  fields: Record<string, unknown> = {},
): Promise<string> {
  const ref = 'interactionId' in about ? about : null;
  const row = await one<{ feedback_id: string }>(
    db,
    'select feedback_id from cx.record_feedback($1::jsonb)',
    [
      JSON.stringify([
        {
          customer_id: about.customerId,
          interaction_id: ref?.interactionId,
          interaction_start_timestamp: ref?.startTimestamp,
          ...fields,
        },
      ]),
    ],
  );
  return row.feedback_id;
}

/** Journey sessions (rows keyed by column names), through cx.record_sessions; returns their ids in order. */
export async function sessions(db: Db, rows: Array<Record<string, unknown>>): Promise<string[]> {
  const { rows: recorded } = await db.query<{ session_id: string }>(
    'select session_id from cx.record_sessions($1::jsonb) order by ord',
    [JSON.stringify(rows)],
  );
  return recorded.map((r) => r.session_id);
}

/** Journey touchpoints (rows keyed by column names), through cx.record_touchpoints; returns their ids in order. */
export async function touchpoints(db: Db, rows: Array<Record<string, unknown>>): Promise<string[]> {
  const { rows: recorded } = await db.query<{ touchpoint_id: string }>(
    'select touchpoint_id from cx.record_touchpoints($1::jsonb) order by ord',
    [JSON.stringify(rows)],
  );
  return recorded.map((r) => r.touchpoint_id);
}
