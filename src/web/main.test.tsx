import { screen, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer } from '../../tests/helpers/factories.js';
import { setElementSize } from './test/resize-observer.js';
import { startWebTestServer, type WebTestServer } from './test/server.js';

/** The entry point as the browser runs it: index.html's #root, the URL it was opened at, a session. */
let server: WebTestServer;
beforeAll(async () => {
  server = await startWebTestServer();
  const admin = await server.staff('admin');
  await makeCustomer(server, admin, { first_name: 'Entry', last_name: 'Point' });
  await server.signIn('viewer');
});
afterAll(() => server?.close());

describe('main.tsx', () => {
  it('boots the app into #root at the address it was opened at', async () => {
    window.history.replaceState(null, '', '/customers?sort=last_name&order=asc');
    document.body.innerHTML = '<div id="root"></div>';
    // React renders outside testing-library's act() here, as in the browser.
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    await import('./main.js');

    const root = document.getElementById('root')!;
    const table = await within(root).findByRole('table', { name: 'Customers' });
    setElementSize(table.parentElement!, { width: 1200, height: 600 });
    expect(await within(table).findByText('Entry Point')).toBeTruthy();
    expect(screen.getByText('1 customer')).toBeTruthy();
    expect(window.location.pathname).toBe('/customers');
  });
});
