import type { DataSubjectExport, EraseRequest, EraseResult } from '../../../shared/privacy.js';
import { type AuditActor, writeAudit } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { MAIL_JOB } from '../../platform/mail.js';
import { changePreferences } from '../communications/preferences.service.js';
import { insertEvent } from '../customers/customers.queries.js';
import {
  type Row,
  anonymiseProfile,
  deleteContacts,
  eraseMail,
  eraseReminderMail,
  eraseServiceRecords,
  eraseTimeline,
  findSubject,
  findSubjectRecords,
  lockSubject,
  rememberErasedEmails,
  removeGroupings,
} from './privacy.queries.js';

/** Who asked and from where, for the audit log (see auditContext). */
export interface RequestContext {
  actor: AuditActor;
  ip: string;
}

/** A row as JSON: times as ISO strings, 64-bit ids as strings; everything else as stored. */
function plain(row: object): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v,
    ]),
  );
}

/** Parents with their children under `as`: those whose `childKey` is the parent's id. */
function nest(parents: object[], children: object[], childKey: string, as: string): Row[] {
  const byParent = new Map<unknown, Row[]>();
  for (const child of children.map(plain)) {
    const list = byParent.get(child[childKey]) ?? [];
    list.push(child);
    byParent.set(child[childKey], list);
  }
  return parents.map(plain).map((p) => ({ ...p, [as]: byParent.get(p.id) ?? [] }));
}

/**
 * Everything held about one person, unmasked (it is their own data, for an administrator), read
 * in one repeatable-read transaction so the sections agree with each other, and audited there.
 */
export async function exportSubjectData(
  deps: AppDeps,
  id: string,
  ctx: RequestContext,
): Promise<DataSubjectExport> {
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const customer = await findSubject(trx, id);
      if (!customer) throw notFound('Customer');
      const r = await findSubjectRecords(trx, id);
      const sections: Record<string, Row[]> = {
        contact_emails: r.contact_emails.map(plain),
        contact_phones: r.contact_phones.map(plain),
        contact_addresses: r.contact_addresses.map(plain),
        orders: nest(r.orders, r.order_items, 'order_id', 'items'),
        notes: nest(r.notes, r.note_revisions, 'note_id', 'revisions'),
        interactions: r.interactions.map(plain),
        tickets: nest(r.tickets, r.ticket_comments, 'ticket_id', 'comments'),
        tasks: r.tasks.map(plain),
        emails: nest(
          nest(r.emails, r.email_events, 'email_id', 'events'),
          r.email_links,
          'email_id',
          'links',
        ),
        email_campaign_skips: r.email_campaign_skips.map(plain),
        communication_preference_changes: r.communication_preference_changes.map(plain),
        tags: r.tags.map(plain),
        segments: r.segments.map(plain),
        lifecycle_transitions: r.lifecycle_transitions.map(plain),
        rfm: r.rfm.map(plain),
        purchase_categories: r.purchase_categories.map(plain),
        timeline: r.timeline.map(plain),
        notifications: r.notifications.map(plain),
      };
      await writeAudit(trx, {
        action: 'privacy.data_export',
        ...ctx,
        subject: { type: 'customer', id },
        // how much was handed out, never what
        details: { records: Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, v.length])) },
      });
      return { generated_at: new Date().toISOString(), customer: plain(customer), sections };
    });
}

/**
 * Anonymises the person everywhere in one transaction (see docs/decisions/009-erasure.md): what
 * identifies them is deleted or replaced, orders and metrics stay for accounting, and their
 * emails are remembered as hashes so they do not come back. Cannot be undone; a second call is
 * a 409. The audit entry holds the counts and the reason, never an erased value.
 */
export async function eraseCustomer(
  deps: AppDeps,
  id: string,
  input: EraseRequest,
  ctx: RequestContext,
): Promise<EraseResult> {
  return deps.db.transaction().execute(async (trx) => {
    const subject = await lockSubject(trx, id);
    if (!subject) throw notFound('Customer');
    if (subject.erased_at) {
      throw new AppError(
        'conflict',
        `This customer was already erased on ${subject.erased_at.toISOString()}`,
      );
    }
    const counts: Record<string, number> = {};
    // first, while the addresses are still there to hash
    counts.blocked_emails = await rememberErasedEmails(trx, id);
    Object.assign(counts, await deleteContacts(trx, id));
    const erasedAt = await anonymiseProfile(trx, id);
    Object.assign(counts, await eraseServiceRecords(trx, id));
    Object.assign(counts, await eraseMail(trx, id));
    counts.mail_jobs = await eraseReminderMail(trx, id, MAIL_JOB);
    Object.assign(counts, await removeGroupings(trx, id));
    Object.assign(counts, await eraseTimeline(trx, id));
    // after the timeline is neutralised: these two events carry no personal data
    await changePreferences(trx, {
      customerId: id,
      patch: { do_not_contact: true },
      source: 'staff',
      changedBy: ctx.actor.id,
    });
    await insertEvent(trx, {
      customer_id: id,
      kind: 'profile_updated',
      actor_id: ctx.actor.id,
      summary: 'Personal data erased on request',
      data: { erased: true },
    });
    await writeAudit(trx, {
      action: 'privacy.erasure',
      ...ctx,
      subject: { type: 'customer', id },
      details: { counts, reason: input.reason ?? null },
    });
    return { customer_id: id, erased_at: erasedAt.toISOString(), counts };
  });
}
