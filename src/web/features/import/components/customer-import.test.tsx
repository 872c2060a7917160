import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerList } from '../../../../shared/customers.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The CSV import screen against a real server: upload, column mapping, run, report. */
let server: WebTestServer;
let admin: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  await server.signIn('manager');
});
afterAll(() => server?.close());

const csv = [
  'Email,First name,Surname,Company,Notes',
  'hedy@lamarr.test,Hedy,Lamarr,MGM,inventor',
  'not-an-email,Bad,Row,,',
  'existing@import.test,Now,Updated,,',
].join('\n');

function csvFile(text = csv, name = 'customers.csv') {
  return new File([text], name, { type: 'text/csv' });
}

async function listByQuery(q: string) {
  const res = await server.request({ method: 'GET', url: `/api/crm/customers?q=${q}`, as: admin });
  return res.json<CustomerList>();
}

async function openImport() {
  const view = await renderApp('/customers/import');
  const input = (await screen.findByLabelText('CSV file')) as HTMLInputElement;
  return { ...view, input };
}

const mappingSelect = (header: string) =>
  screen.getByRole('combobox', { name: `Import column ${header} as` });

describe('CSV import', () => {
  it('previews the file, maps the columns, imports and reports row by row', async () => {
    await makeCustomer(server, admin, {
      email: 'existing@import.test',
      first_name: 'Old',
      last_name: 'Name',
    });
    const { user, input } = await openImport();
    await user.upload(input, csvFile());

    expect(await screen.findByText('customers.csv')).toBeTruthy();
    expect(screen.getByText('3 rows · 5 columns')).toBeTruthy();
    const mapping = screen.getByRole('table', { name: 'Column mapping' });
    expect(within(mapping).getByText('hedy@lamarr.test · not-an-email · existing@import.test')).toBeTruthy();
    expect((mappingSelect('Email') as HTMLInputElement).value).toBe('Email');
    expect((mappingSelect('First name') as HTMLInputElement).value).toBe('First name');
    expect((mappingSelect('Notes') as HTMLInputElement).value).toBe('Do not import');

    // Two columns on one field is refused until fixed.
    await user.click(mappingSelect('Notes'));
    await user.click(await screen.findByRole('option', { name: 'First name' }));
    expect(await screen.findAllByText('Mapped twice')).toHaveLength(2);
    const run = screen.getByRole('button', { name: 'Import 3 rows' }) as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    await user.click(mappingSelect('Notes'));
    await user.click(await screen.findByRole('option', { name: 'Do not import' }));
    await waitFor(() => expect(screen.queryByText('Mapped twice')).toBeNull());
    if ((mappingSelect('Surname') as HTMLInputElement).value !== 'Last name') {
      await user.click(mappingSelect('Surname'));
      await user.click(await screen.findByRole('option', { name: 'Last name' }));
    }
    await user.click(screen.getByRole('radio', { name: /Update the existing customer/ }));
    expect(run.disabled).toBe(false);
    await user.click(run);

    const report = await screen.findByRole('region', { name: 'Import finished' });
    const stat = (label: string) => within(report).getByText(label).parentElement?.textContent;
    expect(stat('Rows')).toBe('Rows3');
    expect(stat('Created')).toBe('Created1');
    expect(stat('Updated')).toBe('Updated1');
    expect(stat('Rejected')).toBe('Rejected1');
    const rejected = within(report).getByRole('table', { name: 'Rejected rows' });
    expect(within(rejected).getByText('email')).toBeTruthy();
    expect(within(rejected).getByText(/not a valid email address/)).toBeTruthy();
    expect(await findNotification('1 created, 1 updated, 0 skipped')).toBeTruthy();

    const hedy = (await listByQuery('hedy')).data;
    expect(hedy.map((c) => [c.first_name, c.last_name, c.company])).toEqual([['Hedy', 'Lamarr', 'MGM']]);
    const updated = (await listByQuery('existing')).data;
    expect(updated.map((c) => [c.first_name, c.last_name])).toEqual([['Now', 'Updated']]);

    await user.click(within(report).getByRole('button', { name: 'Import another file' }));
    expect(await screen.findByLabelText('CSV file')).toBeTruthy();
  });

  it('skips existing customers when asked and reports a clean run', async () => {
    const { user, input } = await openImport();
    await user.upload(input, csvFile('email,first_name\nexisting@import.test,Skipped\nada@byron.test,Ada'));
    await screen.findByRole('table', { name: 'Column mapping' });
    await user.click(screen.getByRole('radio', { name: /Skip the row/ }));
    await user.click(screen.getByRole('button', { name: 'Import 2 rows' }));
    const report = await screen.findByRole('region', { name: 'Import finished' });
    expect(within(report).getByText('Skipped').parentElement?.textContent).toBe('Skipped1');
    expect(within(report).getByText('Every row was imported or deliberately skipped.')).toBeTruthy();
    expect((await listByQuery('existing')).data[0]?.first_name).toBe('Now');
  });

  it('warns when no column is mapped to email, and starts over with another file', async () => {
    const { user, input } = await openImport();
    await user.upload(input, csvFile('Given,Family\nAda,Lovelace', 'names.csv'));
    expect(await screen.findByText('names.csv')).toBeTruthy();
    expect(screen.getByText('No column is mapped to Email: duplicates cannot be detected.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Choose another file' }));
    expect(await screen.findByLabelText('CSV file')).toBeTruthy();
  });

  it('says when the server cannot read the file', async () => {
    const { user, input } = await openImport();
    await user.upload(input, csvFile(''));
    const alert = (await screen.findByText('Could not read the file')).closest('[role=alert]');
    expect(alert?.textContent).toContain('Attach a CSV file');
    expect(screen.queryByRole('table', { name: 'Column mapping' })).toBeNull();
  });

  it('refuses a file that is not CSV before sending it', async () => {
    const { input } = await openImport();
    // Picked anyway (the file dialog's filter can be switched off): the dropzone itself refuses it.
    const user = userEvent.setup({ applyAccept: false });
    await user.upload(input, new File(['GIF89a'], 'photo.gif', { type: 'image/gif' }));
    expect(await findNotification('File not accepted')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Column mapping' })).toBeNull();
  });
});
