import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { problemSchema } from '../shared/problem.js';
import type { Config } from './config.js';
import type { Database } from './db/connect.js';
import { affinityRoutes } from './modules/analytics/affinity.routes.js';
import { customerInsightsRoutes } from './modules/analytics/customer-insights.routes.js';
import { retentionRoutes } from './modules/analytics/retention.routes.js';
import { clvRoutes } from './modules/clv/clv.routes.js';
import { communicationRoutes } from './modules/communications/communications.routes.js';
import { emailInboundRoutes } from './modules/communications/inbound.routes.js';
import { communicationPreferenceRoutes } from './modules/communications/preferences.routes.js';
import { emailTemplateRoutes } from './modules/communications/templates.routes.js';
import { communicationThreadRoutes } from './modules/communications/threads.routes.js';
import { trackingRoutes } from './modules/communications/tracking.routes.js';
import { unsubscribeRoutes } from './modules/communications/unsubscribe.routes.js';
import { criteriaRoutes } from './modules/criteria/criteria.routes.js';
import { customerImportRoutes } from './modules/customers/customers-import.routes.js';
import { customerBulkRoutes } from './modules/customers/customers-bulk.routes.js';
import { customerRoutes } from './modules/customers/customers.routes.js';
import { eventRoutes } from './modules/events/events.routes.js';
import { jobRoutes } from './modules/jobs/jobs.routes.js';
import { noteRoutes } from './modules/notes/notes.routes.js';
import { taskRoutes } from './modules/tasks/tasks.routes.js';
import { ticketRoutes } from './modules/tickets/tickets.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { lifecycleRoutes } from './modules/lifecycle/lifecycle.routes.js';
import { orderRoutes } from './modules/orders/orders.routes.js';
import { orderIngestRoutes } from './modules/orders/order-ingest.routes.js';
import { privacyRoutes } from './modules/privacy/privacy.routes.js';
import { exportRoutes } from './modules/exports/exports.routes.js';
import { exportScheduleRoutes } from './modules/exports/export-schedules.routes.js';
import { rfmRoutes } from './modules/rfm/rfm.routes.js';
import { segmentRoutes } from './modules/segments/segments.routes.js';
import { tagRoutes } from './modules/tags/tags.routes.js';
import { userRoutes } from './modules/users/users.routes.js';
import { workRoutes } from './modules/work/work.routes.js';
import { registerAuth } from './platform/auth-plugin.js';
import { requestValidatorCompiler } from './platform/validation.js';
import type { AppDeps } from './platform/deps.js';
import { problem, registerErrorHandler } from './platform/errors.js';
import { createEventHub } from './platform/events.js';
import { createSupabaseJwtVerifier } from './platform/supabase-jwt.js';
import { createWorkers, type Workers } from './workers.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's background work (jobs, segment refresh, schedules). */
    workers: Workers;
  }
}

export interface BuildAppOptions {
  database: Database;
  config: Config;
}

/** The whole HTTP application, without listening: main.ts listens, tests use inject(). */
export async function buildApp({ database, config }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // secrets never reach the log
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    trustProxy: config.trustProxy,
    bodyLimit: 5 * 1024 * 1024,
  });
  app.setValidatorCompiler(requestValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const deps: AppDeps = {
    database,
    db: database.db,
    config,
    jwt: createSupabaseJwtVerifier(config.supabase),
  };

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Mantine and Swagger UI set inline styles; scripts stay same-origin only
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // the app may be served over plain http on a LAN; rewriting its assets to https breaks it
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyMultipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CRM console API',
        version: '0.1.0',
        description: 'Customers, orders, staff and authentication. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Personal API token (crm_...) or Supabase JWT',
          },
          session: { type: 'apiKey', in: 'cookie', name: 'crm_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Swagger UI sets a few inline styles of its own (as the admin app's CSP allows too)
    transformStaticCSP: (header) =>
      header
        .replace("style-src 'self' https:", "style-src 'self' 'unsafe-inline'")
        .replace(/\s*upgrade-insecure-requests;?/, ''),
  });

  registerErrorHandler(app);
  registerAuth(app, deps);

  const r = app.withTypeProvider();
  r.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Ready when the database answers',
        response: { 200: z.object({ status: z.literal('ok') }), 503: problemSchema },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(deps.db);
        return { status: 'ok' as const };
      } catch {
        return reply
          .code(503)
          .type('application/problem+json')
          .send(problem('internal', 'Database not ready'));
      }
    },
  );
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  authRoutes(app, deps);
  userRoutes(app, deps);
  auditRoutes(app, deps);
  customerRoutes(app, deps);
  criteriaRoutes(app, deps);
  customerImportRoutes(app, deps);
  orderRoutes(app, deps);
  orderIngestRoutes(app, deps);
  rfmRoutes(app, deps);
  clvRoutes(app, deps);
  customerInsightsRoutes(app, deps);
  affinityRoutes(app, deps);
  retentionRoutes(app, deps);
  lifecycleRoutes(app, deps);
  tagRoutes(app, deps);
  segmentRoutes(app, deps);
  customerBulkRoutes(app, deps);
  jobRoutes(app, deps);
  noteRoutes(app, deps);
  ticketRoutes(app, deps);
  taskRoutes(app, deps);
  workRoutes(app, deps);
  emailTemplateRoutes(app, deps);
  communicationRoutes(app, deps);
  communicationThreadRoutes(app, deps);
  communicationPreferenceRoutes(app, deps);
  emailInboundRoutes(app, deps);
  trackingRoutes(app, deps);
  unsubscribeRoutes(app, deps);
  privacyRoutes(app, deps);
  exportRoutes(app, deps);
  exportScheduleRoutes(app, deps);

  const hub = await createEventHub(database, app.log);
  app.addHook('onClose', () => hub.close());
  eventRoutes(app, hub);

  const workers = createWorkers(deps, app.log);
  app.decorate('workers', workers);
  if (config.workers) {
    app.addHook('onReady', () => workers.start());
  }
  // stop the loops before the database closes, whether or not they were started
  app.addHook('onClose', () => workers.stop());

  registerWebApp(app, config);
  return app;
}

/** Serves the built admin app; unknown non-API paths get index.html so client routes load. */
function registerWebApp(app: FastifyInstance, config: Config) {
  const index = join(config.webDistDir, 'index.html');
  if (!existsSync(index)) return;
  void app.register(fastifyStatic, { root: config.webDistDir, wildcard: false, index: false });
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html'));
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/')) {
      return reply
        .code(404)
        .type('application/problem+json')
        .send(problem('not_found', `No route for ${request.method} ${path}`));
    }
    const file = path.slice(1);
    if (file && existsSync(join(config.webDistDir, file))) return reply.sendFile(file);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
