import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerListQuerySchema, customerListSchema } from '../../../shared/customers.js';
import {
  segmentCreateSchema,
  segmentListSchema,
  segmentMembersBodySchema,
  segmentMembershipChangeSchema,
  segmentPreviewBodySchema,
  segmentPreviewSchema,
  segmentReportQuerySchema,
  segmentReportSchema,
  segmentSchema,
  segmentUpdateSchema,
} from '../../../shared/segments.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  changeSegmentMembers,
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  refreshSegment,
  segmentCustomers,
  updateSegment,
} from './segments.service.js';
import { segmentReport } from './segment-report.service.js';

const segmentParams = z.object({ id: z.uuid('Segment ids are UUIDs') });
const tags = ['segments'];

export function segmentRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/segments',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Every segment, by name, with its member count',
        response: { 200: segmentListSchema },
      },
    },
    async () => ({ data: await listSegments(deps) }),
  );

  r.post(
    '/api/crm/segments',
    {
      config: { access: 'segments:manage' },
      schema: {
        tags,
        summary: 'Create a segment (an automatic one gets its members at once)',
        description: 'Names are unique case-insensitively (409). `criteria` is required when `auto_update`.',
        body: segmentCreateSchema,
        response: { 201: segmentSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSegment(deps, principalOf(request), request.body)),
  );

  r.post(
    '/api/crm/segments/preview',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'How many customers match a criteria tree, and a sample of them',
        description: 'The count stops at CUSTOMER_COUNT_CAP (then `count_exact` is false).',
        body: segmentPreviewBodySchema,
        response: { 200: segmentPreviewSchema },
      },
    },
    async (request) => previewSegment(deps, principalOf(request), request.body.criteria),
  );

  r.get(
    '/api/crm/segments/:id',
    {
      config: { access: 'customers:read' },
      schema: { tags, summary: 'One segment', params: segmentParams, response: { 200: segmentSchema } },
    },
    async (request) => getSegment(deps.db, request.params.id),
  );

  r.put(
    '/api/crm/segments/:id',
    {
      config: { access: 'segments:manage' },
      schema: {
        tags,
        summary: 'Replace a segment’s definition (409 with `current` on a stale version)',
        params: segmentParams,
        body: segmentUpdateSchema,
        response: { 200: segmentSchema },
      },
    },
    async (request) => updateSegment(deps, principalOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/crm/segments/:id',
    {
      config: { access: 'segments:manage' },
      schema: {
        tags,
        summary: 'Delete a segment: its members leave it (each gets a timeline event)',
        params: segmentParams,
        response: { 200: segmentSchema },
      },
    },
    async (request) => deleteSegment(deps, principalOf(request), request.params.id),
  );

  r.get(
    '/api/crm/segments/:id/customers',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: [...tags, 'customers'],
        summary: 'The segment’s members, like the customer list (filters, sort, paging)',
        params: segmentParams,
        querystring: customerListQuerySchema,
        response: { 200: customerListSchema },
      },
    },
    async (request) => segmentCustomers(deps, principalOf(request), request.params.id, request.query),
  );

  for (const [method, change] of [
    ['post', 'add'],
    ['delete', 'remove'],
  ] as const) {
    r[method](
      '/api/crm/segments/:id/members',
      {
        config: { access: 'segments:manage' },
        schema: {
          tags,
          summary:
            change === 'add'
              ? 'Add customers to a manual segment (idempotent)'
              : 'Remove customers from a manual segment',
          description: 'Automatic segments follow their criteria: 409.',
          params: segmentParams,
          body: segmentMembersBodySchema,
          response: { 200: segmentMembershipChangeSchema },
        },
      },
      async (request) =>
        changeSegmentMembers(deps, principalOf(request), request.params.id, request.body, change),
    );
  }

  r.post(
    '/api/crm/segments/:id/refresh',
    {
      config: { access: 'segments:manage' },
      schema: {
        tags,
        summary: 'Re-evaluate an automatic segment now (409 for a manual one)',
        params: segmentParams,
        response: { 200: segmentMembershipChangeSchema },
      },
    },
    async (request) => refreshSegment(deps, principalOf(request), request.params.id),
  );

  r.get(
    '/api/crm/segments/:id/report',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: "A segment's size over time, revenue share, averages, stages and commonest tags",
        params: segmentParams,
        querystring: segmentReportQuerySchema,
        response: { 200: segmentReportSchema },
      },
    },
    async (request) => segmentReport(deps, request.params.id, request.query.days),
  );
}
