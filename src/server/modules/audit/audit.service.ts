import type { z } from 'zod';
import type { AuditAction, AuditEntry, AuditList, auditQuerySchema } from '../../../shared/audit.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { badInput } from '../../platform/errors.js';
import { type AuditRow, findAuditEntries } from './audit.queries.js';

type AuditQuery = z.output<typeof auditQuerySchema>;

const SORT_KEY = 'audit:at:desc';

function toAuditEntry(row: AuditRow): AuditEntry {
  const known = row.actor_id ?? row.actor_email ?? row.actor_name;
  return {
    id: row.id,
    at: row.at.toISOString(),
    // only writeAudit fills the table, and it takes an AuditAction
    action: row.action as AuditAction,
    actor: known === null ? null : { id: row.actor_id, email: row.actor_email, name: row.actor_name },
    subject_type: row.subject_type,
    subject_id: row.subject_id,
    ip: row.ip,
    details: row.details,
  };
}

/** A client's cursor is checked before it reaches SQL, where a bad cast would be a 500. */
function cursorOf(raw: string | undefined) {
  const cursor = decodeCursor(raw, SORT_KEY);
  if (!cursor) return null;
  if (typeof cursor.v !== 'string' || Number.isNaN(Date.parse(cursor.v)) || !/^\d{1,19}$/.test(cursor.id)) {
    throw badInput('cursor', 'The cursor is not valid for this list; start again without it');
  }
  return { at: cursor.v, id: cursor.id };
}

export async function listAudit(deps: AppDeps, query: AuditQuery): Promise<AuditList> {
  const from = query.from ? new Date(query.from) : undefined;
  const to = query.to ? new Date(query.to) : undefined;
  if (from && to && from >= to) throw badInput('to', 'Must be later than `from`');
  const rows = await findAuditEntries(
    deps.db,
    {
      actions: query.action,
      actorId: query.actor_id,
      subjectType: query.subject_type,
      subjectId: query.subject_id,
      from,
      to,
    },
    { limit: query.limit, cursor: cursorOf(query.cursor) },
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toAuditEntry),
    next_cursor:
      rows.length > query.limit && last ? encodeCursor({ s: SORT_KEY, v: last.at_key, id: last.id }) : null,
  };
}
