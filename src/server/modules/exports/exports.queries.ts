import { type Kysely, sql } from 'kysely';
import type { ExportState } from '../../../shared/exports.js';
import type { DB } from '../../db/schema.js';
import type { Cursor } from '../../platform/cursor.js';

/** An export with the people named on it. */
export function selectExports(db: Kysely<DB>) {
  return db
    .selectFrom('exports as e')
    .leftJoin('staff_users as rq', 'rq.id', 'e.requested_by')
    .leftJoin('staff_users as ap', 'ap.id', 'e.approved_by')
    .selectAll('e')
    .select([
      'rq.name as requester_name',
      'rq.email as requester_email',
      'ap.name as approver_name',
      'ap.email as approver_email',
    ]);
}
export type ExportDbRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectExports>['executeTakeFirst']>>
>;

export function findExport(db: Kysely<DB>, id: string) {
  return selectExports(db).where('e.id', '=', id).executeTakeFirst();
}

/** A page of exports, newest first; `requestedBy` narrows to one person's. */
export function findExportPage(
  db: Kysely<DB>,
  q: {
    requestedBy?: string | undefined;
    state?: ExportState | undefined;
    limit: number;
    cursor: Cursor | null;
  },
) {
  let query = selectExports(db);
  if (q.requestedBy) query = query.where('e.requested_by', '=', q.requestedBy);
  if (q.state) query = query.where('e.state', '=', q.state);
  if (q.cursor) {
    query = query.where(
      sql<boolean>`(e.created_at, e.id) < (${String(q.cursor.v)}::timestamptz, ${q.cursor.id}::uuid)`,
    );
  }
  return query
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(q.limit + 1)
    .execute();
}

/** Finished files past their time: marked expired, their storage keys returned for deletion. */
export async function expireDueExports(db: Kysely<DB>) {
  const result = await sql<{ id: string; storage_key: string | null }>`
    with due as (
      select id, storage_key from exports
      where state = 'completed' and expires_at <= now()
      for update skip locked)
    update exports e set state = 'expired', storage_key = null
    from due where e.id = due.id
    returning e.id, due.storage_key`.execute(db);
  return result.rows;
}
