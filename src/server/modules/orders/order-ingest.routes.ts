import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INGEST_MAX_ORDERS, ingestResultSchema } from '../../../shared/orders.js';
import { problemSchema } from '../../../shared/problem.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { signedWebhook } from '../../platform/signed-webhook.js';
import { ingestOrders, UnreadableOrder } from './order-ingest.service.js';

/** 10,000 orders with their lines fit well within this. */
const INGEST_BODY_LIMIT = 32 * 1024 * 1024;

const tooMany = `At most ${INGEST_MAX_ORDERS.toLocaleString('en')} orders per batch`;
// orders are checked one by one in the service, so one bad order is rejected, not the batch
// a bare array is read as { orders: [...] }, so an error names `orders` either way
const batchSchema = z.preprocess(
  (body) => (Array.isArray(body) ? { orders: body } : body),
  z.object({ orders: z.array(z.unknown()).max(INGEST_MAX_ORDERS, tooMany) }),
);
const ordersOf = (body: z.infer<typeof batchSchema>) => body.orders;

const description =
  'A JSON array of orders, `{ "orders": [...] }`, or NDJSON (`application/x-ndjson`, one order per line), ' +
  `at most ${INGEST_MAX_ORDERS.toLocaleString('en')} orders. Each order: \`external_id\` (the idempotency key), ` +
  'the customer by `customer_id`, `user_id` or `customer_email` (created from the email when unknown, with ' +
  '`first_name`/`last_name`), `status`, `currency`, `placed_at`, optional `total`, and `items`. The reply ' +
  'reports every order as accepted, updated, unchanged or rejected (with field errors); rejected orders do not ' +
  'stop the rest. Metrics, stages and automatic segments follow.';

/** NDJSON lines, each parsed alone: a line that is not JSON becomes a rejected order, not a 400. */
function parseNdjson(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return new UnreadableOrder(`Line ${i + 1} is not valid JSON`);
      }
    });
}

export function orderIngestRoutes(app: FastifyInstance, deps: AppDeps) {
  const signed = signedWebhook({
    secret: () => deps.config.ordersWebhookSecret,
    bodyLimit: INGEST_BODY_LIMIT,
    what: 'order webhooks (ORDERS_WEBHOOK_SECRET)',
  });

  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-ndjson',
      { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT },
      (_request, body, done) => done(null, parseNdjson(body as string)),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/orders/ingest',
      {
        config: { access: 'orders:write' },
        bodyLimit: INGEST_BODY_LIMIT,
        schema: {
          tags: ['orders'],
          summary: 'Backfill or stream orders from an external order system (API token)',
          description,
          consumes: ['application/json', 'application/x-ndjson'],
          body: batchSchema,
          response: { 200: ingestResultSchema },
        },
      },
      async (request) => ingestOrders(deps, principalOf(request).staffId, ordersOf(request.body)),
    );

    r.post(
      '/api/orders/ingest/webhook',
      {
        // the order system proves itself with the signature, not with staff credentials
        config: { access: 'public' },
        schema: {
          tags: ['orders'],
          summary:
            'The same as /api/orders/ingest, for an order system’s webhook signed with ORDERS_WEBHOOK_SECRET',
          description: `${description} Headers \`x-crm-timestamp\` (unix seconds, within 5 minutes) and \`x-crm-signature\` = \`v1=\` + hex HMAC-SHA256 of \`<timestamp>.<raw body>\`.`,
          security: [],
          consumes: ['application/json', 'application/x-ndjson'],
          body: batchSchema,
          response: { 200: ingestResultSchema, 401: problemSchema, 503: problemSchema },
        },
        bodyLimit: signed.bodyLimit,
        onRequest: signed.onRequest,
        preParsing: signed.preParsing,
        preValidation: signed.preValidation,
      },
      async (request) => ingestOrders(deps, null, ordersOf(request.body)),
    );
  });
}
