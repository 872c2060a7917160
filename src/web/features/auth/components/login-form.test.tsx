import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  currentUrl,
  renderApp,
  startWebTestServer,
  testPassword,
  type WebTestServer,
} from '../../../test/harness.js';

/** Signing in through the real form and the real /api/auth endpoints; the session is a cookie. */
let server: WebTestServer;
beforeAll(async () => {
  server = await startWebTestServer();
});
afterEach(() => server.signOut());
afterAll(() => server?.close());

async function fillAndSubmit(
  user: Awaited<ReturnType<typeof renderApp>>['user'],
  email: string,
  password: string,
) {
  const form = await screen.findByRole('form', { name: 'Sign in' });
  await user.type(within(form).getByRole('textbox', { name: 'Email' }), email);
  await user.type(within(form).getByLabelText(/^Password/), password);
  await user.click(within(form).getByRole('button', { name: 'Sign in' }));
  return form;
}

describe('sign-in', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    await renderApp('/');
    await waitFor(() => expect(currentUrl()).toBe('/login?redirect=%2Fcustomers'));
    expect(await screen.findByRole('heading', { name: 'Sign in to CRM console' })).toBeTruthy();
  });

  it('checks the form before sending it', async () => {
    const { user } = await renderApp('/login');
    const form = await fillAndSubmit(user, 'not-an-email', 'x');
    expect(await within(form).findByText(/email/i, { selector: '.mantine-InputWrapper-error' })).toBeTruthy();
    expect(within(form).queryByRole('alert')).toBeNull();
  });

  it('shows an error for a wrong password and stays on the page', async () => {
    const staff = await server.staff('agent', { password: testPassword });
    const { user } = await renderApp('/login');
    const form = await fillAndSubmit(user, staff.email, 'wrong password!');
    expect(await within(form).findByText('The email or password is not correct.')).toBeTruthy();
    expect(currentUrl()).toBe('/login');
    expect((await fetch('/api/auth/me')).status).toBe(401);
  });

  it('refuses a disabled account without saying whether it exists', async () => {
    const staff = await server.staff('agent', { password: testPassword });
    await server.database.db
      .updateTable('staff_users')
      .set({ disabled: true })
      .where('id', '=', staff.id)
      .execute();
    const { user } = await renderApp('/login');
    const form = await fillAndSubmit(user, staff.email, testPassword);
    expect(await within(form).findByText('The email or password is not correct.')).toBeTruthy();
    expect(currentUrl()).toBe('/login');
  });

  it('signs in, sets the session cookie and goes to the page asked for', async () => {
    const staff = await server.staff('agent', { password: testPassword });
    const { user } = await renderApp('/settings/tokens');
    await waitFor(() => expect(currentUrl()).toBe('/login?redirect=%2Fsettings%2Ftokens'));
    await fillAndSubmit(user, staff.email, testPassword);
    expect(await screen.findByRole('heading', { name: 'API tokens' })).toBeTruthy();
    expect(currentUrl()).toBe('/settings/tokens');
    const me = await fetch('/api/auth/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: staff.email, auth: 'session' });
  });

  it('never redirects off the app after signing in', async () => {
    const staff = await server.staff('viewer', { password: testPassword });
    const { user } = await renderApp('/login?redirect=%2F%2Fevil.example');
    await fillAndSubmit(user, staff.email, testPassword);
    await waitFor(() => expect(currentUrl()).toBe('/customers'));
  });

  it('sends a signed-in user on from the sign-in page', async () => {
    await server.signIn('viewer');
    await renderApp('/login?redirect=%2Fsettings%2Ftokens');
    await waitFor(() => expect(currentUrl()).toBe('/settings/tokens'));
  });

  it('goes back to sign-in when the session ends while the app is open', async () => {
    await server.signIn('agent');
    const { user } = await renderApp('/customers');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    await screen.findByText('0 customers');
    await server.signOut();
    await user.click(within(nav).getByRole('link', { name: 'API tokens' }));
    await waitFor(() => expect(currentUrl()).toBe('/login?redirect=%2Fsettings%2Ftokens'));
  });

  it('asks to wait after too many failed attempts', async () => {
    const staff = await server.staff('agent', { password: testPassword });
    // Last in the file: the limit counts failures per address too, so later sign-ins would wait.
    const statuses: number[] = [];
    for (let i = 0; i <= server.config.loginRateLimit && statuses.at(-1) !== 429; i += 1) {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: staff.email, password: `wrong ${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
    const { user } = await renderApp('/login');
    const form = await fillAndSubmit(user, staff.email, testPassword);
    expect(
      await within(form).findByText('Too many sign-in attempts. Wait a minute and try again.'),
    ).toBeTruthy();
  });
});
