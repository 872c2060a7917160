import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  testPassword,
  type WebTestServer,
} from '../../test/harness.js';

/** The app shell: navigation per role, guards, theme, and the user menu (password, sign-out). */
let server: WebTestServer;
beforeAll(async () => {
  server = await startWebTestServer();
});
afterEach(() => server.signOut());
afterAll(() => server?.close());

async function navLinks(): Promise<string[]> {
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await within(nav).findByRole('link', { name: 'Customers' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent ?? '');
}

describe('app shell', () => {
  it('shows an admin every screen', async () => {
    await server.signIn('admin');
    await renderApp('/');
    await waitFor(() => expect(currentUrl()).toBe('/customers'));
    await waitFor(async () => expect(await navLinks()).toContain('Staff'));
    expect(await navLinks()).toEqual([
      'My work',
      'Customers',
      'New customer',
      'Import',
      'Tickets',
      'Tasks',
      'Team activity',
      'Email',
      'Segments',
      'Tags',
      'Lifecycle & RFM',
      'Analytics',
      'Exports',
      'Audit log',
      'Staff',
      'API tokens',
      'API docs',
    ]);
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Customers' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows an agent no import or staff screens, and a viewer nothing that writes', async () => {
    await server.signIn('agent');
    const first = await renderApp('/customers');
    await waitFor(async () => expect(await navLinks()).toContain('New customer'));
    expect(await navLinks()).toEqual([
      'My work',
      'Customers',
      'New customer',
      'Tickets',
      'Tasks',
      'Team activity',
      'Email',
      'Segments',
      'Tags',
      'Lifecycle & RFM',
      'Analytics',
      'Exports',
      'API tokens',
      'API docs',
    ]);
    first.unmount();

    await server.signIn('viewer');
    await renderApp('/customers/new');
    expect(await screen.findByText('Not allowed')).toBeTruthy();
    expect(await navLinks()).toEqual([
      'My work',
      'Customers',
      'Tickets',
      'Tasks',
      'Team activity',
      'Email',
      'Segments',
      'Tags',
      'Lifecycle & RFM',
      'Analytics',
      'API tokens',
      'API docs',
    ]);
    expect(screen.queryByRole('link', { name: 'New customer' })).toBeNull();
  });

  it('moves between screens through the navigation', async () => {
    await server.signIn('manager');
    const { user } = await renderApp('/customers');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    await user.click(await within(nav).findByRole('link', { name: 'Import' }));
    expect(await screen.findByRole('heading', { name: 'Import customers' })).toBeTruthy();
    expect(currentUrl()).toBe('/customers/import');
    expect(within(nav).getByRole('link', { name: 'Import' }).getAttribute('aria-current')).toBe('page');
    expect(within(nav).getByRole('link', { name: 'Customers' }).getAttribute('aria-current')).toBeNull();
    await user.click(within(nav).getByRole('link', { name: 'API tokens' }));
    expect(await screen.findByRole('heading', { name: 'API tokens' })).toBeTruthy();
  });

  it('answers an unknown address with a page that leads back', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/no-such-page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'Go to customers' }));
    await waitFor(() => expect(currentUrl()).toBe('/customers'));
  });

  it('switches between light and dark themes and keeps the choice', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/customers');
    await user.click(await screen.findByRole('button', { name: 'Switch to dark theme' }));
    expect(await screen.findByRole('button', { name: 'Switch to light theme' })).toBeTruthy();
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('dark');
    expect(window.localStorage.getItem('mantine-color-scheme-value')).toBe('dark');
    await user.click(screen.getByRole('button', { name: 'Switch to light theme' }));
    expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('light');
  });
});

describe('user menu', () => {
  it('names the user and opens their API tokens', async () => {
    const me = await server.signIn('manager');
    const { user } = await renderApp('/customers');
    const trigger = await screen.findByRole('button', { name: /Account menu/ });
    expect(trigger.textContent).toContain('Manager');
    await user.click(trigger);
    expect(await screen.findByText(me.email)).toBeTruthy();
    await user.click(await screen.findByRole('menuitem', { name: 'API tokens' }));
    await waitFor(() => expect(currentUrl()).toBe('/settings/tokens'));
  });

  it('changes the password after checking the form and the current password', async () => {
    const me = await server.signIn('agent');
    const { user } = await renderApp('/customers');
    await user.click(await screen.findByRole('button', { name: /Account menu/ }));
    await user.click(await screen.findByRole('menuitem', { name: 'Change password' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change password' });
    const current = within(dialog).getByLabelText('Current password');
    const next = within(dialog).getByLabelText('New password');
    const repeat = within(dialog).getByLabelText('Repeat the new password');
    const submit = within(dialog).getByRole('button', { name: 'Change password' });

    await user.type(current, testPassword);
    await user.type(next, 'short');
    await user.type(repeat, 'other');
    await user.click(submit);
    expect(await within(dialog).findByText('Password must be at least 10 characters')).toBeTruthy();

    await user.clear(next);
    await user.type(next, 'a brand new secret');
    await user.click(submit);
    expect(await within(dialog).findByText('The two new passwords differ')).toBeTruthy();

    await user.clear(current);
    await user.type(current, 'not my password');
    await user.clear(repeat);
    await user.type(repeat, 'a brand new secret');
    await user.click(submit);
    expect(await within(dialog).findByText('Not correct')).toBeTruthy();

    await user.clear(current);
    await user.type(current, testPassword);
    await user.click(submit);
    expect(await findNotification('Password changed')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Change password' })).toBeNull());

    const oldPassword = await server.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: me.email, password: testPassword },
    });
    expect(oldPassword.statusCode).toBe(401);
    const newPassword = await server.request({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: me.email, password: 'a brand new secret' },
    });
    expect(newPassword.statusCode).toBe(200);
  });

  it('cancels the password change without sending it', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/customers');
    await user.click(await screen.findByRole('button', { name: /Account menu/ }));
    await user.click(await screen.findByRole('menuitem', { name: 'Change password' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change password' });
    await user.type(within(dialog).getByLabelText('Current password'), 'typed');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Change password' })).toBeNull());
  });

  it('signs out to the sign-in page and ends the session', async () => {
    await server.signIn('viewer');
    const { user } = await renderApp('/customers');
    await user.click(await screen.findByRole('button', { name: /Account menu/ }));
    expect(screen.queryByRole('menuitem', { name: 'Change password' })).toBeTruthy();
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));
    await waitFor(() => expect(currentUrl()).toBe('/login'));
    expect(await screen.findByRole('heading', { name: 'Sign in to CRM console' })).toBeTruthy();
    const me = await fetch('/api/auth/me');
    expect(me.status).toBe(401);
  });
});
