import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  SlaPolicyList,
  Ticket,
  TicketComment,
  TicketDetail,
  TicketList,
  TicketPriority,
  TicketStatus,
  slaPolicyUpdateSchema,
  ticketCommentCreateSchema,
  ticketCreateSchema,
  ticketListQuerySchema,
  ticketUpdateSchema,
} from '../../../shared/tickets.js';
import type { DB } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { insertEvent } from '../customers/customers.queries.js';
import { notify, notifyMentions } from '../notifications/notifications.service.js';
import {
  type CommentRow,
  type TicketChanges,
  type TicketRow,
  countTickets,
  findActiveStaff,
  findComments,
  findSlaPolicies,
  findTicket,
  findTicketPage,
  insertComment,
  insertTicket,
  lockTicket,
  markFirstResponse,
  slaMinutesOf,
  updateTicketRow,
  upsertSlaPolicy,
} from './tickets.queries.js';
import { lockCustomerRef } from '../customers/customer-refs.service.js';

type ListQuery = z.output<typeof ticketListQuerySchema>;
type CreateInput = z.output<typeof ticketCreateSchema>;
type UpdateInput = z.output<typeof ticketUpdateSchema>;
type CommentInput = z.output<typeof ticketCommentCreateSchema>;
type SlaInput = z.output<typeof slaPolicyUpdateSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    description: row.description,
    status: row.status,
    priority: row.priority,
    customer: row.customer_id ? { id: row.customer_id, name: row.customer_name } : null,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name } : null,
    sla_due_at: row.sla_due_at.toISOString(),
    first_response_due_at: row.first_response_due_at.toISOString(),
    breached: row.breach !== null,
    breach: row.breach,
    first_response_at: iso(row.first_response_at),
    resolved_at: iso(row.resolved_at),
    closed_at: iso(row.closed_at),
    external_source: row.external_source,
    external_id: row.external_id,
    created_by: row.created_by,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function toComment(row: CommentRow): TicketComment {
  return {
    id: row.id,
    body: row.body,
    visibility: row.visibility,
    author: row.author_id ? { id: row.author_id, name: row.author_name } : null,
    external_author: row.external_author,
    created_at: row.created_at.toISOString(),
  };
}

export async function getTicket(db: Kysely<DB>, id: string): Promise<TicketDetail> {
  const row = await findTicket(db, id);
  if (!row) throw notFound('Ticket');
  const comments = await findComments(db, id);
  return { ...toTicket(row), comments: comments.map(toComment) };
}

export async function listTickets(deps: AppDeps, principal: Principal, q: ListQuery): Promise<TicketList> {
  const filter = {
    status: q.status,
    priority: q.priority,
    assigneeId: q.assignee_id === 'me' ? principal.staffId : q.assignee_id === 'none' ? null : q.assignee_id,
    customerId: q.customer_id,
    breached: q.breached,
  };
  const sortKey = `${q.sort}:${q.order}`;
  const cursor = decodeCursor(q.cursor, sortKey);
  const [rows, counts] = await Promise.all([
    findTicketPage(deps.db, filter, { field: q.sort, order: q.order }, q.limit, cursor),
    countTickets(deps.db, filter),
  ]);
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map(toTicket),
    next_cursor:
      hasMore && last
        ? encodeCursor({
            s: sortKey,
            v: q.sort === 'sla_due_at' ? last.sla_key : last.created_key,
            id: last.id,
          })
        : null,
    counts,
  };
}

/** The assignee's display name; a 400 naming assignee_id when there is no such active staff user. */
async function checkAssignee(trx: Kysely<DB>, id: string): Promise<string> {
  const staff = await findActiveStaff(trx, id);
  if (!staff) throw badInput('assignee_id', 'No active staff user has this id');
  return staff.name ?? staff.email;
}

async function notifyAssignee(
  trx: Kysely<DB>,
  ticket: { id: string; number: number; subject: string; customer_id: string | null },
  assigneeId: string,
  actorId: string | null,
) {
  await notify(trx, {
    recipientIds: [assigneeId],
    kind: 'ticket_assigned',
    title: `Ticket #${ticket.number} was assigned to you`,
    body: ticket.subject,
    link: `/tickets/${ticket.id}`,
    customerId: ticket.customer_id,
    actorId,
    data: { ticket_id: ticket.id, number: ticket.number },
  });
}

export async function createTicket(
  deps: AppDeps,
  principal: Principal,
  input: CreateInput,
): Promise<TicketDetail> {
  const id = await deps.db.transaction().execute(async (trx) => {
    if (input.customer_id && !(await lockCustomerRef(trx, input.customer_id))) {
      throw badInput('customer_id', 'No customer has this id');
    }
    if (input.assignee_id) await checkAssignee(trx, input.assignee_id);
    const id = await insertTicket(
      trx,
      {
        customer_id: input.customer_id ?? null,
        subject: input.subject,
        description: input.description ?? null,
        priority: input.priority,
        assignee_id: input.assignee_id ?? null,
        created_by: principal.staffId,
      },
      await slaMinutesOf(trx, input.priority),
    );
    const row = (await findTicket(trx, id))!;
    await recordOpened(trx, row, principal.staffId);
    if (row.assignee_id) await notifyAssignee(trx, toNumbered(row), row.assignee_id, principal.staffId);
    return id;
  });
  return getTicket(deps.db, id);
}

const toNumbered = (row: TicketRow) => ({
  id: row.id,
  number: Number(row.number),
  subject: row.subject,
  customer_id: row.customer_id,
});

/** `ticket_opened` on the customer's timeline (tickets without a customer have none). */
export async function recordOpened(trx: Kysely<DB>, row: TicketRow, actorId: string | null) {
  if (!row.customer_id) return;
  await insertEvent(trx, {
    customer_id: row.customer_id,
    kind: 'ticket_opened',
    actor_id: actorId,
    summary: `Ticket #${row.number} opened: ${row.subject}`,
    data: {
      ticket_id: row.id,
      number: Number(row.number),
      subject: row.subject,
      priority: row.priority,
      status: row.status,
      ...(row.external_source ? { external_source: row.external_source } : {}),
    },
  });
}

/** The timestamps a status change sets: done states stamp theirs, reopening clears both. */
export function statusTimestamps(
  before: TicketStatus,
  after: TicketStatus,
): Pick<TicketChanges, 'resolved_at' | 'closed_at'> {
  if (before === after) return {};
  const now = new Date();
  if (after === 'resolved') return { resolved_at: now, closed_at: null };
  if (after === 'closed') return { closed_at: now };
  return { resolved_at: null, closed_at: null };
}

type Change = { before: string | null; after: string | null };

/**
 * Applies a change to a locked ticket: SLA recomputed from created_at on a new priority, status
 * timestamps, a `ticket_updated` event with before and after (status, priority, assignee), and a
 * notification for a new assignee. Returns whether anything changed.
 */
export async function applyTicketChanges(
  trx: Kysely<DB>,
  current: TicketRow,
  input: {
    subject?: string | undefined;
    description?: string | null | undefined;
    status?: TicketStatus | undefined;
    priority?: TicketPriority | undefined;
    assignee_id?: string | null | undefined;
    customer_id?: string | null | undefined;
  },
  actorId: string | null,
): Promise<boolean> {
  const changes: TicketChanges = {};
  const tracked: Record<string, Change> = {};
  if (input.subject !== undefined && input.subject !== current.subject) changes.subject = input.subject;
  if (input.description !== undefined && input.description !== current.description) {
    changes.description = input.description;
  }
  if (input.customer_id !== undefined && input.customer_id !== current.customer_id) {
    changes.customer_id = input.customer_id;
  }
  if (input.status !== undefined && input.status !== current.status) {
    changes.status = input.status;
    Object.assign(changes, statusTimestamps(current.status, input.status));
    tracked.status = { before: current.status, after: input.status };
  }
  if (input.priority !== undefined && input.priority !== current.priority) {
    changes.priority = input.priority;
    changes.sla = await slaMinutesOf(trx, input.priority);
    tracked.priority = { before: current.priority, after: input.priority };
  }
  const names: Record<string, Change> = {};
  if (input.assignee_id !== undefined && input.assignee_id !== current.assignee_id) {
    const name = input.assignee_id ? await checkAssignee(trx, input.assignee_id) : null;
    changes.assignee_id = input.assignee_id;
    tracked.assignee = { before: current.assignee_id, after: input.assignee_id };
    names.assignee = { before: current.assignee_name, after: name };
  }
  if (Object.keys(changes).length === 0) return false;
  await updateTicketRow(trx, current.id, changes);
  const number = Number(current.number);
  const customerId = changes.customer_id !== undefined ? changes.customer_id : current.customer_id;
  if (customerId && Object.keys(tracked).length > 0) {
    const parts = Object.entries(tracked).map(([k, c]) => {
      const shown = names[k] ?? c;
      return `${k} ${shown.before ?? 'none'} → ${shown.after ?? 'none'}`;
    });
    await insertEvent(trx, {
      customer_id: customerId,
      kind: 'ticket_updated',
      actor_id: actorId,
      summary: `Ticket #${number}: ${parts.join(', ')}`,
      data: {
        ticket_id: current.id,
        number,
        subject: changes.subject ?? current.subject,
        changes: tracked,
        ...(names.assignee ? { assignee_names: names.assignee } : {}),
      },
    });
  }
  if (changes.assignee_id) {
    await notifyAssignee(
      trx,
      { id: current.id, number, subject: changes.subject ?? current.subject, customer_id: customerId },
      changes.assignee_id,
      actorId,
    );
  }
  return true;
}

export function versionConflict(current: TicketRow) {
  return new AppError(
    'version_conflict',
    `This ticket was changed by someone else (now version ${current.version})`,
    {
      current: toTicket(current),
      errors: [{ field: 'version', message: `Expected ${current.version}` }],
    },
  );
}

export async function updateTicket(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: UpdateInput,
): Promise<TicketDetail> {
  await deps.db.transaction().execute(async (trx) => {
    const current = await lockTicket(trx, id);
    if (!current) throw notFound('Ticket');
    if (current.version !== input.version) throw versionConflict(current);
    const { version: _version, ...changes } = input;
    await applyTicketChanges(trx, current, changes, principal.staffId);
  });
  return getTicket(deps.db, id);
}

/** A public reply or an internal comment; the first public reply by staff is the first response. */
export async function addComment(
  deps: AppDeps,
  principal: Principal,
  ticketId: string,
  input: CommentInput,
): Promise<TicketComment> {
  return deps.db.transaction().execute(async (trx) => {
    const ticket = await lockTicket(trx, ticketId);
    if (!ticket) throw notFound('Ticket');
    const id = await insertComment(trx, {
      ticket_id: ticketId,
      body: input.body,
      visibility: input.visibility,
      author_id: principal.staffId,
    });
    if (input.visibility === 'public') await markFirstResponse(trx, ticketId);
    const number = Number(ticket.number);
    if (ticket.customer_id) {
      await insertEvent(trx, {
        customer_id: ticket.customer_id,
        kind: 'ticket_commented',
        actor_id: principal.staffId,
        summary:
          input.visibility === 'internal'
            ? `Internal comment on ticket #${number}`
            : `Replied on ticket #${number}`,
        data: {
          ticket_id: ticketId,
          number,
          comment_id: id,
          visibility: input.visibility,
          internal: input.visibility === 'internal',
        },
      });
    }
    await notifyMentions(trx, {
      markdown: input.body,
      actorId: principal.staffId,
      title: `${principal.name ?? principal.email} mentioned you on ticket #${number}`,
      link: `/tickets/${ticketId}`,
      customerId: ticket.customer_id,
      data: { ticket_id: ticketId, number, comment_id: id },
    });
    const comment = (await findComments(trx, ticketId)).find((c) => c.id === id)!;
    return toComment(comment);
  });
}

export async function listSlaPolicies(db: Kysely<DB>): Promise<SlaPolicyList> {
  return { data: await findSlaPolicies(db) };
}

/** Changes the given priorities' policies; open tickets keep the due time they were given. */
export async function updateSlaPolicies(deps: AppDeps, input: SlaInput): Promise<SlaPolicyList> {
  await deps.db.transaction().execute(async (trx) => {
    for (const p of input.data) await upsertSlaPolicy(trx, p);
  });
  return listSlaPolicies(deps.db);
}
