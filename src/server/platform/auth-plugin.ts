import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission } from '../../shared/permissions.js';
import { SESSION_COOKIE, principalFromBearer, principalFromSession } from '../modules/auth/auth.service.js';
import type { AppDeps } from './deps.js';
import { AppError } from './errors.js';
import { type Principal, can } from './principal.js';

/** What a route requires: a permission, any signed-in user, or nothing. */
export type RouteAccess = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cookie-authenticated writes from another site are refused: browsers send Sec-Fetch-Site, and
 * Origin on every unsafe request; either naming another origin is enough to refuse.
 */
export function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      // compare through URL so default ports (":80", ":443") are normalised on both sides
      return new URL(origin).host !== new URL(`${request.protocol}://${request.host}`).host;
    } catch {
      return true;
    }
  }
  return origin === 'null';
}

export function registerAuth(app: FastifyInstance, deps: AppDeps) {
  app.decorateRequest('principal', null);

  // Every API route must say who may call it; a route without `access` fails at start-up.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.access) {
      throw new Error(`Route ${route.method} ${route.url} declares no access permission`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;

    const authorization = request.headers.authorization;
    if (authorization) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) {
        throw new AppError('unauthenticated', 'Authorization must be "Bearer <token>"');
      }
      request.principal = await principalFromBearer(deps, token, request.ip);
      if (!request.principal)
        throw new AppError('unauthenticated', 'The bearer token is invalid, expired or revoked');
    } else {
      const secret = request.cookies[SESSION_COOKIE];
      request.principal = secret ? await principalFromSession(deps, secret) : null;
      if (!request.principal) throw new AppError('unauthenticated', 'Sign in to continue');
      if (unsafeMethods.has(request.method) && isCrossSite(request)) {
        throw new AppError('forbidden', 'Cross-site requests are refused');
      }
    }
    if (access !== 'authenticated' && !can(request.principal, access)) {
      throw new AppError('forbidden', `This needs the ${access} permission`);
    }
  });
}

/** The signed-in principal of a route that is not public. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Sign in to continue');
  return request.principal;
}
