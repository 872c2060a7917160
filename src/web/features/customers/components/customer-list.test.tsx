import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeOrder } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { currentUrl, renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';
import { setElementSize } from '../../../test/resize-observer.js';

/** CustomerList against a real server: rows, search, filters, sort, columns, paging. */
let server: WebTestServer;
let admin: StaffHandle;
let manager: StaffHandle;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  manager = await server.signIn('manager');
});
afterAll(() => server?.close());

async function seed() {
  const ada = await makeCustomer(server, admin, {
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@analytical.test',
    company: 'Analytical Engines',
    customer_status: 'active',
    lifecycle_stage: 'customer',
    acquisition_source: 'google_ads',
    addresses: [{ line1: '12 St James Sq', city: 'London', country: 'GB', is_primary: true }],
    owner_id: manager.id,
  });
  await makeOrder(server, admin, ada.id);
  await makeOrder(server, admin, ada.id, {
    items: [{ sku: 'SKU-2', name: 'Grinder', quantity: 1, unit_price: 100 }],
  });
  const grace = await makeCustomer(server, admin, {
    first_name: 'Grace',
    last_name: 'Hopper',
    email: 'grace@navy.test',
    company: 'US Navy',
    customer_status: 'prospect',
    lifecycle_stage: 'lead',
  });
  const alan = await makeCustomer(server, admin, {
    first_name: 'Alan',
    last_name: 'Turing',
    email: 'alan@bletchley.test',
    phone: '+44 20 7946 0000',
    customer_status: 'churned',
    lifecycle_stage: 'lost',
  });
  Object.assign(ids, { ada: ada.id, grace: grace.id, alan: alan.id });
}

/** The list's scroll area gets a size (happy-dom does no layout), so the virtual rows render. */
async function customersTable() {
  const table = await screen.findByRole('table', { name: 'Customers' });
  act(() => setElementSize(table.parentElement!, { width: 1400, height: 600 }));
  return table;
}

/** Names in the first column, top to bottom. */
function names(table: HTMLElement): string[] {
  return within(table)
    .queryAllByRole('row')
    .filter((row) => row.hasAttribute('data-index'))
    .map((row) => row.querySelector('td[data-column="name"]')?.textContent ?? '');
}

async function expectNames(table: HTMLElement, expected: string[]) {
  await waitFor(() => expect(names(table)).toEqual(expected));
}

describe('CustomerList on an empty database', () => {
  it('says there are no customers yet', async () => {
    await renderApp('/customers');
    expect(await screen.findByText('No customers yet')).toBeTruthy();
    expect(screen.getByText('0 customers')).toBeTruthy();
    const main = screen.getByRole('main');
    expect(within(main).getByRole('link', { name: 'New customer' }).getAttribute('href')).toBe(
      '/customers/new',
    );
    expect(within(main).getByRole('link', { name: 'Import' }).getAttribute('href')).toBe('/customers/import');
  });
});

describe('CustomerList', () => {
  beforeAll(seed);

  it('shows the rows from the server, newest first', async () => {
    await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    expect(screen.getByText('3 customers')).toBeTruthy();
    const ada = within(table).getByText('Ada Lovelace').closest('tr')!;
    expect(ada.textContent).toContain('ada@analytical.test');
    expect(ada.textContent).toContain('Analytical Engines');
    expect(ada.textContent).toContain('$125.00');
    expect(within(ada).getByText('Active')).toBeTruthy();
    expect(within(ada).getByText('Customer')).toBeTruthy();
  });

  it('shows a customer\'s tags in the Tags column, at most three and then "+N"', async () => {
    const tagIds: string[] = [];
    for (const [name, color] of [
      ['VIP', '#c2255c'],
      ['B2B', '#74c0fc'],
      ['Gold', '#fab005'],
      ['Tea', '#2f9e44'],
      ['A rather long tag name', '#f08c00'],
    ] as const) {
      const res = await server.request({
        method: 'POST',
        url: '/api/crm/tags',
        as: admin,
        payload: { name, color },
      });
      tagIds.push(res.json<{ id: string }>().id);
    }
    await server.request({
      method: 'POST',
      url: `/api/crm/customers/${ids.ada}/tags`,
      as: admin,
      payload: { tag_ids: tagIds.slice(0, 4) },
    });
    await server.request({
      method: 'POST',
      url: `/api/crm/customers/${ids.alan}/tags`,
      as: admin,
      payload: { tag_ids: [tagIds[4], tagIds[0], tagIds[1]] },
    });
    await server.request({
      method: 'POST',
      url: `/api/crm/customers/${ids.grace}/tags`,
      as: admin,
      payload: { tag_ids: [tagIds[0]] },
    });
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    expect(within(table).getByRole('columnheader', { name: 'Tags' })).toBeTruthy();
    const tagsOf = (name: string) =>
      within(table).getByText(name).closest('tr')!.querySelector<HTMLElement>('td[data-column="tags"]')!;
    // tags come by name: three short ones fit, the fourth is "+1"
    const ada = tagsOf('Ada Lovelace');
    expect(ada.textContent).toBe('B2BGoldTea+1');
    expect(within(ada).getByLabelText('1 more: VIP')).toBeTruthy();
    expect(tagsOf('Grace Hopper').textContent).toBe('VIP');
    // a long name (truncated on screen) leaves room for fewer badges
    const alan = tagsOf('Alan Turing');
    expect(alan.textContent).toBe('A rather long tag nameB2B+1');
    expect(within(alan).getByLabelText('1 more: VIP')).toBeTruthy();

    // the column can be hidden like any other
    await user.click(screen.getByRole('button', { name: 'Columns' }));
    await user.click(
      within(await screen.findByRole('group', { name: 'Visible columns' })).getByLabelText('Tags'),
    );
    await waitFor(() => expect(within(table).queryByRole('columnheader', { name: 'Tags' })).toBeNull());
  });

  it('searches as you type, writing the search to the URL', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    await user.type(screen.getByRole('searchbox', { name: 'Search customers' }), 'grace');
    await waitFor(() => expect(currentUrl()).toBe('/customers?q=grace'));
    await expectNames(table, ['Grace Hopper']);
    expect(await screen.findByText('1 customer')).toBeTruthy();
  });

  it('reads the search from the URL and clears it with the filters', async () => {
    const { user } = await renderApp('/customers?q=zzz-nobody');
    expect(await screen.findByText('No customers match')).toBeTruthy();
    const search = screen.getByRole('searchbox', { name: 'Search customers' }) as HTMLInputElement;
    expect(search.value).toBe('zzz-nobody');
    const buttons = screen.getAllByRole('button', { name: 'Clear filters' });
    await user.click(buttons.at(-1)!);
    await waitFor(() => expect(currentUrl()).toBe('/customers'));
    await waitFor(() => expect(search.value).toBe(''));
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
  });

  it('filters by status from the toolbar', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    await user.click(screen.getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Churned' }));
    await waitFor(() => expect(currentUrl()).toBe('/customers?status=churned'));
    await expectNames(table, ['Alan Turing']);
    await user.click(await screen.findByRole('option', { name: 'Prospect' }));
    await waitFor(() => expect(currentUrl()).toBe('/customers?status=churned%2Cprospect'));
    await expectNames(table, ['Alan Turing', 'Grace Hopper']);
    expect(screen.getByText('Churned +1')).toBeTruthy();
  });

  it('filters by lifecycle stage from the toolbar', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await user.click(screen.getByRole('combobox', { name: 'Lifecycle stage' }));
    await user.click(await screen.findByRole('option', { name: 'Lead' }));
    await waitFor(() => expect(currentUrl()).toBe('/customers?lifecycle_stage=lead'));
    await expectNames(table, ['Grace Hopper']);
  });

  it('applies the filter panel together and counts the active filters', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    await user.click(screen.getByRole('button', { name: 'Filters' }));
    const drawer = await screen.findByRole('dialog', { name: 'Filter customers' });
    await user.type(within(drawer).getByLabelText('Orders from'), '1');
    await user.type(within(drawer).getByLabelText('Lifetime value from'), '100');
    await user.click(within(drawer).getByRole('combobox', { name: 'Owner' }));
    await user.click(await screen.findByRole('option', { name: 'Me' }));
    await user.click(within(drawer).getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(currentUrl()).toBe('/customers?min_lifetime_value=100&min_orders=1&owner_id=me'),
    );
    await expectNames(table, ['Ada Lovelace']);
    expect(screen.getByRole('button', { name: 'Filters 3' })).toBeTruthy();

    // Reopened, the panel shows what is applied; "Clear all" then Apply drops every filter.
    await user.click(screen.getByRole('button', { name: 'Filters 3' }));
    const again = await screen.findByRole('dialog', { name: 'Filter customers' });
    expect((within(again).getByLabelText('Orders from') as HTMLInputElement).value).toBe('1');
    await user.type(within(again).getByLabelText('Country'), 'gb');
    expect((within(again).getByLabelText('Country') as HTMLInputElement).value).toBe('GB');
    await user.click(within(again).getByRole('button', { name: 'Clear all' }));
    await user.click(within(again).getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(currentUrl()).toBe('/customers'));
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
  });

  it('filters by status and a last-order date range in the panel, the end day included', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    await user.click(screen.getByRole('button', { name: 'Filters' }));
    const drawer = await screen.findByRole('dialog', { name: 'Filter customers' });
    await user.click(within(drawer).getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Active' }));
    await user.click(within(drawer).getByRole('combobox', { name: 'Lifecycle stage' }));
    await user.click(await screen.findByRole('option', { name: 'Customer' }));
    // Ada's orders were placed today: a range from the 1st to today holds them.
    const today = dayjs();
    await user.click(within(drawer).getByRole('button', { name: 'Last order between' }));
    await user.click(
      await screen.findByRole('button', { name: today.startOf('month').format('D MMMM YYYY') }),
    );
    await user.click(screen.getByRole('button', { name: today.format('D MMMM YYYY') }));
    await user.click(within(drawer).getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(currentUrl()).toContain('status=active&lifecycle_stage=customer&last_order_after='),
    );
    // The API's "before" is exclusive, so the URL names the day after the chosen end.
    expect(currentUrl()).toContain(`last_order_before=${today.add(1, 'day').format('YYYY-MM-DD')}`);
    await expectNames(table, ['Ada Lovelace']);
    expect(screen.getByRole('button', { name: 'Filters 4' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Filters 4' }));
    const again = await screen.findByRole('dialog', { name: 'Filter customers' });
    expect(within(again).getByRole('button', { name: 'Last order between' }).textContent).toBe(
      `${today.startOf('month').format('D MMM YYYY')} – ${today.format('D MMM YYYY')}`,
    );
    await user.click(within(again).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Filter customers' })).toBeNull());
  });

  it('sorts by a column when its header is clicked, and reverses on a second click', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await user.click(within(table).getByRole('button', { name: /Name/ }));
    await waitFor(() => expect(currentUrl()).toBe('/customers?sort=last_name&order=asc'));
    await expectNames(table, ['Grace Hopper', 'Ada Lovelace', 'Alan Turing']);
    expect(within(table).getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
    await user.click(within(table).getByRole('button', { name: /Name/ }));
    await waitFor(() => expect(currentUrl()).toBe('/customers?sort=last_name&order=desc'));
    await expectNames(table, ['Alan Turing', 'Ada Lovelace', 'Grace Hopper']);
    await user.click(within(table).getByRole('button', { name: /Lifetime value/ }));
    await waitFor(() => expect(currentUrl()).toBe('/customers?sort=lifetime_value&order=desc'));
    await waitFor(() => expect(names(table)[0]).toBe('Ada Lovelace'));
  });

  it('chooses the visible columns and remembers them', async () => {
    const { user, unmount } = await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    expect(within(table).queryByRole('columnheader', { name: 'Phone' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Columns' }));
    const group = await screen.findByRole('group', { name: 'Visible columns' });
    expect((within(group).getByLabelText('Name') as HTMLInputElement).disabled).toBe(true);
    await user.click(within(group).getByLabelText('Phone'));
    await user.click(within(group).getByLabelText('Email'));
    expect(await within(table).findByRole('columnheader', { name: 'Phone' })).toBeTruthy();
    expect(within(table).queryByRole('columnheader', { name: /Email/ })).toBeNull();
    expect(within(table).getByText('+44 20 7946 0000')).toBeTruthy();
    expect(JSON.parse(window.localStorage.getItem('crm.customer-list.hidden-columns') ?? '[]')).toContain(
      'email',
    );
    for (const label of ['Country', 'Avg. order', 'Predicted value', 'Source', 'Owner', 'Acquired']) {
      await user.click(within(group).getByLabelText(label));
    }
    const ada = within(table).getByText('Ada Lovelace').closest('tr')!;
    await waitFor(() => expect(ada.textContent).toContain('Google ads'));
    expect(ada.textContent).toContain('GB');
    expect(ada.textContent).toContain('$62.50');
    expect(ada.textContent).toContain('Manager');
    unmount();

    const again = await renderApp('/customers');
    const table2 = await customersTable();
    expect(await within(table2).findByRole('columnheader', { name: 'Phone' })).toBeTruthy();
    await again.user.click(screen.getByRole('button', { name: 'Columns' }));
    await again.user.click(await screen.findByRole('button', { name: 'Reset to default' }));
    await waitFor(() => expect(within(table2).queryByRole('columnheader', { name: 'Phone' })).toBeNull());
    expect(within(table2).getByRole('columnheader', { name: /Email/ })).toBeTruthy();
  });

  it('opens a customer by click, and by keyboard from the focused row', async () => {
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await expectNames(table, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    await user.click(within(table).getByText('Grace Hopper'));
    await waitFor(() => expect(currentUrl()).toBe(`/customers/${ids.grace}`));
    expect(await screen.findByRole('heading', { name: 'Grace Hopper', level: 1 })).toBeTruthy();

    await user.click(within(screen.getByRole('main')).getByRole('link', { name: 'Customers' }));
    const table2 = await customersTable();
    await expectNames(table2, ['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    const first = within(table2).getByText('Alan Turing').closest('tr')!;
    first.focus();
    await user.keyboard('{ArrowDown}');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(table2).getByText('Grace Hopper').closest('tr')),
    );
    await user.keyboard('{End}');
    await waitFor(() =>
      expect(document.activeElement).toBe(within(table2).getByText('Ada Lovelace').closest('tr')),
    );
    await user.keyboard('{Enter}');
    await waitFor(() => expect(currentUrl()).toBe(`/customers/${ids.ada}`));
  });

  it('loads the next page when the last rows scroll into view', async () => {
    for (let i = 0; i < 120; i += 1) {
      await makeCustomer(server, admin, {
        first_name: 'Bulk',
        last_name: `Row ${String(i).padStart(3, '0')}`,
      });
    }
    await renderApp('/customers');
    const table = await customersTable();
    expect(await screen.findByText('123 customers')).toBeTruthy();
    await waitFor(() => expect(table.getAttribute('aria-rowcount')).toBe('101'));
    const scroller = table.parentElement!;
    scroller.scrollTop = 100 * 44;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(table.getAttribute('aria-rowcount')).toBe('124'));
    await waitFor(() => expect(names(table)).toContain('Ada Lovelace'));
  });
});
