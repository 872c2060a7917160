import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  analyticsQuerySchema,
  campaignAcceptedSchema,
  campaignListSchema,
  campaignSchema,
  campaignSkippedQuerySchema,
  campaignSkippedSchema,
  communicationAnalyticsSchema,
  mailStatusSchema,
  sendEmailSchema,
  sendResultSchema,
  trackRequestSchema,
  trackResultSchema,
} from '../../../shared/communications.js';
import { problemSchema } from '../../../shared/problem.js';
import { principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { mailConfigured } from '../../platform/mail.js';
import { can } from '../../platform/principal.js';
import { signedWebhook } from '../../platform/signed-webhook.js';
import { communicationAnalytics } from './analytics.service.js';
import { campaignSkipped, getCampaign, listCampaigns, startCampaign } from './campaigns.service.js';
import { fromAddress } from './delivery.service.js';
import { sendToCustomer } from './send.service.js';
import { trackEvents } from './track.service.js';
import { publicBase } from './tracking-urls.js';

const tags = ['communications'];

export function communicationRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/crm/communications/send',
    {
      config: { access: 'email:send' },
      schema: {
        tags,
        summary:
          'Send an email to a customer (free text or template), or a template to a segment (a campaign)',
        description:
          'To a customer: 201 with the queued email, or 200 with `email: null` and `skipped` saying why ' +
          '(do_not_contact, unsubscribed, no_email). To a segment (needs email:campaigns): 202 with the ' +
          'campaign and its job. Without SMTP_URL mail is written to the outbox folder (`outbox: true`).',
        body: sendEmailSchema,
        response: { 200: sendResultSchema, 201: sendResultSchema, 202: campaignAcceptedSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (request.body.segment_id) {
        if (!can(principal, 'email:campaigns')) {
          throw new AppError('forbidden', 'Sending to a segment needs the email:campaigns permission');
        }
        return reply.code(202).send(await startCampaign(deps, principal, request.body));
      }
      const result = await sendToCustomer(deps, principal, request.body);
      return reply.code(result.email ? 201 : 200).send(result);
    },
  );

  r.get(
    '/api/crm/communications/status',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'How mail leaves: SMTP, or the local outbox folder',
        response: { 200: mailStatusSchema },
      },
    },
    async () => ({
      transport: mailConfigured(deps.config) ? ('smtp' as const) : ('outbox' as const),
      from: fromAddress(deps.config),
      tracking_base_url: publicBase(deps.config),
    }),
  );

  r.get(
    '/api/crm/communications/campaigns',
    {
      config: { access: 'customers:read' },
      schema: { tags, summary: 'Campaigns, newest first', response: { 200: campaignListSchema } },
    },
    async () => listCampaigns(deps.db),
  );

  r.get(
    '/api/crm/communications/campaigns/:id',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'One campaign with its progress and who was skipped, by reason',
        params: z.object({ id: z.uuid('Campaign ids are UUIDs') }),
        response: { 200: campaignSchema },
      },
    },
    async (request) => getCampaign(deps.db, request.params.id),
  );

  r.get(
    '/api/crm/communications/campaigns/:id/skipped',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Who a campaign left out (do-not-contact, unsubscribed, no address), by customer',
        params: z.object({ id: z.uuid('Campaign ids are UUIDs') }),
        querystring: campaignSkippedQuerySchema,
        response: { 200: campaignSkippedSchema },
      },
    },
    async (request) => campaignSkipped(deps.db, request.params.id, request.query.limit, request.query.cursor),
  );

  r.get(
    '/api/crm/communications/analytics',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary:
          'Sent, delivered, open, click, reply, bounce and unsubscribe rates over time and per template, campaign and segment',
        description:
          'Default period: the last 30 days. Opens and clicks by machines (privacy proxies, link scanners) are counted apart.',
        querystring: analyticsQuerySchema,
        response: { 200: communicationAnalyticsSchema },
      },
    },
    async (request) => communicationAnalytics(deps.db, request.query),
  );

  const trackSchema = {
    tags,
    body: trackRequestSchema,
    response: { 200: trackResultSchema, 401: problemSchema, 503: problemSchema },
  };

  r.post(
    '/api/crm/communications/track',
    {
      config: { access: 'email:track' },
      schema: {
        ...trackSchema,
        summary:
          'Record email events (delivered, opened, clicked, replied, bounced, complained) from the mail system',
        description:
          'By `email_id` or `message_id`; one event or `events` (up to 500). Idempotent by `event_id` (or by ' +
          'email, event, time and URL). Status only moves forward; every event is counted once.',
      },
    },
    async (request) => trackEvents(deps, request.body),
  );

  const signed = signedWebhook({
    secret: () => deps.config.mail.webhookSecret,
    bodyLimit: 1024 * 1024,
    what: 'email event webhooks (EMAIL_WEBHOOK_SECRET)',
  });
  r.post(
    '/api/crm/communications/webhooks/events',
    {
      // a mail provider proves itself with the signature, not with staff credentials
      config: { access: 'public' },
      schema: {
        ...trackSchema,
        security: [],
        summary: 'The same as /track, for mail providers: signed with EMAIL_WEBHOOK_SECRET',
        description:
          'Headers `x-crm-timestamp` (unix seconds, within 5 minutes) and `x-crm-signature` = `v1=` + hex ' +
          'HMAC-SHA256 of `<timestamp>.<raw body>`.',
      },
      bodyLimit: signed.bodyLimit,
      onRequest: signed.onRequest,
      preParsing: signed.preParsing,
      preValidation: signed.preValidation,
    },
    async (request) => trackEvents(deps, request.body),
  );
}
