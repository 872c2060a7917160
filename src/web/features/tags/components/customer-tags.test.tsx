import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, TimelineEvent } from '../../../../shared/customers.js';
import type { Tag, TagList } from '../../../../shared/tags.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** Tagging from CustomerProfile against a real server: badges, remove, add existing, create new. */
let server: WebTestServer;
let admin: StaffHandle;
let vip: Tag;
let coffee: Tag;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  vip = await seedTag('VIP', '#c2255c');
  coffee = await seedTag('Coffee lover', '#74c0fc');
});
afterAll(() => server?.close());

async function seedTag(name: string, color: string): Promise<Tag> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/tags',
    as: admin,
    payload: { name, color },
  });
  return res.json<Tag>();
}

async function taggedCustomer(tags: Tag[]): Promise<Customer> {
  const customer = await makeCustomer(server, admin, { first_name: 'Tina', last_name: 'Tagged' });
  if (tags.length) {
    await server.request({
      method: 'POST',
      url: `/api/crm/customers/${customer.id}/tags`,
      as: admin,
      payload: { tag_ids: tags.map((t) => t.id) },
    });
  }
  return customer;
}

async function storedTagNames(id: string): Promise<string[]> {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin });
  return res.json<Customer>().tags.map((t) => t.name);
}

async function openProfile(id: string) {
  const view = await renderApp(`/customers/${id}`);
  await screen.findByRole('heading', { level: 1 });
  return { ...view, tags: screen.getByRole('group', { name: 'Tags' }) };
}

describe('tags on the profile', () => {
  it('shows the tags and removes one with its x button', async () => {
    const customer = await taggedCustomer([vip, coffee]);
    await server.signIn('agent');
    const { user, tags } = await openProfile(customer.id);
    expect(within(tags).getByText('VIP')).toBeTruthy();
    expect(within(tags).getByText('Coffee lover')).toBeTruthy();
    await user.click(within(tags).getByRole('button', { name: 'Remove tag Coffee lover' }));
    expect(await findNotification('Removed tag Coffee lover')).toBeTruthy();
    await waitFor(() => expect(within(tags).queryByText('Coffee lover')).toBeNull());
    expect(await storedTagNames(customer.id)).toEqual(['VIP']);
    // the timeline shows it
    const timeline = screen.getByRole('region', { name: 'Timeline' });
    expect(await within(timeline).findByText('Untagged Coffee lover')).toBeTruthy();
  });

  it('adds an existing tag from the combobox, offering only tags the customer lacks', async () => {
    const customer = await taggedCustomer([vip]);
    await server.signIn('agent');
    const { user, tags } = await openProfile(customer.id);
    const input = within(tags).getByRole('textbox', { name: 'Add tag' });
    await user.click(input);
    expect(await screen.findByRole('option', { name: 'Coffee lover' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: 'VIP' })).toBeNull();
    await user.type(input, 'cof');
    await user.click(await screen.findByRole('option', { name: 'Coffee lover' }));
    expect(await findNotification('Tagged Coffee lover')).toBeTruthy();
    await waitFor(() => expect(within(tags).getByText('Coffee lover')).toBeTruthy());
    expect(await storedTagNames(customer.id)).toEqual(['Coffee lover', 'VIP']);
  });

  it('lets an agent pick only existing tags', async () => {
    const customer = await taggedCustomer([]);
    await server.signIn('agent');
    const { user, tags } = await openProfile(customer.id);
    await user.type(within(tags).getByRole('textbox', { name: 'Add tag' }), 'Brand new');
    expect(await screen.findByText('No matching tags')).toBeTruthy();
    expect(screen.queryByRole('option', { name: /Create tag/ })).toBeNull();
  });

  it('lets a manager create a new tag by typing its name', async () => {
    const customer = await taggedCustomer([]);
    await server.signIn('manager');
    const { user, tags } = await openProfile(customer.id);
    await user.type(within(tags).getByRole('textbox', { name: 'Add tag' }), 'Early adopter');
    await user.click(await screen.findByRole('option', { name: 'Create tag “Early adopter”' }));
    expect(await findNotification('Tagged Early adopter')).toBeTruthy();
    await waitFor(() => expect(within(tags).getByText('Early adopter')).toBeTruthy());
    expect(await storedTagNames(customer.id)).toEqual(['Early adopter']);
    const all = await server.request({ method: 'GET', url: '/api/crm/tags', as: admin });
    expect(all.json<TagList>().data.find((t) => t.name === 'Early adopter')?.customer_count).toBe(1);
    const events = await server.request({
      method: 'GET',
      url: `/api/crm/customers/${customer.id}/timeline?kind=tag_added`,
      as: admin,
    });
    expect(events.json<{ data: TimelineEvent[] }>().data[0]?.summary).toBe('Tagged Early adopter');
  });

  it('takes Enter for the only match, or to create the typed name', async () => {
    const customer = await taggedCustomer([]);
    await server.signIn('manager');
    const { user, tags } = await openProfile(customer.id);
    const input = within(tags).getByRole('textbox', { name: 'Add tag' });
    await user.type(input, 'coffee');
    await screen.findByRole('option', { name: 'Coffee lover' });
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(tags).getByText('Coffee lover')).toBeTruthy());
    await user.type(input, 'Typed by keyboard');
    await screen.findByRole('option', { name: 'Create tag “Typed by keyboard”' });
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(tags).getByText('Typed by keyboard')).toBeTruthy());
    expect(await storedTagNames(customer.id)).toEqual(['Coffee lover', 'Typed by keyboard']);
  });

  it('shows a viewer the tags without ways to change them', async () => {
    const customer = await taggedCustomer([vip]);
    await server.signIn('viewer');
    const { tags } = await openProfile(customer.id);
    expect(within(tags).getByText('VIP')).toBeTruthy();
    expect(within(tags).queryByRole('button')).toBeNull();
    expect(within(tags).queryByRole('textbox', { name: 'Add tag' })).toBeNull();
  });
});
