/* @name SubmitFeedback */
select f.feedback_id as "feedbackId!", f.submitted_at as "submittedAt!"
  from cx.record_feedback(jsonb_build_array(jsonb_build_object(
         'customer_id', :customerId!::uuid, 'interaction_id', :interactionId::uuid,
         'interaction_start_timestamp', :interactionStartTimestamp::timestamptz, 'session_id', :sessionId::uuid,
         'survey_template_id', :surveyTemplateId::uuid, 'channel_id', :channelId::uuid,
         'submitted_at', :submittedAt::timestamptz, 'csat_score', :csatScore::smallint, 'nps_score', :npsScore::smallint,
         'ces_score', :cesScore::smallint, 'feedback_text', :feedbackText::text,
         'sentiment_score', :sentimentScore::numeric(4, 3), 'sentiment_label', :sentimentLabel::text,
         'feedback_topics', to_jsonb(:feedbackTopics::text[]), 'answers', :answers::jsonb,
         'follow_up_status', :followUpStatus::text))) f;
