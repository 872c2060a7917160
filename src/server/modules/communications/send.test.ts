import { readdir, readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, Email, SendResult, ThreadList } from '../../../shared/communications.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type SmtpPeer, startSmtpPeer } from '../../../../tests/helpers/smtp-peer.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { testConfig } from '../../config.js';

/** Sending: one-to-one and campaigns, delivered to a real SMTP peer or written to the outbox. */
let peer: SmtpPeer;
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;

const PUBLIC = 'https://crm.test.example';

beforeAll(async () => {
  peer = await startSmtpPeer();
  t = await createTestApp({
    mail: { ...testConfig().mail, smtpUrl: peer.url, from: '"Shop" <hello@shop.example>' },
    publicUrl: `${PUBLIC}/`,
  });
  admin = await t.staff('admin');
  agent = await t.staff('agent');
});
afterAll(async () => {
  await t?.close();
  await peer?.close();
});

const send = (as: StaffHandle, payload: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/api/crm/communications/send', as, payload });

async function createTemplate(name: string, extra: Record<string, unknown> = {}) {
  const res = await t.request({
    method: 'POST',
    url: '/api/crm/email-templates',
    as: admin,
    payload: {
      name,
      subject: 'Hello {{first_name}}',
      body_html:
        '<p>Hi {{first_name}}, see <a href="https://shop.example/new?utm=1">new things</a> and ' +
        '<a href="https://shop.example/sale">the sale</a>. <a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
      body_text: 'Hi {{first_name}}, see https://shop.example/new',
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number }>();
}

const runJobs = () => t.app.workers.runner.runDue();

describe('one-to-one email', () => {
  it('queues the email, delivers it over SMTP with Message-ID, threading and RFC 8058 headers, and tracks it', async () => {
    const customer = await makeCustomer(t, admin, { first_name: 'Ines' });
    const res = await send(agent, {
      customer_id: customer.id,
      subject: 'Your order',
      body: 'Hello **Ines**, details at https://shop.example/orders/1',
    });
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json<SendResult>();
    expect(result.outbox).toBe(false);
    expect(result.skipped).toEqual([]);
    const email = result.email as Email;
    expect(email).toMatchObject({
      status: 'queued',
      category: 'transactional',
      subject: 'Your order',
      tracking: true,
    });
    expect(email.body_html).toContain('<strong>Ines</strong>');
    // stored without tracking: staff reading it in the CRM must not count as clicks
    expect(email.body_html).toContain('href="https://shop.example/orders/1"');

    const before = peer.received.length;
    await runJobs();
    expect(peer.received.length).toBe(before + 1);
    const mail = peer.received.at(-1)!;
    expect(mail.envelope.to).toEqual([customer.email]);
    expect(mail.parsed.messageId).toBe(`<${email.message_id}>`);
    expect(email.message_id).toMatch(/@shop\.example$/);
    const headers = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(headers).toMatch(new RegExp(`^List-Unsubscribe: <${PUBLIC}/t/u/[A-Za-z0-9_-]{20,}>\\r?$`, 'm'));
    expect(mail.parsed.text).toContain('Hello **Ines**');
    const html = String(mail.parsed.html);
    const click = html.match(/href="(https:\/\/crm\.test\.example\/t\/c\/[^"]+)"/)?.[1];
    expect(click).toBeDefined();
    expect(html).not.toContain('href="https://shop.example/orders/1"');
    expect(html).toMatch(/<img src="https:\/\/crm\.test\.example\/t\/o\/[A-Za-z0-9_-]+\.gif"/);

    const threads = await t.request({
      method: 'GET',
      url: `/api/crm/communications/${customer.id}`,
      as: agent,
    });
    const sent = threads.json<ThreadList>().data[0]!.messages[0]!;
    expect(sent.status).toBe('sent');
    expect(sent.transport).toBe('smtp');
    expect(sent.sent_at).not.toBeNull();

    const timeline = await t.request({
      method: 'GET',
      url: `/api/crm/customers/${customer.id}/timeline`,
      as: agent,
    });
    expect(timeline.json<{ data: { kind: string }[] }>().data.map((e) => e.kind)).toContain('email_sent');
  });

  it('sends a template rendered with the customer’s data and records its version', async () => {
    const template = await createTemplate('Welcome one-to-one');
    const customer = await makeCustomer(t, admin, { first_name: 'Maud' });
    const res = await send(agent, { customer_id: customer.id, template_id: template.id });
    expect(res.statusCode, res.body).toBe(201);
    const email = res.json<SendResult>().email!;
    expect(email.subject).toBe('Hello Maud');
    expect(email.category).toBe('marketing');
    expect(email.template).toMatchObject({ id: template.id, version: 1 });
    await runJobs();
    const mail = peer.received.at(-1)!;
    expect(mail.parsed.subject).toBe('Hello Maud');
    // the template's own unsubscribe link is not rewritten into a click link
    expect(String(mail.parsed.html)).toMatch(/href="https:\/\/crm\.test\.example\/t\/u\//);
    expect(String(mail.parsed.html).match(/\/t\/c\//g)?.length).toBe(2);
  });

  it('answers in the thread of an earlier email with In-Reply-To and References', async () => {
    const customer = await makeCustomer(t, admin);
    const first = (
      await send(agent, { customer_id: customer.id, subject: 'Question', body: 'One' })
    ).json<SendResult>().email!;
    const res = await send(agent, {
      customer_id: customer.id,
      subject: 'Re: Question',
      body: 'Two',
      in_reply_to_email_id: first.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    const second = res.json<SendResult>().email!;
    expect(second.thread_id).toBe(first.thread_id);
    await runJobs();
    const mail = peer.received.at(-1)!;
    expect(mail.parsed.inReplyTo).toBe(`<${first.message_id}>`);
    expect(mail.parsed.references).toContain(`<${first.message_id}>`);

    const other = await makeCustomer(t, admin);
    const wrong = await send(agent, {
      customer_id: other.id,
      subject: 'x',
      body: 'y',
      in_reply_to_email_id: first.id,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('in_reply_to_email_id');
  });

  it('skips customers who may not be mailed and says why, storing nothing', async () => {
    const blocked = await makeCustomer(t, admin, { communication_preferences: { do_not_contact: true } });
    const res = await send(agent, { customer_id: blocked.id, subject: 'Hi', body: 'x' });
    expect(res.statusCode).toBe(200);
    expect(res.json<SendResult>()).toMatchObject({
      email: null,
      skipped: [{ customer_id: blocked.id, reason: 'do_not_contact' }],
    });

    const unsubscribed = await makeCustomer(t, admin, {
      communication_preferences: { email: { marketing: false } },
    });
    const marketing = await send(agent, {
      customer_id: unsubscribed.id,
      subject: 'Sale',
      body: 'x',
      category: 'marketing',
    });
    expect(marketing.json<SendResult>().skipped[0]!.reason).toBe('unsubscribed');
    // transactional mail still goes to someone who left marketing
    const receipt = await send(agent, { customer_id: unsubscribed.id, subject: 'Receipt', body: 'x' });
    expect(receipt.statusCode).toBe(201);

    const noAddress = await makeCustomer(t, admin, { email: undefined, first_name: 'Nomail' });
    const none = await send(agent, { customer_id: noAddress.id, subject: 'Hi', body: 'x' });
    expect(none.json<SendResult>().skipped[0]!.reason).toBe('no_email');

    const threads = await t.request({
      method: 'GET',
      url: `/api/crm/communications/${blocked.id}`,
      as: agent,
    });
    expect(threads.json<ThreadList>().data).toEqual([]);
  });

  it('leaves out the pixel and link rewriting when the customer turned tracking off', async () => {
    const customer = await makeCustomer(t, admin, { communication_preferences: { tracking: false } });
    const res = await send(agent, {
      customer_id: customer.id,
      subject: 'Private',
      body: 'See https://shop.example/a',
    });
    expect(res.json<SendResult>().email!.tracking).toBe(false);
    await runJobs();
    const html = String(peer.received.at(-1)!.parsed.html);
    expect(html).toContain('href="https://shop.example/a"');
    expect(html).not.toContain('/t/o/');
    expect(html).not.toContain('/t/c/');
  });

  it('refuses bad input naming the field, and a viewer', async () => {
    const customer = await makeCustomer(t, admin);
    const noBody = await send(agent, { customer_id: customer.id, subject: 'x' });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('body');
    const both = await send(agent, {
      customer_id: customer.id,
      segment_id: customer.id,
      template_id: customer.id,
    });
    expect(both.statusCode).toBe(400);
    const unknown = await send(agent, {
      customer_id: '00000000-0000-4000-8000-000000000000',
      subject: 'x',
      body: 'y',
    });
    expect(unknown.statusCode).toBe(404);
    const viewer = await t.staff('viewer');
    expect((await send(viewer, { customer_id: customer.id, subject: 'x', body: 'y' })).statusCode).toBe(403);
    // a campaign needs email:campaigns
    const template = await createTemplate('Agent cannot campaign');
    const campaign = await send(agent, { segment_id: customer.id, template_id: template.id });
    expect(campaign.statusCode).toBe(403);
  });
});

describe('without SMTP', () => {
  it('writes the message to the outbox folder as .eml, marked outbox and never delivered', async () => {
    const local = await createTestApp({ publicUrl: `${PUBLIC}/` });
    try {
      const staff = await local.staff('admin');
      const customer = await makeCustomer(local, staff, { first_name: 'Olga' });
      const res = await local.request({
        method: 'POST',
        url: '/api/crm/communications/send',
        as: staff,
        payload: { customer_id: customer.id, subject: 'Local', body: 'Kept here' },
      });
      expect(res.json<SendResult>().outbox).toBe(true);
      await local.app.workers.runner.runDue();
      const files = await readdir(local.config.mail.outboxDir);
      expect(files).toHaveLength(1);
      const parsed = await simpleParser(await readFile(`${local.config.mail.outboxDir}/${files[0]}`));
      expect(parsed.subject).toBe('Local');
      expect(parsed.text).toContain('Kept here');
      const threads = await local.request({
        method: 'GET',
        url: `/api/crm/communications/${customer.id}`,
        as: staff,
      });
      const list = threads.json<ThreadList>();
      expect(list.outbox).toBe(true);
      expect(list.data[0]!.messages[0]).toMatchObject({
        status: 'outbox',
        transport: 'outbox',
        delivered_at: null,
      });
      const status = await local.request({ method: 'GET', url: '/api/crm/communications/status', as: staff });
      expect(status.json()).toMatchObject({ transport: 'outbox' });
    } finally {
      await local.close();
    }
  });
});

describe('campaigns', () => {
  it('sends a template to a segment as a job with progress, skipping who may not get it', async () => {
    const template = await createTemplate('Spring sale', { category: 'marketing' });
    const members = await Promise.all([
      makeCustomer(t, admin, { first_name: 'Ana' }),
      makeCustomer(t, admin, { first_name: 'Ben' }),
      makeCustomer(t, admin, {
        first_name: 'Cy',
        communication_preferences: { email: { marketing: false } },
      }),
      makeCustomer(t, admin, { first_name: 'Di', communication_preferences: { do_not_contact: true } }),
    ]);
    const segment = await t.request({
      method: 'POST',
      url: '/api/crm/segments',
      as: admin,
      payload: { name: `Sale list ${Date.now()}`, auto_update: false },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const segmentId = segment.json<{ id: string }>().id;
    const add = await t.request({
      method: 'POST',
      url: `/api/crm/segments/${segmentId}/members`,
      as: admin,
      payload: { customer_ids: members.map((m) => m.id) },
    });
    expect(add.statusCode, add.body).toBeLessThan(300);

    const before = peer.received.length;
    const res = await send(admin, {
      segment_id: segmentId,
      template_id: template.id,
      campaign_name: 'Spring',
    });
    expect(res.statusCode, res.body).toBe(202);
    const accepted = res.json<{ campaign: Campaign; job_id: string; status_url: string }>();
    expect(accepted.campaign).toMatchObject({ name: 'Spring', status: 'queued' });
    await runJobs();

    const job = await t.request({ method: 'GET', url: accepted.status_url, as: admin });
    expect(job.json()).toMatchObject({ status: 'succeeded', progress: { done: 2, total: 2 } });
    expect(peer.received.length).toBe(before + 2);
    const subjects = peer.received
      .slice(before)
      .map((m) => m.parsed.subject)
      .sort();
    expect(subjects).toEqual(['Hello Ana', 'Hello Ben']);

    const campaign = await t.request({
      method: 'GET',
      url: `/api/crm/communications/campaigns/${accepted.campaign.id}`,
      as: agent,
    });
    expect(campaign.json<Campaign>()).toMatchObject({
      status: 'sent',
      recipients: 2,
      sent: 2,
      skipped: 2,
      skipped_by_reason: { unsubscribed: 1, do_not_contact: 1 },
      template: { id: template.id, version: 1 },
    });
    const skipped = await t.request({
      method: 'GET',
      url: `/api/crm/communications/campaigns/${accepted.campaign.id}/skipped?limit=1`,
      as: agent,
    });
    const first = skipped.json<{ data: { customer_id: string; reason: string }[]; next_cursor: string }>();
    expect(first.data).toHaveLength(1);
    const rest = await t.request({
      method: 'GET',
      url: `/api/crm/communications/campaigns/${accepted.campaign.id}/skipped?cursor=${first.next_cursor}`,
      as: agent,
    });
    const all = [...first.data, ...rest.json<{ data: { customer_id: string; reason: string }[] }>().data];
    expect(all.map((s) => [s.customer_id, s.reason]).sort()).toEqual(
      [
        [members[2]!.id, 'unsubscribed'],
        [members[3]!.id, 'do_not_contact'],
      ].sort(),
    );
    const list = await t.request({ method: 'GET', url: '/api/crm/communications/campaigns', as: agent });
    expect(list.json<{ data: Campaign[] }>().data[0]!.id).toBe(accepted.campaign.id);

    // running the job again sends nothing twice
    const again = peer.received.length;
    await runJobs();
    expect(peer.received.length).toBe(again);
  });
});
