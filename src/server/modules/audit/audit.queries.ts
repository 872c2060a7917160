import { type Kysely, sql } from 'kysely';
import type { AuditAction } from '../../../shared/audit.js';
import type { DB } from '../../db/schema.js';

export interface AuditRow {
  /** The bigint identity as text: JavaScript numbers cannot hold every bigint. */
  id: string;
  at: Date;
  /** `at` as PostgreSQL prints it, to the microsecond, for the page cursor (a Date keeps ms). */
  at_key: string;
  action: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilters {
  actions?: AuditAction[];
  actorId?: string;
  subjectType?: string;
  subjectId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive, so consecutive ranges never count an entry twice. */
  to?: Date;
}

/** Entries newest first; keyset on (at, id), which the `audit_log_at_idx` index serves. */
export function findAuditEntries(
  db: Kysely<DB>,
  filters: AuditFilters,
  opts: { limit: number; cursor: { at: string; id: string } | null },
): Promise<AuditRow[]> {
  const c = opts.cursor;
  return db
    .selectFrom('audit_log')
    .select([
      sql<string>`id::text`.as('id'),
      'at',
      sql<string>`at::text`.as('at_key'),
      'action',
      'actor_id',
      'actor_email',
      'actor_name',
      'subject_type',
      'subject_id',
      'ip',
      'details',
    ])
    .$if(!!filters.actions?.length, (q) => q.where('action', 'in', filters.actions!))
    .$if(filters.actorId !== undefined, (q) => q.where('actor_id', '=', filters.actorId!))
    .$if(filters.subjectType !== undefined, (q) => q.where('subject_type', '=', filters.subjectType!))
    .$if(filters.subjectId !== undefined, (q) => q.where('subject_id', '=', filters.subjectId!))
    .$if(filters.from !== undefined, (q) => q.where('at', '>=', filters.from!))
    .$if(filters.to !== undefined, (q) => q.where('at', '<', filters.to!))
    .$if(c !== null, (q) => q.where(sql<boolean>`(at, id) < (${c!.at}::timestamptz, ${c!.id}::bigint)`))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
    .execute();
}
