import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import { login } from '../../auth/api/login.js';
import { createToken } from '../api/create-token.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  testPassword,
  type WebTestServer,
} from '../../../test/harness.js';

/** Personal API tokens against a real server: create (secret shown once), use, revoke. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  // A user made through the API has no token yet (the test helper's users come with one).
  const res = await server.request({
    method: 'POST',
    url: '/api/users',
    as: admin,
    payload: { email: 'tokens@staff.test', password: testPassword, role: 'agent', name: 'Token Owner' },
  });
  expect(res.statusCode).toBe(201);
  await login({ email: 'tokens@staff.test', password: testPassword });
});
afterAll(() => server?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API tokens page', () => {
  it('creates a token, shows its secret once, and revokes it', async () => {
    const { user } = await renderApp('/settings/tokens');
    expect(await screen.findByText('No tokens yet.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'New token' }));
    const dialog = await screen.findByRole('dialog', { name: 'New API token' });
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));
    expect(within(dialog).getByRole('textbox', { name: /^Name/ }).getAttribute('aria-invalid')).toBe('true');
    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Nightly sync');
    const days = within(dialog).getByRole('textbox', { name: /Expires after/ });
    await user.clear(days);
    await user.type(days, '30');
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));

    const created = await screen.findByRole('dialog', { name: 'Token created' });
    const token = within(created).getByLabelText('API token').textContent ?? '';
    expect(token).toMatch(/^crm_/);
    await user.click(within(created).getByRole('button', { name: 'Copy token' }));
    expect(await within(created).findByRole('button', { name: 'Copied' })).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe(token);
    const me = await server.request({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ email: 'tokens@staff.test', auth: 'api_token' });

    await user.click(within(created).getByRole('button', { name: 'Done' }));
    const table = await screen.findByRole('table', { name: 'API tokens' });
    const row = within(table).getByText('Nightly sync').closest('tr') as HTMLElement;
    expect(within(row).getByText('Active')).toBeTruthy();
    expect(row.textContent).toContain(`${token.slice(0, 12)}…`);
    expect(screen.queryByText(token)).toBeNull();

    await user.click(within(row).getByRole('button', { name: 'Revoke Nightly sync' }));
    const confirm = await screen.findByRole('dialog', { name: 'Revoke “Nightly sync”?' });
    await user.click(within(confirm).getByRole('button', { name: 'Revoke token' }));
    expect(await findNotification('“Nightly sync” revoked')).toBeTruthy();
    await waitFor(() => expect(within(row).getByText('Revoked')).toBeTruthy());
    expect(within(row).queryByRole('button', { name: 'Revoke Nightly sync' })).toBeNull();
    const refused = await server.request({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
    expect(refused.statusCode).toBe(401);
  });

  it('creates a token that never expires when no expiry is given', async () => {
    const { user } = await renderApp('/settings/tokens');
    await user.click(await screen.findByRole('button', { name: 'New token' }));
    const dialog = await screen.findByRole('dialog', { name: 'New API token' });
    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Forever');
    await user.clear(within(dialog).getByRole('textbox', { name: /Expires after/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));
    const created = await screen.findByRole('dialog', { name: 'Token created' });
    await user.click(within(created).getByRole('button', { name: 'Done' }));
    const table = await screen.findByRole('table', { name: 'API tokens' });
    const row = await waitFor(() => within(table).getByText('Forever').closest('tr') as HTMLElement);
    // Expires and Last used both say Never.
    expect(within(row).getAllByText('Never')).toHaveLength(2);
  });

  it('marks a token past its expiry date as expired', async () => {
    const made = await createToken({ name: 'Old sync', expires_in_days: 1 });
    await server.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', made.id)
      .execute();
    await renderApp('/settings/tokens');
    const table = await screen.findByRole('table', { name: 'API tokens' });
    const row = within(table).getByText('Old sync').closest('tr') as HTMLElement;
    expect(within(row).getByText('Expired')).toBeTruthy();
  });

  it('closes the form on Cancel without creating anything', async () => {
    const { user } = await renderApp('/settings/tokens');
    await screen.findByRole('table', { name: 'API tokens' });
    const before = screen.getAllByRole('row').length;
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const dialog = await screen.findByRole('dialog', { name: 'New API token' });
    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Never made');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New API token' })).toBeNull());
    expect(screen.getAllByRole('row')).toHaveLength(before);
    expect(screen.queryByText('Never made')).toBeNull();
  });
});
