import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CriteriaGroup, printCriteria } from '../../../../shared/criteria/index.js';
import type { CustomerList } from '../../../../shared/customers.js';
import { SEGMENT_INLINE_BUILD_LIMIT, type Segment } from '../../../../shared/segments.js';
import { formatCount } from '../../../lib/format.js';
import { makeCustomer, makeOrder } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The segment page against a real server: header, refresh, delete, members, read-only view. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function seedSegment(body: Record<string, unknown>): Promise<Segment> {
  const res = await server.request({ method: 'POST', url: '/api/crm/segments', as: admin, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Segment>();
}

async function segmentStatus(id: string): Promise<number> {
  return (await server.request({ method: 'GET', url: `/api/crm/segments/${id}`, as: admin })).statusCode;
}

async function memberIds(id: string): Promise<string[]> {
  const res = await server.request({ method: 'GET', url: `/api/crm/segments/${id}/customers`, as: admin });
  return res.json<CustomerList>().data.map((c) => c.id);
}

const companyIs = (company: string, extra: Record<string, unknown>[] = []) => ({
  match: 'all',
  rules: [{ field: 'company', op: 'eq', value: company }, ...extra],
});

async function openSegment(segment: Segment) {
  const view = await renderApp(`/segments/${segment.id}`);
  await screen.findByRole('heading', { name: segment.name, level: 1 });
  const members = await screen.findByRole('region', { name: 'Members' });
  await waitFor(() => expect(within(members).queryByLabelText('Loading members')).toBeNull());
  return { ...view, members };
}

describe('segment page', () => {
  it('shows the segment and its members, and refreshes an automatic one on demand', async () => {
    const buyer = await makeCustomer(server, admin, {
      first_name: 'Bea',
      last_name: 'Buyer',
      company: 'Fresh Co',
    });
    await makeCustomer(server, admin, { first_name: 'Ida', last_name: 'Idle', company: 'Fresh Co' });
    const segment = await seedSegment({
      name: 'Fresh Co buyers',
      description: 'People at Fresh Co who ordered',
      auto_update: true,
      criteria: companyIs('Fresh Co', [{ field: 'total_orders', op: 'gte', value: 1 }]),
    });
    // an order moves the buyer into the criteria; membership follows on the next refresh
    await makeOrder(server, admin, buyer.id);

    await server.signIn('manager');
    const user = (await renderApp(`/segments/${segment.id}`)).user;
    await screen.findByRole('heading', { name: 'Fresh Co buyers', level: 1 });
    expect(screen.getByText('People at Fresh Co who ordered')).toBeTruthy();
    expect(screen.getByText('Automatic')).toBeTruthy();
    expect(screen.getByText('0 customers')).toBeTruthy();
    const criteria = printCriteria(segment.criteria as CriteriaGroup);
    expect(criteria).toContain('Fresh Co');
    expect(screen.getByText(criteria)).toBeTruthy();
    const open = screen.getByRole('link', { name: 'Open in customer list' });
    expect(open.getAttribute('href')).toBe(`/customers?${new URLSearchParams({ query: criteria })}`);
    expect(await screen.findByText('No customer matches the criteria right now.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Edit' }).getAttribute('href')).toBe(
      `/segments/${segment.id}/edit`,
    );

    await user.click(screen.getByRole('button', { name: 'Refresh now' }));
    expect(await findNotification('1 added, 0 removed; 1 customer now.')).toBeTruthy();
    const members = await screen.findByRole('table', { name: 'Segment members' });
    const link = await within(members).findByRole('link', { name: 'Bea Buyer' });
    expect(link.getAttribute('href')).toBe(`/customers/${buyer.id}`);
    expect(within(members).queryByText('Ida Idle')).toBeNull();
    expect(await screen.findByText('1 customer')).toBeTruthy();
    // automatic segments follow their criteria: no hand removal
    expect(within(members).queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(await memberIds(segment.id)).toEqual([buyer.id]);
  });

  it('removes a member of a manual segment after confirmation', async () => {
    const keep = await makeCustomer(server, admin, { first_name: 'Kim', last_name: 'Keep' });
    const drop = await makeCustomer(server, admin, { first_name: 'Dan', last_name: 'Drop' });
    const segment = await seedSegment({ name: 'Picked by hand', auto_update: false });
    const added = await server.request({
      method: 'POST',
      url: `/api/crm/segments/${segment.id}/members`,
      as: admin,
      payload: { customer_ids: [keep.id, drop.id] },
    });
    expect(added.statusCode, added.body).toBe(200);

    await server.signIn('manager');
    const { user, members } = await openSegment(segment);
    expect(screen.getByText('Manual')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Refresh now' })).toBeNull();
    await within(members).findByRole('link', { name: 'Dan Drop' });
    expect(screen.getByText('2 members')).toBeTruthy();

    await user.click(within(members).getByRole('button', { name: 'Remove Dan Drop from the segment' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove Dan Drop from Picked by hand?' });
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }));
    expect(await findNotification('Dan Drop removed from Picked by hand')).toBeTruthy();
    await waitFor(() => expect(within(members).queryByRole('link', { name: 'Dan Drop' })).toBeNull());
    expect(within(members).getByRole('link', { name: 'Kim Keep' })).toBeTruthy();
    expect(await screen.findByText('1 member')).toBeTruthy();
    expect(await memberIds(segment.id)).toEqual([keep.id]);
  });

  it('pages through the members with Load more', async () => {
    const many: string[] = [];
    for (let i = 0; i < 27; i += 1) {
      many.push((await makeCustomer(server, admin, { first_name: 'Paged', last_name: `Member ${i}` })).id);
    }
    const segment = await seedSegment({ name: 'Many members', auto_update: false });
    await server.request({
      method: 'POST',
      url: `/api/crm/segments/${segment.id}/members`,
      as: admin,
      payload: { customer_ids: many },
    });

    await server.signIn('viewer');
    const { user, members } = await openSegment(segment);
    expect(within(members).getByText('Showing 25 of 27')).toBeTruthy();
    expect(within(members).getAllByRole('link', { name: /^Paged Member/ })).toHaveLength(25);
    await user.click(within(members).getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(within(members).getAllByRole('link', { name: /^Paged Member/ })).toHaveLength(27),
    );
    expect(within(members).getByText('27 members')).toBeTruthy();
    expect(within(members).queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('deletes a segment after a confirmation, then shows the list without it', async () => {
    await makeCustomer(server, admin, { company: 'Doomed Co' });
    await makeCustomer(server, admin, { company: 'Doomed Co' });
    const doomed = await seedSegment({ name: 'Doomed', auto_update: true, criteria: companyIs('Doomed Co') });

    await server.signIn('manager');
    const { user } = await openSegment(doomed);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete segment Doomed?' });
    expect(within(confirm).getByText(/Its 2 customers leave the segment/)).toBeTruthy();

    // cancelling keeps it
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Delete segment Doomed?' })).toBeNull());
    expect(await segmentStatus(doomed.id)).toBe(200);

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const again = await screen.findByRole('dialog', { name: 'Delete segment Doomed?' });
    await user.click(within(again).getByRole('button', { name: 'Delete segment' }));
    expect(await findNotification('Segment Doomed deleted')).toBeTruthy();
    await waitFor(() => expect(currentUrl()).toBe('/segments'));
    const list = await screen.findByRole('table', { name: 'Segments' });
    expect(within(list).getByRole('link', { name: 'Picked by hand' })).toBeTruthy();
    expect(within(list).queryByRole('link', { name: 'Doomed' })).toBeNull();
    expect(await segmentStatus(doomed.id)).toBe(404);
  });

  it('shows no write actions to a viewer', async () => {
    const member = await makeCustomer(server, admin, { first_name: 'Vic', last_name: 'Viewed' });
    const manual = await seedSegment({ name: 'Viewer manual', auto_update: false });
    await server.request({
      method: 'POST',
      url: `/api/crm/segments/${manual.id}/members`,
      as: admin,
      payload: { customer_ids: [member.id] },
    });
    const auto = await seedSegment({
      name: 'Viewer auto',
      auto_update: true,
      criteria: companyIs('Nobody Co'),
    });

    await server.signIn('viewer');
    for (const segment of [manual, auto]) {
      const { members } = await openSegment(segment);
      expect(screen.queryByRole('button', { name: 'Refresh now' })).toBeNull();
      expect(screen.queryByRole('link', { name: 'Edit' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
      expect(within(members).queryByRole('button', { name: /^Remove/ })).toBeNull();
      expect(within(members).queryByRole('columnheader', { name: 'Actions' })).toBeNull();
      if (segment === manual) expect(within(members).getByRole('link', { name: 'Vic Viewed' })).toBeTruthy();
      cleanup();
    }
  });

  it('says a large segment is being built, then shows its count once the job has run', async () => {
    await sql`insert into customers (first_name, last_name, company)
              select 'Many', 'Member ' || g, 'Crowd Co' from generate_series(1, ${SEGMENT_INLINE_BUILD_LIMIT + 5}) g`.execute(
      server.database.db,
    );
    const segment = await seedSegment({ name: 'Crowd', auto_update: true, criteria: companyIs('Crowd Co') });
    expect(segment.building).toBe(true);
    await renderApp(`/segments/${segment.id}`);
    expect(await screen.findByText(/Building membership in the background/)).toBeTruthy();
    await server.app.workers.runner.runDue();
    // the page polls a segment being built every 2 s
    expect(
      await screen.findByText(
        `${formatCount(SEGMENT_INLINE_BUILD_LIMIT + 5)} customers`,
        {},
        { timeout: 5000 },
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/Building membership/)).toBeNull();
  });

  it('says when a segment does not exist', async () => {
    await server.signIn('viewer');
    await renderApp('/segments/00000000-0000-4000-8000-000000000000');
    expect(await screen.findByText('Segment not found')).toBeTruthy();
    const back = within(screen.getByRole('main')).getByRole('link', { name: 'Segments' });
    expect(back.getAttribute('href')).toBe('/segments');
  });
});
