/* @name GetChannels */
select channel_id as "channelId!", channel_name as "channelName!", display_name as "displayName!",
       channel_category as "channelCategory!", supports_bot as "supportsBot!", supports_live_chat as "supportsLiveChat!",
       supports_video as "supportsVideo!", supports_file_sharing as "supportsFileSharing!",
       expected_response_seconds as "expectedResponseSeconds!", max_concurrent_users as "maxConcurrentUsers!",
       availability_sla as "availabilitySla!", service_level_target_seconds as "serviceLevelTargetSeconds!",
       bot_cost_per_minute as "botCostPerMinute!", human_cost_per_minute as "humanCostPerMinute!",
       cost_currency as "costCurrency!", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.channels
 where (cardinality(:channelIds!::uuid[]) = 0 or channel_id = any(:channelIds!::uuid[]))
   and (:channelName::text is null or channel_name = :channelName)
 order by channel_name;

/* @name CreateChannel */
insert into cx.channels
  (channel_name, display_name, channel_category, supports_bot, supports_live_chat, supports_video, supports_file_sharing,
   expected_response_seconds, max_concurrent_users, availability_sla, service_level_target_seconds,
   bot_cost_per_minute, human_cost_per_minute, cost_currency, is_active)
values
  (:channelName!, :displayName!, coalesce(:channelCategory, 'core'), coalesce(:supportsBot, false),
   coalesce(:supportsLiveChat, false), coalesce(:supportsVideo, false), coalesce(:supportsFileSharing, false),
   coalesce(:expectedResponseSeconds::integer, 60), coalesce(:maxConcurrentUsers::integer, 1000),
   coalesce(:availabilitySla::numeric, 0.995), coalesce(:serviceLevelTargetSeconds::integer, 60),
   coalesce(:botCostPerMinute::numeric, 0), coalesce(:humanCostPerMinute::numeric, 0),
   coalesce(:costCurrency, 'EUR'), coalesce(:isActive, true))
returning channel_id as "channelId!", channel_name as "channelName!", display_name as "displayName!",
          channel_category as "channelCategory!", supports_bot as "supportsBot!", supports_live_chat as "supportsLiveChat!",
          supports_video as "supportsVideo!", supports_file_sharing as "supportsFileSharing!",
          expected_response_seconds as "expectedResponseSeconds!", max_concurrent_users as "maxConcurrentUsers!",
          availability_sla as "availabilitySla!", service_level_target_seconds as "serviceLevelTargetSeconds!",
          bot_cost_per_minute as "botCostPerMinute!", human_cost_per_minute as "humanCostPerMinute!",
          cost_currency as "costCurrency!", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!";

/* @name UpdateChannel */
update cx.channels
   set display_name = coalesce(:displayName, display_name),
       channel_category = coalesce(:channelCategory, channel_category),
       supports_bot = coalesce(:supportsBot, supports_bot),
       supports_live_chat = coalesce(:supportsLiveChat, supports_live_chat),
       supports_video = coalesce(:supportsVideo, supports_video),
       supports_file_sharing = coalesce(:supportsFileSharing, supports_file_sharing),
       expected_response_seconds = coalesce(:expectedResponseSeconds, expected_response_seconds),
       max_concurrent_users = coalesce(:maxConcurrentUsers, max_concurrent_users),
       availability_sla = coalesce(:availabilitySla, availability_sla),
       service_level_target_seconds = coalesce(:serviceLevelTargetSeconds, service_level_target_seconds),
       bot_cost_per_minute = coalesce(:botCostPerMinute, bot_cost_per_minute),
       human_cost_per_minute = coalesce(:humanCostPerMinute, human_cost_per_minute),
       cost_currency = coalesce(:costCurrency, cost_currency),
       is_active = coalesce(:isActive, is_active)
 where channel_id = :channelId!
returning channel_id as "channelId!", channel_name as "channelName!", display_name as "displayName!",
          channel_category as "channelCategory!", supports_bot as "supportsBot!", supports_live_chat as "supportsLiveChat!",
          supports_video as "supportsVideo!", supports_file_sharing as "supportsFileSharing!",
          expected_response_seconds as "expectedResponseSeconds!", max_concurrent_users as "maxConcurrentUsers!",
          availability_sla as "availabilitySla!", service_level_target_seconds as "serviceLevelTargetSeconds!",
          bot_cost_per_minute as "botCostPerMinute!", human_cost_per_minute as "humanCostPerMinute!",
          cost_currency as "costCurrency!", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!";

/* @name CreateInteractionType */
insert into cx.interaction_types
  (type_code, type_name, category, sub_category, complexity_level, revenue_impacting, business_criticality,
   target_resolution_seconds, escalation_threshold_seconds, requires_human, requires_authentication, description)
values
  (:typeCode!, :typeName!, :category!, :subCategory, coalesce(:complexityLevel, 'medium'), coalesce(:revenueImpacting, false),
   coalesce(:businessCriticality, 'medium'), coalesce(:targetResolutionSeconds, 86400), :escalationThresholdSeconds,
   coalesce(:requiresHuman, false), coalesce(:requiresAuthentication, false), :description)
returning interaction_type_id as "interactionTypeId!";

/* @name GetInteractionTypes */
select interaction_type_id as "interactionTypeId!", type_code as "typeCode!", type_name as "typeName!",
       category as "category!", sub_category as "subCategory", complexity_level as "complexityLevel!",
       revenue_impacting as "revenueImpacting!", business_criticality as "businessCriticality!",
       target_resolution_seconds as "targetResolutionSeconds!", escalation_threshold_seconds as "escalationThresholdSeconds",
       requires_human as "requiresHuman!", requires_authentication as "requiresAuthentication!",
       description as "description", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.interaction_types
 where (cardinality(:interactionTypeIds!::uuid[]) = 0 or interaction_type_id = any(:interactionTypeIds!::uuid[]))
   and (:typeCode::text is null or type_code = :typeCode)
   and (:category::text is null or category = :category)
 order by type_code;

/* @name UpdateInteractionType */
update cx.interaction_types
   set type_name = coalesce(:typeName, type_name),
       category = coalesce(:category, category),
       sub_category = coalesce(:subCategory, sub_category),
       complexity_level = coalesce(:complexityLevel, complexity_level),
       revenue_impacting = coalesce(:revenueImpacting, revenue_impacting),
       business_criticality = coalesce(:businessCriticality, business_criticality),
       target_resolution_seconds = coalesce(:targetResolutionSeconds, target_resolution_seconds),
       escalation_threshold_seconds = coalesce(:escalationThresholdSeconds, escalation_threshold_seconds),
       requires_human = coalesce(:requiresHuman, requires_human),
       requires_authentication = coalesce(:requiresAuthentication, requires_authentication),
       description = coalesce(:description, description),
       is_active = coalesce(:isActive, is_active)
 where interaction_type_id = :interactionTypeId!
returning interaction_type_id as "interactionTypeId!", type_code as "typeCode!", type_name as "typeName!",
          category as "category!", sub_category as "subCategory", complexity_level as "complexityLevel!",
          revenue_impacting as "revenueImpacting!", business_criticality as "businessCriticality!",
          target_resolution_seconds as "targetResolutionSeconds!", escalation_threshold_seconds as "escalationThresholdSeconds",
          requires_human as "requiresHuman!", requires_authentication as "requiresAuthentication!",
          description as "description", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!";

/* @name CreateSurveyTemplate */
insert into cx.survey_templates
  (template_code, template_name, survey_type, questions, scale_min, scale_max, trigger_event, delivery_channel_id, language_code)
values (:templateCode!, :templateName!, :surveyType!, coalesce(:questions::jsonb, '[]'), :scaleMin, :scaleMax,
        coalesce(:triggerEvent, 'interaction_end'), :deliveryChannelId, coalesce(:languageCode, 'en'))
returning survey_template_id as "surveyTemplateId!";

/* @name GetSurveyTemplates */
select survey_template_id as "surveyTemplateId!", template_code as "templateCode!", template_name as "templateName!",
       survey_type as "surveyType!", questions as "questions!", scale_min as "scaleMin", scale_max as "scaleMax",
       trigger_event as "triggerEvent!", delivery_channel_id as "deliveryChannelId", language_code as "languageCode!",
       template_version as "templateVersion!", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.survey_templates
 where (cardinality(:surveyTemplateIds!::uuid[]) = 0 or survey_template_id = any(:surveyTemplateIds!::uuid[]))
   and (:surveyType::text is null or survey_type = :surveyType)
   and (:isActive::boolean is null or is_active = :isActive)
 order by template_code;

/* @name UpdateSurveyTemplate */
-- changed questions make a new version of the template (answers keep pointing at the questions they answered)
update cx.survey_templates
   set template_name = coalesce(:templateName, template_name),
       questions = coalesce(:questions::jsonb, questions),
       template_version = template_version + (coalesce(:questions::jsonb, questions) is distinct from questions)::integer,
       scale_min = coalesce(:scaleMin, scale_min),
       scale_max = coalesce(:scaleMax, scale_max),
       trigger_event = coalesce(:triggerEvent, trigger_event),
       delivery_channel_id = coalesce(:deliveryChannelId, delivery_channel_id),
       language_code = coalesce(:languageCode, language_code),
       is_active = coalesce(:isActive, is_active)
 where survey_template_id = :surveyTemplateId!
returning survey_template_id as "surveyTemplateId!", template_code as "templateCode!", template_name as "templateName!",
          survey_type as "surveyType!", questions as "questions!", scale_min as "scaleMin", scale_max as "scaleMax",
          trigger_event as "triggerEvent!", delivery_channel_id as "deliveryChannelId", language_code as "languageCode!",
          template_version as "templateVersion!", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!";

/* @name CreateServicePlan */
insert into cx.service_plans
  (plan_code, plan_name, plan_kind, payment_type, monthly_fee, currency, data_allowance_mb, voice_minutes, sms_count, contract_months)
values (:planCode!, :planName!, :planKind!, coalesce(:paymentType, 'postpaid'), coalesce(:monthlyFee::numeric, 0),
        coalesce(:currency, 'EUR'), :dataAllowanceMb, :voiceMinutes, :smsCount, coalesce(:contractMonths, 0))
returning service_plan_id as "servicePlanId!";

/* @name GetServicePlans */
select service_plan_id as "servicePlanId!", plan_code as "planCode!", plan_name as "planName!", plan_kind as "planKind!",
       payment_type as "paymentType!", monthly_fee as "monthlyFee!", currency as "currency!",
       data_allowance_mb as "dataAllowanceMb", voice_minutes as "voiceMinutes", sms_count as "smsCount",
       contract_months as "contractMonths!", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.service_plans
 where (cardinality(:servicePlanIds!::uuid[]) = 0 or service_plan_id = any(:servicePlanIds!::uuid[]))
   and (:planKind::text is null or plan_kind = :planKind)
   and (:isActive::boolean is null or is_active = :isActive)
 order by plan_code;

/* @name UpdateServicePlan */
-- a new plan_kind cascades to the plan's assignments, where the no-overlap rule checks it again
update cx.service_plans
   set plan_name = coalesce(:planName, plan_name),
       plan_kind = coalesce(:planKind, plan_kind),
       payment_type = coalesce(:paymentType, payment_type),
       monthly_fee = coalesce(:monthlyFee, monthly_fee),
       currency = coalesce(:currency, currency),
       data_allowance_mb = coalesce(:dataAllowanceMb, data_allowance_mb),
       voice_minutes = coalesce(:voiceMinutes, voice_minutes),
       sms_count = coalesce(:smsCount, sms_count),
       contract_months = coalesce(:contractMonths, contract_months),
       is_active = coalesce(:isActive, is_active)
 where service_plan_id = :servicePlanId!
returning service_plan_id as "servicePlanId!", plan_code as "planCode!", plan_name as "planName!", plan_kind as "planKind!",
          payment_type as "paymentType!", monthly_fee as "monthlyFee!", currency as "currency!",
          data_allowance_mb as "dataAllowanceMb", voice_minutes as "voiceMinutes", sms_count as "smsCount",
          contract_months as "contractMonths!", is_active as "isActive!", created_at as "createdAt!", updated_at as "updatedAt!";

/* @name AssignPlan */
insert into cx.customer_service_plans (customer_id, service_plan_id, valid_from, valid_to, assignment_reason)
values (:customerId!, :servicePlanId!, coalesce(:validFrom::timestamptz, now()), :validTo, :assignmentReason)
returning assignment_id as "assignmentId!", plan_kind as "planKind!";

/* @name CustomerPlanAssignments */
select csp.assignment_id as "assignmentId!", csp.customer_id as "customerId!", csp.service_plan_id as "servicePlanId!",
       sp.plan_code as "planCode!", sp.plan_name as "planName!", csp.plan_kind as "planKind!",
       csp.valid_from as "validFrom!", csp.valid_to as "validTo", csp.assignment_reason as "assignmentReason",
       csp.created_at as "createdAt!", csp.updated_at as "updatedAt!"
  from cx.customer_service_plans csp
  join cx.service_plans sp on sp.service_plan_id = csp.service_plan_id
 where csp.customer_id = :customerId!
 order by csp.valid_from, csp.plan_kind, csp.assignment_id;

/* @name CreateArticle */
insert into cx.knowledge_base (article_key, language_code, title, content, category, tags, confidence_score, article_status, author_agent_id, published_at)
values (:articleKey!, coalesce(:languageCode, 'en'), :title!, coalesce(:content, ''), :category!, coalesce(:tags::text[], '{}'),
        :confidenceScore, coalesce(:articleStatus, 'published'), :authorAgentId, :publishedAt)
returning article_id as "articleId!";

/* @name GetArticles */
select article_id as "articleId!", article_key as "articleKey!", language_code as "languageCode!", title as "title!",
       content as "content!", category as "category!", tags as "tags!", confidence_score as "confidenceScore",
       article_status as "articleStatus!", author_agent_id as "authorAgentId", article_version as "articleVersion!",
       usage_count as "usageCount!", resolution_success_rate as "resolutionSuccessRate", usage_updated_at as "usageUpdatedAt",
       published_at as "publishedAt", created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.knowledge_base
 where (cardinality(:articleIds!::uuid[]) = 0 or article_id = any(:articleIds!::uuid[]))
   and (:articleKey::text is null or article_key = :articleKey)
   and (:category::text is null or category = :category)
   and (:articleStatus::text is null or article_status = :articleStatus)
   and (:languageCode::text is null or language_code = :languageCode)
 order by article_key, language_code
 limit :limit!;

/* @name UpdateArticle */
-- a new title or body is a new content version; usage_count and resolution_success_rate are the worker's
update cx.knowledge_base
   set title = coalesce(:title, title),
       content = coalesce(:content, content),
       article_version = article_version
                         + (coalesce(:title, title) is distinct from title or coalesce(:content, content) is distinct from content)::integer,
       category = coalesce(:category, category),
       tags = coalesce(:tags::text[], tags),
       confidence_score = coalesce(:confidenceScore, confidence_score),
       article_status = coalesce(:articleStatus, article_status),
       author_agent_id = coalesce(:authorAgentId, author_agent_id),
       published_at = coalesce(:publishedAt, published_at)
 where article_id = :articleId!
returning article_id as "articleId!", article_key as "articleKey!", language_code as "languageCode!", title as "title!",
          content as "content!", category as "category!", tags as "tags!", confidence_score as "confidenceScore",
          article_status as "articleStatus!", author_agent_id as "authorAgentId", article_version as "articleVersion!",
          usage_count as "usageCount!", resolution_success_rate as "resolutionSuccessRate", usage_updated_at as "usageUpdatedAt",
          published_at as "publishedAt", created_at as "createdAt!", updated_at as "updatedAt!";
