import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * Every CHECK, UNIQUE, primary-key, exclusion and foreign-key constraint of the data model, and
 * every rule a trigger raises under a constraint name, refuses a row that breaks it: with its
 * SQLSTATE, its own name in the error's constraint field, and a sentence in the message catalog
 * for the name the error reports. One table of cases per table; each case changes a few fields of
 * a valid base row of its table, and runs in a transaction that is rolled back.
 */
const test = databaseSuite('constraints refuse rows that break them');

const CHECK = '23514';
const UNIQUE = '23505';
const FOREIGN_KEY = '23503';
const EXCLUSION = '23P01';
type SqlState = typeof CHECK | typeof UNIQUE | typeof FOREIGN_KEY | typeof EXCLUSION;

/** An id no row has. */
const MISSING = '01900000-0000-7000-8000-00000000dead';
const ID_1 = '01900000-0000-7000-8000-000000000001';
const ID_2 = '01900000-0000-7000-8000-000000000002';

/** The 10th of the current UTC month, 10:00: migrations always make the current month's partition. */
const now = new Date();
const THIS_MONTH = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 10, 10)).toISOString();
/** A month no partition is made for: rows land in the DEFAULT partition. */
const FAR_FUTURE = '2099-01-10T10:00:00.000Z';

interface Fixtures {
  customer: string;
  otherCustomerSession: string;
  channel: string;
  agent: string;
  plan: string;
  session: string;
  /** A bot interaction of `customer` that started 2026-11-02T09:00:00Z, without steps. */
  interaction: given.InteractionRef;
}

type Row = Record<string, unknown>;
type Db = pg.PoolClient;

function baseRows(f: Fixtures): Record<string, Row> {
  const interactionKey = {
    customer_id: f.customer,
    interaction_id: f.interaction.interactionId,
    interaction_start_timestamp: f.interaction.startTimestamp,
  };
  return {
    settings: { setting_name: 'test_setting', setting_value: 'x', value_type: 'text', description: 'test' },
    channels: { channel_name: 'rcs_chat', display_name: 'RCS chat' },
    interaction_types: { type_code: 'sim_swap', type_name: 'SIM swap', category: 'account' },
    agents: { agent_code: 'emp-1001', agent_name: 'Ada', agent_type: 'human' },
    agent_status_history: {
      agent_id: f.agent,
      status: 'available',
      started_at: '2020-01-01T08:00:00Z',
      ended_at: '2020-01-01T12:00:00Z',
    },
    service_plans: { plan_code: 'unlimited-5g', plan_name: 'Unlimited 5G', plan_kind: 'combo' },
    survey_templates: {
      template_code: 'post_chat_csat',
      template_name: 'Post-chat CSAT',
      survey_type: 'csat',
    },
    knowledge_base: { article_key: 'reset-pin', title: 'Reset your PIN', category: 'account' },
    customers: { msisdn: '+491701234567', customer_type: 'prepaid', region: 'DEUR' },
    customer_service_plans: {
      customer_id: f.customer,
      service_plan_id: f.plan,
      valid_from: '2026-01-01T00:00:00Z',
      valid_to: '2026-07-01T00:00:00Z',
    },
    customer_journey_sessions: { customer_id: f.customer, start_timestamp: '2026-11-02T08:00:00Z' },
    customer_interactions: {
      customer_id: f.customer,
      start_timestamp: '2026-11-02T10:00:00Z',
      channel_id: f.channel,
      initial_mode: 'bot',
    },
    interaction_steps: {
      ...interactionKey,
      step_type: 'bot',
      started_at: '2026-11-02T09:01:00Z',
      ended_at: '2026-11-02T09:02:00Z',
    },
    interaction_external_refs: {
      source_system: 'chatbot',
      external_reference: 'conversation-42',
      customer_id: f.customer,
      interaction_id: f.interaction.interactionId,
      start_timestamp: f.interaction.startTimestamp,
    },
    journey_touchpoints: {
      customer_id: f.customer,
      session_id: f.session,
      channel_id: f.channel,
      touchpoint_type: 'app_screen',
      occurred_at: '2026-11-02T08:01:00Z',
    },
    customer_feedback: { customer_id: f.customer, csat_score: 4 },
    interaction_outcomes: { ...interactionKey, outcome_type: 'upsell', outcome_value: 15 },
    metrics: {
      metric_name: 'test_metric',
      label: 'Test metric',
      family: 'volume',
      description: 'A metric for the test.',
      unit: 'count',
      source: 'daily_interaction_rollup',
      expression: 'sum(interactions)',
      sample_expression: 'sum(interactions)',
    },
    performance_thresholds: {
      metric_name: 'interactions',
      scope_kind: 'channel',
      scope_id: f.channel,
      warning_threshold: 10,
      critical_threshold: 5,
      higher_is_better: true,
    },
    system_alerts: {
      alert_kind: 'threshold',
      alert_key: 'threshold:test',
      scope_kind: 'global',
      metric_date: '2026-11-02',
      severity: 'warning',
      message: 'A test alert.',
    },
    daily_journey_rollup: {
      metric_date: '2026-11-02',
      channel_id: f.channel,
      ...Object.fromEntries(JOURNEY_DAY_MEASURES.map((m) => [m, 0])),
    },
    daily_outcome_rollup: {
      metric_date: '2026-11-02',
      channel_id: f.channel,
      outcome_type: 'sale',
      outcomes: 0,
      value_sum: 0,
      agent_attributed: 0,
    },
    daily_agent_metrics: {
      metric_date: '2026-11-02',
      agent_id: f.agent,
      ...Object.fromEntries(AGENT_DAY_MEASURES.map((m) => [m, 0])),
    },
    daily_interaction_rollup: {
      metric_date: '2026-11-02',
      channel_id: f.channel,
      region: 'DEUR',
      ...Object.fromEntries(ROLLUP_MEASURES.map((m) => [m, 0])),
    },
    customer_experience_scores: {
      customer_id: f.customer,
      score_date: '2026-11-02',
      window_days: 90,
      interactions: 2,
      resolved: 1,
      escalations: 1,
      channels_used: 1,
      csat_responses: 1,
      csat_sum: 4,
      csat_top2: 1,
      nps_responses: 1,
      nps_promoters: 1,
      nps_detractors: 0,
      ces_responses: 0,
      ces_sum: 0,
    },
    channel_capacity: {
      channel_id: f.channel,
      hour_start: '2026-11-02T10:00:00Z',
      interactions: 3,
      arrivals: 2,
      peak_concurrent: 2,
      interaction_seconds: 5400,
      max_concurrent_users: 100,
    },
  };
}

/** The counts and sums of the daily tables (written by cx.refresh_metrics, refused twice all the same). */
const AGENT_DAY_MEASURES = [
  'handled',
  'handle_seconds',
  'wrap_up_seconds',
  'transfers',
  'escalations_received',
  'csat_responses',
  'csat_sum',
  'csat_top2',
  'handling_seconds',
  'idle_seconds',
  'available_seconds',
];
const JOURNEY_DAY_MEASURES = [
  'journeys',
  'journeys_completed',
  'goals_achieved',
  'journeys_abandoned',
  'journeys_escalated',
  'journeys_failed',
  'journeys_in_progress',
  'multi_channel_journeys',
  'channels_used_sum',
  'touchpoints_sum',
  'friction_touchpoints',
  'ended_journeys',
  'duration_seconds_sum',
  'satisfaction_responses',
  'satisfaction_sum',
];
const ROLLUP_MEASURES = [
  'interactions',
  'completed',
  'completed_resolved',
  'resolved',
  'first_contact_resolved',
  'failed',
  'bot_started',
  'contained',
  'contained_resolved',
  'escalated',
  'automated_started',
  'automated_escalated',
  'bot_mode',
  'live_chat_mode',
  'other_mode',
  'queued',
  'answered_after_queue',
  'queue_seconds_answered',
  'abandoned',
  'abandoned_after_grace',
  'answered_within_target',
  'human_handled',
  'human_seconds',
  'wrap_up_seconds',
  'bot_seconds',
  'csat_responses',
  'csat_sum',
  'csat_top2',
  'nps_responses',
  'nps_promoters',
  'nps_passives',
  'nps_detractors',
  'ces_responses',
  'ces_sum',
  'cost_to_serve_sum',
  'contained_cost_sum',
  'human_handled_cost_sum',
];

/** Inserts one row with a plain INSERT; returns how many rows the statement inserted. */
async function insertRow(db: Db, table: string, row: Row): Promise<number | null> {
  const columns = Object.keys(row);
  const { rowCount } = await db.query(
    `insert into cx.${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    columns.map((column) => row[column]),
  );
  return rowCount;
}

/**
 * Inserts one row: an interaction through cx.record_interactions (its fields as JSON), as every
 * writer records one, a row of any other table with a plain INSERT; returns how many rows it wrote.
 */
async function insert(db: Db, table: string, row: Row): Promise<number | null> {
  if (table !== 'customer_interactions') return insertRow(db, table, row);
  const { rowCount } = await db.query('select * from cx.record_interactions($1::jsonb)', [
    JSON.stringify([row]),
  ]);
  return rowCount;
}

interface Refusal {
  table: string;
  constraint: string;
  code: SqlState;
  /** What the case writes, for the test's name. */
  writes: string;
  write: (db: Db, f: Fixtures) => Promise<unknown>;
}

type Change = Row | ((f: Fixtures) => Row);
const resolve = (change: Change, f: Fixtures): Row => (typeof change === 'function' ? change(f) : change);
/** Stand-ins for the fixtures, to name a case's fields before the fixtures exist. */
const NAMED: Fixtures = {
  customer: '<customer>',
  otherCustomerSession: "<another customer's session>",
  channel: '<channel>',
  agent: '<agent>',
  plan: '<plan>',
  session: '<session>',
  interaction: {
    customerId: '<customer>',
    interactionId: '<interaction>',
    startTimestamp: '<interaction start>',
  },
};
const describe = (change: Change): string => JSON.stringify(resolve(change, NAMED));

/** Case builders for one table, on its base row. */
function casesFor(table: string) {
  const row = (f: Fixtures, change: Change) => ({ ...baseRows(f)[table], ...resolve(change, f) });
  return {
    /** The base row with `change` applied. */
    breaks: (constraint: string, change: Change, code: SqlState = CHECK): Refusal => ({
      table,
      constraint,
      code,
      writes: describe(change),
      write: (db, f) => insert(db, table, row(f, change)),
    }),
    /** The same as `breaks`, written with triggers off (session_replication_role = replica), as the partition mover writes. */
    breaksWithoutTriggers: (constraint: string, change: Change): Refusal => ({
      table,
      constraint,
      code: CHECK,
      writes: `${describe(change)} with triggers off`,
      write: async (db, f) => {
        await db.query('set local session_replication_role = replica');
        await insert(db, table, row(f, change));
      },
    }),
    /** Two rows: the base row with `first` applied, then with `second` applied. */
    twice: (constraint: string, first: Change, second: Change, code: SqlState = UNIQUE): Refusal => ({
      table,
      constraint,
      code,
      writes: `${describe(first)} then ${describe(second)}`,
      write: async (db, f) => {
        await insert(db, table, row(f, first));
        await insert(db, table, row(f, second));
      },
    }),
    /** Anything else: a statement a trigger refuses. */
    does: (constraint: string, code: SqlState, writes: string, write: Refusal['write']): Refusal => ({
      table,
      constraint,
      code,
      writes,
      write,
    }),
  };
}

const settings = casesFor('settings');
const channels = casesFor('channels');
const interactionTypes = casesFor('interaction_types');
const agents = casesFor('agents');
const statusHistory = casesFor('agent_status_history');
const plans = casesFor('service_plans');
const surveys = casesFor('survey_templates');
const articles = casesFor('knowledge_base');
const customers = casesFor('customers');
const assignments = casesFor('customer_service_plans');
const sessions = casesFor('customer_journey_sessions');
const interactions = casesFor('customer_interactions');
const steps = casesFor('interaction_steps');
const externalRefs = casesFor('interaction_external_refs');
const touchpoints = casesFor('journey_touchpoints');
const feedback = casesFor('customer_feedback');
const outcomes = casesFor('interaction_outcomes');
const metrics = casesFor('metrics');
const thresholds = casesFor('performance_thresholds');
const alerts = casesFor('system_alerts');
const agentDays = casesFor('daily_agent_metrics');
const journeyDays = casesFor('daily_journey_rollup');
const outcomeDays = casesFor('daily_outcome_rollup');
const rollup = casesFor('daily_interaction_rollup');
const cxScores = casesFor('customer_experience_scores');
const capacity = casesFor('channel_capacity');

/** Every free-text column and its maximum length (migration 000022). */
const MAX_LENGTHS: Array<[table: string, column: string, maximum: number]> = [
  ['agents', 'agent_code', 100],
  ['agents', 'agent_name', 200],
  ['agents', 'team_name', 100],
  ['channels', 'display_name', 200],
  ['customer_feedback', 'feedback_text', 10000],
  ['customer_feedback', 'follow_up_notes', 10000],
  ['customer_interactions', 'app_version', 50],
  ['customer_interactions', 'browser', 200],
  ['customer_interactions', 'operating_system', 200],
  ['customer_interactions', 'customer_intent', 1000],
  ['customer_interactions', 'error_code', 100],
  ['customer_journey_sessions', 'journey_goal', 200],
  ['customers', 'first_name', 200],
  ['customers', 'last_name', 200],
  ['customers', 'city', 200],
  ['customers', 'postal_code', 20],
  ['customers', 'time_zone', 64],
  ['interaction_external_refs', 'external_reference', 500],
  ['interaction_types', 'type_name', 200],
  ['interaction_types', 'sub_category', 100],
  ['interaction_types', 'description', 2000],
  ['journey_touchpoints', 'action', 200],
  ['journey_touchpoints', 'page_or_screen', 500],
  ['knowledge_base', 'title', 500],
  ['knowledge_base', 'content', 100000],
  ['metrics', 'description', 2000],
  ['metrics', 'expression', 4000],
  ['metrics', 'sample_expression', 4000],
  ['performance_thresholds', 'description', 2000],
  ['service_plans', 'plan_name', 200],
  ['settings', 'setting_value', 1000],
  ['settings', 'description', 2000],
  ['survey_templates', 'template_name', 200],
  ['system_alerts', 'alert_key', 500],
  ['system_alerts', 'metric_name', 100],
  ['system_alerts', 'message', 4000],
  ['system_alerts', 'acknowledged_by', 200],
  ['system_alerts', 'resolution', 2000],
];

const cases: Refusal[] = [
  settings.twice('settings_pkey', {}, { description: 'again' }),
  settings.breaks('settings_setting_name_format', { setting_name: 'Test Setting' }),
  settings.breaks('settings_value_type_known', { value_type: 'float' }),

  channels.twice('channels_pkey', { channel_id: ID_1 }, { channel_id: ID_1, channel_name: 'rcs_chat_2' }),
  channels.breaks('channels_channel_name_unique', { channel_name: 'chatbot' }, UNIQUE),
  channels.breaks('channels_channel_name_format', { channel_name: 'RCS Chat' }),
  channels.breaks('channels_channel_name_format', { channel_name: 'r' }),
  channels.breaks('channels_display_name_not_blank', { display_name: '   ' }),
  channels.breaks('channels_channel_category_known', { channel_category: 'premium' }),
  channels.breaks('channels_expected_response_seconds_non_negative', { expected_response_seconds: -1 }),
  channels.breaks('channels_max_concurrent_users_positive', { max_concurrent_users: 0 }),
  channels.breaks('channels_availability_sla_fraction', { availability_sla: 1.001 }),
  channels.breaks('channels_service_level_target_seconds_positive', { service_level_target_seconds: 0 }),
  channels.breaks('channels_bot_cost_per_minute_non_negative', { bot_cost_per_minute: -0.0001 }),
  channels.breaks('channels_human_cost_per_minute_non_negative', { human_cost_per_minute: -1 }),
  channels.breaks('channels_cost_currency_iso', { cost_currency: 'eur' }),

  interactionTypes.twice(
    'interaction_types_pkey',
    { interaction_type_id: ID_1 },
    { interaction_type_id: ID_1, type_code: 'sim_swap_2' },
  ),
  interactionTypes.twice('interaction_types_type_code_unique', {}, { type_name: 'SIM swap again' }),
  interactionTypes.breaks('interaction_types_type_code_format', { type_code: 'SIM-Swap' }),
  interactionTypes.breaks('interaction_types_type_name_not_blank', { type_name: '' }),
  interactionTypes.breaks('interaction_types_category_known', { category: 'marketing' }),
  interactionTypes.breaks('interaction_types_complexity_level_known', { complexity_level: 'trivial' }),
  interactionTypes.breaks('interaction_types_business_criticality_known', { business_criticality: 'none' }),
  interactionTypes.breaks('interaction_types_target_resolution_seconds_positive', {
    target_resolution_seconds: 0,
  }),
  interactionTypes.breaks('interaction_types_escalation_threshold_seconds_positive', {
    escalation_threshold_seconds: 0,
  }),

  agents.twice('agents_pkey', { agent_id: ID_1 }, { agent_id: ID_1, agent_code: 'emp-1002' }),
  agents.twice('agents_agent_code_unique', {}, { agent_name: 'Ada again' }),
  agents.breaks('agents_agent_code_not_blank', { agent_code: ' ' }),
  agents.breaks('agents_agent_name_not_blank', { agent_name: '' }),
  agents.breaks('agents_agent_type_known', { agent_type: 'robot' }),
  agents.breaks('agents_supervisor_id_fkey', { supervisor_id: MISSING }, FOREIGN_KEY),
  agents.breaks('agents_supervisor_id_not_self', { agent_id: ID_1, supervisor_id: ID_1 }),
  agents.breaks('agents_specialization_known', { specialization: 'everything' }),
  agents.breaks('agents_skill_level_known', { skill_level: 'expert' }),
  agents.breaks('agents_languages_codes', { languages: '{EN}' }),
  agents.breaks('agents_languages_codes', { languages: '{}' }),
  agents.breaks('agents_average_handling_seconds_non_negative', { average_handling_seconds: -1 }),
  agents.breaks('agents_satisfaction_score_range', { satisfaction_score: 5.001 }),
  agents.breaks('agents_escalation_rate_fraction', { escalation_rate: 1.00001 }),
  agents.breaks('agents_work_schedule_object', { work_schedule: '[]' }),
  agents.breaks('agents_current_status_known', { current_status: 'lunch' }),
  agents.breaks('agents_max_concurrent_chats_range', { max_concurrent_chats: 0 }),
  agents.breaks('agents_max_concurrent_chats_range', { max_concurrent_chats: 1001 }),

  statusHistory.twice(
    'agent_status_history_pkey',
    { agent_status_id: ID_1 },
    { agent_status_id: ID_1, started_at: '2020-01-02T08:00:00Z', ended_at: '2020-01-02T12:00:00Z' },
  ),
  statusHistory.breaks('agent_status_history_agent_id_fkey', { agent_id: MISSING }, FOREIGN_KEY),
  statusHistory.breaks('agent_status_history_status_known', { status: 'away' }),
  statusHistory.breaks('agent_status_history_source_known', { source: 'manual' }),
  statusHistory.breaks('agent_status_history_ended_at_not_before_started_at', {
    ended_at: '2020-01-01T07:59:59Z',
  }),
  statusHistory.twice(
    'agent_status_history_no_overlap',
    {},
    { started_at: '2020-01-01T11:59:59Z', ended_at: '2020-01-01T13:00:00Z' },
    EXCLUSION,
  ),
  statusHistory.does(
    'agent_status_history_status_changed_at_order',
    CHECK,
    'a status change dated before the open interval started',
    (db, f) =>
      db.query(
        `select * from cx.set_agent_statuses(array[$1::uuid], array['busy'], array['2000-01-01T00:00:00Z'::timestamptz])`,
        [f.agent],
      ),
  ),

  plans.twice('service_plans_pkey', { service_plan_id: ID_1 }, { service_plan_id: ID_1, plan_code: 'other' }),
  plans.twice('service_plans_plan_code_unique', {}, { plan_name: 'Unlimited 5G again' }),
  plans.breaks('service_plans_plan_code_format', { plan_code: 'Unlimited 5G' }),
  plans.breaks('service_plans_plan_name_not_blank', { plan_name: ' ' }),
  plans.breaks('service_plans_plan_kind_known', { plan_kind: 'tv' }),
  plans.breaks('service_plans_payment_type_known', { payment_type: 'credit' }),
  plans.breaks('service_plans_monthly_fee_non_negative', { monthly_fee: -0.01 }),
  plans.breaks('service_plans_currency_iso', { currency: 'eur' }),
  plans.breaks('service_plans_data_allowance_mb_non_negative', { data_allowance_mb: -1 }),
  plans.breaks('service_plans_voice_minutes_non_negative', { voice_minutes: -1 }),
  plans.breaks('service_plans_sms_count_non_negative', { sms_count: -1 }),
  plans.breaks('service_plans_contract_months_range', { contract_months: 61 }),
  plans.breaks('service_plans_contract_months_range', { contract_months: -1 }),

  surveys.twice(
    'survey_templates_pkey',
    { survey_template_id: ID_1 },
    { survey_template_id: ID_1, template_code: 'other_csat' },
  ),
  surveys.twice('survey_templates_template_code_unique', {}, { template_name: 'Again' }),
  surveys.breaks('survey_templates_template_code_format', { template_code: 'Post Chat' }),
  surveys.breaks('survey_templates_template_name_not_blank', { template_name: '' }),
  surveys.breaks('survey_templates_survey_type_known', { survey_type: 'poll' }),
  surveys.breaks('survey_templates_questions_array', { questions: '{}' }),
  surveys.breaks('survey_templates_trigger_event_known', { trigger_event: 'always' }),
  surveys.breaks('survey_templates_delivery_channel_id_fkey', { delivery_channel_id: MISSING }, FOREIGN_KEY),
  surveys.breaks('survey_templates_language_code_format', { language_code: 'english' }),
  surveys.breaks('survey_templates_template_version_positive', { template_version: 0 }),
  surveys.breaks('survey_templates_scale_standard', { scale_min: 1, scale_max: 10 }),
  surveys.breaks('survey_templates_scale_standard', { survey_type: 'nps', scale_min: 1 }),
  surveys.breaks('survey_templates_scale_standard', { survey_type: 'ces', scale_max: 5 }),
  surveys.breaks('survey_templates_scale_standard', { survey_type: 'custom', scale_min: 5, scale_max: 5 }),
  surveys.breaks('survey_templates_scale_standard', { survey_type: 'custom', scale_min: 1 }),

  articles.twice('knowledge_base_pkey', { article_id: ID_1 }, { article_id: ID_1, language_code: 'de' }),
  articles.twice('knowledge_base_article_key_language_unique', {}, { title: 'Reset your PIN again' }),
  articles.breaks('knowledge_base_article_key_format', { article_key: 'Reset PIN' }),
  articles.breaks('knowledge_base_language_code_format', { language_code: 'de_DE' }),
  articles.breaks('knowledge_base_title_not_blank', { title: ' ' }),
  articles.breaks('knowledge_base_category_known', { category: 'network' }),
  articles.breaks('knowledge_base_confidence_score_fraction', { confidence_score: 1.001 }),
  articles.breaks('knowledge_base_article_status_known', { article_status: 'hidden' }),
  articles.breaks('knowledge_base_author_agent_id_fkey', { author_agent_id: MISSING }, FOREIGN_KEY),
  articles.breaks('knowledge_base_article_version_positive', { article_version: 0 }),
  articles.breaks('knowledge_base_usage_count_non_negative', { usage_count: -1 }),
  articles.breaks('knowledge_base_resolution_success_rate_fraction', { resolution_success_rate: -0.00001 }),

  customers.twice('customers_pkey', { customer_id: ID_1 }, { customer_id: ID_1, msisdn: '+491701234568' }),
  customers.twice('customers_msisdn_unique', {}, { customer_type: 'postpaid' }),
  customers.breaks('customers_msisdn_e164', { msisdn: '01701234567' }),
  customers.breaks('customers_customer_type_known', { customer_type: 'business' }),
  customers.breaks('customers_region_known', { region: 'EU' }),
  customers.breaks('customers_country_code_iso', { country_code: 'de' }),
  customers.breaks('customers_customer_segment_known', { customer_segment: 'student' }),
  customers.breaks('customers_credit_limit_non_negative', { credit_limit: -0.01 }),
  customers.breaks('customers_lifetime_value_non_negative', { lifetime_value: -1 }),
  customers.breaks('customers_currency_iso', { currency: 'eur' }),
  customers.breaks('customers_account_status_known', { account_status: 'closed' }),
  customers.breaks('customers_churned_at_when_churned', { account_status: 'churned' }),
  customers.breaks('customers_churned_at_when_churned', { churned_at: '2026-01-01T00:00:00Z' }),
  customers.breaks('customers_churn_risk_score_fraction', { churn_risk_score: 1.0001 }),
  customers.breaks('customers_preferred_contact_time_known', { preferred_contact_time: 'noon' }),
  customers.breaks('customers_preferred_channel_id_fkey', { preferred_channel_id: MISSING }, FOREIGN_KEY),
  customers.breaks('customers_preferred_language_format', { preferred_language: 'German' }),
  customers.breaks('customers_communication_preferences_object', { communication_preferences: '[]' }),
  customers.breaks('customers_total_interactions_non_negative', { total_interactions: -1 }),
  customers.breaks('customers_successful_interactions_non_negative', { successful_interactions: -1 }),
  customers.breaks('customers_escalation_count_non_negative', { escalation_count: -1 }),

  assignments.twice(
    'customer_service_plans_pkey',
    { assignment_id: ID_1 },
    { assignment_id: ID_1, valid_from: '2027-01-01T00:00:00Z', valid_to: null },
  ),
  assignments.breaks('customer_service_plans_customer_id_fkey', { customer_id: MISSING }, FOREIGN_KEY),
  assignments.breaks(
    'customer_service_plans_service_plan_id_fkey',
    { service_plan_id: MISSING, plan_kind: 'data' },
    FOREIGN_KEY,
  ),
  // plan_kind is copied from the plan when omitted: a plan that does not exist is still the foreign key's error
  assignments.breaks(
    'customer_service_plans_service_plan_id_fkey',
    { service_plan_id: MISSING },
    FOREIGN_KEY,
  ),
  assignments.breaks('customer_service_plans_service_plan_id_fkey', { plan_kind: 'voice' }, FOREIGN_KEY),
  assignments.breaks('customer_service_plans_assignment_reason_known', { assignment_reason: 'whim' }),
  assignments.breaks('customer_service_plans_valid_to_after_valid_from', {
    valid_to: '2026-01-01T00:00:00Z',
  }),
  assignments.twice(
    'customer_service_plans_no_overlap',
    {},
    { valid_from: '2026-06-30T00:00:00Z', valid_to: null },
    EXCLUSION,
  ),

  sessions.twice('customer_journey_sessions_pkey', { session_id: ID_1 }, { session_id: ID_1 }),
  sessions.breaks('customer_journey_sessions_customer_id_fkey', { customer_id: MISSING }, FOREIGN_KEY),
  sessions.breaks('customer_journey_sessions_journey_outcome_known', { journey_outcome: 'lost' }),
  sessions.breaks(
    'customer_journey_sessions_entry_channel_id_fkey',
    { entry_channel_id: MISSING },
    FOREIGN_KEY,
  ),
  sessions.breaks(
    'customer_journey_sessions_exit_channel_id_fkey',
    { exit_channel_id: MISSING },
    FOREIGN_KEY,
  ),
  sessions.breaks('customer_journey_sessions_device_type_known', { device_type: 'watch' }),
  sessions.breaks('customer_journey_sessions_journey_satisfaction_score_range', {
    journey_satisfaction_score: 0,
  }),
  sessions.breaks('customer_journey_sessions_journey_satisfaction_score_range', {
    journey_satisfaction_score: 6,
  }),
  sessions.breaks('customer_journey_sessions_end_timestamp_not_before_start', {
    end_timestamp: '2026-11-02T07:59:59Z',
  }),

  // the key is checked by each partition's own index: a month partition's, and the DEFAULT partition's
  interactions.twice(
    'customer_interactions_pkey',
    { interaction_id: ID_1, start_timestamp: THIS_MONTH },
    { interaction_id: ID_1, start_timestamp: THIS_MONTH },
  ),
  interactions.twice(
    'customer_interactions_pkey',
    { interaction_id: ID_1, start_timestamp: FAR_FUTURE },
    { interaction_id: ID_1, start_timestamp: FAR_FUTURE },
  ),
  // cx.record_interactions refuses a missing customer itself (customer_missing, below); a correction
  // moving an interaction to one is the table's foreign key's to refuse
  interactions.does(
    'customer_interactions_customer_id_fkey',
    FOREIGN_KEY,
    'cx.correct_interactions moving an interaction to a customer that does not exist',
    (db, f) => given.correctInteractions(db, f.interaction, { customer_id: MISSING }),
  ),
  interactions.breaks('customer_interactions_customer_missing', { customer_id: MISSING }, FOREIGN_KEY),
  interactions.breaks('customer_interactions_queue_time_seconds_non_negative', { queue_time_seconds: -1 }),
  interactions.breaks('customer_interactions_channel_id_fkey', { channel_id: MISSING }, FOREIGN_KEY),
  interactions.breaks(
    'customer_interactions_interaction_type_id_fkey',
    { interaction_type_id: MISSING },
    FOREIGN_KEY,
  ),
  interactions.breaks('customer_interactions_session_id_fkey', { session_id: MISSING }, FOREIGN_KEY),
  interactions.breaks(
    'customer_interactions_session_id_fkey',
    (f) => ({ session_id: f.otherCustomerSession }),
    FOREIGN_KEY,
  ),
  interactions.breaks(
    'customer_interactions_parent_interaction_id_fkey',
    { parent_interaction_id: MISSING, parent_start_timestamp: '2026-11-02T09:00:00Z' },
    FOREIGN_KEY,
  ),
  interactions.breaks('customer_interactions_parent_complete', (f) => ({
    parent_interaction_id: f.interaction.interactionId,
  })),
  interactions.breaks('customer_interactions_status_known', { status: 'done' }),
  interactions.breaks('customer_interactions_resolution_status_known', { resolution_status: 'fixed' }),
  interactions.breaks('customer_interactions_error_code_only_when_failed', {
    status: 'completed',
    error_code: 'E42',
  }),
  interactions.breaks('customer_interactions_device_type_known', { device_type: 'watch' }),
  interactions.breaks('customer_interactions_connection_type_known', { connection_type: 'satellite' }),
  interactions.breaks('customer_interactions_screen_resolution_format', { screen_resolution: '1080 x 2400' }),
  interactions.breaks('customer_interactions_client_info_object', { client_info: [] }),
  interactions.breaks(
    'customer_interactions_primary_agent_id_fkey',
    { primary_agent_id: MISSING },
    FOREIGN_KEY,
  ),
  interactions.breaks(
    'customer_interactions_secondary_agent_id_fkey',
    { secondary_agent_id: MISSING },
    FOREIGN_KEY,
  ),
  interactions.breaks(
    'customer_interactions_supervisor_agent_id_fkey',
    { supervisor_agent_id: MISSING },
    FOREIGN_KEY,
  ),
  interactions.breaks('customer_interactions_initial_mode_known', { initial_mode: 'chat' }),
  // the row trigger always derives interaction_mode from initial_mode; the CHECK guards writes without it
  interactions.breaksWithoutTriggers('customer_interactions_interaction_mode_known', {
    interaction_mode: 'chat',
    region: 'DEUR',
  }),
  interactions.breaks('customer_interactions_interaction_mode_consistent', { interaction_mode: 'live_chat' }),
  interactions.breaks('customer_interactions_interaction_mode_consistent', {
    initial_mode: 'ivr',
    escalated_to_human: true,
    interaction_mode: 'live_chat',
  }),
  interactions.breaks('customer_interactions_bot_duration_seconds_non_negative', {
    bot_duration_seconds: -1,
  }),
  interactions.breaks('customer_interactions_human_duration_seconds_non_negative', {
    human_duration_seconds: -1,
  }),
  interactions.breaks('customer_interactions_wrap_up_seconds_non_negative', { wrap_up_seconds: -1 }),
  interactions.breaks('customer_interactions_escalation_reason_known', {
    escalated_to_human: true,
    escalation_reason: 'boredom',
  }),
  interactions.breaks('customer_interactions_customer_satisfaction_score_range', {
    customer_satisfaction_score: 6,
  }),
  interactions.breaks('customer_interactions_customer_effort_score_range', { customer_effort_score: 8 }),
  interactions.breaks('customer_interactions_nps_score_range', { nps_score: 11 }),
  interactions.breaks('customer_interactions_interaction_value_non_negative', { interaction_value: -0.01 }),
  interactions.breaks('customer_interactions_cost_to_serve_non_negative', { cost_to_serve: -0.01 }),
  // the row trigger always sets cost_to_serve_source itself and no write function takes it: the CHECK
  // guards the rows the partition mover copies as they are, with a plain INSERT and triggers off
  interactions.does(
    'customer_interactions_cost_to_serve_source_known',
    CHECK,
    `${describe({ cost_to_serve_source: 'estimated', interaction_mode: 'bot', region: 'DEUR' })} by a plain INSERT with triggers off`,
    async (db, f) => {
      await db.query('set local session_replication_role = replica');
      await insertRow(db, 'customer_interactions', {
        ...baseRows(f).customer_interactions,
        cost_to_serve_source: 'estimated',
        interaction_mode: 'bot',
        region: 'DEUR',
      });
    },
  ),
  interactions.breaks('customer_interactions_sentiment_score_range', { sentiment_score: -1.001 }),
  interactions.breaks('customer_interactions_language_code_format', { language_code: 'EN' }),
  interactions.breaks('customer_interactions_region_known', { region: 'EU' }),
  interactions.breaks('customer_interactions_end_timestamp_not_before_start', {
    end_timestamp: '2026-11-02T09:59:59Z',
  }),
  interactions.breaks('customer_interactions_escalation_timestamp_in_interaction', {
    escalated_to_human: true,
    escalation_timestamp: '2026-11-02T09:59:00Z',
  }),
  interactions.breaks('customer_interactions_escalation_fields_need_escalation', {
    escalation_reason: 'other',
  }),
  interactions.breaks('customer_interactions_escalation_fields_need_escalation', {
    escalation_timestamp: '2026-11-02T10:05:00Z',
  }),
  interactions.breaks('customer_interactions_escalation_needs_automated_start', {
    initial_mode: 'video_call',
    escalated_to_human: true,
  }),
  interactions.does(
    'customer_interactions_escalation_irreversible',
    CHECK,
    'escalated_to_human set back to false',
    async (db, f) => {
      await insert(db, 'customer_interactions', {
        ...baseRows(f).customer_interactions,
        interaction_id: ID_1,
        escalated_to_human: true,
      });
      await given.correctInteractions(db, ID_1, { escalated_to_human: false });
    },
  ),
  interactions.does('customer_interactions_initial_mode_fixed', CHECK, 'initial_mode changed', (db, f) =>
    given.correctInteractions(db, f.interaction, { initial_mode: 'ivr' }),
  ),
  // cx.correct_interactions does not take interaction_id (it is refused as a field): the rule
  // guards the owner's direct updates, which the row trigger still checks
  interactions.does('customer_interactions_interaction_id_fixed', CHECK, 'interaction_id changed', (db, f) =>
    db.query('update cx.customer_interactions set interaction_id = $2 where interaction_id = $1', [
      f.interaction.interactionId,
      ID_2,
    ]),
  ),
  interactions.does(
    'customer_interactions_interaction_id_shared',
    CHECK,
    'the start of two interactions that share an interaction_id changed in one cx.correct_interactions batch',
    async (db, f) => {
      const starts = ['2026-11-02T10:00:00Z', '2026-11-03T10:00:00Z'];
      for (const start of starts) {
        await insert(db, 'customer_interactions', {
          ...baseRows(f).customer_interactions,
          interaction_id: ID_1,
          start_timestamp: start,
        });
      }
      await db.query('select * from cx.correct_interactions($1::jsonb)', [
        JSON.stringify(
          starts.map((start) => ({
            customer_id: f.customer,
            interaction_id: ID_1,
            start_timestamp: start,
            set: { start_timestamp: new Date(Date.parse(start) + 60_000).toISOString() },
          })),
        ),
      ]);
    },
  ),

  steps.twice('interaction_steps_pkey', { step_id: ID_1 }, { step_id: ID_1 }),
  steps.breaks('interaction_steps_step_type_known', { step_type: 'transfer' }),
  steps.breaks('interaction_steps_agent_id_fkey', { agent_id: MISSING }, FOREIGN_KEY),
  steps.breaks('interaction_steps_kb_article_id_fkey', { kb_article_id: MISSING }, FOREIGN_KEY),
  steps.breaks('interaction_steps_step_outcome_known', { step_outcome: 'ok' }),
  steps.breaks('interaction_steps_step_details_object', { step_details: '"menu 2"' }),
  // the write function every writer records steps through checks it (issue 15), not the table
  steps.does(
    'interaction_steps_interaction_missing',
    FOREIGN_KEY,
    'cx.record_steps naming an interaction that does not exist',
    (db, f) =>
      db.query('select * from cx.record_steps($1::jsonb)', [
        JSON.stringify([{ ...baseRows(f).interaction_steps, interaction_id: MISSING }]),
      ]),
  ),
  steps.breaks('interaction_steps_ended_at_not_before_started_at', { ended_at: '2026-11-02T09:00:59Z' }),
  steps.breaks('interaction_steps_started_at_in_interaction', { started_at: '2026-11-02T08:59:59Z' }),
  steps.breaks('interaction_steps_queue_has_no_agent', (f) => ({ step_type: 'queue', agent_id: f.agent })),
  steps.breaks('interaction_steps_human_has_agent', { step_type: 'human' }),
  steps.does(
    'interaction_steps_escalation_irreversible',
    CHECK,
    'the human step of an escalated interaction deleted by cx.delete_steps',
    async (db, f) => {
      await given.steps(db, f.interaction, [
        ['bot', '09:00:00', '09:01:00'],
        ['human', '09:01:00', '09:03:00', f.agent],
      ]);
      await given.deleteSteps(db, f.interaction.interactionId, { stepType: 'human' });
    },
  ),

  externalRefs.twice('interaction_external_refs_pkey', {}, {}),
  externalRefs.breaks('interaction_external_refs_source_system_format', { source_system: 'Chat Bot' }),
  externalRefs.breaks('interaction_external_refs_external_reference_not_blank', { external_reference: ' ' }),

  touchpoints.twice('journey_touchpoints_pkey', { touchpoint_id: ID_1 }, { touchpoint_id: ID_1 }),
  touchpoints.breaks('journey_touchpoints_channel_id_fkey', { channel_id: MISSING }, FOREIGN_KEY),
  touchpoints.breaks('journey_touchpoints_touchpoint_type_known', { touchpoint_type: 'click' }),
  touchpoints.breaks('journey_touchpoints_sequence_number_positive', { sequence_number: 0 }),
  touchpoints.breaks('journey_touchpoints_dwell_seconds_non_negative', { dwell_seconds: -1 }),
  touchpoints.breaks('journey_touchpoints_friction_type_known', {
    friction_detected: true,
    friction_type: 'rage_click',
  }),
  touchpoints.breaks('journey_touchpoints_friction_type_needs_friction', { friction_type: 'error' }),
  touchpoints.breaks('journey_touchpoints_touchpoint_details_object', { touchpoint_details: '1' }),
  touchpoints.breaks('journey_touchpoints_session_id_fkey', { session_id: MISSING }, FOREIGN_KEY),
  touchpoints.breaks(
    'journey_touchpoints_session_id_fkey',
    (f) => ({ session_id: f.otherCustomerSession }),
    FOREIGN_KEY,
  ),
  // the write function every writer records touchpoints through checks it (issue 15), not the table
  touchpoints.does(
    'journey_touchpoints_interaction_fkey',
    FOREIGN_KEY,
    'cx.record_touchpoints naming an interaction that does not exist',
    (db, f) =>
      db.query('select * from cx.record_touchpoints($1::jsonb)', [
        JSON.stringify([
          {
            customer_id: f.customer,
            session_id: f.session,
            channel_id: f.channel,
            touchpoint_type: 'page_view',
            interaction_id: MISSING,
            interaction_start_timestamp: '2026-11-02T09:00:00Z',
          },
        ]),
      ]),
  ),
  touchpoints.breaks('journey_touchpoints_interaction_complete', (f) => ({
    interaction_id: f.interaction.interactionId,
  })),

  feedback.twice('customer_feedback_pkey', { feedback_id: ID_1 }, { feedback_id: ID_1 }),
  feedback.breaks('customer_feedback_customer_id_fkey', { customer_id: MISSING }, FOREIGN_KEY),
  feedback.breaks('customer_feedback_survey_template_id_fkey', { survey_template_id: MISSING }, FOREIGN_KEY),
  feedback.breaks('customer_feedback_channel_id_fkey', { channel_id: MISSING }, FOREIGN_KEY),
  feedback.breaks('customer_feedback_csat_score_range', { csat_score: 6 }),
  feedback.breaks('customer_feedback_nps_score_range', { nps_score: 11 }),
  feedback.breaks('customer_feedback_ces_score_range', { ces_score: 8 }),
  feedback.breaks('customer_feedback_sentiment_score_range', { sentiment_score: 1.001 }),
  feedback.breaks('customer_feedback_sentiment_label_known', { sentiment_label: 'angry' }),
  feedback.breaks('customer_feedback_answers_object', { answers: '[]' }),
  feedback.breaks('customer_feedback_follow_up_status_known', { follow_up_status: 'todo' }),
  feedback.breaks('customer_feedback_follow_up_agent_id_fkey', { follow_up_agent_id: MISSING }, FOREIGN_KEY),
  // the write function every writer records feedback through checks it (issue 15), not the table
  feedback.does(
    'customer_feedback_interaction_fkey',
    FOREIGN_KEY,
    'cx.record_feedback about an interaction that does not exist',
    (db, f) =>
      db.query('select * from cx.record_feedback($1::jsonb)', [
        JSON.stringify([
          {
            customer_id: f.customer,
            interaction_id: MISSING,
            interaction_start_timestamp: '2026-11-02T09:00:00Z',
            csat_score: 4,
          },
        ]),
      ]),
  ),
  feedback.breaks('customer_feedback_session_id_fkey', { session_id: MISSING }, FOREIGN_KEY),
  feedback.breaks('customer_feedback_interaction_complete', {
    interaction_start_timestamp: '2026-11-02T09:00:00Z',
  }),
  feedback.breaks('customer_feedback_has_content', { csat_score: null }),
  feedback.breaks('customer_feedback_has_content', { csat_score: null, feedback_text: '   ', answers: '{}' }),
  feedback.breaks('customer_feedback_follow_up_resolved_at_when_resolved', {
    follow_up_status: 'pending',
    follow_up_resolved_at: '2026-11-03T00:00:00Z',
  }),

  outcomes.twice('interaction_outcomes_pkey', { outcome_id: ID_1 }, { outcome_id: ID_1 }),
  outcomes.breaks('interaction_outcomes_outcome_type_known', { outcome_type: 'gift' }),
  outcomes.breaks('interaction_outcomes_currency_iso', { currency: 'eur' }),
  outcomes.breaks('interaction_outcomes_service_plan_id_fkey', { service_plan_id: MISSING }, FOREIGN_KEY),
  outcomes.breaks(
    'interaction_outcomes_attributed_agent_id_fkey',
    { attributed_agent_id: MISSING },
    FOREIGN_KEY,
  ),
  outcomes.breaks('interaction_outcomes_outcome_details_object', { outcome_details: 'null' }),
  // the write function every writer records outcomes through checks it (issue 15), not the table
  outcomes.does(
    'interaction_outcomes_interaction_fkey',
    FOREIGN_KEY,
    'cx.record_outcomes of an interaction that does not exist',
    (db, f) =>
      db.query(
        `select * from cx.record_outcomes(array[$1::uuid], array[$2::uuid], array[$3::timestamptz], array['upsell'])`,
        [f.interaction.customerId, MISSING, f.interaction.startTimestamp],
      ),
  ),
  outcomes.breaks('interaction_outcomes_outcome_value_sign', { outcome_type: 'refund', outcome_value: 5 }),
  outcomes.breaks('interaction_outcomes_outcome_value_sign', { outcome_type: 'sale', outcome_value: -5 }),

  metrics.twice('metrics_pkey', {}, {}),
  metrics.breaks('metrics_metric_name_format', { metric_name: 'Handle Time' }),
  metrics.breaks('metrics_family_known', { family: 'vanity' }),
  metrics.breaks('metrics_description_not_blank', { description: ' ' }),
  metrics.breaks('metrics_unit_known', { unit: 'percent' }),
  metrics.breaks('metrics_source_known', { source: 'customer_interactions' }),

  thresholds.twice(
    'performance_thresholds_pkey',
    { threshold_id: ID_1 },
    { threshold_id: ID_1, metric_name: 'escalations' },
  ),
  thresholds.twice('performance_thresholds_metric_scope_idx', {}, {}),
  thresholds.breaks(
    'performance_thresholds_metric_name_fkey',
    { metric_name: 'no_such_metric' },
    FOREIGN_KEY,
  ),
  thresholds.breaks('performance_thresholds_scope_kind_known', { scope_kind: 'team' }),
  thresholds.breaks('performance_thresholds_scope_id_matches_kind', { scope_kind: 'global' }),
  thresholds.breaks('performance_thresholds_scope_id_matches_kind', { scope_id: null }),
  thresholds.breaks('performance_thresholds_window_days_range', { window_days: 0 }),
  thresholds.breaks('performance_thresholds_min_sample_non_negative', { min_sample: -1 }),
  thresholds.breaks('performance_thresholds_levels_ordered', {
    warning_threshold: 5,
    critical_threshold: 10,
  }),
  thresholds.breaks('performance_thresholds_levels_ordered', {
    higher_is_better: false,
    warning_threshold: 10,
    critical_threshold: 5,
  }),
  // interactions is a plain volume: no direction to take
  thresholds.breaks('performance_thresholds_direction_known', { higher_is_better: null }),

  alerts.twice('system_alerts_pkey', { alert_id: ID_1 }, { alert_id: ID_1, alert_key: 'threshold:other' }),
  alerts.twice('system_alerts_one_open_idx', {}, {}),
  alerts.breaks('system_alerts_alert_kind_known', { alert_kind: 'hunch' }),
  alerts.breaks('system_alerts_threshold_id_fkey', { threshold_id: MISSING }, FOREIGN_KEY),
  alerts.breaks('system_alerts_scope_kind_known', { scope_kind: 'team' }),
  alerts.breaks('system_alerts_severity_known', { severity: 'fatal' }),
  alerts.breaks('system_alerts_alert_status_known', {
    alert_status: 'snoozed',
    acknowledged_at: '2026-11-02T10:00:00Z',
  }),
  alerts.breaks('system_alerts_acknowledged_fields', { alert_status: 'acknowledged' }),
  alerts.breaks('system_alerts_resolved_fields', { alert_status: 'resolved' }),
  alerts.breaks('system_alerts_resolved_fields', { resolved_at: '2026-11-02T10:00:00Z' }),

  agentDays.twice('daily_agent_metrics_pkey', {}, {}),
  journeyDays.twice('daily_journey_rollup_bucket_idx', {}, {}),
  journeyDays.twice('daily_journey_rollup_bucket_idx', { channel_id: null }, { channel_id: null }),
  outcomeDays.twice('daily_outcome_rollup_pkey', {}, {}),
  rollup.twice('daily_interaction_rollup_bucket_idx', {}, {}),
  // no type is one bucket too: nulls are not distinct here
  rollup.twice(
    'daily_interaction_rollup_bucket_idx',
    { interaction_type_id: null },
    { interaction_type_id: null },
  ),

  cxScores.twice('customer_experience_scores_pkey', {}, { interactions: 3 }),
  cxScores.breaks('customer_experience_scores_customer_id_fkey', { customer_id: MISSING }, FOREIGN_KEY),
  cxScores.breaks('customer_experience_scores_window_days_range', { window_days: 0 }),
  cxScores.breaks('customer_experience_scores_churn_risk_score_fraction', { churn_risk_score: 1.5 }),
  cxScores.breaks('customer_experience_scores_counts_consistent', {
    interactions: 0,
    resolved: 0,
    escalations: 0,
    channels_used: 0,
    csat_responses: 0,
    csat_sum: 0,
    csat_top2: 0,
    nps_responses: 0,
    nps_promoters: 0,
  }),
  cxScores.breaks('customer_experience_scores_counts_consistent', { resolved: 3 }),
  cxScores.breaks('customer_experience_scores_counts_consistent', { channels_used: 0 }),
  cxScores.breaks('customer_experience_scores_score_sums_in_range', { csat_sum: 6 }),
  cxScores.breaks('customer_experience_scores_score_sums_in_range', { nps_detractors: 1 }),
  cxScores.breaks('customer_experience_scores_score_sums_in_range', { ces_responses: 1, ces_sum: 8 }),

  capacity.twice('channel_capacity_pkey', {}, { interactions: 4 }),
  capacity.breaks('channel_capacity_channel_id_fkey', { channel_id: MISSING }, FOREIGN_KEY),
  capacity.breaks('channel_capacity_hour_start_whole_hour', { hour_start: '2026-11-02T10:30:00Z' }),
  capacity.breaks('channel_capacity_max_concurrent_users_positive', { max_concurrent_users: 0 }),
  capacity.breaks('channel_capacity_counts_consistent', {
    interactions: 0,
    arrivals: 0,
    peak_concurrent: 0,
    interaction_seconds: 0,
  }),
  capacity.breaks('channel_capacity_counts_consistent', { peak_concurrent: 4, interaction_seconds: 0 }),
  capacity.breaks('channel_capacity_interaction_seconds_range', { interaction_seconds: 7201 }),

  // the window of accepted times (settings earliest_timestamp, latest_timestamp)
  interactions.breaks('customer_interactions_start_timestamp_in_window', {
    start_timestamp: '1999-12-31T23:59:59Z',
  }),
  // near the bound: an end 74 years after the base row's start overflows duration_seconds first
  interactions.breaks('customer_interactions_end_timestamp_in_window', {
    start_timestamp: '2099-12-31T23:00:00Z',
    end_timestamp: '2100-01-01T00:00:00Z',
    status: 'completed',
  }),
  steps.breaks('interaction_steps_started_at_in_window', {
    started_at: '2100-01-01T00:00:00Z',
    ended_at: null,
  }),
  steps.does(
    'interaction_steps_ended_at_in_window',
    CHECK,
    'a step of an interaction started 2099-12-31 ending 2100-01-01',
    async (db, f) => {
      const late = await given.botInteraction(db, { customerId: f.customer, start: '2099-12-31T23:00:00Z' });
      await insert(db, 'interaction_steps', {
        customer_id: late.customerId,
        interaction_id: late.interactionId,
        interaction_start_timestamp: late.startTimestamp,
        step_type: 'bot',
        started_at: '2099-12-31T23:00:00Z',
        ended_at: '2100-01-01T00:00:00Z',
      });
    },
  ),
  // the base agent is human: a bot step cannot name it
  steps.breaks('interaction_steps_agent_id_kind', (f) => ({ agent_id: f.agent })),

  // lists of free text: one item too many, or too many characters in all
  feedback.breaks('customer_feedback_feedback_topics_max_length', {
    feedback_topics: Array(51).fill('billing'),
  }),
  feedback.breaks('customer_feedback_feedback_topics_max_length', {
    feedback_topics: ['x'.repeat(2500), 'y'.repeat(2501)],
  }),
  articles.breaks('knowledge_base_tags_max_length', { tags: Array(51).fill('pin') }),
  customers.breaks('customers_accessibility_needs_max_length', {
    accessibility_needs: Array(21).fill('large_text'),
  }),
  metrics.breaks('metrics_label_not_blank', { label: '  ' }),
  metrics.breaks('metrics_label_max_length', { label: 'x'.repeat(101) }),
  // free text: one character over its maximum
  ...MAX_LENGTHS.map(([table, column, maximum]) =>
    casesFor(table).breaks(`${table}_${column}_max_length`, { [column]: 'x'.repeat(maximum + 1) }),
  ),
];

/**
 * Names no row can be refused under, because a stricter constraint on the same table always
 * refuses it first; each is shown by a test below.
 */
const SHADOWED: Record<string, string> = {
  service_plans_plan_kind_key: 'service_plans_pkey',
  agent_status_history_one_open_interval: 'agent_status_history_no_overlap',
};

let fixtures: Fixtures;

test.before(async ({ pool }) => {
  const one = async (sql: string, values: unknown[] = []) =>
    (await pool.query(sql, values)).rows[0].id as string;
  const customer = await given.customer(pool);
  const otherCustomer = await given.customer(pool);
  const plan = await one(
    "insert into cx.service_plans (plan_code, plan_name, plan_kind) values ('base-data', 'Base data', 'data') returning service_plan_id as id",
  );
  const sessionSql =
    "insert into cx.customer_journey_sessions (customer_id, start_timestamp) values ($1, '2026-11-02T08:00:00Z') returning session_id as id";
  fixtures = {
    customer,
    otherCustomerSession: await one(sessionSql, [otherCustomer]),
    channel: await given.channelId(pool, 'chatbot'),
    agent: await given.agent(pool, 'base-agent'),
    plan,
    session: await one(sessionSql, [customer]),
    interaction: await given.botInteraction(pool, { customerId: customer, start: '2026-11-02T09:00:00Z' }),
  };
});

/** The name of the partitioned index a partition's index belongs to, else the name itself. */
async function rootName(pool: pg.Pool, name: string): Promise<string> {
  const { rows } = await pool.query(
    `select coalesce(pg_partition_root(c.oid), c.oid::regclass)::text as root
       from pg_class c where c.relname = $1 and c.relnamespace = 'cx'::regnamespace and c.relkind in ('i', 'I')`,
    [name],
  );
  return rows[0]?.root ?? name;
}

async function sentence(pool: pg.Pool, name: string | undefined): Promise<string | null> {
  const { rows } = await pool.query('select cx.constraint_message($1) as message', [name ?? null]);
  return rows[0].message;
}

for (const table of Object.keys(baseRows(NAMED))) {
  test(`${table}: the base row the cases change is accepted`, async ({ pool }) => {
    const inserted = await inRollbackTransaction(pool, (db) =>
      insert(db, table, baseRows(fixtures)[table] as Row),
    );
    assert.is(inserted, 1);
  });
}

for (const refusal of cases) {
  test(`${refusal.table}: ${refusal.constraint} refuses ${refusal.writes}`, async ({ pool }) => {
    const error = await inRollbackTransaction(pool, (db) =>
      refusal.write(db, fixtures).then(
        () => undefined,
        (e: { code: string; constraint?: string; message: string }) => e,
      ),
    );
    assert.ok(error, 'the statement was accepted');
    assert.equal(
      { code: error.code, constraint: error.constraint && (await rootName(pool, error.constraint)) },
      { code: refusal.code, constraint: refusal.constraint },
      error.message,
    );
    const reported = await sentence(pool, error.constraint);
    assert.ok(
      reported?.trim(),
      `cx.constraint_message('${error.constraint}') is ${JSON.stringify(reported)}`,
    );
    assert.ok((await sentence(pool, refusal.constraint))?.trim(), `no sentence for ${refusal.constraint}`);
  });
}

test('the cases cover every constraint and rule, with the SQLSTATE of its kind', async ({ pool }) => {
  const { rows } = await pool.query<{ name: string; code: string }>(`
    select con.conname as name,
           case con.contype when 'c' then '23514' when 'f' then '23503' when 'x' then '23P01' else '23505' end as code
      from pg_constraint con
      join pg_class t on t.oid = con.conrelid
     where t.relnamespace = 'cx'::regnamespace and not t.relispartition
       and con.contype in ('c', 'u', 'p', 'f', 'x') and con.conparentid = 0
    union
    select i.relname, '23505'
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
     where t.relnamespace = 'cx'::regnamespace and not t.relispartition and x.indisunique and t.relkind <> 'm'
       and not exists (select 1 from pg_constraint con where con.conindid = i.oid)`);
  const triggerRules: Record<string, string> = {
    agent_status_history_status_changed_at_order: CHECK,
    customer_feedback_interaction_fkey: FOREIGN_KEY,
    customer_interactions_customer_missing: FOREIGN_KEY,
    customer_interactions_end_timestamp_in_window: CHECK,
    customer_interactions_escalation_irreversible: CHECK,
    customer_interactions_initial_mode_fixed: CHECK,
    customer_interactions_interaction_id_fixed: CHECK,
    customer_interactions_interaction_id_shared: CHECK,
    customer_interactions_interaction_mode_consistent: CHECK,
    customer_interactions_start_timestamp_in_window: CHECK,
    interaction_outcomes_interaction_fkey: FOREIGN_KEY,
    interaction_steps_agent_id_kind: CHECK,
    interaction_steps_ended_at_in_window: CHECK,
    interaction_steps_escalation_irreversible: CHECK,
    interaction_steps_interaction_missing: FOREIGN_KEY,
    interaction_steps_started_at_in_window: CHECK,
    journey_touchpoints_interaction_fkey: FOREIGN_KEY,
    performance_thresholds_direction_known: CHECK,
  };
  const expected = new Map([
    ...rows.filter((r) => !(r.name in SHADOWED)).map((r): [string, string] => [r.name, r.code]),
    ...Object.entries(triggerRules),
  ]);
  const covered = new Map(cases.map((c) => [c.constraint, c.code]));
  const missing = [...expected.keys()].filter((name) => !covered.has(name)).sort();
  const unknown = [...covered.keys()].filter((name) => !expected.has(name)).sort();
  const wrongCode = [...covered].filter(([name, code]) => expected.has(name) && expected.get(name) !== code);
  assert.equal({ missing, unknown, wrongCode }, { missing: [], unknown: [], wrongCode: [] });
});

test('service_plans_plan_kind_key: a plan repeated with its kind is refused as a duplicate plan id', async ({
  pool,
}) => {
  const error = await inRollbackTransaction(pool, async (db) => {
    await insert(db, 'service_plans', { ...baseRows(fixtures).service_plans, service_plan_id: ID_2 });
    return insert(db, 'service_plans', {
      ...baseRows(fixtures).service_plans,
      service_plan_id: ID_2,
      plan_code: 'other',
    }).then(
      () => undefined,
      (e: { code: string; constraint: string }) => e,
    );
  });
  assert.equal([error?.code, error?.constraint], [UNIQUE, SHADOWED.service_plans_plan_kind_key]);
});

test('agent_status_history_one_open_interval: a second open interval is refused as an overlap', async ({
  pool,
}) => {
  const error = await inRollbackTransaction(pool, async (db) => {
    // the fixture agent's own status interval is open since it was created
    const { rows } = await db.query(
      'select count(*)::int as n from cx.agent_status_history where agent_id = $1 and ended_at is null',
      [fixtures.agent],
    );
    assert.is(rows[0].n, 1);
    return insert(db, 'agent_status_history', {
      agent_id: fixtures.agent,
      status: 'busy',
      started_at: '2020-01-01T00:00:00Z',
    }).then(
      () => undefined,
      (e: { code: string; constraint: string }) => e,
    );
  });
  assert.equal(
    [error?.code, error?.constraint],
    [EXCLUSION, SHADOWED.agent_status_history_one_open_interval],
  );
});

test.run();
