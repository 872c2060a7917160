import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { Config } from '../config.js';

/**
 * Verifies JWTs issued by Supabase Auth: asymmetric keys from the project's JWKS (ES256/RS256,
 * cached and refreshed by jose) or the legacy HS256 secret. Algorithms are allow-listed per key
 * source, `exp`/`nbf`/`aud` are checked, and header fields such as `jku`/`x5u` are never followed
 * (jose does not fetch keys named by a token).
 */
export interface SupabaseJwtVerifier {
  verify(token: string): Promise<JWTPayload | null>;
}

export function createSupabaseJwtVerifier(config: Config['supabase']): SupabaseJwtVerifier | null {
  const jwks: JWTVerifyGetKey | null = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 })
    : null;
  const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : null;
  if (!jwks && !secret) return null;

  const common = {
    audience: config.audience,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    clockTolerance: 5,
    requiredClaims: ['sub', 'exp'],
  };

  return {
    async verify(token) {
      const alg = peekAlg(token);
      try {
        if (alg === 'HS256' && secret) {
          return (await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] })).payload;
        }
        if ((alg === 'ES256' || alg === 'RS256') && jwks) {
          return (await jwtVerify(token, jwks, { ...common, algorithms: ['ES256', 'RS256'] })).payload;
        }
        return null;
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },
  };
}

function peekAlg(token: string): string | null {
  const header = token.split('.')[0];
  if (!header) return null;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof parsed.alg === 'string' ? parsed.alg : null;
  } catch {
    return null;
  }
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
