import { type Kysely, type SqlBool, sql } from 'kysely';
import type { NoteType } from '../../../shared/notes.js';
import type { DB } from '../../db/schema.js';

const noteColumns = [
  'n.id',
  'n.customer_id',
  'n.content',
  'n.note_type',
  'n.pinned',
  'n.created_by',
  'n.updated_by',
  'n.version',
  'n.created_at',
  'n.updated_at',
] as const;

function notesWithPeople(db: Kysely<DB>) {
  return db
    .selectFrom('notes as n')
    .leftJoin('staff_users as a', 'a.id', 'n.created_by')
    .leftJoin('staff_users as u', 'u.id', 'n.updated_by')
    .select(noteColumns)
    .select(['a.name as author_name', 'u.name as updated_by_name'])
    .select(sql<string>`n.created_at::text`.as('created_key'))
    .select((eb) =>
      eb
        .exists(eb.selectFrom('note_revisions as r').select('r.id').whereRef('r.note_id', '=', 'n.id'))
        .as('edited'),
    );
}

export type NoteRow = NonNullable<Awaited<ReturnType<typeof findNote>>>;

export function findNote(db: Kysely<DB>, id: string) {
  return notesWithPeople(db).where('n.id', '=', id).executeTakeFirst();
}

/** Pinned first, then newest first; keyset on (pinned, created_at, id), all descending. */
export function findNotes(
  db: Kysely<DB>,
  customerId: string,
  opts: {
    noteType?: NoteType | undefined;
    limit: number;
    after: { pinned: boolean; created: string; id: string } | null;
  },
) {
  let q = notesWithPeople(db).where('n.customer_id', '=', customerId);
  if (opts.noteType) q = q.where('n.note_type', '=', opts.noteType);
  if (opts.after) {
    const { pinned, created, id } = opts.after;
    q = q.where(
      sql<SqlBool>`(n.pinned, n.created_at, n.id) < (${pinned}, ${created}::timestamptz, ${id}::uuid)`,
    );
  }
  return q
    .orderBy('n.pinned', 'desc')
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(opts.limit + 1)
    .execute();
}

/** Locks the note for a change; undefined when there is none. */
export function lockNote(db: Kysely<DB>, id: string) {
  return db.selectFrom('notes').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertNote(
  db: Kysely<DB>,
  values: { customer_id: string; content: string; note_type: NoteType; pinned: boolean; created_by: string },
) {
  return db
    .insertInto('notes')
    .values({ ...values, updated_by: values.created_by })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Writes the note's new state; `editor` (when the text changed) becomes its updated_by. */
export function updateNoteRow(
  db: Kysely<DB>,
  id: string,
  values: { content: string; note_type: NoteType; pinned: boolean },
  editor: string | null,
) {
  return db
    .updateTable('notes')
    .set({
      ...values,
      version: sql`version + 1`,
      ...(editor ? { updated_by: editor, updated_at: sql`now()` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export function deleteNoteRow(db: Kysely<DB>, id: string) {
  return db.deleteFrom('notes').where('id', '=', id).execute();
}

/** Keeps a version's text before an edit replaces it: who wrote that version, and when. */
export function insertRevision(
  db: Kysely<DB>,
  values: {
    note_id: string;
    version: number;
    content: string;
    note_type: string;
    edited_by: string | null;
    edited_at: Date;
  },
) {
  return db.insertInto('note_revisions').values(values).execute();
}

export function findRevisions(db: Kysely<DB>, noteId: string) {
  return db
    .selectFrom('note_revisions as r')
    .leftJoin('staff_users as s', 's.id', 'r.edited_by')
    .select([
      'r.version',
      'r.content',
      'r.note_type',
      'r.edited_by',
      'r.edited_at',
      's.name as edited_by_name',
    ])
    .where('r.note_id', '=', noteId)
    .orderBy('r.version', 'desc')
    .execute();
}
