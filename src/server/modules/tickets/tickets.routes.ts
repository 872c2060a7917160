import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../../shared/problem.js';
import {
  inboundTicketResultSchema,
  inboundTicketSchema,
  slaPolicyListSchema,
  slaPolicyUpdateSchema,
  ticketCommentCreateSchema,
  ticketCommentSchema,
  ticketCreateSchema,
  ticketDetailSchema,
  ticketListQuerySchema,
  ticketListSchema,
  ticketUpdateSchema,
} from '../../../shared/tickets.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { badInput } from '../../platform/errors.js';
import { signedWebhook } from '../../platform/signed-webhook.js';
import { receiveInbound } from './tickets-inbound.service.js';
import {
  addComment,
  createTicket,
  getTicket,
  listSlaPolicies,
  listTickets,
  updateSlaPolicies,
  updateTicket,
} from './tickets.service.js';

const ticketParams = z.object({ id: z.uuid('Ticket ids are UUIDs') });
const tags = ['tickets'];

/** Enough for a ticket with hundreds of comments; the body is held in memory to be verified. */
const INBOUND_BODY_LIMIT = 2 * 1024 * 1024;

const header = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

export function ticketRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signed = signedWebhook({
    secret: () => deps.config.ticketsInboundSecret,
    bodyLimit: INBOUND_BODY_LIMIT,
    what: 'inbound tickets',
  });

  r.get(
    '/api/crm/tickets',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'The ticket queue: filtered, sorted by SLA due time or creation, paged by cursor',
        description:
          '`counts` are per status (and breached) under the filters other than status and breached, ' +
          'for the queue’s tabs. `assignee_id` takes a staff id, `me` or `none`.',
        querystring: ticketListQuerySchema,
        response: { 200: ticketListSchema },
      },
    },
    async (request) => listTickets(deps, principalOf(request), request.query),
  );

  r.post(
    '/api/crm/tickets',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Open a ticket; it is due after its priority’s resolution time',
        body: ticketCreateSchema,
        response: { 201: ticketDetailSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createTicket(deps, principalOf(request), request.body)),
  );

  r.get(
    '/api/crm/tickets/sla-policies',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'First-response and resolution times per priority, in minutes',
        response: { 200: slaPolicyListSchema },
      },
    },
    async () => listSlaPolicies(deps.db),
  );

  r.put(
    '/api/crm/tickets/sla-policies',
    {
      config: { access: 'settings:manage' },
      schema: {
        tags,
        summary: 'Change SLA policies (new and re-prioritised tickets use them; others keep their due time)',
        body: slaPolicyUpdateSchema,
        response: { 200: slaPolicyListSchema },
      },
    },
    async (request) => updateSlaPolicies(deps, request.body),
  );

  r.post(
    '/api/crm/tickets/inbound',
    {
      // no staff credentials: an external help desk proves itself with the HMAC signature
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Create or update a ticket from an external help desk (signed; idempotent)',
        description:
          'Headers: `x-crm-delivery` (unique per delivery; a repeat is 409), `x-crm-timestamp` (unix ' +
          'seconds, within 5 minutes) and `x-crm-signature` = `v1=` + hex HMAC-SHA256 of ' +
          '`<timestamp>.<raw body>` with TICKETS_INBOUND_SECRET. The ticket is found by ' +
          '(source, external_id); the customer is linked by email when one has it.',
        security: [],
        body: inboundTicketSchema,
        response: {
          200: inboundTicketResultSchema,
          201: inboundTicketResultSchema,
          401: problemSchema,
          409: problemSchema,
          503: problemSchema,
        },
      },
      bodyLimit: signed.bodyLimit,
      onRequest: signed.onRequest,
      preParsing: signed.preParsing,
      // before the body is validated: an unsigned request learns nothing about the schema
      preValidation: async (request) => {
        await signed.preValidation(request);
        const delivery = header(request, 'x-crm-delivery');
        if (!delivery || delivery.length > 200) {
          throw badInput('x-crm-delivery', 'Give a unique delivery id (at most 200 characters)');
        }
      },
    },
    async (request, reply) => {
      const result = await receiveInbound(
        deps,
        header(request, 'x-crm-delivery')!,
        header(request, 'x-crm-signature')!,
        request.body,
      );
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  r.get(
    '/api/crm/tickets/:id',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'One ticket with its comments, customer and assignee',
        params: ticketParams,
        response: { 200: ticketDetailSchema },
      },
    },
    async (request) => getTicket(deps.db, request.params.id),
  );

  r.put(
    '/api/crm/tickets/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Edit a ticket (409 with `current` on a stale version)',
        description:
          'A new priority recomputes the due time from the creation time; resolving or closing ' +
          'stamps resolved_at / closed_at, reopening clears them; a new assignee is notified.',
        params: ticketParams,
        body: ticketUpdateSchema,
        response: { 200: ticketDetailSchema },
      },
    },
    async (request) => updateTicket(deps, principalOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/crm/tickets/:id/comments',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'A public reply or an internal comment (the first public reply is the first response)',
        params: ticketParams,
        body: ticketCommentCreateSchema,
        response: { 201: ticketCommentSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addComment(deps, principalOf(request), request.params.id, request.body)),
  );
}
