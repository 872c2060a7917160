import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recommendationsSchema } from '../../../shared/analytics.js';
import { problemSchema } from '../../../shared/problem.js';
import type { AppDeps } from '../../platform/deps.js';
import { customerRecommendations } from './recommendations.service.js';

const idParams = z.object({ id: z.uuid('Customer ids are UUIDs') });

export function recommendationRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/customers/:id/recommendations',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['customers', 'analytics'],
        summary: 'Products to offer a customer next, each with its kind, score and reason',
        description:
          'Up to 10 products in none of their orders: cross-sells from the product affinity rules of what ' +
          'they bought (score = confidence), upsells to higher-priced products in their top categories by ' +
          "spend (score = the product's share of the category's orders), then the shop's most ordered " +
          'products (score = share of all orders).',
        params: idParams,
        response: { 200: recommendationsSchema, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => customerRecommendations(deps, request.params.id),
  );
}
