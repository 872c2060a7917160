import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  emailTemplateCreateSchema,
  emailTemplateListSchema,
  emailTemplateSchema,
  emailTemplateUpdateSchema,
  emailTemplateVersionListSchema,
  emailTemplateVersionSchema,
  renderedEmailSchema,
  templatePreviewRequestSchema,
  templateVariables,
} from '../../../shared/communications.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  createEmailTemplate,
  deleteEmailTemplate,
  getEmailTemplate,
  getTemplateVersion,
  listEmailTemplates,
  listTemplateVersions,
  previewTemplate,
  updateEmailTemplate,
} from './templates.service.js';

const tags = ['communications'];
const templateParams = z.object({ id: z.uuid('Template ids are UUIDs') });
const versionParams = templateParams.extend({
  version: z.coerce.number().int('Versions are whole numbers').min(1, 'Versions start at 1').max(1_000_000),
});
const listQuery = z.object({
  include_archived: z
    .enum(['true', 'false'], { message: 'Use true or false' })
    .default('false')
    .transform((v) => v === 'true'),
});
const syntax =
  `Mustache: \`{{name}}\` (HTML-escaped in body_html), sections \`{{#name}}…{{/name}}\` and ` +
  `\`{{^name}}…{{/name}}\` for fallbacks. Variables: ${templateVariables.join(', ')}. ` +
  'Raw output (`{{{name}}}`, `{{&name}}`) in body_html and partials are refused.';

export function emailTemplateRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/email-templates',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Email templates with their current content, by name',
        querystring: listQuery,
        response: { 200: emailTemplateListSchema },
      },
    },
    async (request) => listEmailTemplates(deps.db, request.query.include_archived),
  );

  r.post(
    '/api/crm/email-templates',
    {
      config: { access: 'email:campaigns' },
      schema: {
        tags,
        summary: 'Create a template (its version 1); names are unique, ignoring case',
        description: syntax,
        body: emailTemplateCreateSchema,
        response: { 201: emailTemplateSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createEmailTemplate(deps, principalOf(request), request.body)),
  );

  r.post(
    '/api/crm/email-templates/preview',
    {
      config: { access: 'email:send' },
      schema: {
        tags,
        summary: 'Render content with one customer’s data (or a sample customer), without saving',
        description: `${syntax} sender_name is you; unsubscribe_url is a placeholder.`,
        body: templatePreviewRequestSchema,
        response: { 200: renderedEmailSchema },
      },
    },
    async (request) => previewTemplate(deps, principalOf(request), request.body),
  );

  r.get(
    '/api/crm/email-templates/:id',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'One template with its current content',
        params: templateParams,
        response: { 200: emailTemplateSchema },
      },
    },
    async (request) => getEmailTemplate(deps.db, request.params.id),
  );

  r.put(
    '/api/crm/email-templates/:id',
    {
      config: { access: 'email:campaigns' },
      schema: {
        tags,
        summary: 'Edit a template (409 with `current` when `version` is not the current version)',
        description:
          'A new subject or body makes a new version; name, description and category change in place. ' +
          syntax,
        params: templateParams,
        body: emailTemplateUpdateSchema,
        response: { 200: emailTemplateSchema },
      },
    },
    async (request) => updateEmailTemplate(deps, principalOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/crm/email-templates/:id',
    {
      config: { access: 'email:campaigns' },
      schema: {
        tags,
        summary: 'Delete a template; one that emails or campaigns used is archived instead',
        params: templateParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteEmailTemplate(deps, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/crm/email-templates/:id/versions',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Every version of a template, newest first',
        params: templateParams,
        response: { 200: emailTemplateVersionListSchema },
      },
    },
    async (request) => listTemplateVersions(deps.db, request.params.id),
  );

  r.get(
    '/api/crm/email-templates/:id/versions/:version',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'One version of a template',
        params: versionParams,
        response: { 200: emailTemplateVersionSchema },
      },
    },
    async (request) => getTemplateVersion(deps.db, request.params.id, request.params.version),
  );
}
