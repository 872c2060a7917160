import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { createLinkCache } from './link-cache.js';
import { createTrackingRecorder } from './tracking-recorder.js';

// the smallest transparent GIF
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

const notFoundPage =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Link not found</title>' +
  '<p>This link is not valid.</p></html>';

const hitOf = (request: FastifyRequest) => ({
  userAgent: request.headers['user-agent'] ?? null,
  ip: request.ip,
  occurredAt: new Date(),
});

/**
 * The public tracking endpoints in outgoing mail: the open pixel and click redirects. No login,
 * no request log line (they are hit thousands of times a second), never cached; each answers
 * once its event is committed.
 */
export function trackingRoutes(app: FastifyInstance, deps: AppDeps) {
  const recorder = createTrackingRecorder(deps);
  const links = createLinkCache(deps.db);
  const quiet = { logLevel: 'warn' as const, schema: { hide: true } };

  const noStore = (reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-store, no-cache, must-revalidate, private')
      .header('referrer-policy', 'no-referrer');

  app.get<{ Params: { file: string } }>('/t/o/:file', quiet, async (request, reply) => {
    const token = request.params.file.replace(/\.gif$/, '');
    if (TOKEN.test(token)) {
      await recorder
        .record({ trackingToken: token, kind: 'opened', source: 'pixel', ...hitOf(request) })
        .catch((err: unknown) => request.log.error({ err }, 'open not stored'));
    }
    // unknown tokens get the same pixel: a broken image helps no one and tells a prober nothing
    return noStore(reply).type('image/gif').send(PIXEL);
  });

  app.get<{ Params: { token: string } }>('/t/c/:token', quiet, async (request, reply) => {
    const { token } = request.params;
    const link = TOKEN.test(token) ? await links.find(token) : undefined;
    // only ever to the URL recorded for this email and link: no token, no redirect
    if (!link) return noStore(reply).code(404).type('text/html; charset=utf-8').send(notFoundPage);
    // the reader reaches the page even if the click cannot be stored (logged, not hidden)
    await recorder
      .record({
        emailId: link.email_id,
        kind: 'clicked',
        source: 'link',
        linkPosition: link.position,
        ...hitOf(request),
      })
      .catch((err: unknown) => request.log.error({ err }, 'click not stored'));
    return noStore(reply).redirect(link.url, 302);
  });
}
