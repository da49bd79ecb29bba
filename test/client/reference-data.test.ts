import * as assert from 'uvu/assert';
import type { AgentChanges } from '../../src/client/agents.js';
import type { ArticleChanges } from '../../src/client/reference-data.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { databaseSuite } from '../support/database.js';
import { rejection } from '../support/rejection.js';

const test = databaseSuite('client: reference data create, get, update, list');

const UNKNOWN = '01900000-0000-7000-8000-0000000000ff';
const at = (iso: string) => new Date(iso);

/** The error's class, field and sentence, for one exact comparison. */
async function refusal(call: Promise<unknown>): Promise<[unknown, string | undefined, string]> {
  const error = await rejection<Error & { field?: string }>(call);
  return [error.constructor, error.field, error.message];
}

/** A row with its updatedAt taken from another, so a whole row can be compared after an update. */
const stamped = <T extends { updatedAt: Date }>(row: T, like: { updatedAt: Date }): T => ({
  ...row,
  updatedAt: like.updatedAt,
});

test('channels: a carrier adds a channel with the defaults of the data model; get and byName find it', async ({
  client,
}) => {
  const created = await client.channels.create({
    channelName: 'whatsapp',
    displayName: 'WhatsApp',
    supportsBot: true,
    supportsLiveChat: true,
    botCostPerMinute: 0.02,
    humanCostPerMinute: 0.9,
    serviceLevelTargetSeconds: 45,
  });
  const { channelId, createdAt, updatedAt, ...values } = created;
  assert.equal(values, {
    channelName: 'whatsapp',
    displayName: 'WhatsApp',
    channelCategory: 'core',
    supportsBot: true,
    supportsLiveChat: true,
    supportsVideo: false,
    supportsFileSharing: false,
    expectedResponseSeconds: 60,
    maxConcurrentUsers: 1000,
    availabilitySla: 0.995,
    serviceLevelTargetSeconds: 45,
    botCostPerMinute: 0.02,
    humanCostPerMinute: 0.9,
    costCurrency: 'EUR',
    isActive: true,
  });
  assert.equal([createdAt instanceof Date, updatedAt instanceof Date], [true, true]);
  assert.equal(await client.channels.get(channelId), created);
  assert.equal(await client.channels.byName('whatsapp'), created);
  assert.equal((await client.channels.list()).length, 10);
});

test('channels: update changes the given fields and keeps the others', async ({ client }) => {
  const before = await client.channels.byName('chatbot');
  const updated = await client.channels.update(before.channelId, {
    displayName: 'Virtual assistant',
    supportsFileSharing: true,
    expectedResponseSeconds: 5,
    maxConcurrentUsers: 20_000,
    availabilitySla: 0.999,
    serviceLevelTargetSeconds: 30,
    humanCostPerMinute: 0.95,
    isActive: false,
  });
  assert.equal(stamped(updated, before), {
    ...before,
    displayName: 'Virtual assistant',
    supportsFileSharing: true,
    expectedResponseSeconds: 5,
    maxConcurrentUsers: 20_000,
    availabilitySla: 0.999,
    serviceLevelTargetSeconds: 30,
    humanCostPerMinute: 0.95,
    isActive: false,
  });
  assert.ok(updated.updatedAt >= before.updatedAt);
  assert.equal(await client.channels.get(before.channelId), updated);
  // an empty change set changes nothing
  assert.equal(stamped(await client.channels.update(before.channelId, {}), updated), updated);
});

test('channels: bad values name their field, a duplicate name conflicts, unknown ids are not found', async ({
  client,
}) => {
  const email = await client.channels.byName('email');
  assert.equal(await refusal(client.channels.update(email.channelId, { botCostPerMinute: -0.01 })), [
    ValidationError,
    'botCostPerMinute',
    'bot_cost_per_minute must be zero or more',
  ]);
  assert.equal(
    await refusal(client.channels.update(email.channelId, { channelCategory: 'premium' as 'core' })),
    [ValidationError, 'channelCategory', 'channel_category must be core or advanced'],
  );
  assert.equal(await refusal(client.channels.update(email.channelId, { availabilitySla: 1.5 })), [
    ValidationError,
    'availabilitySla',
    'availability_sla must be a fraction from 0 to 1 (0.995 = 99.5%)',
  ]);
  // refused before the round trip: SQL would store NaN, or refuse the fraction without naming the field
  assert.equal(await refusal(client.channels.update(UNKNOWN, { humanCostPerMinute: Number.NaN })), [
    ValidationError,
    'humanCostPerMinute',
    'humanCostPerMinute must be a finite number, got NaN',
  ]);
  assert.equal(await refusal(client.channels.update(UNKNOWN, { maxConcurrentUsers: 1.5 })), [
    ValidationError,
    'maxConcurrentUsers',
    'maxConcurrentUsers must be a whole number, got 1.5',
  ]);
  assert.equal(
    await client.channels.get(email.channelId),
    email,
    'a refused update leaves the row as it was',
  );

  assert.equal(await refusal(client.channels.create({ channelName: 'chatbot', displayName: 'Bot 2' })), [
    ConflictError,
    'channelName',
    'channel_name must be unique: a channel with this name already exists',
  ]);
  assert.equal(await refusal(client.channels.create({ channelName: 'WhatsApp', displayName: 'WA' })), [
    ValidationError,
    'channelName',
    'channel_name must be snake_case: a lowercase letter, then 1 to 62 lowercase letters, digits or underscores',
  ]);
  assert.equal(await refusal(client.channels.update(UNKNOWN, { displayName: 'Nobody' })), [
    NotFoundError,
    undefined,
    `channel ${UNKNOWN} does not exist`,
  ]);
  assert.instance(await rejection(client.channels.get(UNKNOWN)), NotFoundError);
  assert.instance(await rejection(client.channels.byName('carrier_pigeon')), NotFoundError);
});

test('interaction types: get, byCode, list by category, update keeps left-out fields', async ({ client }) => {
  const { interactionTypeId } = await client.interactionTypes.create({
    typeCode: 'sim_swap',
    typeName: 'SIM swap',
    category: 'account',
    subCategory: 'sim',
    requiresAuthentication: true,
    escalationThresholdSeconds: 300,
    description: 'Move the number to a new SIM',
  });
  await client.interactionTypes.create({
    typeCode: 'roaming_question',
    typeName: 'Roaming',
    category: 'support',
  });

  const simSwap = await client.interactionTypes.byCode('sim_swap');
  const { createdAt, updatedAt, ...values } = simSwap;
  assert.equal(values, {
    interactionTypeId,
    typeCode: 'sim_swap',
    typeName: 'SIM swap',
    category: 'account',
    subCategory: 'sim',
    complexityLevel: 'medium',
    revenueImpacting: false,
    businessCriticality: 'medium',
    targetResolutionSeconds: 86400,
    escalationThresholdSeconds: 300,
    requiresHuman: false,
    requiresAuthentication: true,
    description: 'Move the number to a new SIM',
    isActive: true,
  });
  assert.equal([createdAt instanceof Date, updatedAt instanceof Date], [true, true]);
  assert.equal(await client.interactionTypes.get(interactionTypeId), simSwap);
  assert.equal(
    (await client.interactionTypes.list()).map((t) => t.typeCode),
    ['roaming_question', 'sim_swap'],
  );
  assert.equal(
    (await client.interactionTypes.list({ category: 'account' })).map((t) => t.typeCode),
    ['sim_swap'],
  );

  const updated = await client.interactionTypes.update(interactionTypeId, {
    complexityLevel: 'high',
    businessCriticality: 'critical',
    targetResolutionSeconds: 3600,
    requiresHuman: true,
    isActive: false,
  });
  assert.equal(stamped(updated, simSwap), {
    ...simSwap,
    complexityLevel: 'high',
    businessCriticality: 'critical',
    targetResolutionSeconds: 3600,
    requiresHuman: true,
    isActive: false,
  });
  assert.equal(await client.interactionTypes.get(interactionTypeId), updated);
});

test('interaction types: bad values name their field, a duplicate code conflicts, unknown ones are not found', async ({
  client,
}) => {
  const { interactionTypeId } = await client.interactionTypes.create({
    typeCode: 'bill_payment',
    typeName: 'Bill payment',
    category: 'billing',
  });
  assert.equal(
    await refusal(client.interactionTypes.update(interactionTypeId, { category: 'marketing' as 'billing' })),
    [ValidationError, 'category', 'category must be one of billing, account, technical, sales, support'],
  );
  assert.equal(
    await refusal(client.interactionTypes.update(interactionTypeId, { escalationThresholdSeconds: 0 })),
    [
      ValidationError,
      'escalationThresholdSeconds',
      'escalation_threshold_seconds must be 1 or more, or empty',
    ],
  );
  assert.equal(
    await refusal(
      client.interactionTypes.create({ typeCode: 'bill_payment', typeName: 'Again', category: 'billing' }),
    ),
    [
      ConflictError,
      'typeCode',
      'type_code must be unique: an interaction type with this code already exists',
    ],
  );
  assert.equal(
    (await client.interactionTypes.get(interactionTypeId)).category,
    'billing',
    'a refused update leaves the row as it was',
  );
  assert.instance(
    await rejection(client.interactionTypes.update(UNKNOWN, { typeName: 'Nobody' })),
    NotFoundError,
  );
  assert.instance(await rejection(client.interactionTypes.get(UNKNOWN)), NotFoundError);
  assert.instance(await rejection(client.interactionTypes.byCode('no_such_type')), NotFoundError);
});

test('service plans: get, list by kind and activity, update keeps left-out fields', async ({ client }) => {
  const { servicePlanId } = await client.servicePlans.create({
    planCode: 'data-s',
    planName: 'Data S',
    planKind: 'data',
    monthlyFee: 9.99,
    dataAllowanceMb: 5120,
  });
  await client.servicePlans.create({
    planCode: 'combo-xl',
    planName: 'Combo XL',
    planKind: 'combo',
    paymentType: 'prepaid',
    currency: 'CHF',
    voiceMinutes: 1000,
  });
  const plan = await client.servicePlans.get(servicePlanId);
  const { createdAt, updatedAt, ...values } = plan;
  assert.equal(values, {
    servicePlanId,
    planCode: 'data-s',
    planName: 'Data S',
    planKind: 'data',
    paymentType: 'postpaid',
    monthlyFee: 9.99,
    currency: 'EUR',
    dataAllowanceMb: 5120,
    voiceMinutes: null,
    smsCount: null,
    contractMonths: 0,
    isActive: true,
  });
  assert.equal([createdAt instanceof Date, updatedAt instanceof Date], [true, true]);

  const updated = await client.servicePlans.update(servicePlanId, {
    monthlyFee: 12.5,
    smsCount: 100,
    contractMonths: 24,
    isActive: false,
  });
  assert.equal(stamped(updated, plan), {
    ...plan,
    monthlyFee: 12.5,
    smsCount: 100,
    contractMonths: 24,
    isActive: false,
  });
  assert.equal(await client.servicePlans.get(servicePlanId), updated);

  assert.equal(
    (await client.servicePlans.list()).map((p) => [p.planCode, p.currency, p.paymentType]),
    [
      ['combo-xl', 'CHF', 'prepaid'],
      ['data-s', 'EUR', 'postpaid'],
    ],
  );
  assert.equal(
    (await client.servicePlans.list({ planKind: 'data' })).map((p) => p.planCode),
    ['data-s'],
  );
  assert.equal(
    (await client.servicePlans.list({ isActive: true })).map((p) => p.planCode),
    ['combo-xl'],
  );
});

test('service plans: assignments list the customer history; a new plan kind follows into it', async ({
  client,
}) => {
  const customer = await client.customers.create({
    msisdn: '+4915140000001',
    customerType: 'postpaid',
    region: 'DEUR',
  });
  const small = await client.servicePlans.create({ planCode: 'hist-s', planName: 'S', planKind: 'data' });
  const large = await client.servicePlans.create({ planCode: 'hist-l', planName: 'L', planKind: 'data' });
  const first = await client.servicePlans.assign({
    customerId: customer.customerId,
    servicePlanId: small.servicePlanId,
    validFrom: at('2026-01-01T00:00:00Z'),
    validTo: at('2026-06-01T00:00:00Z'),
    assignmentReason: 'new',
  });
  const second = await client.servicePlans.assign({
    customerId: customer.customerId,
    servicePlanId: large.servicePlanId,
    validFrom: at('2026-06-01T00:00:00Z'),
    assignmentReason: 'upgrade',
  });
  const history = await client.servicePlans.assignments(customer.customerId);
  assert.equal(
    history.map((a) => [
      a.assignmentId,
      a.customerId,
      a.servicePlanId,
      a.planCode,
      a.planName,
      a.planKind,
      a.validFrom.toISOString(),
      a.validTo?.toISOString() ?? null,
      a.assignmentReason,
    ]),
    [
      [
        first.assignmentId,
        customer.customerId,
        small.servicePlanId,
        'hist-s',
        'S',
        'data',
        '2026-01-01T00:00:00.000Z',
        '2026-06-01T00:00:00.000Z',
        'new',
      ],
      [
        second.assignmentId,
        customer.customerId,
        large.servicePlanId,
        'hist-l',
        'L',
        'data',
        '2026-06-01T00:00:00.000Z',
        null,
        'upgrade',
      ],
    ],
  );
  assert.equal(await client.servicePlans.assignments(UNKNOWN), []);

  await client.servicePlans.update(large.servicePlanId, { planKind: 'combo' });
  assert.equal(
    (await client.servicePlans.assignments(customer.customerId)).map((a) => [a.planCode, a.planKind]),
    [
      ['hist-s', 'data'],
      ['hist-l', 'combo'],
    ],
  );
});

test('service plans: bad values name their field, a kind change that makes plans overlap conflicts', async ({
  client,
}) => {
  const customer = await client.customers.create({
    msisdn: '+4915140000002',
    customerType: 'postpaid',
    region: 'R9',
  });
  const data = await client.servicePlans.create({ planCode: 'ov-data', planName: 'Data', planKind: 'data' });
  const combo = await client.servicePlans.create({
    planCode: 'ov-combo',
    planName: 'Combo',
    planKind: 'combo',
  });
  for (const plan of [data, combo])
    await client.servicePlans.assign({
      customerId: customer.customerId,
      servicePlanId: plan.servicePlanId,
      validFrom: at('2026-01-01T00:00:00Z'),
    });
  assert.equal(await refusal(client.servicePlans.update(combo.servicePlanId, { planKind: 'data' })), [
    ConflictError,
    'planKind',
    'the customer already holds a plan of this kind during part of this period: end that assignment first',
  ]);
  assert.equal((await client.servicePlans.get(combo.servicePlanId)).planKind, 'combo');

  assert.equal(await refusal(client.servicePlans.update(data.servicePlanId, { monthlyFee: -5 })), [
    ValidationError,
    'monthlyFee',
    'monthly_fee must be zero or more',
  ]);
  assert.equal(
    await refusal(client.servicePlans.update(data.servicePlanId, { paymentType: 'credit' as 'prepaid' })),
    [ValidationError, 'paymentType', 'payment_type must be one of prepaid, postpaid, hybrid'],
  );
  assert.equal(await refusal(client.servicePlans.update(data.servicePlanId, { contractMonths: 61 })), [
    ValidationError,
    'contractMonths',
    'contract_months must be a whole number from 0 to 60',
  ]);
  assert.equal(
    await refusal(client.servicePlans.create({ planCode: 'ov-data', planName: 'Again', planKind: 'voice' })),
    [ConflictError, 'planCode', 'plan_code must be unique: a plan with this code already exists'],
  );
  assert.instance(
    await rejection(client.servicePlans.update(UNKNOWN, { planName: 'Nobody' })),
    NotFoundError,
  );
  assert.instance(await rejection(client.servicePlans.get(UNKNOWN)), NotFoundError);
});

test('survey templates: get, list, update; new questions make a new version', async ({ client }) => {
  const email = await client.channels.byName('email');
  const questions = [{ id: 'q1', text: 'How satisfied were you?', kind: 'scale' }];
  const { surveyTemplateId } = await client.surveyTemplates.create({
    templateCode: 'csat_after_chat',
    templateName: 'CSAT',
    surveyType: 'csat',
    questions,
  });
  await client.surveyTemplates.create({
    templateCode: 'nps_quarterly',
    templateName: 'NPS',
    surveyType: 'nps',
    triggerEvent: 'periodic',
    deliveryChannelId: email.channelId,
  });
  const template = await client.surveyTemplates.get(surveyTemplateId);
  const { createdAt, updatedAt, ...values } = template;
  assert.equal(values, {
    surveyTemplateId,
    templateCode: 'csat_after_chat',
    templateName: 'CSAT',
    surveyType: 'csat',
    questions,
    scaleMin: null,
    scaleMax: null,
    triggerEvent: 'interaction_end',
    deliveryChannelId: null,
    languageCode: 'en',
    templateVersion: 1,
    isActive: true,
  });
  assert.equal([createdAt instanceof Date, updatedAt instanceof Date], [true, true]);
  assert.equal(
    (await client.surveyTemplates.list()).map((t) => [t.templateCode, t.triggerEvent, t.deliveryChannelId]),
    [
      ['csat_after_chat', 'interaction_end', null],
      ['nps_quarterly', 'periodic', email.channelId],
    ],
  );
  assert.equal(
    (await client.surveyTemplates.list({ surveyType: 'nps' })).map((t) => t.templateCode),
    ['nps_quarterly'],
  );

  const renamed = await client.surveyTemplates.update(surveyTemplateId, {
    templateName: 'CSAT after chat',
    triggerEvent: 'manual',
    scaleMin: 1,
    scaleMax: 5,
    languageCode: 'de-DE',
  });
  assert.equal(stamped(renamed, template), {
    ...template,
    templateName: 'CSAT after chat',
    triggerEvent: 'manual',
    scaleMin: 1,
    scaleMax: 5,
    languageCode: 'de-DE',
  });
  const asked = [...questions, { id: 'q2', text: 'Anything else?', kind: 'text' }];
  const reworded = await client.surveyTemplates.update(surveyTemplateId, { questions: asked });
  assert.equal(
    [reworded.questions, reworded.templateVersion, reworded.templateName],
    [asked, 2, 'CSAT after chat'],
  );
  const same = await client.surveyTemplates.update(surveyTemplateId, { questions: asked, isActive: false });
  assert.equal([same.templateVersion, same.isActive], [2, false], 'the same questions are the same version');
  assert.equal(
    (await client.surveyTemplates.list({ isActive: true })).map((t) => t.templateCode),
    ['nps_quarterly'],
  );
});

test('survey templates: bad values name their field, a duplicate code conflicts, unknown ones are not found', async ({
  client,
}) => {
  const { surveyTemplateId } = await client.surveyTemplates.create({
    templateCode: 'ces_after_call',
    templateName: 'CES',
    surveyType: 'ces',
  });
  assert.equal(
    await refusal(client.surveyTemplates.update(surveyTemplateId, { triggerEvent: 'weekly' as 'periodic' })),
    [
      ValidationError,
      'triggerEvent',
      'trigger_event must be one of interaction_end, journey_end, periodic, manual',
    ],
  );
  assert.equal(
    await refusal(client.surveyTemplates.update(surveyTemplateId, { deliveryChannelId: UNKNOWN })),
    [ValidationError, 'deliveryChannelId', 'delivery_channel_id must name an existing channel'],
  );
  assert.equal(await refusal(client.surveyTemplates.update(surveyTemplateId, { scaleMax: 2.5 })), [
    ValidationError,
    'scaleMax',
    'scaleMax must be a whole number, got 2.5',
  ]);
  assert.equal(
    await refusal(
      client.surveyTemplates.create({
        templateCode: 'ces_after_call',
        templateName: 'Again',
        surveyType: 'ces',
      }),
    ),
    [
      ConflictError,
      'templateCode',
      'template_code must be unique: a survey template with this code already exists',
    ],
  );
  assert.instance(
    await rejection(client.surveyTemplates.update(UNKNOWN, { templateName: 'Nobody' })),
    NotFoundError,
  );
  assert.instance(await rejection(client.surveyTemplates.get(UNKNOWN)), NotFoundError);
});

test('knowledge base: get, list by category, status and language; update bumps the version on new content', async ({
  client,
}) => {
  const author = await client.agents.create({
    agentCode: 'kb-author',
    agentName: 'Author',
    agentType: 'human',
  });
  const { articleId } = await client.knowledgeBase.create({
    articleKey: 'reset-pin',
    title: 'Reset your PIN',
    content: 'Open the app, then Settings.',
    category: 'account',
    tags: ['pin', 'sim'],
    confidenceScore: 0.8,
    authorAgentId: author.agentId,
    publishedAt: at('2026-11-01T10:00:00Z'),
  });
  await client.knowledgeBase.create({
    articleKey: 'reset-pin',
    languageCode: 'de',
    title: 'PIN zurücksetzen',
    category: 'account',
    articleStatus: 'draft',
  });
  await client.knowledgeBase.create({
    articleKey: 'roaming-fees',
    title: 'Roaming fees',
    category: 'billing',
  });

  const article = await client.knowledgeBase.get(articleId);
  const { createdAt, updatedAt, ...values } = article;
  assert.equal(values, {
    articleId,
    articleKey: 'reset-pin',
    languageCode: 'en',
    title: 'Reset your PIN',
    content: 'Open the app, then Settings.',
    category: 'account',
    tags: ['pin', 'sim'],
    confidenceScore: 0.8,
    articleStatus: 'published',
    authorAgentId: author.agentId,
    articleVersion: 1,
    usageCount: 0,
    resolutionSuccessRate: null,
    usageUpdatedAt: null,
    publishedAt: at('2026-11-01T10:00:00Z'),
  });
  assert.equal([createdAt instanceof Date, updatedAt instanceof Date], [true, true]);

  const keys = (articles: { articleKey: string; languageCode: string }[]) =>
    articles.map((a) => `${a.articleKey}/${a.languageCode}`);
  assert.equal(keys(await client.knowledgeBase.list()), ['reset-pin/de', 'reset-pin/en', 'roaming-fees/en']);
  assert.equal(keys(await client.knowledgeBase.list({ category: 'account' })), [
    'reset-pin/de',
    'reset-pin/en',
  ]);
  assert.equal(keys(await client.knowledgeBase.list({ articleStatus: 'draft' })), ['reset-pin/de']);
  assert.equal(keys(await client.knowledgeBase.list({ languageCode: 'en' })), [
    'reset-pin/en',
    'roaming-fees/en',
  ]);
  assert.equal(keys(await client.knowledgeBase.list({ articleKey: 'roaming-fees' })), ['roaming-fees/en']);
  assert.equal(keys(await client.knowledgeBase.list({ limit: 1 })), ['reset-pin/de']);

  const retagged = await client.knowledgeBase.update(articleId, { tags: ['pin'], confidenceScore: 0.95 });
  assert.equal(stamped(retagged, article), { ...article, tags: ['pin'], confidenceScore: 0.95 });
  const rewritten = await client.knowledgeBase.update(articleId, {
    content: 'Open the app, then Settings, then Security.',
    articleStatus: 'archived',
  });
  assert.equal(stamped(rewritten, article), {
    ...retagged,
    content: 'Open the app, then Settings, then Security.',
    articleStatus: 'archived',
    articleVersion: 2,
    updatedAt: article.updatedAt,
  });
  assert.equal(await client.knowledgeBase.get(articleId), rewritten);
});

test('knowledge base: the usage counters stay the worker’s; bad values name their field', async ({
  client,
  pool,
}) => {
  const { articleId } = await client.knowledgeBase.create({
    articleKey: 'esim-setup',
    title: 'Set up an eSIM',
    category: 'technical',
  });
  // what the metrics worker writes
  await pool.query(
    `update cx.knowledge_base set usage_count = 7, resolution_success_rate = 0.5, usage_updated_at = $2
      where article_id = $1`,
    [articleId, at('2026-11-08T03:00:00Z')],
  );
  const sneaky = { title: 'Set up your eSIM', usageCount: 0, resolutionSuccessRate: 1 } as ArticleChanges;
  const updated = await client.knowledgeBase.update(articleId, sneaky);
  assert.equal(
    [updated.title, updated.usageCount, updated.resolutionSuccessRate, updated.usageUpdatedAt?.toISOString()],
    ['Set up your eSIM', 7, 0.5, '2026-11-08T03:00:00.000Z'],
  );

  assert.equal(
    await refusal(client.knowledgeBase.update(articleId, { category: 'marketing' as 'technical' })),
    [ValidationError, 'category', 'category must be one of billing, account, technical, sales, support'],
  );
  assert.equal(await refusal(client.knowledgeBase.update(articleId, { confidenceScore: 1.5 })), [
    ValidationError,
    'confidenceScore',
    'confidence_score must be a fraction from 0 to 1',
  ]);
  assert.equal(await refusal(client.knowledgeBase.update(articleId, { publishedAt: new Date(Number.NaN) })), [
    ValidationError,
    'publishedAt',
    'publishedAt must be a valid date and time, got Invalid Date',
  ]);
  assert.equal(
    await refusal(
      client.knowledgeBase.create({ articleKey: 'esim-setup', title: 'Again', category: 'technical' }),
    ),
    [ConflictError, 'articleKey', 'an article with this article_key already exists in this language'],
  );
  assert.instance(await rejection(client.knowledgeBase.update(UNKNOWN, { title: 'Nobody' })), NotFoundError);
  assert.instance(await rejection(client.knowledgeBase.get(UNKNOWN)), NotFoundError);
});

test('agents: update changes team, skills and availability, never the status or its history', async ({
  client,
}) => {
  const lead = await client.agents.create({
    agentCode: 'lead-9',
    agentName: 'Lead',
    agentType: 'supervisor',
  });
  const agent = await client.agents.create({
    agentCode: 'human-9',
    agentName: 'Human',
    agentType: 'human',
    currentStatus: 'available',
    statusChangedAt: at('2026-11-07T08:00:00Z'),
  });
  const schedule = { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']] };
  const updated = await client.agents.update(agent.agentId, {
    teamName: 'Billing B',
    supervisorId: lead.agentId,
    specialization: 'billing',
    skillLevel: 'senior',
    languages: ['de', 'en', 'tr'],
    workSchedule: schedule,
    maxConcurrentChats: 3,
  });
  assert.equal(stamped(updated, agent), {
    ...agent,
    teamName: 'Billing B',
    supervisorId: lead.agentId,
    specialization: 'billing',
    skillLevel: 'senior',
    languages: ['de', 'en', 'tr'],
    workSchedule: schedule,
    maxConcurrentChats: 3,
  });
  assert.equal(await client.agents.get(agent.agentId), updated);

  // a status smuggled in is not written: status changes go through setStatus and its history
  const sneaky = { agentType: 'hybrid', currentStatus: 'busy' } as AgentChanges;
  const promoted = await client.agents.update(agent.agentId, sneaky);
  assert.equal(
    [promoted.agentType, promoted.currentStatus, promoted.statusChangedAt.toISOString()],
    ['hybrid', 'available', '2026-11-07T08:00:00.000Z'],
  );
  const history = await client.agents.statusHistory(
    agent.agentId,
    at('2026-11-07T00:00:00Z'),
    at('2030-01-01T00:00:00Z'),
  );
  assert.equal(
    history.map((h) => [h.status, h.startedAt.toISOString(), h.endedAt]),
    [['available', '2026-11-07T08:00:00.000Z', null]],
  );
});

test('agents: update refuses bad values by field; unknown agents are not found', async ({ client }) => {
  const agent = await client.agents.create({ agentCode: 'human-10', agentName: 'Human', agentType: 'human' });
  assert.equal(await refusal(client.agents.update(agent.agentId, { supervisorId: agent.agentId })), [
    ValidationError,
    'supervisorId',
    'supervisor_id must not be the agent itself',
  ]);
  assert.equal(await refusal(client.agents.update(agent.agentId, { supervisorId: UNKNOWN })), [
    ValidationError,
    'supervisorId',
    'supervisor_id must name an existing agent',
  ]);
  assert.equal(await refusal(client.agents.update(agent.agentId, { languages: ['EN'] })), [
    ValidationError,
    'languages',
    'languages must list at least one ISO 639 language code in lowercase, such as en or de',
  ]);
  assert.equal(await refusal(client.agents.update(agent.agentId, { maxConcurrentChats: 0 })), [
    ValidationError,
    'maxConcurrentChats',
    'max_concurrent_chats must be a whole number from 1 to 1000',
  ]);
  assert.equal(await refusal(client.agents.update(agent.agentId, { maxConcurrentChats: 2.5 })), [
    ValidationError,
    'maxConcurrentChats',
    'maxConcurrentChats must be a whole number, got 2.5',
  ]);
  assert.equal(await client.agents.get(agent.agentId), agent, 'a refused update leaves the row as it was');
  assert.equal(await refusal(client.agents.update(UNKNOWN, { teamName: 'Nobody' })), [
    NotFoundError,
    undefined,
    `agent ${UNKNOWN} does not exist`,
  ]);
});

test.run();
