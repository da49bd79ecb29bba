import * as assert from 'uvu/assert';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { databaseSuite } from '../support/database.js';
import { rejection } from '../support/rejection.js';

const test = databaseSuite('client: feedback, journeys, outcomes and reference data');

const at = (time: string) => new Date(`2026-11-08T${time}Z`);

test('a journey across channels with an interaction, feedback and an outcome', async ({ client }) => {
  const customer = await client.customers.create({
    msisdn: '+4915130000001',
    customerType: 'postpaid',
    region: 'R9',
  });
  const app = await client.channels.byName('mobile_app');
  const chatbot = await client.channels.byName('chatbot');
  const survey = await client.surveyTemplates.create({
    templateCode: 'csat_after_chat',
    templateName: 'CSAT',
    surveyType: 'csat',
  });
  const plan = await client.servicePlans.create({
    planCode: 'unlimited-5g',
    planName: 'Unlimited 5G',
    planKind: 'data',
    monthlyFee: 39.99,
  });

  const session = await client.journeys.startSession({
    customerId: customer.customerId,
    startTimestamp: at('08:00:00'),
    journeyGoal: 'change_plan',
    entryChannelId: app.channelId,
  });
  await client.journeys.touch(session, {
    channelId: app.channelId,
    touchpointType: 'app_screen',
    occurredAt: at('08:00:00'),
  });
  await client.journeys.touch(session, {
    channelId: app.channelId,
    touchpointType: 'form_submit',
    occurredAt: at('08:02:00'),
    frictionDetected: true,
    frictionType: 'error',
  });
  const chat = await client.interactions.start({
    customerId: customer.customerId,
    channelId: chatbot.channelId,
    initialMode: 'bot',
    sessionId: session.sessionId,
    startTimestamp: at('08:05:00'),
  });
  await client.interactions.end(chat, {
    status: 'completed',
    resolutionStatus: 'resolved',
    endTimestamp: at('08:12:00'),
  });
  await client.feedback.submit({
    customerId: customer.customerId,
    interaction: chat,
    surveyTemplateId: survey.surveyTemplateId,
    submittedAt: at('08:15:00'),
    csatScore: 5,
    npsScore: 9,
    feedbackText: 'quick and easy',
    sentimentScore: 0.8,
  });
  await client.outcomes.record(chat, {
    outcomeType: 'upsell',
    outcomeValue: 120,
    servicePlanId: plan.servicePlanId,
  });
  const ended = await client.journeys.endSession(session, {
    journeyOutcome: 'completed',
    goalAchieved: true,
    endTimestamp: at('08:20:00'),
    exitChannelId: chatbot.channelId,
  });
  assert.equal(
    {
      touchpoints: ended.touchpointCount,
      channels: ended.channelsUsed,
      last: ended.lastActivityAt?.toISOString(),
      duration: ended.durationSeconds,
      goal: ended.goalAchieved,
    },
    { touchpoints: 2, channels: 2, last: '2026-11-08T08:12:00.000Z', duration: 1200, goal: true },
  );
  const interaction = await client.interactions.get(chat);
  assert.equal([interaction.customerSatisfactionScore, interaction.npsScore], [5, 9]);
  const stored = await client.customers.get(customer.customerId);
  assert.equal([stored.totalInteractions, stored.avgSatisfactionScore, stored.npsScore], [1, 5, 9]);
});

test('scores out of range fail before the round trip, naming the field', async ({ client }) => {
  const customer = await client.customers.create({
    msisdn: '+4915130000002',
    customerType: 'prepaid',
    region: 'R9',
  });
  for (const [field, value, message] of [
    ['csatScore', 6, 'csatScore must be a whole number from 1 to 5, got 6'],
    ['npsScore', Number.NaN, 'npsScore must be a whole number from 0 to 10, got NaN'],
    ['cesScore', 2.5, 'cesScore must be a whole number from 1 to 7, got 2.5'],
    ['sentimentScore', 3, 'sentimentScore must be from -1 to 1, got 3'],
  ] as const) {
    const error = await rejection(
      client.feedback.submit({ customerId: customer.customerId, [field]: value }),
    );
    assert.equal(
      [error.constructor, (error as ValidationError).field, error.message],
      [ValidationError, field, message],
    );
  }
  const empty = await rejection(client.feedback.submit({ customerId: customer.customerId }));
  assert.equal(
    [empty.constructor, (empty as ValidationError).constraint],
    [ValidationError, 'customer_feedback_has_content'],
  );
});

test('plan assignments: the kind is copied and overlapping plans of one kind conflict', async ({
  client,
}) => {
  const customer = await client.customers.create({
    msisdn: '+4915130000003',
    customerType: 'postpaid',
    region: 'DEUR',
  });
  const small = await client.servicePlans.create({
    planCode: 'data-s',
    planName: 'Data S',
    planKind: 'data',
  });
  const large = await client.servicePlans.create({
    planCode: 'data-l',
    planName: 'Data L',
    planKind: 'data',
  });
  const first = await client.servicePlans.assign({
    customerId: customer.customerId,
    servicePlanId: small.servicePlanId,
    validFrom: new Date('2026-01-01T00:00:00Z'),
  });
  assert.is(first.planKind, 'data');
  const overlap = await rejection(
    client.servicePlans.assign({
      customerId: customer.customerId,
      servicePlanId: large.servicePlanId,
      validFrom: new Date('2026-06-01T00:00:00Z'),
    }),
  );
  assert.instance(overlap, ConflictError);
  assert.is(
    overlap.message,
    'the customer already holds a plan of this kind during part of this period: end that assignment first',
  );
});

test('reference data: the nine seeded channels, interaction types and KB articles', async ({ client }) => {
  assert.equal(
    (await client.channels.list()).map((c) => c.channelName),
    [
      'chatbot',
      'email',
      'interactive_menu',
      'mobile_app',
      'sms',
      'social_media',
      'video_call',
      'voice_call',
      'web_app',
    ],
  );
  const chatbot = await client.channels.byName('chatbot');
  assert.equal(
    [chatbot.botCostPerMinute, chatbot.humanCostPerMinute, chatbot.serviceLevelTargetSeconds],
    [0.01, 0.85, 60],
  );
  await client.interactionTypes.create({
    typeCode: 'roaming_question',
    typeName: 'Roaming',
    category: 'support',
  });
  const [type] = await client.interactionTypes.list();
  assert.equal(
    [type?.typeCode, type?.category, type?.complexityLevel],
    ['roaming_question', 'support', 'medium'],
  );
  const article = await client.knowledgeBase.create({
    articleKey: 'reset-pin',
    title: 'Reset your PIN',
    category: 'account',
  });
  assert.match(article.articleId, /^[0-9a-f-]{36}$/);
  const duplicate = await rejection(
    client.knowledgeBase.create({ articleKey: 'reset-pin', title: 'Again', category: 'account' }),
  );
  assert.instance(duplicate, ConflictError);
});

test.run();
