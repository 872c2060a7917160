import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  staffDirectoryEntrySchema,
  staffUserCreateSchema,
  staffUserPatchSchema,
  staffUserSchema,
} from '../../../shared/auth.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { type StaffChangeBy, createStaff, listStaff, staffDirectory, updateStaff } from './users.service.js';

const changedBy = (request: FastifyRequest): StaffChangeBy => ({
  principal: principalOf(request),
  ip: request.ip,
});

export function userRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/users',
    {
      config: { access: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Staff users',
        response: { 200: z.object({ data: z.array(staffUserSchema) }) },
      },
    },
    async () => ({ data: await listStaff(deps) }),
  );

  r.get(
    '/api/users/directory',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['users'],
        summary: 'Active staff to pick as owner or assignee (any signed-in staff with customers:read)',
        response: { 200: z.object({ data: z.array(staffDirectoryEntrySchema) }) },
      },
    },
    async () => ({ data: await staffDirectory(deps) }),
  );

  r.post(
    '/api/users',
    {
      config: { access: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Create a staff user',
        body: staffUserCreateSchema,
        response: { 201: staffUserSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createStaff(deps, changedBy(request), request.body)),
  );

  r.patch(
    '/api/users/:id',
    {
      config: { access: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Change a staff user’s role, name or disabled flag',
        params: z.object({ id: z.uuid() }),
        body: staffUserPatchSchema,
        response: { 200: staffUserSchema },
      },
    },
    async (request) => updateStaff(deps, changedBy(request), request.params.id, request.body),
  );
}
