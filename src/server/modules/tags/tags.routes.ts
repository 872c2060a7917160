import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  customerTagsBodySchema,
  customerTagsSchema,
  tagCreateSchema,
  tagListSchema,
  tagSchema,
  tagUpdateSchema,
} from '../../../shared/tags.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  addCustomerTags,
  createTag,
  deleteTag,
  listTags,
  removeCustomerTag,
  updateTag,
} from './tags.service.js';

const tagParams = z.object({ id: z.uuid('Tag ids are UUIDs') });
const customerParams = z.object({ id: z.uuid('Customer ids are UUIDs') });
const tags = ['tags'];

export function tagRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/tags',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Every tag, by name, with how many customers carry it',
        response: { 200: tagListSchema },
      },
    },
    async () => ({ data: await listTags(deps) }),
  );

  r.post(
    '/api/crm/tags',
    {
      config: { access: 'tags:manage' },
      schema: {
        tags,
        summary: 'Create a tag (names are unique case-insensitively: 409 otherwise)',
        body: tagCreateSchema,
        response: { 201: tagSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createTag(deps, principalOf(request), request.body)),
  );

  r.put(
    '/api/crm/tags/:id',
    {
      config: { access: 'tags:manage' },
      schema: {
        tags,
        summary: 'Rename, recolour or describe a tag',
        params: tagParams,
        body: tagUpdateSchema,
        response: { 200: tagSchema },
      },
    },
    async (request) => updateTag(deps, request.params.id, request.body),
  );

  r.delete(
    '/api/crm/tags/:id',
    {
      config: { access: 'tags:manage' },
      schema: {
        tags,
        summary: 'Delete a tag: it leaves every customer (each gets a timeline event)',
        description: 'Returns the deleted tag; `customer_count` is how many customers lost it.',
        params: tagParams,
        response: { 200: tagSchema },
      },
    },
    async (request) => deleteTag(deps, principalOf(request), request.params.id),
  );

  r.post(
    '/api/crm/customers/:id/tags',
    {
      config: { access: 'customers:write' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'Tag a customer by tag ids or names (idempotent); returns the customer’s tags',
        description:
          'Unknown names are a 400 unless `create_missing` is true and the caller has tags:manage.',
        params: customerParams,
        body: customerTagsBodySchema,
        response: { 200: customerTagsSchema },
      },
    },
    async (request) => addCustomerTags(deps, principalOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/crm/customers/:id/tags/:tagId',
    {
      config: { access: 'customers:write' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'Untag a customer (404 when the customer does not carry the tag)',
        params: customerParams.extend({ tagId: z.uuid('Tag ids are UUIDs') }),
        response: { 200: customerTagsSchema },
      },
    },
    async (request) => removeCustomerTag(deps, principalOf(request), request.params.id, request.params.tagId),
  );
}
