import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuditAction } from '../../shared/audit.js';
import type { DB } from '../db/schema.js';
import type { Principal } from './principal.js';

/** Who did something, as the audit log keeps it (text too: the log outlives staff accounts). */
export interface AuditActor {
  id: string | null;
  email: string | null;
  name: string | null;
}

export interface AuditRecord {
  action: AuditAction;
  actor: AuditActor | null;
  subject?: { type: string; id: string } | null;
  ip?: string | null;
  /** What was done, without secrets or personal data beyond what the action names. */
  details?: Record<string, unknown>;
}

export const actorOf = (p: Principal): AuditActor => ({ id: p.staffId, email: p.email, name: p.name });

/** The actor and address of a request, for `writeAudit`. */
export function auditContext(request: FastifyRequest, principal: Principal) {
  return { actor: actorOf(principal), ip: request.ip };
}

/**
 * Appends an entry to the audit log. Call it with the transaction of the action it records, so
 * the entry exists exactly when the action happened (the table refuses updates and deletes).
 */
export async function writeAudit(db: Kysely<DB>, r: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      action: r.action,
      actor_id: r.actor?.id ?? null,
      actor_email: r.actor?.email ?? null,
      actor_name: r.actor?.name ?? null,
      subject_type: r.subject?.type ?? null,
      subject_id: r.subject?.id ?? null,
      ip: r.ip ?? null,
      details: JSON.stringify(r.details ?? {}),
    })
    .execute();
}
