import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../../shared/problem.js';
import { verifyInbound } from '../modules/tickets/tickets-inbound.service.js';
import { AppError } from './errors.js';

const header = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Route hooks for a webhook signed with a shared secret (x-crm-timestamp, x-crm-signature =
 * `v1=` + hex HMAC-SHA256 of `<timestamp>.<raw body>`): refused with 503 before reading the body
 * when no secret is configured, the exact bytes kept for the check, and the signature verified
 * before the body is validated, so an unsigned caller learns nothing about the schema.
 * A JSON route uses all three hooks; a route whose parser gives the body as a Buffer (raw MIME)
 * needs no preParsing.
 */
export function signedWebhook(opts: { secret: () => string | undefined; bodyLimit: number; what: string }) {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  const notConfigured: Problem = {
    type: 'https://crm.example/problems/not-configured',
    title: 'Not configured',
    status: 503,
    code: 'not_configured',
    detail: `${opts.what} are not configured`,
  };
  return {
    bodyLimit: opts.bodyLimit,
    onRequest: async (_request: FastifyRequest, reply: FastifyReply) => {
      if (!opts.secret()) return reply.code(503).type('application/problem+json').send(notConfigured);
    },
    preParsing: async (
      request: FastifyRequest,
      _reply: FastifyReply,
      payload: AsyncIterable<Buffer | string>,
    ) => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of payload) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        size += buf.length;
        if (size > opts.bodyLimit) {
          throw new AppError('payload_too_large', `Deliveries are at most ${opts.bodyLimit} bytes`);
        }
        chunks.push(buf);
      }
      const raw = Buffer.concat(chunks);
      rawBodies.set(request, raw);
      const replay = Readable.from([raw]) as Readable & { receivedEncodedLength?: number };
      replay.receivedEncodedLength = raw.length;
      return replay;
    },
    /** Checks the signature over the bytes preParsing kept, or over a body parsed as a Buffer. */
    preValidation: async (request: FastifyRequest) => {
      verifyInbound(
        opts.secret() ?? '',
        { timestamp: header(request, 'x-crm-timestamp'), signature: header(request, 'x-crm-signature') },
        rawBodies.get(request) ?? (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)),
      );
    },
  };
}
