import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { snippetOf } from '../../../shared/mentions.js';
import type {
  Note,
  NoteList,
  NoteListQuery,
  NoteRevision,
  NoteType,
  noteCreateSchema,
  noteUpdateSchema,
} from '../../../shared/notes.js';
import type { DB } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { insertEvent } from '../customers/customers.queries.js';
import { notifyMentions } from '../notifications/notifications.service.js';
import {
  type NoteRow,
  deleteNoteRow,
  findNote,
  findNotes,
  findRevisions,
  insertNote,
  insertRevision,
  lockNote,
  updateNoteRow,
} from './notes.queries.js';
import { customerExists, lockCustomerRef } from '../customers/customer-refs.service.js';

type NoteCreateInput = z.output<typeof noteCreateSchema>;
type NoteUpdateInput = z.output<typeof noteUpdateSchema>;

const staffRef = (id: string | null, name: string | null) => (id ? { id, name } : null);

export function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    customer_id: row.customer_id,
    content: row.content,
    note_type: row.note_type,
    pinned: row.pinned,
    author: staffRef(row.created_by, row.author_name),
    updated_by: staffRef(row.updated_by, row.updated_by_name),
    version: row.version,
    edited: Boolean(row.edited),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Only the author or an administrator changes a note or an interaction. */
export function assertAuthorOrAdmin(principal: Principal, authorId: string | null, what: string) {
  if (principal.role === 'admin' || (authorId !== null && authorId === principal.staffId)) return;
  throw new AppError('forbidden', `Only the author of this ${what} or an administrator can change it`);
}

export const versionConflict = (what: string, current: { version: number }) =>
  new AppError(
    'version_conflict',
    `This ${what} was changed by someone else (now version ${current.version})`,
    {
      current,
      errors: [{ field: 'version', message: `Expected ${current.version}` }],
    },
  );

async function loadNote(db: Kysely<DB>, id: string): Promise<NoteRow> {
  const row = await findNote(db, id);
  if (!row) throw notFound('Note');
  return row;
}

export async function getNote(db: Kysely<DB>, id: string): Promise<Note> {
  return toNote(await loadNote(db, id));
}

const sortKey = 'notes:pinned,created_at';

export async function listNotes(deps: AppDeps, customerId: string, q: NoteListQuery): Promise<NoteList> {
  if (!(await customerExists(deps.db, customerId))) throw notFound('Customer');
  const cursor = decodeCursor(q.cursor, sortKey);
  let after: { pinned: boolean; created: string; id: string } | null = null;
  if (cursor) {
    const [flag, created] = typeof cursor.v === 'string' ? [cursor.v.slice(0, 1), cursor.v.slice(2)] : [];
    if ((flag !== '0' && flag !== '1') || !created || Number.isNaN(Date.parse(created))) {
      throw badInput('cursor', 'The cursor is not valid for this list; start again without it');
    }
    after = { pinned: flag === '1', created, id: cursor.id };
  }
  const rows = await findNotes(deps.db, customerId, { noteType: q.note_type, limit: q.limit, after });
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map(toNote),
    next_cursor:
      hasMore && last
        ? encodeCursor({ s: sortKey, v: `${last.pinned ? 1 : 0}:${last.created_key}`, id: last.id })
        : null,
  };
}

/** Notifies staff newly mentioned in a note's text. */
function notifyNoteMentions(
  trx: Kysely<DB>,
  principal: Principal,
  customer: { id: string; display_name: string },
  noteId: string,
  content: string,
  before = '',
) {
  return notifyMentions(trx, {
    markdown: content,
    before,
    actorId: principal.staffId,
    title: `${principal.name ?? principal.email} mentioned you on ${customer.display_name}`,
    link: `/customers/${customer.id}`,
    customerId: customer.id,
    data: { note_id: noteId },
  });
}

export async function createNote(
  deps: AppDeps,
  principal: Principal,
  customerId: string,
  input: NoteCreateInput,
): Promise<Note> {
  return deps.db.transaction().execute(async (trx) => {
    const customer = await lockCustomerRef(trx, customerId);
    if (!customer) throw notFound('Customer');
    const { id } = await insertNote(trx, {
      customer_id: customerId,
      content: input.content,
      note_type: input.note_type,
      pinned: input.pinned,
      created_by: principal.staffId,
    });
    await insertEvent(trx, {
      customer_id: customerId,
      kind: 'note_added',
      actor_id: principal.staffId,
      summary: `${input.pinned ? 'Pinned note' : 'Note'} added (${input.note_type})`,
      data: { note_id: id, note_type: input.note_type, snippet: snippetOf(input.content) },
    });
    await notifyNoteMentions(trx, principal, customer, id, input.content);
    return getNote(trx, id);
  });
}

function updateSummary(textChanged: boolean, pinnedChange: boolean | null): string {
  const pin = pinnedChange === null ? null : pinnedChange ? 'pinned' : 'unpinned';
  if (!textChanged) return `Note ${pin}`;
  return pin ? `Note edited and ${pin}` : 'Note edited';
}

/** Edits a note: the earlier text goes to its revisions first; newly mentioned staff are notified. */
export async function updateNote(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: NoteUpdateInput,
): Promise<Note> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockNote(trx, id))) throw notFound('Note');
    const current = await loadNote(trx, id);
    assertAuthorOrAdmin(principal, current.created_by, 'note');
    if (current.version !== input.version) throw versionConflict('note', toNote(current));

    const next = {
      content: input.content ?? current.content,
      note_type: (input.note_type ?? current.note_type) as NoteType,
      pinned: input.pinned ?? current.pinned,
    };
    const textChanged = next.content !== current.content || next.note_type !== current.note_type;
    const pinnedChange = next.pinned !== current.pinned ? next.pinned : null;
    // saving what is already there changes nothing (no version, no event)
    if (!textChanged && pinnedChange === null) return toNote(current);
    const customer = await lockCustomerRef(trx, current.customer_id);
    if (!customer) throw notFound('Customer');

    if (textChanged) {
      await insertRevision(trx, {
        note_id: id,
        version: current.version,
        content: current.content,
        note_type: current.note_type,
        edited_by: current.updated_by ?? current.created_by,
        edited_at: current.updated_at,
      });
    }
    // updated_by/updated_at describe the text (so each revision names who wrote it and when);
    // a pin alone moves only the version
    await updateNoteRow(trx, id, next, textChanged ? principal.staffId : null);
    await insertEvent(trx, {
      customer_id: current.customer_id,
      kind: 'note_updated',
      actor_id: principal.staffId,
      summary: updateSummary(textChanged, pinnedChange),
      data: {
        note_id: id,
        note_type: next.note_type,
        snippet: snippetOf(next.content),
        ...(pinnedChange !== null ? { pinned: pinnedChange } : {}),
      },
    });
    if (next.content !== current.content) {
      await notifyNoteMentions(trx, principal, customer, id, next.content, current.content);
    }
    return getNote(trx, id);
  });
}

export async function deleteNote(deps: AppDeps, principal: Principal, id: string): Promise<Note> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockNote(trx, id))) throw notFound('Note');
    const note = toNote(await loadNote(trx, id));
    assertAuthorOrAdmin(principal, note.author?.id ?? null, 'note');
    await deleteNoteRow(trx, id);
    await insertEvent(trx, {
      customer_id: note.customer_id,
      kind: 'note_deleted',
      actor_id: principal.staffId,
      summary: `Note deleted (${note.note_type})`,
      data: { note_id: id, note_type: note.note_type, snippet: snippetOf(note.content) },
    });
    return note;
  });
}

export async function noteRevisions(deps: AppDeps, id: string): Promise<NoteRevision[]> {
  await loadNote(deps.db, id);
  const rows = await findRevisions(deps.db, id);
  return rows.map((r) => ({
    version: r.version,
    content: r.content,
    note_type: r.note_type as NoteType,
    edited_by: staffRef(r.edited_by, r.edited_by_name),
    edited_at: r.edited_at.toISOString(),
  }));
}
