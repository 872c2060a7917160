import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { rfmOverviewSchema, rfmRunSchema } from '../../../shared/rfm.js';
import type { AppDeps } from '../../platform/deps.js';
import { rescoreRfm, rfmOverview } from './rfm.service.js';

const tags = ['analytics'];

export function rfmRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/analytics/rfm',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'RFM groups with their customers and revenue, the recency × frequency grid, the last run',
        response: { 200: rfmOverviewSchema },
      },
    },
    async () => rfmOverview(deps),
  );

  r.post(
    '/api/crm/analytics/rfm/rescore',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Rescore recency, frequency and monetary quintiles and groups for every customer now',
        response: { 200: rfmRunSchema },
      },
    },
    async () => rescoreRfm(deps),
  );
}
