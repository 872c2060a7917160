import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import type { EmailTemplate, EmailTemplateVersion, RenderedEmail } from '../../../shared/communications.js';
import type { Problem } from '../../../shared/problem.js';
import { customerTemplateVars } from './template-render.js';
import { getTemplateForSending } from './templates.service.js';

/** Email templates over HTTP: CRUD, checks, versions, concurrency, permissions, archive, preview. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
let agent: StaffHandle;
let viewer: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  agent = await t.staff('agent');
  viewer = await t.staff('viewer');
});
afterAll(() => t?.close());

const db = () => t.database.db;
const url = '/api/crm/email-templates';
let n = 0;

async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  as: StaffHandle = manager,
  payload?: Record<string, unknown>,
) {
  const res = await t.request({ method, url: path, as, ...(payload ? { payload } : {}) });
  return {
    status: res.statusCode,
    body: (res.body ? res.json() : null) as T & Omit<Partial<Problem>, 'status'>,
    raw: res.body,
  };
}

async function create(payload: Record<string, unknown> = {}): Promise<EmailTemplate> {
  n += 1;
  const { status, body, raw } = await call<EmailTemplate>('POST', url, manager, {
    name: `Welcome ${n}`,
    subject: 'Welcome, {{first_name}}',
    body_html: '<p>Hi {{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}there{{/first_name}}</p>',
    body_text: 'Hi {{first_name}}',
    ...payload,
  });
  expect(status, raw).toBe(201);
  return body;
}

describe('creating and reading templates', () => {
  it('creates version 1 and returns it from get and list, sorted by name', async () => {
    const b = await create({ name: 'b-Renewal reminder', category: 'transactional', description: 'Yearly' });
    const a = await create({ name: 'A-Spring sale' });
    expect(b).toMatchObject({
      name: 'b-Renewal reminder',
      description: 'Yearly',
      category: 'transactional',
      version: 1,
      subject: 'Welcome, {{first_name}}',
      archived: false,
      created_by: manager.id,
    });
    expect(a.category).toBe('marketing');
    const got = await call<EmailTemplate>('GET', `${url}/${b.id}`, viewer);
    expect(got.body).toEqual(b);
    const list = await call<{ data: EmailTemplate[] }>('GET', url, viewer);
    expect(list.status).toBe(200);
    const names = list.body.data.map((x) => x.name);
    expect(names.indexOf('A-Spring sale')).toBeLessThan(names.indexOf('b-Renewal reminder'));
    const versions = await db()
      .selectFrom('email_template_versions')
      .selectAll()
      .where('template_id', '=', b.id)
      .execute();
    expect(versions).toMatchObject([
      { version: 1, subject: 'Welcome, {{first_name}}', created_by: manager.id },
    ]);
  });

  it('names the field of an unknown variable, a syntax error and an empty subject', async () => {
    const unknown = await call('POST', url, manager, {
      name: 'Bad',
      subject: 'Hi',
      body_html: '<p>{{frist_name}}</p>',
      body_text: 'Hi {{#first_name}}',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      {
        field: 'body_html',
        message: expect.stringContaining('Unknown variable {{frist_name}}: use one of first_name'),
      },
      { field: 'body_text', message: expect.stringContaining('Section {{#first_name}} is not closed') },
    ]);
    const empty = await call('POST', url, manager, {
      name: 'Bad',
      subject: '  ',
      body_html: 'x',
      body_text: 'x',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'subject', message: 'Subject is required' }]);
    const raw = await call('POST', url, manager, {
      name: 'Raw',
      subject: 'x',
      body_html: '{{{first_name}}}',
      body_text: 'x',
    });
    expect(raw.status).toBe(400);
    expect(raw.body.errors?.[0]?.field).toBe('body_html');
    expect(
      await db().selectFrom('email_templates').select('id').where('name', 'in', ['Bad', 'Raw']).execute(),
    ).toEqual([]);
  });

  it('refuses a second template with the same name, ignoring case, with a 409 naming name', async () => {
    const first = await create({ name: 'Order follow-up' });
    const dup = await call('POST', url, manager, {
      name: 'ORDER FOLLOW-UP',
      subject: 'x',
      body_html: 'x',
      body_text: 'x',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
    const other = await create();
    const rename = await call('PUT', `${url}/${other.id}`, manager, { name: 'order follow-up', version: 1 });
    expect(rename.status).toBe(409);
    expect(rename.body.errors?.[0]?.field).toBe('name');
    // renaming a template to a different spelling of its own name is fine
    const self = await call<EmailTemplate>('PUT', `${url}/${first.id}`, manager, {
      name: 'Order Follow-up',
      version: 1,
    });
    expect(self.status, self.raw).toBe(200);
  });

  it('answers 404 for an unknown template and 400 for an id that is not a UUID', async () => {
    const missing = await call('GET', `${url}/${randomUUID()}`, viewer);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    const bad = await call('GET', `${url}/nope`, viewer);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('id');
  });
});

describe('editing and versions', () => {
  it('makes version 2 when the content changes; both versions are listed newest first', async () => {
    const tpl = await create();
    const edit = await call<EmailTemplate>('PUT', `${url}/${tpl.id}`, admin, {
      subject: 'Welcome back, {{first_name}}',
      version: 1,
    });
    expect(edit.status, edit.raw).toBe(200);
    expect(edit.body).toMatchObject({
      version: 2,
      subject: 'Welcome back, {{first_name}}',
      body_text: tpl.body_text,
    });
    const versions = await call<{ data: EmailTemplateVersion[] }>('GET', `${url}/${tpl.id}/versions`, viewer);
    expect(versions.body.data.map((v) => [v.version, v.subject, v.created_by])).toEqual([
      [2, 'Welcome back, {{first_name}}', admin.id],
      [1, 'Welcome, {{first_name}}', manager.id],
    ]);
    const v1 = await call<EmailTemplateVersion>('GET', `${url}/${tpl.id}/versions/1`, viewer);
    expect(v1.body.subject).toBe('Welcome, {{first_name}}');
    expect((await call('GET', `${url}/${tpl.id}/versions/3`, viewer)).status).toBe(404);
  });

  it('keeps the version when only name, description or category change, or the content is the same', async () => {
    const tpl = await create();
    const renamed = await call<EmailTemplate>('PUT', `${url}/${tpl.id}`, manager, {
      name: `${tpl.name} (renamed)`,
      description: 'For new sign-ups',
      category: 'transactional',
      subject: tpl.subject,
      version: 1,
    });
    expect(renamed.status, renamed.raw).toBe(200);
    expect(renamed.body).toMatchObject({
      version: 1,
      name: `${tpl.name} (renamed)`,
      description: 'For new sign-ups',
      category: 'transactional',
    });
    const versions = await call<{ data: EmailTemplateVersion[] }>('GET', `${url}/${tpl.id}/versions`, viewer);
    expect(versions.body.data).toHaveLength(1);
  });

  it('refuses an edit based on a stale version with 409 and the current template', async () => {
    const tpl = await create();
    await call('PUT', `${url}/${tpl.id}`, manager, { body_text: 'Hello {{full_name}}', version: 1 });
    const stale = await call<{ current: EmailTemplate }>('PUT', `${url}/${tpl.id}`, admin, {
      body_text: 'Hey',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ version: 2, body_text: 'Hello {{full_name}}' });
    expect(stale.body.errors).toEqual([{ field: 'version', message: 'Expected 2' }]);
  });

  it('lets only one of two concurrent edits of the same version win', async () => {
    const tpl = await create();
    const [a, b] = await Promise.all([
      call('PUT', `${url}/${tpl.id}`, manager, { subject: 'A {{first_name}}', version: 1 }),
      call('PUT', `${url}/${tpl.id}`, admin, { subject: 'B {{first_name}}', version: 1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const versions = await call<{ data: EmailTemplateVersion[] }>('GET', `${url}/${tpl.id}/versions`, viewer);
    expect(versions.body.data.map((v) => v.version)).toEqual([2, 1]);
  });

  it('checks edited content like new content', async () => {
    const tpl = await create();
    const bad = await call('PUT', `${url}/${tpl.id}`, manager, { body_html: '{{> footer}}', version: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: 'body_html', message: 'Partials such as {{>footer}} are not supported' },
    ]);
  });
});

describe('permissions', () => {
  it('lets agents and viewers read but not create, edit or delete', async () => {
    const tpl = await create();
    const payload = { name: 'Agent template', subject: 'x', body_html: 'x', body_text: 'x' };
    expect((await call('POST', url, agent, payload)).status).toBe(403);
    expect((await call('PUT', `${url}/${tpl.id}`, agent, { name: 'x', version: 1 })).status).toBe(403);
    expect((await call('DELETE', `${url}/${tpl.id}`, viewer)).status).toBe(403);
    expect((await call('GET', url, viewer)).status).toBe(200);
    expect((await call('GET', `${url}/${tpl.id}/versions`, agent)).status).toBe(200);
    const preview = { subject: 'x', body_html: 'x', body_text: 'x' };
    expect((await call('POST', `${url}/preview`, viewer, preview)).status).toBe(403);
    expect((await call('POST', `${url}/preview`, agent, preview)).status).toBe(200);
  });
});

describe('deleting', () => {
  it('archives a template an email used, and deletes one nothing used', async () => {
    const customer = await makeCustomer(t, admin);
    const used = await create();
    const unused = await create();
    const emailId = randomUUID();
    await db()
      .insertInto('emails')
      .values({
        id: emailId,
        customer_id: customer.id,
        thread_id: emailId,
        direction: 'outbound',
        email_address: customer.email!,
        from_address: 'crm@example.com',
        subject: 'Welcome',
        message_id: `${emailId}@crm.test`,
        status: 'sent',
        tracking_token: `tok-${emailId}`,
        template_id: used.id,
        template_version: 1,
      })
      .execute();

    expect((await call('DELETE', `${url}/${used.id}`)).status).toBe(204);
    const archived = await call<EmailTemplate>('GET', `${url}/${used.id}`, viewer);
    expect(archived.body.archived).toBe(true);
    const live = await call<{ data: EmailTemplate[] }>('GET', url, viewer);
    expect(live.body.data.map((x) => x.id)).not.toContain(used.id);
    const all = await call<{ data: EmailTemplate[] }>('GET', `${url}?include_archived=true`, viewer);
    expect(all.body.data.map((x) => x.id)).toContain(used.id);
    // an archived template frees its name, cannot be edited and cannot be sent
    await create({ name: used.name });
    expect((await call('PUT', `${url}/${used.id}`, manager, { subject: 'x', version: 1 })).status).toBe(409);
    await expect(getTemplateForSending(db(), used.id)).rejects.toMatchObject({
      code: 'validation_failed',
      extra: { errors: [{ field: 'template_id', message: 'This template is archived' }] },
    });

    expect((await call('DELETE', `${url}/${unused.id}`)).status).toBe(204);
    expect((await call('GET', `${url}/${unused.id}`, viewer)).status).toBe(404);
    expect(
      await db()
        .selectFrom('email_template_versions')
        .select('version')
        .where('template_id', '=', unused.id)
        .execute(),
    ).toEqual([]);
    expect((await call('DELETE', `${url}/${unused.id}`)).status).toBe(404);
  });

  it('gives the sender the current version', async () => {
    const tpl = await create({ category: 'transactional' });
    await call('PUT', `${url}/${tpl.id}`, manager, { body_text: 'v2 {{first_name}}', version: 1 });
    expect(await getTemplateForSending(db(), tpl.id)).toEqual({
      id: tpl.id,
      name: tpl.name,
      category: 'transactional',
      version: 2,
      subject: tpl.subject,
      body_html: tpl.body_html,
      body_text: 'v2 {{first_name}}',
    });
    await expect(getTemplateForSending(db(), randomUUID())).rejects.toMatchObject({
      code: 'not_found',
      extra: { errors: [{ field: 'template_id' }] },
    });
  });
});

describe('preview', () => {
  const content = {
    subject: 'For {{first_name}} from {{sender_name}}',
    body_html:
      '<p>Hi {{full_name}}, {{total_orders}} orders, {{lifetime_value}}</p><a href="{{unsubscribe_url}}">x</a>',
    body_text: 'Hi {{full_name}} <{{email}}> last order {{last_order_date}}',
  };

  it('renders with a real customer: escaped in HTML, plain in text', async () => {
    const customer = await makeCustomer(t, admin, {
      first_name: '<b>Bo</b>',
      last_name: 'Smith & Co',
      email: `bo-${Date.now()}@example.com`,
    });
    await db()
      .updateTable('customer_metrics')
      .set({ lifetime_value: '1234.5', total_orders: 3, last_order_date: new Date('2026-03-04T10:00:00Z') })
      .where('customer_id', '=', customer.id)
      .execute();
    const res = await call<RenderedEmail>('POST', `${url}/preview`, agent, {
      ...content,
      customer_id: customer.id,
    });
    expect(res.status, res.raw).toBe(200);
    expect(res.body.html).toBe(
      '<p>Hi &lt;b&gt;Bo&lt;&#x2F;b&gt; Smith &amp; Co, 3 orders, 1,234.50</p><a href="#unsubscribe">x</a>',
    );
    expect(res.body.text).toBe(`Hi <b>Bo</b> Smith & Co <${customer.email}> last order 4 Mar 2026`);
    expect(res.body.subject).toMatch(/^For <b>Bo<\/b> from Agent \d+$/);
  });

  it('renders sample data without a customer, and names customer_id when it is unknown', async () => {
    const sample = await call<RenderedEmail>('POST', `${url}/preview`, agent, content);
    expect(sample.body.text).toBe('Hi Ada Lovelace <ada@example.com> last order 4 Mar 2026');
    const unknown = await call('POST', `${url}/preview`, agent, { ...content, customer_id: randomUUID() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([{ field: 'customer_id', message: 'No customer has this id' }]);
    const bad = await call('POST', `${url}/preview`, agent, { ...content, subject: 'Hi {{nme}}' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]).toMatchObject({ field: 'subject' });
  });

  it('reads many customers at once; full_name falls back to the company', async () => {
    const person = await makeCustomer(t, admin, { first_name: 'Grace', last_name: 'Hopper' });
    const firm = await makeCustomer(t, admin, { first_name: null, last_name: null, company: 'Acme Ltd' });
    const vars = await customerTemplateVars(db(), [person.id, firm.id, randomUUID()]);
    expect(vars.size).toBe(2);
    expect(vars.get(person.id)).toMatchObject({
      full_name: 'Grace Hopper',
      email: person.email,
      total_orders: '0',
      lifetime_value: '0.00',
      last_order_date: '',
    });
    expect(vars.get(firm.id)).toMatchObject({ first_name: '', full_name: 'Acme Ltd', company: 'Acme Ltd' });
    expect((await customerTemplateVars(db(), [])).size).toBe(0);
  });
});
