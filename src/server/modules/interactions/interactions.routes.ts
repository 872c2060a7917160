import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  interactionCreateSchema,
  interactionListQuerySchema,
  interactionListSchema,
  interactionSchema,
  interactionUpdateSchema,
} from '../../../shared/interactions.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  createInteraction,
  deleteInteraction,
  getInteraction,
  listInteractions,
  updateInteraction,
} from './interactions.service.js';

const interactionParams = z.object({ id: z.uuid('Interaction ids are UUIDs') });
const customerParams = z.object({ id: z.uuid('Customer ids are UUIDs') });
const tags = ['interactions'];

/** The interactions log (emails, calls, chats, meetings, order conversations); from noteRoutes. */
export function interactionRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/customers/:id/interactions',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'A customer’s interactions, newest first by when they happened (keyset paging)',
        params: customerParams,
        querystring: interactionListQuerySchema,
        response: { 200: interactionListSchema },
      },
    },
    async (request) => listInteractions(deps, request.params.id, request.query),
  );

  r.post(
    '/api/crm/customers/:id/interactions',
    {
      config: { access: 'customers:write' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'Log an interaction; a follow-up date creates a task for you',
        params: customerParams,
        body: interactionCreateSchema,
        response: { 201: interactionSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createInteraction(deps, principalOf(request), request.params.id, request.body)),
  );

  r.get(
    '/api/crm/interactions/:id',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'One interaction',
        params: interactionParams,
        response: { 200: interactionSchema },
      },
    },
    async (request) => getInteraction(deps.db, request.params.id),
  );

  r.put(
    '/api/crm/interactions/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Edit an interaction: its author or an administrator (409 with `current` when stale)',
        description: 'A follow-up date set where there was none creates a task; null clears the date.',
        params: interactionParams,
        body: interactionUpdateSchema,
        response: { 200: interactionSchema },
      },
    },
    async (request) => updateInteraction(deps, principalOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/crm/interactions/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Delete an interaction (its author or an administrator); returns what was deleted',
        params: interactionParams,
        response: { 200: interactionSchema },
      },
    },
    async (request) => deleteInteraction(deps, principalOf(request), request.params.id),
  );
}
