import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';
import type { Export } from '../../src/shared/exports.js';
import {
  client,
  serverApiToken,
  startServerProcess,
  stopServerProcesses,
} from '../helpers/server-process.js';

/**
 * An export survives its server: a real server process on PGlite is killed (SIGKILL) while it
 * writes an export; the half-written file is never offered, and after a restart the export runs
 * again by itself and its file holds exactly the selected rows.
 */
const ADMIN = { email: 'exports-restart@staff.test', password: 'exports-restart-password' };
const CUSTOMERS = 60_000;
const dirs: string[] = [];

afterAll(() => {
  stopServerProcesses();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Customers put straight into the database, before the server takes it over. */
async function seed(dataDir: string) {
  const database = await connectDatabase({ dataDir });
  await migrate(database);
  await sql`insert into customers (first_name, last_name, email, company)
    select 'Restart', 'Customer ' || n, 'restart-' || n || '@example.com', 'Restartco'
    from generate_series(1, ${CUSTOMERS}) n`.execute(database.db);
  await sql`update customer_metrics m set lifetime_value = c.n % 1000
    from (select id, row_number() over (order by created_at, id) as n from customers) c
    where m.customer_id = c.id`.execute(database.db);
  await database.close();
}

describe('an export cut off by a crash', () => {
  it('is never offered half-written, and runs to the end after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-export-restart-'));
    dirs.push(dataDir);
    await seed(dataDir);
    const env = { EXPORT_APPROVAL_ROWS: '0', EXPORT_DIR: join(dataDir, 'exports') };
    const first = await startServerProcess(dataDir, { admin: ADMIN, env });
    const token = await serverApiToken(first, ADMIN, 'restart');
    let api = client(first, token);

    const started = await api.post<Export>('/api/crm/export/customers', {
      format: 'xlsx',
      fields: ['id', 'first_name', 'last_name', 'email', 'lifetime_value', 'created_at'],
      selection: { criteria: { match: 'all', rules: [{ field: 'company', op: 'eq', value: 'Restartco' }] } },
    });
    expect(started.status).toBe(202);
    const id = started.body.id;

    // wait until rows are being written, then pull the plug
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { body } = await api.get<Export>(`/api/crm/export/status/${id}`);
      if (body.state === 'running' && body.rows_written > 0) break;
      expect(body.state, 'the export finished before it could be cut off').not.toBe('completed');
      if (Date.now() > deadline) throw new Error(`export never started:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const files = readdirSync(env.EXPORT_DIR);
    expect(files).toEqual([`${id}.xlsx.part`]);

    const second = await startServerProcess(dataDir, { admin: ADMIN, env });
    api = client(second, token);
    const afterRestart = await api.get<Export>(`/api/crm/export/status/${id}`);
    expect(afterRestart.body.download_url).toBeNull();
    let done: Export | undefined;
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      const { body } = await api.get<Export>(`/api/crm/export/status/${id}`);
      if (body.state === 'completed' || body.state === 'failed') {
        done = body;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(done, second.output()).toMatchObject({
      state: 'completed',
      row_count: CUSTOMERS,
      rows_written: CUSTOMERS,
    });
    expect(existsSync(join(env.EXPORT_DIR, `${id}.xlsx.part`))).toBe(false);

    const res = await fetch(`${second.base}${done!.download_url}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(CUSTOMERS + 1);
    const ids = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 1) ids.add(String(row.getCell(1).value));
    });
    expect(ids.size).toBe(CUSTOMERS);
  }, 300_000);
});
