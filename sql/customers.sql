/* @name CreateCustomer */
insert into cx.customers
  (msisdn, first_name, last_name, customer_type, region, country_code, city, postal_code, time_zone,
   customer_segment, credit_limit, current_balance, lifetime_value, currency, account_status, activated_at,
   churned_at, churn_risk_score, preferred_contact_time, preferred_channel_id, preferred_language,
   communication_preferences, accessibility_needs)
values
  (:msisdn!, :firstName, :lastName, :customerType!, :region!, :countryCode, :city, :postalCode, :timeZone,
   coalesce(:customerSegment, 'consumer'), :creditLimit, coalesce(:currentBalance::numeric, 0), coalesce(:lifetimeValue::numeric, 0),
   coalesce(:currency, 'EUR'), coalesce(:accountStatus, 'active'), :activatedAt, :churnedAt, :churnRiskScore,
   :preferredContactTime, :preferredChannelId, coalesce(:preferredLanguage, 'en'),
   coalesce(:communicationPreferences::jsonb, '{}'), coalesce(:accessibilityNeeds::text[], '{}'))
returning customer_id as "customerId!";

/* @name UpdateCustomer */
update cx.customers
   set first_name = coalesce(:firstName, first_name),
       last_name = coalesce(:lastName, last_name),
       customer_type = coalesce(:customerType, customer_type),
       region = coalesce(:region, region),
       country_code = coalesce(:countryCode, country_code),
       city = coalesce(:city, city),
       postal_code = coalesce(:postalCode, postal_code),
       time_zone = coalesce(:timeZone, time_zone),
       customer_segment = coalesce(:customerSegment, customer_segment),
       credit_limit = coalesce(:creditLimit, credit_limit),
       current_balance = coalesce(:currentBalance, current_balance),
       lifetime_value = coalesce(:lifetimeValue, lifetime_value),
       account_status = coalesce(:accountStatus, account_status),
       churned_at = case when coalesce(:accountStatus, account_status) = 'churned'
                         then coalesce(:churnedAt::timestamptz, churned_at, now()) end,
       churn_risk_score = coalesce(:churnRiskScore, churn_risk_score),
       preferred_contact_time = coalesce(:preferredContactTime, preferred_contact_time),
       preferred_channel_id = coalesce(:preferredChannelId, preferred_channel_id),
       preferred_language = coalesce(:preferredLanguage, preferred_language),
       communication_preferences = coalesce(:communicationPreferences::jsonb, communication_preferences),
       accessibility_needs = coalesce(:accessibilityNeeds::text[], accessibility_needs)
 where customer_id = :customerId!
returning customer_id as "customerId!";

/* @name GetCustomers */
select customer_id as "customerId!", msisdn as "msisdn!", first_name as "firstName", last_name as "lastName",
       customer_type as "customerType!", region as "region!", country_code as "countryCode", city as "city",
       postal_code as "postalCode", time_zone as "timeZone", customer_segment as "customerSegment!",
       credit_limit as "creditLimit", current_balance as "currentBalance!", lifetime_value as "lifetimeValue!",
       currency as "currency!", account_status as "accountStatus!", activated_at as "activatedAt", churned_at as "churnedAt",
       churn_risk_score as "churnRiskScore", preferred_contact_time as "preferredContactTime",
       preferred_channel_id as "preferredChannelId", preferred_language as "preferredLanguage!",
       communication_preferences as "communicationPreferences!", accessibility_needs as "accessibilityNeeds!",
       total_interactions as "totalInteractions!", successful_interactions as "successfulInteractions!",
       escalation_count as "escalationCount!", success_rate as "successRate", avg_satisfaction_score as "avgSatisfactionScore",
       nps_score as "npsScore", customer_effort_score as "customerEffortScore",
       created_at as "createdAt!", updated_at as "updatedAt!"
  from cx.customers
 where (cardinality(:customerIds!::uuid[]) = 0 or customer_id = any(:customerIds!::uuid[]))
   and (:msisdn::text is null or msisdn = :msisdn)
   and (:region::text is null or region = :region)
 order by customer_id
 limit :limit!;
