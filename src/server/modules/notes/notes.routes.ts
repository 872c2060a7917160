import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  noteCreateSchema,
  noteListQuerySchema,
  noteListSchema,
  noteRevisionListSchema,
  noteSchema,
  noteUpdateSchema,
} from '../../../shared/notes.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { interactionRoutes } from '../interactions/interactions.routes.js';
import { createNote, deleteNote, getNote, listNotes, noteRevisions, updateNote } from './notes.service.js';

const noteParams = z.object({ id: z.uuid('Note ids are UUIDs') });
const customerParams = z.object({ id: z.uuid('Customer ids are UUIDs') });
const tags = ['notes'];

/** Notes on customers (markdown, pinning, edit history, mentions); interactions ride along. */
export function noteRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/customers/:id/notes',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'A customer’s notes: pinned first, then newest first (keyset paging)',
        params: customerParams,
        querystring: noteListQuerySchema,
        response: { 200: noteListSchema },
      },
    },
    async (request) => listNotes(deps, request.params.id, request.query),
  );

  r.post(
    '/api/crm/customers/:id/notes',
    {
      config: { access: 'customers:write' },
      schema: {
        tags: ['customers', ...tags],
        summary: 'Add a note (markdown); staff mentioned as @[Name](staff:<id>) are notified',
        params: customerParams,
        body: noteCreateSchema,
        response: { 201: noteSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createNote(deps, principalOf(request), request.params.id, request.body)),
  );

  r.get(
    '/api/crm/notes/:id',
    {
      config: { access: 'customers:read' },
      schema: { tags, summary: 'One note', params: noteParams, response: { 200: noteSchema } },
    },
    async (request) => getNote(deps.db, request.params.id),
  );

  r.put(
    '/api/crm/notes/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Edit or (un)pin a note: its author or an administrator (409 with `current` when stale)',
        description:
          'The earlier text is kept in the note’s revisions; only newly mentioned staff are notified.',
        params: noteParams,
        body: noteUpdateSchema,
        response: { 200: noteSchema },
      },
    },
    async (request) => updateNote(deps, principalOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/crm/notes/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Delete a note (its author or an administrator); returns what was deleted',
        params: noteParams,
        response: { 200: noteSchema },
      },
    },
    async (request) => deleteNote(deps, principalOf(request), request.params.id),
  );

  r.get(
    '/api/crm/notes/:id/revisions',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'A note’s edit history: its earlier versions, newest first',
        params: noteParams,
        response: { 200: noteRevisionListSchema },
      },
    },
    async (request) => ({ data: await noteRevisions(deps, request.params.id) }),
  );

  interactionRoutes(app, deps);
}
