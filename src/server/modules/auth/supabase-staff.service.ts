import type { JWTPayload } from 'jose';
import { sql } from 'kysely';
import { type StaffRole, staffRoles } from '../../../shared/enums.js';
import { actorOf, writeAudit } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/deps.js';
import type { Principal } from '../../platform/principal.js';
import { findStaffByAuthUser } from './auth.queries.js';

/*
 * Staff signed in through Supabase Auth: who a verified JWT is, the role its app_metadata grants,
 * and the audit entries for first visits, platform role changes and new sign-ins.
 */

/** The CRM's role from app_metadata only: user_metadata is writable by the user and never trusted. */
function roleFromAppMetadata(claims: JWTPayload): StaffRole | null {
  const meta = claims.app_metadata;
  if (!meta || typeof meta !== 'object') return null;
  const role = (meta as Record<string, unknown>).crm_role;
  return typeof role === 'string' && (staffRoles as readonly string[]).includes(role)
    ? (role as StaffRole)
    : null;
}

/**
 * Who a verified Supabase JWT is: a linked staff user, or a platform user whose app_metadata
 * grants a CRM role (made staff on first visit). Refused: unknown subjects, disabled staff, and
 * staff whose role follows app_metadata when the token grants none.
 */
export async function principalFromJwtClaims(
  deps: AppDeps,
  claims: JWTPayload,
  ip: string | null,
): Promise<Principal | null> {
  const sub = claims.sub;
  if (!sub || !/^[0-9a-f-]{36}$/i.test(sub)) return null;
  const user = await deps.db
    .selectFrom('auth.users')
    .select(['id', 'email'])
    .where('id', '=', sub)
    .executeTakeFirst();
  if (!user) return null;
  const staff = await findStaffByAuthUser(deps.db, sub);
  const claimedRole = roleFromAppMetadata(claims);
  let principal: Principal;
  if (staff) {
    if (staff.disabled) return null;
    let role = staff.role;
    if (staff.role_source === 'app_metadata') {
      if (!claimedRole) return null;
      if (claimedRole !== staff.role) await followAppMetadataRole(deps, staff.id, claimedRole);
      role = claimedRole;
    }
    principal = { staffId: staff.id, email: staff.email, name: staff.name, role, auth: 'supabase_jwt' };
  } else {
    if (!claimedRole) return null;
    principal = await createPlatformStaff(deps, sub, user.email ?? `${sub}@users.invalid`, claimedRole);
  }
  await noteJwtSignIn(deps, principal, staff?.last_sign_in_at ?? null, claims, ip);
  return principal;
}

/** A role granted in app_metadata changed on the platform: the staff record follows, audited. */
async function followAppMetadataRole(deps: AppDeps, staffId: string, to: StaffRole) {
  await deps.db.transaction().execute(async (trx) => {
    // locked and read again: of concurrent requests carrying the new role, one records the change
    const current = await trx
      .selectFrom('staff_users')
      .select('role')
      .where('id', '=', staffId)
      .forUpdate()
      .executeTakeFirst();
    if (!current || current.role === to) return;
    await trx.updateTable('staff_users').set({ role: to }).where('id', '=', staffId).execute();
    await writeAudit(trx, {
      action: 'staff.role_changed',
      actor: null, // the platform changed it, not a person in the CRM
      subject: { type: 'staff_user', id: staffId },
      details: { from: current.role, to, source: 'app_metadata' },
    });
  });
}

/**
 * First visit of a platform user whose app_metadata grants a CRM role: a staff record is made so
 * their actions have an author; its role keeps following app_metadata.
 */
async function createPlatformStaff(
  deps: AppDeps,
  authUserId: string,
  email: string,
  role: StaffRole,
): Promise<Principal> {
  return deps.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('staff_users')
      .values({ email, role, auth_user_id: authUserId, role_source: 'app_metadata' })
      .onConflict((oc) => oc.column('auth_user_id').doUpdateSet({ role }))
      // xmax is 0 on a row this statement inserted: a concurrent first visit only updated it
      .returning(['id', 'email', 'name', sql<boolean>`xmax = 0`.as('inserted')])
      .executeTakeFirstOrThrow();
    if (created.inserted) {
      await writeAudit(trx, {
        action: 'staff.created',
        actor: null,
        subject: { type: 'staff_user', id: created.id },
        details: { email: created.email, role, source: 'app_metadata' },
      });
    }
    return { staffId: created.id, email: created.email, name: created.name, role, auth: 'supabase_jwt' };
  });
}

/**
 * When the person behind a Supabase token signed in: the latest `amr` time, which refreshed tokens
 * keep, else `iat` (then each refresh counts). Never later than now, so a skewed clock cannot hide
 * the next sign-in.
 */
function supabaseSignIn(claims: JWTPayload): { at: Date; via: string | null } | null {
  const amr = (Array.isArray(claims.amr) ? claims.amr : []) as unknown[];
  let latest: { timestamp: number; method: unknown } | null = null;
  for (const m of amr) {
    const entry = m && typeof m === 'object' ? (m as Record<string, unknown>) : {};
    if (typeof entry.timestamp === 'number' && (!latest || entry.timestamp > latest.timestamp)) {
      latest = { timestamp: entry.timestamp, method: entry.method };
    }
  }
  const seconds = latest?.timestamp ?? claims.iat;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  return {
    at: new Date(Math.min(seconds * 1000, Date.now())),
    via: typeof latest?.method === 'string' ? latest.method.slice(0, 50) : null,
  };
}

/**
 * A JWT arrives with every request; only one that shows a sign-in later than the last one known
 * is audited (and moves `last_sign_in_at`), so the log holds sign-ins, not requests.
 */
async function noteJwtSignIn(
  deps: AppDeps,
  principal: Principal,
  lastSignIn: Date | null,
  claims: JWTPayload,
  ip: string | null,
) {
  const signIn = supabaseSignIn(claims);
  if (!signIn || (lastSignIn && lastSignIn >= signIn.at)) return;
  await deps.db.transaction().execute(async (trx) => {
    // conditional, so of concurrent requests with the same token one records it
    const moved = await trx
      .updateTable('staff_users')
      .set({ last_sign_in_at: signIn.at })
      .where('id', '=', principal.staffId)
      .where((eb) => eb.or([eb('last_sign_in_at', 'is', null), eb('last_sign_in_at', '<', signIn.at)]))
      .returning('id')
      .executeTakeFirst();
    if (!moved) return;
    await writeAudit(trx, {
      action: 'auth.sign_in',
      actor: actorOf(principal),
      subject: { type: 'staff_user', id: principal.staffId },
      ip,
      details: { method: 'supabase_jwt', ...(signIn.via ? { via: signIn.via } : {}) },
    });
  });
}
