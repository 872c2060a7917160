import { z } from 'zod';
import { customerListSchema } from './customers.js';
import { notificationListSchema } from './notifications.js';
import { taskListSchema } from './tasks.js';
import { ticketListSchema } from './tickets.js';

/** GET /api/crm/my-work: what is on the caller's plate, each list its first page. */
export const myWorkSchema = z.object({
  /** My open tasks, overdue first. */
  tasks: taskListSchema,
  /** Open and pending tickets assigned to me, soonest due first. */
  tickets: ticketListSchema,
  /** Unread mentions of me, newest first. */
  mentions: notificationListSchema,
  /** Customers I own, most recently changed first (with their total). */
  customers: customerListSchema,
});
export type MyWork = z.infer<typeof myWorkSchema>;
