import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { invalidLinkPage, unsubscribedPage, unsubscribePage } from './unsubscribe-page.js';
import { unsubscribe, unsubscribeTarget } from './unsubscribe.service.js';

/** A form post is a few bytes; nothing bigger is read. */
const FORM_LIMIT = 4 * 1024;

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

/** The link is a secret: not cached anywhere, not passed on to another site. */
function privateHeaders(reply: FastifyReply) {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

const html = (reply: FastifyReply, status: number, body: string) =>
  privateHeaders(reply).code(status).type('text/html; charset=utf-8').send(body);

const ONE_CLICK = (fields: Record<string, unknown>) => fields['List-Unsubscribe'] === 'One-Click';

/**
 * RFC 8058: a mail client's one-click POST carries `List-Unsubscribe=One-Click`, form-encoded
 * (urlencoded or multipart). Anything else is the page's own button.
 */
async function isOneClick(request: FastifyRequest): Promise<boolean> {
  if (request.isMultipart()) {
    let found = false;
    for await (const part of request.parts({ limits: { fields: 10, fieldSize: 1024, files: 0 } })) {
      if (part.type === 'field' && ONE_CLICK({ [part.fieldname]: part.value })) found = true;
    }
    return found;
  }
  const body = request.body;
  if (typeof body === 'string') return ONE_CLICK(Object.fromEntries(new URLSearchParams(body)));
  return typeof body === 'object' && body !== null && ONE_CLICK(body as Record<string, unknown>);
}

/**
 * The unsubscribe link of every outbound email (its tracking token): public, no login. GET shows
 * a page asking to confirm (a link scanner's GET changes nothing); POST unsubscribes, from the
 * page's button or a mail client's one-click request. No CSRF token: RFC 8058 posts without one,
 * and the worst a forged post can do is what the link's holder may do anyway.
 */
export function unsubscribeRoutes(app: FastifyInstance, deps: AppDeps) {
  // scoped: form bodies are parsed for these routes only
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.get(
      '/t/u/:token',
      { config: { access: 'public' }, schema: { hide: true } },
      async (request: TokenRequest, reply) => {
        const target = await unsubscribeTarget(deps, request.params.token);
        if (!target) return html(reply, 404, invalidLinkPage());
        return html(
          reply,
          200,
          unsubscribePage({
            address: target.address,
            // relative to this page, so it also works behind a path prefix
            action: encodeURIComponent(request.params.token),
            alreadyOff: target.alreadyOff,
          }),
        );
      },
    );

    scope.post(
      '/t/u/:token',
      { config: { access: 'public' }, schema: { hide: true }, bodyLimit: FORM_LIMIT },
      async (request: TokenRequest, reply) => {
        const oneClick = await isOneClick(request);
        const done = await unsubscribe(
          deps,
          request.params.token,
          oneClick ? 'one_click' : 'unsubscribe_link',
        );
        if (oneClick) {
          return privateHeaders(reply)
            .code(done ? 200 : 404)
            .type('text/plain; charset=utf-8')
            .send(done ? 'Unsubscribed\n' : 'This link is not valid\n');
        }
        if (!done) return html(reply, 404, invalidLinkPage());
        return html(reply, 200, unsubscribedPage(done.address));
      },
    );
  });
}
