import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExportFields } from '../../../../shared/export-fields.js';
import type { ExportSchedule } from '../../../../shared/exports.js';
import type { Segment } from '../../../../shared/segments.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  currentUrl,
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** Export schedules against a real server: create, edit, conflicts, unsaved changes, delete. */
let server: WebTestServer;
let admin: StaffHandle;
let segment: Segment;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/segments',
    as: admin,
    payload: { name: 'Weekly VIPs', auto_update: false },
  });
  expect(res.statusCode, res.body).toBe(201);
  segment = res.json<Segment>();
});
afterAll(() => server?.close());

async function schedules(): Promise<ExportSchedule[]> {
  const res = await server.request({ method: 'GET', url: '/api/crm/export/schedules', as: admin });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: ExportSchedule[] }>().data;
}

async function seedSchedule(name: string): Promise<ExportSchedule> {
  const res = await server.request({
    method: 'POST',
    url: '/api/crm/export/schedules',
    as: admin,
    payload: {
      name,
      cron: '0 7 * * *',
      timezone: 'UTC',
      format: 'csv',
      fields: defaultExportFields,
      selection: { all: true },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ExportSchedule>();
}

type User = Awaited<ReturnType<typeof renderApp>>['user'];

async function pick(user: User, scope: HTMLElement, label: string, search: string, option: RegExp | string) {
  const input = within(scope).getByRole('combobox', { name: label });
  await user.click(input);
  await user.clear(input);
  await user.type(input, search);
  await user.click(await screen.findByRole('option', { name: option }));
}

const rowOf = async (name: string) => {
  const table = await screen.findByRole('table', { name: 'Export schedules' });
  return (await within(table).findByText(name)).closest('tr') as HTMLElement;
};

describe('export schedules', () => {
  it('creates a weekly schedule of a segment in a time zone, emailed to a colleague', async () => {
    const colleague = await server.staff('manager');
    await server.signIn('manager');
    const { user } = await renderApp('/exports');
    await user.click(await screen.findByRole('tab', { name: 'Schedules' }));
    await waitFor(() => expect(currentUrl()).toBe('/exports/schedules'));
    expect(await screen.findByText('No scheduled exports')).toBeTruthy();

    await user.click(screen.getAllByRole('button', { name: 'New schedule' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'New schedule' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Monday VIP list');
    const cron = within(dialog).getByRole('textbox', { name: 'When (cron)' });
    await user.clear(cron);
    await user.type(cron, '61 7 * * *');
    expect(await within(dialog).findByText('minutes part must be >= 0 and <= 59')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Every Monday 07:00' }));
    expect((cron as HTMLInputElement).value).toBe('0 7 * * 1');
    expect(within(dialog).getByText('At 07:00, only on Monday')).toBeTruthy();

    await pick(user, dialog, 'Time zone', 'Berlin', 'Europe/Berlin');
    await user.click(within(dialog).getByRole('radio', { name: 'Excel' }));
    await user.click(within(dialog).getByRole('radio', { name: 'A segment' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create schedule' }));
    expect(await within(dialog).findByText('Choose a segment')).toBeTruthy();
    await pick(user, dialog, 'Segment', 'Weekly', /^Weekly VIPs/);
    await pick(user, dialog, 'Email the link to', colleague.email.slice(0, 10), new RegExp(colleague.email));
    await user.click(within(dialog).getByRole('button', { name: 'Create schedule' }));

    await findNotification('Schedule “Monday VIP list” created: At 07:00, only on Monday');
    const [stored] = await schedules();
    expect(stored).toMatchObject({
      name: 'Monday VIP list',
      cron: '0 7 * * 1',
      timezone: 'Europe/Berlin',
      format: 'xlsx',
      selection: { segment_id: segment.id },
      recipients: [{ id: colleague.id }],
      enabled: true,
    });
    expect(stored!.fields).toEqual(defaultExportFields.filter((f) => stored!.fields.includes(f)));
    const row = await rowOf('Monday VIP list');
    expect(within(row).getByText('At 07:00, only on Monday')).toBeTruthy();
    expect(within(row).getByText(/Europe\/Berlin/)).toBeTruthy();
    expect(within(row).getByText(/^in /)).toBeTruthy();
  });

  it('edits a schedule: renames it and pauses it', async () => {
    const schedule = await seedSchedule('Daily digest');
    await server.signIn('manager');
    const { user } = await renderApp('/exports/schedules');
    const row = await rowOf('Daily digest');
    await user.click(within(row).getByRole('button', { name: 'Edit schedule Daily digest' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit schedule' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Daily digest (paused)');
    await user.click(within(dialog).getByRole('switch', { name: /Enabled/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save schedule' }));
    await findNotification('Schedule “Daily digest (paused)” saved');
    const stored = (await schedules()).find((s) => s.id === schedule.id);
    expect(stored).toMatchObject({
      name: 'Daily digest (paused)',
      enabled: false,
      version: schedule.version + 1,
    });
    const updated = await rowOf('Daily digest (paused)');
    expect(within(updated).getAllByText('Paused').length).toBeGreaterThan(0);
  });

  it('a stale edit opens the conflict dialog; Reload shows theirs, Overwrite saves mine on top', async () => {
    const schedule = await seedSchedule('Contested');
    await server.signIn('manager');
    const { user } = await renderApp('/exports/schedules');
    await user.click(
      within(await rowOf('Contested')).getByRole('button', { name: 'Edit schedule Contested' }),
    );
    let dialog = await screen.findByRole('dialog', { name: 'Edit schedule' });
    const theirs = await server.request({
      method: 'PUT',
      url: `/api/crm/export/schedules/${schedule.id}`,
      as: admin,
      payload: { cron: '30 6 * * *', version: schedule.version },
    });
    expect(theirs.statusCode, theirs.body).toBe(200);

    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Contested (mine)');
    await user.click(within(dialog).getByRole('button', { name: 'Save schedule' }));
    let conflict = await screen.findByRole('dialog', { name: 'This schedule was changed by someone else' });
    await user.click(within(conflict).getByRole('button', { name: 'Reload' }));
    dialog = screen.getByRole('dialog', { name: 'Edit schedule' });
    await waitFor(() =>
      expect((within(dialog).getByRole('textbox', { name: 'When (cron)' }) as HTMLInputElement).value).toBe(
        '30 6 * * *',
      ),
    );
    expect((within(dialog).getByRole('textbox', { name: 'Name' }) as HTMLInputElement).value).toBe(
      'Contested',
    );

    // again, now against a newer change, and overwrite it
    await server.request({
      method: 'PUT',
      url: `/api/crm/export/schedules/${schedule.id}`,
      as: admin,
      payload: { name: 'Contested (theirs)', version: schedule.version + 1 },
    });
    await user.clear(within(dialog).getByRole('textbox', { name: 'Name' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Contested (mine)');
    await user.click(within(dialog).getByRole('button', { name: 'Save schedule' }));
    conflict = await screen.findByRole('dialog', { name: 'This schedule was changed by someone else' });
    await user.click(within(conflict).getByRole('button', { name: 'Overwrite' }));
    await findNotification('Schedule “Contested (mine)” saved');
    expect((await schedules()).find((s) => s.id === schedule.id)).toMatchObject({
      name: 'Contested (mine)',
      cron: '30 6 * * *',
      version: schedule.version + 3,
    });
  });

  it('asks before dropping unsaved changes, and deletes a schedule after confirmation', async () => {
    const schedule = await seedSchedule('Obsolete run');
    await server.signIn('manager');
    const { user } = await renderApp('/exports/schedules');
    const row = await rowOf('Obsolete run');
    await user.click(within(row).getByRole('button', { name: 'Edit schedule Obsolete run' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit schedule' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), ' changed');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    const leave = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    await user.click(within(leave).getByRole('button', { name: 'Keep editing' }));
    expect(screen.getByRole('dialog', { name: 'Edit schedule' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).getByRole('button', {
        name: 'Discard changes',
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Edit schedule' })).toBeNull());
    expect((await schedules()).find((s) => s.id === schedule.id)?.name).toBe('Obsolete run');

    await user.click(within(row).getByRole('button', { name: 'Delete schedule Obsolete run' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete this schedule?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete schedule' }));
    await findNotification('Schedule “Obsolete run” deleted');
    expect((await schedules()).some((s) => s.id === schedule.id)).toBe(false);
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Export schedules' })).queryByText('Obsolete run'),
      ).toBeNull(),
    );
  });
});
