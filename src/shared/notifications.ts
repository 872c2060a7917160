import { z } from 'zod';

/** One notification of the signed-in user (mention, task_reminder, task_assigned, ...). */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  customer_id: z.string().nullable(),
  actor: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  read_at: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** GET /api/crm/notifications: the caller's own, newest first. */
export const notificationListQuerySchema = z.object({
  /** Only this kind (`mention`, `task_reminder`, ...). */
  kind: z.string().trim().min(1).max(50).optional(),
  /** `true`: only unread ones. */
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type NotificationListQuery = z.input<typeof notificationListQuerySchema>;

export const notificationListSchema = z.object({
  data: z.array(notificationSchema),
  next_cursor: z.string().nullable(),
  /** All the caller's unread notifications (not just this page). */
  unread_count: z.number().int(),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

/** POST /api/crm/notifications/read-all. */
export const notificationsReadAllSchema = z.object({
  marked: z.number().int(),
  unread_count: z.number().int(),
});
export type NotificationsReadAll = z.infer<typeof notificationsReadAllSchema>;
