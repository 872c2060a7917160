import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { clvFitReplySchema, clvFitRequestSchema, clvModelSchema } from '../../../shared/analytics.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { currentModel, requestFit } from './clv.service.js';

const tags = ['analytics'];

export function clvRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/crm/analytics/clv/fit',
    {
      config: { access: 'analytics:manage' },
      schema: {
        tags,
        summary: 'Refit the customer-value model (BG/NBD + Gamma-Gamma) and rescore every customer',
        description:
          'Fits on kept orders up to `calibration_end` (default: 26 weeks before the last order day, when the ' +
          'history is long enough), checks the fit on the days after it, then scores every buyer. A shop with up ' +
          'to 50,000 buyers gets the model at once (200); a larger one gets a job to follow (202).',
        body: clvFitRequestSchema,
        response: { 200: clvFitReplySchema, 202: clvFitReplySchema },
      },
    },
    async (request, reply) => {
      const result = await requestFit(deps, principalOf(request).staffId, request.body);
      return reply.code(result.status === 'fitted' ? 200 : 202).send(result);
    },
  );

  r.get(
    '/api/crm/analytics/clv/model',
    {
      config: { access: 'analytics:read' },
      schema: {
        tags,
        summary: 'The customer-value model in use: parameters, log-likelihoods, windows and holdout check',
        response: { 200: clvModelSchema },
      },
    },
    async () => currentModel(deps.db),
  );
}
