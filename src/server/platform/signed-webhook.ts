import { createHmac, timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../../shared/problem.js';
import { AppError } from './errors.js';

/** How far a delivery's timestamp may be from our clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${raw body}`). */
export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `v1=${mac.digest('hex')}`;
}

const unauthenticated = (message: string) => new AppError('unauthenticated', message);

/**
 * Checks an inbound delivery's timestamp and signature over the exact bytes received; throws a
 * 401 AppError otherwise. Comparison is constant-time.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
) {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    throw unauthenticated('x-crm-timestamp must be the unix time in seconds');
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
    throw unauthenticated('x-crm-timestamp is more than 5 minutes away from the server time');
  }
  if (!signature) throw unauthenticated('x-crm-signature is missing');
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthenticated('x-crm-signature does not match the body');
  }
}

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
      verifyWebhook(
        opts.secret() ?? '',
        { timestamp: header(request, 'x-crm-timestamp'), signature: header(request, 'x-crm-signature') },
        rawBodies.get(request) ?? (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)),
      );
    },
  };
}
