import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tag } from '../../../shared/tags.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { buildApp } from '../../app.js';
import { connectDatabase } from '../../db/connect.js';

/** GET /api/crm/events: live timeline notices over server-sent events, across server processes. */
let t: TestApp;
let admin: StaffHandle;
let viewer: StaffHandle;
let origin: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  viewer = await t.staff('viewer');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t?.close());

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Opens an event stream and collects its events until closed. */
async function openStream(base: string, as: StaffHandle, query = '') {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/crm/events${query}`, {
    headers: as.headers,
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    if (!reader) return;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    events,
    async close() {
      controller.abort();
      await pump;
    },
  };
}

async function tagCustomer(app: FastifyInstance, as: StaffHandle, customerId: string, name: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/crm/customers/${customerId}/tags`,
    headers: as.headers,
    payload: { names: [name], create_missing: true },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: Tag[] }>();
}

async function waitFor(check: () => boolean, ms = 1000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live events', () => {
  it('announces a watched customer’s new timeline events within a second, and no one else’s', async () => {
    const watched = await makeCustomer(t, admin);
    const other = await makeCustomer(t, admin);
    const stream = await openStream(origin, viewer, `?customer_id=${watched.id}`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.type).toContain('text/event-stream');
      await tagCustomer(t.app, admin, other.id, 'Live other');
      await tagCustomer(t.app, admin, watched.id, 'Live watched');
      await waitFor(() => stream.events.length > 0);
      expect(stream.events).toEqual([
        {
          event: 'customer_event',
          data: expect.objectContaining({ customer_id: watched.id, kinds: ['tag_added'] }),
        },
      ]);
    } finally {
      await stream.close();
    }
  });

  it('tells a staff user of their own new notifications, and the bell’s stream of nothing else', async () => {
    const agent = await t.staff('agent');
    const customer = await makeCustomer(t, admin);
    const bell = await openStream(origin, agent, '?topic=notifications');
    const bystander = await openStream(origin, viewer, '?topic=notifications');
    const profile = await openStream(origin, agent, `?customer_id=${customer.id}`);
    try {
      await tagCustomer(t.app, admin, customer.id, 'Not for the bell');
      const note = await t.app.inject({
        method: 'POST',
        url: `/api/crm/customers/${customer.id}/notes`,
        headers: admin.headers,
        payload: { content: `Please call back, @[Agent](staff:${agent.id})` },
      });
      expect(note.statusCode, note.body).toBe(201);
      await waitFor(() => bell.events.length > 0 && profile.events.length >= 3);
      expect(bell.events).toEqual([{ event: 'notification', data: { kind: 'mention' } }]);
      // the profile's stream hears the customer's events and the agent's own notification
      expect(profile.events.map((e) => e.event).sort()).toEqual([
        'customer_event',
        'customer_event',
        'notification',
      ]);
      expect(bystander.events).toEqual([]);
    } finally {
      await Promise.all([bell.close(), bystander.close(), profile.close()]);
    }
  });

  it('needs a signed-in user and checks the customer ids', async () => {
    const anonymous = await fetch(`${origin}/api/crm/events`);
    expect(anonymous.status).toBe(401);
    const bad = await t.request({ method: 'GET', url: '/api/crm/events?customer_id=nope', as: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toContain('customer_id');
  });

  // Two server processes on one PostgreSQL database: NOTIFY crosses them. PGlite is one process.
  if (process.env.TEST_DATABASE_URL) {
    it('delivers an event written through one server to a stream on another', async () => {
      const url = t.database.url;
      if (!url) throw new Error('expected a PostgreSQL test database');
      const database = await connectDatabase({ databaseUrl: url, poolSize: 2 });
      const second = await buildApp({ database, config: t.config });
      try {
        await second.listen({ port: 0, host: '127.0.0.1' });
        const secondOrigin = `http://127.0.0.1:${(second.server.address() as AddressInfo).port}`;
        const customer = await makeCustomer(t, admin);
        const stream = await openStream(secondOrigin, viewer, `?customer_id=${customer.id}`);
        try {
          await tagCustomer(t.app, admin, customer.id, 'Across processes');
          await waitFor(() => stream.events.length > 0);
          expect(stream.events[0]).toMatchObject({
            event: 'customer_event',
            data: { customer_id: customer.id },
          });
        } finally {
          await stream.close();
        }
      } finally {
        await second.close();
        await database.close();
      }
    });
  }
});
