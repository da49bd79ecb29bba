/* @name ListChannels */
select channel_id as "channelId!", channel_name as "channelName!", display_name as "displayName!",
       channel_category as "channelCategory!", supports_bot as "supportsBot!", supports_live_chat as "supportsLiveChat!",
       supports_video as "supportsVideo!", supports_file_sharing as "supportsFileSharing!",
       expected_response_seconds as "expectedResponseSeconds!", max_concurrent_users as "maxConcurrentUsers!",
       availability_sla as "availabilitySla!", service_level_target_seconds as "serviceLevelTargetSeconds!",
       bot_cost_per_minute as "botCostPerMinute!", human_cost_per_minute as "humanCostPerMinute!",
       cost_currency as "costCurrency!", is_active as "isActive!"
  from cx.channels
 order by channel_name;

/* @name CreateInteractionType */
insert into cx.interaction_types
  (type_code, type_name, category, sub_category, complexity_level, revenue_impacting, business_criticality,
   target_resolution_seconds, escalation_threshold_seconds, requires_human, requires_authentication, description)
values
  (:typeCode!, :typeName!, :category!, :subCategory, coalesce(:complexityLevel, 'medium'), coalesce(:revenueImpacting, false),
   coalesce(:businessCriticality, 'medium'), coalesce(:targetResolutionSeconds, 86400), :escalationThresholdSeconds,
   coalesce(:requiresHuman, false), coalesce(:requiresAuthentication, false), :description)
returning interaction_type_id as "interactionTypeId!";

/* @name ListInteractionTypes */
select interaction_type_id as "interactionTypeId!", type_code as "typeCode!", type_name as "typeName!",
       category as "category!", sub_category as "subCategory", complexity_level as "complexityLevel!",
       revenue_impacting as "revenueImpacting!", business_criticality as "businessCriticality!",
       target_resolution_seconds as "targetResolutionSeconds!", escalation_threshold_seconds as "escalationThresholdSeconds",
       requires_human as "requiresHuman!", requires_authentication as "requiresAuthentication!", is_active as "isActive!"
  from cx.interaction_types
 order by type_code;

/* @name CreateSurveyTemplate */
insert into cx.survey_templates (template_code, template_name, survey_type, questions, scale_min, scale_max, trigger_event, language_code)
values (:templateCode!, :templateName!, :surveyType!, coalesce(:questions::jsonb, '[]'), :scaleMin, :scaleMax,
        coalesce(:triggerEvent, 'interaction_end'), coalesce(:languageCode, 'en'))
returning survey_template_id as "surveyTemplateId!";

/* @name CreateServicePlan */
insert into cx.service_plans (plan_code, plan_name, plan_kind, payment_type, monthly_fee, data_allowance_mb, voice_minutes, sms_count, contract_months)
values (:planCode!, :planName!, :planKind!, coalesce(:paymentType, 'postpaid'), coalesce(:monthlyFee::numeric, 0), :dataAllowanceMb,
        :voiceMinutes, :smsCount, coalesce(:contractMonths, 0))
returning service_plan_id as "servicePlanId!";

/* @name AssignPlan */
insert into cx.customer_service_plans (customer_id, service_plan_id, valid_from, valid_to, assignment_reason)
values (:customerId!, :servicePlanId!, coalesce(:validFrom::timestamptz, now()), :validTo, :assignmentReason)
returning assignment_id as "assignmentId!", plan_kind as "planKind!";

/* @name CreateArticle */
insert into cx.knowledge_base (article_key, language_code, title, content, category, tags, confidence_score, article_status, author_agent_id, published_at)
values (:articleKey!, coalesce(:languageCode, 'en'), :title!, coalesce(:content, ''), :category!, coalesce(:tags::text[], '{}'),
        :confidenceScore, coalesce(:articleStatus, 'published'), :authorAgentId, :publishedAt)
returning article_id as "articleId!";
