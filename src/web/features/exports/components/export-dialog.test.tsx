import { act, screen, waitFor, within } from '@testing-library/react';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Export, type ExportList, PDF_MAX_ROWS } from '../../../../shared/exports.js';
import { formatCount } from '../../../lib/format.js';
import type { Segment } from '../../../../shared/segments.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';
import { setElementSize } from '../../../test/resize-observer.js';

/** The export dialog against a real server: count, masking, options, and the export it starts. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  for (const [first, status] of [
    ['Ada', 'active'],
    ['Grace', 'active'],
    ['Alan', 'prospect'],
  ] as const) {
    await makeCustomer(server, admin, {
      first_name: first,
      last_name: 'Exported',
      email: `${first.toLowerCase()}@export.test`,
      customer_status: status,
    });
  }
});
afterAll(() => server?.close());

async function customersTable() {
  const table = await screen.findByRole('table', { name: 'Customers' });
  act(() => setElementSize(table.parentElement!, { width: 1400, height: 600 }));
  return table;
}

async function exportsOf(staff: StaffHandle): Promise<Export[]> {
  const res = await server.request({ method: 'GET', url: '/api/crm/exports?mine=true', as: staff });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ExportList>().data;
}

async function openDialog(user: Awaited<ReturnType<typeof renderApp>>['user'], name: RegExp | string) {
  await user.click(await screen.findByRole('button', { name }));
  return screen.findByRole('dialog', { name: 'Export customers' });
}

const rowCount = (dialog: HTMLElement, text: string) =>
  waitFor(() => expect(within(dialog).getByTestId('export-row-count').textContent).toBe(text));

describe('export dialog', () => {
  it('counts the filtered list, starts a CSV export and leads to it on the exports page', async () => {
    const manager = await server.signIn('manager');
    const { user } = await renderApp('/customers?status=active');
    await customersTable();
    const dialog = await openDialog(user, 'Export');
    expect(within(dialog).getByText(/matching the list’s search and filters/)).toBeTruthy();
    await rowCount(dialog, '2 customers will be exported');
    // a manager may export personal data: nothing is marked masked
    expect(within(dialog).queryByText('Personal data will be masked')).toBeNull();
    expect((within(dialog).getByRole('checkbox', { name: 'Email' }) as HTMLInputElement).checked).toBe(true);

    // none, then one group, then back to the defaults
    await user.click(within(dialog).getByRole('button', { name: 'Select none' }));
    expect(within(dialog).getByText('Choose at least one field')).toBeTruthy();
    expect(
      (within(dialog).getByRole('button', { name: /^Start CSV export/ }) as HTMLButtonElement).disabled,
    ).toBe(true);
    await user.click(within(dialog).getByRole('checkbox', { name: 'All contact fields' }));
    expect((within(dialog).getByRole('checkbox', { name: 'Phone' }) as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByRole('checkbox', { name: 'Last name' }) as HTMLInputElement).checked).toBe(
      false,
    );
    await user.click(within(dialog).getByRole('button', { name: 'Defaults' }));
    expect((within(dialog).getByRole('checkbox', { name: 'Last name' }) as HTMLInputElement).checked).toBe(
      true,
    );

    await user.click(within(dialog).getByRole('checkbox', { name: /Excel-friendly \(BOM\)/ }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Title' }), 'Active customers');
    await rowCount(dialog, '2 customers will be exported');
    const start = within(dialog).getByRole('button', { name: 'Start CSV export' });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await user.click(start);

    const notice = await findNotification('Export started');
    const [started] = await exportsOf(manager);
    expect(started).toMatchObject({
      title: 'Active customers',
      format: 'csv',
      state: 'queued',
      row_count: 2,
      masked_fields: [],
      purpose: 'internal',
    });
    expect(started!.fields).toContain('email');

    await user.click(within(notice).getByRole('link', { name: 'Open exports' }));
    await waitFor(() => expect(currentUrl()).toBe('/exports'));
    const table = await screen.findByRole('table', { name: 'Exports' });
    const row = (await within(table).findByText('Active customers')).closest('tr')!;
    expect(within(row).getByText('Queued')).toBeTruthy();

    // the job runs; the page polls and offers the file
    await server.app.workers.runner.runDue();
    const download = await within(row).findByRole('link', { name: /^Download / }, { timeout: 15_000 });
    expect(download.getAttribute('href')).toBe(`/api/crm/export/download/${started!.id}`);
    expect(within(row).getByText('Ready')).toBeTruthy();
  });

  it('exports the selected rows, as Excel, for marketing', async () => {
    const manager = await server.signIn('manager');
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    await user.click(await within(table).findByRole('checkbox', { name: 'Select Ada Exported' }));
    await user.click(within(table).getByRole('checkbox', { name: 'Select Alan Exported' }));
    const dialog = await openDialog(user, 'Export 2 selected');
    await rowCount(dialog, '2 customers will be exported');
    await user.click(within(dialog).getByRole('radio', { name: 'Excel' }));
    expect(within(dialog).queryByRole('checkbox', { name: /Excel-friendly/ })).toBeNull();
    await user.click(within(dialog).getByRole('radio', { name: 'Marketing' }));
    expect(within(dialog).getByText('Leaves out customers who refused data sharing.')).toBeTruthy();
    const start = within(dialog).getByRole('button', { name: 'Start Excel export' });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await user.click(start);
    await findNotification('Export started');
    const [started] = await exportsOf(manager);
    expect(started).toMatchObject({ format: 'xlsx', purpose: 'marketing', row_count: 2 });
    expect(started!.selection).toHaveProperty('ids');
  });

  it('marks personal fields masked for a user without export:pii, and the export records them masked', async () => {
    const agent = await server.signIn('agent');
    const { user } = await renderApp('/customers');
    const table = await customersTable();
    // The table is there (as skeleton rows) before the list has loaded; rows arriving while the dialog
    // is open re-render the page and hold Start back until the dialog's preview catches up.
    await waitFor(() => expect(within(table).getAllByTestId('customer-row')).toHaveLength(3));
    const dialog = await openDialog(user, 'Export');
    await rowCount(dialog, '3 customers will be exported');
    expect(within(dialog).getByText('Personal data will be masked')).toBeTruthy();
    const hint = within(dialog).getByText(/will be exported as asterisks/);
    expect(hint.textContent).toMatch(/^First name, Last name, Email, Phone will be exported/);
    expect(hint.textContent).toContain('export:pii');
    expect(within(dialog).getByRole('checkbox', { name: 'Email (masked)' })).toBeTruthy();
    expect(within(dialog).getByRole('checkbox', { name: 'Company' })).toBeTruthy();
    // clicking Start while it is disabled starts nothing
    const start = within(dialog).getByRole('button', { name: 'Start CSV export' });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await user.click(start);
    // the dialog closes once the server has accepted the export; what it recorded is the point here
    // (the notification is checked by the tests above)
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Export customers' })).toBeNull());
    const list = await exportsOf(agent);
    expect(list).toHaveLength(1);
    const [started] = list;
    expect(started!.masked_fields).toEqual(expect.arrayContaining(['first_name', 'email']));
  });

  it('exports a segment from its page, titled after it', async () => {
    const manager = await server.signIn('manager');
    const res = await server.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: {
        name: 'Prospects to export',
        auto_update: true,
        criteria: { match: 'all', rules: [{ field: 'customer_status', op: 'eq', value: 'prospect' }] },
      },
    });
    const segment = res.json<Segment>();
    await server.app.workers.runner.runDue();
    const { user } = await renderApp(`/segments/${segment.id}`);
    const dialog = await openDialog(user, 'Export');
    await rowCount(dialog, '1 customer will be exported');
    expect((within(dialog).getByRole('textbox', { name: 'Title' }) as HTMLInputElement).value).toBe(
      'Prospects to export',
    );
    await user.click(within(dialog).getByRole('radio', { name: 'PDF' }));
    const start = within(dialog).getByRole('button', { name: 'Start PDF export' });
    await waitFor(() => expect((start as HTMLButtonElement).disabled).toBe(false));
    await user.click(start);
    await findNotification('Export started');
    const [started] = await exportsOf(manager);
    expect(started).toMatchObject({
      format: 'pdf',
      title: 'Prospects to export',
      selection: { segment_id: segment.id },
    });
  });

  it('refuses a PDF over its row limit before it starts, and lets a CSV of the same go', async () => {
    await sql`
      insert into customers (first_name, last_name)
      select 'Bulk', 'Row ' || g from generate_series(1, ${PDF_MAX_ROWS + 1}) g
    `.execute(server.database.db);
    // the status lives beside the metrics (migration 027)
    await sql`
      update customer_metrics m set customer_status = 'churned' from customers c
      where c.id = m.customer_id and c.first_name = 'Bulk' and c.last_name like 'Row %'
    `.execute(server.database.db);
    await server.signIn('manager');
    const { user } = await renderApp('/customers?status=churned');
    await customersTable();
    const dialog = await openDialog(user, 'Export');
    await rowCount(dialog, `${formatCount(PDF_MAX_ROWS + 1)} customers will be exported`);
    await user.click(within(dialog).getByRole('radio', { name: 'PDF' }));
    expect(await within(dialog).findByText('Cannot export this')).toBeTruthy();
    await rowCount(dialog, `${formatCount(PDF_MAX_ROWS + 1)} customers selected`);
    expect(
      (within(dialog).getByRole('button', { name: 'Start PDF export' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    await user.click(within(dialog).getByRole('radio', { name: 'CSV' }));
    await waitFor(() => expect(within(dialog).queryByText('Cannot export this')).toBeNull());
    await waitFor(() =>
      expect(
        (within(dialog).getByRole('button', { name: 'Start CSV export' }) as HTMLButtonElement).disabled,
      ).toBe(false),
    );
  });
});
