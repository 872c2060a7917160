import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobSchema } from '../../../shared/jobs.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import { findJob } from '../../platform/jobs.js';

export function jobRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/jobs/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['jobs'],
        summary: 'Follow a background job: status, progress and result',
        description: 'Only the staff user who started the job (or an administrator) sees it.',
        params: z.object({ id: z.uuid('Job ids are UUIDs') }),
        response: { 200: jobSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const job = await findJob(deps.db, request.params.id);
      // someone else's job is reported as missing, so ids cannot be probed
      if (!job || (job.created_by !== principal.staffId && principal.role !== 'admin')) throw notFound('Job');
      const { created_by: _createdBy, ...rest } = job;
      return rest;
    },
  );
}
