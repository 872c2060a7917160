/**
 * Dev tool: service work to look at (notes, interactions, tickets, tasks, mentions), made through
 * the API as two colleagues of the admin, on the customers with the most orders (the screenshot
 * tool opens the first of them).
 * Usage: npx tsx tests/e2e/tools/service-demo.ts http://127.0.0.1:3100 admin@example.com password
 */
import { ApiClient } from '../support/api.js';

const [baseUrl = 'http://127.0.0.1:3100', email = 'admin@example.com', password = 'admin-password-1'] =
  process.argv.slice(2);

const admin = new ApiClient(baseUrl);
await admin.login(email, password);
const me = await admin.get<{ id: string; name: string | null }>('/auth/me');
const stamp = Date.now().toString(36);
const colleagues = [
  { email: `ana.${stamp}@example.com`, name: 'Ana Agent', role: 'agent' },
  { email: `max.${stamp}@example.com`, name: 'Max Manager', role: 'manager' },
];
const clients: ApiClient[] = [];
const ids: string[] = [];
for (const c of colleagues) {
  const created = await admin.post<{ id: string }>('/users', { ...c, password: 'demo-password-123' });
  ids.push(created.id);
  const client = new ApiClient(baseUrl);
  await client.login(c.email, 'demo-password-123');
  clients.push(client);
}
const [ana, max] = clients as [ApiClient, ApiClient];
const customers = (
  await admin.get<{ data: { id: string }[] }>('/crm/customers?limit=6&sort=total_orders&order=desc')
).data;
const at = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const mention = (name: string, id: string) => `@[${name}](staff:${id})`;

for (const [i, c] of customers.entries()) {
  await ana.post(`/crm/customers/${c.id}/notes`, {
    note_type: 'support',
    content: `Called about a **late parcel**; courier says it is in the depot.\n\n- asked for a refund\n- prefers email\n\n${mention(me.name ?? 'Admin', me.id)} can you approve a goodwill voucher?`,
  });
  await admin.post(`/crm/customers/${c.id}/notes`, {
    note_type: 'sales',
    pinned: i === 0,
    content: `Interested in *bulk pricing* for the office. See [the price list](https://example.com/prices). ${mention('Max Manager', ids[1]!)}`,
  });
  await ana.post(`/crm/customers/${c.id}/interactions`, {
    interaction_type: (['phone', 'email', 'chat', 'meeting'] as const)[i % 4],
    subject: 'Where is my order?',
    description: 'Customer asked for the tracking link.\nSent it by email.',
    outcome: 'Tracking link sent',
    occurred_at: at(-3 - i),
    follow_up_date: i % 2 === 0 ? at(24 + i) : null,
  });
  await ana.post('/crm/tickets', {
    subject: ['Parcel arrived damaged', 'Refund not received', 'Wrong size delivered'][i % 3],
    description: 'The box was crushed and the mug inside is broken. Photos attached in the help desk.',
    priority: (['urgent', 'high', 'normal', 'low'] as const)[i % 4],
    customer_id: c.id,
    assignee_id: i % 2 === 0 ? me.id : ids[0],
  });
  await max.post('/crm/tasks', {
    title: ['Send the quote', 'Call back about the refund', 'Check stock for re-order'][i % 3],
    customer_id: c.id,
    assignee_id: me.id,
    due_at: at(i === 0 ? -5 : 4 + i * 10),
    remind_at: at(i === 0 ? -6 : 3 + i * 10),
  });
}
console.log(`service demo: ${customers.length} customers with notes, interactions, tickets and tasks`);
