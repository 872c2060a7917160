import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { affinityQuerySchema, affinitySchema } from '../../../shared/analytics.js';
import { jobAcceptedSchema } from '../../../shared/jobs.js';
import { problemSchema } from '../../../shared/problem.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { AFFINITY_MIN_ORDERS, productAffinity, startAffinityRecompute } from './affinity.service.js';
import { recommendationRoutes } from './recommendations.routes.js';

const tags = ['analytics'];

/** Cross-sell: the product affinity endpoints and, built on them, per-customer recommendations. */
export function affinityRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  recommendationRoutes(app, deps);

  r.get(
    '/api/crm/analytics/products/affinity',
    {
      config: { access: 'analytics:read' },
      schema: {
        tags,
        summary:
          'Products bought together: "bought A, also bought B" rules with support, confidence and lift',
        description:
          'Counted over kept orders (paid, fulfilled), each order one basket: support = orders with both / ' +
          'all baskets, confidence = orders with both / orders with A, lift = confidence / support of B. ' +
          `Only pairs bought together in at least ${AFFINITY_MIN_ORDERS} orders. Recomputed nightly and on ` +
          'demand; until the first recompute `computed_at` is null and there are no rules (a shop with ' +
          'few orders is counted on first read). `product_id` keeps the rules of that product (as A).',
        querystring: affinityQuerySchema,
        response: { 200: affinitySchema, 400: problemSchema },
      },
    },
    async (request) => productAffinity(deps, request.query),
  );

  r.post(
    '/api/crm/analytics/products/affinity/recompute',
    {
      config: { access: 'analytics:manage' },
      schema: {
        tags,
        summary: 'Recompute product affinity now, in the background',
        description:
          'Answers 202 with the job; follow `status_url`. Its result is the run (orders, rules, duration).',
        response: { 202: jobAcceptedSchema },
      },
    },
    async (request, reply) => reply.code(202).send(await startAffinityRecompute(deps, principalOf(request))),
  );
}
