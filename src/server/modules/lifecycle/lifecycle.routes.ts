import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  lifecycleEvaluationSchema,
  lifecycleReportQuerySchema,
  lifecycleReportSchema,
  lifecycleRulesResponseSchema,
  lifecycleRulesUpdateSchema,
} from '../../../shared/lifecycle.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  evaluateLifecycle,
  getLifecycleRules,
  lifecycleReport,
  updateLifecycleRules,
} from './lifecycle.service.js';

const tags = ['lifecycle'];

export function lifecycleRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/lifecycle/rules',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'The rules that set lifecycle stages',
        response: { 200: lifecycleRulesResponseSchema },
      },
    },
    async () => getLifecycleRules(deps),
  );

  r.put(
    '/api/crm/lifecycle/rules',
    {
      config: { access: 'settings:manage' },
      schema: {
        tags,
        summary: 'Change the lifecycle rules (every customer is re-evaluated at once)',
        body: lifecycleRulesUpdateSchema,
        response: { 200: z.object({ rules: lifecycleRulesResponseSchema, changed: z.number().int() }) },
      },
    },
    async (request) => updateLifecycleRules(deps, principalOf(request).staffId, request.body),
  );

  r.post(
    '/api/crm/lifecycle/evaluate',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Re-evaluate every customer’s stage now (also runs as days pass)',
        response: { 200: lifecycleEvaluationSchema },
      },
    },
    async () => evaluateLifecycle(deps),
  );

  r.get(
    '/api/crm/lifecycle/report',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Customers per stage and movements between stages over the last N days',
        querystring: lifecycleReportQuerySchema,
        response: { 200: lifecycleReportSchema },
      },
    },
    async (request) => lifecycleReport(deps, request.query.days),
  );
}
