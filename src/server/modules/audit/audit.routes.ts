import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditListSchema, auditQuerySchema } from '../../../shared/audit.js';
import type { AppDeps } from '../../platform/deps.js';
import { listAudit } from './audit.service.js';

/** The audit log, read-only: entries are written by the actions they record (platform/audit.ts). */
export function auditRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first: sign-ins, staff changes, exports, privacy requests',
        description:
          '`action` takes one or more actions, comma-separated; `from` is inclusive and `to` exclusive. ' +
          'Paged with `limit` and `cursor`. The log is append-only: the database refuses changes.',
        querystring: auditQuerySchema,
        response: { 200: auditListSchema },
      },
    },
    async (request) => listAudit(deps, request.query),
  );
}
