import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { bulkRequestSchema, bulkResultSchema } from '../../../shared/bulk.js';
import { jobAcceptedSchema } from '../../../shared/jobs.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { startBulkAction } from './customers-bulk.service.js';

export function customerBulkRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/crm/customers/bulk',
    {
      config: { access: 'customers:write' },
      schema: {
        tags: ['customers'],
        summary: 'Apply one action to many customers (tags, manual segment, status, owner)',
        description:
          "The selection is `ids`, `criteria`, `segment_id` or the customer list's `filter`. Up to " +
          '1,000 customers apply at once (200); more run as a background job (202, follow ' +
          '`status_url`). Either way the whole selection changes or none of it does. Adding names ' +
          'that are not tags yet creates them (needs tags:manage); segment actions need segments:manage.',
        body: bulkRequestSchema,
        response: { 200: bulkResultSchema, 202: jobAcceptedSchema },
      },
    },
    async (request, reply) => {
      const started = await startBulkAction(deps, principalOf(request), request.body);
      if (started.accepted) return reply.code(202).send(started.reply);
      return started.result;
    },
  );
}
