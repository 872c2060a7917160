import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  activityQuerySchema,
  activitySchema,
  customerCountSchema,
  customerCreateSchema,
  customerListQuerySchema,
  customerListSchema,
  customerSchema,
  customerUpdateSchema,
  timelineQuerySchema,
  timelineSchema,
} from '../../../shared/customers.js';
import { orderListSchema } from '../../../shared/orders.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { listOrders } from '../orders/orders.service.js';
import {
  assertCustomerExists,
  countMatchingCustomers,
  createCustomer,
  customerTimeline,
  getCustomer,
  listCustomers,
  teamActivity,
  updateCustomer,
} from './customers.service.js';

const idParams = z.object({ id: z.uuid('Customer ids are UUIDs') });
const tags = ['customers'];

export function customerRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/customers',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'List customers: search, filters, sort and keyset pagination',
        querystring: customerListQuerySchema,
        response: { 200: customerListSchema },
      },
    },
    async (request) => listCustomers(deps, principalOf(request), request.query),
  );

  r.get(
    '/api/crm/customers/count',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'The exact number of customers matching the list filters (when the list says "10,000+")',
        querystring: customerListQuerySchema,
        response: { 200: customerCountSchema },
      },
    },
    async (request) => countMatchingCustomers(deps, principalOf(request), request.query),
  );

  r.post(
    '/api/crm/customers',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Create a customer',
        body: customerCreateSchema,
        response: { 201: customerSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCustomer(deps, principalOf(request), request.body)),
  );

  r.get(
    '/api/crm/customers/:id',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'A customer’s full profile',
        params: idParams,
        response: { 200: customerSchema },
      },
    },
    async (request) => getCustomer(deps.db, principalOf(request), request.params.id),
  );

  r.put(
    '/api/crm/customers/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Update a customer (version-checked: 409 with the current record when stale)',
        params: idParams,
        body: customerUpdateSchema,
        response: { 200: customerSchema },
      },
    },
    async (request) => updateCustomer(deps, principalOf(request), request.params.id, request.body),
  );

  r.get(
    '/api/crm/customers/:id/orders',
    {
      config: { access: 'orders:read' },
      schema: {
        tags,
        summary: 'A customer’s orders with items, newest first',
        params: idParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(20),
          cursor: z.string().max(500).optional(),
        }),
        response: { 200: orderListSchema },
      },
    },
    async (request) => {
      await assertCustomerExists(deps.db, request.params.id);
      return listOrders(deps, { ...request.query, customer_id: request.params.id });
    },
  );

  r.get(
    '/api/crm/customers/:id/timeline',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'A customer’s activity, newest first',
        params: idParams,
        querystring: timelineQuerySchema,
        response: { 200: timelineSchema },
      },
    },
    async (request) => customerTimeline(deps, principalOf(request), request.params.id, request.query),
  );

  r.get(
    '/api/crm/activity',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'The team activity feed: what staff did, across customers, newest first',
        description: '`actor_id` (a staff id or `me`) and `kind` filter it; pages by cursor.',
        querystring: activityQuerySchema,
        response: { 200: activitySchema },
      },
    },
    async (request) => teamActivity(deps, principalOf(request), request.query),
  );
}
