import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { criteriaFieldsResponseSchema } from '../../../shared/criteria/index.js';
import type { AppDeps } from '../../platform/deps.js';
import { listCriteriaFields } from './criteria.service.js';

export function criteriaRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/criteria/fields',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['customers'],
        summary: 'Fields of the criteria language: types, operators and allowed values (drives the builder)',
        response: { 200: criteriaFieldsResponseSchema },
      },
    },
    async () => listCriteriaFields(deps),
  );
}
