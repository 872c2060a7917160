import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { threadListQuerySchema, threadListSchema } from '../../../shared/communications.js';
import { problemSchema } from '../../../shared/problem.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { listThreads } from './threads.service.js';

const customerParams = z.object({ customerId: z.uuid('Customer ids are UUIDs') });

export function communicationThreadRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/communications/:customerId',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['communications'],
        summary: 'A customer’s emails, in and out, threaded; newest thread first, paged by cursor',
        description:
          'Threads follow Message-ID, In-Reply-To, References and the reply address. Messages are ' +
          'oldest first with their events. Addresses are masked without customers:pii. `outbox` ' +
          'is true when no SMTP is configured (mail is written to a folder, not delivered).',
        params: customerParams,
        querystring: threadListQuerySchema,
        response: { 200: threadListSchema, 404: problemSchema },
      },
    },
    async (request) => listThreads(deps, principalOf(request), request.params.customerId, request.query),
  );
}
