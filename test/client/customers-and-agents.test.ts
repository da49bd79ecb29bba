import * as assert from 'uvu/assert';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.js';
import { databaseSuite } from '../support/database.js';
import { rejection } from '../support/rejection.js';

const test = databaseSuite('client: customers and agents');

test('customers: create, update, get and list with exact stored values', async ({ client }) => {
  const created = await client.customers.create({
    msisdn: '+4915120000001',
    firstName: 'Ada',
    customerType: 'postpaid',
    region: 'DEUR',
    creditLimit: 250.5,
    currentBalance: -12.34,
    communicationPreferences: { sms: true, email: false },
    accessibilityNeeds: ['large_text'],
  });
  assert.equal(
    [
      created.msisdn,
      created.firstName,
      created.customerType,
      created.region,
      created.creditLimit,
      created.currentBalance,
    ],
    ['+4915120000001', 'Ada', 'postpaid', 'DEUR', 250.5, -12.34],
  );
  assert.equal(
    [created.communicationPreferences, created.accessibilityNeeds],
    [{ sms: true, email: false }, ['large_text']],
  );
  assert.equal([created.totalInteractions, created.successRate, created.accountStatus], [0, null, 'active']);

  const updated = await client.customers.update(created.customerId, { region: 'R9', churnRiskScore: 0.25 });
  assert.equal([updated.region, updated.churnRiskScore, updated.firstName], ['R9', 0.25, 'Ada']);
  const churned = await client.customers.update(created.customerId, { accountStatus: 'churned' });
  assert.equal([churned.accountStatus, churned.churnedAt instanceof Date], ['churned', true]);

  // the number is free again once its holder churned
  const successor = await client.customers.create({
    msisdn: '+4915120000001',
    customerType: 'prepaid',
    region: 'R9',
  });
  const holders = await client.customers.list({ msisdn: '+4915120000001' });
  assert.equal(
    holders.map((c) => [c.customerId, c.accountStatus]),
    [
      [created.customerId, 'churned'],
      [successor.customerId, 'active'],
    ],
  );
});

test('customers: duplicate numbers conflict, bad values name their field, unknown ids are not found', async ({
  client,
}) => {
  await client.customers.create({ msisdn: '+4915120000002', customerType: 'prepaid', region: 'R9' });
  const duplicate = await rejection(
    client.customers.create({ msisdn: '+4915120000002', customerType: 'hybrid', region: 'R9' }),
  );
  assert.instance(duplicate, ConflictError);
  assert.equal(
    [(duplicate as ConflictError).field, duplicate.message],
    ['msisdn', 'msisdn is already held by another customer who has not churned'],
  );
  const badNumber = await rejection(
    client.customers.create({ msisdn: '0151 2000', customerType: 'prepaid', region: 'R9' }),
  );
  assert.instance(badNumber, ValidationError);
  assert.is((badNumber as ValidationError).field, 'msisdn');
  const badRegion = await rejection(
    client.customers.create({ msisdn: '+4915120000003', customerType: 'prepaid', region: 'EU' as 'R9' }),
  );
  assert.equal(
    [(badRegion as ValidationError).field, badRegion.message],
    ['region', 'region must be R9 or DEUR'],
  );
  const nan = await rejection(
    client.customers.update('01900000-0000-7000-8000-000000000001', { creditLimit: Number.NaN }),
  );
  assert.equal([nan.constructor, (nan as ValidationError).field], [ValidationError, 'creditLimit']);
  assert.instance(
    await rejection(client.customers.get('01900000-0000-7000-8000-000000000001')),
    NotFoundError,
  );
  assert.instance(
    await rejection(client.customers.update('01900000-0000-7000-8000-000000000001', { city: 'Bonn' })),
    NotFoundError,
  );
});

test('agents: create, status changes recorded as intervals, list by type', async ({ client }) => {
  const lead = await client.agents.create({
    agentCode: 'lead-1',
    agentName: 'Lead',
    agentType: 'supervisor',
  });
  const agent = await client.agents.create({
    agentCode: 'human-1',
    agentName: 'Human',
    agentType: 'human',
    supervisorId: lead.agentId,
    skillLevel: 'senior',
    languages: ['de', 'en'],
    currentStatus: 'available',
    statusChangedAt: new Date('2026-11-07T08:00:00Z'),
  });
  assert.equal(
    [agent.supervisorId, agent.skillLevel, agent.languages, agent.currentStatus, agent.maxConcurrentChats],
    [lead.agentId, 'senior', ['de', 'en'], 'available', 1],
  );
  await client.agents.setStatus(agent.agentId, 'busy', new Date('2026-11-07T09:00:00Z'));
  await client.agents.setStatus(agent.agentId, 'on_break', new Date('2026-11-07T12:00:00Z'));
  const history = await client.agents.statusHistory(
    agent.agentId,
    new Date('2026-11-07T00:00:00Z'),
    new Date('2026-11-08T00:00:00Z'),
  );
  assert.equal(
    history.map((h) => [h.status, h.startedAt.toISOString(), h.endedAt?.toISOString() ?? null]),
    [
      ['available', '2026-11-07T08:00:00.000Z', '2026-11-07T09:00:00.000Z'],
      ['busy', '2026-11-07T09:00:00.000Z', '2026-11-07T12:00:00.000Z'],
      ['on_break', '2026-11-07T12:00:00.000Z', null],
    ],
  );
  assert.equal(
    (await client.agents.list({ agentType: 'supervisor' })).map((a) => a.agentCode),
    ['lead-1'],
  );
  const early = await rejection(
    client.agents.setStatus(agent.agentId, 'offline', new Date('2026-11-07T11:00:00Z')),
  );
  assert.equal(
    [early.constructor, (early as ValidationError).field, (early as ValidationError).constraint],
    [ValidationError, 'statusChangedAt', 'agent_status_history_status_changed_at_order'],
  );
  assert.instance(
    await rejection(client.agents.setStatus('01900000-0000-7000-8000-000000000009', 'busy')),
    NotFoundError,
  );
  const duplicate = await rejection(
    client.agents.create({ agentCode: 'lead-1', agentName: 'Again', agentType: 'human' }),
  );
  assert.equal([duplicate.constructor, (duplicate as ConflictError).field], [ConflictError, 'agentCode']);
});

test.run();
