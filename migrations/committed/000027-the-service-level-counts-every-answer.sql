--! Previous: sha1:7fc12cb988948cc42f2d623f63b1698d9215e720
--! Hash: sha1:6c9dc6ee17ec18ec7568e5286289e72282ed11f9
--! Message: the service level counts every answer

--! split: 0100-service-level-counts-every-answer.sql
/*
 * The service level counted only the contacts answered after a queue, while ASA (migration 000023)
 * counts every contact a human answered. A contact a human answered without a queue waited 0 s:
 * it was answered within any target. As DESIGN §3 and the anchors define it, the service level is
 * the contacts answered within the channel's target / (every contact answered + those abandoned
 * after the short-abandon grace).
 */
update cx.metrics
   set expression = '(sum(answered_within_target) + sum(human_handled) - sum(answered_after_queue))::numeric / nullif(sum(human_handled) + sum(abandoned_after_grace), 0)',
       sample_expression = 'sum(human_handled) + sum(abandoned_after_grace)',
       description = 'Contacts answered within the channel''s service-level target (those a human answered without a queue waited 0 s) / (every contact a human answered + those abandoned after the short-abandon grace).'
 where metric_name = 'service_level';
comment on column cx.daily_interaction_rollup.answered_within_target is
  'Answered after a queue of at most the channel''s service_level_target_seconds (service level = (this + the contacts a human answered without a queue) / (human_handled + abandoned_after_grace)).';
