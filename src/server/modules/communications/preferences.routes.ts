import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  communicationPreferencesSchemaResponse,
  communicationPreferencesUpdateSchema,
} from '../../../shared/communications.js';
import { problemSchema } from '../../../shared/problem.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { getPreferences, updatePreferences } from './preferences.service.js';

const idParams = z.object({ id: z.uuid('Customer ids are UUIDs') });
const tags = ['communications'];

export function communicationPreferenceRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/customers/:id/communication-preferences',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'A customer’s communication preferences per channel, with the history of changes',
        description:
          'Unset preferences are allowed (tracking on); `version` is the customer’s, for the next PUT; ' +
          'history is newest first, at most 50 changes.',
        params: idParams,
        response: { 200: communicationPreferencesSchemaResponse, 404: problemSchema },
      },
    },
    async (request) => getPreferences(deps, request.params.id),
  );

  r.put(
    '/api/crm/customers/:id/communication-preferences',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Change communication preferences (version-checked; 409 with `current` when stale)',
        description:
          'Only the given fields change. A real change bumps the customer’s version and is kept in ' +
          'the history and on the timeline; a change to nothing writes nothing.',
        params: idParams,
        body: communicationPreferencesUpdateSchema,
        response: {
          200: communicationPreferencesSchemaResponse,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request) => updatePreferences(deps, principalOf(request), request.params.id, request.body),
  );
}
