import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExportFields } from '../../../../shared/export-fields.js';
import type { Export } from '../../../../shared/exports.js';
import type { Config } from '../../../../server/config.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/**
 * The exports page against a real server: the approval queue (two admins), rejection with a
 * reason, download, cancel and delete with confirmation, retry, "Mine only" and the empty state.
 * Exports with personal fields of more than one row wait for approval here.
 */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer({ exports: { approvalRows: 1 } as Config['exports'] });
  admin = await server.staff('admin');
  for (const first of ['Nina', 'Omar', 'Pia']) {
    await makeCustomer(server, admin, {
      first_name: first,
      last_name: 'Listed',
      email: `${first}@list.test`,
    });
  }
});
afterAll(() => server?.close());

async function requestExport(as: StaffHandle, body: Record<string, unknown> = {}): Promise<Export> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/export/customers',
    as,
    payload: { format: 'csv', fields: defaultExportFields, selection: { all: true }, ...body },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json<Export>();
}

async function storedExport(id: string): Promise<Export> {
  const res = await server.request({ method: 'GET', url: `/api/crm/export/status/${id}`, as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Export>();
}

const rowOf = async (table: HTMLElement, title: string) =>
  (await within(table).findByText(title)).closest('tr') as HTMLElement;

describe('exports page', () => {
  it('says how to export when there is nothing yet', async () => {
    await server.signIn('manager');
    await renderApp('/exports');
    expect(await screen.findByText('No exports yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to customers' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: /Awaiting approval/ })).toBeNull();
  });

  it('a second admin approves a large personal-data export; the first cannot approve their own', async () => {
    const first = await server.signIn('admin');
    const mine = await requestExport(first, { title: 'Four eyes export' });
    expect(mine.state).toBe('pending_approval');
    const firstView = await renderApp('/exports');
    const table = await screen.findByRole('table', { name: 'Exports' });
    const row = await rowOf(table, 'Four eyes export');
    expect(within(row).getByText('Awaiting approval')).toBeTruthy();
    // one's own export is not in one's queue
    expect(screen.queryByRole('table', { name: 'Exports awaiting approval' })).toBeNull();
    firstView.unmount();

    const second = await server.signIn('admin');
    const { user } = await renderApp('/exports');
    const queue = await screen.findByRole('region', { name: 'Awaiting approval (1)' });
    const pending = await rowOf(within(queue).getByRole('table'), 'Four eyes export');
    expect(within(pending).getByText(/^Admin \d+$/)).toBeTruthy();
    await user.click(within(pending).getByRole('button', { name: 'Approve export Four eyes export' }));
    const confirm = await screen.findByRole('dialog', { name: 'Approve this export?' });
    expect(within(confirm).getByText(/Fields: First name, Last name, Email/)).toBeTruthy();
    await user.click(within(confirm).getByRole('button', { name: 'Approve export' }));
    await findNotification('Export “Four eyes export” approved');
    expect(await storedExport(mine.id)).toMatchObject({ state: 'queued', approved_by: { id: second.id } });
    await waitFor(() => expect(screen.queryByRole('region', { name: /Awaiting approval/ })).toBeNull());

    await server.app.workers.runner.runDue();
    expect((await storedExport(mine.id)).state).toBe('completed');
  });

  it('says in the dialog that a second admin must approve, and requests it', async () => {
    const me = await server.signIn('admin');
    const { user } = await renderApp('/customers');
    await user.click(await screen.findByRole('button', { name: 'Export' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export customers' });
    expect(await within(dialog).findByText('Needs a second admin’s approval')).toBeTruthy();
    const request = within(dialog).getByRole('button', { name: 'Request export' });
    await waitFor(() => expect((request as HTMLButtonElement).disabled).toBe(false));
    await user.click(request);
    await findNotification('Export waiting for approval');
    const res = await server.request({ method: 'GET', url: '/api/crm/exports?mine=true', as: me });
    expect(res.json<{ data: Export[] }>().data[0]?.state).toBe('pending_approval');
  });

  it('rejects another admin’s export with a reason, which the list then shows', async () => {
    const other = await server.staff('admin');
    const theirs = await requestExport(other, { title: 'Everything please' });
    await server.signIn('admin');
    const { user } = await renderApp('/exports');
    const queue = await screen.findByRole('region', { name: /^Awaiting approval/ });
    const pending = await rowOf(within(queue).getByRole('table'), 'Everything please');
    await user.click(within(pending).getByRole('button', { name: 'Reject export Everything please' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject this export?' });
    await user.click(within(dialog).getByRole('button', { name: 'Reject export' }));
    expect(await within(dialog).findByText('Say why')).toBeTruthy();
    await user.type(within(dialog).getByRole('textbox', { name: 'Reason' }), 'Not for a whole-base dump');
    await user.click(within(dialog).getByRole('button', { name: 'Reject export' }));
    await findNotification('Export “Everything please” rejected');
    expect(await storedExport(theirs.id)).toMatchObject({
      state: 'rejected',
      rejection_reason: 'Not for a whole-base dump',
    });
    const table = await screen.findByRole('table', { name: 'Exports' });
    const row = await rowOf(table, 'Everything please');
    await waitFor(() => expect(within(row).getByText('Rejected')).toBeTruthy());
    expect(within(row).getByText(/Not for a whole-base dump/)).toBeTruthy();
  });

  it('offers the file of a finished export, and deletes it after confirmation', async () => {
    const manager = await server.signIn('manager');
    // one row with personal data stays under the approval threshold
    const done = await requestExport(manager, {
      title: 'Nina only',
      selection: { filter: { q: 'Nina' } },
    });
    expect(done.state).toBe('queued');
    await server.app.workers.runner.runDue();
    const { user } = await renderApp('/exports');
    const table = await screen.findByRole('table', { name: 'Exports' });
    const row = await rowOf(table, 'Nina only');
    expect(within(row).getByText('Ready')).toBeTruthy();
    expect(within(row).getByText(/^in /)).toBeTruthy();
    const link = within(row).getByRole('link', { name: `Download ${done.file_name}` });
    expect(link.getAttribute('href')).toBe(`/api/crm/export/download/${done.id}`);
    expect(link.getAttribute('download')).toBe(done.file_name);
    // the link serves the file to this user's session
    const file = await fetch(link.getAttribute('href')!);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('Nina');

    await user.click(within(row).getByRole('button', { name: 'Delete export Nina only' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete this export’s file?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete file' }));
    await findNotification('Export “Nina only” deleted');
    await waitFor(() => expect(within(row).getByText('Expired')).toBeTruthy());
    expect(within(row).queryByRole('link', { name: /^Download/ })).toBeNull();
    expect((await fetch(`/api/crm/export/download/${done.id}`)).status).toBe(410);
  });

  it('cancels a queued export after confirmation, and retries a failed one', async () => {
    const manager = await server.signIn('manager');
    const queued = await requestExport(manager, {
      title: 'Not needed',
      selection: { filter: { q: 'Omar' } },
    });
    const broken = await requestExport(manager, { title: 'Broke once', selection: { filter: { q: 'Pia' } } });
    // the job's outcome, as if the disk had been full
    await server.database.db
      .updateTable('exports')
      .set({ state: 'failed', error: 'The export failed; it can be retried' })
      .where('id', '=', broken.id)
      .execute();
    const { user } = await renderApp('/exports');
    const table = await screen.findByRole('table', { name: 'Exports' });

    const row = await rowOf(table, 'Not needed');
    await user.click(within(row).getByRole('button', { name: 'Cancel export Not needed' }));
    const confirm = await screen.findByRole('dialog', { name: 'Cancel this export?' });
    await user.click(within(confirm).getByRole('button', { name: 'Keep it' }));
    expect((await storedExport(queued.id)).state).toBe('queued');
    await user.click(within(row).getByRole('button', { name: 'Cancel export Not needed' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Cancel this export?' })).getByRole('button', {
        name: 'Cancel export',
      }),
    );
    await findNotification('Export “Not needed” cancelled');
    expect((await storedExport(queued.id)).state).toBe('cancelled');

    const failed = await rowOf(table, 'Broke once');
    expect(within(failed).getByText('Failed')).toBeTruthy();
    expect(within(failed).getByText('The export failed; it can be retried')).toBeTruthy();
    await user.click(within(failed).getByRole('button', { name: 'Retry export Broke once' }));
    await findNotification('Export “Broke once” queued again');
    await server.app.workers.runner.runDue();
    await waitFor(() => expect(within(failed).getByText('Ready')).toBeTruthy(), { timeout: 15_000 });
  });

  it('shows an admin everyone’s exports, and only theirs with "Mine only"', async () => {
    const me = await server.signIn('admin');
    await requestExport(me, { title: 'My own small one', selection: { filter: { q: 'Omar' } } });
    const { user } = await renderApp('/exports');
    const table = await screen.findByRole('table', { name: 'Exports' });
    await within(table).findByText('My own small one');
    expect(within(table).getByText('Nina only')).toBeTruthy();
    await user.click(screen.getByRole('switch', { name: 'Mine only' }));
    // the list reloads for the new filter: look at the table as it is now
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Exports' })).queryByText('Nina only')).toBeNull(),
    );
    expect(within(screen.getByRole('table', { name: 'Exports' })).getByText('My own small one')).toBeTruthy();
  });
});
