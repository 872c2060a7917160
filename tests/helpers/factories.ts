import type { Customer } from '../../src/shared/customers.js';
import type { Order } from '../../src/shared/orders.js';
import type { StaffHandle, TestApp } from './test-app.js';

let n = 0;

/** Creates a customer through the API and returns the stored profile. */
export async function makeCustomer(
  t: TestApp,
  as: StaffHandle,
  body: Record<string, unknown> = {},
): Promise<Customer> {
  n += 1;
  const res = await t.request({
    method: 'POST',
    url: '/api/crm/customers',
    as,
    payload: {
      first_name: 'Test',
      last_name: `Customer ${n}`,
      email: `customer${n}-${Date.now()}@example.com`,
      ...body,
    },
  });
  if (res.statusCode !== 201) throw new Error(`makeCustomer failed: ${res.statusCode} ${res.body}`);
  return res.json<Customer>();
}

/** Places an order through the API. */
export async function makeOrder(
  t: TestApp,
  as: StaffHandle,
  customerId: string,
  body: Record<string, unknown> = {},
): Promise<Order> {
  const res = await t.request({
    method: 'POST',
    url: '/api/orders',
    as,
    payload: {
      customer_id: customerId,
      items: [{ sku: 'SKU-1', name: 'Coffee beans', category: 'coffee', quantity: 1, unit_price: 25 }],
      ...body,
    },
  });
  if (res.statusCode !== 201 && res.statusCode !== 200)
    throw new Error(`makeOrder failed: ${res.statusCode} ${res.body}`);
  return res.json<Order>();
}
