import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../../shared/customers.js';
import type { Tag, TagList } from '../../../../shared/tags.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The tag manager against a real server: list with counts, create, edit, delete, read-only view. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
});
afterAll(() => server?.close());

async function storedTags(): Promise<Tag[]> {
  const res = await server.request({ method: 'GET', url: '/api/crm/tags', as: admin });
  return res.json<TagList>().data;
}

async function seedTag(name: string, extra: Record<string, unknown> = {}): Promise<Tag> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/tags',
    as: admin,
    payload: { name, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Tag>();
}

async function tagCustomers(tag: Tag, count: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i += 1) {
    const customer = await makeCustomer(server, admin);
    await server.request({
      method: 'POST',
      url: `/api/crm/customers/${customer.id}/tags`,
      as: admin,
      payload: { tag_ids: [tag.id] },
    });
    customers.push(customer);
  }
  return customers;
}

async function openTags() {
  const view = await renderApp('/tags');
  const table = await screen.findByRole('table', { name: 'Tags' });
  return { ...view, table };
}

const rowOf = (table: HTMLElement, name: string) =>
  within(table)
    .getAllByText(name)
    .map((el) => el.closest('tr'))
    .find(Boolean) as HTMLElement;

describe('tag manager', () => {
  let vip: Tag;
  beforeAll(async () => {
    vip = await seedTag('VIP', { color: '#c2255c', description: 'Spent over 1,000' });
    await tagCustomers(vip, 2);
  });

  it('lists tags with colour, description and customer count', async () => {
    await server.signIn('manager');
    const { table } = await openTags();
    const row = rowOf(table, 'VIP');
    expect(within(row).getByText('#c2255c')).toBeTruthy();
    expect(within(row).getByText('Spent over 1,000')).toBeTruthy();
    expect(within(row).getByText('2')).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Edit tag VIP' })).toBeTruthy();
  });

  it('creates a tag, and shows a taken name on its field', async () => {
    await server.signIn('manager');
    const { user, table } = await openTags();
    await user.click(screen.getByRole('button', { name: 'New tag' }));
    const dialog = await screen.findByRole('dialog', { name: 'New tag' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'vip');
    await user.click(within(dialog).getByRole('button', { name: 'Create tag' }));
    expect(await within(dialog).findByText('A tag with this name already exists')).toBeTruthy();

    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Newsletter');
    const colour = within(dialog).getByRole('textbox', { name: 'Colour' });
    await user.clear(colour);
    await user.type(colour, '#2f9e44');
    await user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Opted in to news');
    await user.click(within(dialog).getByRole('button', { name: 'Create tag' }));
    expect(await findNotification('Tag Newsletter created')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New tag' })).toBeNull());
    await waitFor(() => expect(rowOf(table, 'Newsletter')).toBeTruthy());
    expect((await storedTags()).find((t) => t.name === 'Newsletter')).toMatchObject({
      color: '#2f9e44',
      description: 'Opted in to news',
      customer_count: 0,
    });
  });

  it('edits a tag', async () => {
    const tag = await seedTag('Wholesale');
    await server.signIn('admin');
    const { user, table } = await openTags();
    await user.click(within(rowOf(table, 'Wholesale')).getByRole('button', { name: 'Edit tag Wholesale' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit tag Wholesale' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    expect((name as HTMLInputElement).value).toBe('Wholesale');
    await user.clear(name);
    await user.type(name, 'B2B');
    await user.click(within(dialog).getByRole('button', { name: 'Save tag' }));
    expect(await findNotification('Tag B2B saved')).toBeTruthy();
    await waitFor(() => expect(rowOf(table, 'B2B')).toBeTruthy());
    expect((await storedTags()).find((t) => t.id === tag.id)?.name).toBe('B2B');
  });

  it('deletes a tag after a confirmation that says how many customers lose it', async () => {
    const doomed = await seedTag('Doomed');
    const [customer] = await tagCustomers(doomed, 3);
    await server.signIn('manager');
    const { user, table } = await openTags();
    await user.click(within(rowOf(table, 'Doomed')).getByRole('button', { name: 'Delete tag Doomed' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete tag Doomed?' });
    expect(within(confirm).getByText(/3 customers will lose this tag/)).toBeTruthy();
    await user.click(within(confirm).getByRole('button', { name: 'Delete tag' }));
    expect(await findNotification('removed from 3 customers')).toBeTruthy();
    await waitFor(() => expect(within(table).queryByText('Doomed')).toBeNull());
    expect((await storedTags()).some((t) => t.id === doomed.id)).toBe(false);
    const res = await server.request({ method: 'GET', url: `/api/crm/customers/${customer!.id}`, as: admin });
    expect(res.json<Customer>().tags).toEqual([]);
  });

  it('is read-only for those who cannot manage tags', async () => {
    await server.signIn('agent');
    const { table } = await openTags();
    expect(rowOf(table, 'VIP')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New tag' })).toBeNull();
    expect(within(table).queryByRole('button', { name: /^Edit tag/ })).toBeNull();
    expect(within(table).queryByRole('columnheader', { name: 'Actions' })).toBeNull();
  });
});
