import { screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RfmOverview } from '../../../../shared/rfm.js';
import { makeCustomer, makeOrder } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The insights page against a real server: lifecycle stage counts and the RFM grid from real orders. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  await server.signIn('manager');
});
afterAll(() => server?.close());

const daysAgo = (n: number) => dayjs().subtract(n, 'day').toISOString();

async function order(customerId: string, days: number, price = 40) {
  await makeOrder(server, admin, customerId, {
    placed_at: daysAgo(days),
    items: [{ sku: 'SKU-1', name: 'Coffee beans', quantity: 1, unit_price: price }],
  });
}

function stageRow(stage: string): HTMLElement {
  const table = screen.getByRole('table', { name: 'Customers by stage' });
  return within(table).getByRole('rowheader', { name: stage }).closest('tr')!;
}

function gridCell(recency: number, frequency: number): string {
  const table = screen.getByRole('table', { name: /RFM grid/ });
  const cell = table.querySelector(`td[data-recency="${recency}"][data-frequency="${frequency}"]`);
  return cell?.textContent ?? '';
}

describe('Insights', () => {
  it('asks to run scoring while nothing is scored, then shows the grid and groups from real orders', async () => {
    // Two leads (no orders), a regular buyer, a one-off buyer, and one gone quiet for 400 days.
    await makeCustomer(server, admin, { first_name: 'Lena', last_name: 'Lead' });
    await makeCustomer(server, admin, { first_name: 'Leo', last_name: 'Lead' });
    const regular = await makeCustomer(server, admin, { first_name: 'Rita', last_name: 'Regular' });
    for (const d of [2, 20, 40, 60]) await order(regular.id, d, 80);
    const once = await makeCustomer(server, admin, { first_name: 'Otto', last_name: 'Once' });
    await order(once.id, 5);
    const gone = await makeCustomer(server, admin, { first_name: 'Gina', last_name: 'Gone' });
    await order(gone.id, 420);
    await order(gone.id, 400);

    const { user } = await renderApp('/insights');
    expect(await screen.findByRole('heading', { name: 'Insights', level: 1 })).toBeTruthy();

    // Lifecycle: stage counts straight from the orders.
    await screen.findByRole('table', { name: 'Customers by stage' });
    expect(within(stageRow('Lead')).getAllByRole('cell')[0]!.textContent).toBe('2');
    expect(within(stageRow('Loyal')).getAllByRole('cell')[0]!.textContent).toBe('1');
    expect(within(stageRow('Customer')).getAllByRole('cell')[0]!.textContent).toBe('1');
    expect(within(stageRow('Lost')).getAllByRole('cell')[0]!.textContent).toBe('1');
    expect(within(stageRow('At risk')).getAllByRole('cell')[0]!.textContent).toBe('0');

    // RFM: nothing scored yet.
    expect(await screen.findByText('No customers are scored yet')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Run scoring' }));
    await findNotification('Scored 3 customers');

    // The grid shows what the server scored, cell by cell.
    await screen.findByRole('table', { name: /RFM grid/ });
    const res = await server.request({ method: 'GET', url: '/api/crm/analytics/rfm', as: admin });
    const overview = res.json<RfmOverview>();
    expect(overview.customers_scored).toBe(3);
    let seen = 0;
    for (let r = 1; r <= 5; r += 1) {
      for (let f = 1; f <= 5; f += 1) {
        const n = overview.grid.find((c) => c.recency === r && c.frequency === f)?.customers ?? 0;
        seen += n;
        await waitFor(() => expect(gridCell(r, f)).toBe(String(n)));
      }
    }
    expect(seen).toBe(3);
    // The regular buyer is the most recent and most frequent.
    expect(gridCell(5, 5)).toBe('1');

    // Groups: sizes and revenue; a group links to the list filtered by it.
    const groups = screen.getByRole('table', { name: 'RFM groups' });
    for (const g of overview.groups.filter((x) => x.customers > 0)) {
      const row = groups.querySelector(`tr[data-group="${g.group}"]`)!;
      expect(row.textContent).toContain(String(g.customers));
      const link = within(row as HTMLElement).getByRole('link');
      expect(link.getAttribute('href')).toBe(`/customers?query=rfm_group+%3D+%22${g.group}%22`);
    }
    const rescore = screen.getByRole('button', { name: 'Rescore now' });
    await user.click(rescore);
    expect(await screen.findByText(/Scored 3 customers; 0 changed group\./)).toBeTruthy();
  });

  it('lists stage movements for the chosen period', async () => {
    const { user } = await renderApp('/insights');
    const movements = await screen.findByRole('table', { name: 'Stage movements in the last 30 days' });
    // New customers start as leads; their orders moved them on.
    const toLoyal = movements.querySelector('tr[data-from="lead"][data-to="loyal"], tr[data-to="loyal"]');
    expect(toLoyal).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: '7 days' }));
    expect(await screen.findByRole('table', { name: 'Stage movements in the last 7 days' })).toBeTruthy();
  });

  it('opens the customer list filtered by an RFM group', async () => {
    const { user } = await renderApp('/insights');
    const groups = await screen.findByRole('table', { name: 'RFM groups' });
    const champions = within(groups).getAllByRole('link')[0]!;
    const name = champions.textContent;
    await user.click(champions);
    await waitFor(() => expect(currentUrl()).toMatch(/^\/customers\?query=rfm_group/));
    expect(await screen.findByText(/rfm_group = "/)).toBeTruthy();
    expect(name).toBeTruthy();
  });

  it('lets an administrator change the lifecycle rules, moving customers at once', async () => {
    await server.signIn('admin');
    const { user } = await renderApp('/insights');
    await screen.findByRole('table', { name: 'Customers by stage' });
    expect(within(stageRow('Loyal')).getAllByRole('cell')[0]!.textContent).toBe('1');
    // The report and the signed-in user load side by side: Rules shows once the user's permissions
    // are in, which can be after the report.
    await user.click(await screen.findByRole('button', { name: 'Rules' }));
    const dialog = await screen.findByRole('dialog', { name: 'Lifecycle rules' });
    const minOrders = await within(dialog).findByRole('textbox', { name: /Loyal from \(orders\)/ });
    expect((minOrders as HTMLInputElement).value).toBe('3');
    await user.clear(minOrders);
    await user.type(minOrders, '5');
    await user.click(within(dialog).getByRole('button', { name: 'Save rules' }));
    // The regular buyer has four orders: no longer loyal.
    await findNotification('1 customer changed stage');
    await waitFor(() => expect(within(stageRow('Loyal')).getAllByRole('cell')[0]!.textContent).toBe('0'));
    expect(within(stageRow('Customer')).getAllByRole('cell')[0]!.textContent).toBe('2');
  });

  it('offers no rescoring, re-evaluation or rules to a viewer', async () => {
    await server.signIn('viewer');
    await renderApp('/insights');
    await screen.findByRole('table', { name: /RFM grid/ });
    // the buttons depend on the user's permissions: their absence means something once those are in
    await screen.findByText('Account menu:');
    expect(screen.queryByRole('button', { name: 'Rescore now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Re-evaluate now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rules' })).toBeNull();
  });
});
