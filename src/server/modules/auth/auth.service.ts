import { sql } from 'kysely';
import type { ApiToken, Me } from '../../../shared/auth.js';
import { actorOf, writeAudit } from '../../platform/audit.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AppDeps } from '../../platform/deps.js';
import {
  digest,
  generatePassword,
  hashPassword,
  randomSecret,
  verifyPassword,
} from '../../platform/passwords.js';
import { type Principal, permissionsOf } from '../../platform/principal.js';
import { looksLikeJwt } from '../../platform/supabase-jwt.js';
import { principalFromJwtClaims } from './supabase-staff.service.js';
import { findApiToken, findSession, findStaffByEmail, tokenColumns } from './auth.queries.js';

export const SESSION_COOKIE = 'crm_session';
const API_TOKEN_PREFIX = 'crm_';

export function toMe(p: Principal): Me {
  return {
    id: p.staffId,
    email: p.email,
    name: p.name,
    role: p.role,
    permissions: permissionsOf(p),
    auth: p.auth,
  };
}

/**
 * Checks a password and opens a session; the caller sets the cookie with the returned secret.
 * Both outcomes are audited; a failure keeps the email tried (never the password) and why, which
 * only administrators read, while the caller hears the same message whatever the reason.
 */
export async function login(
  deps: AppDeps,
  input: { email: string; password: string; ip: string; userAgent: string | undefined },
): Promise<{ secret: string; principal: Principal; expiresAt: Date }> {
  const staff = await findStaffByEmail(deps.db, input.email);
  const ok = await verifyPassword(input.password, staff?.password_hash);
  if (!staff || !ok || staff.disabled) {
    await writeAudit(deps.db, {
      action: 'auth.sign_in_failed',
      // who the attempt claimed to be: nobody is proven, so no actor id
      actor: { id: null, email: input.email, name: null },
      subject: staff ? { type: 'staff_user', id: staff.id } : null,
      ip: input.ip,
      details: {
        method: 'password',
        reason: !staff ? 'unknown_account' : !ok ? 'wrong_password' : 'disabled',
      },
    });
    throw new AppError('unauthenticated', 'Email or password is incorrect, or the account is disabled');
  }
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + deps.config.sessionTtlHours * 3600_000);
  const principal: Principal = {
    staffId: staff.id,
    email: staff.email,
    name: staff.name,
    role: staff.role,
    auth: 'session',
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('staff_sessions')
      .values({
        id: digest(secret),
        staff_id: staff.id,
        expires_at: expiresAt,
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await trx
      .updateTable('staff_users')
      .set({ last_sign_in_at: sql`now()` })
      .where('id', '=', staff.id)
      .execute();
    // expired sessions are cleared as people sign in, so the table does not grow without bound
    await trx.deleteFrom('staff_sessions').where('expires_at', '<', new Date()).execute();
    await writeAudit(trx, {
      action: 'auth.sign_in',
      actor: actorOf(principal),
      subject: { type: 'staff_user', id: staff.id },
      ip: input.ip,
      details: { method: 'password' },
    });
  });
  return { secret, expiresAt, principal };
}

export async function logout(deps: AppDeps, sessionSecret: string | undefined) {
  if (!sessionSecret) return;
  await deps.db.deleteFrom('staff_sessions').where('id', '=', digest(sessionSecret)).execute();
}

export async function principalFromSession(deps: AppDeps, secret: string): Promise<Principal | null> {
  const row = await findSession(deps.db, digest(secret));
  if (!row || row.disabled || row.expires_at < new Date()) return null;
  return {
    staffId: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    auth: 'session',
    sessionId: row.session_id,
  };
}

/**
 * A bearer token is either a personal API token (`crm_...`) or a Supabase-issued JWT. `ip` is the
 * caller's address, kept in the audit log when a JWT shows a new Supabase sign-in.
 */
export async function principalFromBearer(
  deps: AppDeps,
  token: string,
  ip: string | null = null,
): Promise<Principal | null> {
  if (token.startsWith(API_TOKEN_PREFIX)) {
    const row = await findApiToken(deps.db, digest(token));
    if (!row || row.disabled || row.revoked_at || (row.expires_at && row.expires_at < new Date()))
      return null;
    // last use is advisory: update at most once a minute per token to keep reads cheap
    await deps.db
      .updateTable('api_tokens')
      .set({ last_used_at: sql`now()` })
      .where('id', '=', row.token_id)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`),
        ]),
      )
      .execute();
    return { staffId: row.id, email: row.email, name: row.name, role: row.role, auth: 'api_token' };
  }
  if (deps.jwt && looksLikeJwt(token)) {
    const claims = await deps.jwt.verify(token);
    return claims ? principalFromJwtClaims(deps, claims, ip) : null;
  }
  return null;
}

function toApiToken(row: {
  id: string;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

export async function createApiToken(
  deps: AppDeps,
  staffId: string,
  input: { name: string; expires_in_days?: number | undefined },
) {
  const token = `${API_TOKEN_PREFIX}${randomSecret(32)}`;
  const row = await deps.db
    .insertInto('api_tokens')
    .values({
      staff_id: staffId,
      name: input.name,
      prefix: token.slice(0, 12),
      token_hash: digest(token),
      expires_at: input.expires_in_days ? new Date(Date.now() + input.expires_in_days * 86400_000) : null,
    })
    .returning(tokenColumns())
    .executeTakeFirstOrThrow();
  return { ...toApiToken(row), token };
}

export async function listApiTokens(deps: AppDeps, staffId: string) {
  const rows = await deps.db
    .selectFrom('api_tokens')
    .select(tokenColumns())
    .where('staff_id', '=', staffId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toApiToken);
}

export async function revokeApiToken(deps: AppDeps, staffId: string, tokenId: string) {
  const row = await deps.db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', tokenId)
    .where('staff_id', '=', staffId)
    .returning(tokenColumns())
    .executeTakeFirst();
  if (!row) throw notFound('API token');
  return toApiToken(row);
}

/**
 * The first administrator: from CRM_ADMIN_EMAIL/PASSWORD when no staff user has that email; or,
 * with neither set and no staff at all, a generated one whose password is returned to print once.
 */
export async function ensureFirstAdmin(deps: AppDeps): Promise<{ email: string; password?: string } | null> {
  const admin = deps.config.admin;
  if (admin) {
    if (await findStaffByEmail(deps.db, admin.email)) return null;
    await deps.db
      .insertInto('staff_users')
      .values({
        email: admin.email,
        role: 'admin',
        name: 'Administrator',
        password_hash: await hashPassword(admin.password),
      })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .execute();
    return { email: admin.email };
  }
  const any = await deps.db.selectFrom('staff_users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const password = generatePassword();
  const email = 'admin@crm.local';
  await deps.db
    .insertInto('staff_users')
    .values({ email, role: 'admin', name: 'Administrator', password_hash: await hashPassword(password) })
    .execute();
  return { email, password };
}

/** Changes the signed-in user's password; their other sessions end, this one stays. */
export async function changePassword(
  deps: AppDeps,
  principal: Principal,
  input: { current_password: string; new_password: string },
) {
  const staff = await findStaffByEmail(deps.db, principal.email);
  if (!staff || !(await verifyPassword(input.current_password, staff.password_hash))) {
    throw new AppError('validation_failed', 'The current password is not correct', {
      errors: [{ field: 'current_password', message: 'Not correct' }],
    });
  }
  const hash = await hashPassword(input.new_password);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_users')
      .set({ password_hash: hash, updated_at: sql`now()` })
      .where('id', '=', staff.id)
      .execute();
    let others = trx.deleteFrom('staff_sessions').where('staff_id', '=', staff.id);
    if (principal.sessionId) others = others.where('id', '<>', principal.sessionId);
    await others.execute();
  });
}
