import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { customerListQuerySchema } from '../../../shared/customers.js';
import { notificationListQuerySchema } from '../../../shared/notifications.js';
import { taskListQuerySchema } from '../../../shared/tasks.js';
import { ticketListQuerySchema } from '../../../shared/tickets.js';
import { myWorkSchema } from '../../../shared/work.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { listCustomers } from '../customers/customers.service.js';
import { listNotifications } from '../notifications/notifications.service.js';
import { listTasks } from '../tasks/tasks.service.js';
import { listTickets } from '../tickets/tickets.service.js';

/** How many of each the page shows before "see all". */
const FIRST_PAGE = 20;

export function workRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/crm/my-work',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['work'],
        summary: 'My work: my open tasks (overdue first), my tickets, my unread mentions, my customers',
        description: 'Each part is the first page of its own list; follow that list for more.',
        response: { 200: myWorkSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      // each list answers through its own module, with its own rules (masking, ordering)
      const [tasks, tickets, mentions, customers] = await Promise.all([
        listTasks(
          deps,
          principal,
          taskListQuerySchema.parse({ assignee_id: 'me', done: 'false', limit: FIRST_PAGE }),
        ),
        listTickets(
          deps,
          principal,
          ticketListQuerySchema.parse({ assignee_id: 'me', status: 'open,pending', limit: FIRST_PAGE }),
        ),
        listNotifications(
          deps,
          principal,
          notificationListQuerySchema.parse({ kind: 'mention', unread: 'true', limit: FIRST_PAGE }),
        ),
        listCustomers(
          deps,
          principal,
          customerListQuerySchema.parse({ owner_id: 'me', sort: 'updated_at', limit: FIRST_PAGE }),
        ),
      ]);
      return { tasks, tickets, mentions, customers };
    },
  );
}
