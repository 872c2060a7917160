import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, TimelineEvent } from '../../../shared/customers.js';
import type { Note, NoteList, NoteRevisionList } from '../../../shared/notes.js';
import type { Problem } from '../../../shared/problem.js';
import { makeCustomer } from '../../../../tests/helpers/factories.js';
import { type StaffHandle, type TestApp, createTestApp } from '../../../../tests/helpers/test-app.js';

/** Notes over HTTP: CRUD, pinning, revisions, concurrency, permissions, mentions, timeline. */
let t: TestApp;
let admin: StaffHandle;
let agent: StaffHandle;
let otherAgent: StaffHandle;
let viewer: StaffHandle;
let customer: Customer;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.staff('admin');
  agent = await t.staff('agent');
  otherAgent = await t.staff('agent');
  viewer = await t.staff('viewer');
  customer = await makeCustomer(t, admin, { first_name: 'Zoë', last_name: 'Ångström' });
});
afterAll(() => t?.close());

async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  as: StaffHandle = agent,
  payload?: Record<string, unknown>,
) {
  const res = await t.request({ method, url, as, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T & Problem>(), raw: res.body };
}

async function addNote(customerId: string, payload: Record<string, unknown>, as: StaffHandle = agent) {
  const res = await call<Note>('POST', `/api/crm/customers/${customerId}/notes`, as, payload);
  expect(res.status, res.raw).toBe(201);
  return res.body;
}

async function listNotes(customerId: string, query = '', as: StaffHandle = agent) {
  const res = await call<NoteList>('GET', `/api/crm/customers/${customerId}/notes${query}`, as);
  expect(res.status, res.raw).toBe(200);
  return res.body;
}

async function timeline(customerId: string) {
  const { body } = await call<{ data: TimelineEvent[] }>(
    'GET',
    `/api/crm/customers/${customerId}/timeline?kind=note_added,note_updated,note_deleted`,
    admin,
  );
  return body.data;
}

const mentionsOf = (recipientId: string) =>
  t.database.db
    .selectFrom('notifications')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .where('kind', '=', 'mention')
    .orderBy('created_at')
    .execute();

const mention = (who: StaffHandle, name = 'Someone') => `@[${name}](staff:${who.id})`;

describe('notes CRUD', () => {
  it('creates a note with its author, type, version and timeline event', async () => {
    const c = await makeCustomer(t, admin);
    const note = await addNote(c.id, { content: '  Called about the **invoice**.  ', note_type: 'billing' });
    expect(note).toMatchObject({
      customer_id: c.id,
      content: 'Called about the **invoice**.',
      note_type: 'billing',
      pinned: false,
      author: { id: agent.id, name: expect.any(String) },
      updated_by: { id: agent.id },
      version: 1,
      edited: false,
    });
    expect(Date.parse(note.created_at)).not.toBeNaN();

    const defaults = await addNote(c.id, { content: 'Plain' });
    expect(defaults.note_type).toBe('general');

    const events = await timeline(c.id);
    const added = events.find((e) => e.kind === 'note_added' && e.data.note_id === note.id);
    expect(added).toMatchObject({
      actor: { id: agent.id },
      data: { note_id: note.id, note_type: 'billing', snippet: 'Called about the invoice.' },
    });
    expect(added?.summary).toContain('billing');
  });

  it('stores markup as text and returns it unchanged (never turned into HTML)', async () => {
    const content = '<script>alert(1)</script> <img src=x onerror="alert(2)"> & [x](javascript:alert(3))';
    const note = await addNote(customer.id, { content });
    expect(note.content).toBe(content);
    const res = await t.request({ method: 'GET', url: `/api/crm/customers/${customer.id}/notes`, as: agent });
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json<NoteList>().data.find((n) => n.id === note.id)?.content).toBe(content);
    const row = await t.database.db
      .selectFrom('notes')
      .select('content')
      .where('id', '=', note.id)
      .executeTakeFirstOrThrow();
    expect(row.content).toBe(content);
  });

  it('lists pinned notes first, then newest first, with keyset paging', async () => {
    const c = await makeCustomer(t, admin);
    const first = await addNote(c.id, { content: 'first' });
    const pinned = await addNote(c.id, { content: 'pinned early', pinned: true });
    const second = await addNote(c.id, { content: 'second' });
    const third = await addNote(c.id, { content: 'third', note_type: 'sales' });

    const all = await listNotes(c.id, '', viewer);
    expect(all.data.map((n) => n.id)).toEqual([pinned.id, third.id, second.id, first.id]);
    expect(all.next_cursor).toBeNull();

    const page1 = await listNotes(c.id, '?limit=2');
    expect(page1.data.map((n) => n.id)).toEqual([pinned.id, third.id]);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = await listNotes(c.id, `?limit=2&cursor=${page1.next_cursor}`);
    expect(page2.data.map((n) => n.id)).toEqual([second.id, first.id]);
    expect(page2.next_cursor).toBeNull();

    const sales = await listNotes(c.id, '?note_type=sales');
    expect(sales.data.map((n) => n.id)).toEqual([third.id]);

    // pinning an older note moves it to the top
    const { status } = await call<Note>('PUT', `/api/crm/notes/${first.id}`, agent, {
      pinned: true,
      version: 1,
    });
    expect(status).toBe(200);
    const after = await listNotes(c.id);
    expect(after.data.slice(0, 2).map((n) => n.id)).toEqual([pinned.id, first.id]);

    const bad = await call('GET', `/api/crm/customers/${c.id}/notes?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.field).toBe('cursor');
  });

  it('edits a note, keeping the earlier text as a revision', async () => {
    const c = await makeCustomer(t, admin);
    const note = await addNote(c.id, { content: 'Version one', note_type: 'support' });
    const v2 = await call<Note>('PUT', `/api/crm/notes/${note.id}`, agent, {
      content: 'Version two',
      version: 1,
    });
    expect(v2.status, v2.raw).toBe(200);
    expect(v2.body).toMatchObject({ content: 'Version two', note_type: 'support', version: 2, edited: true });

    const v3 = await call<Note>('PUT', `/api/crm/notes/${note.id}`, admin, {
      content: 'Version three',
      note_type: 'sales',
      version: 2,
    });
    expect(v3.body).toMatchObject({ version: 3, note_type: 'sales', updated_by: { id: admin.id } });
    expect(v3.body.author?.id).toBe(agent.id);

    const history = await call<NoteRevisionList>('GET', `/api/crm/notes/${note.id}/revisions`, viewer);
    expect(history.status).toBe(200);
    expect(history.body.data).toMatchObject([
      { version: 2, content: 'Version two', note_type: 'support', edited_by: { id: agent.id } },
      { version: 1, content: 'Version one', note_type: 'support', edited_by: { id: agent.id } },
    ]);

    // pinning alone is an edit (version, event) but no new revision, and the text keeps its editor
    const pin = await call<Note>('PUT', `/api/crm/notes/${note.id}`, agent, { pinned: true, version: 3 });
    expect(pin.body).toMatchObject({ pinned: true, version: 4, content: 'Version three' });
    expect(pin.body.updated_by?.id).toBe(admin.id);
    expect(pin.body.updated_at).toBe(v3.body.updated_at);
    const again = await call<NoteRevisionList>('GET', `/api/crm/notes/${note.id}/revisions`);
    expect(again.body.data).toHaveLength(2);

    // the next text edit keeps version 4 (admin's text) credited to the admin, not the pinner
    await call('PUT', `/api/crm/notes/${note.id}`, agent, { content: 'Version five', version: 4 });
    const latest = await call<NoteRevisionList>('GET', `/api/crm/notes/${note.id}/revisions`);
    expect(latest.body.data[0]).toMatchObject({
      version: 4,
      content: 'Version three',
      edited_by: { id: admin.id },
      edited_at: v3.body.updated_at,
    });

    // saving what is there changes nothing
    const same = await call<Note>('PUT', `/api/crm/notes/${note.id}`, agent, { pinned: true, version: 5 });
    expect(same.body.version).toBe(5);

    const events = await timeline(c.id);
    const updates = events.filter((e) => e.kind === 'note_updated');
    expect(updates.map((e) => e.summary)).toEqual([
      'Note edited',
      'Note pinned',
      'Note edited',
      'Note edited',
    ]);
    expect(updates[1]?.data).toMatchObject({ note_id: note.id, pinned: true, note_type: 'sales' });
  });

  it('answers a stale version with 409 and the current note', async () => {
    const note = await addNote(customer.id, { content: 'Original' });
    const ok = await call<Note>('PUT', `/api/crm/notes/${note.id}`, agent, { content: 'Mine', version: 1 });
    expect(ok.status).toBe(200);
    const stale = await call<Note>('PUT', `/api/crm/notes/${note.id}`, agent, {
      content: 'Theirs',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.current).toMatchObject({ id: note.id, version: 2, content: 'Mine' });
    const revisions = await t.database.db
      .selectFrom('note_revisions')
      .select('version')
      .where('note_id', '=', note.id)
      .execute();
    expect(revisions).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous edits of the same version through', async () => {
    const note = await addNote(customer.id, { content: 'Race' });
    const results = await Promise.all(
      ['A', 'B'].map((who) =>
        call<Note>('PUT', `/api/crm/notes/${note.id}`, agent, { content: `Edited by ${who}`, version: 1 }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const revisions = await t.database.db
      .selectFrom('note_revisions')
      .select(['version', 'content'])
      .where('note_id', '=', note.id)
      .execute();
    expect(revisions).toEqual([{ version: 1, content: 'Race' }]);
  });

  it('deletes a note, with a timeline event', async () => {
    const c = await makeCustomer(t, admin);
    const note = await addNote(c.id, { content: 'To be removed', note_type: 'sales' });
    const one = await call<Note>('GET', `/api/crm/notes/${note.id}`, viewer);
    expect(one.body).toEqual(note);
    const del = await call<Note>('DELETE', `/api/crm/notes/${note.id}`);
    expect(del.status).toBe(200);
    expect((await call('GET', `/api/crm/notes/${note.id}`)).status).toBe(404);
    expect(del.body.id).toBe(note.id);
    expect((await listNotes(c.id)).data).toHaveLength(0);
    expect((await call('DELETE', `/api/crm/notes/${note.id}`)).status).toBe(404);
    const deleted = (await timeline(c.id)).find((e) => e.kind === 'note_deleted');
    expect(deleted).toMatchObject({
      data: { note_id: note.id, note_type: 'sales', snippet: 'To be removed' },
    });
  });

  it('writes one event with a snippet of at most 140 characters', async () => {
    const c = await makeCustomer(t, admin);
    await addNote(c.id, { content: `${'long text '.repeat(200)}` });
    const [event] = await timeline(c.id);
    expect(String(event?.data.snippet).length).toBeLessThanOrEqual(140);
  });
});

describe('permissions', () => {
  it('lets only the author or an administrator edit, pin or delete', async () => {
    const note = await addNote(customer.id, { content: 'Agent’s note' });
    const url = `/api/crm/notes/${note.id}`;
    const edit = await call('PUT', url, otherAgent, { content: 'hijack', version: 1 });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('forbidden');
    expect((await call('PUT', url, otherAgent, { pinned: true, version: 1 })).status).toBe(403);
    expect((await call('DELETE', url, otherAgent)).status).toBe(403);

    const byAdmin = await call<Note>('PUT', url, admin, { pinned: true, version: 1 });
    expect(byAdmin.status).toBe(200);
    expect((await call('DELETE', url, admin)).status).toBe(200);
  });

  it('lets a viewer read but not write', async () => {
    const note = await addNote(customer.id, { content: 'Visible' });
    expect((await call('GET', `/api/crm/customers/${customer.id}/notes`, viewer)).status).toBe(200);
    expect((await call('GET', `/api/crm/notes/${note.id}/revisions`, viewer)).status).toBe(200);
    expect(
      (await call('POST', `/api/crm/customers/${customer.id}/notes`, viewer, { content: 'x' })).status,
    ).toBe(403);
    expect(
      (await call('PUT', `/api/crm/notes/${note.id}`, viewer, { content: 'x', version: 1 })).status,
    ).toBe(403);
    expect((await call('DELETE', `/api/crm/notes/${note.id}`, viewer)).status).toBe(403);
  });

  it('needs a signed-in user on every notes and interactions route', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const routes = [
      ['GET', `/api/crm/customers/${id}/notes`],
      ['POST', `/api/crm/customers/${id}/notes`],
      ['GET', `/api/crm/notes/${id}`],
      ['PUT', `/api/crm/notes/${id}`],
      ['DELETE', `/api/crm/notes/${id}`],
      ['GET', `/api/crm/notes/${id}/revisions`],
      ['GET', `/api/crm/customers/${id}/interactions`],
      ['POST', `/api/crm/customers/${id}/interactions`],
      ['GET', `/api/crm/interactions/${id}`],
      ['PUT', `/api/crm/interactions/${id}`],
      ['DELETE', `/api/crm/interactions/${id}`],
    ] as const;
    for (const [method, url] of routes) {
      const res = await t.request({ method, url });
      expect({ method, url, status: res.statusCode }).toEqual({ method, url, status: 401 });
    }
  });
});

describe('bad input and unknown ids', () => {
  const badBodies: [Record<string, unknown>, string][] = [
    [{ content: '   ' }, 'content'],
    [{}, 'content'],
    [{ content: 'x'.repeat(20_001) }, 'content'],
    [{ content: 'ok', note_type: 'gossip' }, 'note_type'],
    [{ content: 'ok', pinned: 'yes' }, 'pinned'],
  ];
  for (const [payload, field] of badBodies) {
    it(`refuses ${JSON.stringify(payload).slice(0, 50)} naming ${field}`, async () => {
      const res = await call('POST', `/api/crm/customers/${customer.id}/notes`, agent, payload);
      expect(res.status, res.raw).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
    });
  }

  it('accepts exactly 20000 characters', async () => {
    const note = await addNote(customer.id, { content: 'y'.repeat(20_000) });
    expect(note.content).toHaveLength(20_000);
  });

  it('refuses a bad edit naming the field', async () => {
    const note = await addNote(customer.id, { content: 'Fine' });
    const empty = await call('PUT', `/api/crm/notes/${note.id}`, agent, { content: '', version: 1 });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0]?.field).toBe('content');
    const noVersion = await call('PUT', `/api/crm/notes/${note.id}`, agent, { content: 'x' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.errors?.[0]?.field).toBe('version');
  });

  it('answers 404 for unknown customers and notes, 400 for malformed ids', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call('GET', `/api/crm/customers/${unknown}/notes`)).status).toBe(404);
    expect((await call('POST', `/api/crm/customers/${unknown}/notes`, agent, { content: 'x' })).status).toBe(
      404,
    );
    expect((await call('PUT', `/api/crm/notes/${unknown}`, agent, { content: 'x', version: 1 })).status).toBe(
      404,
    );
    expect((await call('DELETE', `/api/crm/notes/${unknown}`)).status).toBe(404);
    expect((await call('GET', `/api/crm/notes/${unknown}/revisions`)).status).toBe(404);
    const malformed = await call('GET', '/api/crm/notes/not-a-uuid/revisions');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.field).toBe('id');
  });
});

describe('mentions', () => {
  it('notifies mentioned staff once, skipping unknown ids and the author', async () => {
    const ana = await t.staff('agent');
    const bo = await t.staff('manager');
    const stranger = '11111111-1111-4111-8111-111111111111';
    const content = `Ask ${mention(ana, 'Ana')} and ${mention(bo, 'Bo')}; also ${mention(ana, 'Ana')}, @[Ghost](staff:${stranger}) and me ${mention(agent)}.`;
    const note = await addNote(customer.id, { content });

    const [toAna] = await mentionsOf(ana.id);
    expect(await mentionsOf(ana.id)).toHaveLength(1);
    expect(toAna).toMatchObject({
      kind: 'mention',
      title: expect.stringMatching(/ mentioned you on Zoë Ångström$/),
      link: `/customers/${customer.id}`,
      customer_id: customer.id,
      actor_id: agent.id,
      data: { note_id: note.id },
    });
    expect(toAna?.title.startsWith('Agent ')).toBe(true);
    expect(await mentionsOf(bo.id)).toHaveLength(1);
    expect(await mentionsOf(agent.id)).toHaveLength(0);
    const ghosts = await t.database.db
      .selectFrom('notifications')
      .select('id')
      .where('recipient_id', '=', stranger)
      .execute();
    expect(ghosts).toHaveLength(0);
  });

  it('notifies on edit only those newly mentioned', async () => {
    const ana = await t.staff('agent');
    const bo = await t.staff('agent');
    const note = await addNote(customer.id, { content: `Hi ${mention(ana)}` });
    expect(await mentionsOf(ana.id)).toHaveLength(1);

    const edited = await call<Note>('PUT', `/api/crm/notes/${note.id}`, agent, {
      content: `Hi ${mention(ana)} and ${mention(bo)}`,
      version: 1,
    });
    expect(edited.status).toBe(200);
    expect(await mentionsOf(ana.id)).toHaveLength(1);
    expect(await mentionsOf(bo.id)).toHaveLength(1);

    // a pin or a type change alone notifies nobody
    await call('PUT', `/api/crm/notes/${note.id}`, agent, { pinned: true, note_type: 'sales', version: 2 });
    expect(await mentionsOf(ana.id)).toHaveLength(1);
    expect(await mentionsOf(bo.id)).toHaveLength(1);
  });

  it('does not notify disabled staff', async () => {
    const gone = await t.staff('agent');
    await t.database.db
      .updateTable('staff_users')
      .set({ disabled: true })
      .where('id', '=', gone.id)
      .execute();
    await addNote(customer.id, { content: `FYI ${mention(gone)}` });
    expect(await mentionsOf(gone.id)).toHaveLength(0);
  });

  it('writes nothing when the note is refused', async () => {
    const ana = await t.staff('agent');
    const res = await call('POST', `/api/crm/customers/${customer.id}/notes`, agent, {
      content: mention(ana),
      note_type: 'nope',
    });
    expect(res.status).toBe(400);
    expect(await mentionsOf(ana.id)).toHaveLength(0);
  });
});

describe('the API document', () => {
  it('documents the notes and interactions endpoints with their reply shapes', async () => {
    const res = await t.request({ method: 'GET', url: '/api/openapi.json' });
    type Op = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    const doc = res.json<{ paths: Record<string, Record<string, Op>> }>();
    const expected: [string, string, string][] = [
      ['/api/crm/customers/{id}/notes', 'get', '200'],
      ['/api/crm/customers/{id}/notes', 'post', '201'],
      ['/api/crm/notes/{id}', 'get', '200'],
      ['/api/crm/notes/{id}', 'put', '200'],
      ['/api/crm/notes/{id}', 'delete', '200'],
      ['/api/crm/notes/{id}/revisions', 'get', '200'],
      ['/api/crm/customers/{id}/interactions', 'get', '200'],
      ['/api/crm/customers/{id}/interactions', 'post', '201'],
      ['/api/crm/interactions/{id}', 'get', '200'],
      ['/api/crm/interactions/{id}', 'put', '200'],
      ['/api/crm/interactions/{id}', 'delete', '200'],
    ];
    for (const [path, method, status] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(
        op?.responses?.[status]?.content?.['application/json']?.schema,
        `${method} ${path}`,
      ).toBeDefined();
    }
  });
});
