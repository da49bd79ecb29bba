/* @name SubmitFeedback */
insert into cx.customer_feedback
  (customer_id, interaction_id, interaction_start_timestamp, session_id, survey_template_id, channel_id, submitted_at,
   csat_score, nps_score, ces_score, feedback_text, sentiment_score, sentiment_label, feedback_topics, answers,
   follow_up_status)
values
  (:customerId!, :interactionId, :interactionStartTimestamp, :sessionId, :surveyTemplateId, :channelId,
   coalesce(:submittedAt::timestamptz, now()), :csatScore, :npsScore, :cesScore, :feedbackText, :sentimentScore,
   :sentimentLabel, coalesce(:feedbackTopics::text[], '{}'), coalesce(:answers::jsonb, '{}'),
   coalesce(:followUpStatus, 'not_required'))
returning feedback_id as "feedbackId!", submitted_at as "submittedAt!";
