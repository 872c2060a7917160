import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, TimelineEvent } from '../../../shared/customers.js';
import type { Problem } from '../../../shared/problem.js';
import type {
  SlaPolicyList,
  Ticket,
  TicketComment,
  TicketDetail,
  TicketList,
} from '../../../shared/tickets.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Tickets over HTTP: CRUD, SLA, queue filters and counts, concurrency, permissions, side effects. */
let t: TestApp;
let admin: StaffHandle;
let manager: StaffHandle;
let agent: StaffHandle;
let agent2: StaffHandle;
let viewer: StaffHandle;
let customer: Customer;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  agent = await t.staff('agent');
  agent2 = await t.staff('agent');
  viewer = await t.staff('viewer');
  customer = await makeCustomer(t, admin, { first_name: 'Ada', last_name: 'Lovelace' });
});
afterAll(() => t?.close());

async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  as: StaffHandle = agent,
  payload?: Record<string, unknown>,
) {
  const res = await t.request({ method, url, as, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T & Omit<Partial<Problem>, 'status'>>(), raw: res.body };
}

async function open(payload: Record<string, unknown> = {}, as: StaffHandle = agent): Promise<TicketDetail> {
  const { status, body, raw } = await call<TicketDetail>('POST', '/api/crm/tickets', as, {
    subject: 'Order arrived damaged',
    ...payload,
  });
  expect(status, raw).toBe(201);
  return body;
}

const db = () => t.database.db;
const minutesBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 60000);

async function timeline(customerId: string) {
  const { body } = await call<{ data: TimelineEvent[] }>(
    'GET',
    `/api/crm/customers/${customerId}/timeline?kind=ticket_opened,ticket_updated,ticket_commented`,
  );
  return body.data;
}

async function notificationsOf(recipientId: string, kind = 'ticket_assigned') {
  return db()
    .selectFrom('notifications')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .where('kind', '=', kind)
    .orderBy('created_at')
    .execute();
}

describe('creating and reading tickets', () => {
  it('opens a ticket with defaults: open, normal priority, due after the normal resolution time', async () => {
    const ticket = await open({ description: 'The mug is broken' });
    expect(ticket).toMatchObject({
      subject: 'Order arrived damaged',
      description: 'The mug is broken',
      status: 'open',
      priority: 'normal',
      customer: null,
      assignee: null,
      breached: false,
      version: 1,
      created_by: agent.id,
      comments: [],
    });
    expect(ticket.number).toBeGreaterThan(0);
    expect(minutesBetween(ticket.created_at, ticket.sla_due_at)).toBe(4320);
  });

  it.each([
    ['urgent', 240],
    ['high', 1440],
    ['normal', 4320],
    ['low', 10080],
  ])('a %s ticket is due %i minutes after it was opened', async (priority, minutes) => {
    const ticket = await open({ priority });
    expect(minutesBetween(ticket.created_at, ticket.sla_due_at)).toBe(minutes);
  });

  it('has a first-response clock too: breached until a public reply, moved by a priority change', async () => {
    const ticket = await open({ priority: 'urgent' });
    expect(minutesBetween(ticket.created_at, ticket.first_response_due_at)).toBe(60);
    expect(ticket.breach).toBeNull();
    await sql`update tickets set first_response_due_at = now() - interval '1 minute' where id = ${ticket.id}`.execute(
      db(),
    );
    const late = (await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`)).body;
    expect(late).toMatchObject({ breached: true, breach: 'first_response' });
    expect(
      (await call<TicketList>('GET', '/api/crm/tickets?breached=true')).body.data.map((x) => x.id),
    ).toContain(ticket.id);
    // an internal comment is not a response to the customer
    await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, {
      body: 'Looking',
      visibility: 'internal',
    });
    expect((await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`)).body.breach).toBe(
      'first_response',
    );
    await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, { body: 'On it!' });
    expect((await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`)).body).toMatchObject({
      breached: false,
      breach: null,
    });

    const other = await open({ priority: 'urgent' });
    const lowered = await call<TicketDetail>('PUT', `/api/crm/tickets/${other.id}`, agent, {
      priority: 'low',
      version: 1,
    });
    expect(minutesBetween(lowered.body.created_at, lowered.body.first_response_due_at)).toBe(4320);
    expect(minutesBetween(lowered.body.created_at, lowered.body.sla_due_at)).toBe(10080);
  });

  it('links a customer and an assignee, and shows both by name', async () => {
    const ticket = await open({ customer_id: customer.id, assignee_id: agent2.id });
    expect(ticket.customer).toEqual({ id: customer.id, name: 'Ada Lovelace' });
    expect(ticket.assignee?.id).toBe(agent2.id);
    expect(ticket.assignee?.name).toMatch(/^Agent/);
    const { status, body } = await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`, viewer);
    expect(status).toBe(200);
    expect(body).toEqual(ticket);
  });

  it('refuses bad input naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: '' }, 'subject'],
      [{ subject: 'x'.repeat(201) }, 'subject'],
      [{ priority: 'asap' }, 'priority'],
      [{ assignee_id: 'bob' }, 'assignee_id'],
      [{ customer_id: 'nope' }, 'customer_id'],
    ];
    for (const [payload, field] of cases) {
      const { status, body } = await call('POST', '/api/crm/tickets', agent, { subject: 'Hi', ...payload });
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(body.errors?.map((e) => e.field)).toContain(field);
    }
    const { status: noSubject, body: missing } = await call('POST', '/api/crm/tickets', agent, {});
    expect(noSubject).toBe(400);
    expect(missing.errors?.[0]?.field).toBe('subject');
  });

  it('refuses unknown customers and assignees with a 400 naming the field, and writes nothing', async () => {
    const before = await db()
      .selectFrom('tickets')
      .select(db().fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const c = await call('POST', '/api/crm/tickets', agent, { subject: 'Hi', customer_id: unknown });
    expect(c.status).toBe(400);
    expect(c.body.errors).toEqual([{ field: 'customer_id', message: 'No customer has this id' }]);
    const a = await call('POST', '/api/crm/tickets', agent, { subject: 'Hi', assignee_id: unknown });
    expect(a.status).toBe(400);
    expect(a.body.errors?.[0]?.field).toBe('assignee_id');
    const after = await db()
      .selectFrom('tickets')
      .select(db().fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    expect((await call('GET', '/api/crm/tickets/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await call('GET', '/api/crm/tickets/42');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('id');
    const put = await call('PUT', '/api/crm/tickets/00000000-0000-4000-8000-000000000000', agent, {
      version: 1,
    });
    expect(put.status).toBe(404);
    const comment = await call(
      'POST',
      '/api/crm/tickets/00000000-0000-4000-8000-000000000000/comments',
      agent,
      {
        body: 'hello',
      },
    );
    expect(comment.status).toBe(404);
  });
});

describe('editing tickets', () => {
  it('stamps resolved_at and closed_at on those transitions and clears them on reopening', async () => {
    let ticket = await open();
    const put = async (payload: Record<string, unknown>) => {
      const { status, body, raw } = await call<TicketDetail>('PUT', `/api/crm/tickets/${ticket.id}`, agent, {
        version: ticket.version,
        ...payload,
      });
      expect(status, raw).toBe(200);
      ticket = body;
      return body;
    };
    expect(await put({ status: 'pending' })).toMatchObject({
      status: 'pending',
      resolved_at: null,
      version: 2,
    });
    const resolved = await put({ status: 'resolved' });
    expect(resolved.resolved_at).not.toBeNull();
    expect(resolved.closed_at).toBeNull();
    const closed = await put({ status: 'closed' });
    expect(closed.closed_at).not.toBeNull();
    expect(closed.resolved_at).toBe(resolved.resolved_at);
    expect(await put({ status: 'open' })).toMatchObject({
      status: 'open',
      resolved_at: null,
      closed_at: null,
    });
    expect(ticket.version).toBe(5);
  });

  it('recomputes the due time from created_at when the priority changes', async () => {
    const ticket = await open({ priority: 'low' });
    const { body } = await call<TicketDetail>('PUT', `/api/crm/tickets/${ticket.id}`, agent, {
      version: 1,
      priority: 'urgent',
      subject: 'Now urgent',
      description: null,
    });
    expect(body).toMatchObject({ priority: 'urgent', subject: 'Now urgent', description: null, version: 2 });
    expect(body.created_at).toBe(ticket.created_at);
    expect(minutesBetween(body.created_at, body.sla_due_at)).toBe(240);
  });

  it('answers a stale version with 409 and the current ticket, changing nothing', async () => {
    const ticket = await open({ description: 'kept' });
    expect(
      (await call('PUT', `/api/crm/tickets/${ticket.id}`, agent, { version: 1, status: 'pending' })).status,
    ).toBe(200);
    const stale = await call<Problem>('PUT', `/api/crm/tickets/${ticket.id}`, agent2, {
      version: 1,
      status: 'closed',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.current).toMatchObject({ id: ticket.id, version: 2, status: 'pending' });
    const now = await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`);
    // fields left out of an edit keep their value
    expect(now.body).toMatchObject({ status: 'pending', version: 2, description: 'kept' });
  });

  it('refuses bad edits naming the field', async () => {
    const ticket = await open();
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 'done' }, 'status'],
      [{ subject: '' }, 'subject'],
      [{ version: undefined }, 'version'],
      [{ version: 'one' }, 'version'],
      [{ assignee_id: '00000000-0000-4000-8000-000000000000' }, 'assignee_id'],
    ];
    for (const [payload, field] of cases) {
      const { status, body } = await call('PUT', `/api/crm/tickets/${ticket.id}`, agent, {
        version: 1,
        ...payload,
      });
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(body.errors?.map((e) => e.field)).toContain(field);
    }
  });
});

describe('assignment notifications', () => {
  it('notifies a new assignee on create and on reassignment, but not someone assigning themselves', async () => {
    const before = (await notificationsOf(agent2.id)).length;
    const ticket = await open({ assignee_id: agent2.id, customer_id: customer.id });
    const after = await notificationsOf(agent2.id);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({
      kind: 'ticket_assigned',
      link: `/tickets/${ticket.id}`,
      actor_id: agent.id,
      customer_id: customer.id,
      body: ticket.subject,
    });

    const mine = (await notificationsOf(agent.id)).length;
    await call('PUT', `/api/crm/tickets/${ticket.id}`, agent, { version: 1, assignee_id: agent.id });
    expect(await notificationsOf(agent.id)).toHaveLength(mine);

    const self = await open({ assignee_id: agent.id });
    expect(self.assignee?.id).toBe(agent.id);
    expect(await notificationsOf(agent.id)).toHaveLength(mine);

    await call('PUT', `/api/crm/tickets/${ticket.id}`, manager, { version: 2, assignee_id: agent2.id });
    const last = (await notificationsOf(agent2.id)).at(-1);
    expect(last?.actor_id).toBe(manager.id);
    expect(await notificationsOf(agent2.id)).toHaveLength(before + 2);

    // unassigning notifies nobody
    const none = await call<TicketDetail>('PUT', `/api/crm/tickets/${ticket.id}`, manager, {
      version: 3,
      assignee_id: null,
    });
    expect(none.body.assignee).toBeNull();
    expect(await notificationsOf(agent2.id)).toHaveLength(before + 2);
  });
});

describe('comments', () => {
  it('adds public replies and internal comments; the first public reply is the first response', async () => {
    const ticket = await open();
    const internal = await call<TicketComment>('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, {
      body: 'Checking with the warehouse',
      visibility: 'internal',
    });
    expect(internal.status).toBe(201);
    expect(internal.body).toMatchObject({ body: 'Checking with the warehouse', visibility: 'internal' });
    expect(internal.body.author?.id).toBe(agent.id);
    let detail = (await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`)).body;
    expect(detail.first_response_at).toBeNull();

    const reply = await call<TicketComment>('POST', `/api/crm/tickets/${ticket.id}/comments`, agent2, {
      body: 'Sorry! A replacement is on its way.',
    });
    expect(reply.body.visibility).toBe('public');
    detail = (await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`)).body;
    const first = detail.first_response_at;
    expect(first).not.toBeNull();
    await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, { body: 'Second reply' });
    detail = (await call<TicketDetail>('GET', `/api/crm/tickets/${ticket.id}`)).body;
    expect(detail.first_response_at).toBe(first);
    expect(detail.comments.map((c) => c.visibility)).toEqual(['internal', 'public', 'public']);
  });

  it('notifies staff mentioned in a comment, once, with a link to the ticket', async () => {
    const ticket = await open();
    const before = (await notificationsOf(agent2.id, 'mention')).length;
    await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, {
      body: `@[Second Agent](staff:${agent2.id}) can you check the courier? (cc @[Me](staff:${agent.id}))`,
      visibility: 'internal',
    });
    const after = await notificationsOf(agent2.id, 'mention');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ link: `/tickets/${ticket.id}`, actor_id: agent.id });
    expect(after.at(-1)?.title).toContain(`ticket #${ticket.number}`);
    // writing your own name notifies nobody
    expect(await notificationsOf(agent.id, 'mention')).toHaveLength(0);
  });

  it('refuses an empty comment or an unknown visibility, naming the field', async () => {
    const ticket = await open();
    const empty = await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, { body: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0]?.field).toBe('body');
    const vis = await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, {
      body: 'x',
      visibility: 'secret',
    });
    expect(vis.status).toBe(400);
    expect(vis.body.errors?.[0]?.field).toBe('visibility');
  });
});

describe('the customer timeline', () => {
  it('records opening, status/priority/assignee changes with before and after, and comments', async () => {
    const c = await makeCustomer(t, admin);
    const ticket = await open({ customer_id: c.id });
    await call('PUT', `/api/crm/tickets/${ticket.id}`, agent, {
      version: 1,
      status: 'pending',
      priority: 'high',
      assignee_id: agent2.id,
    });
    // a subject-only edit is not a timeline event
    await call('PUT', `/api/crm/tickets/${ticket.id}`, agent, { version: 2, subject: 'Renamed' });
    await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, {
      body: 'Note',
      visibility: 'internal',
    });
    await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, { body: 'Reply' });

    const events = await timeline(c.id);
    expect(events.map((e) => e.kind)).toEqual([
      'ticket_commented',
      'ticket_commented',
      'ticket_updated',
      'ticket_opened',
    ]);
    const [reply, note, updated, opened] = events;
    expect(opened?.data).toMatchObject({ ticket_id: ticket.id, number: ticket.number, priority: 'normal' });
    expect(opened?.actor?.id).toBe(agent.id);
    expect(updated?.data).toMatchObject({
      ticket_id: ticket.id,
      changes: {
        status: { before: 'open', after: 'pending' },
        priority: { before: 'normal', after: 'high' },
        assignee: { before: null, after: agent2.id },
      },
      assignee_names: { before: null, after: expect.stringMatching(/^Agent/) },
    });
    expect(updated?.summary).toMatch(/status open → pending, priority normal → high, assignee none → Agent/);
    expect(note?.data).toMatchObject({ internal: true, visibility: 'internal' });
    expect(reply?.data).toMatchObject({ internal: false, visibility: 'public' });
  });

  it('writes nothing on a timeline for tickets without a customer', async () => {
    const before = await db()
      .selectFrom('customer_events')
      .select(db().fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const ticket = await open();
    await call('POST', `/api/crm/tickets/${ticket.id}/comments`, agent, { body: 'Reply' });
    const after = await db()
      .selectFrom('customer_events')
      .select(db().fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('the queue', () => {
  let queueCustomer: Customer;
  let ids: Record<string, string>;

  beforeAll(async () => {
    queueCustomer = await makeCustomer(t, admin);
    const mk = async (payload: Record<string, unknown>) =>
      (await open({ customer_id: queueCustomer.id, ...payload })).id;
    ids = {
      urgentMine: await mk({ priority: 'urgent', assignee_id: agent.id, subject: 'urgent mine' }),
      lowUnassigned: await mk({ priority: 'low', subject: 'low unassigned' }),
      highOther: await mk({ priority: 'high', assignee_id: agent2.id, subject: 'high other' }),
      breached: await mk({ priority: 'normal', subject: 'breached' }),
      breachedResolved: await mk({ priority: 'normal', subject: 'late but resolved' }),
      pending: await mk({ priority: 'normal', subject: 'pending' }),
    };
    await sql`update tickets set sla_due_at = now() - interval '1 hour'
      where id in (${ids.breached}, ${ids.breachedResolved})`.execute(db());
    await sql`update tickets set status = 'resolved', resolved_at = now() where id = ${ids.breachedResolved}`.execute(
      db(),
    );
    await sql`update tickets set status = 'pending' where id = ${ids.pending}`.execute(db());
  });

  const list = async (query: string, as: StaffHandle = agent) => {
    const { status, body, raw } = await call<TicketList>(
      'GET',
      `/api/crm/tickets?customer_id=${queueCustomer.id}&${query}`,
      as,
    );
    expect(status, raw).toBe(200);
    return body;
  };
  const subjects = (l: TicketList) => l.data.map((x) => x.subject);

  it('shows the breach flag only for open or pending tickets past their due time', async () => {
    const breached = (await call<TicketDetail>('GET', `/api/crm/tickets/${ids.breached}`)).body;
    expect(breached.breached).toBe(true);
    const resolved = (await call<TicketDetail>('GET', `/api/crm/tickets/${ids.breachedResolved}`)).body;
    expect(resolved.breached).toBe(false);
    expect((await list('breached=true')).data.map((x) => x.id)).toEqual([ids.breached]);
    expect(subjects(await list('breached=false'))).not.toContain('breached');
  });

  it('counts tickets per status and breached under the other filters', async () => {
    const all = await list('');
    expect(all.counts).toEqual({ open: 4, pending: 1, resolved: 1, closed: 0, breached: 1 });
    // the status filter narrows the rows, not the counts (the queue's tabs)
    const open = await list('status=open');
    expect(open.data).toHaveLength(4);
    expect(open.counts).toEqual(all.counts);
    const normal = await list('priority=normal');
    expect(normal.counts).toEqual({ open: 1, pending: 1, resolved: 1, closed: 0, breached: 1 });
  });

  it('filters by status, priority and assignee (an id, me or none)', async () => {
    expect(subjects(await list('status=pending,resolved')).sort()).toEqual(['late but resolved', 'pending']);
    expect(subjects(await list('priority=urgent,high')).sort()).toEqual(['high other', 'urgent mine']);
    expect(subjects(await list('assignee_id=me'))).toEqual(['urgent mine']);
    expect(subjects(await list('assignee_id=me', agent2))).toEqual(['high other']);
    expect(subjects(await list(`assignee_id=${agent2.id}`))).toEqual(['high other']);
    expect(subjects(await list('assignee_id=none')).sort()).toEqual([
      'breached',
      'late but resolved',
      'low unassigned',
      'pending',
    ]);
  });

  it('sorts by SLA due time (default, soonest first) or creation time, and pages by cursor', async () => {
    const bySla = await list('');
    const due = bySla.data.map((x) => Date.parse(x.sla_due_at));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(bySla.data[0]?.subject).toMatch(/breached|late but resolved/);

    const newest = await list('sort=created_at&order=desc');
    expect(newest.data[0]?.subject).toBe('pending');

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: TicketList = await list(
        `sort=created_at&order=asc&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.data.map((x) => x.id));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(Object.values(ids));

    const first = await list('limit=2');
    const reused = await call('GET', `/api/crm/tickets?sort=created_at&cursor=${first.next_cursor}`);
    expect(reused.status).toBe(400);
    expect(reused.body.errors?.[0]?.field).toBe('cursor');
  });

  it('refuses bad filters naming the parameter', async () => {
    for (const [query, field] of [
      ['status=done', 'status'],
      ['priority=asap', 'priority'],
      ['assignee_id=bob', 'assignee_id'],
      ['breached=maybe', 'breached'],
      ['sort=subject', 'sort'],
      ['limit=0', 'limit'],
      ['customer_id=x', 'customer_id'],
    ]) {
      const { status, body } = await call('GET', `/api/crm/tickets?${query}`);
      expect(status, query).toBe(400);
      expect(body.errors?.[0]?.field).toContain(field);
    }
  });
});

describe('permissions', () => {
  it('lets viewers read but not write; agents write', async () => {
    const ticket = await open();
    expect((await call('GET', '/api/crm/tickets', viewer)).status).toBe(200);
    expect((await call('GET', `/api/crm/tickets/${ticket.id}`, viewer)).status).toBe(200);
    expect((await call('GET', '/api/crm/tickets/sla-policies', viewer)).status).toBe(200);
    expect((await call('POST', '/api/crm/tickets', viewer, { subject: 'x' })).status).toBe(403);
    expect((await call('PUT', `/api/crm/tickets/${ticket.id}`, viewer, { version: 1 })).status).toBe(403);
    expect((await call('POST', `/api/crm/tickets/${ticket.id}/comments`, viewer, { body: 'x' })).status).toBe(
      403,
    );
    const anonymous = await t.request({ method: 'GET', url: '/api/crm/tickets' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('describes every ticket route', async () => {
    const res = await t.request({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    expect(Object.keys(paths['/api/crm/tickets'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/crm/tickets/{id}'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(paths['/api/crm/tickets/{id}/comments']).toHaveProperty('post');
    expect(Object.keys(paths['/api/crm/tickets/sla-policies'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(paths['/api/crm/tickets/inbound']).toHaveProperty('post');
  });
});

describe('SLA policies', () => {
  it('lists the seeded defaults, most urgent first', async () => {
    const { body } = await call<SlaPolicyList>('GET', '/api/crm/tickets/sla-policies');
    expect(body.data).toEqual([
      { priority: 'urgent', first_response_minutes: 60, resolution_minutes: 240 },
      { priority: 'high', first_response_minutes: 240, resolution_minutes: 1440 },
      { priority: 'normal', first_response_minutes: 1440, resolution_minutes: 4320 },
      { priority: 'low', first_response_minutes: 4320, resolution_minutes: 10080 },
    ]);
  });

  it('only settings:manage edits them; validated minutes; new tickets use them', async () => {
    const payload = { data: [{ priority: 'low', first_response_minutes: 120, resolution_minutes: 600 }] };
    expect((await call('PUT', '/api/crm/tickets/sla-policies', agent, payload)).status).toBe(403);
    expect((await call('PUT', '/api/crm/tickets/sla-policies', manager, payload)).status).toBe(403);
    for (const [bad, field] of [
      [
        { data: [{ priority: 'low', first_response_minutes: 0, resolution_minutes: 10 }] },
        'data[0].first_response_minutes',
      ],
      [
        { data: [{ priority: 'low', first_response_minutes: 1.5, resolution_minutes: 10 }] },
        'data[0].first_response_minutes',
      ],
      [
        { data: [{ priority: 'low', first_response_minutes: 10, resolution_minutes: -1 }] },
        'data[0].resolution_minutes',
      ],
      [
        { data: [{ priority: 'soon', first_response_minutes: 10, resolution_minutes: 10 }] },
        'data[0].priority',
      ],
      [{ data: [] }, 'data'],
    ] as const) {
      const { status, body } = await call('PUT', '/api/crm/tickets/sla-policies', admin, bad);
      expect(status, JSON.stringify(bad)).toBe(400);
      expect(body.errors?.map((e) => e.field)).toContain(field);
    }
    const { status, body } = await call<SlaPolicyList>(
      'PUT',
      '/api/crm/tickets/sla-policies',
      admin,
      payload,
    );
    expect(status).toBe(200);
    expect(body.data.find((p) => p.priority === 'low')).toEqual({
      priority: 'low',
      first_response_minutes: 120,
      resolution_minutes: 600,
    });
    const ticket: Ticket = await open({ priority: 'low' });
    expect(minutesBetween(ticket.created_at, ticket.sla_due_at)).toBe(600);
  });
});
