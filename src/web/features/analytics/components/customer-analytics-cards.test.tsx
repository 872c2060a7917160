import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerInsights, Recommendations } from '../../../../shared/analytics.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { queryClient } from '../../../app/query-client.js';
import { formatDate, formatMoney } from '../../../lib/format.js';
import { queryKeys } from '../../../lib/query-keys.js';
import { makeCustomer, makeOrder } from '../../../../../tests/helpers/factories.js';
import { renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';
import { formatDecimal, formatShare } from '../analytics-format.js';
import { at, buildTestShop, type TestShop } from '../analytics-test-shop.js';

/** The profile's Value and churn, Order patterns and Recommended products cards against a real server. */
let server: WebTestServer;
let admin: StaffHandle;
let shop: TestShop;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  shop = await buildTestShop(server, admin);
});
afterAll(() => server?.close());

function card(title: string): HTMLElement {
  const heading = screen.getByRole('heading', { name: title, level: 2 });
  return heading.closest('section') as HTMLElement;
}

async function findCard(title: string): Promise<HTMLElement> {
  await screen.findByRole('heading', { name: title, level: 2 });
  return card(title);
}

async function insightsOf(id: string): Promise<CustomerInsights> {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers/${id}/insights`, as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CustomerInsights>();
}

/** Fits the customer-value model on the shop's orders, inline (a small shop). */
async function fitModel(): Promise<void> {
  const fit = await server.request({
    method: 'POST',
    url: '/api/crm/analytics/clv/fit',
    as: admin,
    payload: {},
  });
  expect(fit.statusCode, fit.body).toBe(200);
}

describe('customer profile: analytics cards', () => {
  it('says there is nothing to show for a customer without orders', async () => {
    await server.signIn('agent');
    await renderApp(`/customers/${shop.lead.id}`);
    const value = await findCard('Value and churn');
    await within(value).findByText('No orders yet');
    const patterns = card('Order patterns');
    await within(patterns).findByText('No orders yet');
    expect(within(patterns).queryByRole('img')).toBeNull();
  });

  it('shows order patterns from the orders, and no prediction before a model is fitted', async () => {
    await server.signIn('manager');
    await renderApp(`/customers/${shop.regular.id}`);
    const patterns = await findCard('Order patterns');
    // four orders 30 days apart, the last 10 days ago: the next one is due in 20 days
    await waitFor(() => expect(within(patterns).getByTestId('average-days').textContent).toBe('30 days'));
    expect(within(patterns).getByText('on average; median 30 days')).toBeTruthy();
    expect(within(patterns).getByTestId('next-order').textContent).toBe(formatDate(at(-20).slice(0, 10)));
    expect(within(patterns).getByText('in 20 days')).toBeTruthy();
    expect(within(patterns).getByTestId('order-days').textContent).toBe('4');
    const categories = within(patterns).getByRole('table', { name: 'Favourite categories' });
    // beans ×2 at 12 and filters at 5, four times
    expect(
      within(categories).getByRole('rowheader', { name: 'coffee' }).closest('tr')?.textContent,
    ).toContain(formatMoney(116));
    const favourites = within(patterns).getByRole('table', { name: 'Favourite products' });
    const rows = within(favourites).getAllByRole('row');
    expect(rows[0]?.textContent).toContain('Coffee beans');
    expect(rows[0]?.textContent).toContain('8 bought');
    // the same basket every time
    expect(within(patterns).getByTestId('spend-trend').textContent).toMatch(/^Steady/);
    expect(within(patterns).getByRole('img', { name: /^By weekday:/ })).toBeTruthy();
    expect(within(patterns).getByRole('img', { name: /^By month:/ })).toBeTruthy();

    const value = card('Value and churn');
    await within(value).findByText('No model fitted yet');
    // a manager may fit the model: the card leads there
    expect(
      within(value).getByRole('link', { name: 'Fit it on the Analytics page' }).getAttribute('href'),
    ).toBe('/analytics');
  });

  it('offers a viewer no way to fit the model', async () => {
    await server.signIn('viewer');
    await renderApp(`/customers/${shop.regular.id}`);
    const value = await findCard('Value and churn');
    await within(value).findByText('No model fitted yet');
    expect(within(value).queryByRole('link', { name: /Analytics page/ })).toBeNull();
  });

  it('shows the predicted value, chance still active, churn risk and reasons once the model is fitted', async () => {
    await fitModel();
    const { prediction } = await insightsOf(shop.regular.id);
    expect(prediction).not.toBeNull();

    await server.signIn('agent');
    await renderApp(`/customers/${shop.regular.id}`);
    const value = await findCard('Value and churn');
    await waitFor(() =>
      expect(within(value).getByTestId('predicted-value').textContent).toBe(
        formatMoney(prediction!.predicted_value_12m),
      ),
    );
    expect(within(value).getByTestId('p-alive').textContent).toBe(formatShare(prediction!.p_alive));
    expect(within(value).getByTestId('expected-90d').textContent).toBe(
      formatDecimal(prediction!.expected_purchases_90d),
    );
    expect(within(value).getByTestId('expected-365d').textContent).toBe(
      formatDecimal(prediction!.expected_purchases_365d),
    );
    const risk = { low: 'Low churn risk', medium: 'Medium churn risk', high: 'High churn risk' }[
      prediction!.churn_risk
    ];
    expect(within(value).getByText(risk)).toBeTruthy();
    const reasons = within(value).getByRole('list', { name: 'Reasons' });
    expect(
      within(reasons)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(prediction!.reasons);
    expect(prediction!.reasons.length).toBeGreaterThan(0);
  });

  it('lists recommended products with their kind and reason', async () => {
    const res = await server.request({
      method: 'GET',
      url: `/api/crm/customers/${shop.regular.id}/recommendations`,
      as: admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    const expected = res.json<Recommendations>().data;
    // the regular never bought the grinder, mug or tea that other customers buy
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.map((r) => r.sku)).not.toContain('AN-BEANS');

    await server.signIn('agent');
    await renderApp(`/customers/${shop.regular.id}`);
    const recommendations = await findCard('Recommended products');
    const list = await within(recommendations).findByRole('list', { name: 'Recommended products' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-product'))).toEqual(expected.map((r) => r.sku));
    const kinds = { cross_sell: 'Cross-sell', upsell: 'Upsell', popular: 'Popular' } as const;
    expected.forEach((r, i) => {
      const item = items[i]!;
      expect(item.textContent).toContain(r.name);
      expect(item.textContent).toContain(formatMoney(r.price));
      expect(item.textContent).toContain(kinds[r.kind]);
      expect(item.textContent).toContain(r.reason);
    });
  });

  it('follows a new order: when the profile refetches its orders, the patterns refresh too', async () => {
    const buyer = shop.everyone[5]!;
    const before = await insightsOf(buyer.id);
    await server.signIn('agent');
    await renderApp(`/customers/${buyer.id}`);
    const patterns = await findCard('Order patterns');
    await waitFor(() =>
      expect(within(patterns).getByTestId('order-days').textContent).toBe(String(before.order_days)),
    );
    await screen.findByRole('heading', { name: 'Order history', level: 2 });
    await makeOrder(server, admin, buyer.id, {
      placed_at: at(0),
      items: [{ sku: 'AN-TEA', name: 'Green tea', category: 'tea', quantity: 1, unit_price: 7 }],
    });
    // what the live connection does when the server announces the order
    await queryClient.invalidateQueries({ queryKey: queryKeys.customers.orders(buyer.id) });
    await waitFor(() =>
      expect(within(patterns).getByTestId('order-days').textContent).toBe(String(before.order_days + 1)),
    );
  });

  it('says a customer who first ordered after the last fit is not scored yet', async () => {
    await fitModel();
    const late = await makeCustomer(server, admin, { first_name: 'Lara', last_name: 'Late' });
    await makeOrder(server, admin, late.id, { placed_at: at(0) });
    expect((await insightsOf(late.id)).prediction).toBeNull();
    await server.signIn('manager');
    await renderApp(`/customers/${late.id}`);
    const value = await findCard('Value and churn');
    await within(value).findByText('Not scored yet');
    expect(within(value).getByRole('link', { name: 'Refit it on the Analytics page' })).toBeTruthy();
  });
});
