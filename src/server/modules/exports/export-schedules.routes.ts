import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  exportScheduleCreateSchema,
  exportScheduleListSchema,
  exportScheduleSchema,
  exportScheduleUpdateSchema,
} from '../../../shared/exports.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
} from './export-schedules.service.js';

const params = z.object({ id: z.uuid('Schedule ids are UUIDs') });
const tags = ['exports'];

export function exportScheduleRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/export/schedules',
    {
      config: { access: 'export:customers' },
      schema: { tags, summary: 'Scheduled exports, by name', response: { 200: exportScheduleListSchema } },
    },
    async () => listSchedules(deps),
  );

  r.get(
    '/api/crm/export/schedules/:id',
    {
      config: { access: 'export:customers' },
      schema: { tags, summary: 'One scheduled export', params, response: { 200: exportScheduleSchema } },
    },
    async (request) => getSchedule(deps, request.params.id),
  );

  r.post(
    '/api/crm/export/schedules',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary:
          'Schedule an export (five-field cron in a time zone); each run is an export, optionally mailed as a link',
        description:
          'Runs export as the schedule’s creator: their permissions decide which personal fields are masked.',
        body: exportScheduleCreateSchema,
        response: { 201: exportScheduleSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSchedule(deps, principalOf(request), request.ip, request.body)),
  );

  r.put(
    '/api/crm/export/schedules/:id',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary: 'Change a schedule (version-checked: 409 with the current one on conflict)',
        params,
        body: exportScheduleUpdateSchema,
        response: { 200: exportScheduleSchema },
      },
    },
    async (request) =>
      updateSchedule(deps, principalOf(request), request.ip, request.params.id, request.body),
  );

  r.delete(
    '/api/crm/export/schedules/:id',
    {
      config: { access: 'export:customers' },
      schema: {
        tags,
        summary: 'Delete a schedule (its past exports stay)',
        params,
        response: { 200: exportScheduleSchema },
      },
    },
    async (request) => deleteSchedule(deps, principalOf(request), request.ip, request.params.id),
  );
}
