import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataSubjectExportSchema, eraseRequestSchema, eraseResultSchema } from '../../../shared/privacy.js';
import { problemSchema } from '../../../shared/problem.js';
import { auditContext } from '../../platform/audit.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { eraseCustomer, exportSubjectData } from './privacy.service.js';

const idParams = z.object({ id: z.uuid('Customer ids are UUIDs') });
const tags = ['privacy'];

/** Data-subject requests (GDPR articles 15 and 17): access to everything held, and erasure. */
export function privacyRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/customers/:id/data-export',
    {
      config: { access: 'privacy:manage' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'Everything held about one person, as a JSON download (audited)',
        description:
          'The profile with every column and each kind of record about them (contacts, orders with ' +
          'items, notes with revisions, interactions, tickets with comments, tasks, emails with ' +
          'events and links, preferences and their history, tags, segments, stages, timeline), ' +
          'unmasked. Every request is written to the audit log with the requester and address.',
        params: idParams,
        response: { 200: dataSubjectExportSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const body = await exportSubjectData(
        deps,
        request.params.id,
        auditContext(request, principalOf(request)),
      );
      return reply
        .header('content-disposition', `attachment; filename="customer-${request.params.id}.json"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  r.post(
    '/api/crm/customers/:id/erase',
    {
      config: { access: 'privacy:manage' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'Erase a person’s data: anonymise them everywhere, keep orders for accounting',
        description:
          'Cannot be undone: `confirm` must be `ERASE`. One transaction: names, contacts, note, ' +
          'interaction, ticket, task and email text are removed or replaced, the timeline keeps ' +
          'neutral entries, tags and hand-picked segments are removed, do-not-contact is set and ' +
          'their emails can no longer create a customer. Orders, amounts and metrics stay. ' +
          'A customer already erased is a 409.',
        params: idParams,
        body: eraseRequestSchema,
        response: { 200: eraseResultSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request) =>
      eraseCustomer(deps, request.params.id, request.body, auditContext(request, principalOf(request))),
  );
}
