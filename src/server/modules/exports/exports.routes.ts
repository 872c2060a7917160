import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  exportListQuerySchema,
  exportListSchema,
  exportPreviewRequestSchema,
  exportPreviewSchema,
  exportRejectSchema,
  exportRequestSchema,
  exportSchema,
} from '../../../shared/exports.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  decideExport,
  discardExport,
  getExport,
  listExports,
  openDownload,
  previewExport,
  requestExport,
  retryExport,
} from './exports.service.js';

const params = z.object({ exportId: z.uuid('Export ids are UUIDs') });
const tags = ['exports'];

/** RFC 6266: an ASCII fallback and the exact name in UTF-8 (names are slugs, but say it right). */
const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function exportRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/crm/export/preview',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary:
          'How many rows an export would hold, which fields would be masked, whether it needs approval',
        body: exportPreviewRequestSchema,
        response: { 200: exportPreviewSchema },
      },
    },
    async (request) => previewExport(deps, principalOf(request), request.body),
  );

  r.post(
    '/api/crm/export/customers',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary: 'Start an export of customers (CSV, XLSX or PDF) in the background',
        description:
          'Answers 202 with the export; follow `status_url`, then fetch `download_url`. Personal fields are masked without `export:pii`; a large export with personal fields waits for a second admin (`pending_approval`).',
        body: exportRequestSchema,
        response: { 202: exportSchema },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await requestExport(deps, principalOf(request), request.ip, request.body)),
  );

  r.get(
    '/api/crm/export/status/:exportId',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary: 'An export: state, progress (rows written of row_count), file',
        params,
        response: { 200: exportSchema },
      },
    },
    async (request) => getExport(deps, principalOf(request), request.params.exportId),
  );

  r.get(
    '/api/crm/export/download/:exportId',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary: 'Download a finished export (its requester or an admin); 410 once expired',
        params,
      },
    },
    async (request, reply) => {
      const file = await openDownload(deps, principalOf(request), request.ip, request.params.exportId);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.size))
        .header('content-disposition', attachment(file.fileName))
        .header('cache-control', 'private, no-store')
        .send(file.stream);
    },
  );

  r.get(
    '/api/crm/exports',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary: 'Past exports, newest first (admins see everyone’s unless mine=true)',
        querystring: exportListQuerySchema,
        response: { 200: exportListSchema },
      },
    },
    async (request) => listExports(deps, principalOf(request), request.query),
  );

  r.post(
    '/api/crm/export/:exportId/approve',
    {
      config: { access: 'export:approve' },
      schema: {
        tags,
        summary: 'Approve another person’s export that waits for approval',
        params,
        response: { 200: exportSchema },
      },
    },
    async (request) =>
      decideExport(deps, principalOf(request), request.ip, request.params.exportId, { approve: true }),
  );

  r.post(
    '/api/crm/export/:exportId/reject',
    {
      config: { access: 'export:approve' },
      schema: {
        tags,
        summary: 'Reject an export that waits for approval, saying why',
        params,
        body: exportRejectSchema,
        response: { 200: exportSchema },
      },
    },
    async (request) =>
      decideExport(deps, principalOf(request), request.ip, request.params.exportId, {
        approve: false,
        reason: request.body.reason,
      }),
  );

  r.post(
    '/api/crm/export/:exportId/retry',
    {
      config: { access: 'export:customers' },
      schema: { tags, summary: 'Run a failed export again', params, response: { 200: exportSchema } },
    },
    async (request) => retryExport(deps, principalOf(request), request.params.exportId),
  );

  r.delete(
    '/api/crm/export/:exportId',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary: 'Cancel an export not started yet, or delete a finished one’s file',
        params,
        response: { 200: exportSchema },
      },
    },
    async (request) => discardExport(deps, principalOf(request), request.ip, request.params.exportId),
  );
}
