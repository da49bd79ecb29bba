--! Previous: sha1:9aa968222f8730608fc7d0b34935d7b7b2d91ed4
--! Hash: sha1:5cc944eca96fb581f864a587c912bf8792f4e75a
--! Message: metrics of escalations answered and left, bots left, first contact over every contact, short abandons by a setting, bot savings that add up

--! split: 0100-rollup-tells-escalations-abandons-and-ended-contacts-apart.sql
/*
 * Metrics the anchors report and the rollup could not answer (issue 14): escalations a human
 * answered, escalations left in the queue, bot sessions the customer left unresolved, first contact
 * resolution over every contact that ended, and bot savings that add up. The rollup gets their
 * counts; the savings are summed per row (each contained contact saves what a human-handled contact
 * cost on its channel that day, less its own cost), so a period's savings are exactly the sum of
 * its days' and its channels'. Every bucket is logged for recomputation: the refresh fills them.
 */
alter table cx.daily_interaction_rollup
  add column if not exists ended integer not null default 0,
  add column if not exists escalated_answered integer not null default 0,
  add column if not exists escalated_queue_abandoned integer not null default 0,
  add column if not exists bot_abandoned integer not null default 0,
  add column if not exists bot_savings_sum numeric;
comment on column cx.daily_interaction_rollup.ended is 'Interactions that ended (status completed, abandoned or failed).';
comment on column cx.daily_interaction_rollup.escalated_answered is
  'Bot-started, escalated, and a human took a step (escalation_answered_rate = this / escalated).';
comment on column cx.daily_interaction_rollup.escalated_queue_abandoned is
  'Bot-started, escalated, queued, abandoned before any human step: escalations that never reached a human.';
comment on column cx.daily_interaction_rollup.bot_abandoned is
  'Bot-started, never escalated, abandoned by the customer without a resolution (bot_abandonment_rate = this / bot_started).';
comment on column cx.daily_interaction_rollup.bot_savings_sum is
  'Contained contacts x (cost per human-handled contact of the same channel and day) - their own cost; null when the channel had no human-handled contact that day.';

create or replace function cx_private.recompute_channel_days(p_days date[], p_channels uuid[]) returns integer
  language plpgsql volatile
  set search_path = pg_catalog
  set enable_nestloop = on
  set enable_hashjoin = on
  set enable_mergejoin = off
  set jit = off
  as $_$
declare
  v_grace integer := coalesce(cx.setting('short_abandon_grace_seconds')::integer, 5);
  v_rows integer;
  v_zone text := cx_private.reporting_zone();
  v_buckets bigint := (select count(*) from (select distinct * from unnest(p_days, p_channels)) d);
begin
  -- chosen against the days as they are, before this refresh deletes any
  perform cx_private.choose_bucket_joins('channel', v_buckets);
  delete from cx.daily_interaction_rollup r
   using unnest(p_days, p_channels) b(metric_date, channel_id)
   where r.metric_date = b.metric_date and r.channel_id = b.channel_id;

  execute $refresh$
  insert into cx.daily_interaction_rollup
    (metric_date, channel_id, interaction_type_id, region, interactions, completed, completed_resolved, resolved,
     first_contact_resolved, failed, bot_started, contained, contained_resolved, escalated, automated_started,
     automated_escalated, bot_mode, live_chat_mode, other_mode, queued, answered_after_queue, queue_seconds_answered,
     abandoned, abandoned_after_grace, answered_within_target, human_handled, human_seconds, wrap_up_seconds,
     bot_seconds, csat_responses, csat_sum, csat_top2, nps_responses, nps_promoters, nps_passives, nps_detractors,
     ces_responses, ces_sum, cost_to_serve_sum, contained_cost_sum, human_handled_cost_sum, refreshed_at,
     ended, escalated_answered, escalated_queue_abandoned, bot_abandoned, bot_savings_sum)
  select b.metric_date, i.channel_id, i.interaction_type_id, i.region,
         count(*),
         count(*) filter (where i.status = 'completed'),
         count(*) filter (where i.status = 'completed' and i.resolution_status = 'resolved'),
         count(*) filter (where i.resolution_status = 'resolved'),
         count(*) filter (where i.resolution_status = 'resolved' and i.first_contact_resolution),
         count(*) filter (where i.status = 'failed'),
         count(*) filter (where i.initial_mode = 'bot'),
         count(*) filter (where i.initial_mode = 'bot' and not i.escalated_to_human),
         count(*) filter (where i.initial_mode = 'bot' and not i.escalated_to_human and i.resolution_status = 'resolved'),
         count(*) filter (where i.initial_mode = 'bot' and i.escalated_to_human),
         count(*) filter (where i.initial_mode in ('bot', 'self_service', 'ivr')),
         count(*) filter (where i.initial_mode in ('bot', 'self_service', 'ivr') and i.escalated_to_human),
         count(*) filter (where i.interaction_mode = 'bot'),
         count(*) filter (where i.interaction_mode = 'live_chat'),
         count(*) filter (where i.interaction_mode not in ('bot', 'live_chat')),
         count(*) filter (where s.queued),
         count(*) filter (where s.queued and s.human),
         coalesce(sum(i.queue_time_seconds) filter (where s.queued and s.human), 0),
         count(*) filter (where s.queued and not s.human and i.status = 'abandoned'),
         count(*) filter (where s.queued and not s.human and i.status = 'abandoned' and i.queue_time_seconds > $4),
         count(*) filter (where s.queued and s.human and i.queue_time_seconds <= ch.service_level_target_seconds),
         count(*) filter (where s.human),
         coalesce(sum(i.human_duration_seconds) filter (where s.human), 0),
         coalesce(sum(i.wrap_up_seconds) filter (where s.human), 0),
         coalesce(sum(i.bot_duration_seconds), 0),
         count(i.customer_satisfaction_score),
         coalesce(sum(i.customer_satisfaction_score), 0),
         count(*) filter (where i.customer_satisfaction_score >= 4),
         count(i.nps_score),
         count(*) filter (where i.nps_score >= 9),
         count(*) filter (where i.nps_score between 7 and 8),
         count(*) filter (where i.nps_score <= 6),
         count(i.customer_effort_score),
         coalesce(sum(i.customer_effort_score), 0),
         coalesce(sum(i.cost_to_serve), 0),
         coalesce(sum(i.cost_to_serve) filter (where i.initial_mode = 'bot' and not i.escalated_to_human), 0),
         coalesce(sum(i.cost_to_serve) filter (where s.human), 0),
         now(),
         count(*) filter (where i.status <> 'active'),
         count(*) filter (where i.initial_mode = 'bot' and i.escalated_to_human and s.human),
         count(*) filter (where i.initial_mode = 'bot' and i.escalated_to_human and s.queued and not s.human
                            and i.status = 'abandoned'),
         count(*) filter (where i.initial_mode = 'bot' and not i.escalated_to_human and i.status = 'abandoned'
                            and i.resolution_status <> 'resolved'),
         -- each contained contact saves what a contact a human handled cost on that channel that
         -- day, less what it cost: summed per row, so days and channels add up
         count(*) filter (where i.initial_mode = 'bot' and not i.escalated_to_human)
           * (sum(sum(i.cost_to_serve) filter (where s.human)) over day_channel
              / nullif(sum(count(*) filter (where s.human)) over day_channel, 0))
           - coalesce(sum(i.cost_to_serve) filter (where i.initial_mode = 'bot' and not i.escalated_to_human), 0)
    from (select b.metric_date, b.channel_id,
                 cx.reporting_day_start(b.metric_date) as day_start,
                 cx.reporting_day_start(b.metric_date + 1) as day_end
            -- a bucket named twice is counted once
            from (select distinct u.metric_date, u.channel_id from unnest($1::date[], $2::uuid[]) u(metric_date, channel_id)) b
          offset 0) b -- each bucket's bounds computed once, not once per row compared
    join cx.customer_interactions i
      on i.channel_id = b.channel_id
     and i.start_timestamp >= b.day_start
     and i.start_timestamp < b.day_end
     -- the same day as an equality too: a refresh of many buckets (a rebuild) can hash-join on
     -- channel and day instead of testing each interaction of a channel against each of its days
     and cx_private.day_in_zone(i.start_timestamp, $3) = b.metric_date
    join cx.channels ch on ch.channel_id = i.channel_id
    cross join lateral (
      select coalesce(bool_or(st.step_type = 'queue'), false) as queued,
             coalesce(bool_or(st.step_type = 'human'), false) as human
        from cx.interaction_steps st
       where st.customer_id = i.customer_id and st.interaction_id = i.interaction_id
         and st.interaction_start_timestamp = i.start_timestamp
    ) s
   group by b.metric_date, i.channel_id, i.interaction_type_id, i.region
  window day_channel as (partition by b.metric_date, i.channel_id)
  $refresh$ using p_days, p_channels, v_zone, v_grace;
  get diagnostics v_rows = row_count;
  return v_rows;
end
$_$;
comment on function cx_private.recompute_channel_days(date[], uuid[]) is
  'Replaces the daily_interaction_rollup rows of the given (day, channel) buckets with what the interactions and their steps say now; planned per call for their share of all channel days (cx_private.choose_bucket_joins). Returns the rows written.';

--! split: 0200-metrics-of-escalations-abandons-first-contacts-and-savings.sql
insert into cx.metrics (metric_name, family, description, unit, higher_is_better, source, expression, sample_expression, is_total) values
  ('fcr_contact_rate', 'quality',
   'First contact resolution over every contact: resolved with no repeat contact about the same type within the repeat window / every interaction that ended (the stricter form; fcr_rate divides by the resolved only).',
   'fraction', true, 'daily_interaction_rollup',
   'sum(first_contact_resolved)::numeric / nullif(sum(ended), 0)', 'sum(ended)', false),
  ('escalation_answered_rate', 'quality',
   'Escalations a human answered: bot-started, escalated and with a human step / bot-started and escalated.',
   'fraction', true, 'daily_interaction_rollup',
   'sum(escalated_answered)::numeric / nullif(sum(escalated), 0)', 'sum(escalated)', false),
  ('queue_abandoned_after_escalation', 'quality',
   'Escalations that never reached a human: bot-started, escalated, queued and abandoned before any human step (they stay escalated and live chat).',
   'count', false, 'daily_interaction_rollup',
   'sum(escalated_queue_abandoned)', 'sum(escalated)', true),
  ('bot_abandonment_rate', 'quality',
   'Bot sessions the customer left unresolved: bot-started, never escalated, abandoned without a resolution / bot-started (containment counts these as contained).',
   'fraction', false, 'daily_interaction_rollup',
   'sum(bot_abandoned)::numeric / nullif(sum(bot_started), 0)', 'sum(bot_started)', false)
on conflict (metric_name) do update
  set family = excluded.family, description = excluded.description, unit = excluded.unit,
      higher_is_better = excluded.higher_is_better, source = excluded.source, expression = excluded.expression,
      sample_expression = excluded.sample_expression, is_total = excluded.is_total;
update cx.metrics
   set description = 'First contact resolution: resolved with no repeat contact about the same type within the repeat window / resolved (fcr_contact_rate divides by every contact that ended).'
 where metric_name = 'fcr_rate';
update cx.metrics
   set expression = 'sum(bot_savings_sum)',
       sample_expression = 'sum(contained)',
       description = 'Contained contacts x (cost per human-handled contact of the same channel and day) - the contained contacts'' own cost, summed per day and channel: a period''s savings are the sum of its days'' and channels''. No value where the channel had no human-handled contact.'
 where metric_name = 'bot_savings';

--! split: 0300-short-abandons-counted-by-a-setting.sql
/*
 * Whether an abandon within the short-abandon grace counts towards the abandonment rate is the
 * centre's choice (Amazon Connect and Genesys Cloud report both ways): the setting
 * short_abandons_count, true by default as before. The service level always leaves them out.
 */
alter table cx.settings drop constraint if exists settings_value_type_known;
alter table cx.settings add constraint settings_value_type_known
  check (value_type in ('text', 'integer', 'interval', 'time_zone', 'timestamp', 'boolean'));
update cx_private.constraint_messages
   set message = 'value_type must be one of text, integer, interval, time_zone, timestamp, boolean'
 where constraint_name = 'settings_value_type_known';
comment on column cx.settings.value_type is
  'How the value is interpreted: text, integer, interval, time_zone (an IANA name PostgreSQL knows), timestamp (a time with its UTC offset) or boolean (true or false).';

create or replace function cx_private.tg_settings__validate() returns trigger
  language plpgsql volatile
  set search_path = pg_catalog
  as $$
begin
  begin
    case new.value_type
      when 'integer' then perform new.setting_value::integer;
      when 'interval' then perform new.setting_value::interval;
      when 'time_zone' then perform now() at time zone new.setting_value;
      when 'timestamp' then perform new.setting_value::timestamptz;
      when 'boolean' then perform new.setting_value::boolean;
      else null;
    end case;
  exception when others then
    raise exception 'setting % must be a valid %, got "%"', new.setting_name, new.value_type, new.setting_value
      using errcode = '22023', column = 'setting_value';
  end;
  new.updated_at := now();
  return new;
end
$$;
comment on function cx_private.tg_settings__validate() is
  'Rejects a setting value its value_type cannot read (a bad time zone, interval, number, timestamp or boolean) and stamps updated_at.';

insert into cx.settings (setting_name, setting_value, value_type, description) values
  ('short_abandons_count', 'true', 'boolean',
   'Whether abandons within short_abandon_grace_seconds count towards abandonment_rate (they never count towards service_level).')
on conflict (setting_name) do nothing;

update cx.metrics
   set expression = 'case when coalesce(cx.setting(''short_abandons_count'')::boolean, true) then sum(abandoned) else sum(abandoned_after_grace) end::numeric / nullif(case when coalesce(cx.setting(''short_abandons_count'')::boolean, true) then sum(queued) else sum(queued) - sum(abandoned) + sum(abandoned_after_grace) end, 0)',
       sample_expression = 'case when coalesce(cx.setting(''short_abandons_count'')::boolean, true) then sum(queued) else sum(queued) - sum(abandoned) + sum(abandoned_after_grace) end',
       description = 'Queued interactions abandoned before a human answered / queued; with the setting short_abandons_count false, abandons within the short-abandon grace are left out of both.'
 where metric_name = 'abandonment_rate';

--! split: 0400-recompute-every-channel-day.sql
-- the new columns are filled by the next refresh
select cx.rebuild_daily_metrics();
