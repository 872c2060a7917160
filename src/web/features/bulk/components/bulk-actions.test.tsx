import { act, screen, waitFor, within } from '@testing-library/react';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerList } from '../../../../shared/customers.js';
import type { Segment } from '../../../../shared/segments.js';
import type { Tag, TagList } from '../../../../shared/tags.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';
import { setElementSize } from '../../../test/resize-observer.js';

/** Bulk actions from the customer list against a real server: picked rows, all matching, permissions. */
let server: WebTestServer;
let admin: StaffHandle;
let vip: Tag;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  await server.signIn('manager');
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/tags',
    as: admin,
    payload: { name: 'VIP', color: '#c2255c' },
  });
  vip = res.json<Tag>();
  for (const [key, first, status] of [
    ['ada', 'Ada', 'active'],
    ['grace', 'Grace', 'active'],
    ['alan', 'Alan', 'prospect'],
  ] as const) {
    const c = await makeCustomer(server, admin, {
      first_name: first,
      last_name: 'Picked',
      customer_status: status,
    });
    ids[key] = c.id;
  }
});
afterAll(() => server?.close());

async function customersTable() {
  const table = await screen.findByRole('table', { name: 'Customers' });
  act(() => setElementSize(table.parentElement!, { width: 1400, height: 600 }));
  return table;
}

async function tagNames(id: string): Promise<string[]> {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin });
  return res
    .json<Customer>()
    .tags.map((t) => t.name)
    .sort();
}

async function tagByName(name: string): Promise<Tag | undefined> {
  const res = await server.request({ method: 'GET', url: '/api/crm/tags', as: admin });
  return res.json<TagList>().data.find((t) => t.name === name);
}

describe('Bulk actions on the customer list', () => {
  it('tags exactly the two selected rows, creating a new tag on the way', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await within(table).findByText('Ada Picked');
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).toBeNull();

    await user.click(within(table).getByRole('checkbox', { name: 'Select Ada Picked' }));
    await user.click(within(table).getByRole('checkbox', { name: 'Select Alan Picked' }));
    const bar = await screen.findByRole('region', { name: 'Bulk actions' });
    expect(within(bar).getByText('2 selected')).toBeTruthy();
    // Nothing filters the list, so there is no "all matching" to offer.
    expect(within(bar).queryByRole('button', { name: /Select all/ })).toBeNull();

    await user.click(within(bar).getByRole('button', { name: 'Add tags' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add tags' });
    const input = within(dialog).getByRole('combobox', { name: 'Tags' });
    await user.type(input, 'VIP{Enter}');
    await user.type(input, 'Spring launch{Enter}');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(await within(dialog).findByText('Add tags VIP, Spring launch to 2 customers?')).toBeTruthy();
    expect(within(dialog).getByText(/“Spring launch” will be created/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Apply to 2 customers' }));

    await findNotification('2 customers changed');
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Bulk actions' })).toBeNull());
    expect(await tagNames(ids.ada!)).toEqual(['Spring launch', 'VIP']);
    expect(await tagNames(ids.alan!)).toEqual(['Spring launch', 'VIP']);
    expect(await tagNames(ids.grace!)).toEqual([]);
    // The list shows the new tags without a reload.
    await waitFor(() =>
      expect(
        within(table).getByText('Ada Picked').closest('tr')!.querySelector('td[data-column="tags"]')!
          .textContent,
      ).toContain('Spring launch'),
    );
  });

  it('adds picked rows to a manual segment and sets their status', async () => {
    const created = await server.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: { name: 'Hand-picked', auto_update: false },
    });
    const segment = created.json<Segment>();
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await user.click(await within(table).findByRole('checkbox', { name: 'Select Grace Picked' }));
    const bar = await screen.findByRole('region', { name: 'Bulk actions' });

    await user.click(within(bar).getByRole('button', { name: 'Add to segment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add to segment' });
    await user.click(within(dialog).getByRole('combobox', { name: 'Segment' }));
    await user.click(await screen.findByRole('option', { name: 'Hand-picked' }));
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(await within(dialog).findByText('Add 1 customer to the segment “Hand-picked”?')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Apply to 1 customer' }));
    await findNotification('1 customer changed');
    const members = await server.request({
      method: 'GET',
      url: `/api/crm/segments/${segment.id}/customers`,
      as: admin,
    });
    expect(members.json<CustomerList>().data.map((c) => c.id)).toEqual([ids.grace]);

    await user.click(within(table).getByRole('checkbox', { name: 'Select Grace Picked' }));
    await user.click(
      within(await screen.findByRole('region', { name: 'Bulk actions' })).getByRole('button', {
        name: 'Set status',
      }),
    );
    const status = await screen.findByRole('dialog', { name: 'Set status' });
    await user.click(within(status).getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Churned' }));
    await user.click(within(status).getByRole('button', { name: 'Continue' }));
    await user.click(within(status).getByRole('button', { name: 'Apply to 1 customer' }));
    // the notification of the segment step may still be on screen: wait for this dialog to close
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Set status' })).toBeNull());
    await waitFor(async () => {
      const grace = await server.request({
        method: 'GET',
        url: `/api/crm/customers/${ids.grace}`,
        as: admin,
      });
      expect(grace.json<Customer>().customer_status).toBe('churned');
    });
  });

  it('"Select all matching" on a filtered list tags every match, in a background job, and nothing else', async () => {
    // More matches than run inline: the server answers 202 and the dialog follows the job.
    await sql`insert into customers (first_name, last_name)
      select 'Quiet', 'Customer ' || g from generate_series(1, 1005) g`.execute(server.database.db);
    // the status lives beside the metrics (migration 027)
    await sql`update customer_metrics m set customer_status = 'inactive' from customers c
      where c.id = m.customer_id and c.first_name = 'Quiet' and c.last_name like 'Customer %'`.execute(
      server.database.db,
    );

    const { user } = await renderApp('/customers?status=inactive');
    const table = await customersTable();
    await screen.findByText('1,005 customers');
    await waitFor(() => expect(table.getAttribute('aria-rowcount')).toBe('101'));
    await user.click(within(table).getByRole('checkbox', { name: 'Select all loaded customers' }));
    const bar = await screen.findByRole('region', { name: 'Bulk actions' });
    expect(within(bar).getByText('100 selected')).toBeTruthy();
    await user.click(within(bar).getByRole('button', { name: 'Select all 1,005 matching' }));
    expect(await within(bar).findByText('All 1,005 customers matching selected')).toBeTruthy();

    await user.click(within(bar).getByRole('button', { name: 'Add tags' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add tags' });
    await user.type(within(dialog).getByRole('combobox', { name: 'Tags' }), 'Dormant{Enter}');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Apply to 1,005 customers' }));

    // The job waits in the queue until a worker runs it.
    expect(await within(dialog).findByRole('progressbar', { name: 'Add tags progress' })).toBeTruthy();
    await server.app.workers.runner.runDue();
    await findNotification('1,005 customers changed');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add tags' })).toBeNull());
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).toBeNull();

    expect((await tagByName('Dormant'))?.customer_count).toBe(1005);
    for (const id of Object.values(ids)) expect(await tagNames(id)).not.toContain('Dormant');
    expect((await tagByName('VIP'))?.customer_count).toBe(2);
    expect(vip.id).toBe((await tagByName('VIP'))?.id);
  });

  it('gives an agent no segment actions and only existing tags to pick', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/customers?q=picked');
    const table = await customersTable();
    await user.click(await within(table).findByRole('checkbox', { name: 'Select Grace Picked' }));
    const bar = await screen.findByRole('region', { name: 'Bulk actions' });
    expect(within(bar).queryByRole('button', { name: 'Add to segment' })).toBeNull();
    expect(within(bar).getByRole('button', { name: 'Set owner' })).toBeTruthy();
    await user.click(within(bar).getByRole('button', { name: 'Add tags' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add tags' });
    await user.click(within(dialog).getByRole('combobox', { name: 'Tags' }));
    await user.type(within(dialog).getByRole('combobox', { name: 'Tags' }), 'Brand new');
    expect(await screen.findByText('No such tag')).toBeTruthy();
  });

  it('shows no selection to a viewer', async () => {
    await server.signIn('viewer');
    await renderApp('/customers');
    const table = await customersTable();
    await waitFor(() => expect(within(table).getAllByTestId('customer-row').length).toBeGreaterThan(3));
    expect(within(table).queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).toBeNull();
  });
});
