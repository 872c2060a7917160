import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/auth-plugin.js';
import type { EventHub } from '../../platform/events.js';

const HEARTBEAT_MS = 25_000;

const querySchema = z.object({
  /** Customers to hear about (comma-separated ids); none means every customer. */
  customer_id: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.uuid('Customer ids are UUIDs')).max(50, 'Watch at most 50 customers per stream'))
    .optional(),
  /** `notifications`: only the caller's own `notification` events (the header's bell listens so). */
  topic: z.enum(['customers', 'notifications']).default('customers'),
});

/**
 * GET /api/crm/events: server-sent events announcing new timeline events (`customer_event`, with
 * the customer and the kinds) for the customers this browser watches, from any server process
 * (PostgreSQL LISTEN/NOTIFY behind the hub). A `refresh` event says a bulk change touched many
 * customers at once. Comments keep idle proxies from closing the stream.
 */
export function eventRoutes(app: FastifyInstance, hub: EventHub) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const open = new Set<ServerResponse>();
  // end the streams first, or closing the server would wait for them
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  r.get(
    '/api/crm/events',
    {
      config: { access: 'customers:read' },
      schema: {
        tags: ['events'],
        summary: 'Live timeline events (server-sent events) for the customers being watched',
        description:
          'A `text/event-stream`. Events: `customer_event` `{customer_id, kinds, latest_id}` when ' +
          'a watched customer gets timeline events; `refresh` `{bulk, customers}` after a bulk ' +
          'change; `notification` `{kind}` when the caller gets a notification (with ' +
          "`topic=notifications`, only those). Reconnect with the browser's EventSource; nothing is replayed.",
        querystring: querySchema,
      },
    },
    async (request, reply) => {
      const watched = new Set(request.query.customer_id ?? []);
      const onlyNotifications = request.query.topic === 'notifications';
      const me = principalOf(request).staffId;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      open.add(res);
      const send = (event: string, data: unknown) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const unsubscribe = hub.subscribe((notice) => {
        if (notice.channel === 'notifications') {
          if (notice.recipient_ids.includes(me)) send('notification', { kind: notice.kind });
        } else if (onlyNotifications) {
          // the bell's stream hears nothing else
        } else if ('bulk' in notice) {
          send('refresh', { bulk: true, customers: notice.customers });
        } else if (watched.size === 0 || watched.has(notice.customer_id)) {
          const { customer_id, kinds, latest_id } = notice;
          send('customer_event', { customer_id, kinds, latest_id });
        }
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      });
    },
  );
}
