import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inboundEmailResultSchema } from '../../../shared/communications.js';
import { type Problem, problemSchema } from '../../../shared/problem.js';
import type { AppDeps } from '../../platform/deps.js';
import { signedWebhook } from '../../platform/signed-webhook.js';
import { receiveInboundEmail } from './inbound.service.js';

/** A reply with attachments; the whole message is held in memory to be verified and parsed. */
const INBOUND_BODY_LIMIT = 10 * 1024 * 1024;

const unknownSender = (from: string | null): Problem => ({
  type: 'https://crm.example/problems/unknown-sender',
  title: 'Unknown sender',
  status: 422,
  code: 'unknown_sender',
  detail: from
    ? 'The message answers no email sent from here, and no customer has its From address'
    : 'The message has no From address',
  errors: [{ field: 'from', message: from ? 'No customer has this address' : 'Missing' }],
});

export function emailInboundRoutes(app: FastifyInstance, deps: AppDeps) {
  const signed = signedWebhook({
    secret: () => deps.config.mail.webhookSecret,
    bodyLimit: INBOUND_BODY_LIMIT,
    what: 'inbound email webhooks (EMAIL_WEBHOOK_SECRET)',
  });
  // scoped: only this route takes raw MIME, as the exact bytes (the signature covers them)
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['message/rfc822', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: INBOUND_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/crm/communications/inbound',
      {
        // no staff credentials: the mail provider proves itself with the HMAC signature
        config: { access: 'public' },
        schema: {
          tags: ['communications'],
          summary: 'Receive an email (raw MIME) from the mail provider: a reply joins its thread',
          description:
            'Body: the raw message as `message/rfc822` (or `text/plain`), at most 10 MB. Headers: ' +
            '`x-crm-timestamp` (unix seconds, within 5 minutes) and `x-crm-signature` = `v1=` + hex ' +
            'HMAC-SHA256 of `<timestamp>.<raw body>` with EMAIL_WEBHOOK_SECRET. The thread is found by ' +
            'In-Reply-To, then References, then the reply address `reply+<token>@…`; otherwise a new ' +
            'thread of the customer with the From address (422 when none). The answered email becomes ' +
            '`replied`. The same Message-ID again answers 200 with `duplicate: true`.',
          security: [],
          consumes: ['message/rfc822', 'text/plain'],
          response: {
            200: inboundEmailResultSchema,
            201: inboundEmailResultSchema,
            401: problemSchema,
            409: problemSchema,
            413: problemSchema,
            422: problemSchema,
            503: problemSchema,
          },
        },
        bodyLimit: signed.bodyLimit,
        onRequest: signed.onRequest,
        preValidation: signed.preValidation,
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = await receiveInboundEmail(deps, raw);
        if (outcome.kind === 'unknown_sender') {
          return reply.code(422).type('application/problem+json').send(unknownSender(outcome.from));
        }
        return reply.code(outcome.result.duplicate ? 200 : 201).send(outcome.result);
      },
    );
  });
}
