import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerInsightsSchema } from '../../../shared/analytics.js';
import { problemSchema } from '../../../shared/problem.js';
import type { AppDeps } from '../../platform/deps.js';
import { customerInsights } from './customer-insights.service.js';

const idParams = z.object({ id: z.uuid('Customer ids are UUIDs') });

export function customerInsightsRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/customers/:id/insights',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['customers', 'analytics'],
        summary:
          'A customer’s order patterns (intervals, next expected order, favourites, weekdays, months, spend trend) and predicted value and churn risk with reasons',
        params: idParams,
        response: { 200: customerInsightsSchema, 404: problemSchema },
      },
    },
    async (request) => customerInsights(deps.db, request.params.id),
  );
}
