import { screen, waitFor, within } from '@testing-library/react';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../../shared/customers.js';
import type { Segment, SegmentReport } from '../../../../shared/segments.js';
import type { Tag } from '../../../../shared/tags.js';
import { makeCustomer, makeOrder } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { currentUrl, renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';

/** The segment report from real customers, orders, tags and snapshots. */
let server: WebTestServer;
let admin: StaffHandle;
let segment: Segment;
let members: Customer[];

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

const order = (customer: Customer, unitPrice: number) =>
  makeOrder(server, admin, customer.id, {
    items: [{ sku: 'SKU-R', name: 'Report item', quantity: 1, unit_price: unitPrice }],
  });

async function seedTag(name: string, color: string, customers: Customer[]): Promise<Tag> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/tags',
    as: admin,
    payload: { name, color },
  });
  expect(res.statusCode, res.body).toBe(201);
  const tag = res.json<Tag>();
  for (const c of customers) {
    await server.request({
      method: 'POST',
      url: `/api/crm/customers/${c.id}/tags`,
      as: admin,
      payload: { tag_ids: [tag.id] },
    });
  }
  return tag;
}

async function getCustomer(id: string): Promise<Customer> {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin });
  return res.json<Customer>();
}

const stat = (label: string) => {
  const card = screen.getByText(label).closest('.mantine-Paper-root') as HTMLElement;
  return card.textContent?.replace(label, '') ?? '';
};

describe('segment report', () => {
  beforeAll(async () => {
    // Two members (ltv 100 over 2 orders, 50 over 1) and one outsider (ltv 50): the members hold
    // 150 of 200 in revenue, average 75 lifetime value, 50 per order and 1.5 orders.
    const ann = await makeCustomer(server, admin, {
      first_name: 'Ann',
      last_name: 'Alpha',
      company: 'Report Co',
    });
    const ben = await makeCustomer(server, admin, {
      first_name: 'Ben',
      last_name: 'Beta',
      company: 'Report Co',
    });
    const out = await makeCustomer(server, admin, {
      first_name: 'Oli',
      last_name: 'Out',
      company: 'Other Co',
    });
    await order(ann, 60);
    await order(ann, 40);
    await order(ben, 50);
    await order(out, 50);
    await seedTag('VIP', '#c2255c', [ann, ben]);
    await seedTag('Newsletter', '#2f9e44', [ann]);
    members = [await getCustomer(ann.id), await getCustomer(ben.id)];
    expect(members.map((m) => m.lifetime_value)).toEqual([100, 50]);

    const res = await server.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: {
        name: 'Report Co',
        auto_update: true,
        criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: 'Report Co' }] },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    segment = res.json<Segment>();
    expect(segment.customer_count).toBe(2);
    // sizes on earlier days, as the daily snapshot records them
    await sql`insert into segment_snapshots (segment_id, day, customer_count)
              values (${segment.id}, current_date - 10, 1), (${segment.id}, current_date - 200, 5)`.execute(
      server.database.db,
    );
  });

  it('shows the revenue share, averages, stages and tags of the members', async () => {
    await server.signIn('viewer');
    await renderApp(`/segments/${segment.id}`);
    const report = await screen.findByRole('region', { name: 'Report' });
    await within(report).findByText('Avg lifetime value');

    expect(stat('Avg lifetime value')).toBe('$75.00');
    expect(stat('Avg order value')).toBe('$50.00');
    expect(stat('Avg orders')).toBe('1.5per customer');

    const revenue = within(report).getByRole('region', { name: 'Revenue share' });
    expect(within(revenue).getAllByText('75%').length).toBeGreaterThan(0);
    expect(revenue.textContent).toContain('$150.00 of $200.00 lifetime revenue');

    // the stages the members are really in, as the lifecycle rules placed them
    const stages = within(report).getByRole('img', { name: /Members by lifecycle stage/ });
    for (const m of members) {
      const stage = m.lifecycle_stage.replace('_', ' ');
      const count = members.filter((x) => x.lifecycle_stage === m.lifecycle_stage).length;
      expect(stages.getAttribute('aria-label')?.toLowerCase()).toContain(`${stage}: ${count}`);
    }

    const tags = within(report).getByRole('list', { name: 'Top tags' });
    const items = within(tags).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['VIP2 customers', 'Newsletter1 customer']);

    // the report agrees with the API
    const api = await server.request({
      method: 'GET',
      url: `/api/crm/segments/${segment.id}/report`,
      as: admin,
    });
    expect(api.json<SegmentReport>().revenue).toEqual({ segment: 150, total: 200, share: 0.75 });
  });

  it('draws the size over the chosen period', async () => {
    await server.signIn('viewer');
    const { user } = await renderApp(`/segments/${segment.id}`);
    const size = await screen.findByRole('region', { name: 'Size over time' });
    // 90 days (the default) reaches the snapshot of 10 days ago, not the one of 200 days ago
    await within(size).findByText(/2 customers today, up 1 since/);
    expect(within(size).getByRole('img', { name: /Segment size over the last 90 days/ })).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: '365 days' }));
    await waitFor(() => expect(currentUrl()).toBe(`/segments/${segment.id}?days=365`));
    expect(await within(size).findByText(/2 customers today, down 3 since/)).toBeTruthy();
    expect(within(size).getByRole('img', { name: /Segment size over the last 365 days/ })).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: '30 days' }));
    await waitFor(() => expect(currentUrl()).toBe(`/segments/${segment.id}?days=30`));
    expect(await within(size).findByText(/2 customers today, up 1 since/)).toBeTruthy();
  });

  it('says when there is no history to draw yet', async () => {
    const res = await server.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: { name: 'Brand new', auto_update: false },
    });
    const fresh = res.json<Segment>();
    await server.signIn('viewer');
    await renderApp(`/segments/${fresh.id}`);
    const size = await screen.findByRole('region', { name: 'Size over time' });
    expect(await within(size).findByText('0 customers today; history builds up day by day.')).toBeTruthy();
    const revenue = screen.getByRole('region', { name: 'Revenue share' });
    expect(revenue.textContent).toContain('$0.00 of $200.00 lifetime revenue');
    expect(
      within(screen.getByRole('region', { name: 'Top tags' })).getByText('No member carries a tag.'),
    ).toBeTruthy();
  });
});
