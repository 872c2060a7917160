import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../../../shared/auth.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The staff page against a real server: list, add a user, change a role, disable and enable. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.signIn('admin');
});
afterAll(() => server?.close());

async function storedUser(email: string): Promise<StaffUser | undefined> {
  const res = await server.request({ method: 'GET', url: '/api/users', as: admin });
  return res.json<{ data: StaffUser[] }>().data.find((u) => u.email === email);
}

async function openStaff() {
  const view = await renderApp('/staff');
  const table = await screen.findByRole('table', { name: 'Staff users' });
  return { ...view, table };
}

const rowOf = (table: HTMLElement, text: string) =>
  within(table).getByText(text).closest('tr') as HTMLElement;

describe('staff page', () => {
  it('lists the staff and keeps admins from demoting or disabling themselves', async () => {
    const { table } = await openStaff();
    const mine = rowOf(table, admin.email);
    expect(within(mine).getByText('(you)')).toBeTruthy();
    const role = within(mine).getByRole('combobox', { name: /^Role of/ }) as HTMLInputElement;
    expect(role.value).toBe('Admin');
    expect(role.disabled).toBe(true);
    expect((within(mine).getByRole('button', { name: /^Disable/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(mine).getByText('Active')).toBeTruthy();
  });

  it('adds a user who can then sign in', async () => {
    const { user, table } = await openStaff();
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add staff user' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Radia Perlman');
    await user.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'radia@staff.test');
    await user.type(within(dialog).getByLabelText(/Initial password/), 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect(await within(dialog).findByText('Password must be at least 10 characters')).toBeTruthy();

    await user.type(within(dialog).getByLabelText(/Initial password/), ' but longer now');
    await user.click(within(dialog).getByRole('combobox', { name: 'Role' }));
    await user.click(await screen.findByRole('option', { name: 'Manager' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect(await findNotification('Radia Perlman can now sign in')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add staff user' })).toBeNull());
    const row = await waitFor(() => rowOf(table, 'radia@staff.test'));
    expect(within(row).getByText('Never')).toBeTruthy();
    expect(await storedUser('radia@staff.test')).toMatchObject({ name: 'Radia Perlman', role: 'manager' });
    const signIn = await server.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'radia@staff.test', password: 'short but longer now' },
    });
    expect(signIn.statusCode).toBe(200);
  });

  it('shows an existing email on the field', async () => {
    const other = await server.staff('agent');
    const { user } = await openStaff();
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add staff user' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Email' }), other.email);
    await user.type(within(dialog).getByLabelText(/Initial password/), 'long enough password');
    await user.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect(await within(dialog).findByText('A user with this email already exists')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add staff user' })).toBeNull());
  });

  it('changes a user’s role', async () => {
    const agent = await server.staff('agent');
    const { user, table } = await openStaff();
    const row = rowOf(table, agent.email);
    await user.click(within(row).getByRole('combobox', { name: /^Role of/ }));
    await user.click(await screen.findByRole('option', { name: 'Viewer' }));
    expect(await findNotification('is now viewer')).toBeTruthy();
    expect((await storedUser(agent.email))?.role).toBe('viewer');
    await waitFor(() =>
      expect((within(rowOf(table, agent.email)).getByRole('combobox') as HTMLInputElement).value).toBe(
        'Viewer',
      ),
    );
  });

  it('disables a user after confirming, and enables them again', async () => {
    const agent = await server.staff('agent');
    const { user, table } = await openStaff();
    await user.click(within(rowOf(table, agent.email)).getByRole('button', { name: /^Disable/ }));
    const confirm = await screen.findByRole('dialog', { name: /^Disable/ });
    await user.click(within(confirm).getByRole('button', { name: 'Disable user' }));
    expect(await findNotification('disabled')).toBeTruthy();
    await waitFor(() => expect(within(rowOf(table, agent.email)).getByText('Disabled')).toBeTruthy());
    expect((await storedUser(agent.email))?.disabled).toBe(true);
    const refused = await server.request({ method: 'GET', url: '/api/auth/me', as: agent });
    expect(refused.statusCode).toBe(401);

    await user.click(within(rowOf(table, agent.email)).getByRole('button', { name: /^Enable/ }));
    const again = await screen.findByRole('dialog', { name: /^Enable/ });
    await user.click(within(again).getByRole('button', { name: 'Enable user' }));
    await waitFor(() => expect(within(rowOf(table, agent.email)).getByText('Active')).toBeTruthy());
    expect((await storedUser(agent.email))?.disabled).toBe(false);
  });
});
