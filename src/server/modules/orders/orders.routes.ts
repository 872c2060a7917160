import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  orderCreateSchema,
  orderListQuerySchema,
  orderListSchema,
  orderPatchSchema,
  orderSchema,
  productCreateSchema,
  productListQuerySchema,
  productListSchema,
  productSchema,
} from '../../../shared/orders.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { createOrder, getOrder, listOrders, updateOrderStatus } from './orders.service.js';
import { createProduct, listProducts } from './products.service.js';

const idParams = z.object({ id: z.uuid('Order ids are UUIDs') });

export function orderRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/orders',
    {
      config: { access: 'orders:write' },
      schema: {
        tags: ['orders'],
        summary: 'Record an order (idempotent on external_id: a repeat answers 200 with the stored order)',
        body: orderCreateSchema,
        response: { 200: orderSchema, 201: orderSchema },
      },
    },
    async (request, reply) => {
      const { order, created } = await createOrder(deps, principalOf(request), request.body);
      return reply.code(created ? 201 : 200).send(order);
    },
  );

  r.get(
    '/api/orders',
    {
      config: { access: 'orders:read' },
      schema: {
        tags: ['orders'],
        summary: 'Orders, newest first',
        querystring: orderListQuerySchema,
        response: { 200: orderListSchema },
      },
    },
    async (request) => listOrders(deps, request.query),
  );

  r.get(
    '/api/orders/:id',
    {
      config: { access: 'orders:read' },
      schema: {
        tags: ['orders'],
        summary: 'One order with its items',
        params: idParams,
        response: { 200: orderSchema },
      },
    },
    async (request) => getOrder(deps.db, request.params.id),
  );

  r.patch(
    '/api/orders/:id',
    {
      config: { access: 'orders:write' },
      schema: {
        tags: ['orders'],
        summary: 'Change an order’s status (metrics follow)',
        params: idParams,
        body: orderPatchSchema,
        response: { 200: orderSchema },
      },
    },
    async (request) => updateOrderStatus(deps, principalOf(request), request.params.id, request.body),
  );

  r.get(
    '/api/products',
    {
      config: { access: 'products:read' },
      schema: {
        tags: ['orders'],
        summary: 'Products by SKU',
        querystring: productListQuerySchema,
        response: { 200: productListSchema },
      },
    },
    async (request) => listProducts(deps, request.query),
  );

  r.post(
    '/api/products',
    {
      config: { access: 'products:write' },
      schema: {
        tags: ['orders'],
        summary: 'Create a product',
        body: productCreateSchema,
        response: { 201: productSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createProduct(deps, request.body)),
  );
}
