import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../../shared/customers.js';
import type { Note, NoteList } from '../../../../shared/notes.js';
import type { NotificationList } from '../../../../shared/notifications.js';
import { makeCustomer } from '../../../../../tests/helpers/factories.js';
import type { StaffHandle } from '../../../../../tests/helpers/test-app.js';
import {
  findNotification,
  renderApp,
  startWebTestServer,
  type WebTestServer,
} from '../../../test/harness.js';

/** The notes tab of CustomerProfile against a real server. */
let server: WebTestServer;
let admin: StaffHandle;
let maria: StaffHandle;

beforeAll(async () => {
  server = await startWebTestServer();
  admin = await server.staff('admin');
  maria = await server.staff('agent');
  await server.request({
    method: 'PATCH',
    url: `/api/users/${maria.id}`,
    as: admin,
    payload: { name: 'Maria Lopez' },
  });
});
afterAll(() => server?.close());

async function addNote(customer: Customer, as: StaffHandle, content: string, extra: Partial<Note> = {}) {
  const res = await server.request({
    method: 'POST',
    url: `/api/crm/customers/${customer.id}/notes`,
    as,
    payload: { content, ...extra },
  });
  expect(res.statusCode).toBe(201);
  return res.json<Note>();
}

async function storedNotes(customer: Customer): Promise<Note[]> {
  const res = await server.request({
    method: 'GET',
    url: `/api/crm/customers/${customer.id}/notes`,
    as: admin,
  });
  return res.json<NoteList>().data;
}

async function openProfile(id: string) {
  const view = await renderApp(`/customers/${id}`);
  // the first render in a file loads the profile's code: give it longer on a busy machine
  await screen.findByRole('heading', { level: 1 }, { timeout: 30_000 });
  return view;
}

describe('notes on the profile', () => {
  it('adds a note mentioning a colleague: the chip shows and they are notified', async () => {
    const customer = await makeCustomer(server, admin, { first_name: 'Nora', last_name: 'Noted' });
    await server.signIn('agent');
    const { user } = await openProfile(customer.id);
    expect(await screen.findByText('No notes yet — write the first one.')).toBeTruthy();
    const editor = screen.getByRole('textbox', { name: 'New note' });
    await user.type(editor, 'Call back **tomorrow**, ask @mari');
    await user.click(await screen.findByRole('option', { name: /^Maria Lopez/ }));
    await user.type(editor, 'about the refund');
    // the preview renders what will be saved
    await user.click(screen.getByRole('tab', { name: 'Preview' }));
    const preview = screen.getByRole('region', { name: 'Preview' });
    expect(within(preview).getByText('@Maria Lopez')).toBeTruthy();
    await user.click(screen.getByRole('tab', { name: 'Write' }));
    await user.click(screen.getByRole('textbox', { name: 'New note' }));
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await findNotification('Note added')).toBeTruthy();

    const feed = await screen.findByRole('feed', { name: 'Notes' });
    const chip = await within(feed).findByText('@Maria Lopez');
    expect(chip.closest('[data-mention]')?.getAttribute('data-mention')).toBe(maria.id);
    expect(within(feed).getByText('tomorrow').tagName).toBe('STRONG');
    // the composer is empty again
    expect((screen.getByRole('textbox', { name: 'New note' }) as HTMLTextAreaElement).value).toBe('');

    const [stored] = await storedNotes(customer);
    expect(stored?.content).toBe(
      `Call back **tomorrow**, ask @[Maria Lopez](staff:${maria.id}) about the refund`,
    );
    const inbox = await server.request({ method: 'GET', url: '/api/crm/notifications', as: maria });
    const mention = inbox.json<NotificationList>().data.find((n) => n.customer_id === customer.id);
    expect(mention?.kind).toMatch(/mention/);
  });

  it('refuses a blank note before sending it, and filters by type', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    await addNote(customer, agent, 'About the invoice', { note_type: 'billing' });
    await addNote(customer, agent, 'Asked about sizes', { note_type: 'sales' });
    const { user } = await openProfile(customer.id);
    const feed = await screen.findByRole('feed', { name: 'Notes' });
    expect(await within(feed).findByText('About the invoice')).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Sales' }));
    // (the timeline beside it shows the note's first words: look in the notes only)
    const notes = () => within(screen.getByRole('feed', { name: 'Notes' }));
    await waitFor(() => expect(notes().queryByText('About the invoice')).toBeNull());
    expect(
      within(await screen.findByRole('feed', { name: 'Notes' })).getByText('Asked about sizes'),
    ).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Support' }));
    expect(await screen.findByText('No support notes.')).toBeTruthy();
    // whitespace only: refused before it is sent
    await user.type(screen.getByRole('textbox', { name: 'New note' }), '   ');
    await user.click(screen.getByRole('button', { name: 'Add note' }));
    expect(await screen.findByText('Write something first')).toBeTruthy();
  });

  it('edits in place; a stale save shows the conflict dialog and Reload shows their text and history', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    const note = await addNote(customer, agent, 'First draft');
    const { user } = await openProfile(customer.id);
    const card = await screen.findByRole('article', { name: /^Note by/ });
    await user.click(within(card).getByRole('button', { name: 'Edit note' }));
    const editor = within(card).getByRole('textbox', { name: 'Edit note' });
    await user.clear(editor);
    await user.type(editor, 'My version');
    // someone else saves first
    const theirs = await server.request({
      method: 'PUT',
      url: `/api/crm/notes/${note.id}`,
      as: admin,
      payload: { content: 'Their version', version: note.version },
    });
    expect(theirs.statusCode).toBe(200);
    await user.click(within(card).getByRole('button', { name: 'Save' }));
    const dialog = await screen.findByRole('dialog', { name: 'This note was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const reloaded = await screen.findByRole('article', { name: /^Note by/ });
    expect(await within(reloaded).findByText('Their version')).toBeTruthy();
    expect((await storedNotes(customer))[0]?.content).toBe('Their version');

    await user.click(within(reloaded).getByRole('button', { name: 'Edited: show edit history' }));
    const history = await screen.findByRole('dialog', { name: 'Edit history' });
    expect(await within(history).findByText('First draft')).toBeTruthy();
  });

  it('overwrites with my text after a conflict', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    const note = await addNote(customer, agent, 'Original');
    const { user } = await openProfile(customer.id);
    const card = await screen.findByRole('article', { name: /^Note by/ });
    await user.click(within(card).getByRole('button', { name: 'Edit note' }));
    const editor = within(card).getByRole('textbox', { name: 'Edit note' });
    await user.clear(editor);
    await user.type(editor, 'Mine wins');
    await server.request({
      method: 'PUT',
      url: `/api/crm/notes/${note.id}`,
      as: agent,
      payload: { content: 'Theirs', version: note.version },
    });
    await user.click(within(card).getByRole('button', { name: 'Save' }));
    const dialog = await screen.findByRole('dialog', { name: 'This note was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Overwrite' }));
    expect(await findNotification('Note saved')).toBeTruthy();
    await waitFor(async () => expect((await storedNotes(customer))[0]?.content).toBe('Mine wins'));
  });

  it('pins a note to the top and deletes one after confirming', async () => {
    const customer = await makeCustomer(server, admin);
    const agent = await server.signIn('agent');
    await addNote(customer, agent, 'Older note');
    await addNote(customer, agent, 'Newer note');
    const { user } = await openProfile(customer.id);
    const feed = await screen.findByRole('feed', { name: 'Notes' });
    await within(feed).findByText('Older note');
    const older = () =>
      within(screen.getByRole('feed', { name: 'Notes' }))
        .getAllByRole('article')
        .find((a) => a.textContent?.includes('Older note'));
    await user.click(within(older()!).getByRole('button', { name: 'Pin note' }));
    expect(await findNotification('Note pinned')).toBeTruthy();
    await waitFor(() => {
      const articles = within(screen.getByRole('feed', { name: 'Notes' })).getAllByRole('article');
      expect(articles[0]?.textContent).toContain('Older note');
      expect(within(articles[0]!).getByRole('img', { name: 'Pinned' })).toBeTruthy();
    });
    expect((await storedNotes(customer)).find((n) => n.content === 'Older note')?.pinned).toBe(true);

    await user.click(within(older()!).getByRole('button', { name: 'Delete note' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this note?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete note' }));
    expect(await findNotification('Note deleted')).toBeTruthy();
    await waitFor(() =>
      expect(within(screen.getByRole('feed', { name: 'Notes' })).queryByText('Older note')).toBeNull(),
    );
    expect((await storedNotes(customer)).map((n) => n.content)).toEqual(['Newer note']);
  });

  it('lets only the author or an admin change a note; a viewer reads without a composer', async () => {
    const customer = await makeCustomer(server, admin);
    await addNote(customer, maria, 'Written by Maria');
    await server.signIn('agent');
    let view = await openProfile(customer.id);
    const card = await screen.findByRole('article', { name: 'Note by Maria Lopez' });
    expect(within(card).queryByRole('button', { name: 'Edit note' })).toBeNull();
    expect(screen.getByRole('textbox', { name: 'New note' })).toBeTruthy();
    view.unmount();

    await server.signIn('viewer');
    view = await openProfile(customer.id);
    expect(await screen.findByText('Written by Maria')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'New note' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add note' })).toBeNull();
    expect(screen.queryByRole('button', { name: /note$/ })).toBeNull();
    view.unmount();

    await server.signIn('admin');
    await openProfile(customer.id);
    const asAdmin = await screen.findByRole('article', { name: 'Note by Maria Lopez' });
    expect(within(asAdmin).getByRole('button', { name: 'Edit note' })).toBeTruthy();
  });
});
