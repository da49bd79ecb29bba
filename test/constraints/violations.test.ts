import type pg from 'pg';
import * as assert from 'uvu/assert';
import { databaseSuite, inRollbackTransaction } from '../support/database.js';
import * as given from '../support/given.js';

/**
 * Every CHECK, UNIQUE, exclusion and foreign-key constraint of the data model refuses a row that
 * breaks it, with its own name (the message catalog's key) and SQLSTATE, and the catalog has a
 * sentence for it. Each case writes a valid base row of its table with a few fields changed.
 */
const test = databaseSuite('constraint violations');

const MISSING = '01900000-0000-7000-8000-00000000dead';
const CODE = { check: '23514', unique: '23505', foreignKey: '23503', exclusion: '23P01' } as const;

interface Fixtures {
  customer: string;
  channel: string;
  type: string;
  agent: string;
  plan: string;
  survey: string;
  article: string;
  session: string;
  interaction: given.InteractionRef;
}

type Row = Record<string, unknown>;

function baseRows(f: Fixtures): Record<string, Row> {
  const key = {
    customer_id: f.customer,
    interaction_id: f.interaction.interactionId,
    interaction_start_timestamp: f.interaction.startTimestamp,
  };
  return {
    settings: { setting_name: 'test_setting', setting_value: 'x', value_type: 'text', description: 'test' },
    channels: { channel_name: 'test_channel', display_name: 'Test channel' },
    interaction_types: { type_code: 'test_type', type_name: 'Test type', category: 'billing' },
    agents: { agent_code: 'test-agent', agent_name: 'Test agent', agent_type: 'human' },
    agent_status_history: {
      agent_id: f.agent,
      status: 'available',
      started_at: '2020-01-01T00:00:00Z',
      ended_at: '2020-01-02T00:00:00Z',
    },
    service_plans: { plan_code: 'test-plan', plan_name: 'Test plan', plan_kind: 'data' },
    survey_templates: { template_code: 'test_survey', template_name: 'Test survey', survey_type: 'custom' },
    knowledge_base: { article_key: 'test-article', title: 'Test article', category: 'billing' },
    customers: { msisdn: '+491700000001', customer_type: 'prepaid', region: 'R9' },
    customer_service_plans: {
      customer_id: f.customer,
      service_plan_id: f.plan,
      valid_from: '2026-01-01T00:00:00Z',
      valid_to: '2026-02-01T00:00:00Z',
    },
    customer_journey_sessions: { customer_id: f.customer, start_timestamp: '2026-11-02T08:00:00Z' },
    customer_interactions: {
      customer_id: f.customer,
      start_timestamp: '2026-11-02T10:00:00Z',
      channel_id: f.channel,
      initial_mode: 'bot',
    },
    interaction_steps: { ...key, step_type: 'bot', started_at: f.interaction.startTimestamp },
    interaction_external_refs: {
      source_system: 'chatbot',
      external_reference: 'conversation-1',
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
    interaction_outcomes: { ...key, outcome_type: 'sale', outcome_value: 10 },
  };
}

/** [constraint, table, fields changed from the base row, expected SQLSTATE, insert the row twice?] */
type Case = [string, string, (f: Fixtures) => Row, string, boolean?];
const c = (
  name: string,
  table: string,
  change: Row | ((f: Fixtures) => Row),
  code: string = CODE.check,
  twice = false,
): Case => [name, table, typeof change === 'function' ? change : () => change, code, twice];

const cases: Case[] = [
  c('settings_setting_name_format', 'settings', { setting_name: 'Bad Name' }),
  c('settings_value_type_known', 'settings', { value_type: 'float' }),
  c('settings_pkey', 'settings', {}, CODE.unique, true),

  c('channels_channel_name_format', 'channels', { channel_name: 'Chat Bot' }),
  c('channels_display_name_not_blank', 'channels', { display_name: '  ' }),
  c('channels_channel_category_known', 'channels', { channel_category: 'premium' }),
  c('channels_expected_response_seconds_non_negative', 'channels', { expected_response_seconds: -1 }),
  c('channels_max_concurrent_users_positive', 'channels', { max_concurrent_users: 0 }),
  c('channels_availability_sla_fraction', 'channels', { availability_sla: 1.5 }),
  c('channels_service_level_target_seconds_positive', 'channels', { service_level_target_seconds: 0 }),
  c('channels_bot_cost_per_minute_non_negative', 'channels', { bot_cost_per_minute: -0.01 }),
  c('channels_human_cost_per_minute_non_negative', 'channels', { human_cost_per_minute: -1 }),
  c('channels_cost_currency_iso', 'channels', { cost_currency: 'eur' }),
  c('channels_channel_name_unique', 'channels', { channel_name: 'chatbot' }, CODE.unique),

  c('interaction_types_type_code_format', 'interaction_types', { type_code: 'Bill-Pay' }),
  c('interaction_types_type_name_not_blank', 'interaction_types', { type_name: '' }),
  c('interaction_types_category_known', 'interaction_types', { category: 'marketing' }),
  c('interaction_types_complexity_level_known', 'interaction_types', { complexity_level: 'trivial' }),
  c('interaction_types_business_criticality_known', 'interaction_types', { business_criticality: 'none' }),
  c('interaction_types_target_resolution_seconds_positive', 'interaction_types', {
    target_resolution_seconds: 0,
  }),
  c('interaction_types_escalation_threshold_seconds_positive', 'interaction_types', {
    escalation_threshold_seconds: -5,
  }),
  c('interaction_types_type_code_unique', 'interaction_types', {}, CODE.unique, true),

  c('agents_agent_code_not_blank', 'agents', { agent_code: ' ' }),
  c('agents_agent_name_not_blank', 'agents', { agent_name: '' }),
  c('agents_agent_type_known', 'agents', { agent_type: 'robot' }),
  c('agents_supervisor_id_fkey', 'agents', { supervisor_id: MISSING }, CODE.foreignKey),
  c('agents_supervisor_id_not_self', 'agents', { agent_id: MISSING, supervisor_id: MISSING }),
  c('agents_specialization_known', 'agents', { specialization: 'everything' }),
  c('agents_skill_level_known', 'agents', { skill_level: 'expert' }),
  c('agents_languages_codes', 'agents', { languages: '{EN}' }),
  c('agents_average_handling_seconds_non_negative', 'agents', { average_handling_seconds: -1 }),
  c('agents_satisfaction_score_range', 'agents', { satisfaction_score: 5.5 }),
  c('agents_escalation_rate_fraction', 'agents', { escalation_rate: 1.2 }),
  c('agents_work_schedule_object', 'agents', { work_schedule: '[]' }),
  c('agents_current_status_known', 'agents', { current_status: 'lunch' }),
  c('agents_max_concurrent_chats_range', 'agents', { max_concurrent_chats: 0 }),
  c('agents_agent_code_unique', 'agents', {}, CODE.unique, true),

  c('agent_status_history_agent_id_fkey', 'agent_status_history', { agent_id: MISSING }, CODE.foreignKey),
  c('agent_status_history_status_known', 'agent_status_history', { status: 'away' }),
  c('agent_status_history_source_known', 'agent_status_history', { source: 'manual' }),
  c('agent_status_history_ended_at_not_before_started_at', 'agent_status_history', {
    ended_at: '2019-12-31T00:00:00Z',
  }),
  c('agent_status_history_no_overlap', 'agent_status_history', {}, CODE.exclusion, true),

  c('service_plans_plan_code_format', 'service_plans', { plan_code: 'Plan One' }),
  c('service_plans_plan_name_not_blank', 'service_plans', { plan_name: '' }),
  c('service_plans_plan_kind_known', 'service_plans', { plan_kind: 'tv' }),
  c('service_plans_payment_type_known', 'service_plans', { payment_type: 'credit' }),
  c('service_plans_monthly_fee_non_negative', 'service_plans', { monthly_fee: -1 }),
  c('service_plans_currency_iso', 'service_plans', { currency: 'EU1' }),
  c('service_plans_data_allowance_mb_non_negative', 'service_plans', { data_allowance_mb: -1 }),
  c('service_plans_voice_minutes_non_negative', 'service_plans', { voice_minutes: -1 }),
  c('service_plans_sms_count_non_negative', 'service_plans', { sms_count: -1 }),
  c('service_plans_contract_months_range', 'service_plans', { contract_months: 61 }),
  c('service_plans_plan_code_unique', 'service_plans', {}, CODE.unique, true),

  c('survey_templates_template_code_format', 'survey_templates', { template_code: 'CSAT 1' }),
  c('survey_templates_template_name_not_blank', 'survey_templates', { template_name: '' }),
  c('survey_templates_survey_type_known', 'survey_templates', { survey_type: 'poll' }),
  c('survey_templates_questions_array', 'survey_templates', { questions: '{}' }),
  c('survey_templates_trigger_event_known', 'survey_templates', { trigger_event: 'always' }),
  c(
    'survey_templates_delivery_channel_id_fkey',
    'survey_templates',
    { delivery_channel_id: MISSING },
    CODE.foreignKey,
  ),
  c('survey_templates_language_code_format', 'survey_templates', { language_code: 'English' }),
  c('survey_templates_template_version_positive', 'survey_templates', { template_version: 0 }),
  c('survey_templates_scale_standard', 'survey_templates', {
    survey_type: 'csat',
    scale_min: 0,
    scale_max: 10,
  }),
  c('survey_templates_template_code_unique', 'survey_templates', {}, CODE.unique, true),

  c('knowledge_base_article_key_format', 'knowledge_base', { article_key: 'Reset PIN' }),
  c('knowledge_base_language_code_format', 'knowledge_base', { language_code: 'de_DE' }),
  c('knowledge_base_title_not_blank', 'knowledge_base', { title: ' ' }),
  c('knowledge_base_category_known', 'knowledge_base', { category: 'network' }),
  c('knowledge_base_confidence_score_fraction', 'knowledge_base', { confidence_score: 2 }),
  c('knowledge_base_article_status_known', 'knowledge_base', { article_status: 'hidden' }),
  c('knowledge_base_author_agent_id_fkey', 'knowledge_base', { author_agent_id: MISSING }, CODE.foreignKey),
  c('knowledge_base_article_version_positive', 'knowledge_base', { article_version: 0 }),
  c('knowledge_base_usage_count_non_negative', 'knowledge_base', { usage_count: -1 }),
  c('knowledge_base_resolution_success_rate_fraction', 'knowledge_base', { resolution_success_rate: -0.1 }),
  c('knowledge_base_article_key_language_unique', 'knowledge_base', {}, CODE.unique, true),

  c('customers_msisdn_e164', 'customers', { msisdn: '015112345678' }),
  c('customers_customer_type_known', 'customers', { customer_type: 'business' }),
  c('customers_region_known', 'customers', { region: 'EU' }),
  c('customers_country_code_iso', 'customers', { country_code: 'de' }),
  c('customers_customer_segment_known', 'customers', { customer_segment: 'student' }),
  c('customers_credit_limit_non_negative', 'customers', { credit_limit: -100 }),
  c('customers_lifetime_value_non_negative', 'customers', { lifetime_value: -1 }),
  c('customers_currency_iso', 'customers', { currency: '€' }),
  c('customers_account_status_known', 'customers', { account_status: 'closed' }),
  c('customers_churned_at_when_churned', 'customers', { account_status: 'churned' }),
  c('customers_churn_risk_score_fraction', 'customers', { churn_risk_score: 1.5 }),
  c('customers_preferred_contact_time_known', 'customers', { preferred_contact_time: 'noon' }),
  c('customers_preferred_channel_id_fkey', 'customers', { preferred_channel_id: MISSING }, CODE.foreignKey),
  c('customers_preferred_language_format', 'customers', { preferred_language: 'german' }),
  c('customers_communication_preferences_object', 'customers', { communication_preferences: '"yes"' }),
  c('customers_total_interactions_non_negative', 'customers', { total_interactions: -1 }),
  c('customers_successful_interactions_non_negative', 'customers', { successful_interactions: -1 }),
  c('customers_escalation_count_non_negative', 'customers', { escalation_count: -1 }),
  c('customers_msisdn_unique', 'customers', {}, CODE.unique, true),

  c(
    'customer_service_plans_customer_id_fkey',
    'customer_service_plans',
    { customer_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'customer_service_plans_service_plan_id_fkey',
    'customer_service_plans',
    { service_plan_id: MISSING, plan_kind: 'data' },
    CODE.foreignKey,
  ),
  // the plan kind cannot be copied from a plan that does not exist: still the foreign key's error
  c(
    'customer_service_plans_service_plan_id_fkey',
    'customer_service_plans',
    { service_plan_id: MISSING },
    CODE.foreignKey,
  ),
  c('customer_service_plans_assignment_reason_known', 'customer_service_plans', {
    assignment_reason: 'whim',
  }),
  c('customer_service_plans_valid_to_after_valid_from', 'customer_service_plans', {
    valid_to: '2026-01-01T00:00:00Z',
  }),
  c('customer_service_plans_no_overlap', 'customer_service_plans', {}, CODE.exclusion, true),

  c(
    'customer_journey_sessions_customer_id_fkey',
    'customer_journey_sessions',
    { customer_id: MISSING },
    CODE.foreignKey,
  ),
  c('customer_journey_sessions_journey_outcome_known', 'customer_journey_sessions', {
    journey_outcome: 'lost',
  }),
  c(
    'customer_journey_sessions_entry_channel_id_fkey',
    'customer_journey_sessions',
    { entry_channel_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'customer_journey_sessions_exit_channel_id_fkey',
    'customer_journey_sessions',
    { exit_channel_id: MISSING },
    CODE.foreignKey,
  ),
  c('customer_journey_sessions_device_type_known', 'customer_journey_sessions', { device_type: 'watch' }),
  c('customer_journey_sessions_journey_satisfaction_score_range', 'customer_journey_sessions', {
    journey_satisfaction_score: 6,
  }),
  c('customer_journey_sessions_end_timestamp_not_before_start', 'customer_journey_sessions', {
    end_timestamp: '2026-11-02T07:00:00Z',
  }),

  c(
    'customer_interactions_customer_id_fkey',
    'customer_interactions',
    { customer_id: MISSING, region: 'R9' },
    CODE.foreignKey,
  ),
  c('customer_interactions_queue_time_seconds_non_negative', 'customer_interactions', {
    queue_time_seconds: -1,
  }),
  c(
    'customer_interactions_channel_id_fkey',
    'customer_interactions',
    { channel_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'customer_interactions_interaction_type_id_fkey',
    'customer_interactions',
    { interaction_type_id: MISSING },
    CODE.foreignKey,
  ),
  c('customer_interactions_status_known', 'customer_interactions', { status: 'done' }),
  c('customer_interactions_resolution_status_known', 'customer_interactions', { resolution_status: 'fixed' }),
  c('customer_interactions_error_code_only_when_failed', 'customer_interactions', { error_code: 'E42' }),
  c('customer_interactions_device_type_known', 'customer_interactions', { device_type: 'watch' }),
  c('customer_interactions_connection_type_known', 'customer_interactions', { connection_type: 'satellite' }),
  c('customer_interactions_screen_resolution_format', 'customer_interactions', {
    screen_resolution: '1080 by 2400',
  }),
  c('customer_interactions_client_info_object', 'customer_interactions', { client_info: '[1]' }),
  c(
    'customer_interactions_primary_agent_id_fkey',
    'customer_interactions',
    { primary_agent_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'customer_interactions_secondary_agent_id_fkey',
    'customer_interactions',
    { secondary_agent_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'customer_interactions_supervisor_agent_id_fkey',
    'customer_interactions',
    { supervisor_agent_id: MISSING },
    CODE.foreignKey,
  ),
  c('customer_interactions_initial_mode_known', 'customer_interactions', {
    initial_mode: 'chat',
    interaction_mode: 'chat',
  }),
  c('customer_interactions_bot_duration_seconds_non_negative', 'customer_interactions', {
    bot_duration_seconds: -1,
  }),
  c('customer_interactions_human_duration_seconds_non_negative', 'customer_interactions', {
    human_duration_seconds: -1,
  }),
  c('customer_interactions_wrap_up_seconds_non_negative', 'customer_interactions', { wrap_up_seconds: -1 }),
  c('customer_interactions_escalation_reason_known', 'customer_interactions', {
    escalated_to_human: true,
    escalation_reason: 'boredom',
  }),
  c('customer_interactions_customer_satisfaction_score_range', 'customer_interactions', {
    customer_satisfaction_score: 0,
  }),
  c('customer_interactions_customer_effort_score_range', 'customer_interactions', {
    customer_effort_score: 8,
  }),
  c('customer_interactions_nps_score_range', 'customer_interactions', { nps_score: 11 }),
  c('customer_interactions_interaction_value_non_negative', 'customer_interactions', {
    interaction_value: -1,
  }),
  c('customer_interactions_cost_to_serve_non_negative', 'customer_interactions', { cost_to_serve: -0.5 }),
  c('customer_interactions_sentiment_score_range', 'customer_interactions', { sentiment_score: -1.5 }),
  c('customer_interactions_language_code_format', 'customer_interactions', { language_code: 'ENG' }),
  c('customer_interactions_region_known', 'customer_interactions', { region: 'APAC' }),
  c('customer_interactions_end_timestamp_not_before_start', 'customer_interactions', {
    end_timestamp: '2026-11-02T09:59:59Z',
  }),
  c('customer_interactions_escalation_timestamp_in_interaction', 'customer_interactions', {
    escalated_to_human: true,
    escalation_timestamp: '2026-11-02T09:00:00Z',
  }),
  c('customer_interactions_escalation_fields_need_escalation', 'customer_interactions', {
    escalation_reason: 'other',
  }),
  c('customer_interactions_escalation_needs_automated_start', 'customer_interactions', {
    initial_mode: 'live_chat',
    escalated_to_human: true,
  }),
  c('customer_interactions_parent_complete', 'customer_interactions', (f) => ({
    parent_interaction_id: f.interaction.interactionId,
  })),
  c(
    'customer_interactions_session_id_fkey',
    'customer_interactions',
    { session_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'customer_interactions_parent_interaction_id_fkey',
    'customer_interactions',
    { parent_interaction_id: MISSING, parent_start_timestamp: '2026-11-01T00:00:00Z' },
    CODE.foreignKey,
  ),
  c('customer_interactions_interaction_mode_consistent', 'customer_interactions', {
    interaction_mode: 'chat',
  }),

  c('interaction_steps_step_type_known', 'interaction_steps', { step_type: 'transfer' }),
  c('interaction_steps_agent_id_fkey', 'interaction_steps', { agent_id: MISSING }, CODE.foreignKey),
  c('interaction_steps_kb_article_id_fkey', 'interaction_steps', { kb_article_id: MISSING }, CODE.foreignKey),
  c('interaction_steps_step_outcome_known', 'interaction_steps', { step_outcome: 'ok' }),
  c('interaction_steps_step_details_object', 'interaction_steps', { step_details: '"menu 2"' }),
  c('interaction_steps_interaction_fkey', 'interaction_steps', { interaction_id: MISSING }, CODE.foreignKey),
  c('interaction_steps_ended_at_not_before_started_at', 'interaction_steps', {
    ended_at: '2026-11-02T08:00:00Z',
  }),
  c('interaction_steps_started_at_in_interaction', 'interaction_steps', {
    started_at: '2026-11-02T08:59:00Z',
  }),
  c('interaction_steps_queue_has_no_agent', 'interaction_steps', (f) => ({
    step_type: 'queue',
    agent_id: f.agent,
  })),
  c('interaction_steps_human_has_agent', 'interaction_steps', { step_type: 'human' }),

  c('interaction_external_refs_source_system_format', 'interaction_external_refs', {
    source_system: 'Chat Bot',
  }),
  c('interaction_external_refs_external_reference_not_blank', 'interaction_external_refs', {
    external_reference: ' ',
  }),
  c(
    'interaction_external_refs_interaction_fkey',
    'interaction_external_refs',
    { interaction_id: MISSING },
    CODE.foreignKey,
  ),
  c('interaction_external_refs_pkey', 'interaction_external_refs', {}, CODE.unique, true),

  c('journey_touchpoints_channel_id_fkey', 'journey_touchpoints', { channel_id: MISSING }, CODE.foreignKey),
  c('journey_touchpoints_touchpoint_type_known', 'journey_touchpoints', { touchpoint_type: 'click' }),
  c('journey_touchpoints_sequence_number_positive', 'journey_touchpoints', { sequence_number: 0 }),
  c('journey_touchpoints_dwell_seconds_non_negative', 'journey_touchpoints', { dwell_seconds: -3 }),
  c('journey_touchpoints_friction_type_known', 'journey_touchpoints', {
    friction_detected: true,
    friction_type: 'rage',
  }),
  c('journey_touchpoints_friction_type_needs_friction', 'journey_touchpoints', { friction_type: 'error' }),
  c('journey_touchpoints_touchpoint_details_object', 'journey_touchpoints', { touchpoint_details: '1' }),
  c('journey_touchpoints_session_id_fkey', 'journey_touchpoints', { session_id: MISSING }, CODE.foreignKey),
  c(
    'journey_touchpoints_interaction_fkey',
    'journey_touchpoints',
    { interaction_id: MISSING, interaction_start_timestamp: '2026-11-02T09:00:00Z' },
    CODE.foreignKey,
  ),
  c('journey_touchpoints_interaction_complete', 'journey_touchpoints', (f) => ({
    interaction_id: f.interaction.interactionId,
  })),

  c('customer_feedback_customer_id_fkey', 'customer_feedback', { customer_id: MISSING }, CODE.foreignKey),
  c(
    'customer_feedback_survey_template_id_fkey',
    'customer_feedback',
    { survey_template_id: MISSING },
    CODE.foreignKey,
  ),
  c('customer_feedback_channel_id_fkey', 'customer_feedback', { channel_id: MISSING }, CODE.foreignKey),
  c('customer_feedback_csat_score_range', 'customer_feedback', { csat_score: 6 }),
  c('customer_feedback_nps_score_range', 'customer_feedback', { nps_score: -1 }),
  c('customer_feedback_ces_score_range', 'customer_feedback', { ces_score: 0 }),
  c('customer_feedback_sentiment_score_range', 'customer_feedback', { sentiment_score: 1.01 }),
  c('customer_feedback_sentiment_label_known', 'customer_feedback', { sentiment_label: 'angry' }),
  c('customer_feedback_answers_object', 'customer_feedback', { answers: '[]' }),
  c('customer_feedback_follow_up_status_known', 'customer_feedback', { follow_up_status: 'todo' }),
  c(
    'customer_feedback_follow_up_agent_id_fkey',
    'customer_feedback',
    { follow_up_agent_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'customer_feedback_interaction_fkey',
    'customer_feedback',
    { interaction_id: MISSING, interaction_start_timestamp: '2026-11-02T09:00:00Z' },
    CODE.foreignKey,
  ),
  c('customer_feedback_session_id_fkey', 'customer_feedback', { session_id: MISSING }, CODE.foreignKey),
  c('customer_feedback_interaction_complete', 'customer_feedback', (f) => ({
    interaction_id: f.interaction.interactionId,
  })),
  c('customer_feedback_has_content', 'customer_feedback', { csat_score: null, feedback_text: '  ' }),
  c('customer_feedback_follow_up_resolved_at_when_resolved', 'customer_feedback', {
    follow_up_status: 'pending',
    follow_up_resolved_at: '2026-11-03T00:00:00Z',
  }),

  c('interaction_outcomes_outcome_type_known', 'interaction_outcomes', { outcome_type: 'gift' }),
  c('interaction_outcomes_currency_iso', 'interaction_outcomes', { currency: 'E' }),
  c(
    'interaction_outcomes_service_plan_id_fkey',
    'interaction_outcomes',
    { service_plan_id: MISSING },
    CODE.foreignKey,
  ),
  c(
    'interaction_outcomes_attributed_agent_id_fkey',
    'interaction_outcomes',
    { attributed_agent_id: MISSING },
    CODE.foreignKey,
  ),
  c('interaction_outcomes_outcome_details_object', 'interaction_outcomes', { outcome_details: 'null' }),
  c(
    'interaction_outcomes_interaction_fkey',
    'interaction_outcomes',
    { interaction_id: MISSING },
    CODE.foreignKey,
  ),
  c('interaction_outcomes_outcome_value_sign', 'interaction_outcomes', {
    outcome_type: 'churn',
    outcome_value: 25,
  }),
];

async function insert(db: pg.PoolClient, table: string, row: Row): Promise<void> {
  const columns = Object.keys(row);
  await db.query(
    `insert into cx.${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    columns.map((column) => row[column]),
  );
}

let fixtures: Fixtures;

test.before(async ({ pool }) => {
  const customer = await given.customer(pool);
  const channel = await given.channelId(pool, 'chatbot');
  const type = await given.interactionType(pool, 'violation_type');
  const agent = await given.agent(pool, 'violation-agent');
  const one = async (sql: string, values: unknown[] = []) =>
    (await pool.query(sql, values)).rows[0].id as string;
  const plan = await one(
    "insert into cx.service_plans (plan_code, plan_name, plan_kind) values ('violation-plan', 'Plan', 'data') returning service_plan_id as id",
  );
  const survey = await one(
    "insert into cx.survey_templates (template_code, template_name, survey_type) values ('violation_csat', 'CSAT', 'csat') returning survey_template_id as id",
  );
  const article = await one(
    "insert into cx.knowledge_base (article_key, title, category) values ('violation-article', 'Article', 'billing') returning article_id as id",
  );
  const session = await one(
    "insert into cx.customer_journey_sessions (customer_id, start_timestamp) values ($1, '2026-11-02T08:00:00Z') returning session_id as id",
    [customer],
  );
  const interaction = await given.botInteraction(pool, {
    customerId: customer,
    start: '2026-11-02T09:00:00Z',
  });
  fixtures = { customer, channel, type, agent, plan, survey, article, session, interaction };
});

test('every base row is valid on its own', async ({ pool }) => {
  for (const [table, row] of Object.entries(baseRows(fixtures))) {
    await inRollbackTransaction(pool, (client) => insert(client, table, row));
  }
});

for (const [constraint, table, change, code, twice] of cases) {
  test(`${constraint} refuses a row that breaks it`, async ({ pool }) => {
    const error = await inRollbackTransaction(pool, async (client) => {
      const row = { ...baseRows(fixtures)[table], ...change(fixtures) };
      if (twice) await insert(client, table, row);
      return insert(client, table, row).then(
        () => undefined,
        (e: { code: string; constraint: string }) => e,
      );
    });
    assert.ok(error, 'the row was accepted');
    assert.equal([error.constraint, error.code], [constraint, code]);
    const { rows } = await pool.query('select cx.constraint_message($1) as message', [constraint]);
    assert.ok(rows[0].message, `no message for ${constraint}`);
  });
}

test('a writer cannot choose cost_to_serve_source: a missing cost is derived', async ({ pool }) => {
  const source = await inRollbackTransaction(pool, async (client) => {
    const { rows } = await client.query(
      `insert into cx.customer_interactions (customer_id, start_timestamp, channel_id, initial_mode, cost_to_serve_source)
       values ($1, '2026-11-02T11:00:00Z', $2, 'bot', 'given') returning cost_to_serve_source, cost_to_serve`,
      [fixtures.customer, fixtures.channel],
    );
    return rows[0];
  });
  assert.equal(source, { cost_to_serve_source: 'derived', cost_to_serve: 0 });
});

test("a churned customer's number can be given to a new customer; two active ones cannot share it", async ({
  pool,
}) => {
  await inRollbackTransaction(pool, async (client) => {
    await insert(client, 'customers', {
      msisdn: '+491709999999',
      customer_type: 'prepaid',
      region: 'R9',
      account_status: 'churned',
      churned_at: '2026-01-01T00:00:00Z',
    });
    await insert(client, 'customers', { msisdn: '+491709999999', customer_type: 'postpaid', region: 'DEUR' });
    const { rows } = await client.query(
      "select count(*)::int as n from cx.customers where msisdn = '+491709999999'",
    );
    assert.is(rows[0].n, 2);
  });
});

test('plan assignments: adjacent periods and other plan kinds do not overlap; plan_kind is copied', async ({
  pool,
}) => {
  await inRollbackTransaction(pool, async (client) => {
    const voice = (
      await client.query(
        "insert into cx.service_plans (plan_code, plan_name, plan_kind) values ('violation-voice', 'Voice', 'voice') returning service_plan_id",
      )
    ).rows[0].service_plan_id;
    const base = baseRows(fixtures).customer_service_plans as Row;
    await insert(client, 'customer_service_plans', base);
    await insert(client, 'customer_service_plans', {
      ...base,
      valid_from: '2026-02-01T00:00:00Z',
      valid_to: null,
    });
    await insert(client, 'customer_service_plans', { ...base, service_plan_id: voice });
    const { rows } = await client.query(
      'select plan_kind, count(*)::int as n from cx.customer_service_plans where customer_id = $1 group by plan_kind order by 1',
      [fixtures.customer],
    );
    assert.equal(rows, [
      { plan_kind: 'data', n: 2 },
      { plan_kind: 'voice', n: 1 },
    ]);
  });
});

test.run();
