import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { InboundTicketResult, inboundTicketSchema } from '../../../shared/tickets.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { insertEvent } from '../customers/customers.queries.js';
import { applyTicketChanges, recordOpened, statusTimestamps } from './tickets.service.js';
import {
  findCustomerIdByEmail,
  findTicket,
  insertExternalComment,
  insertTicket,
  lockTicketByExternalId,
  deleteDeliveriesBefore,
  recordDelivery,
  slaMinutesOf,
} from './tickets.queries.js';

type InboundInput = z.output<typeof inboundTicketSchema>;

/**
 * Drops the record of deliveries older than a day. A delivery id is only needed while a replay
 * could still pass the timestamp check (WEBHOOK_TOLERANCE_SECONDS in platform/signed-webhook.ts); a day leaves room for clock
 * trouble and for reading what arrived.
 */
export function pruneInboundDeliveries(db: Kysely<DB>, now = new Date()): Promise<number> {
  return deleteDeliveriesBefore(db, new Date(now.getTime() - 24 * 3600_000));
}

/**
 * Creates the ticket of (source, external_id) or updates it (idempotent: the same content again
 * changes nothing, comments already there are not added twice). The delivery id is recorded in
 * the same transaction, so a replay is a 409 and a failed delivery can be retried.
 */
export async function receiveInbound(
  deps: AppDeps,
  deliveryId: string,
  signature: string,
  input: InboundInput,
): Promise<InboundTicketResult> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      // the signature does not cover the delivery id header: the same signed bytes twice are a replay too
      const fresh =
        (await recordDelivery(trx, 'tickets', deliveryId)) &&
        (await recordDelivery(trx, 'tickets:signature', signature));
      if (!fresh) throw new AppError('conflict', `Delivery ${deliveryId} was processed already`);

      const customer = input.customer_email
        ? await findCustomerIdByEmail(trx, input.customer_email)
        : undefined;
      const existing = await lockTicketByExternalId(trx, input.source, input.external_id);
      let ticketId: string;
      let created = false;
      if (existing) {
        ticketId = existing.id;
        await applyTicketChanges(
          trx,
          existing,
          {
            subject: input.subject,
            ...(input.description !== undefined ? { description: input.description } : {}),
            status: input.status,
            priority: input.priority,
            ...(customer && customer.customer_id !== existing.customer_id
              ? { customer_id: customer.customer_id }
              : {}),
          },
          null,
        );
      } else {
        const priority = input.priority ?? 'normal';
        const status = input.status ?? 'open';
        ticketId = await insertTicket(
          trx,
          {
            customer_id: customer?.customer_id ?? null,
            subject: input.subject,
            description: input.description ?? null,
            status,
            priority,
            assignee_id: null,
            created_by: null,
            external_source: input.source,
            external_id: input.external_id,
            ...statusTimestamps('open', status),
          },
          await slaMinutesOf(trx, priority),
        );
        created = true;
        await recordOpened(trx, (await findTicket(trx, ticketId))!, null);
      }

      let added = 0;
      let internalAdded = 0;
      for (const c of input.comments ?? []) {
        const inserted = await insertExternalComment(trx, {
          ticketId,
          externalId: c.external_id ?? null,
          body: c.body,
          visibility: c.visibility,
          author: c.author,
        });
        if (inserted) added += 1;
        if (inserted && c.visibility === 'internal') internalAdded += 1;
      }
      const ticket = (await findTicket(trx, ticketId))!;
      if (added > 0 && ticket.customer_id) {
        await insertEvent(trx, {
          customer_id: ticket.customer_id,
          kind: 'ticket_commented',
          actor_id: null,
          summary: `${added} comment${added === 1 ? '' : 's'} on ticket #${ticket.number} from ${input.source}`,
          data: {
            ticket_id: ticketId,
            number: Number(ticket.number),
            count: added,
            external_source: input.source,
            // flagged when any of the new comments is internal
            internal: internalAdded > 0,
            internal_count: internalAdded,
          },
        });
      }
      return { id: ticketId, created, comments_added: added };
    });
  } catch (err) {
    // two deliveries creating the same external ticket at once: the loser is rolled back whole
    if (isUniqueViolation(err, 'tickets_external_source_external_id_key')) {
      throw new AppError('conflict', 'This ticket is being created by another delivery; retry it');
    }
    throw err;
  }
}
