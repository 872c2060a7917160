import { existsSync, readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit.js';
import type { Export, ExportList, ExportPreview } from '../../../shared/exports.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { testConfig } from '../../config.js';
import { expireExports } from './exports.service.js';

/** Customer exports over HTTP: every format read back, masking, approval, expiry, access, restarts. */
let t: TestApp;
let admin: StaffHandle;
let admin2: StaffHandle;
let manager: StaffHandle;
let agent: StaffHandle;
let viewer: StaffHandle;

beforeAll(async () => {
  // a folder of its own (testConfig makes one) and approval past 3 rows of personal data
  t = await createTestApp({ exports: { ...testConfig().exports, approvalRows: 3 } });
  admin = await t.staff('admin');
  admin2 = await t.staff('admin');
  manager = await t.staff('manager');
  agent = await t.staff('agent');
  viewer = await t.staff('viewer');
});
afterAll(() => t?.close());

const runJobs = () => t.app.workers.runner.runDue();
const byCompany = (company: string) => ({
  criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: company }] },
});

async function start(payload: object, as: StaffHandle = manager) {
  const res = await t.request({ method: 'POST', url: '/api/crm/export/customers', as, payload });
  return { status: res.statusCode, body: res.json<Export & Problem>() };
}
async function status(id: string, as: StaffHandle = manager) {
  const res = await t.request({ method: 'GET', url: `/api/crm/export/status/${id}`, as });
  return { status: res.statusCode, body: res.json<Export & Problem>() };
}
async function download(id: string, as: StaffHandle = manager) {
  return t.request({ method: 'GET', url: `/api/crm/export/download/${id}`, as });
}
async function audit(subjectId: string) {
  const rows = await t.database.db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
  return rows as unknown as (Omit<AuditEntry, 'actor'> & { actor_id: string | null })[];
}

/** A company of customers to export, with orders-free metrics, tags and awkward names. */
async function seedCompany(n: number, extra: Record<string, unknown>[] = []) {
  const company = `Exportco ${randomUUID().slice(0, 8)}`;
  const made = [];
  for (let i = 0; i < n; i += 1) {
    made.push(await makeCustomer(t, admin, { company, first_name: `Ann ${i}`, ...(extra[i] ?? {}) }));
  }
  return { company, customers: made };
}

describe('CSV export', () => {
  it('writes exactly the selected customers, read back with a CSV parser, and audits request, completion and download', async () => {
    const { company, customers } = await seedCompany(3, [
      { first_name: 'Zoë, "the" first', last_name: 'Łukasiewicz' },
      { first_name: 'Line\nbreak' },
    ]);
    const { status: code, body } = await start({
      format: 'csv',
      fields: [
        'id',
        'first_name',
        'last_name',
        'email',
        'company',
        'lifetime_value',
        'total_orders',
        'created_at',
      ],
      selection: byCompany(company),
      bom: true,
    });
    expect(code, JSON.stringify(body)).toBe(202);
    expect(body).toMatchObject({ state: 'queued', row_count: 3, masked_fields: [], download_url: null });
    expect(await runJobs()).toBeGreaterThan(0);

    const done = (await status(body.id)).body;
    expect(done).toMatchObject({ state: 'completed', row_count: 3, rows_written: 3 });
    expect(done.download_url).toBe(`/api/crm/export/download/${body.id}`);
    expect(new Date(done.expires_at!).getTime() - new Date(done.completed_at!).getTime()).toBe(72 * 3600_000);

    const file = await download(body.id);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(file.headers['content-disposition'])).toMatch(
      /^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(file.rawPayload.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const rows = parse(file.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!)).toEqual([
      'Customer id',
      'First name',
      'Last name',
      'Email',
      'Company',
      'Lifetime value',
      'Orders',
      'Created',
    ]);
    const stored = await t.database.db
      .selectFrom('customers')
      .innerJoin('customer_metrics', 'customer_metrics.customer_id', 'customers.id')
      .select(['id', 'first_name', 'last_name', 'email', 'lifetime_value', 'total_orders', 'created_at'])
      .where('company', '=', company)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r['Customer id'])).toEqual(stored.map((s) => s.id));
    expect(rows.map((r) => r['First name'])).toEqual(stored.map((s) => s.first_name));
    expect(rows.map((r) => r.Email)).toEqual(stored.map((s) => s.email));
    expect(rows.map((r) => Number(r['Lifetime value']))).toEqual(stored.map((s) => Number(s.lifetime_value)));
    expect(rows.map((r) => new Date(r.Created!).toISOString())).toEqual(
      stored.map((s) => s.created_at.toISOString()),
    );
    expect(new Set(rows.map((r) => r['Customer id']))).toEqual(new Set(customers.map((c) => c.id)));

    const entries = await audit(body.id);
    expect(entries.map((e) => e.action)).toEqual([
      'export.requested',
      'export.completed',
      'export.downloaded',
    ]);
    expect(entries[0]).toMatchObject({ actor_id: manager.id, ip: '127.0.0.1' });
    expect(entries[0]!.details).toMatchObject({
      format: 'csv',
      row_count: 3,
      fields: expect.arrayContaining(['email']),
      selection: byCompany(company),
    });
    expect(entries[2]).toMatchObject({ actor_id: manager.id });
  });

  it('neutralises cells that a spreadsheet would run as a formula', async () => {
    const payloads = ['=HYPERLINK("http://evil.test","x")', '+1+2', '-3', '@SUM(A1)', '\tTab', '\rCR'];
    const made = [];
    for (const company of payloads) {
      const c = await makeCustomer(t, admin);
      // stored as is (the API trims leading whitespace; an import or the platform may not)
      await t.database.db.updateTable('customers').set({ company }).where('id', '=', c.id).execute();
      made.push(c);
    }
    const { body } = await start({
      format: 'csv',
      fields: ['company'],
      selection: { ids: made.map((c) => c.id) },
    });
    await runJobs();
    const file = await download(body.id);
    expect(file.statusCode, file.body).toBe(200);
    const cells = (parse(file.rawPayload, { columns: true }) as { Company: string }[]).map((r) => r.Company);
    expect(cells.sort()).toEqual(payloads.map((p) => `'${p}`).sort());
  });

  it('masks personal fields for a requester without export:pii, in the file and in what it reports', async () => {
    const { company } = await seedCompany(2, [
      { email: `mask-${randomUUID()}@example.com`, phone: '+49 30 1234567' },
    ]);
    const preview = await t.request({
      method: 'POST',
      url: '/api/crm/export/preview',
      as: agent,
      payload: { fields: ['first_name', 'email', 'phone', 'company'], selection: byCompany(company) },
    });
    expect(preview.json<ExportPreview>()).toMatchObject({
      row_count: 2,
      masked_fields: ['first_name', 'email', 'phone'],
      approval_required: false,
    });
    const { body } = await start(
      { format: 'csv', fields: ['first_name', 'email', 'phone', 'company'], selection: byCompany(company) },
      agent,
    );
    expect(body.masked_fields).toEqual(['first_name', 'email', 'phone']);
    await runJobs();
    const rows = parse((await download(body.id, agent)).rawPayload, { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => r['First name'])).toEqual(['***', '***']);
    expect(rows.some((r) => /^m\*\*\*@example\.com$/.test(r.Email!))).toBe(true);
    expect(rows.some((r) => r.Phone === '***67')).toBe(true);
    expect(rows.every((r) => r.Company === company)).toBe(true);
  });

  it('leaves customers who refused data sharing out of a marketing export only', async () => {
    const { company, customers } = await seedCompany(3);
    const refused = customers[1]!;
    const put = await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${refused.id}/communication-preferences`,
      as: admin,
      payload: { data_sharing: false, version: refused.version },
    });
    expect(put.statusCode, put.body).toBe(200);
    const internal = await start({ format: 'csv', fields: ['id'], selection: byCompany(company) });
    const marketing = await start({
      format: 'csv',
      fields: ['id'],
      selection: byCompany(company),
      purpose: 'marketing',
    });
    expect(internal.body.row_count).toBe(3);
    expect(marketing.body.row_count).toBe(2);
    expect(marketing.body.selection_description).toContain('without customers who refused data sharing');
    await runJobs();
    const ids = (
      parse((await download(marketing.body.id)).rawPayload, { columns: true }) as { 'Customer id': string }[]
    ).map((r) => r['Customer id']);
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(refused.id);
  });
});

describe('XLSX and PDF', () => {
  it('writes typed cells with a frozen header, read back with exceljs', async () => {
    const { company } = await seedCompany(2, [{ last_name: '=1+1' }]);
    const { body } = await start({
      format: 'xlsx',
      fields: ['last_name', 'total_orders', 'lifetime_value', 'created_at', 'has_account', 'tags'],
      selection: byCompany(company),
    });
    await runJobs();
    const file = await download(body.id);
    expect(file.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Last name',
      'Orders',
      'Lifetime value',
      'Created',
      'Has a platform account',
      'Tags',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(3);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe("'=1+1");
    expect(first.getCell(2).value).toBe(0);
    expect(typeof first.getCell(3).value).toBe('number');
    expect(first.getCell(4).value).toBeInstanceOf(Date);
    expect(first.getCell(5).value).toBe(false);
  });

  it('refuses a PDF over its row limit before starting, and writes a small one', async () => {
    const { company } = await seedCompany(2);
    const small = await start({
      format: 'pdf',
      fields: ['first_name', 'company'],
      selection: byCompany(company),
      title: 'Key accounts',
    });
    expect(small.status).toBe(202);
    await runJobs();
    const file = await download(small.body.id);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(String(file.headers['content-disposition'])).toContain('key-accounts-');

    await t.database.db
      .insertInto('customers')
      .columns(['first_name', 'company'])
      .expression(sql`select 'Bulk', 'PdfBulk' from generate_series(1, 5001)`)
      .execute();
    const big = await start({ format: 'pdf', fields: ['first_name'], selection: byCompany('PdfBulk') });
    expect(big.status).toBe(400);
    expect(big.body.errors?.[0]).toMatchObject({ field: 'format' });
    expect(big.body.detail).toMatch(/at most 5,000 rows/);
  });
});

describe('approval, access and expiry', () => {
  it('holds a large personal-data export for a second admin; the requester cannot approve it', async () => {
    const { company } = await seedCompany(4);
    const { body } = await start({ format: 'csv', fields: ['email'], selection: byCompany(company) }, admin);
    expect(body).toMatchObject({ state: 'pending_approval', approval_required: true, row_count: 4 });
    expect(await runJobs()).toBe(0);

    const own = await t.request({ method: 'POST', url: `/api/crm/export/${body.id}/approve`, as: admin });
    expect(own.statusCode).toBe(403);
    const byManager = await t.request({
      method: 'POST',
      url: `/api/crm/export/${body.id}/approve`,
      as: manager,
    });
    expect(byManager.statusCode).toBe(403);
    const ok = await t.request({ method: 'POST', url: `/api/crm/export/${body.id}/approve`, as: admin2 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Export>()).toMatchObject({ state: 'queued', approved_by: { id: admin2.id } });
    const again = await t.request({ method: 'POST', url: `/api/crm/export/${body.id}/approve`, as: admin2 });
    expect(again.statusCode).toBe(409);
    await runJobs();
    expect((await status(body.id, admin)).body.state).toBe('completed');
    expect((await audit(body.id)).map((e) => e.action)).toContain('export.approved');

    // masked or small exports need no approval
    const masked = await start({ format: 'csv', fields: ['email'], selection: byCompany(company) }, agent);
    expect(masked.body.state).toBe('queued');
    const plain = await start({ format: 'csv', fields: ['company'], selection: byCompany(company) }, admin);
    expect(plain.body.state).toBe('queued');
  });

  it('rejects with a reason; a rejected export never runs', async () => {
    const { company } = await seedCompany(4);
    const { body } = await start({ format: 'csv', fields: ['phone'], selection: byCompany(company) });
    expect(body.state).toBe('pending_approval');
    const noReason = await t.request({
      method: 'POST',
      url: `/api/crm/export/${body.id}/reject`,
      as: admin,
      payload: {},
    });
    expect(noReason.statusCode).toBe(400);
    const res = await t.request({
      method: 'POST',
      url: `/api/crm/export/${body.id}/reject`,
      as: admin,
      payload: { reason: 'Use the masked export' },
    });
    expect(res.json<Export>()).toMatchObject({
      state: 'rejected',
      rejection_reason: 'Use the masked export',
    });
    await runJobs();
    expect((await status(body.id)).body.state).toBe('rejected');
    expect((await download(body.id)).statusCode).toBe(409);
    const discard = await t.request({ method: 'DELETE', url: `/api/crm/export/${body.id}`, as: manager });
    expect(discard.statusCode).toBe(409);
    expect((await status(body.id)).body.state).toBe('rejected');
  });

  it('lets only the requester or an admin see and download an export', async () => {
    const { company } = await seedCompany(1);
    const { body } = await start({ format: 'csv', fields: ['company'], selection: byCompany(company) });
    await runJobs();
    const other = await t.staff('manager');
    expect((await status(body.id, other)).status).toBe(404);
    expect((await download(body.id, other)).statusCode).toBe(404);
    expect((await download(body.id, admin)).statusCode).toBe(200);
    expect((await download(body.id, viewer)).statusCode).toBe(403);
    const mine = await t.request({ method: 'GET', url: '/api/crm/exports', as: other });
    expect(mine.json<ExportList>().data).toEqual([]);
    const all = await t.request({ method: 'GET', url: '/api/crm/exports?limit=100', as: admin });
    expect(all.json<ExportList>().data.map((e) => e.id)).toContain(body.id);
    const own = await t.request({ method: 'GET', url: '/api/crm/exports?mine=true', as: admin });
    expect(own.json<ExportList>().data.map((e) => e.id)).not.toContain(body.id);
  });

  it('deletes files past their time: the export is expired and its download is 410 Gone', async () => {
    const { company } = await seedCompany(1);
    const { body } = await start({ format: 'csv', fields: ['company'], selection: byCompany(company) });
    await runJobs();
    expect(readdirSync(t.config.exports.dir)).toContain(`${body.id}.csv`);
    await t.database.db
      .updateTable('exports')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', body.id)
      .execute();
    expect(
      await expireExports({ db: t.database.db, database: t.database, config: t.config, jwt: null }),
    ).toBe(1);
    expect(existsSync(`${t.config.exports.dir}/${body.id}.csv`)).toBe(false);
    expect((await status(body.id)).body).toMatchObject({ state: 'expired', download_url: null });
    const gone = await download(body.id);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['content-type']).toContain('application/problem+json');
  });

  it('cancels an export that has not run, and deletes a finished one’s file', async () => {
    const { company } = await seedCompany(4);
    const pending = await start({ format: 'csv', fields: ['email'], selection: byCompany(company) });
    const cancelled = await t.request({
      method: 'DELETE',
      url: `/api/crm/export/${pending.body.id}`,
      as: manager,
    });
    expect(cancelled.json<Export>().state).toBe('cancelled');
    const done = await start({ format: 'csv', fields: ['company'], selection: byCompany(company) });
    await runJobs();
    await t.request({ method: 'DELETE', url: `/api/crm/export/${done.body.id}`, as: manager });
    expect(existsSync(`${t.config.exports.dir}/${done.body.id}.csv`)).toBe(false);
    expect((await download(done.body.id)).statusCode).toBe(410);
  });
});

describe('bad input and restarts', () => {
  it('answers bad requests with a 400 naming the field, and writes nothing', async () => {
    const before = await t.database.db
      .selectFrom('exports')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    const cases: [object, string][] = [
      [{ format: 'csv', fields: ['shoe_size'], selection: { all: true } }, 'fields[0]'],
      [{ format: 'csv', fields: [], selection: { all: true } }, 'fields'],
      [{ format: 'docx', fields: ['id'], selection: { all: true } }, 'format'],
      [{ format: 'csv', fields: ['id'], selection: { segment_id: randomUUID() } }, 'selection.segment_id'],
    ];
    for (const [payload, field] of cases) {
      const { status: code, body } = await start(payload);
      expect(code, JSON.stringify(body)).toBe(400);
      expect(body.errors?.map((e) => e.field)).toContain(field);
    }
    const after = await t.database.db
      .selectFrom('exports')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await start({ format: 'csv', fields: ['id'], selection: { all: true } }, viewer)).status).toBe(
      403,
    );
    const lists: [string, string][] = [
      ['/api/crm/exports?state=done', 'state'],
      ['/api/crm/exports?limit=0', 'limit'],
      ['/api/crm/exports?cursor=not-a-cursor', 'cursor'],
    ];
    for (const [url, field] of lists) {
      const res = await t.request({ method: 'GET', url, as: manager });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<Problem>().errors?.map((e) => e.field)).toContain(field);
    }
    expect((await status(randomUUID())).status).toBe(404);
    expect((await status('not-a-uuid')).status).toBe(400);
    const approveNothing = await t.request({
      method: 'POST',
      url: `/api/crm/export/${randomUUID()}/approve`,
      as: admin,
    });
    expect(approveNothing.statusCode).toBe(404);
  });

  it('starts over after a crash mid-export: the half-written file is never offered, the retry is whole', async () => {
    const { company } = await seedCompany(3);
    const { body } = await start({ format: 'csv', fields: ['id', 'company'], selection: byCompany(company) });
    // what a process killed mid-export leaves: the job leased but its lease run out, a partial file
    await t.database.db
      .updateTable('jobs')
      .set({ status: 'running', attempts: 1, locked_until: new Date(Date.now() - 1000) })
      .where('payload', '@>', sql<never>`${JSON.stringify({ export_id: body.id })}::jsonb`)
      .execute();
    await t.database.db
      .updateTable('exports')
      .set({ state: 'running', rows_written: 1 })
      .where('id', '=', body.id)
      .execute();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(t.config.exports.dir, { recursive: true });
    writeFileSync(`${t.config.exports.dir}/${body.id}.csv.part`, 'Customer id,Company\r\nhalf-a-ro');
    expect((await download(body.id)).statusCode).toBe(409);

    expect(await runJobs()).toBeGreaterThan(0);
    const done = (await status(body.id)).body;
    expect(done).toMatchObject({ state: 'completed', rows_written: 3, row_count: 3 });
    const rows = parse((await download(body.id)).rawPayload, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(existsSync(`${t.config.exports.dir}/${body.id}.csv.part`)).toBe(false);
  });
});
