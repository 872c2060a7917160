import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification, NotificationList, NotificationsReadAll } from '../../../shared/notifications.js';
import type { Problem } from '../../../shared/problem.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';
import { notify } from './notifications.service.js';

/** Notifications over HTTP: each user's own, newest first, unread filter and count, marking read. */
let t: TestApp;
let me: StaffHandle;
let someoneElse: StaffHandle;
let actor: StaffHandle;

beforeAll(async () => {
  t = await createTestApp();
  me = await t.staff('viewer');
  someoneElse = await t.staff('agent');
  actor = await t.staff('manager');
});
afterAll(() => t?.close());

async function call<T>(method: 'GET' | 'POST', url: string, as?: StaffHandle) {
  const res = await t.request({ method, url, ...(as ? { as } : {}) });
  return { status: res.statusCode, body: res.json<T & Problem>(), raw: res.body };
}

/** Notifies `to`, dated `minutesAgo` back (the embedded engine's clock may give two inserts one time). */
async function send(to: StaffHandle, title: string, minutesAgo = 0) {
  await notify(t.database.db, {
    recipientIds: [to.id],
    kind: 'mention',
    title,
    link: '/customers/x',
    actorId: actor.id,
    data: { n: title },
  });
  await t.database.db
    .updateTable('notifications')
    .set({ created_at: sql`now() - make_interval(mins => ${minutesAgo})` })
    .where('recipient_id', '=', to.id)
    .where('title', '=', title)
    .execute();
}

describe('notifications', () => {
  it('lists only my own, newest first, with the unread count, paged by cursor', async () => {
    for (let i = 1; i <= 5; i += 1) await send(me, `Mine ${i}`, 10 - i);
    await send(someoneElse, 'Theirs');
    // nobody is notified of their own action
    expect(
      await notify(t.database.db, {
        recipientIds: [actor.id],
        kind: 'mention',
        title: 'x',
        actorId: actor.id,
      }),
    ).toBe(0);

    const all = await call<NotificationList>('GET', '/api/crm/notifications', me);
    expect(all.status, all.raw).toBe(200);
    expect(all.body.data.map((n) => n.title)).toEqual(['Mine 5', 'Mine 4', 'Mine 3', 'Mine 2', 'Mine 1']);
    expect(all.body.unread_count).toBe(5);
    expect(all.body.next_cursor).toBeNull();
    expect(all.body.data[0]).toMatchObject({
      kind: 'mention',
      link: '/customers/x',
      actor: { id: actor.id },
      data: { n: 'Mine 5' },
      read_at: null,
    });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: NotificationList } = await call<NotificationList>(
        'GET',
        `/api/crm/notifications?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        me,
      );
      expect(page.body.unread_count).toBe(5);
      seen.push(...page.body.data.map((n) => n.title));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['Mine 5', 'Mine 4', 'Mine 3', 'Mine 2', 'Mine 1']);
  });

  it('marks one read (another user’s is a 404), filters unread, and marks all read', async () => {
    const list = (await call<NotificationList>('GET', '/api/crm/notifications', me)).body;
    const target = list.data[1]!;
    const read = await call<Notification>('POST', `/api/crm/notifications/${target.id}/read`, me);
    expect(read.status, read.raw).toBe(200);
    expect(read.body.id).toBe(target.id);
    expect(read.body.read_at).not.toBeNull();
    // marking again keeps the first read time
    const again = await call<Notification>('POST', `/api/crm/notifications/${target.id}/read`, me);
    expect(again.body.read_at).toBe(read.body.read_at);

    const unread = (await call<NotificationList>('GET', '/api/crm/notifications?unread=true', me)).body;
    expect(unread.data.map((n) => n.id)).not.toContain(target.id);
    expect(unread.data).toHaveLength(4);
    expect(unread.unread_count).toBe(4);

    const theirs = (await call<NotificationList>('GET', '/api/crm/notifications', someoneElse)).body;
    expect(theirs.data.map((n) => n.title)).toEqual(['Theirs']);
    const stolen = await call('POST', `/api/crm/notifications/${theirs.data[0]!.id}/read`, me);
    expect(stolen.status).toBe(404);
    expect(
      (await call<NotificationList>('GET', '/api/crm/notifications', someoneElse)).body.data[0]!.read_at,
    ).toBeNull();
    expect(
      (await call('POST', '/api/crm/notifications/00000000-0000-4000-8000-000000000000/read', me)).status,
    ).toBe(404);

    const all = await call<NotificationsReadAll>('POST', '/api/crm/notifications/read-all', me);
    expect(all.status, all.raw).toBe(200);
    expect(all.body).toEqual({ marked: 4, unread_count: 0 });
    expect((await call<NotificationList>('GET', '/api/crm/notifications?unread=true', me)).body.data).toEqual(
      [],
    );
    // the other user's stay unread
    expect(
      (await call<NotificationList>('GET', '/api/crm/notifications', someoneElse)).body.unread_count,
    ).toBe(1);
  });

  it('needs a signed-in user and valid input', async () => {
    expect((await call('GET', '/api/crm/notifications')).status).toBe(401);
    expect((await call('POST', '/api/crm/notifications/read-all')).status).toBe(401);
    const badId = await call('POST', '/api/crm/notifications/nope/read', me);
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0]?.field).toMatch(/id/);
    const badFilter = await call('GET', '/api/crm/notifications?unread=maybe', me);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors?.[0]?.field).toMatch(/unread/);
    const badLimit = await call('GET', '/api/crm/notifications?limit=0', me);
    expect(badLimit.status).toBe(400);
    expect((await call('GET', '/api/crm/notifications?cursor=garbage', me)).status).toBe(400);
  });
});
