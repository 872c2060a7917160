import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import type { CriteriaFieldsResponse } from '../../../shared/criteria/index.js';
import type { CustomerList } from '../../../shared/customers.js';

/** Every field and operator of the criteria language, through the customer list, on a real database. */
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
const ids: Record<string, string> = {};
let segmentId = '';
let vipTagId = '';
let teaProductId = '';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const item = (sku: string, category: string, unit_price: number) => ({
  sku,
  name: sku,
  category,
  quantity: 1,
  unit_price,
});

async function names(params: Record<string, string>, as = admin): Promise<string[]> {
  const res = await t.request({
    method: 'GET',
    url: `/api/crm/customers?${new URLSearchParams({ limit: '200', ...params })}`,
    as,
  });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  const list = res.json<CustomerList>();
  const count = await t.request({
    method: 'GET',
    url: `/api/crm/customers/count?${new URLSearchParams(params)}`,
    as,
  });
  expect(count.json<{ total: number }>().total).toBe(list.data.length);
  expect(list.total).toBe(list.data.length);
  return list.data.map((c) => c.first_name ?? '').sort();
}
const byText = (query: string, as = admin) => names({ query }, as);
const byJson = (criteria: unknown, as = admin) => names({ criteria: JSON.stringify(criteria) }, as);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  agent = await t.staff('agent');
  const db = t.database.db;
  const ann = await makeCustomer(t, admin, {
    first_name: 'Ann',
    last_name: 'Müller',
    company: 'Acme GmbH',
    email: 'ann@acme.com',
    phone: '+49 30 1234',
    addresses: [{ line1: 'Hauptstraße 1', city: 'Berlin', country: 'DE' }],
    customer_status: 'active',
    lifecycle_stage: 'loyal',
    acquisition_source: 'Google',
    acquisition_date: '2025-01-15T10:00:00Z',
    owner_id: admin.id,
  });
  const bob = await makeCustomer(t, admin, {
    first_name: 'Bob',
    last_name: 'Smith',
    email: 'bob@example.org',
    addresses: [{ line1: '1 Main St', city: 'Boston', country: 'US' }],
    customer_status: 'prospect',
    preferred_contact_method: 'phone',
    acquisition_date: '2026-03-01T10:00:00Z',
  });
  const chloe = await makeCustomer(t, admin, {
    first_name: 'Chloé',
    last_name: 'Dupont',
    company: 'Café 50%_off\\',
    email: 'chloe@acme.com',
    addresses: [{ line1: '1 rue', city: 'Paris', country: 'FR' }],
    customer_status: 'churned',
    lifecycle_stage: 'at_risk',
    preferred_contact_method: 'sms',
    acquisition_source: 'referral',
    acquisition_date: '2024-06-01T10:00:00Z',
    owner_id: agent.id,
    communication_preferences: { do_not_contact: true },
  });
  Object.assign(ids, { Ann: ann.id, Bob: bob.id, Chloé: chloe.id });
  await makeOrder(t, admin, ann.id, { placed_at: daysAgo(10), items: [item('SKU-1', 'Coffee', 25)] });
  await makeOrder(t, admin, ann.id, { placed_at: daysAgo(200), items: [item('SKU-2', 'Tea', 75)] });
  await makeOrder(t, admin, chloe.id, {
    placed_at: daysAgo(5),
    status: 'cancelled',
    items: [item('SKU-1', 'Coffee', 25)],
  });
  await makeOrder(t, admin, chloe.id, { placed_at: daysAgo(100), items: [item('SKU-2', 'Tea', 300)] });
  teaProductId = (
    await db.selectFrom('products').select('id').where('sku', '=', 'SKU-2').executeTakeFirstOrThrow()
  ).id;

  const tags = await db
    .insertInto('tags')
    .values([{ name: 'VIP' }, { name: 'spam' }, { name: 'wholesale' }])
    .returning(['id', 'name'])
    .execute();
  const tag = (n: string) => tags.find((x) => x.name === n)!.id;
  vipTagId = tag('VIP');
  await db
    .insertInto('customer_tags')
    .values([
      { customer_id: ann.id, tag_id: tag('VIP') },
      { customer_id: bob.id, tag_id: tag('spam') },
      { customer_id: chloe.id, tag_id: tag('VIP') },
      { customer_id: chloe.id, tag_id: tag('wholesale') },
    ])
    .execute();
  const seg = await db
    .insertInto('segments')
    .values({ name: 'Berlin' })
    .returning('id')
    .executeTakeFirstOrThrow();
  segmentId = seg.id;
  await db.insertInto('segment_members').values({ segment_id: seg.id, customer_id: ann.id }).execute();
  // stages set directly: automatic lifecycle rules must not move these fixtures
  await sql`update customer_metrics set lifecycle_stage = case customer_id when ${ann.id}::uuid then 'loyal'
    when ${chloe.id}::uuid then 'at_risk' else 'lead' end`.execute(db);
  await db
    .insertInto('customer_rfm')
    .values([
      { customer_id: ann.id, recency: 5, frequency: 4, monetary: 3, rfm_group: 'champions' },
      { customer_id: chloe.id, recency: 1, frequency: 1, monetary: 2, rfm_group: 'lost' },
    ])
    .execute();
});
afterAll(() => t?.close());

describe('criteria on the customer list (text form)', () => {
  const cases: Array<[string, string[]]> = [
    ['first_name = "ann"', ['Ann']],
    ['first_name = "chloe"', ['Chloé']],
    ['first_name != "ANN"', ['Bob', 'Chloé']],
    ['last_name IN ("muller", "smith")', ['Ann', 'Bob']],
    ['last_name NOT IN ("muller")', ['Bob', 'Chloé']],
    ['company CONTAINS "gmb"', ['Ann']],
    ['company NOT CONTAINS "gmb"', ['Bob', 'Chloé']],
    ['company CONTAINS "50%_"', ['Chloé']],
    ['company CONTAINS "%"', ['Chloé']],
    ['company CONTAINS "\\\\"', ['Chloé']],
    ['company CONTAINS "_"', ['Chloé']],
    ['company STARTS WITH "cafe"', ['Chloé']],
    ['company IS EMPTY', ['Bob']],
    ['company IS NOT EMPTY', ['Ann', 'Chloé']],
    ['email STARTS WITH "bob@"', ['Bob']],
    ['email_domain = "acme.com"', ['Ann', 'Chloé']],
    ['email_domain != "acme.com"', ['Bob']],
    ['phone STARTS WITH "+49"', ['Ann']],
    ['phone IS EMPTY', ['Bob', 'Chloé']],
    ['country IN ("de", "fr")', ['Ann', 'Chloé']],
    ['city = "berlin"', ['Ann']],
    ['city != "BERLIN"', ['Bob', 'Chloé']],
    ['city STARTS WITH "bo"', ['Bob']],
    ['region IS EMPTY', ['Ann', 'Bob', 'Chloé']],
    ['postal_code IS NOT EMPTY', []],
    ['acquisition_source = "google"', ['Ann']],
    ['acquisition_source IS EMPTY', ['Bob']],
    ['customer_status = active', ['Ann']],
    ['customer_status != active', ['Bob', 'Chloé']],
    ['lifecycle_stage IN ("at_risk", "lost")', ['Chloé']],
    ['lifecycle_stage NOT IN ("at_risk")', ['Ann', 'Bob']],
    ['preferred_contact_method = sms', ['Chloé']],
    ['acquisition_date < "2025-01-15"', ['Chloé']],
    ['acquisition_date <= "2025-01-15"', ['Ann', 'Chloé']],
    ['acquisition_date > "2025-01-15"', ['Bob']],
    ['acquisition_date >= "2025-01-15T10:00:00Z"', ['Ann', 'Bob']],
    ['acquisition_date BETWEEN "2024-01-01" AND "2025-01-15"', ['Ann', 'Chloé']],
    ['created_at WITHIN 1 DAYS', ['Ann', 'Bob', 'Chloé']],
    ['created_at OLDER THAN 1 DAYS', []],
    ['last_order_date WITHIN 30 DAYS', ['Ann']],
    ['last_order_date OLDER THAN 30 DAYS', ['Chloé']],
    ['last_order_date IS EMPTY', ['Bob']],
    ['first_order_date OLDER THAN 150 DAYS', ['Ann']],
    ['first_order_date IS NOT EMPTY', ['Ann', 'Chloé']],
    ['lifetime_value >= 100', ['Ann', 'Chloé']],
    ['lifetime_value > 100', ['Chloé']],
    ['lifetime_value = 100', ['Ann']],
    ['lifetime_value != 100', ['Bob', 'Chloé']],
    ['lifetime_value < 100', ['Bob']],
    ['lifetime_value <= 100', ['Ann', 'Bob']],
    ['lifetime_value BETWEEN 50 AND 100', ['Ann']],
    ['total_orders >= 2', ['Ann']],
    ['average_order_value > 60', ['Chloé']],
    ['customer_value = 0', ['Ann', 'Bob', 'Chloé']],
    ['owner = me', ['Ann']],
    ['owner = none', ['Bob']],
    ['owner != none', ['Ann', 'Chloé']],
    ['owner != me', ['Bob', 'Chloé']],
    ['has_account = false', ['Ann', 'Bob', 'Chloé']],
    ['do_not_contact = true', ['Chloé']],
    ['do_not_contact = false', ['Ann', 'Bob']],
    ['tag = "vip"', ['Ann', 'Chloé']],
    ['tag != "vip"', ['Bob']],
    ['tags HAS ANY ("spam", "wholesale")', ['Bob', 'Chloé']],
    ['tags HAS ALL ("vip", "WHOLESALE")', ['Chloé']],
    ['tags HAS NONE ("spam", "wholesale")', ['Ann']],
    ['tags HAS ANY ("nonexistent")', []],
    ['rfm_recency >= 4', ['Ann']],
    ['rfm_monetary IS EMPTY', ['Bob']],
    ['rfm_frequency != 4', ['Bob', 'Chloé']],
    ['rfm_group = champions', ['Ann']],
    ['rfm_group NOT IN (champions)', ['Bob', 'Chloé']],
    ['rfm_group IS NOT EMPTY', ['Ann', 'Chloé']],
    ['PURCHASED', ['Ann', 'Chloé']],
    ['NOT PURCHASED', ['Bob']],
    ['PURCHASED category = "coffee"', ['Ann']],
    ['PURCHASED category = "TEA" WITHIN 150 DAYS', ['Chloé']],
    ['PURCHASED product_sku = "sku-2"', ['Ann', 'Chloé']],
    ['NOT PURCHASED category = "coffee" WITHIN 30 DAYS', ['Bob', 'Chloé']],
    ['orders_count_in_days(365) >= 2', ['Ann']],
    ['orders_count_in_days(30) = 0', ['Bob', 'Chloé']],
    ['spend_in_days(150) > 100', ['Chloé']],
    ['spend_in_days(365) <= 100', ['Ann', 'Bob']],
    ['lifetime_value >= 100 AND (tag = "spam" OR lifecycle_stage IN (at_risk))', ['Chloé']],
    ['NOT (tag = "vip" AND lifetime_value > 100)', ['Ann', 'Bob']],
    ['NOT rfm_recency >= 4', ['Bob', 'Chloé']],
  ];
  for (const [query, expected] of cases) {
    it(query, async () => {
      expect(await byText(query)).toEqual(expected);
    });
  }

  it('segments, product ids and tag ids by id', async () => {
    expect(await byText(`segments IN ("${segmentId}")`)).toEqual(['Ann']);
    expect(await byText(`segments NOT IN ("${segmentId}")`)).toEqual(['Bob', 'Chloé']);
    expect(await byText(`PURCHASED product_id = "${teaProductId}" WITHIN 150 DAYS`)).toEqual(['Chloé']);
    expect(await byText(`tags HAS ALL ("${vipTagId}")`)).toEqual(['Ann', 'Chloé']);
  });

  it('owner = me follows who is asking', async () => {
    expect(await byText('owner = me', agent)).toEqual(['Chloé']);
    expect(await byText(`owner IN ("${agent.id}", none)`)).toEqual(['Bob', 'Chloé']);
    expect(await byText(`owner NOT IN ("${agent.id}", none)`)).toEqual(['Ann']);
  });
});

describe('criteria as JSON', () => {
  it('matches the product example and combines with the other filters', async () => {
    const criteria = {
      match: 'all',
      rules: [
        { field: 'lifetime_value', op: 'gte', value: 50 },
        { field: 'tags', op: 'has_any', value: ['vip'] },
        {
          match: 'any',
          rules: [
            { field: 'last_order_date', op: 'older_than_days', value: 90 },
            { field: 'lifecycle_stage', op: 'in', value: ['at_risk', 'lost'] },
          ],
        },
        { field: 'orders', op: 'purchased', value: { category: 'tea', within_days: 180 } },
      ],
    };
    expect(await byJson(criteria)).toEqual(['Chloé']);
    expect(await names({ criteria: JSON.stringify(criteria), status: 'active' })).toEqual([]);
    expect(await names({ criteria: JSON.stringify({ match: 'any', rules: [] }) })).toEqual([]);
    expect(await names({ criteria: JSON.stringify({ match: 'all', rules: [] }) })).toEqual([
      'Ann',
      'Bob',
      'Chloé',
    ]);
    expect(
      await names({
        query: 'tag = "vip"',
        criteria: JSON.stringify({
          match: 'all',
          not: true,
          rules: [{ field: 'company', op: 'contains', value: 'acme' }],
        }),
      }),
    ).toEqual(['Chloé']);
  });

  it('treats injection-looking strings as plain values', async () => {
    for (const evil of ["'; drop table customers; --", "' or '1'='1", '\\', '%', '_', '"', "') or true --"]) {
      expect(await byJson({ match: 'all', rules: [{ field: 'first_name', op: 'eq', value: evil }] })).toEqual(
        [],
      );
      expect(
        await byJson({ match: 'all', rules: [{ field: 'tags', op: 'has_any', value: [evil] }] }),
      ).toEqual([]);
      expect(
        await byJson({
          match: 'all',
          rules: [{ field: 'orders', op: 'purchased', value: { category: evil } }],
        }),
      ).toEqual([]);
      expect(await byText(`last_name CONTAINS ${JSON.stringify(evil)}`)).toEqual([]);
    }
    const n = await sql<{ n: string }>`select count(*) as n from customers`.execute(t.database.db);
    expect(Number(n.rows[0]!.n)).toBe(3);
  });
});

describe('bad criteria are a 400 naming the problem', () => {
  const bad = async (params: Record<string, string>) => {
    const res = await t.request({
      method: 'GET',
      url: `/api/crm/customers?${new URLSearchParams(params)}`,
      as: admin,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    return res.json<{ detail: string; errors: Array<{ field: string; message: string }> }>();
  };

  it('unknown field, wrong operator, wrong value: the path in the criteria', async () => {
    const p = await bad({
      criteria: JSON.stringify({
        match: 'all',
        rules: [
          { field: 'lifetime_value', op: 'gte', value: 1 },
          { field: 'colour', op: 'eq', value: 'red' },
          { match: 'any', rules: [{ field: 'lifetime_value', op: 'contains', value: 'x' }] },
          { field: 'total_orders', op: 'gt', value: 'many' },
        ],
      }),
    });
    expect(p.errors).toEqual([
      { field: 'criteria.rules[1].field', message: expect.stringMatching(/Unknown field "colour"/) },
      { field: 'criteria.rules[2].rules[0].op', message: expect.stringMatching(/"contains" is not allowed/) },
      { field: 'criteria.rules[3].value', message: expect.stringMatching(/expected a number/) },
    ]);
    expect((await bad({ criteria: '{not json' })).errors[0]!.field).toBe('criteria');
  });

  it('text errors carry the position', async () => {
    const p = await bad({ query: 'lifetime_value >= 500 AND colour = "red"' });
    expect(p.errors).toEqual([{ field: 'query', message: 'Unknown field "colour" (at position 26)' }]);
    expect((await bad({ query: 'created_at > "yesterday"' })).errors[0]).toMatchObject({
      field: 'query',
      message: expect.stringMatching(/created_at gt: expected a date/),
    });
    const count = await t.request({
      method: 'GET',
      url: '/api/crm/customers/count?query=tag%20%3D',
      as: admin,
    });
    expect(count.statusCode).toBe(400);
  });
});

describe('GET /api/crm/criteria/fields', () => {
  it('lists fields, operators and allowed values, with current tags and segments', async () => {
    const res = await t.request({ method: 'GET', url: '/api/crm/criteria/fields', as: agent });
    expect(res.statusCode).toBe(200);
    const { fields } = res.json<CriteriaFieldsResponse>();
    const by = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(by.lifecycle_stage).toMatchObject({
      type: 'enum',
      values: ['lead', 'customer', 'loyal', 'at_risk', 'lost'],
    });
    expect(by.tags).toMatchObject({
      type: 'tags',
      ops: ['has_any', 'has_all', 'has_none'],
      values: ['spam', 'VIP', 'wholesale'].sort(),
    });
    expect(by.segments!.options).toEqual([{ value: segmentId, label: 'Berlin' }]);
    expect(by.rfm_group!.values).toContain('cannot_lose');
    expect(Object.keys(by)).toEqual(
      expect.arrayContaining(['email_domain', 'owner', 'orders', 'spend_in_days']),
    );
    const anon = await t.request({ method: 'GET', url: '/api/crm/criteria/fields' });
    expect(anon.statusCode).toBe(401);
  });
});
