import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExportFields } from '../../../../shared/export-fields.js';
import type { Export } from '../../../../shared/exports.js';
import { writeAudit } from '../../../../server/platform/audit.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  renderApp,
  startWebTestServer,
  testPassword,
  type WebTestServer,
} from '../../../test/harness.js';

/** The audit log against a real server: what actions write, filters in the URL, details, paging. */
let server: WebTestServer;
let admin: StaffHandle;
let manager: StaffHandle;
let exported: Export;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  manager = await server.staff('manager', { password: testPassword });
  await makeCustomer(server, admin, { first_name: 'Audited', last_name: 'Person' });
  // a failed sign-in, then an export requested, run and downloaded by the manager
  await server.request({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: manager.email, password: 'not the password' },
  });
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/export/customers',
    as: manager,
    payload: { format: 'csv', fields: defaultExportFields, selection: { all: true }, title: 'Audit me' },
  });
  expect(res.statusCode, res.body).toBe(202);
  exported = res.json<Export>();
  await server.app.workers.runner.runDue();
  const file = await server.request({
    method: 'GET',
    url: `/api/crm/export/download/${exported.id}`,
    as: manager,
  });
  expect(file.statusCode).toBe(200);
});
afterAll(() => server?.close());

const table = () => screen.findByRole('table', { name: 'Audit log' });
const actions = (t: HTMLElement) =>
  within(t)
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelectorAll('td')[2]?.textContent ?? '')
    .filter(Boolean);

describe('audit log', () => {
  it('lists what happened, newest first, and opens an entry’s details', async () => {
    await server.signIn('admin');
    const { user } = await renderApp('/audit');
    const log = await table();
    await within(log).findAllByText('Export downloaded');
    const shown = actions(log);
    // newest first: this sign-in, then the download, ... down to the failed sign-in
    expect(shown[0]).toBe('Signed in');
    expect(shown.indexOf('Export downloaded')).toBeLessThan(shown.indexOf('Export completed'));
    expect(shown.indexOf('Export completed')).toBeLessThan(shown.indexOf('Export requested'));
    expect(shown.indexOf('Export requested')).toBeLessThan(shown.indexOf('Sign-in failed'));

    const requested = within(log).getByText('Export requested').closest('tr')!;
    expect(within(requested).getByText(/^Manager \d+$/)).toBeTruthy();
    expect(within(requested).getByRole('link', { name: `export ${exported.id.slice(0, 8)}` })).toBeTruthy();
    const toggle = within(requested).getByRole('button', { name: /^Details of Export requested/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const details = await screen.findByRole('table', { name: /^Details of Export requested/ });
    expect(within(details).getByText('Format')).toBeTruthy();
    expect(within(details).getByText('csv')).toBeTruthy();
    await user.click(toggle);
    expect(screen.queryByRole('table', { name: /^Details of Export requested/ })).toBeNull();
  });

  it('filters by action, by who and by subject, in the URL', async () => {
    await server.signIn('admin');
    const { user, unmount } = await renderApp('/audit');
    await within(await table()).findAllByText('Export downloaded');

    await user.click(screen.getByRole('combobox', { name: 'Action' }));
    await user.click(await screen.findByRole('option', { name: 'Export requested' }));
    await user.click(await screen.findByRole('option', { name: 'Export downloaded' }));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(currentUrl()).toBe('/audit?action=export.requested%2Cexport.downloaded'));
    await waitFor(async () =>
      expect(actions(await table()).sort()).toEqual(['Export downloaded', 'Export requested']),
    );

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(currentUrl()).toBe('/audit'));

    await user.click(screen.getByRole('combobox', { name: 'Who' }));
    await user.click(await screen.findByRole('option', { name: /^Manager \d+$/ }));
    await waitFor(() => expect(currentUrl()).toBe(`/audit?actor_id=${manager.id}`));
    await waitFor(async () =>
      expect(new Set(actions(await table()))).toEqual(new Set(['Export requested', 'Export downloaded'])),
    );

    unmount();
    await renderApp(`/audit?subject_type=export&subject_id=${exported.id}`);
    expect(((await screen.findByRole('textbox', { name: 'Subject id' })) as HTMLInputElement).value).toBe(
      exported.id,
    );
    expect((screen.getByRole('combobox', { name: 'Subject type' }) as HTMLInputElement).value).toBe('Export');
    await waitFor(async () =>
      expect(new Set(actions(await table()))).toEqual(
        new Set(['Export requested', 'Export completed', 'Export downloaded']),
      ),
    );
  });

  it('says when nothing matches a date range', async () => {
    await server.signIn('admin');
    await renderApp('/audit?from=2001-01-01T00:00:00.000Z&to=2001-01-02T00:00:00.000Z');
    expect(await screen.findByText('No entries match')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Clear filters' })).toBeTruthy();
  });

  it('loads older entries on request', async () => {
    for (let i = 0; i < 55; i += 1) {
      await writeAudit(server.database.db, {
        action: 'staff.role_changed',
        actor: { id: admin.id, email: admin.email, name: 'Bulk changer' },
        subject: { type: 'staff_user', id: manager.id },
        details: { from: 'agent', to: 'manager', n: i },
      });
    }
    await server.signIn('admin');
    const { user } = await renderApp('/audit?action=staff.role_changed');
    await waitFor(async () => expect(actions(await table())).toHaveLength(50));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(async () => expect(actions(await table())).toHaveLength(55));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('is not there for a manager', async () => {
    await server.signIn('manager');
    await renderApp('/audit');
    expect(await screen.findByText('Not allowed')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).queryByRole('link', { name: 'Audit log' })).toBeNull();
  });
});
