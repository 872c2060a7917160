import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerList, ImportReport, TimelineEvent } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** CSV import over HTTP: real multipart bodies, real CSV files parsed, one transaction per file. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
let agent: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  agent = await t.staff('agent');
});
afterAll(() => t?.close());

type FilePart = { filename: string; content: string | Buffer; type?: string };

/** A real multipart/form-data body, encoded by the platform's FormData. */
async function multipart(parts: Record<string, string | FilePart>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.append(name, value);
    else
      form.append(
        name,
        new Blob([typeof value.content === 'string' ? value.content : new Uint8Array(value.content)], {
          type: value.type ?? 'text/csv',
        }),
        value.filename,
      );
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type')! },
  };
}

async function upload<T>(
  url: string,
  csv: string | Buffer | null,
  fields: Record<string, string> = {},
  as: StaffHandle = manager,
) {
  const parts: Record<string, string | FilePart> = { ...fields };
  if (csv !== null) parts.file = { filename: 'customers.csv', content: csv };
  const res = await t.request({ method: 'POST', url, as, ...(await multipart(parts)) });
  return { res, body: res.json<T>() };
}

const importCsv = (csv: string | Buffer, fields: Record<string, string> = {}, as: StaffHandle = manager) =>
  upload<ImportReport & Problem>('/api/crm/customers/import', csv, fields, as);
const preview = (csv: string | Buffer) =>
  upload<{
    headers: string[];
    sample: string[][];
    suggested_mapping: Record<string, string | null>;
    total_rows: number;
  }>('/api/crm/customers/import/preview', csv);

async function byEmail(email: string): Promise<Customer | undefined> {
  const owner = await t.database.db
    .selectFrom('customer_emails')
    .select('customer_id')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  if (!owner) return undefined;
  const res = await t.request({ method: 'GET', url: `/api/crm/customers/${owner.customer_id}`, as: admin });
  return res.json<Customer>();
}

async function emailsLike(pattern: string) {
  return (
    await t.database.db
      .selectFrom('customer_emails')
      .select('email')
      .where('email', 'like', pattern)
      .execute()
  ).map((r) => r.email);
}

describe('preview', () => {
  it('reads the headers and first rows and suggests a mapping', async () => {
    const rows = Array.from(
      { length: 7 },
      (_, i) => `p${i}@preview.example,Name${i},Surname${i},Co ${i},DE,note ${i}`,
    );
    const csv = ['E-mail,First Name,last_name,Organisation,Country Code,Notes', ...rows].join('\n');
    const { res, body } = await preview(csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(body.headers).toEqual([
      'E-mail',
      'First Name',
      'last_name',
      'Organisation',
      'Country Code',
      'Notes',
    ]);
    expect(body.total_rows).toBe(7);
    expect(body.sample).toHaveLength(5);
    expect(body.sample[0]).toEqual(['p0@preview.example', 'Name0', 'Surname0', 'Co 0', 'DE', 'note 0']);
    expect(body.suggested_mapping).toEqual({
      'E-mail': 'email',
      'First Name': 'first_name',
      last_name: 'last_name',
      Organisation: 'company',
      'Country Code': 'country',
      Notes: null,
    });
    // a preview writes nothing
    expect(await emailsLike('%@preview.example')).toEqual([]);
  });

  it('maps each field once: a second column of the same meaning is left unmapped', async () => {
    const { body } = await preview(
      'Email,Email Address,Phone,Mobile,Zip,State\na@b.example,c@d.example,1,2,3,4\n',
    );
    expect(body.suggested_mapping).toEqual({
      Email: 'email',
      'Email Address': null,
      Phone: 'phone',
      Mobile: null,
      Zip: 'postal_code',
      State: 'region',
    });
  });

  it('refuses what is not a CSV upload', async () => {
    const json = await t.request({
      method: 'POST',
      url: '/api/crm/customers/import/preview',
      as: manager,
      payload: { file: 'email\na@b.example' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json<Problem>().code).toBe('unsupported_media_type');
    const empty = await preview('');
    expect(empty.res.statusCode).toBe(400);
  });
});

describe('import', () => {
  it('creates customers from a file with the suggested mapping; skip is the default mode', async () => {
    const csv = [
      'Email,First Name,Last Name,Company,Phone,Status,Stage,Source,Signup Date,Preferred Contact Method,Address,Address 2,City,State,Postcode,Country',
      'ann@create.example,Ann,Archer,Archery Ltd,+1 555 0101,active,customer,trade show,2024-03-04,phone,1 Bow St,Unit 2,Leeds,West Yorkshire,LS1 1AA,gb',
      'bob@create.example,Bob,,,,,,,,,,,,,,',
    ].join('\r\n');
    const { res, body } = await importCsv(csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(body).toEqual({ total_rows: 2, created: 2, updated: 0, skipped: 0, rejected: [] });

    const ann = await byEmail('ann@create.example');
    expect(ann).toMatchObject({
      first_name: 'Ann',
      last_name: 'Archer',
      company: 'Archery Ltd',
      email: 'ann@create.example',
      phone: '+1 555 0101',
      country: 'GB',
      customer_status: 'active',
      lifecycle_stage: 'customer',
      acquisition_source: 'trade show',
      acquisition_date: '2024-03-04T00:00:00.000Z',
      preferred_contact_method: 'phone',
    });
    expect(ann!.addresses).toEqual([
      {
        id: expect.any(String),
        label: null,
        line1: '1 Bow St',
        line2: 'Unit 2',
        city: 'Leeds',
        region: 'West Yorkshire',
        postal_code: 'LS1 1AA',
        country: 'GB',
        is_primary: true,
      },
    ]);
    const bob = await byEmail('bob@create.example');
    expect(bob).toMatchObject({
      first_name: 'Bob',
      last_name: null,
      customer_status: 'prospect',
      lifecycle_stage: 'lead',
      acquisition_source: 'import',
      addresses: [],
    });
    const timeline = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${bob!.id}/timeline`,
      as: admin,
    });
    expect(timeline.json<{ data: TimelineEvent[] }>().data).toMatchObject([
      { kind: 'imported', summary: 'Created by CSV import', actor: { id: manager.id } },
    ]);
    // imported customers are found like any other
    const found = await t.request({ method: 'GET', url: '/api/crm/customers?q=archery', as: admin });
    expect(found.json<CustomerList>().data.map((c) => c.id)).toEqual([ann!.id]);
  });

  it('an explicit mapping picks the columns; unmapped and blank-mapped columns are ignored', async () => {
    const csv = 'Contact,Given,Family,Secret\nmap@explicit.example,Mia,Mapper,do-not-import\n';
    const { res, body } = await importCsv(csv, {
      mapping: JSON.stringify({ Contact: 'email', Given: 'first_name', Family: '', Secret: null }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(body.created).toBe(1);
    const mia = await byEmail('map@explicit.example');
    expect(mia).toMatchObject({ first_name: 'Mia', last_name: null });
    expect(JSON.stringify(mia)).not.toContain('do-not-import');
  });

  it('an incomplete address (no city) is not imported, the rest of the row is', async () => {
    const { body } = await importCsv('email,address,country\nhalf@address.example,1 Nowhere Rd,US\n');
    expect(body.created).toBe(1);
    expect((await byEmail('half@address.example'))!.addresses).toEqual([]);
  });

  it('rejects bad rows with their line and reason; the good rows are still imported', async () => {
    const csv = [
      'email,first_name,status,country,signup date',
      'good1@rows.example,Good,active,DE,', // line 2
      'not-an-email,Bad,active,DE,', // line 3
      ',Missing,active,DE,', // line 4
      'status@rows.example,Bad,vip,DE,', // line 5
      'country@rows.example,Bad,active,Germany,', // line 6
      '', // line 7: blank, skipped but counted
      'date@rows.example,Bad,active,DE,31/12/2024', // line 8
      '"quoted@rows.example","Multi', // line 9: a quoted value over two lines
      'Line",churned,FR,', // line 10
      'good2@rows.example,Good,,,', // line 11
      'bad3@rows,Bad,,,', // line 12
    ].join('\n');
    const { res, body } = await importCsv(csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(body).toMatchObject({ total_rows: 9, created: 3, updated: 0, skipped: 0 });
    expect(body.rejected).toEqual([
      { row: 3, field: 'email', reason: expect.stringContaining('not a valid email') },
      { row: 4, field: 'email', reason: 'email is missing' },
      { row: 5, field: 'customer_status', reason: expect.stringContaining('one of active') },
      { row: 6, field: 'country', reason: expect.stringContaining('two-letter') },
      { row: 8, field: 'acquisition_date', reason: expect.stringContaining('acquisition_date') },
      { row: 12, field: 'email', reason: expect.stringContaining('not a valid email') },
    ]);
    expect((await emailsLike('%@rows.example')).sort()).toEqual([
      'good1@rows.example',
      'good2@rows.example',
      'quoted@rows.example',
    ]);
    expect(await byEmail('quoted@rows.example')).toMatchObject({ first_name: 'Multi\nLine', country: null });
  });

  it('de-duplicates against the database: skip leaves the customer alone, update merges the file in', async () => {
    const existing = await makeCustomer(t, admin, {
      email: 'Dup@Existing.example',
      first_name: 'Original',
      last_name: 'Name',
      phone: '+1 555 0199',
    });
    const csv =
      'email,first_name,company,phone,address,city,country\ndup@existing.EXAMPLE,Changed,New Co,+1 555 0200,2 Road,Rome,IT\n';

    const skipped = await importCsv(csv, { mode: 'skip' });
    expect(skipped.body).toMatchObject({ created: 0, updated: 0, skipped: 1, rejected: [] });
    const untouched = await byEmail('dup@existing.example');
    expect(untouched).toMatchObject({ first_name: 'Original', company: null, version: existing.version });

    const updated = await importCsv(csv, { mode: 'update' });
    expect(updated.body).toMatchObject({ created: 0, updated: 1, skipped: 0, rejected: [] });
    const merged = await byEmail('dup@existing.example');
    expect(merged).toMatchObject({
      id: existing.id,
      first_name: 'Changed',
      last_name: 'Name', // empty in the file: kept
      company: 'New Co',
      phone: '+1 555 0199', // the first phone stays primary; the new one is added
      country: 'IT',
      version: existing.version + 1,
    });
    expect(merged!.phones.map((p) => p.phone)).toEqual(['+1 555 0199', '+1 555 0200']);
    expect(merged!.addresses.map((a) => [a.line1, a.city, a.is_primary])).toEqual([['2 Road', 'Rome', true]]);

    // the same file again adds no second phone or address
    await importCsv(csv, { mode: 'update' });
    const again = await byEmail('dup@existing.example');
    expect(again!.phones).toHaveLength(2);
    expect(again!.addresses).toHaveLength(1);

    const timeline = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${existing.id}/timeline?kind=imported`,
      as: admin,
    });
    const events = timeline.json<{ data: TimelineEvent[] }>().data;
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ summary: 'Updated by CSV import' });
    expect((events[0]!.data.fields as string[]).sort()).toEqual(
      ['address_line1', 'city', 'company', 'country', 'first_name', 'phone'].sort(),
    );
  });

  it('de-duplicates within the file: the second row with an email skips or updates the first', async () => {
    const csv = 'email,first_name\ntwice@file.example,First\nTWICE@file.example,Second\n';
    const skip = await importCsv(csv, { mode: 'skip' });
    expect(skip.body).toMatchObject({ total_rows: 2, created: 1, skipped: 1, updated: 0 });
    expect((await byEmail('twice@file.example'))!.first_name).toBe('First');

    const csv2 = 'email,first_name\nthrice@file.example,First\nThrice@File.example,Second\n';
    const update = await importCsv(csv2, { mode: 'update' });
    expect(update.body).toMatchObject({ total_rows: 2, created: 1, skipped: 0, updated: 1 });
    expect((await byEmail('thrice@file.example'))!.first_name).toBe('Second');
    expect(await emailsLike('%hrice@%')).toHaveLength(1);
  });

  it('reads semicolon-delimited files with a BOM and keeps commas inside values', async () => {
    const csv = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        'Email;First name;Last name;Company\nemilie@semi.example;Émilie;Ñúñez-Ångström;Dupont, SA\n',
        'utf8',
      ),
    ]);
    const { res, body } = await importCsv(csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(body).toMatchObject({ created: 1, rejected: [] });
    expect(await byEmail('emilie@semi.example')).toMatchObject({
      first_name: 'Émilie',
      last_name: 'Ñúñez-Ångström',
      company: 'Dupont, SA',
    });
    const found = await t.request({ method: 'GET', url: '/api/crm/customers?q=nunez%20emilie', as: admin });
    expect(found.json<CustomerList>().data.map((c) => c.email)).toEqual(['emilie@semi.example']);
  });

  it('reads tab-delimited files and quoted values', async () => {
    const csv = 'email\tfirst_name\tcompany\n"tab@sep.example"\t"Tim ""T"" Tab"\tTabs; Commas, Inc\n';
    const { body } = await importCsv(csv);
    expect(body.created).toBe(1);
    expect(await byEmail('tab@sep.example')).toMatchObject({
      first_name: 'Tim "T" Tab',
      company: 'Tabs; Commas, Inc',
    });
  });

  it('a header with no rows imports nothing', async () => {
    const { res, body } = await importCsv('email,first_name\n');
    expect(res.statusCode).toBe(200);
    expect(body).toEqual({ total_rows: 0, created: 0, updated: 0, skipped: 0, rejected: [] });
  });

  it.each([
    [
      'a column that is not in the file',
      { mapping: JSON.stringify({ Email: 'email', Nope: 'first_name' }) },
      /Nope/,
    ],
    [
      'two columns mapped to one field',
      { mapping: JSON.stringify({ Email: 'email', Name: 'email' }) },
      /Two columns/,
    ],
    ['no column mapped to email', { mapping: JSON.stringify({ Name: 'first_name' }) }, /email/],
    ['a mapping that is not JSON', { mapping: '{Email: email' }, /JSON/],
    ['a mapping to an unknown field', { mapping: JSON.stringify({ Email: 'password' }) }, /./],
    ['a mapping that is a list', { mapping: JSON.stringify(['email']) }, /./],
  ])('%s is a 400 naming the mapping, and imports nothing', async (_label, fields, detail) => {
    const { res, body } = await importCsv('Email,Name\nnothing@mapping.example,N\n', fields);
    expect(res.statusCode, res.body).toBe(400);
    expect(body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'mapping' }] });
    expect(body.detail).toMatch(detail);
    expect(await emailsLike('%@mapping.example')).toEqual([]);
  });

  it('a file with no email column at all is a 400', async () => {
    const { res, body } = await importCsv('Name,Company\nNo Email,Co\n');
    expect(res.statusCode).toBe(400);
    expect(body.errors?.[0]?.field).toBe('mapping');
  });

  it('an unknown mode is a 400 naming mode', async () => {
    const { res, body } = await importCsv('email\nmode@x.example\n', { mode: 'replace' });
    expect(res.statusCode).toBe(400);
    expect(body.errors?.[0]?.field).toBe('mode');
  });

  it.each([
    ['an empty file', ''],
    ['a file of blank lines', '\n  \n\n'],
    ['a file that is not valid CSV', 'email,name\n"unclosed@x.example,Name\n'],
  ])('%s is a 400 naming the file', async (_label, csv) => {
    const { res, body } = await importCsv(csv);
    expect(res.statusCode, res.body).toBe(400);
    expect(body.errors?.[0]?.field).toBe('file');
  });

  it('no file part, or a file under another name, is a 400', async () => {
    const none = await upload<Problem>('/api/crm/customers/import', null, { mode: 'skip' });
    expect(none.res.statusCode).toBe(400);
    expect(none.body.errors?.[0]?.field).toBe('file');
    const renamed = await t.request({
      method: 'POST',
      url: '/api/crm/customers/import',
      as: manager,
      ...(await multipart({ upload: { filename: 'x.csv', content: 'email\nx@y.example\n' } })),
    });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json<Problem>().errors?.[0]?.field).toBe('upload');
  });

  it('a body that is not multipart is a 415', async () => {
    const json = await t.request({
      method: 'POST',
      url: '/api/crm/customers/import',
      as: manager,
      payload: { csv: 'email\nx@json.example' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toContain('application/problem+json');
    const text = await t.request({
      method: 'POST',
      url: '/api/crm/customers/import',
      as: manager,
      headers: { 'content-type': 'text/csv' },
      payload: 'email\nx@csv.example\n',
    });
    expect(text.statusCode).toBe(415);
    expect(await emailsLike('x@%.example')).toEqual([]);
  });

  it('needs customers:import: an agent may not import', async () => {
    const { res } = await importCsv('email\nagent@import.example\n', {}, agent);
    expect(res.statusCode).toBe(403);
    expect(await emailsLike('agent@import.example')).toEqual([]);
  });
});

describe('failures inside the database', () => {
  // A trigger makes the database itself refuse one email, the way a constraint or a crash would.
  async function refuse(email: string, how: 'unique_violation' | 'crash') {
    const raise =
      how === 'unique_violation'
        ? `RAISE unique_violation USING MESSAGE = 'duplicate key', CONSTRAINT = 'customer_emails_email_key'`
        : `RAISE EXCEPTION 'simulated crash in the middle of an import'`;
    await sql
      .raw(`
      CREATE OR REPLACE FUNCTION test_refuse_email() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF lower(NEW.email) = '${email}' THEN ${raise}; END IF;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS test_refuse_email ON customer_emails;
      CREATE TRIGGER test_refuse_email BEFORE INSERT ON customer_emails
        FOR EACH ROW EXECUTE FUNCTION test_refuse_email();`)
      .execute(t.database.db);
  }
  async function allow() {
    await sql.raw('DROP TRIGGER IF EXISTS test_refuse_email ON customer_emails').execute(t.database.db);
  }

  it('a row the database refuses is rejected; the rows around it are kept', async () => {
    await refuse('refused@db.example', 'unique_violation');
    try {
      const csv = 'email,first_name\nbefore@db.example,B\nrefused@db.example,R\nafter@db.example,A\n';
      const { res, body } = await importCsv(csv);
      expect(res.statusCode, res.body).toBe(200);
      expect(body).toMatchObject({ created: 2, rejected: [{ row: 3, field: 'email' }] });
      expect((await emailsLike('%@db.example')).sort()).toEqual(['after@db.example', 'before@db.example']);
      // the refused row left nothing behind (its customer row was rolled back to the savepoint)
      const orphans = await t.database.db
        .selectFrom('customers')
        .select('id')
        .where('first_name', '=', 'R')
        .where('acquisition_source', '=', 'import')
        .execute();
      expect(orphans).toEqual([]);
    } finally {
      await allow();
    }
  });

  it('a crash mid-import leaves no half import', async () => {
    const count = async (table: 'customers' | 'customer_emails' | 'customer_events') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = [await count('customers'), await count('customer_emails'), await count('customer_events')];
    await refuse('boom@crash.example', 'crash');
    const rows = Array.from({ length: 20 }, (_, i) => `row${i}@crash.example,Row ${i}`);
    rows.splice(12, 0, 'boom@crash.example,Boom');
    const csv = ['email,first_name', ...rows].join('\n');
    try {
      const { res, body } = await importCsv(csv);
      expect(res.statusCode).toBe(500);
      // the crash's details stay in the log
      expect(body).toEqual({
        type: 'https://crm.example/problems/internal',
        title: 'Internal server error',
        status: 500,
        code: 'internal',
      });
    } finally {
      await allow();
    }
    // the twelve rows before the crash were rolled back with it
    expect(await emailsLike('%@crash.example')).toEqual([]);
    const after = [await count('customers'), await count('customer_emails'), await count('customer_events')];
    expect(after).toEqual(before);

    // the same file imports completely once the database accepts it
    const retry = await importCsv(csv);
    expect(retry.body).toMatchObject({ total_rows: 21, created: 21, rejected: [] });
  });
});
