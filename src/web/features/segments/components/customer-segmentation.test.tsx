import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Segment } from '../../../../shared/segments.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { currentUrl, renderApp, startWebTestServer, type WebTestServer } from '../../../test/harness.js';

/** The segments list against a real server: empty state, rows with type and size, read-only view. */
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

const rowOf = (table: HTMLElement, name: string) =>
  within(table).getByRole('link', { name }).closest('tr') as HTMLElement;

describe('segments list', () => {
  // runs first: the database has no segments yet
  it('explains segments when there are none, with a call to action for managers', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/segments');
    expect(await screen.findByText('No segments yet')).toBeTruthy();
    expect(screen.getByText(/A segment is a group of customers/)).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Segments' })).toBeNull();
    await user.click(screen.getByRole('link', { name: 'Create your first segment' }));
    await waitFor(() => expect(currentUrl()).toBe('/segments/new'));
  });

  it('lists segments with type, size, description and a link to each', async () => {
    for (let i = 0; i < 3; i += 1) await makeCustomer(server, admin, { company: 'Listed Co' });
    await makeCustomer(server, admin, { company: 'Elsewhere' });
    const auto = await seedSegment({
      name: 'Listed Co people',
      description: 'Everyone at Listed Co',
      auto_update: true,
      criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: 'Listed Co' }] },
    });
    await seedSegment({ name: 'Hand picked', auto_update: false });

    await server.signIn('manager');
    const { user } = await renderApp('/segments');
    const table = await screen.findByRole('table', { name: 'Segments' });
    const autoRow = rowOf(table, 'Listed Co people');
    expect(within(autoRow).getByText('Automatic')).toBeTruthy();
    expect(within(autoRow).getByText('3')).toBeTruthy();
    expect(within(autoRow).getByText('Everyone at Listed Co')).toBeTruthy();
    const manualRow = rowOf(table, 'Hand picked');
    expect(within(manualRow).getByText('Manual')).toBeTruthy();
    expect(within(manualRow).getByText('0')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'New segment' }).getAttribute('href')).toBe('/segments/new');

    await user.click(within(autoRow).getByRole('link', { name: 'Listed Co people' }));
    await waitFor(() => expect(currentUrl()).toBe(`/segments/${auto.id}`));
    expect(await screen.findByRole('heading', { name: 'Listed Co people', level: 1 })).toBeTruthy();
    // the page's own requests finish before the test does
    expect(await screen.findByRole('table', { name: 'Segment members' })).toBeTruthy();
  });

  it('offers no way to create segments to those who cannot manage them', async () => {
    await server.signIn('viewer');
    await renderApp('/segments');
    const table = await screen.findByRole('table', { name: 'Segments' });
    expect(rowOf(table, 'Hand picked')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'New segment' })).toBeNull();
  });
});
