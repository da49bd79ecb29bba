--! Previous: sha1:2d75f6e9991f12425e7a7858f906a3fb6ceaa216
--! Hash: sha1:07aa4c0917afdd38fdc97d61b6a1d77aec460922
--! Message: core data model: tables, constraints, partitions, triggers

--! split: 0100-drop-for-idempotence.sql
/*
 * current.sql runs again on every change while it is being written: drop what it creates first,
 * in reverse order of creation, so each run starts from the state of the committed migrations.
 */
drop function if exists cx.ensure_partitions(timestamptz, timestamptz) cascade;
drop function if exists cx.create_monthly_partitions(timestamptz, integer) cascade;
drop function if exists cx_private.create_month_partition(text, date) cascade;
drop function if exists cx_private.insertable_columns(regclass) cascade;
drop table if exists cx.interaction_outcomes cascade;
drop table if exists cx.customer_feedback cascade;
drop table if exists cx.journey_touchpoints cascade;
drop table if exists cx.interaction_external_refs cascade;
drop table if exists cx.interaction_steps cascade;
drop table if exists cx.customer_interactions cascade;
drop table if exists cx.customer_journey_sessions cascade;
drop table if exists cx.customer_service_plans cascade;
drop table if exists cx.customers cascade;
drop table if exists cx.agent_status_history cascade;
drop table if exists cx.knowledge_base cascade;
drop table if exists cx.survey_templates cascade;
drop table if exists cx.service_plans cascade;
drop table if exists cx.agents cascade;
drop table if exists cx.interaction_types cascade;
drop table if exists cx.channels cascade;
drop function if exists cx_private.tg_customer_feedback__roll_up() cascade;
drop function if exists cx_private.recompute_interaction_scores(cx_private.interaction_key[]) cascade;
drop function if exists cx_private.tg_customer_interactions__roll_up() cascade;
drop function if exists cx_private.tg_journey_touchpoints__roll_up() cascade;
drop function if exists cx_private.recompute_journey_sessions(uuid[], uuid[]) cascade;
drop function if exists cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]) cascade;
drop function if exists cx_private.apply_customer_history(cx_private.history_change[]) cascade;
drop function if exists cx_private.tg_interaction_steps__classify() cascade;
drop function if exists cx_private.recompute_step_totals(cx_private.interaction_key[]) cascade;
drop function if exists cx_private.tg_customer_interactions__apply_rules() cascade;
drop function if exists cx_private.tg_customer_service_plans__copy_plan_kind() cascade;
drop function if exists cx_private.tg_agents__stamp_status_change() cascade;
drop function if exists cx_private.tg_agents__record_status() cascade;
drop function if exists cx.derived_cost_to_serve(uuid, integer, integer, integer) cascade;
drop function if exists cx_private.tg__touch_updated_at() cascade;
drop function if exists cx.constraint_message(text) cascade;
drop table if exists cx_private.constraint_messages cascade;
drop type if exists cx_private.interaction_key cascade;
drop type if exists cx_private.history_change cascade;
drop type if exists cx_private.fcr_key cascade;

--! split: 0110-constraint-messages.sql
/*
 * PostgreSQL's own CHECK, UNIQUE and foreign-key messages cannot be changed, and name only the
 * constraint. This catalog turns each constraint name into a sentence that names the field and the
 * allowed values; the typed client and the CLI read it through cx.constraint_message() (DESIGN.md §2).
 * Trigger-raised errors use the same names, passed as the error's CONSTRAINT field.
 */
create table cx_private.constraint_messages (
  constraint_name text primary key,
  message text not null
);
comment on table cx_private.constraint_messages is
  'One sentence per constraint (and per trigger-enforced rule), naming the field and what it allows.';
comment on column cx_private.constraint_messages.constraint_name is
  'The constraint or index name PostgreSQL reports in the error''s constraint field.';
comment on column cx_private.constraint_messages.message is 'What a person reads instead of the raw error.';

create function cx.constraint_message(p_constraint_name text) returns text
  language sql stable strict parallel safe
  security definer
  set search_path = pg_catalog
  as $$ select message from cx_private.constraint_messages where constraint_name = p_constraint_name $$;
comment on function cx.constraint_message(text) is
  'The human sentence for a constraint name from an error, or null when the catalog has none.';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('settings_pkey', 'a setting with this setting_name already exists'),
  ('settings_setting_name_format', 'setting_name must be snake_case: a lowercase letter, then lowercase letters, digits or underscores'),
  ('settings_value_type_known', 'value_type must be one of text, integer, interval, time_zone');

--! split: 0120-updated-at.sql
/*
 * Every table with updated_at keeps it current on UPDATE, whoever writes: one trigger function for
 * all of them, so the rule has one definition.
 */
create function cx_private.tg__touch_updated_at() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  new.updated_at := now();
  return new;
end
$$;
comment on function cx_private.tg__touch_updated_at() is 'BEFORE UPDATE: sets updated_at to the time of the change.';

--! split: 0200-channels.sql
/*
 * The digital channels and their performance baselines and costs. Reference data (copied to every
 * Citus node): adding a channel is an INSERT, not a migration, so channel_name is open text in
 * snake_case and the document's nine channels are seeded rows. The costs drive cost_to_serve
 * (cx.derived_cost_to_serve) and bot savings.
 */
create table cx.channels (
  channel_id uuid primary key default gen_random_uuid(),
  channel_name text not null
    constraint channels_channel_name_unique unique
    constraint channels_channel_name_format check (channel_name ~ '^[a-z][a-z0-9_]{1,62}$'),
  display_name text not null
    constraint channels_display_name_not_blank check (btrim(display_name) <> ''),
  channel_category text not null default 'core'
    constraint channels_channel_category_known check (channel_category in ('core', 'advanced')),
  supports_bot boolean not null default false,
  supports_live_chat boolean not null default false,
  supports_video boolean not null default false,
  supports_file_sharing boolean not null default false,
  expected_response_seconds integer not null default 60
    constraint channels_expected_response_seconds_non_negative check (expected_response_seconds >= 0),
  max_concurrent_users integer not null default 1000
    constraint channels_max_concurrent_users_positive check (max_concurrent_users > 0),
  availability_sla numeric(6, 5) not null default 0.995
    constraint channels_availability_sla_fraction check (availability_sla between 0 and 1),
  service_level_target_seconds integer not null default 60
    constraint channels_service_level_target_seconds_positive check (service_level_target_seconds > 0),
  bot_cost_per_minute numeric(10, 4) not null default 0
    constraint channels_bot_cost_per_minute_non_negative check (bot_cost_per_minute >= 0),
  human_cost_per_minute numeric(10, 4) not null default 0
    constraint channels_human_cost_per_minute_non_negative check (human_cost_per_minute >= 0),
  cost_currency char(3) not null default 'EUR'
    constraint channels_cost_currency_iso check (cost_currency ~ '^[A-Z]{3}$'),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table cx.channels is 'Digital channels (mobile app, web, chatbot, IVR, social, email, SMS, voice, video) with capabilities, performance baselines and costs. Reference table.';
comment on column cx.channels.channel_id is 'Primary key.';
comment on column cx.channels.channel_name is 'Stable snake_case name, e.g. chatbot; unique. Reports join on it.';
comment on column cx.channels.display_name is 'Name shown to people.';
comment on column cx.channels.channel_category is 'core (mobile_app, web_app, interactive_menu, chatbot, social_media, email, sms) or advanced (voice_call, video_call).';
comment on column cx.channels.supports_bot is 'Capability: a bot can handle conversations on this channel.';
comment on column cx.channels.supports_live_chat is 'Capability: a human agent can take over or answer live.';
comment on column cx.channels.supports_video is 'Capability: video sessions.';
comment on column cx.channels.supports_file_sharing is 'Capability: customers and agents can exchange files.';
comment on column cx.channels.expected_response_seconds is 'Performance baseline: expected time to first response, seconds.';
comment on column cx.channels.max_concurrent_users is 'Performance baseline: concurrent customers the channel is sized for (capacity planning compares load with it).';
comment on column cx.channels.availability_sla is 'Performance baseline: promised availability as a fraction 0-1 (0.995 = 99.5%).';
comment on column cx.channels.service_level_target_seconds is 'Service level target T: an interaction answered by a human within T seconds of queueing counts as within service level.';
comment on column cx.channels.bot_cost_per_minute is 'Cost management: cost of one minute of bot handling, in cost_currency.';
comment on column cx.channels.human_cost_per_minute is 'Cost management: fully loaded cost of one minute of human handling (talk, hold, wrap-up), in cost_currency.';
comment on column cx.channels.cost_currency is 'ISO 4217 currency of the costs.';
comment on column cx.channels.is_active is 'False for retired channels: kept for history, offered to no one.';
comment on column cx.channels.created_at is 'When the row was created.';
comment on column cx.channels.updated_at is 'When the row last changed.';
create trigger _900_touch_updated_at before update on cx.channels
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx.channels
  (channel_name, display_name, channel_category, supports_bot, supports_live_chat, supports_video, supports_file_sharing,
   expected_response_seconds, max_concurrent_users, availability_sla, service_level_target_seconds,
   bot_cost_per_minute, human_cost_per_minute)
values
  ('mobile_app',       'Mobile app',       'core',     true,  true,  false, true,    30, 20000, 0.999,   60, 0.0200, 0.9000),
  ('web_app',          'Web portal',       'core',     true,  true,  false, true,    30, 15000, 0.999,   60, 0.0200, 0.9000),
  ('interactive_menu', 'Interactive menu (IVR)', 'core', true, true, false, false,   20,  5000, 0.999,   30, 0.0300, 1.0000),
  ('chatbot',          'Chatbot',          'core',     true,  true,  false, true,     5, 10000, 0.999,   60, 0.0100, 0.8500),
  ('social_media',     'Social media',     'core',     true,  true,  false, true,   900,  2000, 0.99,   900, 0.0200, 0.8000),
  ('email',            'Email',            'core',     false, true,  false, true,  3600,  5000, 0.99,  3600, 0.0000, 0.7000),
  ('sms',              'SMS',              'core',     true,  true,  false, false,  300,  5000, 0.99,   300, 0.0100, 0.7500),
  ('voice_call',       'Voice call',       'advanced', false, true,  false, false,   20,  1500, 0.999,   20, 0.0000, 1.1000),
  ('video_call',       'Video call',       'advanced', false, true,  true,  true,    30,   300, 0.995,   30, 0.0000, 1.4000);

insert into cx_private.constraint_messages (constraint_name, message) values
  ('channels_pkey', 'a channel with this channel_id already exists'),
  ('channels_channel_name_unique', 'channel_name must be unique: a channel with this name already exists'),
  ('channels_channel_name_format', 'channel_name must be snake_case: a lowercase letter, then 1 to 62 lowercase letters, digits or underscores'),
  ('channels_display_name_not_blank', 'display_name must not be blank'),
  ('channels_channel_category_known', 'channel_category must be core or advanced'),
  ('channels_expected_response_seconds_non_negative', 'expected_response_seconds must be zero or more'),
  ('channels_max_concurrent_users_positive', 'max_concurrent_users must be a whole number of 1 or more'),
  ('channels_availability_sla_fraction', 'availability_sla must be a fraction from 0 to 1 (0.995 = 99.5%)'),
  ('channels_service_level_target_seconds_positive', 'service_level_target_seconds must be 1 or more'),
  ('channels_bot_cost_per_minute_non_negative', 'bot_cost_per_minute must be zero or more'),
  ('channels_human_cost_per_minute_non_negative', 'human_cost_per_minute must be zero or more'),
  ('channels_cost_currency_iso', 'cost_currency must be a three-letter ISO 4217 code such as EUR');

create function cx.derived_cost_to_serve(
  p_channel_id uuid, p_bot_seconds integer, p_human_seconds integer, p_wrap_up_seconds integer
) returns numeric
  language sql stable parallel safe
  set search_path = pg_catalog
  as $$
    select round(
      -- a negative duration is refused by its own constraint; it must not surface as a negative cost
      (greatest(coalesce(p_bot_seconds, 0), 0) * c.bot_cost_per_minute
       + (greatest(coalesce(p_human_seconds, 0), 0) + greatest(coalesce(p_wrap_up_seconds, 0), 0)) * c.human_cost_per_minute) / 60.0,
      4)
      from cx.channels c
     where c.channel_id = p_channel_id
  $$;
comment on function cx.derived_cost_to_serve(uuid, integer, integer, integer) is
  'cost_to_serve when the writer gives none: (bot seconds x the channel''s bot_cost_per_minute + (human + hold + wrap-up seconds) x its human_cost_per_minute) / 60, rounded to 4 decimals. Queue time costs nothing: no one handles the customer then.';

--! split: 0210-interaction-types.sql
/*
 * The catalog of what customers contact the carrier about, with the SLA each type promises.
 * Reference table. FCR groups repeat contacts by type, and containment differs by type.
 */
create table cx.interaction_types (
  interaction_type_id uuid primary key default gen_random_uuid(),
  type_code text not null
    constraint interaction_types_type_code_unique unique
    constraint interaction_types_type_code_format check (type_code ~ '^[a-z][a-z0-9_]{1,62}$'),
  type_name text not null
    constraint interaction_types_type_name_not_blank check (btrim(type_name) <> ''),
  category text not null
    constraint interaction_types_category_known check (category in ('billing', 'account', 'technical', 'sales', 'support')),
  sub_category text,
  complexity_level text not null default 'medium'
    constraint interaction_types_complexity_level_known check (complexity_level in ('low', 'medium', 'high', 'critical')),
  revenue_impacting boolean not null default false,
  business_criticality text not null default 'medium'
    constraint interaction_types_business_criticality_known check (business_criticality in ('low', 'medium', 'high', 'critical')),
  target_resolution_seconds integer not null default 86400
    constraint interaction_types_target_resolution_seconds_positive check (target_resolution_seconds > 0),
  escalation_threshold_seconds integer
    constraint interaction_types_escalation_threshold_seconds_positive check (escalation_threshold_seconds > 0),
  requires_human boolean not null default false,
  requires_authentication boolean not null default false,
  description text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table cx.interaction_types is 'What an interaction is about (billing, account, technical, sales, support), with complexity, business impact, SLA and agent requirements. Reference table.';
comment on column cx.interaction_types.interaction_type_id is 'Primary key.';
comment on column cx.interaction_types.type_code is 'Stable snake_case code, e.g. bill_payment; unique.';
comment on column cx.interaction_types.type_name is 'Name shown to people.';
comment on column cx.interaction_types.category is 'Category: billing, account, technical, sales or support.';
comment on column cx.interaction_types.sub_category is 'Finer classification within the category, free text (e.g. roaming, sim_swap).';
comment on column cx.interaction_types.complexity_level is 'Complexity: low, medium, high or critical.';
comment on column cx.interaction_types.revenue_impacting is 'Business impact: interactions of this type can win or lose revenue.';
comment on column cx.interaction_types.business_criticality is 'Business impact: low, medium, high or critical.';
comment on column cx.interaction_types.target_resolution_seconds is 'SLA: the interaction should be resolved within this many seconds of its start.';
comment on column cx.interaction_types.escalation_threshold_seconds is 'SLA: a bot conversation of this type longer than this should be offered a human (null: no threshold).';
comment on column cx.interaction_types.requires_human is 'Agent requirement: a bot cannot complete this type (containment is not expected).';
comment on column cx.interaction_types.requires_authentication is 'Agent requirement: the customer must be authenticated first.';
comment on column cx.interaction_types.description is 'Longer explanation for agents and analysts.';
comment on column cx.interaction_types.is_active is 'False for retired types kept for history.';
comment on column cx.interaction_types.created_at is 'When the row was created.';
comment on column cx.interaction_types.updated_at is 'When the row last changed.';
create trigger _900_touch_updated_at before update on cx.interaction_types
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('interaction_types_pkey', 'an interaction type with this interaction_type_id already exists'),
  ('interaction_types_type_code_unique', 'type_code must be unique: an interaction type with this code already exists'),
  ('interaction_types_type_code_format', 'type_code must be snake_case: a lowercase letter, then 1 to 62 lowercase letters, digits or underscores'),
  ('interaction_types_type_name_not_blank', 'type_name must not be blank'),
  ('interaction_types_category_known', 'category must be one of billing, account, technical, sales, support'),
  ('interaction_types_complexity_level_known', 'complexity_level must be one of low, medium, high, critical'),
  ('interaction_types_business_criticality_known', 'business_criticality must be one of low, medium, high, critical'),
  ('interaction_types_target_resolution_seconds_positive', 'target_resolution_seconds must be 1 or more'),
  ('interaction_types_escalation_threshold_seconds_positive', 'escalation_threshold_seconds must be 1 or more, or empty');

--! split: 0220-agents.sql
/*
 * Who handles interactions: bots and humans (hybrid agents supervise bots, supervisors lead teams).
 * Reference table. Performance fields are computed by the metrics worker from the daily tables;
 * current_status changes are recorded in agent_status_history by a trigger (occupancy needs the
 * intervals, not just the latest value).
 */
create table cx.agents (
  agent_id uuid primary key default gen_random_uuid(),
  agent_code text not null
    constraint agents_agent_code_unique unique
    constraint agents_agent_code_not_blank check (btrim(agent_code) <> ''),
  agent_name text not null
    constraint agents_agent_name_not_blank check (btrim(agent_name) <> ''),
  agent_type text not null
    constraint agents_agent_type_known check (agent_type in ('bot', 'human', 'hybrid', 'supervisor')),
  supervisor_id uuid
    constraint agents_supervisor_id_fkey references cx.agents (agent_id) on delete set null,
  team_name text,
  specialization text
    constraint agents_specialization_known check (specialization in ('billing', 'account', 'technical', 'sales', 'support', 'general')),
  skill_level text
    constraint agents_skill_level_known check (skill_level in ('trainee', 'junior', 'intermediate', 'senior', 'specialist')),
  languages text[] not null default array['en']
    constraint agents_languages_codes check (array_length(languages, 1) >= 1 and array_to_string(languages, ',') ~ '^[a-z]{2,3}(,[a-z]{2,3})*$'),
  average_handling_seconds numeric(10, 2)
    constraint agents_average_handling_seconds_non_negative check (average_handling_seconds >= 0),
  satisfaction_score numeric(4, 3)
    constraint agents_satisfaction_score_range check (satisfaction_score between 1 and 5),
  escalation_rate numeric(6, 5)
    constraint agents_escalation_rate_fraction check (escalation_rate between 0 and 1),
  performance_updated_at timestamptz,
  work_schedule jsonb not null default '{}'::jsonb
    constraint agents_work_schedule_object check (jsonb_typeof(work_schedule) = 'object'),
  current_status text not null default 'offline'
    constraint agents_current_status_known check (current_status in ('available', 'busy', 'on_break', 'offline')),
  status_changed_at timestamptz not null default now(),
  max_concurrent_chats smallint not null default 1
    constraint agents_max_concurrent_chats_range check (max_concurrent_chats between 1 and 1000),
  hire_date date,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint agents_supervisor_id_not_self check (supervisor_id <> agent_id)
);
comment on table cx.agents is 'Bots and human agents: type, skills, languages, availability and (computed) performance. Reference table.';
comment on column cx.agents.agent_id is 'Primary key.';
comment on column cx.agents.agent_code is 'Employee number or bot identifier from the source system; unique.';
comment on column cx.agents.agent_name is 'Name shown in reports.';
comment on column cx.agents.agent_type is 'bot, human, hybrid (a human working with a bot) or supervisor.';
comment on column cx.agents.supervisor_id is 'The agent''s supervisor (team lead); null when none.';
comment on column cx.agents.team_name is 'Team the agent belongs to.';
comment on column cx.agents.specialization is 'Skill: the interaction category the agent specializes in (billing, account, technical, sales, support) or general.';
comment on column cx.agents.skill_level is 'Skill: trainee, junior, intermediate, senior or specialist (null for bots).';
comment on column cx.agents.languages is 'Skill: languages the agent handles, ISO 639 codes (at least one).';
comment on column cx.agents.average_handling_seconds is 'Performance (computed from daily_agent_metrics): mean handle time incl. wrap-up, seconds.';
comment on column cx.agents.satisfaction_score is 'Performance (computed): mean CSAT 1-5 of interactions the agent handled.';
comment on column cx.agents.escalation_rate is 'Performance (computed): for bots, share of their conversations escalated to a human, 0-1.';
comment on column cx.agents.performance_updated_at is 'When the performance fields were last computed.';
comment on column cx.agents.work_schedule is 'Availability: weekly schedule, e.g. {"mon": [["08:00","16:00"]], ...}, in the agent''s local time.';
comment on column cx.agents.current_status is 'Availability: available, busy, on_break or offline; each change is recorded in agent_status_history.';
comment on column cx.agents.status_changed_at is 'When current_status took its value; a writer may set it with the status (e.g. replaying a log), otherwise now().';
comment on column cx.agents.max_concurrent_chats is 'Availability: how many chats the agent handles at once.';
comment on column cx.agents.hire_date is 'When a human agent started (tenure analysis).';
comment on column cx.agents.is_active is 'False for agents who left or retired bots (kept for history).';
comment on column cx.agents.created_at is 'When the row was created.';
comment on column cx.agents.updated_at is 'When the row last changed.';
create index agents_supervisor_id_idx on cx.agents (supervisor_id) where supervisor_id is not null;
comment on index cx.agents_supervisor_id_idx is 'Foreign key: team listings and setting supervisor_id null when a supervisor is deleted.';
create trigger _900_touch_updated_at before update on cx.agents
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('agents_pkey', 'an agent with this agent_id already exists'),
  ('agents_agent_code_unique', 'agent_code must be unique: an agent with this code already exists'),
  ('agents_agent_code_not_blank', 'agent_code must not be blank'),
  ('agents_agent_name_not_blank', 'agent_name must not be blank'),
  ('agents_agent_type_known', 'agent_type must be one of bot, human, hybrid, supervisor'),
  ('agents_supervisor_id_fkey', 'supervisor_id must name an existing agent'),
  ('agents_supervisor_id_not_self', 'supervisor_id must not be the agent itself'),
  ('agents_specialization_known', 'specialization must be one of billing, account, technical, sales, support, general'),
  ('agents_skill_level_known', 'skill_level must be one of trainee, junior, intermediate, senior, specialist'),
  ('agents_languages_codes', 'languages must list at least one ISO 639 language code in lowercase, such as en or de'),
  ('agents_average_handling_seconds_non_negative', 'average_handling_seconds must be zero or more'),
  ('agents_satisfaction_score_range', 'satisfaction_score must be from 1 to 5'),
  ('agents_escalation_rate_fraction', 'escalation_rate must be a fraction from 0 to 1'),
  ('agents_work_schedule_object', 'work_schedule must be a JSON object'),
  ('agents_current_status_known', 'current_status must be one of available, busy, on_break, offline'),
  ('agents_max_concurrent_chats_range', 'max_concurrent_chats must be a whole number from 1 to 1000');

--! split: 0230-agent-status-history.sql
/*
 * Agent status intervals, for occupancy and utilisation: a trigger closes the open interval and
 * opens a new one whenever an agent's current_status changes; loaders may also insert back-dated,
 * closed intervals. An exclusion constraint keeps one agent's intervals from overlapping.
 * Local to the Citus coordinator (DESIGN.md §5).
 */
create table cx.agent_status_history (
  agent_status_id uuid primary key default cx.uuid_generate_v7(),
  agent_id uuid not null
    constraint agent_status_history_agent_id_fkey references cx.agents (agent_id) on delete cascade,
  status text not null
    constraint agent_status_history_status_known check (status in ('available', 'busy', 'on_break', 'offline')),
  started_at timestamptz not null,
  ended_at timestamptz,
  source text not null default 'loader'
    constraint agent_status_history_source_known check (source in ('status_change', 'loader')),
  created_at timestamptz not null default now(),
  constraint agent_status_history_ended_at_not_before_started_at check (ended_at >= started_at),
  constraint agent_status_history_no_overlap
    exclude using gist (agent_id with =, tstzrange(started_at, ended_at) with &&)
);
comment on table cx.agent_status_history is 'Intervals an agent spent in each status. Written by a trigger on agents.current_status changes and by loaders (back-dated); never overlapping per agent.';
comment on column cx.agent_status_history.agent_status_id is 'Primary key (UUIDv7).';
comment on column cx.agent_status_history.agent_id is 'The agent.';
comment on column cx.agent_status_history.status is 'available, busy, on_break or offline.';
comment on column cx.agent_status_history.started_at is 'When the agent entered the status.';
comment on column cx.agent_status_history.ended_at is 'When the agent left it; null while it lasts (at most one open interval per agent).';
comment on column cx.agent_status_history.source is 'status_change (written by the trigger on agents) or loader (back-dated import).';
comment on column cx.agent_status_history.created_at is 'When the row was recorded.';
comment on index cx.agent_status_history_no_overlap is 'Exclusion: an agent''s intervals never overlap; also serves lookups by agent and time.';
create unique index agent_status_history_one_open_interval on cx.agent_status_history (agent_id) where ended_at is null;
comment on index cx.agent_status_history_one_open_interval is 'At most one open interval per agent; finds it when the status changes.';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('agent_status_history_pkey', 'a status interval with this agent_status_id already exists'),
  ('agent_status_history_agent_id_fkey', 'agent_id must name an existing agent'),
  ('agent_status_history_status_known', 'status must be one of available, busy, on_break, offline'),
  ('agent_status_history_source_known', 'source must be status_change or loader'),
  ('agent_status_history_ended_at_not_before_started_at', 'ended_at must not be before started_at'),
  ('agent_status_history_no_overlap', 'an agent''s status intervals must not overlap: this interval overlaps one already recorded for the agent'),
  ('agent_status_history_one_open_interval', 'an agent can have only one open status interval (ended_at empty)'),
  ('agent_status_history_status_changed_at_order', 'status_changed_at must not be before the start of the agent''s current status interval');

create function cx_private.tg_agents__record_status() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_open_started_at timestamptz;
begin
  if tg_op = 'UPDATE' then
    if new.current_status is not distinct from old.current_status then
      return null;
    end if;
    update cx.agent_status_history
       set ended_at = new.status_changed_at
     where agent_id = new.agent_id and ended_at is null
    returning started_at into v_open_started_at;
  end if;
  insert into cx.agent_status_history (agent_id, status, started_at, source)
  values (new.agent_id, new.current_status, new.status_changed_at, 'status_change');
  return null;
exception when check_violation then
  raise exception 'status_changed_at % is before the start % of agent %''s current status interval',
      new.status_changed_at, v_open_started_at, new.agent_id
    using errcode = 'check_violation', column = 'status_changed_at',
          constraint = 'agent_status_history_status_changed_at_order';
end
$$;
comment on function cx_private.tg_agents__record_status() is
  'AFTER INSERT or status change on agents: closes the agent''s open status interval at status_changed_at and opens one for the new status.';

create function cx_private.tg_agents__stamp_status_change() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  -- a writer may say when the status changed (replaying a log); otherwise it changed now
  if new.current_status is distinct from old.current_status
     and new.status_changed_at is not distinct from old.status_changed_at then
    new.status_changed_at := clock_timestamp();
  end if;
  return new;
end
$$;
comment on function cx_private.tg_agents__stamp_status_change() is
  'BEFORE UPDATE on agents: a status change without an explicit status_changed_at happened now.';

create trigger _100_stamp_status_change before update of current_status on cx.agents
  for each row execute function cx_private.tg_agents__stamp_status_change();
create trigger _200_record_status after insert or update of current_status on cx.agents
  for each row execute function cx_private.tg_agents__record_status();

--! split: 0240-service-plans.sql
/*
 * The carrier's plan catalog (data, voice and combo plans). Reference table. plan_kind is also
 * copied onto each customer assignment, through a composite foreign key, so that an exclusion
 * constraint there can forbid two overlapping plans of the same kind.
 */
create table cx.service_plans (
  service_plan_id uuid primary key default gen_random_uuid(),
  plan_code text not null
    constraint service_plans_plan_code_unique unique
    constraint service_plans_plan_code_format check (plan_code ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
  plan_name text not null
    constraint service_plans_plan_name_not_blank check (btrim(plan_name) <> ''),
  plan_kind text not null
    constraint service_plans_plan_kind_known check (plan_kind in ('data', 'voice', 'combo')),
  payment_type text not null default 'postpaid'
    constraint service_plans_payment_type_known check (payment_type in ('prepaid', 'postpaid', 'hybrid')),
  monthly_fee numeric(10, 2) not null default 0
    constraint service_plans_monthly_fee_non_negative check (monthly_fee >= 0),
  currency char(3) not null default 'EUR'
    constraint service_plans_currency_iso check (currency ~ '^[A-Z]{3}$'),
  data_allowance_mb integer
    constraint service_plans_data_allowance_mb_non_negative check (data_allowance_mb >= 0),
  voice_minutes integer
    constraint service_plans_voice_minutes_non_negative check (voice_minutes >= 0),
  sms_count integer
    constraint service_plans_sms_count_non_negative check (sms_count >= 0),
  contract_months smallint not null default 0
    constraint service_plans_contract_months_range check (contract_months between 0 and 60),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint service_plans_plan_kind_key unique (service_plan_id, plan_kind)
);
comment on table cx.service_plans is 'Catalog of data, voice and combo plans. Reference table.';
comment on column cx.service_plans.service_plan_id is 'Primary key.';
comment on column cx.service_plans.plan_code is 'Stable plan code from the billing system; unique.';
comment on column cx.service_plans.plan_name is 'Name shown to people.';
comment on column cx.service_plans.plan_kind is 'data, voice or combo; a customer holds at most one plan of each kind at a time.';
comment on column cx.service_plans.payment_type is 'prepaid, postpaid or hybrid.';
comment on column cx.service_plans.monthly_fee is 'Recurring fee per month, in currency.';
comment on column cx.service_plans.currency is 'ISO 4217 currency of the fee.';
comment on column cx.service_plans.data_allowance_mb is 'Included data per month in MB; null = unlimited or not applicable.';
comment on column cx.service_plans.voice_minutes is 'Included voice minutes per month; null = unlimited or not applicable.';
comment on column cx.service_plans.sms_count is 'Included SMS per month; null = unlimited or not applicable.';
comment on column cx.service_plans.contract_months is 'Minimum contract length in months (0 = none).';
comment on column cx.service_plans.is_active is 'False for plans no longer sold (assignments keep them).';
comment on column cx.service_plans.created_at is 'When the row was created.';
comment on column cx.service_plans.updated_at is 'When the row last changed.';
comment on constraint service_plans_plan_kind_key on cx.service_plans is 'Target of customer_service_plans'' composite foreign key that copies plan_kind onto assignments.';
create trigger _900_touch_updated_at before update on cx.service_plans
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('service_plans_pkey', 'a service plan with this service_plan_id already exists'),
  ('service_plans_plan_code_unique', 'plan_code must be unique: a plan with this code already exists'),
  ('service_plans_plan_code_format', 'plan_code must be 2 to 63 lowercase letters, digits, hyphens or underscores'),
  ('service_plans_plan_name_not_blank', 'plan_name must not be blank'),
  ('service_plans_plan_kind_known', 'plan_kind must be one of data, voice, combo'),
  ('service_plans_payment_type_known', 'payment_type must be one of prepaid, postpaid, hybrid'),
  ('service_plans_monthly_fee_non_negative', 'monthly_fee must be zero or more'),
  ('service_plans_currency_iso', 'currency must be a three-letter ISO 4217 code such as EUR'),
  ('service_plans_data_allowance_mb_non_negative', 'data_allowance_mb must be zero or more, or empty for unlimited'),
  ('service_plans_voice_minutes_non_negative', 'voice_minutes must be zero or more, or empty for unlimited'),
  ('service_plans_sms_count_non_negative', 'sms_count must be zero or more, or empty for unlimited'),
  ('service_plans_contract_months_range', 'contract_months must be a whole number from 0 to 60'),
  ('service_plans_plan_kind_key', 'a service plan with this service_plan_id and plan_kind already exists');

--! split: 0250-survey-templates.sql
/*
 * Configurable surveys (CSAT, NPS, CES, custom). Reference table. The scale is fixed by the type
 * for the standard surveys, so scores from different templates stay comparable.
 */
create table cx.survey_templates (
  survey_template_id uuid primary key default gen_random_uuid(),
  template_code text not null
    constraint survey_templates_template_code_unique unique
    constraint survey_templates_template_code_format check (template_code ~ '^[a-z][a-z0-9_]{1,62}$'),
  template_name text not null
    constraint survey_templates_template_name_not_blank check (btrim(template_name) <> ''),
  survey_type text not null
    constraint survey_templates_survey_type_known check (survey_type in ('csat', 'nps', 'ces', 'custom')),
  questions jsonb not null default '[]'::jsonb
    constraint survey_templates_questions_array check (jsonb_typeof(questions) = 'array'),
  scale_min smallint,
  scale_max smallint,
  trigger_event text not null default 'interaction_end'
    constraint survey_templates_trigger_event_known check (trigger_event in ('interaction_end', 'journey_end', 'periodic', 'manual')),
  delivery_channel_id uuid
    constraint survey_templates_delivery_channel_id_fkey references cx.channels (channel_id) on delete set null,
  language_code text not null default 'en'
    constraint survey_templates_language_code_format check (language_code ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  template_version integer not null default 1
    constraint survey_templates_template_version_positive check (template_version >= 1),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint survey_templates_scale_standard check (
    case survey_type
      when 'csat' then coalesce(scale_min, 1) = 1 and coalesce(scale_max, 5) = 5
      when 'nps' then coalesce(scale_min, 0) = 0 and coalesce(scale_max, 10) = 10
      when 'ces' then coalesce(scale_min, 1) = 1 and coalesce(scale_max, 7) = 7
      else (scale_min is null and scale_max is null) or coalesce(scale_min < scale_max, false)
    end)
);
comment on table cx.survey_templates is 'Configurable survey templates: CSAT (1-5), NPS (0-10), CES (1-7) or custom. Reference table.';
comment on column cx.survey_templates.survey_template_id is 'Primary key.';
comment on column cx.survey_templates.template_code is 'Stable snake_case code; unique.';
comment on column cx.survey_templates.template_name is 'Name shown to people.';
comment on column cx.survey_templates.survey_type is 'csat, nps, ces or custom.';
comment on column cx.survey_templates.questions is 'The questions as a JSON array of {id, text, kind} objects.';
comment on column cx.survey_templates.scale_min is 'Lowest score of the main question: for csat, nps and ces empty or the standard (1, 0, 1); for custom surveys their own.';
comment on column cx.survey_templates.scale_max is 'Highest score of the main question: for csat, nps and ces empty or the standard (5, 10, 7); for custom surveys their own.';
comment on column cx.survey_templates.trigger_event is 'When the survey is sent: interaction_end, journey_end, periodic or manual.';
comment on column cx.survey_templates.delivery_channel_id is 'Channel the survey is sent through; null = the channel of the interaction.';
comment on column cx.survey_templates.language_code is 'Language of the questions (BCP 47, e.g. en or de-DE).';
comment on column cx.survey_templates.template_version is 'Version; change questions by adding a new version.';
comment on column cx.survey_templates.is_active is 'False for templates no longer sent.';
comment on column cx.survey_templates.created_at is 'When the row was created.';
comment on column cx.survey_templates.updated_at is 'When the row last changed.';
create trigger _900_touch_updated_at before update on cx.survey_templates
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('survey_templates_pkey', 'a survey template with this survey_template_id already exists'),
  ('survey_templates_template_code_unique', 'template_code must be unique: a survey template with this code already exists'),
  ('survey_templates_template_code_format', 'template_code must be snake_case: a lowercase letter, then 1 to 62 lowercase letters, digits or underscores'),
  ('survey_templates_template_name_not_blank', 'template_name must not be blank'),
  ('survey_templates_survey_type_known', 'survey_type must be one of csat, nps, ces, custom'),
  ('survey_templates_questions_array', 'questions must be a JSON array'),
  ('survey_templates_trigger_event_known', 'trigger_event must be one of interaction_end, journey_end, periodic, manual'),
  ('survey_templates_delivery_channel_id_fkey', 'delivery_channel_id must name an existing channel'),
  ('survey_templates_language_code_format', 'language_code must be a language tag such as en or de-DE'),
  ('survey_templates_template_version_positive', 'template_version must be 1 or more'),
  ('survey_templates_scale_standard', 'scale_min and scale_max must be empty or the standard scale (1 to 5 for csat, 0 to 10 for nps, 1 to 7 for ces); for custom surveys both empty or scale_min below scale_max');

--! split: 0260-knowledge-base.sql
/*
 * Knowledge-base articles that bots and agents use. Reference table. usage_count and
 * resolution_success_rate are cross-customer counters: the metrics worker computes them from the
 * steps that cite an article (DESIGN.md §5), no trigger touches them.
 */
create table cx.knowledge_base (
  article_id uuid primary key default gen_random_uuid(),
  article_key text not null
    constraint knowledge_base_article_key_format check (article_key ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
  language_code text not null default 'en'
    constraint knowledge_base_language_code_format check (language_code ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  title text not null
    constraint knowledge_base_title_not_blank check (btrim(title) <> ''),
  content text not null default '',
  category text not null
    constraint knowledge_base_category_known check (category in ('billing', 'account', 'technical', 'sales', 'support')),
  tags text[] not null default '{}',
  confidence_score numeric(4, 3)
    constraint knowledge_base_confidence_score_fraction check (confidence_score between 0 and 1),
  article_status text not null default 'published'
    constraint knowledge_base_article_status_known check (article_status in ('draft', 'published', 'archived')),
  author_agent_id uuid
    constraint knowledge_base_author_agent_id_fkey references cx.agents (agent_id) on delete set null,
  article_version integer not null default 1
    constraint knowledge_base_article_version_positive check (article_version >= 1),
  usage_count integer not null default 0
    constraint knowledge_base_usage_count_non_negative check (usage_count >= 0),
  resolution_success_rate numeric(6, 5)
    constraint knowledge_base_resolution_success_rate_fraction check (resolution_success_rate between 0 and 1),
  usage_updated_at timestamptz,
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint knowledge_base_article_key_language_unique unique (article_key, language_code)
);
comment on table cx.knowledge_base is 'Knowledge-base articles with category, tags, language, confidence and (worker-computed) usage and resolution success. Reference table.';
comment on column cx.knowledge_base.article_id is 'Primary key.';
comment on column cx.knowledge_base.article_key is 'The article across languages: one row per (article_key, language_code).';
comment on column cx.knowledge_base.language_code is 'Language of this version (BCP 47, e.g. en or de-DE).';
comment on column cx.knowledge_base.title is 'Title.';
comment on column cx.knowledge_base.content is 'Body text.';
comment on column cx.knowledge_base.category is 'billing, account, technical, sales or support.';
comment on column cx.knowledge_base.tags is 'Free tags for search and grouping.';
comment on column cx.knowledge_base.confidence_score is 'How reliable the article is for automated answers, 0-1 (set by content owners or the bot platform).';
comment on column cx.knowledge_base.article_status is 'draft, published or archived.';
comment on column cx.knowledge_base.author_agent_id is 'Agent who wrote or owns the article.';
comment on column cx.knowledge_base.article_version is 'Content version.';
comment on column cx.knowledge_base.usage_count is 'Computed by the metrics worker: interaction steps that used the article.';
comment on column cx.knowledge_base.resolution_success_rate is 'Computed by the metrics worker: share of interactions using the article that were resolved, 0-1.';
comment on column cx.knowledge_base.usage_updated_at is 'When usage_count and resolution_success_rate were last computed.';
comment on column cx.knowledge_base.published_at is 'When the article was published.';
comment on column cx.knowledge_base.created_at is 'When the row was created.';
comment on column cx.knowledge_base.updated_at is 'When the row last changed.';
create index knowledge_base_author_agent_id_idx on cx.knowledge_base (author_agent_id) where author_agent_id is not null;
comment on index cx.knowledge_base_author_agent_id_idx is 'Foreign key: articles by author, and setting it null when the agent is deleted.';
create trigger _900_touch_updated_at before update on cx.knowledge_base
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('knowledge_base_pkey', 'an article with this article_id already exists'),
  ('knowledge_base_article_key_format', 'article_key must be 2 to 63 lowercase letters, digits, hyphens or underscores'),
  ('knowledge_base_language_code_format', 'language_code must be a language tag such as en or de-DE'),
  ('knowledge_base_title_not_blank', 'title must not be blank'),
  ('knowledge_base_category_known', 'category must be one of billing, account, technical, sales, support'),
  ('knowledge_base_confidence_score_fraction', 'confidence_score must be a fraction from 0 to 1'),
  ('knowledge_base_article_status_known', 'article_status must be one of draft, published, archived'),
  ('knowledge_base_author_agent_id_fkey', 'author_agent_id must name an existing agent'),
  ('knowledge_base_article_version_positive', 'article_version must be 1 or more'),
  ('knowledge_base_usage_count_non_negative', 'usage_count must be zero or more'),
  ('knowledge_base_resolution_success_rate_fraction', 'resolution_success_rate must be a fraction from 0 to 1'),
  ('knowledge_base_article_key_language_unique', 'an article with this article_key already exists in this language');

--! split: 0300-customers.sql
/*
 * Mobile subscribers with their CX profile. Distributed by customer_id (DESIGN.md §5). The
 * interaction-history fields are kept by statement triggers on customer_interactions, as sums and
 * counts (averages are derived from them, so they stay exact under any mix of writes). MSISDNs are
 * recycled by carriers: unique only among customers who have not churned.
 */
create table cx.customers (
  customer_id uuid primary key default cx.uuid_generate_v7(),
  msisdn text not null
    constraint customers_msisdn_e164 check (msisdn ~ '^\+[1-9][0-9]{6,14}$'),
  first_name text,
  last_name text,
  customer_type text not null
    constraint customers_customer_type_known check (customer_type in ('prepaid', 'postpaid', 'hybrid')),
  region text not null
    constraint customers_region_known check (region in ('R9', 'DEUR')),
  country_code char(2)
    constraint customers_country_code_iso check (country_code ~ '^[A-Z]{2}$'),
  city text,
  postal_code text,
  time_zone text,
  customer_segment text not null default 'consumer'
    constraint customers_customer_segment_known check (customer_segment in ('consumer', 'premium', 'small_business', 'enterprise', 'government')),
  credit_limit numeric(12, 2)
    constraint customers_credit_limit_non_negative check (credit_limit >= 0),
  current_balance numeric(12, 2) not null default 0,
  lifetime_value numeric(14, 2) not null default 0
    constraint customers_lifetime_value_non_negative check (lifetime_value >= 0),
  currency char(3) not null default 'EUR'
    constraint customers_currency_iso check (currency ~ '^[A-Z]{3}$'),
  account_status text not null default 'active'
    constraint customers_account_status_known check (account_status in ('active', 'suspended', 'inactive', 'churned')),
  activated_at timestamptz,
  churned_at timestamptz,
  churn_risk_score numeric(5, 4)
    constraint customers_churn_risk_score_fraction check (churn_risk_score between 0 and 1),
  preferred_contact_time text
    constraint customers_preferred_contact_time_known check (preferred_contact_time in ('morning', 'afternoon', 'evening', 'night', 'any')),
  preferred_channel_id uuid
    constraint customers_preferred_channel_id_fkey references cx.channels (channel_id) on delete set null,
  preferred_language text not null default 'en'
    constraint customers_preferred_language_format check (preferred_language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  communication_preferences jsonb not null default '{}'::jsonb
    constraint customers_communication_preferences_object check (jsonb_typeof(communication_preferences) = 'object'),
  accessibility_needs text[] not null default '{}',
  total_interactions integer not null default 0
    constraint customers_total_interactions_non_negative check (total_interactions >= 0),
  successful_interactions integer not null default 0
    constraint customers_successful_interactions_non_negative check (successful_interactions >= 0),
  escalation_count integer not null default 0
    constraint customers_escalation_count_non_negative check (escalation_count >= 0),
  satisfaction_sum integer not null default 0,
  satisfaction_count integer not null default 0,
  nps_sum integer not null default 0,
  nps_count integer not null default 0,
  effort_sum integer not null default 0,
  effort_count integer not null default 0,
  success_rate numeric generated always as (round(successful_interactions::numeric / nullif(total_interactions, 0), 4)) stored,
  avg_satisfaction_score numeric generated always as (round(satisfaction_sum::numeric / nullif(satisfaction_count, 0), 3)) stored,
  nps_score numeric generated always as (round(nps_sum::numeric / nullif(nps_count, 0), 2)) stored,
  customer_effort_score numeric generated always as (round(effort_sum::numeric / nullif(effort_count, 0), 3)) stored,
  last_interaction_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customers_churned_at_when_churned check ((account_status = 'churned') = (churned_at is not null))
);
comment on table cx.customers is 'Mobile subscribers: identity, region, business value, service status, CX scores, preferences and interaction history. Distributed by customer_id.';
comment on column cx.customers.customer_id is 'Primary key (UUIDv7) and Citus distribution column.';
comment on column cx.customers.msisdn is 'Basic: the mobile number in E.164 form (+4915112345678); unique among customers who have not churned.';
comment on column cx.customers.first_name is 'Basic: given name.';
comment on column cx.customers.last_name is 'Basic: family name.';
comment on column cx.customers.customer_type is 'Basic: prepaid, postpaid or hybrid.';
comment on column cx.customers.region is 'Geographic: the carrier region, R9 or DEUR. Copied onto each interaction when it is recorded.';
comment on column cx.customers.country_code is 'Geographic: ISO 3166-1 alpha-2 country.';
comment on column cx.customers.city is 'Geographic: city.';
comment on column cx.customers.postal_code is 'Geographic: postal code.';
comment on column cx.customers.time_zone is 'Geographic: the customer''s IANA time zone, for contact times.';
comment on column cx.customers.customer_segment is 'Business: consumer, premium, small_business, enterprise or government.';
comment on column cx.customers.credit_limit is 'Business: credit limit (postpaid), in currency.';
comment on column cx.customers.current_balance is 'Business: current balance (negative = owed), in currency.';
comment on column cx.customers.lifetime_value is 'Business: estimated customer lifetime value, in currency.';
comment on column cx.customers.currency is 'Business: ISO 4217 currency of the money fields.';
comment on column cx.customers.account_status is 'Service: active, suspended, inactive or churned.';
comment on column cx.customers.activated_at is 'Service: when the account was activated.';
comment on column cx.customers.churned_at is 'Service: when the customer churned; set exactly when account_status is churned.';
comment on column cx.customers.churn_risk_score is 'CX metrics: predicted probability of churn, 0-1 (from the analytics pipeline).';
comment on column cx.customers.preferred_contact_time is 'Behavioral: morning, afternoon, evening, night or any.';
comment on column cx.customers.preferred_channel_id is 'Behavioral: the channel the customer prefers to be contacted on.';
comment on column cx.customers.preferred_language is 'Behavioral: language for contact (BCP 47).';
comment on column cx.customers.communication_preferences is 'Behavioral: consent and opt-ins per channel, e.g. {"sms": true, "email": false, "marketing": false}.';
comment on column cx.customers.accessibility_needs is 'Behavioral: accessibility needs, e.g. {hearing_impaired, large_text}.';
comment on column cx.customers.total_interactions is 'Interaction history (trigger-kept): interactions recorded for the customer.';
comment on column cx.customers.successful_interactions is 'Interaction history (trigger-kept): interactions completed and resolved.';
comment on column cx.customers.escalation_count is 'Interaction history (trigger-kept): interactions escalated from an automated mode to a human.';
comment on column cx.customers.satisfaction_sum is 'Interaction history (trigger-kept): sum of the interactions'' CSAT scores (1-5).';
comment on column cx.customers.satisfaction_count is 'Interaction history (trigger-kept): interactions with a CSAT score.';
comment on column cx.customers.nps_sum is 'Interaction history (trigger-kept): sum of the interactions'' NPS answers (0-10).';
comment on column cx.customers.nps_count is 'Interaction history (trigger-kept): interactions with an NPS answer.';
comment on column cx.customers.effort_sum is 'Interaction history (trigger-kept): sum of the interactions'' CES scores (1-7).';
comment on column cx.customers.effort_count is 'Interaction history (trigger-kept): interactions with a CES score.';
comment on column cx.customers.success_rate is 'Interaction history: successful_interactions / total_interactions, 0-1 (null before the first interaction).';
comment on column cx.customers.avg_satisfaction_score is 'CX metrics: mean CSAT 1-5 over the customer''s interactions.';
comment on column cx.customers.nps_score is 'CX metrics: mean NPS answer 0-10 over the customer''s interactions (the customer-level likelihood to recommend).';
comment on column cx.customers.customer_effort_score is 'CX metrics: mean CES 1-7 (7 = easiest) over the customer''s interactions.';
comment on column cx.customers.last_interaction_at is 'Interaction history (trigger-kept): start of the latest interaction.';
comment on column cx.customers.created_at is 'When the row was created.';
comment on column cx.customers.updated_at is 'When the row last changed.';
create unique index customers_msisdn_unique on cx.customers (msisdn) where account_status <> 'churned';
comment on index cx.customers_msisdn_unique is 'One customer per MSISDN among those not churned (numbers are recycled); also finds a customer by number.';
create index customers_msisdn_idx on cx.customers (msisdn);
comment on index cx.customers_msisdn_idx is 'Finds every customer who ever held a number, churned ones included (history lookups, privacy requests).';
create index customers_preferred_channel_id_idx on cx.customers (preferred_channel_id) where preferred_channel_id is not null;
comment on index cx.customers_preferred_channel_id_idx is 'Foreign key: setting preferred_channel_id null when a channel is deleted.';
create trigger _900_touch_updated_at before update on cx.customers
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('customers_pkey', 'a customer with this customer_id already exists'),
  ('customers_msisdn_e164', 'msisdn must be in E.164 form: a + then 7 to 15 digits, the first not 0 (e.g. +4915112345678)'),
  ('customers_msisdn_unique', 'msisdn is already held by another customer who has not churned'),
  ('customers_customer_type_known', 'customer_type must be one of prepaid, postpaid, hybrid'),
  ('customers_region_known', 'region must be R9 or DEUR'),
  ('customers_country_code_iso', 'country_code must be a two-letter ISO 3166 code such as DE'),
  ('customers_customer_segment_known', 'customer_segment must be one of consumer, premium, small_business, enterprise, government'),
  ('customers_credit_limit_non_negative', 'credit_limit must be zero or more'),
  ('customers_lifetime_value_non_negative', 'lifetime_value must be zero or more'),
  ('customers_currency_iso', 'currency must be a three-letter ISO 4217 code such as EUR'),
  ('customers_account_status_known', 'account_status must be one of active, suspended, inactive, churned'),
  ('customers_churn_risk_score_fraction', 'churn_risk_score must be a probability from 0 to 1'),
  ('customers_preferred_contact_time_known', 'preferred_contact_time must be one of morning, afternoon, evening, night, any'),
  ('customers_preferred_channel_id_fkey', 'preferred_channel_id must name an existing channel'),
  ('customers_preferred_language_format', 'preferred_language must be a language tag such as en or de-DE'),
  ('customers_communication_preferences_object', 'communication_preferences must be a JSON object'),
  ('customers_total_interactions_non_negative', 'total_interactions must be zero or more'),
  ('customers_successful_interactions_non_negative', 'successful_interactions must be zero or more'),
  ('customers_escalation_count_non_negative', 'escalation_count must be zero or more'),
  ('customers_churned_at_when_churned', 'churned_at must be set exactly when account_status is churned');

--! split: 0310-customer-service-plans.sql
/*
 * Which plans a customer holds, with history: validity ranges per assignment. plan_kind is copied
 * from the plan (composite foreign key, kept right by ON UPDATE CASCADE) so that an exclusion
 * constraint can forbid two overlapping assignments of the same kind. Distributed by customer_id.
 */
create table cx.customer_service_plans (
  customer_id uuid not null
    constraint customer_service_plans_customer_id_fkey references cx.customers (customer_id) on delete cascade,
  assignment_id uuid not null default cx.uuid_generate_v7(),
  service_plan_id uuid not null,
  plan_kind text not null,
  valid_from timestamptz not null,
  valid_to timestamptz,
  assignment_reason text
    constraint customer_service_plans_assignment_reason_known check (assignment_reason in ('new', 'upgrade', 'downgrade', 'renewal', 'retention', 'migration')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customer_service_plans_pkey primary key (customer_id, assignment_id),
  constraint customer_service_plans_service_plan_id_fkey foreign key (service_plan_id, plan_kind)
    references cx.service_plans (service_plan_id, plan_kind) on update cascade on delete restrict,
  constraint customer_service_plans_valid_to_after_valid_from check (valid_to > valid_from),
  constraint customer_service_plans_no_overlap
    exclude using gist (customer_id with =, plan_kind with =, tstzrange(valid_from, valid_to) with &&)
);
comment on table cx.customer_service_plans is 'Customer plan assignments with history; at most one plan of each kind (data, voice, combo) at any moment. Distributed by customer_id.';
comment on column cx.customer_service_plans.customer_id is 'The customer (distribution column).';
comment on column cx.customer_service_plans.assignment_id is 'Primary key within the customer (UUIDv7).';
comment on column cx.customer_service_plans.service_plan_id is 'The plan.';
comment on column cx.customer_service_plans.plan_kind is 'Copied from the plan (filled when omitted); the exclusion constraint compares it.';
comment on column cx.customer_service_plans.valid_from is 'When the assignment starts.';
comment on column cx.customer_service_plans.valid_to is 'When it ends (exclusive); null while current.';
comment on column cx.customer_service_plans.assignment_reason is 'Why the plan was assigned: new, upgrade, downgrade, renewal, retention or migration.';
comment on column cx.customer_service_plans.created_at is 'When the row was created.';
comment on column cx.customer_service_plans.updated_at is 'When the row last changed.';
comment on index cx.customer_service_plans_no_overlap is 'Exclusion: no overlapping assignments of one plan kind per customer; also serves "plans held at time t".';
create index customer_service_plans_service_plan_id_idx on cx.customer_service_plans (service_plan_id, plan_kind);
comment on index cx.customer_service_plans_service_plan_id_idx is 'Foreign key: customers per plan, and the cascade when a plan''s kind changes.';
create trigger _900_touch_updated_at before update on cx.customer_service_plans
  for each row execute function cx_private.tg__touch_updated_at();

create function cx_private.tg_customer_service_plans__copy_plan_kind() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  if new.plan_kind is null or (tg_op = 'UPDATE' and new.service_plan_id is distinct from old.service_plan_id) then
    select plan_kind into new.plan_kind from cx.service_plans where service_plan_id = new.service_plan_id;
  end if;
  return new;
end
$$;
comment on function cx_private.tg_customer_service_plans__copy_plan_kind() is
  'BEFORE INSERT or UPDATE: copies plan_kind from the plan when the writer leaves it out or changes the plan (the composite foreign key then checks it).';
create trigger _100_copy_plan_kind before insert or update of service_plan_id, plan_kind on cx.customer_service_plans
  for each row execute function cx_private.tg_customer_service_plans__copy_plan_kind();

create view cx.customer_current_plans as
  select csp.customer_id, csp.plan_kind, csp.service_plan_id, sp.plan_code, sp.plan_name, csp.valid_from
    from cx.customer_service_plans csp
    join cx.service_plans sp using (service_plan_id, plan_kind)
   where csp.valid_from <= now() and (csp.valid_to is null or csp.valid_to > now());
comment on view cx.customer_current_plans is 'The data, voice and combo plans each customer holds now (the customer''s Service field group).';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('customer_service_plans_pkey', 'a plan assignment with this assignment_id already exists for the customer'),
  ('customer_service_plans_customer_id_fkey', 'customer_id must name an existing customer'),
  ('customer_service_plans_service_plan_id_fkey', 'service_plan_id must name an existing service plan (and plan_kind, when given, must be that plan''s kind)'),
  ('customer_service_plans_assignment_reason_known', 'assignment_reason must be one of new, upgrade, downgrade, renewal, retention, migration'),
  ('customer_service_plans_valid_to_after_valid_from', 'valid_to must be after valid_from'),
  ('customer_service_plans_no_overlap', 'the customer already holds a plan of this kind during part of this period: end that assignment first');

--! split: 0400-customer-journey-sessions.sql
/*
 * A customer journey: one goal pursued across channels (pay a bill in the app, fail, ask the
 * chatbot, get a human). Touchpoints and interactions point to it; its touchpoint count, channels
 * and last activity follow them (triggers on both). Distributed by customer_id.
 */
create table cx.customer_journey_sessions (
  customer_id uuid not null
    constraint customer_journey_sessions_customer_id_fkey references cx.customers (customer_id) on delete cascade,
  session_id uuid not null default cx.uuid_generate_v7(),
  start_timestamp timestamptz not null,
  end_timestamp timestamptz,
  duration_seconds integer generated always as (floor(extract(epoch from (end_timestamp - start_timestamp)))::integer) stored,
  journey_goal text,
  goal_achieved boolean,
  journey_outcome text not null default 'in_progress'
    constraint customer_journey_sessions_journey_outcome_known check (journey_outcome in ('in_progress', 'completed', 'abandoned', 'escalated', 'failed')),
  entry_channel_id uuid
    constraint customer_journey_sessions_entry_channel_id_fkey references cx.channels (channel_id) on delete set null,
  exit_channel_id uuid
    constraint customer_journey_sessions_exit_channel_id_fkey references cx.channels (channel_id) on delete set null,
  device_type text
    constraint customer_journey_sessions_device_type_known check (device_type in ('smartphone', 'tablet', 'desktop', 'feature_phone', 'smart_speaker', 'other')),
  journey_satisfaction_score smallint
    constraint customer_journey_sessions_journey_satisfaction_score_range check (journey_satisfaction_score between 1 and 5),
  touchpoint_count integer not null default 0,
  channel_ids uuid[] not null default '{}',
  channels_used integer generated always as (cardinality(channel_ids)) stored,
  last_activity_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customer_journey_sessions_pkey primary key (customer_id, session_id),
  constraint customer_journey_sessions_end_timestamp_not_before_start check (end_timestamp >= start_timestamp)
);
comment on table cx.customer_journey_sessions is 'Journey-level tracking: a goal pursued across channels, with outcome, channels used and touchpoint counts. Distributed by customer_id.';
comment on column cx.customer_journey_sessions.customer_id is 'The customer (distribution column).';
comment on column cx.customer_journey_sessions.session_id is 'Primary key within the customer (UUIDv7); interactions and touchpoints refer to it.';
comment on column cx.customer_journey_sessions.start_timestamp is 'When the journey started.';
comment on column cx.customer_journey_sessions.end_timestamp is 'When it ended; null while in progress.';
comment on column cx.customer_journey_sessions.duration_seconds is 'end_timestamp - start_timestamp in whole seconds (generated).';
comment on column cx.customer_journey_sessions.journey_goal is 'What the customer set out to do, e.g. pay_bill, change_plan, fix_connectivity.';
comment on column cx.customer_journey_sessions.goal_achieved is 'Whether the goal was achieved; null while unknown.';
comment on column cx.customer_journey_sessions.journey_outcome is 'in_progress, completed, abandoned, escalated or failed.';
comment on column cx.customer_journey_sessions.entry_channel_id is 'Channel the journey started on.';
comment on column cx.customer_journey_sessions.exit_channel_id is 'Channel the journey ended on.';
comment on column cx.customer_journey_sessions.device_type is 'Device of the journey''s start: smartphone, tablet, desktop, feature_phone, smart_speaker or other.';
comment on column cx.customer_journey_sessions.journey_satisfaction_score is 'Satisfaction with the whole journey, 1-5, when surveyed.';
comment on column cx.customer_journey_sessions.touchpoint_count is 'Trigger-kept: touchpoints recorded in the session.';
comment on column cx.customer_journey_sessions.channel_ids is 'Trigger-kept: distinct channels of the session''s touchpoints and interactions, sorted.';
comment on column cx.customer_journey_sessions.channels_used is 'Number of distinct channels used (generated from channel_ids).';
comment on column cx.customer_journey_sessions.last_activity_at is 'Trigger-kept: latest touchpoint or interaction activity (its end, or start while open).';
comment on column cx.customer_journey_sessions.created_at is 'When the row was created.';
comment on column cx.customer_journey_sessions.updated_at is 'When the row last changed.';
create index customer_journey_sessions_start_timestamp_idx on cx.customer_journey_sessions (start_timestamp);
comment on index cx.customer_journey_sessions_start_timestamp_idx is 'Journey analytics by period (completion rates per day).';
create index customer_journey_sessions_session_id_idx on cx.customer_journey_sessions (session_id);
comment on index cx.customer_journey_sessions_session_id_idx is 'The document''s journey query joins on session_id alone.';
create trigger _900_touch_updated_at before update on cx.customer_journey_sessions
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('customer_journey_sessions_pkey', 'a journey session with this session_id already exists for the customer'),
  ('customer_journey_sessions_customer_id_fkey', 'customer_id must name an existing customer'),
  ('customer_journey_sessions_journey_outcome_known', 'journey_outcome must be one of in_progress, completed, abandoned, escalated, failed'),
  ('customer_journey_sessions_entry_channel_id_fkey', 'entry_channel_id must name an existing channel'),
  ('customer_journey_sessions_exit_channel_id_fkey', 'exit_channel_id must name an existing channel'),
  ('customer_journey_sessions_device_type_known', 'device_type must be one of smartphone, tablet, desktop, feature_phone, smart_speaker, other'),
  ('customer_journey_sessions_journey_satisfaction_score_range', 'journey_satisfaction_score must be a whole number from 1 to 5'),
  ('customer_journey_sessions_end_timestamp_not_before_start', 'end_timestamp must not be before start_timestamp');

--! split: 0410-customer-interactions.sql
/*
 * The main fact table: one row per interaction on any channel. Range-partitioned by month on
 * start_timestamp from the start (converting a large table later is what hurts most), with a
 * DEFAULT partition so no insert ever fails; cx.create_monthly_partitions() makes months ahead.
 * The key carries customer_id (Citus distribution column) and start_timestamp (partition key).
 *
 * Durations are generated columns: end - start cannot be written wrong. Bot, human, queue and
 * wrap-up seconds and the escalation come from the steps (interaction_steps triggers);
 * first_contact_resolution is computed by triggers, never by the writer (DESIGN.md §3).
 */
create table cx.customer_interactions (
  customer_id uuid not null
    constraint customer_interactions_customer_id_fkey references cx.customers (customer_id) on delete cascade,
  interaction_id uuid not null default cx.uuid_generate_v7(),
  start_timestamp timestamptz not null,
  end_timestamp timestamptz,
  duration_seconds integer generated always as (floor(extract(epoch from (end_timestamp - start_timestamp)))::integer) stored,
  queue_time_seconds integer not null default 0
    constraint customer_interactions_queue_time_seconds_non_negative check (queue_time_seconds >= 0),
  channel_id uuid not null
    constraint customer_interactions_channel_id_fkey references cx.channels (channel_id) on delete restrict,
  interaction_type_id uuid
    constraint customer_interactions_interaction_type_id_fkey references cx.interaction_types (interaction_type_id) on delete restrict,
  session_id uuid,
  parent_interaction_id uuid,
  parent_start_timestamp timestamptz,
  status text not null default 'active'
    constraint customer_interactions_status_known check (status in ('active', 'completed', 'abandoned', 'failed')),
  resolution_status text not null default 'pending'
    constraint customer_interactions_resolution_status_known check (resolution_status in ('resolved', 'partially_resolved', 'unresolved', 'pending')),
  error_code text
    constraint customer_interactions_error_code_only_when_failed check (error_code is null or status = 'failed'),
  device_type text
    constraint customer_interactions_device_type_known check (device_type in ('smartphone', 'tablet', 'desktop', 'feature_phone', 'smart_speaker', 'other')),
  operating_system text,
  app_version text,
  browser text,
  connection_type text
    constraint customer_interactions_connection_type_known check (connection_type in ('wifi', '5g', '4g', '3g', '2g', 'ethernet', 'fixed_line', 'other')),
  screen_resolution text
    constraint customer_interactions_screen_resolution_format check (screen_resolution ~ '^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$'),
  client_info jsonb not null default '{}'::jsonb
    constraint customer_interactions_client_info_object check (jsonb_typeof(client_info) = 'object'),
  primary_agent_id uuid
    constraint customer_interactions_primary_agent_id_fkey references cx.agents (agent_id) on delete set null,
  secondary_agent_id uuid
    constraint customer_interactions_secondary_agent_id_fkey references cx.agents (agent_id) on delete set null,
  supervisor_agent_id uuid
    constraint customer_interactions_supervisor_agent_id_fkey references cx.agents (agent_id) on delete set null,
  initial_mode text not null
    constraint customer_interactions_initial_mode_known check (initial_mode in ('bot', 'live_chat', 'self_service', 'ivr', 'video_call')),
  interaction_mode text not null
    constraint customer_interactions_interaction_mode_known check (interaction_mode in ('bot', 'live_chat', 'self_service', 'ivr', 'video_call')),
  bot_duration_seconds integer not null default 0
    constraint customer_interactions_bot_duration_seconds_non_negative check (bot_duration_seconds >= 0),
  human_duration_seconds integer not null default 0
    constraint customer_interactions_human_duration_seconds_non_negative check (human_duration_seconds >= 0),
  wrap_up_seconds integer not null default 0
    constraint customer_interactions_wrap_up_seconds_non_negative check (wrap_up_seconds >= 0),
  escalated_to_human boolean not null default false,
  escalation_reason text
    constraint customer_interactions_escalation_reason_known check (escalation_reason in (
      'customer_request', 'bot_not_understood', 'bot_cannot_resolve', 'authentication_required',
      'negative_sentiment', 'policy_requires_human', 'technical_failure', 'other')),
  escalation_timestamp timestamptz,
  customer_satisfaction_score smallint
    constraint customer_interactions_customer_satisfaction_score_range check (customer_satisfaction_score between 1 and 5),
  customer_effort_score smallint
    constraint customer_interactions_customer_effort_score_range check (customer_effort_score between 1 and 7),
  nps_score smallint
    constraint customer_interactions_nps_score_range check (nps_score between 0 and 10),
  first_contact_resolution boolean not null default false,
  interaction_value numeric(12, 2)
    constraint customer_interactions_interaction_value_non_negative check (interaction_value >= 0),
  cost_to_serve numeric(12, 4)
    constraint customer_interactions_cost_to_serve_non_negative check (cost_to_serve >= 0),
  cost_to_serve_source text not null default 'derived'
    constraint customer_interactions_cost_to_serve_source_known check (cost_to_serve_source in ('given', 'derived')),
  revenue_impact numeric(12, 2),
  customer_intent text,
  sentiment_score numeric(4, 3)
    constraint customer_interactions_sentiment_score_range check (sentiment_score between -1 and 1),
  language_code text
    constraint customer_interactions_language_code_format check (language_code ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  region text not null
    constraint customer_interactions_region_known check (region in ('R9', 'DEUR')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customer_interactions_pkey primary key (customer_id, interaction_id, start_timestamp),
  constraint customer_interactions_end_timestamp_not_before_start check (end_timestamp >= start_timestamp),
  constraint customer_interactions_escalation_timestamp_in_interaction check (escalation_timestamp >= start_timestamp),
  constraint customer_interactions_escalation_fields_need_escalation check (
    escalated_to_human or (escalation_reason is null and escalation_timestamp is null)),
  constraint customer_interactions_escalation_needs_automated_start check (
    not escalated_to_human or initial_mode in ('bot', 'self_service', 'ivr')),
  constraint customer_interactions_parent_complete check ((parent_interaction_id is null) = (parent_start_timestamp is null)),
  constraint customer_interactions_session_id_fkey foreign key (customer_id, session_id)
    references cx.customer_journey_sessions (customer_id, session_id) on delete set null (session_id),
  constraint customer_interactions_parent_interaction_id_fkey foreign key (customer_id, parent_interaction_id, parent_start_timestamp)
    references cx.customer_interactions (customer_id, interaction_id, start_timestamp)
    on update cascade on delete set null (parent_interaction_id, parent_start_timestamp)
) partition by range (start_timestamp);
comment on table cx.customer_interactions is 'Main fact table: every interaction on every channel, with timing, classification, channel context, agents, bot vs human split, quality scores, business context and analytics. Partitioned by month on start_timestamp; distributed by customer_id.';
comment on column cx.customer_interactions.customer_id is 'The customer (distribution column).';
comment on column cx.customer_interactions.interaction_id is 'Identifier (UUIDv7); the key is (customer_id, interaction_id, start_timestamp).';
comment on column cx.customer_interactions.start_timestamp is 'Timing: when the interaction started (partition key).';
comment on column cx.customer_interactions.end_timestamp is 'Timing: when it ended; null while active.';
comment on column cx.customer_interactions.duration_seconds is 'Timing: end_timestamp - start_timestamp in whole seconds (generated; null while active).';
comment on column cx.customer_interactions.queue_time_seconds is 'Timing: seconds spent waiting in queue for a human (sum of queue steps).';
comment on column cx.customer_interactions.channel_id is 'Channel context: the channel.';
comment on column cx.customer_interactions.interaction_type_id is 'Classification: what it was about; FCR groups repeat contacts by it.';
comment on column cx.customer_interactions.session_id is 'Relationships: the journey session it belongs to, if any.';
comment on column cx.customer_interactions.parent_interaction_id is 'Relationships: the interaction this one follows up (with parent_start_timestamp).';
comment on column cx.customer_interactions.parent_start_timestamp is 'Relationships: start_timestamp of the parent interaction (part of its key).';
comment on column cx.customer_interactions.status is 'Classification: active, completed, abandoned or failed.';
comment on column cx.customer_interactions.resolution_status is 'Classification: resolved, partially_resolved, unresolved or pending.';
comment on column cx.customer_interactions.error_code is 'Classification: the error of a failed interaction (only when status is failed).';
comment on column cx.customer_interactions.device_type is 'Channel context: smartphone, tablet, desktop, feature_phone, smart_speaker or other.';
comment on column cx.customer_interactions.operating_system is 'Channel context: operating system and version, e.g. Android 15.';
comment on column cx.customer_interactions.app_version is 'Channel context: version of the carrier''s app or web client.';
comment on column cx.customer_interactions.browser is 'Channel context: browser and version, for web interactions.';
comment on column cx.customer_interactions.connection_type is 'Channel context: wifi, 5g, 4g, 3g, 2g, ethernet, fixed_line or other.';
comment on column cx.customer_interactions.screen_resolution is 'Channel context: screen size as WIDTHxHEIGHT, e.g. 1080x2400.';
comment on column cx.customer_interactions.client_info is 'Channel context: other client details as a JSON object (user agent, locale, ...).';
comment on column cx.customer_interactions.primary_agent_id is 'Agent tracking: the agent (bot or human) who handled most of it.';
comment on column cx.customer_interactions.secondary_agent_id is 'Agent tracking: a second agent (after a transfer).';
comment on column cx.customer_interactions.supervisor_agent_id is 'Agent tracking: supervisor involved, if any.';
comment on column cx.customer_interactions.initial_mode is 'Bot vs human: the mode the interaction was created with (bot, live_chat, self_service, ivr, video_call); never changes. Containment is measured on it.';
comment on column cx.customer_interactions.interaction_mode is 'Bot vs human: how the interaction counts. A bot or self-service interaction that reached a human counts whole as live_chat; an IVR call stays ivr.';
comment on column cx.customer_interactions.bot_duration_seconds is 'Bot vs human: seconds with a bot (sum of bot steps when there are steps).';
comment on column cx.customer_interactions.human_duration_seconds is 'Bot vs human: seconds with a human, hold included (sum of human and hold steps when there are steps).';
comment on column cx.customer_interactions.wrap_up_seconds is 'Bot vs human: after-contact work seconds (sum of wrap_up steps).';
comment on column cx.customer_interactions.escalated_to_human is 'Bot vs human: an interaction that started automated (bot, self_service, ivr) reached a human or a human queue. Never undone by a writer.';
comment on column cx.customer_interactions.escalation_reason is 'Bot vs human: why it was escalated (customer_request, bot_not_understood, bot_cannot_resolve, authentication_required, negative_sentiment, policy_requires_human, technical_failure, other).';
comment on column cx.customer_interactions.escalation_timestamp is 'Bot vs human: when it was escalated: start of the first queue or human step, or when a writer flagged it.';
comment on column cx.customer_interactions.customer_satisfaction_score is 'Quality: CSAT 1-5, from the latest linked feedback that has one.';
comment on column cx.customer_interactions.customer_effort_score is 'Quality: CES 1-7 (7 = easiest), from the latest linked feedback that has one.';
comment on column cx.customer_interactions.nps_score is 'Quality: NPS answer 0-10, from the latest linked feedback that has one.';
comment on column cx.customer_interactions.first_contact_resolution is 'Quality (computed): resolved, and no other interaction of the customer about the same type started within the FCR repeat window (setting fcr_repeat_window) after this one ended (its start while it has no end).';
comment on column cx.customer_interactions.interaction_value is 'Business context: value of what the interaction achieved (e.g. order value), in EUR.';
comment on column cx.customer_interactions.cost_to_serve is 'Business context: cost of handling it, in EUR; given by the writer or derived by cx.derived_cost_to_serve().';
comment on column cx.customer_interactions.cost_to_serve_source is 'given (the writer set cost_to_serve) or derived (computed from the channel costs and durations, and recomputed when they change).';
comment on column cx.customer_interactions.revenue_impact is 'Business context: revenue won (positive) or lost (negative) because of it, in EUR.';
comment on column cx.customer_interactions.customer_intent is 'Analytics: the intent detected (e.g. by the bot''s NLU), free text.';
comment on column cx.customer_interactions.sentiment_score is 'Analytics: customer sentiment from -1 (negative) to 1 (positive).';
comment on column cx.customer_interactions.language_code is 'Analytics: language used (BCP 47).';
comment on column cx.customer_interactions.region is 'The customer''s region when the interaction was recorded (copied; history does not change when a customer moves).';
comment on column cx.customer_interactions.created_at is 'When the row was created.';
comment on column cx.customer_interactions.updated_at is 'When the row last changed.';

create table cx.customer_interactions_default partition of cx.customer_interactions default;
comment on table cx.customer_interactions_default is 'Rows whose month has no partition yet; cx.create_monthly_partitions() moves them into their month.';

create index customer_interactions_channel_start_idx on cx.customer_interactions (channel_id, start_timestamp);
comment on index cx.customer_interactions_channel_start_idx is 'Per-channel analytics over a period (the document''s bot effectiveness query, daily channel metrics); foreign key to channels.';
create index customer_interactions_start_idx on cx.customer_interactions (start_timestamp);
comment on index cx.customer_interactions_start_idx is 'All channels over a period (last 30 days, daily refresh of a bucket).';
create index customer_interactions_fcr_idx on cx.customer_interactions (customer_id, interaction_type_id, start_timestamp);
comment on index cx.customer_interactions_fcr_idx is 'First contact resolution: a customer''s contacts about one type in time order; also the customer''s history.';
create index customer_interactions_type_start_idx on cx.customer_interactions (interaction_type_id, start_timestamp);
comment on index cx.customer_interactions_type_start_idx is 'Per-type analytics (containment by type); foreign key to interaction_types.';
create index customer_interactions_primary_agent_idx on cx.customer_interactions (primary_agent_id, start_timestamp) where primary_agent_id is not null;
comment on index cx.customer_interactions_primary_agent_idx is 'Agent performance over a period; foreign key to agents.';
create index customer_interactions_secondary_agent_idx on cx.customer_interactions (secondary_agent_id) where secondary_agent_id is not null;
comment on index cx.customer_interactions_secondary_agent_idx is 'Foreign key to agents (set null on delete); transfers received.';
create index customer_interactions_supervisor_agent_idx on cx.customer_interactions (supervisor_agent_id) where supervisor_agent_id is not null;
comment on index cx.customer_interactions_supervisor_agent_idx is 'Foreign key to agents (set null on delete); supervisor involvement.';
create index customer_interactions_session_idx on cx.customer_interactions (session_id) where session_id is not null;
comment on index cx.customer_interactions_session_idx is 'The document''s journey query joins on session_id; journey roll-ups and the session foreign key.';
create index customer_interactions_parent_idx on cx.customer_interactions (customer_id, parent_interaction_id) where parent_interaction_id is not null;
comment on index cx.customer_interactions_parent_idx is 'Follow-ups of an interaction; the parent foreign key.';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('customer_interactions_pkey', 'an interaction with this interaction_id and start_timestamp already exists for the customer'),
  ('customer_interactions_customer_id_fkey', 'customer_id must name an existing customer'),
  ('customer_interactions_queue_time_seconds_non_negative', 'queue_time_seconds must be zero or more'),
  ('customer_interactions_channel_id_fkey', 'channel_id must name an existing channel'),
  ('customer_interactions_interaction_type_id_fkey', 'interaction_type_id must name an existing interaction type'),
  ('customer_interactions_status_known', 'status must be one of active, completed, abandoned, failed'),
  ('customer_interactions_resolution_status_known', 'resolution_status must be one of resolved, partially_resolved, unresolved, pending'),
  ('customer_interactions_error_code_only_when_failed', 'error_code may be set only when status is failed'),
  ('customer_interactions_device_type_known', 'device_type must be one of smartphone, tablet, desktop, feature_phone, smart_speaker, other'),
  ('customer_interactions_connection_type_known', 'connection_type must be one of wifi, 5g, 4g, 3g, 2g, ethernet, fixed_line, other'),
  ('customer_interactions_screen_resolution_format', 'screen_resolution must be WIDTHxHEIGHT in pixels, e.g. 1080x2400'),
  ('customer_interactions_client_info_object', 'client_info must be a JSON object'),
  ('customer_interactions_primary_agent_id_fkey', 'primary_agent_id must name an existing agent'),
  ('customer_interactions_secondary_agent_id_fkey', 'secondary_agent_id must name an existing agent'),
  ('customer_interactions_supervisor_agent_id_fkey', 'supervisor_agent_id must name an existing agent'),
  ('customer_interactions_initial_mode_known', 'initial_mode must be one of bot, live_chat, self_service, ivr, video_call'),
  ('customer_interactions_interaction_mode_known', 'interaction_mode must be one of bot, live_chat, self_service, ivr, video_call'),
  ('customer_interactions_bot_duration_seconds_non_negative', 'bot_duration_seconds must be zero or more'),
  ('customer_interactions_human_duration_seconds_non_negative', 'human_duration_seconds must be zero or more'),
  ('customer_interactions_wrap_up_seconds_non_negative', 'wrap_up_seconds must be zero or more'),
  ('customer_interactions_escalation_reason_known', 'escalation_reason must be one of customer_request, bot_not_understood, bot_cannot_resolve, authentication_required, negative_sentiment, policy_requires_human, technical_failure, other'),
  ('customer_interactions_customer_satisfaction_score_range', 'customer_satisfaction_score (CSAT) must be a whole number from 1 to 5'),
  ('customer_interactions_customer_effort_score_range', 'customer_effort_score (CES) must be a whole number from 1 to 7'),
  ('customer_interactions_nps_score_range', 'nps_score must be a whole number from 0 to 10'),
  ('customer_interactions_interaction_value_non_negative', 'interaction_value must be zero or more'),
  ('customer_interactions_cost_to_serve_non_negative', 'cost_to_serve must be zero or more'),
  ('customer_interactions_cost_to_serve_source_known', 'cost_to_serve_source must be given or derived'),
  ('customer_interactions_sentiment_score_range', 'sentiment_score must be from -1 to 1'),
  ('customer_interactions_language_code_format', 'language_code must be a language tag such as en or de-DE'),
  ('customer_interactions_region_known', 'region must be R9 or DEUR'),
  ('customer_interactions_end_timestamp_not_before_start', 'end_timestamp must not be before start_timestamp'),
  ('customer_interactions_escalation_timestamp_in_interaction', 'escalation_timestamp must not be before start_timestamp'),
  ('customer_interactions_escalation_fields_need_escalation', 'escalation_reason and escalation_timestamp may be set only when escalated_to_human is true'),
  ('customer_interactions_escalation_needs_automated_start', 'escalated_to_human applies only to interactions whose initial_mode is automated (bot, self_service, ivr)'),
  ('customer_interactions_parent_complete', 'parent_interaction_id and parent_start_timestamp must be given together'),
  ('customer_interactions_session_id_fkey', 'session_id must name an existing journey session of the same customer'),
  ('customer_interactions_parent_interaction_id_fkey', 'parent_interaction_id and parent_start_timestamp must name an existing interaction of the same customer'),
  ('customer_interactions_escalation_irreversible', 'an escalation cannot be undone: escalated_to_human stays true once set'),
  ('customer_interactions_initial_mode_fixed', 'initial_mode cannot change after the interaction is recorded'),
  ('customer_interactions_interaction_mode_consistent', 'interaction_mode must equal initial_mode unless the interaction was escalated (then a bot or self_service interaction counts as live_chat)'),
  ('customer_interactions_customer_missing', 'customer_id must name an existing customer');

--! split: 0420-interaction-steps.sql
/*
 * The segments of an interaction: a bot turn, a queue wait, a human conversation, hold, wrap-up.
 * Partitioned like its interaction, on the interaction's start (copied as
 * interaction_start_timestamp), so a step always lives in its interaction's month. The
 * interaction's bot/human/queue/wrap-up seconds and its escalation are derived from the steps
 * (DESIGN.md §3): writers record what happened and never classify by hand.
 */
create table cx.interaction_steps (
  customer_id uuid not null,
  step_id uuid not null default cx.uuid_generate_v7(),
  interaction_id uuid not null,
  interaction_start_timestamp timestamptz not null,
  step_type text not null
    constraint interaction_steps_step_type_known check (step_type in ('bot', 'human', 'queue', 'hold', 'wrap_up')),
  agent_id uuid
    constraint interaction_steps_agent_id_fkey references cx.agents (agent_id) on delete set null,
  started_at timestamptz not null,
  ended_at timestamptz,
  duration_seconds integer generated always as (floor(extract(epoch from (ended_at - started_at)))::integer) stored,
  kb_article_id uuid
    constraint interaction_steps_kb_article_id_fkey references cx.knowledge_base (article_id) on delete set null,
  step_outcome text
    constraint interaction_steps_step_outcome_known check (step_outcome in ('answered', 'resolved', 'transferred', 'escalated', 'abandoned', 'failed')),
  step_details jsonb not null default '{}'::jsonb
    constraint interaction_steps_step_details_object check (jsonb_typeof(step_details) = 'object'),
  created_at timestamptz not null default now(),
  constraint interaction_steps_pkey primary key (customer_id, step_id, interaction_start_timestamp),
  constraint interaction_steps_interaction_fkey foreign key (customer_id, interaction_id, interaction_start_timestamp)
    references cx.customer_interactions (customer_id, interaction_id, start_timestamp) on update cascade on delete cascade,
  constraint interaction_steps_ended_at_not_before_started_at check (ended_at >= started_at),
  constraint interaction_steps_started_at_in_interaction check (started_at >= interaction_start_timestamp),
  constraint interaction_steps_queue_has_no_agent check (step_type <> 'queue' or agent_id is null),
  constraint interaction_steps_human_has_agent check (step_type <> 'human' or agent_id is not null)
) partition by range (interaction_start_timestamp);
comment on table cx.interaction_steps is 'Step-by-step breakdown of an interaction (bot, human, queue, hold, wrap_up). Partitioned by month on the interaction''s start; distributed by customer_id.';
comment on column cx.interaction_steps.customer_id is 'The customer (distribution column; part of the interaction''s key).';
comment on column cx.interaction_steps.step_id is 'Identifier (UUIDv7).';
comment on column cx.interaction_steps.interaction_id is 'The interaction the step belongs to.';
comment on column cx.interaction_steps.interaction_start_timestamp is 'The interaction''s start_timestamp (its key and this table''s partition key); follows it on update.';
comment on column cx.interaction_steps.step_type is 'bot, human (a transfer is a human step by another agent), queue (waiting for a human), hold (a human put the customer on hold) or wrap_up (after-contact work).';
comment on column cx.interaction_steps.agent_id is 'The bot or human agent of the step; null for queue steps, required for human steps.';
comment on column cx.interaction_steps.started_at is 'When the step started (not before the interaction).';
comment on column cx.interaction_steps.ended_at is 'When it ended; null while it lasts.';
comment on column cx.interaction_steps.duration_seconds is 'ended_at - started_at in whole seconds (generated; null while it lasts).';
comment on column cx.interaction_steps.kb_article_id is 'Knowledge-base article the step used, if any.';
comment on column cx.interaction_steps.step_outcome is 'How the step ended: answered, resolved, transferred, escalated, abandoned or failed.';
comment on column cx.interaction_steps.step_details is 'Source details as a JSON object: bot intent and confidence, IVR menu path, transfer target, ...';
comment on column cx.interaction_steps.created_at is 'When the row was recorded.';

create table cx.interaction_steps_default partition of cx.interaction_steps default;
comment on table cx.interaction_steps_default is 'Steps whose interaction month has no partition yet; cx.create_monthly_partitions() moves them.';

create index interaction_steps_interaction_idx on cx.interaction_steps (customer_id, interaction_id, interaction_start_timestamp);
comment on index cx.interaction_steps_interaction_idx is 'Foreign key to the interaction (cascades, key updates) and the per-interaction recomputation of durations and escalation.';
create index interaction_steps_agent_idx on cx.interaction_steps (agent_id, started_at) where agent_id is not null;
comment on index cx.interaction_steps_agent_idx is 'Agent occupancy and handle time from human steps; foreign key to agents.';
create index interaction_steps_kb_article_idx on cx.interaction_steps (kb_article_id) where kb_article_id is not null;
comment on index cx.interaction_steps_kb_article_idx is 'Knowledge-base usage counts; foreign key to knowledge_base.';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('interaction_steps_pkey', 'a step with this step_id already exists for the interaction'),
  ('interaction_steps_step_type_known', 'step_type must be one of bot, human, queue, hold, wrap_up'),
  ('interaction_steps_agent_id_fkey', 'agent_id must name an existing agent'),
  ('interaction_steps_kb_article_id_fkey', 'kb_article_id must name an existing knowledge-base article'),
  ('interaction_steps_step_outcome_known', 'step_outcome must be one of answered, resolved, transferred, escalated, abandoned, failed'),
  ('interaction_steps_step_details_object', 'step_details must be a JSON object'),
  ('interaction_steps_interaction_fkey', 'the step''s customer_id, interaction_id and interaction_start_timestamp must name an existing interaction'),
  ('interaction_steps_ended_at_not_before_started_at', 'ended_at must not be before started_at'),
  ('interaction_steps_started_at_in_interaction', 'started_at must not be before the interaction''s start_timestamp'),
  ('interaction_steps_queue_has_no_agent', 'a queue step has no agent: agent_id must be empty'),
  ('interaction_steps_human_has_agent', 'a human step needs the agent who handled it: agent_id is required'),
  ('interaction_steps_escalation_irreversible', 'the queue and human steps of an escalated interaction cannot be deleted: an escalation cannot be undone');

--! split: 0430-interaction-external-refs.sql
/*
 * An external reference per source, so that a replayed event cannot create a second interaction.
 * A unique key on the partitioned interactions would have to include start_timestamp (and a
 * replay may carry a corrected start), so the dedup key lives in this small unpartitioned table.
 */
create table cx.interaction_external_refs (
  source_system text not null
    constraint interaction_external_refs_source_system_format check (source_system ~ '^[a-z][a-z0-9_.-]{1,62}$'),
  external_reference text not null
    constraint interaction_external_refs_external_reference_not_blank check (btrim(external_reference) <> ''),
  customer_id uuid not null,
  interaction_id uuid not null,
  start_timestamp timestamptz not null,
  created_at timestamptz not null default now(),
  constraint interaction_external_refs_pkey primary key (source_system, external_reference),
  constraint interaction_external_refs_interaction_fkey foreign key (customer_id, interaction_id, start_timestamp)
    references cx.customer_interactions (customer_id, interaction_id, start_timestamp) on update cascade on delete cascade
);
comment on table cx.interaction_external_refs is 'Deduplication of externally sourced interactions: (source_system, external_reference) names at most one interaction.';
comment on column cx.interaction_external_refs.source_system is 'The source, e.g. chatbot, ivr, agent_desktop, crm.';
comment on column cx.interaction_external_refs.external_reference is 'The source''s own identifier of the interaction (conversation id, call id, ticket number).';
comment on column cx.interaction_external_refs.customer_id is 'The interaction''s customer (part of its key).';
comment on column cx.interaction_external_refs.interaction_id is 'The interaction.';
comment on column cx.interaction_external_refs.start_timestamp is 'The interaction''s start_timestamp (part of its key); follows it on update.';
comment on column cx.interaction_external_refs.created_at is 'When the reference was recorded.';
create index interaction_external_refs_interaction_idx on cx.interaction_external_refs (customer_id, interaction_id, start_timestamp);
comment on index cx.interaction_external_refs_interaction_idx is 'Foreign key: the cascade when an interaction is deleted or its start corrected.';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('interaction_external_refs_pkey', 'this source_system already recorded an interaction with this external_reference'),
  ('interaction_external_refs_source_system_format', 'source_system must be 2 to 63 lowercase letters, digits, dots, hyphens or underscores, starting with a letter'),
  ('interaction_external_refs_external_reference_not_blank', 'external_reference must not be blank'),
  ('interaction_external_refs_interaction_fkey', 'the reference must name an existing interaction (customer_id, interaction_id, start_timestamp)');

--! split: 0440-journey-touchpoints.sql
/*
 * The touchpoints of a journey: screens, bot messages, IVR menus, searches, payments, each on a
 * channel and in order, with friction flags for friction-point analysis. Distributed by customer_id.
 */
create table cx.journey_touchpoints (
  customer_id uuid not null,
  touchpoint_id uuid not null default cx.uuid_generate_v7(),
  session_id uuid not null,
  channel_id uuid not null
    constraint journey_touchpoints_channel_id_fkey references cx.channels (channel_id) on delete restrict,
  interaction_id uuid,
  interaction_start_timestamp timestamptz,
  touchpoint_type text not null
    constraint journey_touchpoints_touchpoint_type_known check (touchpoint_type in (
      'page_view', 'app_screen', 'search', 'form_submit', 'payment', 'bot_message', 'ivr_menu',
      'chat', 'call', 'email', 'sms', 'social_post', 'kb_article', 'notification', 'other')),
  occurred_at timestamptz not null,
  sequence_number integer
    constraint journey_touchpoints_sequence_number_positive check (sequence_number >= 1),
  page_or_screen text,
  action text,
  dwell_seconds integer
    constraint journey_touchpoints_dwell_seconds_non_negative check (dwell_seconds >= 0),
  friction_detected boolean not null default false,
  friction_type text
    constraint journey_touchpoints_friction_type_known check (friction_type in (
      'error', 'slow_response', 'dead_end', 'repeat_input', 'authentication', 'abandonment', 'other')),
  touchpoint_details jsonb not null default '{}'::jsonb
    constraint journey_touchpoints_touchpoint_details_object check (jsonb_typeof(touchpoint_details) = 'object'),
  created_at timestamptz not null default now(),
  constraint journey_touchpoints_pkey primary key (customer_id, touchpoint_id),
  constraint journey_touchpoints_session_id_fkey foreign key (customer_id, session_id)
    references cx.customer_journey_sessions (customer_id, session_id) on delete cascade,
  constraint journey_touchpoints_interaction_fkey foreign key (customer_id, interaction_id, interaction_start_timestamp)
    references cx.customer_interactions (customer_id, interaction_id, start_timestamp)
    on update cascade on delete set null (interaction_id, interaction_start_timestamp),
  constraint journey_touchpoints_interaction_complete check ((interaction_id is null) = (interaction_start_timestamp is null)),
  constraint journey_touchpoints_friction_type_needs_friction check (friction_type is null or friction_detected)
);
comment on table cx.journey_touchpoints is 'Journey touchpoint mapping: each step a customer took in a journey session, on which channel, with friction flags. Distributed by customer_id.';
comment on column cx.journey_touchpoints.customer_id is 'The customer (distribution column).';
comment on column cx.journey_touchpoints.touchpoint_id is 'Primary key within the customer (UUIDv7).';
comment on column cx.journey_touchpoints.session_id is 'The journey session.';
comment on column cx.journey_touchpoints.channel_id is 'The channel of the touchpoint.';
comment on column cx.journey_touchpoints.interaction_id is 'The interaction the touchpoint was part of, if any (with interaction_start_timestamp).';
comment on column cx.journey_touchpoints.interaction_start_timestamp is 'The interaction''s start_timestamp (part of its key).';
comment on column cx.journey_touchpoints.touchpoint_type is 'What happened: page_view, app_screen, search, form_submit, payment, bot_message, ivr_menu, chat, call, email, sms, social_post, kb_article, notification or other.';
comment on column cx.journey_touchpoints.occurred_at is 'When it happened.';
comment on column cx.journey_touchpoints.sequence_number is 'Position in the journey as the source numbered it (1 = first), when known.';
comment on column cx.journey_touchpoints.page_or_screen is 'Page, screen or menu name.';
comment on column cx.journey_touchpoints.action is 'What the customer did there (e.g. tapped pay, chose option 2).';
comment on column cx.journey_touchpoints.dwell_seconds is 'Seconds spent at the touchpoint.';
comment on column cx.journey_touchpoints.friction_detected is 'The touchpoint showed friction (error, dead end, repeated input, ...).';
comment on column cx.journey_touchpoints.friction_type is 'Kind of friction: error, slow_response, dead_end, repeat_input, authentication, abandonment or other.';
comment on column cx.journey_touchpoints.touchpoint_details is 'Source details as a JSON object.';
comment on column cx.journey_touchpoints.created_at is 'When the row was recorded.';
create index journey_touchpoints_session_idx on cx.journey_touchpoints (customer_id, session_id, occurred_at);
comment on index cx.journey_touchpoints_session_idx is 'A session''s touchpoints in order; the session foreign key and the session roll-up.';
create index journey_touchpoints_interaction_idx on cx.journey_touchpoints (customer_id, interaction_id, interaction_start_timestamp) where interaction_id is not null;
comment on index cx.journey_touchpoints_interaction_idx is 'Foreign key to interactions (set null on delete, follow start corrections).';
create index journey_touchpoints_channel_idx on cx.journey_touchpoints (channel_id, occurred_at);
comment on index cx.journey_touchpoints_channel_idx is 'Cross-channel analysis per channel and period; foreign key to channels.';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('journey_touchpoints_pkey', 'a touchpoint with this touchpoint_id already exists for the customer'),
  ('journey_touchpoints_channel_id_fkey', 'channel_id must name an existing channel'),
  ('journey_touchpoints_touchpoint_type_known', 'touchpoint_type must be one of page_view, app_screen, search, form_submit, payment, bot_message, ivr_menu, chat, call, email, sms, social_post, kb_article, notification, other'),
  ('journey_touchpoints_sequence_number_positive', 'sequence_number must be 1 or more'),
  ('journey_touchpoints_dwell_seconds_non_negative', 'dwell_seconds must be zero or more'),
  ('journey_touchpoints_friction_type_known', 'friction_type must be one of error, slow_response, dead_end, repeat_input, authentication, abandonment, other'),
  ('journey_touchpoints_touchpoint_details_object', 'touchpoint_details must be a JSON object'),
  ('journey_touchpoints_session_id_fkey', 'session_id must name an existing journey session of the same customer'),
  ('journey_touchpoints_interaction_fkey', 'interaction_id and interaction_start_timestamp must name an existing interaction of the same customer'),
  ('journey_touchpoints_interaction_complete', 'interaction_id and interaction_start_timestamp must be given together'),
  ('journey_touchpoints_friction_type_needs_friction', 'friction_type may be set only when friction_detected is true');

--! split: 0450-customer-feedback.sql
/*
 * Feedback from every touchpoint: structured scores (CSAT 1-5, NPS 0-10, CES 1-7), free text with
 * sentiment, and the follow-up it needs. Feedback linked to an interaction sets that interaction's
 * scores (latest response wins, per score). Distributed by customer_id.
 */
create table cx.customer_feedback (
  customer_id uuid not null
    constraint customer_feedback_customer_id_fkey references cx.customers (customer_id) on delete cascade,
  feedback_id uuid not null default cx.uuid_generate_v7(),
  interaction_id uuid,
  interaction_start_timestamp timestamptz,
  session_id uuid,
  survey_template_id uuid
    constraint customer_feedback_survey_template_id_fkey references cx.survey_templates (survey_template_id) on delete restrict,
  channel_id uuid
    constraint customer_feedback_channel_id_fkey references cx.channels (channel_id) on delete set null,
  submitted_at timestamptz not null default now(),
  csat_score smallint
    constraint customer_feedback_csat_score_range check (csat_score between 1 and 5),
  nps_score smallint
    constraint customer_feedback_nps_score_range check (nps_score between 0 and 10),
  ces_score smallint
    constraint customer_feedback_ces_score_range check (ces_score between 1 and 7),
  feedback_text text,
  sentiment_score numeric(4, 3)
    constraint customer_feedback_sentiment_score_range check (sentiment_score between -1 and 1),
  sentiment_label text
    constraint customer_feedback_sentiment_label_known check (sentiment_label in ('positive', 'neutral', 'negative', 'mixed')),
  feedback_topics text[] not null default '{}',
  answers jsonb not null default '{}'::jsonb
    constraint customer_feedback_answers_object check (jsonb_typeof(answers) = 'object'),
  follow_up_status text not null default 'not_required'
    constraint customer_feedback_follow_up_status_known check (follow_up_status in ('not_required', 'pending', 'in_progress', 'resolved', 'closed')),
  follow_up_agent_id uuid
    constraint customer_feedback_follow_up_agent_id_fkey references cx.agents (agent_id) on delete set null,
  follow_up_notes text,
  follow_up_resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customer_feedback_pkey primary key (customer_id, feedback_id),
  constraint customer_feedback_interaction_fkey foreign key (customer_id, interaction_id, interaction_start_timestamp)
    references cx.customer_interactions (customer_id, interaction_id, start_timestamp)
    on update cascade on delete set null (interaction_id, interaction_start_timestamp),
  constraint customer_feedback_session_id_fkey foreign key (customer_id, session_id)
    references cx.customer_journey_sessions (customer_id, session_id) on delete set null (session_id),
  constraint customer_feedback_interaction_complete check ((interaction_id is null) = (interaction_start_timestamp is null)),
  constraint customer_feedback_has_content check (
    csat_score is not null or nps_score is not null or ces_score is not null
    or nullif(btrim(feedback_text), '') is not null or answers <> '{}'::jsonb),
  constraint customer_feedback_follow_up_resolved_at_when_resolved check (
    follow_up_resolved_at is null or follow_up_status in ('resolved', 'closed'))
);
comment on table cx.customer_feedback is 'Multi-channel feedback: CSAT, NPS and CES scores, free text with sentiment, survey answers and follow-up. Distributed by customer_id.';
comment on column cx.customer_feedback.customer_id is 'The customer (distribution column).';
comment on column cx.customer_feedback.feedback_id is 'Primary key within the customer (UUIDv7).';
comment on column cx.customer_feedback.interaction_id is 'The interaction the feedback is about, if any (with interaction_start_timestamp); its scores follow the latest feedback.';
comment on column cx.customer_feedback.interaction_start_timestamp is 'The interaction''s start_timestamp (part of its key).';
comment on column cx.customer_feedback.session_id is 'The journey the feedback is about, if any.';
comment on column cx.customer_feedback.survey_template_id is 'The survey that collected it; null for unsolicited feedback (a social post, a complaint).';
comment on column cx.customer_feedback.channel_id is 'Channel the feedback came through.';
comment on column cx.customer_feedback.submitted_at is 'When the customer answered; the latest answer wins for the interaction''s scores.';
comment on column cx.customer_feedback.csat_score is 'Structured: CSAT, 1-5 (4-5 = satisfied).';
comment on column cx.customer_feedback.nps_score is 'Structured: likelihood to recommend, 0-10 (9-10 promoter, 0-6 detractor).';
comment on column cx.customer_feedback.ces_score is 'Structured: customer effort, 1-7 (7 = easiest).';
comment on column cx.customer_feedback.feedback_text is 'Unstructured: the customer''s words.';
comment on column cx.customer_feedback.sentiment_score is 'Unstructured: sentiment of the text from -1 (negative) to 1 (positive), from text analysis.';
comment on column cx.customer_feedback.sentiment_label is 'Unstructured: positive, neutral, negative or mixed.';
comment on column cx.customer_feedback.feedback_topics is 'Unstructured: topics found in the text (billing, network, staff, app, ...).';
comment on column cx.customer_feedback.answers is 'Answers to the survey''s other questions, keyed by question id.';
comment on column cx.customer_feedback.follow_up_status is 'Response management: not_required, pending, in_progress, resolved or closed.';
comment on column cx.customer_feedback.follow_up_agent_id is 'Response management: the agent following up.';
comment on column cx.customer_feedback.follow_up_notes is 'Response management: notes of the follow-up.';
comment on column cx.customer_feedback.follow_up_resolved_at is 'Response management: when the follow-up was resolved.';
comment on column cx.customer_feedback.created_at is 'When the row was recorded.';
comment on column cx.customer_feedback.updated_at is 'When the row last changed.';
create index customer_feedback_interaction_idx on cx.customer_feedback (customer_id, interaction_id, interaction_start_timestamp, submitted_at) where interaction_id is not null;
comment on index cx.customer_feedback_interaction_idx is 'An interaction''s feedback in time order (latest wins); foreign key to interactions.';
create index customer_feedback_submitted_at_idx on cx.customer_feedback (submitted_at);
comment on index cx.customer_feedback_submitted_at_idx is 'Feedback over a period (quality monitoring, late feedback for the daily refresh).';
create index customer_feedback_survey_template_idx on cx.customer_feedback (survey_template_id) where survey_template_id is not null;
comment on index cx.customer_feedback_survey_template_idx is 'Responses per survey; foreign key to survey_templates.';
create index customer_feedback_session_idx on cx.customer_feedback (customer_id, session_id) where session_id is not null;
comment on index cx.customer_feedback_session_idx is 'Foreign key to journey sessions (set null on delete).';
create index customer_feedback_follow_up_idx on cx.customer_feedback (follow_up_status, submitted_at) where follow_up_status in ('pending', 'in_progress');
comment on index cx.customer_feedback_follow_up_idx is 'The follow-up work queue: feedback still waiting for a response.';
create trigger _900_touch_updated_at before update on cx.customer_feedback
  for each row execute function cx_private.tg__touch_updated_at();

insert into cx_private.constraint_messages (constraint_name, message) values
  ('customer_feedback_pkey', 'feedback with this feedback_id already exists for the customer'),
  ('customer_feedback_customer_id_fkey', 'customer_id must name an existing customer'),
  ('customer_feedback_survey_template_id_fkey', 'survey_template_id must name an existing survey template'),
  ('customer_feedback_channel_id_fkey', 'channel_id must name an existing channel'),
  ('customer_feedback_csat_score_range', 'csat_score must be a whole number from 1 to 5'),
  ('customer_feedback_nps_score_range', 'nps_score must be a whole number from 0 to 10'),
  ('customer_feedback_ces_score_range', 'ces_score must be a whole number from 1 to 7'),
  ('customer_feedback_sentiment_score_range', 'sentiment_score must be from -1 to 1'),
  ('customer_feedback_sentiment_label_known', 'sentiment_label must be one of positive, neutral, negative, mixed'),
  ('customer_feedback_answers_object', 'answers must be a JSON object'),
  ('customer_feedback_follow_up_status_known', 'follow_up_status must be one of not_required, pending, in_progress, resolved, closed'),
  ('customer_feedback_follow_up_agent_id_fkey', 'follow_up_agent_id must name an existing agent'),
  ('customer_feedback_interaction_fkey', 'interaction_id and interaction_start_timestamp must name an existing interaction of the same customer'),
  ('customer_feedback_session_id_fkey', 'session_id must name an existing journey session of the same customer'),
  ('customer_feedback_interaction_complete', 'interaction_id and interaction_start_timestamp must be given together'),
  ('customer_feedback_has_content', 'feedback needs at least one of csat_score, nps_score, ces_score, feedback_text or answers'),
  ('customer_feedback_follow_up_resolved_at_when_resolved', 'follow_up_resolved_at may be set only when follow_up_status is resolved or closed');

--! split: 0460-interaction-outcomes.sql
/*
 * Business outcomes of interactions (sales, upsells, retention saves, cost savings, churn), with
 * their value, for business-impact metrics. Distributed by customer_id.
 */
create table cx.interaction_outcomes (
  customer_id uuid not null,
  outcome_id uuid not null default cx.uuid_generate_v7(),
  interaction_id uuid not null,
  interaction_start_timestamp timestamptz not null,
  outcome_type text not null
    constraint interaction_outcomes_outcome_type_known check (outcome_type in (
      'sale', 'upsell', 'cross_sell', 'retention', 'cost_saving', 'churn', 'refund', 'complaint_resolved', 'other')),
  outcome_value numeric(12, 2) not null default 0,
  currency char(3) not null default 'EUR'
    constraint interaction_outcomes_currency_iso check (currency ~ '^[A-Z]{3}$'),
  service_plan_id uuid
    constraint interaction_outcomes_service_plan_id_fkey references cx.service_plans (service_plan_id) on delete set null,
  attributed_agent_id uuid
    constraint interaction_outcomes_attributed_agent_id_fkey references cx.agents (agent_id) on delete set null,
  recorded_at timestamptz not null default now(),
  outcome_details jsonb not null default '{}'::jsonb
    constraint interaction_outcomes_outcome_details_object check (jsonb_typeof(outcome_details) = 'object'),
  created_at timestamptz not null default now(),
  constraint interaction_outcomes_pkey primary key (customer_id, outcome_id),
  constraint interaction_outcomes_interaction_fkey foreign key (customer_id, interaction_id, interaction_start_timestamp)
    references cx.customer_interactions (customer_id, interaction_id, start_timestamp) on update cascade on delete cascade,
  constraint interaction_outcomes_outcome_value_sign check (
    case when outcome_type in ('churn', 'refund') then outcome_value <= 0 else outcome_value >= 0 end)
);
comment on table cx.interaction_outcomes is 'Business outcomes of interactions: sales, upsells, retention saves, cost savings, churn, refunds, with their value. Distributed by customer_id.';
comment on column cx.interaction_outcomes.customer_id is 'The customer (distribution column).';
comment on column cx.interaction_outcomes.outcome_id is 'Primary key within the customer (UUIDv7).';
comment on column cx.interaction_outcomes.interaction_id is 'The interaction that produced the outcome.';
comment on column cx.interaction_outcomes.interaction_start_timestamp is 'The interaction''s start_timestamp (part of its key).';
comment on column cx.interaction_outcomes.outcome_type is 'sale, upsell, cross_sell, retention, cost_saving, churn, refund, complaint_resolved or other.';
comment on column cx.interaction_outcomes.outcome_value is 'Value in currency: revenue or savings (zero or more); lost revenue for churn and refund (zero or less).';
comment on column cx.interaction_outcomes.currency is 'ISO 4217 currency of the value.';
comment on column cx.interaction_outcomes.service_plan_id is 'Plan sold or retained, if any.';
comment on column cx.interaction_outcomes.attributed_agent_id is 'Agent credited with the outcome.';
comment on column cx.interaction_outcomes.recorded_at is 'When the outcome happened (a sale may close after the interaction).';
comment on column cx.interaction_outcomes.outcome_details is 'Source details as a JSON object (order id, offer code, ...).';
comment on column cx.interaction_outcomes.created_at is 'When the row was recorded.';
create index interaction_outcomes_interaction_idx on cx.interaction_outcomes (customer_id, interaction_id, interaction_start_timestamp);
comment on index cx.interaction_outcomes_interaction_idx is 'Outcomes of an interaction; foreign key cascades.';
create index interaction_outcomes_type_recorded_idx on cx.interaction_outcomes (outcome_type, recorded_at);
comment on index cx.interaction_outcomes_type_recorded_idx is 'Business impact per outcome type and period.';
create index interaction_outcomes_agent_idx on cx.interaction_outcomes (attributed_agent_id) where attributed_agent_id is not null;
comment on index cx.interaction_outcomes_agent_idx is 'Outcomes per agent; foreign key to agents.';
create index interaction_outcomes_service_plan_idx on cx.interaction_outcomes (service_plan_id) where service_plan_id is not null;
comment on index cx.interaction_outcomes_service_plan_idx is 'Outcomes per plan; foreign key to service_plans.';

insert into cx_private.constraint_messages (constraint_name, message) values
  ('interaction_outcomes_pkey', 'an outcome with this outcome_id already exists for the customer'),
  ('interaction_outcomes_outcome_type_known', 'outcome_type must be one of sale, upsell, cross_sell, retention, cost_saving, churn, refund, complaint_resolved, other'),
  ('interaction_outcomes_currency_iso', 'currency must be a three-letter ISO 4217 code such as EUR'),
  ('interaction_outcomes_service_plan_id_fkey', 'service_plan_id must name an existing service plan'),
  ('interaction_outcomes_attributed_agent_id_fkey', 'attributed_agent_id must name an existing agent'),
  ('interaction_outcomes_outcome_details_object', 'outcome_details must be a JSON object'),
  ('interaction_outcomes_interaction_fkey', 'the outcome must name an existing interaction (customer_id, interaction_id, interaction_start_timestamp)'),
  ('interaction_outcomes_outcome_value_sign', 'outcome_value must be zero or more, except for churn and refund where it is zero or less');

--! split: 0500-interaction-row-rules.sql
/*
 * The rules every interaction row obeys, whoever writes it (DESIGN.md §3):
 * - initial_mode is the mode the interaction was created with and never changes;
 * - escalation: a bot or self-service interaction that reached a human counts whole as live_chat,
 *   an IVR call stays ivr; escalated_to_human is never cleared by a writer; a writer that sets it
 *   without steps gets escalation_timestamp filled (the start on insert, the moment of the update
 *   otherwise);
 * - region is copied from the customer when the interaction is recorded;
 * - cost_to_serve is the writer's when given, else derived from the channel costs and durations
 *   (cx.derived_cost_to_serve) and kept derived as the durations change (a given cost equal to the
 *   formula's counts as derived);
 * - first_contact_resolution is computed by the roll-up triggers, never written by a writer.
 * A BEFORE ROW trigger, because these decide the stored row itself.
 */
create function cx_private.tg_customer_interactions__apply_rules() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_mode text;
begin
  if tg_op = 'INSERT' then
    new.initial_mode := coalesce(new.initial_mode, new.interaction_mode);
    if new.region is null then
      select c.region into new.region from cx.customers c where c.customer_id = new.customer_id;
      if not found then
        raise exception 'customer_id % does not name an existing customer', new.customer_id
          using errcode = 'foreign_key_violation', column = 'customer_id',
                constraint = 'customer_interactions_customer_missing';
      end if;
    end if;
    -- computed by the roll-up triggers; a writer's value is ignored
    new.first_contact_resolution := false;
    -- a row moving to another partition arrives here as an INSERT with its derived cost: a cost
    -- equal to the channel formula stays derived, any other given cost is the writer's
    new.cost_to_serve_source := case
      when new.cost_to_serve is null then 'derived'
      when new.cost_to_serve_source = 'derived' and new.cost_to_serve = cx.derived_cost_to_serve(
             new.channel_id, new.bot_duration_seconds, new.human_duration_seconds, new.wrap_up_seconds) then 'derived'
      else 'given'
    end;
  else
    if old.escalated_to_human and not new.escalated_to_human then
      raise exception 'interaction % was escalated to a human; escalated_to_human cannot be set back to false', old.interaction_id
        using errcode = 'check_violation', column = 'escalated_to_human',
              constraint = 'customer_interactions_escalation_irreversible';
    end if;
    if new.initial_mode is distinct from old.initial_mode then
      raise exception 'initial_mode of interaction % is %, and cannot change to %', old.interaction_id, old.initial_mode, new.initial_mode
        using errcode = 'check_violation', column = 'initial_mode',
              constraint = 'customer_interactions_initial_mode_fixed';
    end if;
    if pg_trigger_depth() = 1 then
      -- a writer's statement: first_contact_resolution is not theirs to set
      new.first_contact_resolution := old.first_contact_resolution;
    end if;
    if new.cost_to_serve is distinct from old.cost_to_serve then
      new.cost_to_serve_source := case when new.cost_to_serve is null then 'derived' else 'given' end;
    end if;
  end if;

  if new.escalated_to_human and new.escalation_timestamp is null and new.initial_mode in ('bot', 'self_service', 'ivr') then
    new.escalation_timestamp := case
      when tg_op = 'INSERT' then new.start_timestamp
      else greatest(new.start_timestamp, least(clock_timestamp(), coalesce(new.end_timestamp, 'infinity')))
    end;
  end if;

  v_mode := case
    when new.escalated_to_human and new.initial_mode in ('bot', 'self_service') then 'live_chat'
    else new.initial_mode
  end;
  if (tg_op = 'INSERT' and new.interaction_mode is not null and new.interaction_mode not in (new.initial_mode, v_mode))
     or (tg_op = 'UPDATE' and new.interaction_mode is distinct from old.interaction_mode and new.interaction_mode <> v_mode) then
    raise exception 'interaction_mode % contradicts initial_mode % and escalated_to_human %: it would be %',
        new.interaction_mode, new.initial_mode, new.escalated_to_human, v_mode
      using errcode = 'check_violation', column = 'interaction_mode',
            constraint = 'customer_interactions_interaction_mode_consistent';
  end if;
  new.interaction_mode := v_mode;

  if new.cost_to_serve_source = 'derived' then
    new.cost_to_serve := cx.derived_cost_to_serve(
      new.channel_id, new.bot_duration_seconds, new.human_duration_seconds, new.wrap_up_seconds);
  end if;
  return new;
end
$$;
comment on function cx_private.tg_customer_interactions__apply_rules() is
  'BEFORE INSERT or UPDATE on customer_interactions: initial_mode fixed, escalation never undone and its consequences for interaction_mode and escalation_timestamp, region copied from the customer, cost_to_serve derived unless given, first_contact_resolution kept from writers.';
create trigger _100_apply_rules before insert or update on cx.customer_interactions
  for each row execute function cx_private.tg_customer_interactions__apply_rules();
create trigger _900_touch_updated_at before update on cx.customer_interactions
  for each row execute function cx_private.tg__touch_updated_at();

--! split: 0510-step-classification.sql
/*
 * Bot vs live chat, from the steps (DESIGN.md §3, the seed's rule): after steps change, each
 * touched interaction's bot seconds (bot steps), human seconds (human + hold), queue seconds and
 * wrap-up seconds are recomputed from all its steps, and any queue or human step in an interaction
 * that started automated (bot, self_service, ivr) escalates it, at the start of the first such
 * step. One statement, many interactions: each touched interaction is recomputed once, and rows
 * already right are not rewritten (a bulk load that computed them finds nothing to change).
 * Escalations are never undone: deleting the queue or human steps of an escalated interaction
 * that still exists is refused. Deletes cascading from the interaction pass (it no longer exists),
 * and so do partition moves (they are UPDATEs).
 */
create type cx_private.interaction_key as (customer_id uuid, interaction_id uuid, start_timestamp timestamptz);
comment on type cx_private.interaction_key is 'The key of an interaction, for passing sets of touched interactions between trigger functions.';

create function cx_private.recompute_step_totals(p_keys cx_private.interaction_key[]) returns void
  language sql volatile
  set search_path = pg_catalog
  as $$
    with touched as (
      select distinct k.customer_id, k.interaction_id, k.start_timestamp from unnest(p_keys) k
    ),
    totals as (
      select t.customer_id, t.interaction_id, t.start_timestamp,
             coalesce(sum(s.duration_seconds) filter (where s.step_type = 'bot'), 0)::integer as bot_seconds,
             coalesce(sum(s.duration_seconds) filter (where s.step_type in ('human', 'hold')), 0)::integer as human_seconds,
             coalesce(sum(s.duration_seconds) filter (where s.step_type = 'queue'), 0)::integer as queue_seconds,
             coalesce(sum(s.duration_seconds) filter (where s.step_type = 'wrap_up'), 0)::integer as wrap_up_seconds,
             min(s.started_at) filter (where s.step_type in ('queue', 'human')) as first_human_or_queue
        from touched t
        left join cx.interaction_steps s
          on s.customer_id = t.customer_id and s.interaction_id = t.interaction_id
         and s.interaction_start_timestamp = t.start_timestamp
       group by t.customer_id, t.interaction_id, t.start_timestamp
    ),
    target as (
      select t.*, ci.initial_mode in ('bot', 'self_service', 'ivr') and t.first_human_or_queue is not null as reached_human
        from totals t
        join cx.customer_interactions ci
          on ci.customer_id = t.customer_id and ci.interaction_id = t.interaction_id and ci.start_timestamp = t.start_timestamp
    )
    update cx.customer_interactions ci
       set bot_duration_seconds = t.bot_seconds,
           human_duration_seconds = t.human_seconds,
           queue_time_seconds = t.queue_seconds,
           wrap_up_seconds = t.wrap_up_seconds,
           escalated_to_human = ci.escalated_to_human or t.reached_human,
           escalation_timestamp = case when t.reached_human then t.first_human_or_queue else ci.escalation_timestamp end
      from target t
     where ci.customer_id = t.customer_id and ci.interaction_id = t.interaction_id and ci.start_timestamp = t.start_timestamp
       and (ci.bot_duration_seconds, ci.human_duration_seconds, ci.queue_time_seconds, ci.wrap_up_seconds,
            ci.escalated_to_human, ci.escalation_timestamp)
           is distinct from
           (t.bot_seconds, t.human_seconds, t.queue_seconds, t.wrap_up_seconds,
            ci.escalated_to_human or t.reached_human,
            case when t.reached_human then t.first_human_or_queue else ci.escalation_timestamp end)
  $$;
comment on function cx_private.recompute_step_totals(cx_private.interaction_key[]) is
  'Recomputes bot, human (+hold), queue and wrap-up seconds and the escalation of the given interactions from all their steps; writes only rows that change.';

create function cx_private.tg_interaction_steps__classify() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
  v_refused record;
begin
  if tg_op = 'DELETE' then
    select o.interaction_id, o.step_type into v_refused
      from old_steps o
      join cx.customer_interactions ci
        on ci.customer_id = o.customer_id and ci.interaction_id = o.interaction_id
       and ci.start_timestamp = o.interaction_start_timestamp
     where o.step_type in ('queue', 'human') and ci.escalated_to_human
     limit 1;
    if found then
      raise exception 'interaction % was escalated to a human: its % steps cannot be deleted', v_refused.interaction_id, v_refused.step_type
        using errcode = 'check_violation', constraint = 'interaction_steps_escalation_irreversible';
    end if;
    select array_agg(distinct (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key)
      into v_keys from old_steps o;
  elsif tg_op = 'INSERT' then
    select array_agg(distinct (n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key)
      into v_keys from new_steps n;
  else
    select array_agg(distinct k) into v_keys from (
      select (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key as k from old_steps o
      union all
      select (n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key from new_steps n
    ) keys;
  end if;
  if v_keys is not null then
    perform cx_private.recompute_step_totals(v_keys);
  end if;
  return null;
end
$$;
comment on function cx_private.tg_interaction_steps__classify() is
  'AFTER each statement on interaction_steps: recomputes the durations and escalation of every interaction whose steps it touched; refuses deleting queue or human steps of an escalated interaction that still exists.';

create trigger _200_classify_after_insert after insert on cx.interaction_steps
  referencing new table as new_steps
  for each statement execute function cx_private.tg_interaction_steps__classify();
create trigger _200_classify_after_update after update on cx.interaction_steps
  referencing old table as old_steps new table as new_steps
  for each statement execute function cx_private.tg_interaction_steps__classify();
create trigger _200_classify_after_delete after delete on cx.interaction_steps
  referencing old table as old_steps
  for each statement execute function cx_private.tg_interaction_steps__classify();

--! split: 0520-customer-history.sql
/*
 * Each customer's interaction history (totals, successes, escalations, CSAT/NPS/CES sums and
 * counts) follows their interactions under concurrent writers and bulk loads: statement triggers
 * turn the rows a statement inserted, changed or deleted into signed deltas, and each touched
 * customer is updated once, customers locked in customer_id order so concurrent writers cannot
 * deadlock. Deltas are exact because the stored figures are sums and counts.
 */
create type cx_private.history_change as (
  customer_id uuid,
  sign integer,
  successful boolean,
  escalated boolean,
  csat smallint,
  nps smallint,
  ces smallint
);
comment on type cx_private.history_change is 'One interaction entering (+1) or leaving (-1) a customer''s history, with what it counts for.';

create function cx_private.apply_customer_history(p_changes cx_private.history_change[]) returns void
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  -- lock the touched customers in a fixed order first: concurrent writers queue, never deadlock
  perform 1
     from cx.customers c
    where c.customer_id in (select distinct ch.customer_id from unnest(p_changes) ch)
    order by c.customer_id
      for no key update;
  with delta as (
    select ch.customer_id,
           sum(ch.sign) as total,
           coalesce(sum(ch.sign) filter (where ch.successful), 0) as successful,
           coalesce(sum(ch.sign) filter (where ch.escalated), 0) as escalated,
           coalesce(sum(ch.sign * ch.csat), 0) as csat_sum,
           coalesce(sum(ch.sign) filter (where ch.csat is not null), 0) as csat_count,
           coalesce(sum(ch.sign * ch.nps), 0) as nps_sum,
           coalesce(sum(ch.sign) filter (where ch.nps is not null), 0) as nps_count,
           coalesce(sum(ch.sign * ch.ces), 0) as ces_sum,
           coalesce(sum(ch.sign) filter (where ch.ces is not null), 0) as ces_count
      from unnest(p_changes) ch
     group by ch.customer_id
  )
  update cx.customers c
     set total_interactions = c.total_interactions + d.total,
         successful_interactions = c.successful_interactions + d.successful,
         escalation_count = c.escalation_count + d.escalated,
         satisfaction_sum = c.satisfaction_sum + d.csat_sum,
         satisfaction_count = c.satisfaction_count + d.csat_count,
         nps_sum = c.nps_sum + d.nps_sum,
         nps_count = c.nps_count + d.nps_count,
         effort_sum = c.effort_sum + d.ces_sum,
         effort_count = c.effort_count + d.ces_count
    from delta d
   where c.customer_id = d.customer_id
     and (d.total, d.successful, d.escalated, d.csat_sum, d.csat_count, d.nps_sum, d.nps_count, d.ces_sum, d.ces_count)
         <> (0, 0, 0, 0, 0, 0, 0, 0, 0);
end
$$;
comment on function cx_private.apply_customer_history(cx_private.history_change[]) is
  'Adds signed interaction deltas to each touched customer''s history counters, one UPDATE per customer, customers locked in customer_id order.';

--! split: 0530-first-contact-resolution.sql
/*
 * First contact resolution, computed, never written by the writer (DESIGN.md §3): an interaction
 * is FCR when it is resolved and no other interaction of the same customer about the same
 * interaction type (no type counts as a type of its own) starts in [its end, its end + the
 * fcr_repeat_window setting), its start standing in for the end while it has none. Whatever the
 * arrival order: a change to an interaction recomputes every interaction of that customer and type
 * whose window can reach it, so a new contact flips earlier ones and a backfilled earlier contact
 * sees the later one. Within one customer's rows (Citus co-location).
 */
create type cx_private.fcr_key as (customer_id uuid, interaction_type_id uuid, since timestamptz);
comment on type cx_private.fcr_key is 'A customer and interaction type whose FCR must be recomputed from a moment on.';

create function cx_private.recompute_first_contact_resolution(p_keys cx_private.fcr_key[]) returns void
  language sql volatile
  set search_path = pg_catalog
  as $$
    with window_setting as (
      select coalesce(cx.setting('fcr_repeat_window')::interval, interval '7 days') as repeat_window
    ),
    keys as (
      select k.customer_id, k.interaction_type_id, min(k.since) as since
        from unnest(p_keys) k
       group by k.customer_id, k.interaction_type_id
    ),
    -- equality on the type where there is one, so each probe is a range scan of the
    -- (customer_id, interaction_type_id, start_timestamp) index; interactions without a type form
    -- their own group
    candidates as (
      select x.customer_id, x.interaction_id, x.start_timestamp,
             x.resolution_status = 'resolved' and not exists (
               select 1
                 from cx.customer_interactions y
                where y.customer_id = x.customer_id
                  and y.interaction_type_id = x.interaction_type_id
                  and y.interaction_id <> x.interaction_id
                  and y.start_timestamp >= coalesce(x.end_timestamp, x.start_timestamp)
                  and y.start_timestamp < coalesce(x.end_timestamp, x.start_timestamp) + w.repeat_window
             ) as fcr
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and x.interaction_type_id = k.interaction_type_id
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
      union all
      select x.customer_id, x.interaction_id, x.start_timestamp,
             x.resolution_status = 'resolved' and not exists (
               select 1
                 from cx.customer_interactions y
                where y.customer_id = x.customer_id
                  and y.interaction_type_id is null
                  and y.interaction_id <> x.interaction_id
                  and y.start_timestamp >= coalesce(x.end_timestamp, x.start_timestamp)
                  and y.start_timestamp < coalesce(x.end_timestamp, x.start_timestamp) + w.repeat_window
             )
        from keys k
       cross join window_setting w
        join cx.customer_interactions x
          on x.customer_id = k.customer_id
         and x.interaction_type_id is null
         and coalesce(x.end_timestamp, x.start_timestamp) >= k.since - w.repeat_window
       where k.interaction_type_id is null
    )
    update cx.customer_interactions ci
       set first_contact_resolution = c.fcr
      from candidates c
     where ci.customer_id = c.customer_id and ci.interaction_id = c.interaction_id and ci.start_timestamp = c.start_timestamp
       and ci.first_contact_resolution is distinct from c.fcr
  $$;
comment on function cx_private.recompute_first_contact_resolution(cx_private.fcr_key[]) is
  'Recomputes first_contact_resolution of every interaction of the given customers and types whose repeat window reaches the given moments.';

--! split: 0540-journey-roll-up.sql
/*
 * A journey session's touchpoint count, channels used and last activity follow its touchpoints and
 * interactions: each touched session is recomputed from both sources (idempotent, order-free).
 */
create function cx_private.recompute_journey_sessions(p_customer_ids uuid[], p_session_ids uuid[]) returns void
  language sql volatile
  set search_path = pg_catalog
  as $$
    with touched as (
      select distinct k.customer_id, k.session_id
        from unnest(p_customer_ids, p_session_ids) k(customer_id, session_id)
       where k.session_id is not null
    ),
    stats as (
      select t.customer_id, t.session_id,
             (select count(*) from cx.journey_touchpoints tp
               where tp.customer_id = t.customer_id and tp.session_id = t.session_id)::integer as touchpoints,
             array(select distinct u.channel_id
                     from (select tp.channel_id from cx.journey_touchpoints tp
                            where tp.customer_id = t.customer_id and tp.session_id = t.session_id
                           union
                           select ci.channel_id from cx.customer_interactions ci
                            where ci.customer_id = t.customer_id and ci.session_id = t.session_id) u
                    order by u.channel_id) as channels,
             greatest(
               (select max(tp.occurred_at) from cx.journey_touchpoints tp
                 where tp.customer_id = t.customer_id and tp.session_id = t.session_id),
               (select max(coalesce(ci.end_timestamp, ci.start_timestamp)) from cx.customer_interactions ci
                 where ci.customer_id = t.customer_id and ci.session_id = t.session_id)) as last_activity
        from touched t
    )
    update cx.customer_journey_sessions s
       set touchpoint_count = st.touchpoints,
           channel_ids = st.channels,
           last_activity_at = st.last_activity
      from stats st
     where s.customer_id = st.customer_id and s.session_id = st.session_id
       and (s.touchpoint_count, s.channel_ids, s.last_activity_at)
           is distinct from (st.touchpoints, st.channels, st.last_activity)
  $$;
comment on function cx_private.recompute_journey_sessions(uuid[], uuid[]) is
  'Recomputes touchpoint_count, channel_ids and last_activity_at of the given journey sessions from their touchpoints and interactions.';

create function cx_private.tg_journey_touchpoints__roll_up() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_customers uuid[];
  v_sessions uuid[];
begin
  if tg_op = 'INSERT' then
    select array_agg(n.customer_id), array_agg(n.session_id) into v_customers, v_sessions from new_rows n;
  elsif tg_op = 'DELETE' then
    select array_agg(o.customer_id), array_agg(o.session_id) into v_customers, v_sessions from old_rows o;
  else
    select array_agg(k.customer_id), array_agg(k.session_id) into v_customers, v_sessions
      from (select o.customer_id, o.session_id from old_rows o
            union select n.customer_id, n.session_id from new_rows n) k;
  end if;
  if v_customers is not null then
    perform cx_private.recompute_journey_sessions(v_customers, v_sessions);
  end if;
  return null;
end
$$;
comment on function cx_private.tg_journey_touchpoints__roll_up() is
  'AFTER each statement on journey_touchpoints: recomputes the touched journey sessions.';
create trigger _500_roll_up_after_insert after insert on cx.journey_touchpoints
  referencing new table as new_rows
  for each statement execute function cx_private.tg_journey_touchpoints__roll_up();
create trigger _500_roll_up_after_update after update on cx.journey_touchpoints
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_journey_touchpoints__roll_up();
create trigger _500_roll_up_after_delete after delete on cx.journey_touchpoints
  referencing old table as old_rows
  for each statement execute function cx_private.tg_journey_touchpoints__roll_up();

--! split: 0550-interaction-roll-ups.sql
/*
 * After each statement on customer_interactions: the customer history deltas, first contact
 * resolution and journey sessions of what the statement changed. An UPDATE counts only rows whose
 * relevant columns changed, so the roll-ups' own updates (FCR, scores) do not feed back into
 * themselves. Statement triggers with transition tables need one trigger per event.
 */
create function cx_private.tg_customer_interactions__roll_up() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_history cx_private.history_change[];
  v_fcr cx_private.fcr_key[];
  v_customers uuid[];
  v_sessions uuid[];
begin
  if tg_op = 'INSERT' then
    select array_agg((n.customer_id, 1, n.status = 'completed' and n.resolution_status = 'resolved', n.escalated_to_human,
                      n.customer_satisfaction_score, n.nps_score, n.customer_effort_score)::cx_private.history_change),
           array_agg((n.customer_id, n.interaction_type_id, n.start_timestamp)::cx_private.fcr_key),
           array_agg(n.customer_id) filter (where n.session_id is not null),
           array_agg(n.session_id) filter (where n.session_id is not null)
      into v_history, v_fcr, v_customers, v_sessions
      from new_rows n;
  elsif tg_op = 'DELETE' then
    select array_agg((o.customer_id, -1, o.status = 'completed' and o.resolution_status = 'resolved', o.escalated_to_human,
                      o.customer_satisfaction_score, o.nps_score, o.customer_effort_score)::cx_private.history_change),
           array_agg((o.customer_id, o.interaction_type_id, o.start_timestamp)::cx_private.fcr_key),
           array_agg(o.customer_id) filter (where o.session_id is not null),
           array_agg(o.session_id) filter (where o.session_id is not null)
      into v_history, v_fcr, v_customers, v_sessions
      from old_rows o;
  else
    with pairs as (
      select o as old_row, n as new_row
        from old_rows o
        full join new_rows n on n.customer_id = o.customer_id and n.interaction_id = o.interaction_id
    ),
    history_rows as (
      select (p.old_row).customer_id, -1 as sign, p.old_row as r from pairs p
       where (p.old_row).interaction_id is not null
         and ((p.new_row).interaction_id is null
              or ((p.old_row).status, (p.old_row).resolution_status, (p.old_row).escalated_to_human,
                  (p.old_row).customer_satisfaction_score, (p.old_row).nps_score, (p.old_row).customer_effort_score)
                 is distinct from
                 ((p.new_row).status, (p.new_row).resolution_status, (p.new_row).escalated_to_human,
                  (p.new_row).customer_satisfaction_score, (p.new_row).nps_score, (p.new_row).customer_effort_score))
      union all
      select (p.new_row).customer_id, 1, p.new_row from pairs p
       where (p.new_row).interaction_id is not null
         and ((p.old_row).interaction_id is null
              or ((p.old_row).status, (p.old_row).resolution_status, (p.old_row).escalated_to_human,
                  (p.old_row).customer_satisfaction_score, (p.old_row).nps_score, (p.old_row).customer_effort_score)
                 is distinct from
                 ((p.new_row).status, (p.new_row).resolution_status, (p.new_row).escalated_to_human,
                  (p.new_row).customer_satisfaction_score, (p.new_row).nps_score, (p.new_row).customer_effort_score))
    )
    select array_agg(((h.r).customer_id, h.sign, (h.r).status = 'completed' and (h.r).resolution_status = 'resolved',
                      (h.r).escalated_to_human, (h.r).customer_satisfaction_score, (h.r).nps_score,
                      (h.r).customer_effort_score)::cx_private.history_change)
      into v_history
      from history_rows h;

    select array_agg(k) into v_fcr from (
      select ((p.old_row).customer_id, (p.old_row).interaction_type_id, (p.old_row).start_timestamp)::cx_private.fcr_key as k
        from (select o as old_row, n as new_row from old_rows o
               full join new_rows n on n.customer_id = o.customer_id and n.interaction_id = o.interaction_id) p
       where (p.old_row).interaction_id is not null
         and ((p.new_row).interaction_id is null
              or ((p.old_row).interaction_type_id, (p.old_row).start_timestamp, (p.old_row).end_timestamp, (p.old_row).resolution_status)
                 is distinct from
                 ((p.new_row).interaction_type_id, (p.new_row).start_timestamp, (p.new_row).end_timestamp, (p.new_row).resolution_status))
      union all
      select ((p.new_row).customer_id, (p.new_row).interaction_type_id, (p.new_row).start_timestamp)::cx_private.fcr_key
        from (select o as old_row, n as new_row from old_rows o
               full join new_rows n on n.customer_id = o.customer_id and n.interaction_id = o.interaction_id) p
       where (p.new_row).interaction_id is not null
         and ((p.old_row).interaction_id is null
              or ((p.old_row).interaction_type_id, (p.old_row).start_timestamp, (p.old_row).end_timestamp, (p.old_row).resolution_status)
                 is distinct from
                 ((p.new_row).interaction_type_id, (p.new_row).start_timestamp, (p.new_row).end_timestamp, (p.new_row).resolution_status))
    ) changed;

    select array_agg(s.customer_id), array_agg(s.session_id) into v_customers, v_sessions from (
      select o.customer_id, o.session_id
        from old_rows o
        left join new_rows n on n.customer_id = o.customer_id and n.interaction_id = o.interaction_id
       where o.session_id is not null
         and (n.interaction_id is null or (o.session_id, o.channel_id, o.start_timestamp, o.end_timestamp)
                                          is distinct from (n.session_id, n.channel_id, n.start_timestamp, n.end_timestamp))
      union
      select n.customer_id, n.session_id
        from new_rows n
        left join old_rows o on n.customer_id = o.customer_id and n.interaction_id = o.interaction_id
       where n.session_id is not null
         and (o.interaction_id is null or (o.session_id, o.channel_id, o.start_timestamp, o.end_timestamp)
                                          is distinct from (n.session_id, n.channel_id, n.start_timestamp, n.end_timestamp))
    ) s;
  end if;

  if v_history is not null then
    perform cx_private.apply_customer_history(v_history);
  end if;
  if v_fcr is not null then
    perform cx_private.recompute_first_contact_resolution(v_fcr);
  end if;
  if v_customers is not null then
    perform cx_private.recompute_journey_sessions(v_customers, v_sessions);
  end if;
  return null;
end
$$;
comment on function cx_private.tg_customer_interactions__roll_up() is
  'AFTER each statement on customer_interactions: applies customer history deltas, recomputes first contact resolution and the journey sessions of the rows it inserted, changed or deleted.';
create trigger _500_roll_up_after_insert after insert on cx.customer_interactions
  referencing new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__roll_up();
create trigger _500_roll_up_after_update after update on cx.customer_interactions
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_interactions__roll_up();
create trigger _500_roll_up_after_delete after delete on cx.customer_interactions
  referencing old table as old_rows
  for each statement execute function cx_private.tg_customer_interactions__roll_up();

--! split: 0560-feedback-roll-up.sql
/*
 * Feedback linked to an interaction sets that interaction's CSAT, NPS and CES: per score, the
 * latest response that has one wins (by submitted_at). Recomputed from the feedback rows of each
 * touched interaction, so late, corrected or deleted feedback leaves the right answer; an
 * interaction whose linked feedback has no score of a kind has none.
 */
create function cx_private.recompute_interaction_scores(p_keys cx_private.interaction_key[]) returns void
  language sql volatile
  set search_path = pg_catalog
  as $$
    with touched as (
      select distinct k.customer_id, k.interaction_id, k.start_timestamp
        from unnest(p_keys) k
       where k.interaction_id is not null
    ),
    latest as (
      select t.customer_id, t.interaction_id, t.start_timestamp,
             (select f.csat_score from cx.customer_feedback f
               where f.customer_id = t.customer_id and f.interaction_id = t.interaction_id
                 and f.interaction_start_timestamp = t.start_timestamp and f.csat_score is not null
               order by f.submitted_at desc, f.feedback_id desc limit 1) as csat,
             (select f.nps_score from cx.customer_feedback f
               where f.customer_id = t.customer_id and f.interaction_id = t.interaction_id
                 and f.interaction_start_timestamp = t.start_timestamp and f.nps_score is not null
               order by f.submitted_at desc, f.feedback_id desc limit 1) as nps,
             (select f.ces_score from cx.customer_feedback f
               where f.customer_id = t.customer_id and f.interaction_id = t.interaction_id
                 and f.interaction_start_timestamp = t.start_timestamp and f.ces_score is not null
               order by f.submitted_at desc, f.feedback_id desc limit 1) as ces
        from touched t
    )
    update cx.customer_interactions ci
       set customer_satisfaction_score = l.csat, nps_score = l.nps, customer_effort_score = l.ces
      from latest l
     where ci.customer_id = l.customer_id and ci.interaction_id = l.interaction_id and ci.start_timestamp = l.start_timestamp
       and (ci.customer_satisfaction_score, ci.nps_score, ci.customer_effort_score) is distinct from (l.csat, l.nps, l.ces)
  $$;
comment on function cx_private.recompute_interaction_scores(cx_private.interaction_key[]) is
  'Sets each given interaction''s CSAT, NPS and CES to the latest linked feedback that has each score.';

create function cx_private.tg_customer_feedback__roll_up() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_keys cx_private.interaction_key[];
begin
  if tg_op = 'INSERT' then
    select array_agg((n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key)
      into v_keys from new_rows n where n.interaction_id is not null;
  elsif tg_op = 'DELETE' then
    select array_agg((o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key)
      into v_keys from old_rows o where o.interaction_id is not null;
  else
    select array_agg(k) into v_keys from (
      select (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key as k
        from old_rows o
        join new_rows n on n.customer_id = o.customer_id and n.feedback_id = o.feedback_id
       where o.interaction_id is not null
         and (o.interaction_id, o.interaction_start_timestamp, o.submitted_at, o.csat_score, o.nps_score, o.ces_score)
             is distinct from (n.interaction_id, n.interaction_start_timestamp, n.submitted_at, n.csat_score, n.nps_score, n.ces_score)
      union
      select (n.customer_id, n.interaction_id, n.interaction_start_timestamp)::cx_private.interaction_key
        from new_rows n
        left join old_rows o on n.customer_id = o.customer_id and n.feedback_id = o.feedback_id
       where n.interaction_id is not null
         and (o.feedback_id is null
              or (o.interaction_id, o.interaction_start_timestamp, o.submitted_at, o.csat_score, o.nps_score, o.ces_score)
                 is distinct from (n.interaction_id, n.interaction_start_timestamp, n.submitted_at, n.csat_score, n.nps_score, n.ces_score))
      union
      select (o.customer_id, o.interaction_id, o.interaction_start_timestamp)::cx_private.interaction_key
        from old_rows o
        left join new_rows n on n.customer_id = o.customer_id and n.feedback_id = o.feedback_id
       where o.interaction_id is not null and n.feedback_id is null
    ) changed;
  end if;
  if v_keys is not null then
    perform cx_private.recompute_interaction_scores(v_keys);
  end if;
  return null;
end
$$;
comment on function cx_private.tg_customer_feedback__roll_up() is
  'AFTER each statement on customer_feedback: recomputes the CSAT, NPS and CES of every interaction whose linked feedback it touched.';
create trigger _500_roll_up_after_insert after insert on cx.customer_feedback
  referencing new table as new_rows
  for each statement execute function cx_private.tg_customer_feedback__roll_up();
create trigger _500_roll_up_after_update after update on cx.customer_feedback
  referencing old table as old_rows new table as new_rows
  for each statement execute function cx_private.tg_customer_feedback__roll_up();
create trigger _500_roll_up_after_delete after delete on cx.customer_feedback
  referencing old table as old_rows
  for each statement execute function cx_private.tg_customer_feedback__roll_up();

--! split: 0600-monthly-partitions.sql
/*
 * Monthly partitions of customer_interactions and interaction_steps, made ahead of time by the
 * worker and by bulk loads (cx.ensure_partitions). A month is created as a plain table and then
 * attached (ATTACH takes only a SHARE UPDATE EXCLUSIVE lock on the parent, so readers and writers
 * of the parent go on). PostgreSQL refuses to attach a month while the DEFAULT partition holds
 * rows of it, so those rows are moved into the new table first: with session_replication_role =
 * replica, which skips triggers and foreign-key actions, because the rows move unchanged (their
 * roll-ups, FCR and referencing rows stay exactly right). That setting needs a superuser, hence
 * SECURITY DEFINER: the function runs as the owner of the migrations.
 */
create function cx_private.insertable_columns(p_table regclass) returns text
  language sql stable strict
  set search_path = pg_catalog
  as $$
    select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
      from pg_attribute a
     where a.attrelid = p_table and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
  $$;
comment on function cx_private.insertable_columns(regclass) is
  'The columns of a table an INSERT may name (not dropped, not generated), quoted and comma-separated.';

create function cx_private.create_month_partition(p_parent text, p_month date) returns boolean
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
declare
  v_partition text := format('%s_y%sm%s', p_parent, to_char(p_month, 'YYYY'), to_char(p_month, 'MM'));
  v_key text := case p_parent when 'customer_interactions' then 'start_timestamp' else 'interaction_start_timestamp' end;
  v_from timestamptz := p_month::timestamp at time zone 'UTC';
  v_to timestamptz := (p_month + interval '1 month')::timestamp at time zone 'UTC';
  v_columns text;
  v_moved bigint;
begin
  if to_regclass(format('cx.%I', v_partition)) is not null then
    return false;
  end if;
  execute format('create table cx.%I (like cx.%I including defaults including constraints including generated)',
                 v_partition, p_parent);
  v_columns := cx_private.insertable_columns(format('cx.%I', v_partition)::regclass);
  execute format('insert into cx.%1$I (%2$s) select %2$s from cx.%3$I where %4$I >= $1 and %4$I < $2',
                 v_partition, v_columns, p_parent || '_default', v_key)
    using v_from, v_to;
  get diagnostics v_moved = row_count;
  if v_moved > 0 then
    execute format('delete from cx.%I where %I >= $1 and %I < $2', p_parent || '_default', v_key, v_key)
      using v_from, v_to;
  end if;
  execute format('alter table cx.%I attach partition cx.%I for values from (%L) to (%L)',
                 p_parent, v_partition, v_from, v_to);
  execute format('comment on table cx.%I is %L', v_partition,
                 format('%s of %s (UTC month); made by cx.create_monthly_partitions().', to_char(p_month, 'YYYY-MM'), p_parent));
  return true;
end
$$;
comment on function cx_private.create_month_partition(text, date) is
  'Creates one month''s partition of customer_interactions or interaction_steps, moving that month''s rows out of the DEFAULT partition first; false when it exists. Call through cx.create_monthly_partitions().';

create function cx.create_monthly_partitions(p_from timestamptz default now(), p_months integer default 3) returns integer
  language plpgsql volatile
  security definer
  set search_path = pg_catalog
  as $$
declare
  v_first date := date_trunc('month', p_from at time zone 'UTC')::date;
  v_created integer := 0;
  v_role text := current_setting('session_replication_role');
begin
  if p_months is null or p_months < 1 or p_months > 240 then
    raise exception 'p_months must be a whole number from 1 to 240, got %', p_months
      using errcode = 'invalid_parameter_value';
  end if;
  -- rows leaving the DEFAULT partitions move unchanged: no triggers, no foreign-key actions
  perform set_config('session_replication_role', 'replica', true);
  for i in 0 .. p_months - 1 loop
    -- interactions first: the steps' foreign key is checked against them when the steps attach
    if cx_private.create_month_partition('customer_interactions', (v_first + make_interval(months => i))::date) then
      v_created := v_created + 1;
    end if;
    perform cx_private.create_month_partition('interaction_steps', (v_first + make_interval(months => i))::date);
  end loop;
  perform set_config('session_replication_role', v_role, true);
  return v_created;
end
$$;
-- it runs as the migrations' owner: only that owner (and roles granted it later) may call it
revoke all on function cx.create_monthly_partitions(timestamptz, integer) from public;
comment on function cx.create_monthly_partitions(timestamptz, integer) is
  'Makes sure customer_interactions and interaction_steps have monthly partitions (UTC months) for p_months months from the month of p_from, moving rows of those months out of the DEFAULT partitions. Returns how many months were created. Safe to repeat; the worker runs it ahead of time.';

create function cx.ensure_partitions(p_from timestamptz, p_to timestamptz) returns integer
  language sql volatile
  set search_path = pg_catalog
  as $$
    select cx.create_monthly_partitions(
             p_from,
             (12 * (extract(year from m.upto) - extract(year from m.since))
              + extract(month from m.upto) - extract(month from m.since))::integer + 1)
      from (select p_from at time zone 'UTC' as since, p_to at time zone 'UTC' as upto) m
  $$;
comment on function cx.ensure_partitions(timestamptz, timestamptz) is
  'Makes sure every UTC month from p_from to p_to has its partitions (bulk loads call it before writing). Returns how many months were created.';
