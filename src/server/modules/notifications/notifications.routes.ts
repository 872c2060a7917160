import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  notificationListQuerySchema,
  notificationListSchema,
  notificationSchema,
  notificationsReadAllSchema,
} from '../../../shared/notifications.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { listNotifications, readAllNotifications, readNotification } from './notifications.service.js';

const tags = ['notifications'];

/** Every signed-in user reads and marks only their own notifications. */
export function notificationRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/notifications',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'My notifications, newest first, with my unread count',
        querystring: notificationListQuerySchema,
        response: { 200: notificationListSchema },
      },
    },
    async (request) => listNotifications(deps, principalOf(request), request.query),
  );

  r.post(
    '/api/crm/notifications/read-all',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Mark all my notifications read',
        response: { 200: notificationsReadAllSchema },
      },
    },
    async (request) => readAllNotifications(deps, principalOf(request)),
  );

  r.post(
    '/api/crm/notifications/:id/read',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Mark one of my notifications read (another user’s is a 404)',
        params: z.object({ id: z.uuid('Notification ids are UUIDs') }),
        response: { 200: notificationSchema },
      },
    },
    async (request) => readNotification(deps, principalOf(request), request.params.id),
  );
}
