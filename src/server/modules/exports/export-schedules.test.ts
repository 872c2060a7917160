import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Export, ExportSchedule } from '../../../shared/exports.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { nextRunAt } from './export-schedules.service.js';

/** Scheduled exports: cron in a time zone, validation, version checks, runs that mail a link. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
});
afterAll(() => t?.close());

async function create(payload: object, as: StaffHandle = manager) {
  const res = await t.request({ method: 'POST', url: '/api/crm/export/schedules', as, payload });
  return { status: res.statusCode, body: res.json<ExportSchedule & Problem>() };
}

const weekly = (extra: object = {}) => ({
  name: `Weekly VIPs ${randomUUID().slice(0, 6)}`,
  cron: '0 7 * * 1',
  timezone: 'Europe/Berlin',
  format: 'csv',
  fields: ['id', 'email', 'lifetime_value'],
  selection: { all: true },
  ...extra,
});

describe('export schedules', () => {
  it('computes the next run in the schedule’s time zone and says the cron in words', async () => {
    // Monday 2026-11-30 07:00 in Berlin is 06:00 UTC (winter time); in summer it is 05:00 UTC
    expect(nextRunAt('0 7 * * 1', 'Europe/Berlin', new Date('2026-11-26T12:00:00Z')).toISOString()).toBe(
      '2026-11-30T06:00:00.000Z',
    );
    expect(nextRunAt('0 7 * * 1', 'Europe/Berlin', new Date('2026-06-02T12:00:00Z')).toISOString()).toBe(
      '2026-06-08T05:00:00.000Z',
    );
    const { status, body } = await create(weekly({ recipient_ids: [admin.id] }));
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      cron_description: 'At 07:00, only on Monday',
      timezone: 'Europe/Berlin',
      enabled: true,
      recipients: [{ id: admin.id }],
      created_by: { id: manager.id },
      selection_description: 'All customers',
      version: 1,
    });
    expect(new Date(body.next_run_at!).getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a bad cron, an unknown time zone or recipient with a 400 naming the field', async () => {
    const cases: [object, string][] = [
      [weekly({ cron: '61 7 * * 1' }), 'cron'],
      [weekly({ cron: '0 0 7 * * 1' }), 'cron'],
      [weekly({ timezone: 'Mars/Olympus' }), 'timezone'],
      [weekly({ recipient_ids: [randomUUID()] }), 'recipient_ids'],
      [weekly({ fields: ['nope'] }), 'fields[0]'],
    ];
    for (const [payload, field] of cases) {
      const { status, body } = await create(payload);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(body.errors?.map((e) => e.field)).toContain(field);
    }
  });

  it('checks the version on edit: a stale edit is a 409 with the current schedule', async () => {
    const { body } = await create(weekly());
    const first = await t.request({
      method: 'PUT',
      url: `/api/crm/export/schedules/${body.id}`,
      as: manager,
      payload: { cron: '30 6 * * *', version: 1 },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<ExportSchedule>()).toMatchObject({ version: 2, cron_description: 'At 06:30' });
    const stale = await t.request({
      method: 'PUT',
      url: `/api/crm/export/schedules/${body.id}`,
      as: manager,
      payload: { name: 'Mine', version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem>().current).toMatchObject({ version: 2, cron: '30 6 * * *' });
  });

  it('runs when due as its creator, once even when two processes look, and mails recipients a link', async () => {
    const customer = await makeCustomer(t, admin, { company: `Sched ${randomUUID().slice(0, 6)}` });
    const { body } = await create(
      weekly({
        selection: {
          criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: customer.company }] },
        },
        recipient_ids: [admin.id],
      }),
    );
    const due = new Date(new Date(body.next_run_at!).getTime() + 60_000);
    // both schedulers run at the same minute: one claims the run
    await Promise.all([t.app.workers.schedule(due), t.app.workers.schedule(due)]);
    const runs = await t.database.db
      .selectFrom('exports')
      .selectAll()
      .where('schedule_id', '=', body.id)
      .execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      requested_by: manager.id,
      state: 'queued',
      row_count: 1,
      title: body.name,
    });

    await t.app.workers.runner.runDue();
    const done = await t.request({
      method: 'GET',
      url: `/api/crm/export/status/${runs[0]!.id}`,
      as: manager,
    });
    expect(done.json<Export>().state).toBe('completed');
    const after = await t.request({
      method: 'GET',
      url: `/api/crm/export/schedules/${body.id}`,
      as: manager,
    });
    expect(after.json<ExportSchedule>()).toMatchObject({ last_export_id: runs[0]!.id });
    expect(new Date(after.json<ExportSchedule>().next_run_at!).getTime()).toBeGreaterThan(due.getTime());

    const mail = await t.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'mail.send')
      .where('dedupe_key', 'like', `%export:${runs[0]!.id}%`)
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.payload).toMatchObject({ to: admin.email, subject: `Export ready: ${body.name}` });
    expect(String(mail[0]!.payload.text)).toContain(`/exports?highlight=${runs[0]!.id}`);
  });

  it('deletes a schedule; its past exports stay', async () => {
    const { body } = await create(weekly());
    const res = await t.request({
      method: 'DELETE',
      url: `/api/crm/export/schedules/${body.id}`,
      as: manager,
    });
    expect(res.statusCode).toBe(200);
    const gone = await t.request({ method: 'GET', url: `/api/crm/export/schedules/${body.id}`, as: manager });
    expect(gone.statusCode).toBe(404);
    const viewer = await t.staff('viewer');
    expect((await create(weekly(), viewer)).status).toBe(403);
  });
});
