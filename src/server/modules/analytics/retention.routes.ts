import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  churnQuerySchema,
  churnSchema,
  cohortsQuerySchema,
  cohortsSchema,
  overviewQuerySchema,
  overviewSchema,
} from '../../../shared/analytics.js';
import { problemSchema } from '../../../shared/problem.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { can } from '../../platform/principal.js';
import { retentionChurn, retentionCohorts, retentionOverview } from './retention.service.js';

const tags = ['analytics'];

export function retentionRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/analytics/cohorts',
    {
      config: { access: 'analytics:read' },
      schema: {
        tags,
        summary:
          'Monthly acquisition cohorts (month of the first kept order): size, revenue to date, share ordering in each later month, repeat rate',
        querystring: cohortsQuerySchema,
        response: { 200: cohortsSchema, 400: problemSchema },
      },
    },
    async (request) => retentionCohorts(deps, request.query),
  );

  r.get(
    '/api/crm/analytics/churn',
    {
      config: { access: 'analytics:read' },
      schema: {
        tags,
        summary:
          'Churn rate by month (no kept order for the lifecycle rules’ lost-after days), repeat-purchase rate, revenue by cohort and the customers most valuable to win back',
        querystring: churnQuerySchema,
        response: { 200: churnSchema, 400: problemSchema },
      },
    },
    async (request) => retentionChurn(deps, request.query, can(principalOf(request), 'customers:pii')),
  );

  r.get(
    '/api/crm/analytics/overview',
    {
      config: { access: 'analytics:read' },
      schema: {
        tags,
        summary:
          'Customers, new, active, revenue, orders, average order value, repeat and churn rates for a period (default the last 30 days) against the one before; revenue per day; value distribution',
        querystring: overviewQuerySchema,
        response: { 200: overviewSchema, 400: problemSchema },
      },
    },
    async (request) => retentionOverview(deps, request.query),
  );
}
