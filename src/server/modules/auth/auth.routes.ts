import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiTokenCreateSchema,
  apiTokenCreatedSchema,
  apiTokenSchema,
  loginBodySchema,
  meSchema,
  passwordChangeSchema,
} from '../../../shared/auth.js';
import { isCrossSite, principalOf } from '../../platform/auth-plugin.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { LoginLimiter } from '../../platform/login-limiter.js';
import {
  SESSION_COOKIE,
  changePassword,
  createApiToken,
  listApiTokens,
  login,
  logout,
  revokeApiToken,
  toMe,
} from './auth.service.js';

export function authRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const limiter = new LoginLimiter(deps.config.loginRateLimit);
  const secureCookie = (protocol: string) =>
    protocol === 'https' || deps.config.publicUrl?.startsWith('https:') === true;

  r.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: loginBodySchema,
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      // a sign-in form posted from another site could fix a victim's session: refuse it too
      if (isCrossSite(request)) throw new AppError('forbidden', 'Cross-site requests are refused');
      const { email, password } = request.body;
      const wait = limiter.retryAfter(request.ip, email);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new AppError('rate_limited', `Too many failed sign-ins; try again in ${wait} s`);
      }
      try {
        const session = await login(deps, {
          email,
          password,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
        limiter.succeed(email);
        void reply.setCookie(SESSION_COOKIE, session.secret, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookie(request.protocol),
          expires: session.expiresAt,
        });
        return toMe(session.principal);
      } catch (err) {
        if (err instanceof AppError && err.code === 'unauthenticated') limiter.fail(request.ip, email);
        throw err;
      }
    },
  );

  r.post(
    '/api/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await logout(deps, request.cookies[SESSION_COOKIE]);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: meSchema } },
    },
    async (request) => toMe(principalOf(request)),
  );

  r.post(
    '/api/auth/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (ends my other sessions)',
        body: passwordChangeSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await changePassword(deps, principalOf(request), request.body);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/auth/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'My API tokens',
        response: { 200: z.object({ data: z.array(apiTokenSchema) }) },
      },
    },
    async (request) => ({ data: await listApiTokens(deps, principalOf(request).staffId) }),
  );

  r.post(
    '/api/auth/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Create a personal API token (the secret is shown once)',
        body: apiTokenCreateSchema,
        response: { 201: apiTokenCreatedSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.auth === 'api_token')
        throw new AppError('forbidden', 'An API token cannot create other tokens');
      const created = await createApiToken(deps, principal.staffId, request.body);
      return reply.code(201).send(created);
    },
  );

  r.delete(
    '/api/auth/tokens/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token',
        params: z.object({ id: z.uuid() }),
        response: { 200: apiTokenSchema },
      },
    },
    async (request) => revokeApiToken(deps, principalOf(request).staffId, request.params.id),
  );
}
