import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Customer,
  CustomerList,
  CustomerRow,
  CustomerSortField,
  TimelineEvent,
} from '../../../shared/customers.js';
import { customerSortFields } from '../../../shared/customers.js';
import type { Order } from '../../../shared/orders.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/**
 * The customer database over HTTP: the list (search, filters, every sort with keyset paging),
 * create, read, version-checked update, a customer's orders and timeline.
 */
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
let viewer: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  agent = await t.staff('agent');
  viewer = await t.staff('viewer');
});
afterAll(() => t?.close());

type Reply = Awaited<ReturnType<TestApp['request']>>;

async function get<T>(url: string, as: StaffHandle = admin): Promise<{ res: Reply; body: T }> {
  const res = await t.request({ method: 'GET', url, as });
  return { res, body: res.json<T>() };
}

async function create(payload: Record<string, unknown>, as: StaffHandle = admin) {
  const res = await t.request({ method: 'POST', url: '/api/crm/customers', as, payload });
  return { res, body: res.json<Customer & Problem>() };
}

async function put(id: string, payload: Record<string, unknown>, as: StaffHandle = admin) {
  const res = await t.request({ method: 'PUT', url: `/api/crm/customers/${id}`, as, payload });
  return { res, body: res.json<Customer & Problem>() };
}

/** Every customer the list returns for a query, one page (limit 200). */
async function listAll(query: string, as: StaffHandle = admin): Promise<CustomerList> {
  const { res, body } = await get<CustomerList>(`/api/crm/customers?limit=200&${query}`, as);
  expect(res.statusCode, res.body).toBe(200);
  expect(body.next_cursor).toBeNull();
  expect(body.total).toBe(body.data.length);
  return body;
}

const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

describe('the list', () => {
  // named customers for search and filters; more are generated below for sorting and paging
  const named: Record<string, Customer> = {};

  beforeAll(async () => {
    const people: Record<string, Record<string, unknown>> = {
      zoe: {
        first_name: 'Zoë',
        last_name: 'Adams',
        company: 'Acme',
        email: 'zoe.adams@example.com',
        phone: '+1 555-0100',
        addresses: [{ line1: '1 Hauptstraße', city: 'Berlin', country: 'de' }],
        acquisition_source: 'Instagram',
        owner_id: agent.id,
      },
      zoe2: { first_name: 'Zoe', last_name: 'Baker', company: 'Globex', email: 'zoe.baker@example.com' },
      anders: {
        first_name: 'Anders',
        last_name: 'Ångström',
        company: 'Nordic AB',
        email: 'anders@nordic.se',
        phone: '+46 8 123 456',
        addresses: [{ line1: 'Storgatan 1', city: 'Stockholm', country: 'SE' }],
        acquisition_source: 'instagram',
        owner_id: admin.id,
      },
      cotton: { company: '100% Cotton' },
      under: { first_name: 'Uma', company: 'Under_Score Ltd', customer_status: 'churned' },
      percy: {
        last_name: 'Percy',
        company: 'Percent and Underscore Co',
        customer_status: 'inactive',
        lifecycle_stage: 'customer',
      },
      loyal: { first_name: 'Lou', last_name: 'Yale', lifecycle_stage: 'loyal', email: 'lou@example.net' },
      risky: { first_name: 'Rita', lifecycle_stage: 'at_risk', email: 'rita@example.net' },
    };
    for (const [key, payload] of Object.entries(people)) {
      const { res, body } = await create(payload);
      expect(res.statusCode, res.body).toBe(201);
      named[key] = body;
    }
    // generated: repeated and missing names and companies, so sorts meet ties and NULLs
    const firsts = ['Alex', 'Sam', null, 'Kim', 'Sam'];
    const lasts = ['Smith', 'Jones', 'Smith', null, 'Brown', 'Smith'];
    const companies = ['Initech', null, 'Umbrella', null];
    for (let i = 0; i < 22; i++) {
      const payload: Record<string, unknown> = {
        first_name: firsts[i % firsts.length],
        last_name: lasts[i % lasts.length],
        company: companies[i % companies.length],
        ...(i % 7 === 3 ? {} : { email: `filler-${i}@example.org` }),
        ...(i % 2 === 0 ? { owner_id: agent.id } : {}),
      };
      if (!payload.first_name && !payload.last_name && !payload.company) payload.company = 'Fallback';
      const { res, body } = await create(payload);
      expect(res.statusCode, res.body).toBe(201);
      named[`filler${i}`] = body;
    }

    // orders: equal lifetime values, a cancelled and a pending order that do not count
    const order = (c: string, unit_price: number, placed_at: string, status = 'paid') =>
      makeOrder(t, admin, named[c]!.id, {
        status,
        placed_at,
        items: [{ sku: 'LIST-1', quantity: 1, unit_price }],
      });
    await order('zoe', 100, '2025-01-10T10:00:00Z');
    await order('zoe', 50, '2025-06-01T10:00:00Z');
    await order('zoe2', 150, '2024-03-03T10:00:00Z');
    await order('anders', 20, '2025-09-09T10:00:00Z');
    await order('anders', 500, '2025-10-10T10:00:00Z', 'cancelled');
    await order('cotton', 30, '2025-02-02T10:00:00Z', 'pending');
    for (let i = 0; i < 6; i++) await order(`filler${i}`, 10 * (i % 3) + 5, `2025-0${i + 1}-15T08:00:00Z`);

    // equal timestamps, so the id tie-breaker decides the order
    const ids = (keys: string[]) => keys.map((k) => named[k]!.id);
    await sql`update customers set created_at = '2024-01-01T00:00:00Z', updated_at = '2024-01-01T00:00:00Z',
              acquisition_date = '2023-01-01T00:00:00Z'
              where id in (${sql.join(ids(['filler0', 'filler1', 'filler2', 'filler3', 'cotton']))})`.execute(
      t.database.db,
    );
    await sql`update customers set created_at = '2023-06-15T12:00:00Z', acquisition_date = '2023-06-15T12:00:00Z'
              where id in (${sql.join(ids(['filler4', 'filler5', 'zoe2']))})`.execute(t.database.db);
  });

  /** Walks every page of one sort; returns the ids in list order and the rows. */
  async function walk(
    sort: CustomerSortField,
    order: 'asc' | 'desc',
    limit: number,
    extra = '',
    as: StaffHandle = admin,
  ) {
    const rows: CustomerRow[] = [];
    let cursor: string | null = null;
    let total: number | undefined;
    for (let page = 0; page < 200; page++) {
      const url: string = `/api/crm/customers?sort=${sort}&order=${order}&limit=${limit}${extra}${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`;
      const { res, body } = await get<CustomerList>(url, as);
      expect(res.statusCode, res.body).toBe(200);
      total ??= body.total;
      expect(body.total).toBe(total);
      expect(body.data.length).toBeLessThanOrEqual(limit);
      if (body.next_cursor) expect(body.data.length).toBe(limit);
      rows.push(...body.data);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    return { rows, total: total! };
  }

  /** The order the database itself gives for this sort: NULLs last, id breaking ties. */
  async function expectedOrder(sort: CustomerSortField, order: 'asc' | 'desc') {
    const dir = sql.raw(order);
    const result = await sql<{ id: string }>`
      select id::text as id from customers join customer_metrics on customer_id = id
      order by ${sql.ref(sort)} ${dir} nulls last, id ${dir}`.execute(t.database.db);
    return result.rows.map((r) => r.id);
  }

  const comparable = (row: CustomerRow, sort: CustomerSortField): number | string | null => {
    const v = row[sort as keyof CustomerRow];
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return v;
    if (/_at$|_date$/.test(sort)) return Date.parse(String(v));
    return String(v);
  };

  const cases = customerSortFields.flatMap((sort) =>
    (['asc', 'desc'] as const).map((o) => [sort, o] as const),
  );

  it.each(cases)('sorted by %s %s, paging walks every customer once, in order', async (sort, order) => {
    const { rows, total } = await walk(sort, order, 4);
    const ids = rows.map((r) => r.id);
    const count = await t.database.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(total).toBe(Number(count.n));
    expect(new Set(ids).size).toBe(ids.length); // no duplicates
    expect(ids).toEqual(await expectedOrder(sort, order)); // no gaps, same order

    // and independently of the database: values move one way, NULLs come last
    const values = rows.map((r) => comparable(r, sort));
    const firstNull = values.indexOf(null);
    if (firstNull >= 0) expect(values.slice(firstNull).every((v) => v === null)).toBe(true);
    const present = values.filter((v) => v !== null);
    if (typeof present[0] === 'number') {
      for (let i = 1; i < present.length; i++) {
        const [a, b] = [present[i - 1] as number, present[i] as number];
        expect(order === 'asc' ? a <= b : a >= b, `${sort} ${order} at ${i}`).toBe(true);
      }
    }
  });

  it('nullable sorts really meet NULLs, and numeric sorts really meet ties', async () => {
    const all = await t.database.db
      .selectFrom('customers')
      .innerJoin('customer_metrics', 'customer_metrics.customer_id', 'customers.id')
      .selectAll()
      .execute();
    for (const col of ['last_name', 'first_name', 'company', 'email', 'last_order_date'] as const) {
      expect(
        all.some((c) => c[col] === null),
        col,
      ).toBe(true);
    }
    const ltv = all.map((c) => Number(c.lifetime_value)).filter((v) => v > 0);
    expect(new Set(ltv).size).toBeLessThan(ltv.length);
  });

  it('pages with a limit of 1 and of 200 agree with each other', async () => {
    const one = await walk('last_name', 'asc', 1);
    const all = await walk('last_name', 'asc', 200);
    expect(one.rows.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
  });

  it('paging a filtered, searched list keeps to the filter', async () => {
    const { rows, total } = await walk('lifetime_value', 'desc', 2, '&q=example&owner_id=me', agent);
    expect(rows.length).toBe(total);
    expect(total).toBeGreaterThan(4);
    const byAgent = await listAll(`q=example&owner_id=${agent.id}`);
    expect(idsOf(rows)).toEqual(idsOf(byAgent.data));
    const values = rows.map((r) => r.lifetime_value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    // "me" is whoever asks: the admin owns only Anders, who has no example address
    const { total: adminTotal } = await walk('lifetime_value', 'desc', 2, '&q=example&owner_id=me');
    expect(adminTotal).toBe(0);
  });

  it('defaults to newest first, 50 a page', async () => {
    const { body } = await get<CustomerList>('/api/crm/customers');
    const expected = await expectedOrder('created_at', 'desc');
    expect(body.data.map((r) => r.id)).toEqual(expected.slice(0, 50));
    expect(body.total).toBe(expected.length);
  });

  it('list rows carry the primary contact and the owner at the top level', async () => {
    const { data } = await listAll('q=zoe.adams');
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      first_name: 'Zoë',
      last_name: 'Adams',
      email: 'zoe.adams@example.com',
      phone: '+1 555-0100',
      company: 'Acme',
      country: 'DE',
      total_orders: 2,
      lifetime_value: 150,
      average_order_value: 75,
      last_order_date: '2025-06-01T10:00:00.000Z',
      first_order_date: '2025-01-10T10:00:00.000Z',
      owner: { id: agent.id, email: agent.email },
    });
  });

  describe('search', () => {
    const search = async (q: string) => listAll(`q=${encodeURIComponent(q)}`).then((l) => idsOf(l.data));
    const ids = (...keys: string[]) => keys.map((k) => named[k]!.id).sort();

    it('ignores case and accents both ways', async () => {
      expect(await search('zoe')).toEqual(ids('zoe', 'zoe2'));
      expect(await search('ZOË')).toEqual(ids('zoe', 'zoe2'));
      expect(await search('ANGSTR')).toEqual(ids('anders'));
      expect(await search('ångström')).toEqual(ids('anders'));
    });

    it('finds substrings of names, emails, phones and companies', async () => {
      expect(await search('dams')).toEqual(ids('zoe'));
      expect(await search('nordic.se')).toEqual(ids('anders'));
      expect(await search('anders@')).toEqual(ids('anders'));
      expect(await search('5550100')).toEqual(ids('zoe'));
      expect(await search('555-0100')).toEqual(ids('zoe'));
      expect(await search('+46 8 123')).toEqual(ids('anders'));
      expect(await search('glob')).toEqual(ids('zoe2'));
    });

    it('every word must match', async () => {
      expect(await search('zoe acme')).toEqual(ids('zoe'));
      expect(await search('  acme   zoe ')).toEqual(ids('zoe'));
      expect(await search('zoe initech')).toEqual([]);
    });

    it('LIKE wildcards are literal characters', async () => {
      expect(await search('%')).toEqual(ids('cotton'));
      expect(await search('_')).toEqual(ids('under'));
      expect(await search('under_score')).toEqual(ids('under'));
      expect(await search('100%')).toEqual(ids('cotton'));
      expect(await search('\\')).toEqual([]);
    });

    it('a blank search is no search', async () => {
      const all = await listAll('');
      expect(await search('   ')).toEqual(idsOf(all.data));
    });

    it('a search longer than 200 characters is a 400', async () => {
      const { res, body } = await get<Problem>(`/api/crm/customers?q=${'a'.repeat(201)}`);
      expect(res.statusCode).toBe(400);
      expect(body.errors?.[0]?.field).toBe('q');
    });
  });

  describe('filters', () => {
    /** The filter's result must be exactly the rows the predicate picks, and neither none nor all. */
    async function expectFilter(query: string, pick: (c: Record<string, unknown>) => boolean, as = admin) {
      const all = await t.database.db
        .selectFrom('customers')
        .innerJoin('customer_metrics', 'customer_metrics.customer_id', 'customers.id')
        .selectAll()
        .execute();
      const expected = all.filter((c) => pick(c as unknown as Record<string, unknown>));
      expect(expected.length, `${query} picks some`).toBeGreaterThan(0);
      expect(expected.length, `${query} picks not all`).toBeLessThan(all.length);
      const list = await listAll(query, as);
      expect(idsOf(list.data), query).toEqual(idsOf(expected));
    }

    it('status, one or several (comma-separated or repeated)', async () => {
      await expectFilter('status=churned', (c) => c.customer_status === 'churned');
      await expectFilter('status=churned,inactive', (c) =>
        ['churned', 'inactive'].includes(String(c.customer_status)),
      );
      await expectFilter('status=churned&status=inactive', (c) =>
        ['churned', 'inactive'].includes(String(c.customer_status)),
      );
      await expectFilter('status=active', (c) => c.customer_status === 'active');
    });

    it('lifecycle stage', async () => {
      await expectFilter('lifecycle_stage=loyal,at_risk', (c) =>
        ['loyal', 'at_risk'].includes(String(c.lifecycle_stage)),
      );
      await expectFilter('lifecycle_stage=customer', (c) => c.lifecycle_stage === 'customer');
    });

    it('lifetime value range, bounds included', async () => {
      await expectFilter('min_lifetime_value=150', (c) => Number(c.lifetime_value) >= 150);
      await expectFilter('min_lifetime_value=10&max_lifetime_value=25', (c) => {
        const v = Number(c.lifetime_value);
        return v >= 10 && v <= 25;
      });
      await expectFilter('max_lifetime_value=0', (c) => Number(c.lifetime_value) === 0);
    });

    it('order-count range', async () => {
      await expectFilter('min_orders=2', (c) => Number(c.total_orders) >= 2);
      await expectFilter('min_orders=1&max_orders=1', (c) => Number(c.total_orders) === 1);
      await expectFilter('max_orders=0', (c) => Number(c.total_orders) === 0);
    });

    it('last order dates: after inclusive, before exclusive; no orders never matches', async () => {
      const last = (c: Record<string, unknown>) => (c.last_order_date as Date | null)?.getTime();
      await expectFilter(
        'last_order_after=2025-06-01T10:00:00Z',
        (c) => (last(c) ?? 0) >= Date.parse('2025-06-01T10:00:00Z'),
      );
      await expectFilter('last_order_before=2025-03-01', (c) => {
        const v = last(c);
        return v !== undefined && v < Date.parse('2025-03-01T00:00:00Z');
      });
      await expectFilter('last_order_after=2025-01-01&last_order_before=2025-07-01', (c) => {
        const v = last(c);
        return v !== undefined && v >= Date.parse('2025-01-01') && v < Date.parse('2025-07-01');
      });
    });

    it('created dates', async () => {
      const created = (c: Record<string, unknown>) => (c.created_at as Date).getTime();
      await expectFilter('created_before=2024-01-01', (c) => created(c) < Date.parse('2024-01-01T00:00:00Z'));
      await expectFilter('created_after=2024-01-01&created_before=2024-01-02', (c) => {
        const v = created(c);
        return v >= Date.parse('2024-01-01T00:00:00Z') && v < Date.parse('2024-01-02T00:00:00Z');
      });
      await expectFilter(
        'created_after=2025-01-01T00:00:00%2B02:00',
        (c) => created(c) >= Date.parse('2024-12-31T22:00:00Z'),
      );
    });

    it('acquisition source, case-insensitively', async () => {
      await expectFilter(
        'acquisition_source=INSTAGRAM',
        (c) => String(c.acquisition_source).toLowerCase() === 'instagram',
      );
    });

    it('owner: a staff id, none, or me', async () => {
      await expectFilter(`owner_id=${agent.id}`, (c) => c.owner_id === agent.id);
      await expectFilter('owner_id=none', (c) => c.owner_id === null);
      await expectFilter('owner_id=me', (c) => c.owner_id === agent.id, agent);
      await expectFilter('owner_id=me', (c) => c.owner_id === admin.id, admin);
      const nobody = await listAll('owner_id=00000000-0000-4000-8000-000000000000');
      expect(nobody.data).toEqual([]);
    });

    it('country of the primary address, any case', async () => {
      await expectFilter('country=de', (c) => c.country === 'DE');
      await expectFilter('country=SE', (c) => c.country === 'SE');
    });

    it('filters combine with AND', async () => {
      await expectFilter(
        `owner_id=${agent.id}&min_orders=1&q=example`,
        (c) =>
          c.owner_id === agent.id && Number(c.total_orders) >= 1 && String(c.email ?? '').includes('example'),
      );
    });

    it.each([
      ['status=gone', 'status'],
      ['lifecycle_stage=newbie', 'lifecycle_stage'],
      ['min_lifetime_value=-1', 'min_lifetime_value'],
      ['max_lifetime_value=lots', 'max_lifetime_value'],
      ['min_orders=1.5', 'min_orders'],
      ['max_orders=-2', 'max_orders'],
      ['last_order_after=yesterday', 'last_order_after'],
      ['last_order_before=2025-13-01', 'last_order_before'],
      ['created_after=01/02/2025', 'created_after'],
      ['created_before=soon', 'created_before'],
      ['owner_id=someone', 'owner_id'],
      ['country=Germany', 'country'],
      ['sort=password', 'sort'],
      ['order=sideways', 'order'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
    ])('%s is a 400 naming %s', async (query, field) => {
      const { res, body } = await get<Problem>(`/api/crm/customers?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(body.code).toBe('validation_failed');
      expect(body.errors?.map((e) => e.field.replace(/\[\d+\]$/, ''))).toContain(field);
    });

    it('limit 200 is allowed', async () => {
      const { res } = await get<CustomerList>('/api/crm/customers?limit=200');
      expect(res.statusCode).toBe(200);
    });
  });

  describe('cursors', () => {
    it('a garbled cursor is a 400 naming `cursor`', async () => {
      for (const cursor of ['garbage', 'eyJ4IjoxfQ', '%%%']) {
        const { res, body } = await get<Problem>(`/api/crm/customers?cursor=${encodeURIComponent(cursor)}`);
        expect(res.statusCode).toBe(400);
        expect(body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    });

    it('a cursor reused with another sort or order is a 400', async () => {
      const first = await get<CustomerList>('/api/crm/customers?sort=last_name&order=asc&limit=2');
      const cursor = encodeURIComponent(first.body.next_cursor!);
      const ok = await get<CustomerList>(
        `/api/crm/customers?sort=last_name&order=asc&limit=2&cursor=${cursor}`,
      );
      expect(ok.res.statusCode).toBe(200);
      for (const other of ['sort=company&order=asc', 'sort=last_name&order=desc', '']) {
        const { res, body } = await get<Problem>(`/api/crm/customers?${other}&limit=2&cursor=${cursor}`);
        expect(res.statusCode, other).toBe(400);
        expect(body.errors?.[0]?.field).toBe('cursor');
      }
    });
  });
});

describe('creating a customer', () => {
  it('answers 201 with the stored profile; email and phone shorthands become the primary contacts', async () => {
    const { res, body } = await create({
      first_name: '  Ada ',
      last_name: 'Lovelace',
      company: 'Analytical Engines',
      email: 'Ada@Engines.example',
      phone: '+44 20 7946 0000',
      emails: [{ email: 'ada.work@engines.example', label: 'work', is_primary: true }],
      phones: [{ phone: '020 7946 0001', label: 'home' }],
      addresses: [
        { line1: '12 St James Sq', city: 'London', country: 'gb', label: 'home' },
        { line1: '1 Other Rd', city: 'Paris', country: 'FR', is_primary: true },
      ],
      customer_status: 'active',
      lifecycle_stage: 'customer',
      acquisition_source: 'referral',
      acquisition_date: '2024-02-03T04:05:06Z',
      preferred_contact_method: 'phone',
      communication_preferences: { email: { marketing: false }, do_not_contact: false },
      owner_id: agent.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(body).toMatchObject({
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'Ada@Engines.example',
      phone: '+44 20 7946 0000',
      country: 'FR',
      customer_status: 'active',
      lifecycle_stage: 'customer',
      acquisition_source: 'referral',
      acquisition_date: '2024-02-03T04:05:06.000Z',
      preferred_contact_method: 'phone',
      communication_preferences: { email: { marketing: false }, do_not_contact: false },
      owner: { id: agent.id, email: agent.email },
      version: 1,
      total_orders: 0,
      lifetime_value: 0,
      recent_orders: [],
    });
    expect(body.emails.map((e) => [e.email, e.is_primary])).toEqual([
      ['Ada@Engines.example', true],
      ['ada.work@engines.example', false],
    ]);
    expect(body.phones.map((p) => [p.phone, p.is_primary])).toEqual([
      ['+44 20 7946 0000', true],
      ['020 7946 0001', false],
    ]);
    expect(body.addresses.filter((a) => a.is_primary).map((a) => a.city)).toEqual(['Paris']);
    expect(body.addresses.find((a) => a.city === 'London')?.country).toBe('GB');

    const stored = await t.database.db
      .selectFrom('customers as c')
      .innerJoin('customer_metrics as m', 'm.customer_id', 'c.id')
      .select(['c.email', 'c.phone', 'm.country', 'c.version'])
      .where('c.id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      email: 'Ada@Engines.example',
      phone: '+44 20 7946 0000',
      country: 'FR',
      version: 1,
    });
    const reread = await get<Customer>(`/api/crm/customers/${body.id}`);
    expect(reread.body).toEqual(body);
  });

  it('defaults a new customer to a prospect lead, contacted by email', async () => {
    const { res, body } = await create({ company: 'Only A Company' });
    expect(res.statusCode).toBe(201);
    expect(body).toMatchObject({
      customer_status: 'prospect',
      lifecycle_stage: 'lead',
      preferred_contact_method: 'email',
      email: null,
      phone: null,
      country: null,
      owner: null,
      emails: [],
    });
    const timeline = await get<{ data: TimelineEvent[] }>(`/api/crm/customers/${body.id}/timeline`);
    expect(timeline.body.data.map((e) => e.kind)).toEqual(['customer_created']);
    expect(timeline.body.data[0]!.actor).toMatchObject({ id: admin.id });
  });

  it('the first email marked primary wins when there is no shorthand; else the first one', async () => {
    const marked = await create({
      first_name: 'P',
      emails: [
        { email: 'p1@prim.example' },
        { email: 'p2@prim.example', is_primary: true },
        { email: 'p3@prim.example', is_primary: true },
      ],
    });
    expect(marked.body.email).toBe('p2@prim.example');
    expect(marked.body.emails.filter((e) => e.is_primary).map((e) => e.email)).toEqual(['p2@prim.example']);
    const unmarked = await create({
      first_name: 'Q',
      emails: [{ email: 'q1@prim.example' }, { email: 'q2@prim.example' }],
    });
    expect(unmarked.body.email).toBe('q1@prim.example');
  });

  it('a duplicate email is a 409 naming the field, whatever its case', async () => {
    await create({ first_name: 'Orig', email: 'taken@dupe.example' });
    const again = await create({ first_name: 'Copy', email: 'TAKEN@dupe.example' });
    expect(again.res.statusCode).toBe(409);
    expect(again.body).toMatchObject({ code: 'duplicate', errors: [{ field: 'email' }] });
    const inList = await create({
      first_name: 'Copy',
      emails: [{ email: 'free@dupe.example' }, { email: 'taken@dupe.example' }],
    });
    expect(inList.res.statusCode).toBe(409);
    expect(inList.body.errors?.[0]?.field).toBe('emails[1].email');
    const behindShorthand = await create({
      first_name: 'Copy',
      email: 'free@dupe.example',
      emails: [{ email: 'taken@dupe.example' }],
    });
    expect(behindShorthand.res.statusCode).toBe(409);
    expect(behindShorthand.body.errors?.[0]?.field).toBe('emails[0].email');
    const shorthandTaken = await create({
      first_name: 'Copy',
      email: 'taken@dupe.example',
      emails: [{ email: 'free@dupe.example' }],
    });
    expect(shorthandTaken.body.errors?.[0]?.field).toBe('email');
    // nothing of the refused customers was kept
    const copies = await t.database.db
      .selectFrom('customers')
      .select('id')
      .where('first_name', '=', 'Copy')
      .execute();
    expect(copies).toEqual([]);
    const free = await t.database.db
      .selectFrom('customer_emails')
      .select('id')
      .where('email', '=', 'free@dupe.example')
      .execute();
    expect(free).toEqual([]);
  });

  it('the same email listed twice is a 400 naming the second', async () => {
    const twice = await create({
      first_name: 'T',
      emails: [{ email: 'twice@x.example' }, { email: 'Twice@X.example' }],
    });
    expect(twice.res.statusCode).toBe(400);
    expect(twice.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'emails[1].email' }] });
    const withShorthand = await create({
      first_name: 'T',
      email: 'one@x.example',
      emails: [{ email: 'two@x.example' }, { email: 'TWO@x.example' }],
    });
    expect(withShorthand.res.statusCode).toBe(400);
    expect(withShorthand.body.errors?.[0]?.field).toBe('emails[1].email');
  });

  it('the shorthand email repeated in the list is one email, not two', async () => {
    const { res, body } = await create({
      first_name: 'S',
      email: 'same@x.example',
      emails: [{ email: 'SAME@x.example' }],
    });
    expect(res.statusCode).toBe(201);
    expect(body.emails).toHaveLength(1);
  });

  it.each([
    [{ first_name: 'X', email: 'not-an-email' }, 'email'],
    [{ first_name: 'X', emails: [{ email: 'a@b.example' }, { email: 'nope' }] }, 'emails[1].email'],
    [{ first_name: 'X', phone: 'call me' }, 'phone'],
    [{ first_name: 'X', phones: [{ phone: '12' }] }, 'phones[0].phone'],
    [{ first_name: 'X', addresses: [{ line1: 'a', city: 'b', country: 'Germany' }] }, 'addresses[0].country'],
    [{ first_name: 'X', addresses: [{ line1: '', city: 'b', country: 'DE' }] }, 'addresses[0].line1'],
    [{ first_name: 'X', customer_status: 'vip' }, 'customer_status'],
    [{ first_name: 'X', lifecycle_stage: 'whale' }, 'lifecycle_stage'],
    [{ first_name: 'X', preferred_contact_method: 'pigeon' }, 'preferred_contact_method'],
    [{ first_name: 'X', acquisition_date: 'last week' }, 'acquisition_date'],
    [{ first_name: 'X', owner_id: 'bob' }, 'owner_id'],
    [{ first_name: 'X', communication_preferences: { fax: true } }, 'communication_preferences'],
    [{ first_name: 'x'.repeat(101) }, 'first_name'],
    [{}, 'first_name'],
    [{ first_name: '', company: '' }, 'first_name'],
  ])('%j is a 400 naming %s', async (payload, field) => {
    const { res, body } = await create(payload);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(body.errors?.map((e) => e.field)).toContain(field);
  });

  it('an owner that is not a staff user is a 400 naming owner_id', async () => {
    const { res, body } = await create({ first_name: 'O', owner_id: '00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(400);
    expect(body.errors).toEqual([{ field: 'owner_id', message: expect.any(String) }]);
  });

  it('no body at all is a 400', async () => {
    const res = await t.request({ method: 'POST', url: '/api/crm/customers', as: admin });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().code).toBe('validation_failed');
  });

  it('a viewer may not create customers', async () => {
    const { res } = await create({ first_name: 'V' }, viewer);
    expect(res.statusCode).toBe(403);
  });
});

describe('reading a customer', () => {
  it('an unknown id is a 404, a malformed one a 400', async () => {
    for (const path of ['', '/orders', '/timeline']) {
      const missing = await get<Problem>(`/api/crm/customers/00000000-0000-4000-8000-000000000000${path}`);
      expect(missing.res.statusCode, path).toBe(404);
      expect(missing.body.code).toBe('not_found');
      const bad = await get<Problem>(`/api/crm/customers/12345${path}`);
      expect(bad.res.statusCode, path).toBe(400);
      expect(bad.body.errors?.[0]?.field).toBe('id');
    }
    const put404 = await put('00000000-0000-4000-8000-000000000000', { version: 1, first_name: 'x' });
    expect(put404.res.statusCode).toBe(404);
  });

  it('shows recent orders, newest first, at most five', async () => {
    const c = await makeCustomer(t, admin);
    for (let i = 1; i <= 7; i++) await makeOrder(t, admin, c.id, { placed_at: `2025-03-0${i}T12:00:00Z` });
    const { body } = await get<Customer>(`/api/crm/customers/${c.id}`);
    expect(body.recent_orders.map((o) => o.placed_at)).toEqual(
      [7, 6, 5, 4, 3].map((d) => `2025-03-0${d}T12:00:00.000Z`),
    );
    expect(body.total_orders).toBe(7);
  });

  it('masks contact details and street lines for a viewer', async () => {
    const c = await makeCustomer(t, admin, {
      email: 'private@mask.example',
      phone: '+1 555 123 4567',
      addresses: [
        { line1: '9 Secret Lane', line2: 'Flat 2', postal_code: 'AB1 2CD', city: 'Leeds', country: 'GB' },
      ],
    });
    const { body } = await get<Customer>(`/api/crm/customers/${c.id}`, viewer);
    expect(body.email).toBe('p***@mask.example');
    expect(body.emails[0]!.email).toBe('p***@mask.example');
    expect(body.phone).toBe('***67');
    expect(body.phones[0]!.phone).toBe('***67');
    expect(body.addresses[0]).toMatchObject({
      line1: '***',
      line2: '***',
      postal_code: '***',
      city: 'Leeds',
    });
    expect(JSON.stringify(body)).not.toMatch(/private@|Secret Lane|123 4567|5551234567/);
  });
});

describe('updating a customer', () => {
  it('needs the version; answers the new record with the version incremented', async () => {
    const c = await makeCustomer(t, admin, { company: 'Before Ltd' });
    const { res, body } = await put(c.id, { version: c.version, first_name: 'Renamed', company: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(body).toMatchObject({ first_name: 'Renamed', company: null, version: c.version + 1 });
    const missing = await put(c.id, { first_name: 'No version' });
    expect(missing.res.statusCode).toBe(400);
    expect(missing.body.errors?.[0]?.field).toBe('version');
  });

  it('contact lists replace the stored ones; the primary is flattened to the top level', async () => {
    const c = await makeCustomer(t, admin, { email: 'old@replace.example', phone: '+1 555 000 1111' });
    const { res, body } = await put(c.id, {
      version: c.version,
      emails: [{ email: 'second@replace.example' }, { email: 'first@replace.example', is_primary: true }],
      phones: [{ phone: '+49 30 1234567', label: 'office' }],
      addresses: [{ line1: 'Unter den Linden 1', city: 'Berlin', country: 'de', is_primary: true }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(body).toMatchObject({ email: 'first@replace.example', phone: '+49 30 1234567', country: 'DE' });
    expect(body.emails.map((e) => e.email).sort()).toEqual([
      'first@replace.example',
      'second@replace.example',
    ]);
    expect(body.phones).toEqual([
      { id: expect.any(String), phone: '+49 30 1234567', label: 'office', is_primary: true },
    ]);
    const gone = await t.database.db
      .selectFrom('customer_emails')
      .select('id')
      .where('email', '=', 'old@replace.example')
      .execute();
    expect(gone).toEqual([]);
    // the old email is free again; the new ones are found by search
    const other = await create({ first_name: 'Reuse', email: 'old@replace.example' });
    expect(other.res.statusCode).toBe(201);
    const found = await listAll('q=second@replace');
    expect(found.data.map((r) => r.id)).toEqual([c.id]);
    // emptied lists clear the top-level contact
    const cleared = await put(c.id, { version: body.version, emails: [], phones: [], addresses: [] });
    expect(cleared.body).toMatchObject({
      email: null,
      phone: null,
      country: null,
      emails: [],
      phones: [],
      addresses: [],
    });
  });

  it('records a profile_updated event with each change before and after', async () => {
    const c = await makeCustomer(t, admin, {
      first_name: 'Old',
      email: 'events@upd.example',
      customer_status: 'prospect',
    });
    const updated = await put(c.id, {
      version: c.version,
      first_name: 'New',
      customer_status: 'active',
      owner_id: agent.id,
      emails: [{ email: 'events2@upd.example' }],
      communication_preferences: { do_not_contact: true },
    });
    expect(updated.res.statusCode, updated.res.body).toBe(200);
    expect(updated.body.owner).toMatchObject({ id: agent.id });
    const timeline = await get<{ data: TimelineEvent[] }>(
      `/api/crm/customers/${c.id}/timeline?kind=profile_updated`,
    );
    expect(timeline.body.data).toHaveLength(1);
    const event = timeline.body.data[0]!;
    expect(event.actor).toEqual({ id: admin.id, name: expect.any(String) });
    const changes = event.data.changes as Record<string, { from: unknown; to: unknown }>;
    expect(changes.first_name).toEqual({ from: 'Old', to: 'New' });
    expect(changes.customer_status).toEqual({ from: 'prospect', to: 'active' });
    expect(changes.owner_id).toEqual({ from: null, to: agent.id });
    expect(changes.communication_preferences).toEqual({ from: {}, to: { do_not_contact: true } });
    expect(changes.emails).toEqual({
      from: [{ email: 'events@upd.example', label: null, is_primary: true }],
      to: [{ email: 'events2@upd.example', label: null, is_primary: true }],
    });
    expect(event.summary).toContain('first name');

    // a viewer sees that contacts changed, not what they were
    const masked = await get<{ data: TimelineEvent[] }>(
      `/api/crm/customers/${c.id}/timeline?kind=profile_updated`,
      viewer,
    );
    const maskedChanges = masked.body.data[0]!.data.changes as Record<string, unknown>;
    expect(maskedChanges.emails).toEqual({ from: '***', to: '***' });
    expect(maskedChanges.first_name).toEqual({ from: 'Old', to: 'New' });
    expect(JSON.stringify(masked.body)).not.toContain('events2@upd.example');
  });

  it('a save that changes nothing bumps the version but writes no event', async () => {
    const c = await makeCustomer(t, admin, { first_name: 'Same' });
    const { body } = await put(c.id, { version: c.version, first_name: 'Same' });
    expect(body.version).toBe(c.version + 1);
    const timeline = await get<{ data: TimelineEvent[] }>(
      `/api/crm/customers/${c.id}/timeline?kind=profile_updated`,
    );
    expect(timeline.body.data).toEqual([]);
  });

  it('a stale version is a 409 carrying the current record', async () => {
    const c = await makeCustomer(t, admin, { first_name: 'First' });
    const won = await put(c.id, { version: c.version, first_name: 'Second' });
    expect(won.res.statusCode).toBe(200);
    const stale = await put(c.id, { version: c.version, first_name: 'Third' });
    expect(stale.res.statusCode).toBe(409);
    expect(stale.res.headers['content-type']).toContain('application/problem+json');
    expect(stale.body).toMatchObject({
      code: 'version_conflict',
      errors: [{ field: 'version' }],
      current: { id: c.id, first_name: 'Second', version: c.version + 1 },
    });
    expect((stale.body.current as Customer).emails).toHaveLength(1);
    const { body } = await get<Customer>(`/api/crm/customers/${c.id}`);
    expect(body.first_name).toBe('Second');
  });

  it('of two concurrent saves of the same version exactly one wins', async () => {
    const c = await makeCustomer(t, admin, { first_name: 'Race' });
    const results = await Promise.all(
      ['Left', 'Right', 'Middle'].map((name) => put(c.id, { version: c.version, first_name: name })),
    );
    const statuses = results.map((r) => r.res.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const winner = results.find((r) => r.res.statusCode === 200)!.body;
    const { body } = await get<Customer>(`/api/crm/customers/${c.id}`);
    expect(body).toMatchObject({ first_name: winner.first_name, version: c.version + 1 });
  });

  it('email clashes: another customer’s email is a 409, a repeated one a 400', async () => {
    const a = await makeCustomer(t, admin, { email: 'a@clash.example' });
    const b = await makeCustomer(t, admin, { email: 'b@clash.example' });
    const taken = await put(b.id, {
      version: b.version,
      emails: [{ email: 'b@clash.example' }, { email: 'A@clash.example' }],
    });
    expect(taken.res.statusCode).toBe(409);
    expect(taken.body.errors?.[0]?.field).toBe('emails[1].email');
    const twice = await put(b.id, {
      version: b.version,
      emails: [{ email: 'x@clash.example' }, { email: 'X@clash.example' }],
    });
    expect(twice.res.statusCode).toBe(400);
    // keeping one's own email is fine
    const own = await put(a.id, { version: a.version, emails: [{ email: 'A@CLASH.example' }] });
    expect(own.res.statusCode).toBe(200);
  });

  it('an unknown owner is a 400; null clears the owner', async () => {
    const c = await makeCustomer(t, admin, { owner_id: agent.id });
    const bad = await put(c.id, { version: c.version, owner_id: '00000000-0000-4000-8000-000000000000' });
    expect(bad.res.statusCode).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('owner_id');
    const cleared = await put(c.id, { version: c.version, owner_id: null });
    expect(cleared.res.statusCode).toBe(200);
    expect(cleared.body.owner).toBeNull();
  });

  it('a viewer cannot change anything, contacts included', async () => {
    const c = await makeCustomer(t, admin, { email: 'keep@viewer.example' });
    const { res } = await put(
      c.id,
      { version: c.version, emails: [{ email: 'hijack@viewer.example' }] },
      viewer,
    );
    expect(res.statusCode).toBe(403);
    const { body } = await get<Customer>(`/api/crm/customers/${c.id}`);
    expect(body).toMatchObject({ email: 'keep@viewer.example', version: c.version });
  });

  it('an agent may change contacts (agents hold customers:pii)', async () => {
    const c = await makeCustomer(t, admin, { email: 'agent@contacts.example' });
    const { res, body } = await put(
      c.id,
      { version: c.version, emails: [{ email: 'agent2@contacts.example' }] },
      agent,
    );
    expect(res.statusCode).toBe(200);
    expect(body.email).toBe('agent2@contacts.example');
  });
});

describe('a customer’s orders and timeline', () => {
  let c: Customer;
  let orders: Order[];

  beforeAll(async () => {
    c = await makeCustomer(t, admin, { first_name: 'History' });
    orders = [];
    for (let i = 1; i <= 5; i++) {
      orders.push(
        await makeOrder(t, admin, c.id, {
          external_id: `HIST-${i}`,
          placed_at: `2025-0${i}-01T09:00:00Z`,
          items: [
            { sku: `HIST-A`, quantity: i, unit_price: 2 },
            { sku: `HIST-B`, quantity: 1, unit_price: 0.5 },
          ],
        }),
      );
    }
    await makeOrder(t, admin, (await makeCustomer(t, admin)).id); // someone else's
    const patched = await t.request({
      method: 'PATCH',
      url: `/api/orders/${orders[1]!.id}`,
      as: admin,
      payload: { status: 'refunded' },
    });
    expect(patched.statusCode).toBe(200);
    await put(c.id, {
      version: (await get<Customer>(`/api/crm/customers/${c.id}`)).body.version,
      last_name: 'Kept',
    });
  });

  it('lists the orders, newest first, with items, page by page', async () => {
    const seen: Order[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/crm/customers/${c.id}/orders?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { res, body } = await get<{ data: Order[]; next_cursor: string | null }>(url);
      expect(res.statusCode, res.body).toBe(200);
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data);
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen.map((o) => o.external_id)).toEqual(['HIST-5', 'HIST-4', 'HIST-3', 'HIST-2', 'HIST-1']);
    expect(seen.every((o) => o.customer_id === c.id)).toBe(true);
    const third = seen.find((o) => o.external_id === 'HIST-3')!;
    expect(third.items.map((i) => [i.sku, i.quantity, i.unit_price, i.line_total])).toEqual([
      ['HIST-A', 3, 2, 6],
      ['HIST-B', 1, 0.5, 0.5],
    ]);
    expect(third).toMatchObject({ total: 6.5, item_count: 4 });
    expect(seen.find((o) => o.external_id === 'HIST-2')!.status).toBe('refunded');
  });

  it('orders: default page of 20, bad limits and cursors are 400s', async () => {
    const { body } = await get<{ data: Order[]; next_cursor: null }>(`/api/crm/customers/${c.id}/orders`);
    expect(body.data).toHaveLength(5);
    expect(body.next_cursor).toBeNull();
    for (const q of ['limit=0', 'limit=201', 'cursor=nope']) {
      const { res } = await get<Problem>(`/api/crm/customers/${c.id}/orders?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
  });

  it('the timeline is newest first: orders, status changes, edits and the creation', async () => {
    const { res, body } = await get<{ data: TimelineEvent[]; next_cursor: string | null }>(
      `/api/crm/customers/${c.id}/timeline`,
    );
    expect(res.statusCode).toBe(200);
    const kinds = body.data.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'order_placed')).toHaveLength(5);
    expect(kinds).toContain('order_status_changed');
    expect(kinds).toContain('profile_updated');
    expect(kinds).toContain('customer_created');
    const times = body.data.map((e) => Date.parse(e.occurred_at));
    for (let i = 1; i < times.length; i++) expect(times[i - 1]!).toBeGreaterThanOrEqual(times[i]!);
    const placed = body.data.find((e) => e.kind === 'order_placed' && e.summary.includes('HIST-3'))!;
    expect(placed).toMatchObject({
      occurred_at: '2025-03-01T09:00:00.000Z',
      actor: null,
      data: { order_id: orders[2]!.id, status: 'paid', currency: 'USD', item_count: 4 },
    });
    expect(Number(placed.data.total)).toBe(6.5);
    const changed = body.data.find((e) => e.kind === 'order_status_changed')!;
    expect(changed.data).toEqual({ order_id: orders[1]!.id, from: 'paid', to: 'refunded' });
  });

  it('the timeline filters by kind', async () => {
    const onlyOrders = await get<{ data: TimelineEvent[] }>(
      `/api/crm/customers/${c.id}/timeline?kind=order_placed`,
    );
    expect(onlyOrders.body.data.map((e) => e.kind)).toEqual(Array(5).fill('order_placed'));
    const two = await get<{ data: TimelineEvent[] }>(
      `/api/crm/customers/${c.id}/timeline?kind=customer_created&kind=order_status_changed`,
    );
    expect(two.body.data.map((e) => e.kind).sort()).toEqual(['customer_created', 'order_status_changed']);
    const none = await get<{ data: TimelineEvent[] }>(`/api/crm/customers/${c.id}/timeline?kind=signed_up`);
    expect(none.body.data).toEqual([]);
    const bad = await get<Problem>(`/api/crm/customers/${c.id}/timeline?kind=email_teleported`);
    expect(bad.res.statusCode).toBe(400);
    expect(bad.body.errors?.[0]?.field).toMatch(/^kind/);
  });

  it('the timeline pages by cursor without gaps or repeats', async () => {
    const full = await get<{ data: TimelineEvent[] }>(`/api/crm/customers/${c.id}/timeline?limit=200`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/crm/customers/${c.id}/timeline?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { res, body } = await get<{ data: TimelineEvent[]; next_cursor: string | null }>(url);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...body.data.map((e) => e.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(full.body.data.map((e) => e.id));
    expect(pages).toBe(Math.ceil(seen.length / 2));
    // a list cursor is not a timeline cursor
    const list = await get<CustomerList>('/api/crm/customers?limit=1');
    const wrong = await get<Problem>(
      `/api/crm/customers/${c.id}/timeline?cursor=${encodeURIComponent(list.body.next_cursor!)}`,
    );
    expect(wrong.res.statusCode).toBe(400);
    expect(wrong.body.errors?.[0]?.field).toBe('cursor');
  });
});
