import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  taskCreateSchema,
  taskListQuerySchema,
  taskListSchema,
  taskSchema,
  taskUpdateSchema,
} from '../../../shared/tasks.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { notificationRoutes } from '../notifications/notifications.routes.js';
import { createTask, deleteTask, getTask, listTasks, updateTask } from './tasks.service.js';

const taskParams = z.object({ id: z.uuid('Task ids are UUIDs') });
const tags = ['tasks'];

/** Tasks and reminders (issue 4); the notifications they produce are read through the routes registered here too. */
export function taskRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/tasks',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Tasks: open first, overdue first, then by due time (none last)',
        description: '`assignee_id` is a staff id, `me` or `none`; paged with `limit` and `cursor`.',
        querystring: taskListQuerySchema,
        response: { 200: taskListSchema },
      },
    },
    async (request) => listTasks(deps, principalOf(request), request.query),
  );

  r.post(
    '/api/crm/tasks',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Create a task (assigned to its creator unless `assignee_id` says otherwise)',
        description:
          'Assigning it to someone else notifies them; a task about a customer is on their timeline.',
        body: taskCreateSchema,
        response: { 201: taskSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createTask(deps, principalOf(request), request.body)),
  );

  r.get(
    '/api/crm/tasks/:id',
    {
      config: { access: 'customers:read' },
      schema: { tags, summary: 'One task', params: taskParams, response: { 200: taskSchema } },
    },
    async (request) => getTask(deps.db, request.params.id),
  );

  r.put(
    '/api/crm/tasks/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Change a task, mark it done or open again (409 with `current` on a stale version)',
        description: 'Only the fields given change; a new `remind_at` is delivered again when it comes.',
        params: taskParams,
        body: taskUpdateSchema,
        response: { 200: taskSchema },
      },
    },
    async (request) => updateTask(deps, principalOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/crm/tasks/:id',
    {
      config: { access: 'customers:write' },
      schema: {
        tags,
        summary: 'Delete a task; returns it as it was',
        params: taskParams,
        response: { 200: taskSchema },
      },
    },
    async (request) => deleteTask(deps, principalOf(request), request.params.id),
  );

  notificationRoutes(app, deps);
}
