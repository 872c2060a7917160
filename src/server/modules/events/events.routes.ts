import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventHub } from '../../platform/events.js';

const HEARTBEAT_MS = 25_000;

const querySchema = z.object({
  /** Customers to hear about (comma-separated ids); none means every customer. */
  customer_id: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.uuid('Customer ids are UUIDs')).max(50, 'Watch at most 50 customers per stream'))
    .optional(),
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
          "change. Reconnect with the browser's EventSource; nothing is replayed.",
        querystring: querySchema,
      },
    },
    async (request, reply) => {
      const watched = new Set(request.query.customer_id ?? []);
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
        if ('bulk' in notice) send('refresh', notice);
        else if (watched.size === 0 || watched.has(notice.customer_id)) send('customer_event', notice);
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
