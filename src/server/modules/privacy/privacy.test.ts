import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendResult } from '../../../shared/communications.js';
import type { Customer, ImportReport } from '../../../shared/customers.js';
import type { DataSubjectExport, EraseResult } from '../../../shared/privacy.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer, makeOrder } from '../../../../tests/helpers/factories.js';
import { MAIL_JOB } from '../../platform/mail.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Data-subject requests over HTTP on a real database: the export, the erasure and what it blocks. */
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

const db = () => t.database.db;
const runJobs = () => t.app.workers.runner.runDue();

/** One person's distinctive values: after erasure none may be found anywhere in the database. */
function personValues(n: string) {
  return {
    first_name: `Zebulon${n}`,
    last_name: `Quixotehaus${n}`,
    company: `Marchettiworks${n}`,
    email: `zeb.quixo${n}@erase-me.example`,
    phone: `+44 20 7946 ${n.padStart(4, '0')}`,
    phoneDigits: `4420 7946${n.padStart(4, '0')}`.replace(/\D/g, ''),
    street: `${n} Threadneedle Crescent`,
    noteFirst: `Allergic to hazelnuts ${n}`,
    noteEdited: `Prefers calls after six ${n}`,
    interaction: `Called about the broken grinder ${n}`,
    ticket: `Grinder arrived cracked ${n}`,
    comment: `Replacement dispatched to the Crescent ${n}`,
    task: `Ring back about grinder ${n}`,
    mailSubject: `Your grinder replacement ${n}`,
    mailBody: `Dear customer, tracking code XQZ${n}`,
    userAgent: `ZebBrowser/${n}.0`,
  };
}
type Person = ReturnType<typeof personValues>;

async function ok<T>(res: { statusCode: number; body: string; json<U>(): U }, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

/** A customer with one of each kind of record, every one made through the API. */
async function seedPerson(n: string): Promise<{ customer: Customer; p: Person; emailId: string }> {
  const p = personValues(n);
  const customer = await makeCustomer(t, admin, {
    first_name: p.first_name,
    last_name: p.last_name,
    company: p.company,
    email: p.email,
    phone: p.phone,
    addresses: [{ line1: p.street, city: 'London', postal_code: 'EC2R 8AH', country: 'GB' }],
  });
  const id = customer.id;
  const note = await ok<{ id: string; version: number }>(
    await t.request({
      method: 'POST',
      url: `/api/crm/customers/${id}/notes`,
      as: agent,
      payload: { content: `${p.noteFirst} @[Admin](staff:${admin.id})` },
    }),
    201,
  );
  // the edit keeps the first text as a revision
  await ok(
    await t.request({
      method: 'PUT',
      url: `/api/crm/notes/${note.id}`,
      as: agent,
      payload: { content: p.noteEdited, version: note.version },
    }),
  );
  await ok(
    await t.request({
      method: 'POST',
      url: `/api/crm/customers/${id}/interactions`,
      as: agent,
      payload: {
        interaction_type: 'phone',
        subject: p.interaction,
        description: `${p.first_name} was upset`,
        outcome: `Promised ${p.first_name} a call`,
        follow_up_date: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
    201,
  );
  const ticket = await ok<{ id: string }>(
    await t.request({
      method: 'POST',
      url: '/api/crm/tickets',
      as: agent,
      payload: { subject: p.ticket, description: `${p.first_name} sent photos`, customer_id: id },
    }),
    201,
  );
  await ok(
    await t.request({
      method: 'POST',
      url: `/api/crm/tickets/${ticket.id}/comments`,
      as: agent,
      payload: { body: p.comment },
    }),
    201,
  );
  const task = await ok<{ id: string }>(
    await t.request({
      method: 'POST',
      url: '/api/crm/tasks',
      as: agent,
      payload: { title: p.task, description: `Ask ${p.last_name} for the order number`, customer_id: id },
    }),
    201,
  );
  const sent = await ok<SendResult>(
    await t.request({
      method: 'POST',
      url: '/api/crm/communications/send',
      as: agent,
      payload: { customer_id: id, subject: p.mailSubject, body: `${p.mailBody} https://shop.example/track` },
    }),
    201,
  );
  await runJobs();
  const emailId = sent.email!.id;
  await ok(
    await t.request({
      method: 'POST',
      url: '/api/crm/communications/track',
      as: admin,
      payload: { email_id: emailId, event: 'opened', user_agent: p.userAgent, ip: '203.0.113.77' },
    }),
  );
  await makeOrder(t, admin, id, {
    items: [{ sku: 'GRIND-1', name: 'Burr grinder', category: 'equipment', quantity: 2, unit_price: 60 }],
  });
  await ok(
    await t.request({
      method: 'POST',
      url: `/api/crm/customers/${id}/tags`,
      as: admin,
      payload: { names: [`vip-${n}`], create_missing: true },
    }),
  );
  const segment = await ok<{ id: string }>(
    await t.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: { name: `Hand picked ${n}`, auto_update: false },
    }),
    201,
  );
  await ok(
    await t.request({
      method: 'POST',
      url: `/api/crm/segments/${segment.id}/members`,
      as: admin,
      payload: { customer_ids: [id] },
    }),
  );
  const current = await ok<Customer>(
    await t.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin }),
  );
  await ok(
    await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${id}/communication-preferences`,
      as: admin,
      payload: { email: { marketing: false }, version: current.version },
    }),
  );
  // reminder mail about the task as the reminder job queues it (one sent, one still waiting)
  for (const [status, at] of [
    ['succeeded', '2030-01-01T09:00:00.000Z'],
    ['queued', '2030-01-02T09:00:00.000Z'],
  ] as const) {
    await db()
      .insertInto('jobs')
      .values({
        kind: MAIL_JOB,
        status,
        // not due while the test runs jobs
        run_at: at,
        payload: JSON.stringify({
          to: agent.email,
          subject: `Reminder: ${p.task}`,
          text: `Reminder: ${p.task}\nCustomer: ${p.first_name} ${p.last_name}\n`,
        }),
        dedupe_key: `${MAIL_JOB}:task-reminder:${task.id}:${at}`,
      })
      .execute();
  }
  return { customer: current, p, emailId };
}

const erase = (id: string, payload: unknown, as: StaffHandle = admin) =>
  t.request({ method: 'POST', url: `/api/crm/customers/${id}/erase`, as, payload: payload as object });

/** For each value, every text-like column of every table (public and auth) that contains it. */
async function findAnywhere(values: string[]): Promise<Record<string, string[]>> {
  const columns = await sql<{ table_schema: string; table_name: string; column_name: string }>`
    select c.table_schema, c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema in ('public', 'auth') and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`.execute(db());
  expect(columns.rows.length).toBeGreaterThan(50);
  const found: Record<string, string[]> = {};
  for (const c of columns.rows) {
    const col = sql.ref(c.column_name);
    const flags = sql.join(
      values.map(
        (v, i) =>
          sql`coalesce(bool_or(strpos(lower(${col}::text), lower(${v})) > 0), false) as ${sql.ref(`v${i}`)}`,
      ),
    );
    const row = await sql<Record<string, boolean>>`
      select ${flags} from ${sql.table(`${c.table_schema}.${c.table_name}`)}`.execute(db());
    values.forEach((v, i) => {
      if (!row.rows[0]?.[`v${i}`]) return;
      const list = found[v] ?? [];
      list.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
      found[v] = list;
    });
  }
  return found;
}

const secretsOf = (p: Person) => [
  p.first_name,
  p.last_name,
  p.company,
  p.email,
  p.email.split('@')[0]!,
  p.phone,
  p.phoneDigits,
  p.street,
  p.noteFirst,
  p.noteEdited,
  p.interaction,
  p.ticket,
  p.comment,
  p.task,
  p.mailSubject,
  p.mailBody,
  p.userAgent,
];

describe('GET /api/crm/customers/:id/data-export', () => {
  it('hands an administrator everything held about the person, as an audited download', async () => {
    const { customer, p, emailId } = await seedPerson('101');
    const res = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${customer.id}/data-export`,
      as: admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="customer-${customer.id}.json"`);
    const body = res.json<DataSubjectExport>();
    const s = body.sections;

    // the profile with every column, unmasked
    expect(body.customer).toMatchObject({
      id: customer.id,
      first_name: p.first_name,
      last_name: p.last_name,
      email: p.email,
      phone: p.phone,
      erased_at: null,
      lifetime_value: '120.00',
    });
    expect(Object.keys(body.customer)).toEqual(
      expect.arrayContaining(['search_text', 'communication_preferences', 'version', 'owner_id']),
    );
    expect(s.contact_emails!.map((e) => e.email)).toEqual([p.email]);
    expect(s.contact_phones!.map((e) => e.phone)).toEqual([p.phone]);
    expect(s.contact_addresses!.map((a) => a.line1)).toEqual([p.street]);
    expect(s.orders).toHaveLength(1);
    expect(s.orders![0]!.items).toEqual([expect.objectContaining({ sku: 'GRIND-1', quantity: 2 })]);
    expect(s.notes).toEqual([
      expect.objectContaining({
        content: p.noteEdited,
        revisions: [expect.objectContaining({ content: expect.stringContaining(p.noteFirst) })],
      }),
    ]);
    expect(s.interactions).toEqual([expect.objectContaining({ subject: p.interaction })]);
    expect(s.tickets).toEqual([
      expect.objectContaining({
        subject: p.ticket,
        comments: [expect.objectContaining({ body: p.comment })],
      }),
    ]);
    // the task made by hand and the follow-up task of the interaction
    expect(s.tasks!.map((x) => x.title)).toContain(p.task);
    expect(s.tasks!.length).toBe(2);
    const [email] = s.emails!;
    expect(email).toMatchObject({ id: emailId, subject: p.mailSubject, email_address: p.email });
    expect(email!.body_text).toContain(p.mailBody);
    expect(email!.events).toEqual([expect.objectContaining({ kind: 'opened', user_agent: p.userAgent })]);
    expect(email!.links).toEqual([expect.objectContaining({ url: 'https://shop.example/track' })]);
    expect(s.communication_preference_changes!.length).toBeGreaterThanOrEqual(1);
    expect(s.tags!.map((x) => x.name)).toEqual(['vip-101']);
    expect(s.segments!.map((x) => x.name)).toEqual(['Hand picked 101']);
    expect(s.timeline!.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['customer_created', 'note_added', 'ticket_opened', 'email_sent']),
    );
    expect(s.notifications!.length).toBeGreaterThanOrEqual(1);
    expect(typeof email!.created_at).toBe('string');

    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'privacy.data_export')
      .where('subject_id', '=', customer.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: admin.id,
      actor_email: admin.email,
      subject_type: 'customer',
    });
    expect(audit[0]!.ip).toBeTruthy();
    expect(audit[0]!.details).toMatchObject({ records: { notes: 1, orders: 1, emails: 1 } });
    expect(JSON.stringify(audit[0]!.details)).not.toContain(p.first_name);
  });

  it('is for administrators only (403), and 404 for an unknown customer', async () => {
    const customer = await makeCustomer(t, admin);
    for (const as of [manager, agent, await t.staff('viewer')]) {
      const exp = await t.request({
        method: 'GET',
        url: `/api/crm/customers/${customer.id}/data-export`,
        as,
      });
      expect(exp.statusCode).toBe(403);
      expect((await erase(customer.id, { confirm: 'ERASE' }, as)).statusCode).toBe(403);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(
      (await t.request({ method: 'GET', url: `/api/crm/customers/${unknown}/data-export`, as: admin }))
        .statusCode,
    ).toBe(404);
    expect((await erase(unknown, { confirm: 'ERASE' })).statusCode).toBe(404);
    const audits = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('subject_id', 'in', [customer.id, unknown])
      .execute();
    expect(audits).toEqual([]);
  });
});

describe('POST /api/crm/customers/:id/erase', () => {
  let seeded: Awaited<ReturnType<typeof seedPerson>>;
  beforeAll(async () => {
    seeded = await seedPerson('202');
  });

  it('without the typed confirmation is a 400 naming the field, and changes nothing', async () => {
    const id = seeded.customer.id;
    for (const payload of [{}, { confirm: 'erase' }, { confirm: 'yes', reason: 'x' }]) {
      const res = await erase(id, payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<Problem>().errors?.map((e) => e.field)).toContain('confirm');
    }
    const after = await ok<Customer>(
      await t.request({ method: 'GET', url: `/api/crm/customers/${id}`, as: admin }),
    );
    expect(after).toMatchObject({ first_name: seeded.p.first_name, email: seeded.p.email, erased_at: null });
    const erasures = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'privacy.erasure')
      .execute();
    expect(erasures).toEqual([]);
    expect(await db().selectFrom('erased_identities').select('email_hash').execute()).toEqual([]);
  });

  it('anonymises the person everywhere in the database and keeps the orders and metrics', async () => {
    const { customer, p } = seeded;
    const ordersBefore = await ok<{ data: unknown[] }>(
      await t.request({ method: 'GET', url: `/api/crm/customers/${customer.id}/orders`, as: admin }),
    );
    const analytics = [
      'status',
      'sent_at',
      'opened_at',
      'open_count',
      'machine_open_count',
      'click_count',
      'category',
      'direction',
      'created_at',
    ] as const;
    const mailBefore = await db()
      .selectFrom('emails')
      .select(analytics)
      .where('customer_id', '=', customer.id)
      .execute();
    expect(mailBefore).toHaveLength(1);
    // every value searched for afterwards really is somewhere before
    const before = await findAnywhere(secretsOf(p));
    expect(secretsOf(p).filter((v) => !before[v])).toEqual([]);

    const result = await ok<EraseResult>(
      await erase(customer.id, { confirm: 'ERASE', reason: 'DSR ticket 4711' }),
    );
    expect(result.customer_id).toBe(customer.id);
    expect(Date.parse(result.erased_at)).not.toBeNaN();
    expect(result.counts).toMatchObject({
      blocked_emails: 1,
      contact_emails: 1,
      contact_phones: 1,
      contact_addresses: 1,
      notes: 1,
      note_revisions: 1,
      interactions: 1,
      tickets: 1,
      ticket_comments: 1,
      tasks: 2,
      emails: 1,
      email_events: 1,
      email_links: 1,
      tags: 1,
      segments: 1,
      mail_jobs: 2,
    });
    expect(result.counts.timeline_events).toBeGreaterThan(5);

    expect(await findAnywhere(secretsOf(p))).toEqual({});

    const profile = await ok<Customer>(
      await t.request({ method: 'GET', url: `/api/crm/customers/${customer.id}`, as: admin }),
    );
    expect(profile).toMatchObject({
      erased_at: result.erased_at,
      first_name: null,
      last_name: null,
      company: null,
      email: null,
      phone: null,
      emails: [],
      phones: [],
      addresses: [],
      tags: [],
      segments: [],
      total_orders: customer.total_orders,
      lifetime_value: customer.lifetime_value,
      average_order_value: customer.average_order_value,
      user_id: customer.user_id,
    });
    expect(profile.lifetime_value).toBe(120);
    expect(profile.communication_preferences).toMatchObject({ do_not_contact: true });
    const ordersAfter = await ok<{ data: unknown[] }>(
      await t.request({ method: 'GET', url: `/api/crm/customers/${customer.id}/orders`, as: admin }),
    );
    expect(ordersAfter).toEqual(ordersBefore);

    // only the hash of the email is kept, the same sha256 the sign-up trigger computes
    const hash = createHash('sha256').update(p.email.trim().toLowerCase()).digest('hex');
    expect(await db().selectFrom('erased_identities').selectAll().execute()).toEqual([{ email_hash: hash }]);
    const fromSql = await sql<{
      h: string;
    }>`select crm_email_hash(${`  ${p.email.toUpperCase()} `}) as h`.execute(db());
    expect(fromSql.rows[0]!.h).toBe(hash);

    // the mail keeps its status, times and counts for analytics; its tokens are dead
    expect(
      await db().selectFrom('emails').select(analytics).where('customer_id', '=', customer.id).execute(),
    ).toEqual(mailBefore);
    const mail = await db().selectFrom('emails').selectAll().where('customer_id', '=', customer.id).execute();
    expect(mail[0]).toMatchObject({ subject: '[erased]', in_reply_to: null, reference_ids: [] });
    expect(mail[0]!.tracking_token.startsWith('erased.')).toBe(true);
    const events = await db()
      .selectFrom('email_events')
      .selectAll()
      .where('email_id', '=', mail[0]!.id)
      .execute();
    expect(events).toEqual([expect.objectContaining({ kind: 'opened', ip: null, user_agent: null })]);

    // the timeline still says what happened, neutrally
    const timeline = await ok<{ data: { kind: string; summary: string }[] }>(
      await t.request({
        method: 'GET',
        url: `/api/crm/customers/${customer.id}/timeline?limit=100`,
        as: admin,
      }),
    );
    expect(timeline.data.map((e) => e.summary)).toEqual(
      expect.arrayContaining(['Note added', 'Ticket opened', 'Personal data erased on request']),
    );

    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'privacy.erasure')
      .where('subject_id', '=', customer.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, subject_type: 'customer' });
    expect(audit[0]!.ip).toBeTruthy();
    expect(audit[0]!.details).toEqual({ counts: result.counts, reason: 'DSR ticket 4711' });
  });

  it('refuses the erased email when it comes back: by hand, by import, by order, by sign-up', async () => {
    const { p } = seeded;
    const byHand = await t.request({
      method: 'POST',
      url: '/api/crm/customers',
      as: admin,
      payload: { first_name: 'Someone', email: p.email.toUpperCase() },
    });
    expect(byHand.statusCode, byHand.body).toBe(409);
    expect(byHand.json<Problem>().errors).toEqual([
      { field: 'email', message: expect.stringContaining('erased') },
    ]);
    const inList = await t.request({
      method: 'POST',
      url: '/api/crm/customers',
      as: admin,
      payload: { first_name: 'Someone', emails: [{ email: 'fresh-202@example.com' }, { email: p.email }] },
    });
    expect(inList.statusCode).toBe(409);
    expect(inList.json<Problem>().errors?.[0]?.field).toBe('emails[1].email');

    const form = new FormData();
    form.append('file', new Blob([`email,first_name\n${p.email},Again\nnew-202@example.com,New\n`]), 'c.csv');
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const imported = await t.request({
      method: 'POST',
      url: '/api/crm/customers/import',
      as: admin,
      payload: Buffer.from(await request.arrayBuffer()),
      headers: { 'content-type': request.headers.get('content-type')! },
    });
    const report = await ok<ImportReport>(imported);
    expect(report.created).toBe(1);
    expect(report.rejected).toEqual([{ row: 2, field: 'email', reason: expect.stringContaining('erased') }]);

    const order = await t.request({
      method: 'POST',
      url: '/api/orders',
      as: admin,
      payload: {
        customer_email: p.email,
        items: [{ sku: 'SKU-1', name: 'Beans', quantity: 1, unit_price: 5 }],
      },
    });
    expect(order.statusCode, order.body).toBe(409);
    expect(order.json<Problem>().errors?.[0]?.field).toBe('customer_email');

    const signUp = await sql<{ id: string }>`
      insert into auth.users (email, raw_user_meta_data)
      values (${p.email}, ${JSON.stringify({ first_name: p.first_name })}::jsonb) returning id`.execute(db());
    const lead = await db()
      .selectFrom('customers')
      .select('id')
      .where('user_id', '=', signUp.rows[0]!.id)
      .executeTakeFirst();
    expect(lead).toBeUndefined();
    // another sign-up still becomes a lead
    const other = await sql<{ id: string }>`
      insert into auth.users (email) values ('someone-else-202@example.com') returning id`.execute(db());
    expect(
      await db()
        .selectFrom('customers')
        .select('id')
        .where('user_id', '=', other.rows[0]!.id)
        .executeTakeFirst(),
    ).toBeDefined();
  });

  it('is a 409 the second time, and the erased record cannot be edited', async () => {
    const { customer } = seeded;
    const again = await erase(customer.id, { confirm: 'ERASE' });
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().detail).toContain('already erased');
    const current = await ok<Customer>(
      await t.request({ method: 'GET', url: `/api/crm/customers/${customer.id}`, as: admin }),
    );
    const edit = await t.request({
      method: 'PUT',
      url: `/api/crm/customers/${customer.id}`,
      as: admin,
      payload: { first_name: 'Back', version: current.version },
    });
    expect(edit.statusCode).toBe(409);
    const erasures = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'privacy.erasure')
      .where('subject_id', '=', customer.id)
      .execute();
    expect(erasures).toHaveLength(1);
  });

  it('leaves other customers alone', async () => {
    const bystander = await makeCustomer(t, admin, {
      first_name: 'Bystander',
      email: 'bystander-303@example.com',
    });
    const target = await makeCustomer(t, admin, { first_name: 'Target', email: 'target-303@example.com' });
    await ok(await erase(target.id, { confirm: 'ERASE' }));
    const after = await ok<Customer>(
      await t.request({ method: 'GET', url: `/api/crm/customers/${bystander.id}`, as: admin }),
    );
    expect(after).toMatchObject({
      first_name: 'Bystander',
      email: 'bystander-303@example.com',
      erased_at: null,
    });
  });
});
