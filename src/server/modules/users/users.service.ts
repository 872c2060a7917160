import { sql } from 'kysely';
import type { StaffUser, StaffUserCreate, StaffUserPatch } from '../../../shared/auth.js';
import { actorOf, writeAudit } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/passwords.js';
import type { Principal } from '../../platform/principal.js';

const columns = ['id', 'email', 'name', 'role', 'disabled', 'created_at', 'last_sign_in_at'] as const;

type StaffRow = {
  id: string;
  email: string;
  name: string | null;
  role: StaffUser['role'];
  disabled: boolean;
  created_at: Date;
  last_sign_in_at: Date | null;
};

function toStaffUser(row: StaffRow): StaffUser {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    last_sign_in_at: row.last_sign_in_at?.toISOString() ?? null,
  };
}

export async function listStaff(deps: AppDeps): Promise<StaffUser[]> {
  const rows = await deps.db.selectFrom('staff_users').select(columns).orderBy('email').execute();
  return rows.map(toStaffUser);
}

/** Who changes staff, for the checks on their own account and for the audit log. */
export interface StaffChangeBy {
  principal: Principal;
  ip: string;
}

export async function createStaff(
  deps: AppDeps,
  by: StaffChangeBy,
  input: StaffUserCreate,
): Promise<StaffUser> {
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('staff_users')
      .values({ email: input.email, name: input.name ?? null, role: input.role, password_hash: passwordHash })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .returning(columns)
      .executeTakeFirst();
    if (!row) {
      throw new AppError('duplicate', 'A staff user with this email already exists', {
        errors: [{ field: 'email', message: 'Already used by another staff user' }],
      });
    }
    await writeAudit(trx, {
      action: 'staff.created',
      actor: actorOf(by.principal),
      subject: { type: 'staff_user', id: row.id },
      ip: by.ip,
      details: { email: row.email, role: row.role },
    });
    return toStaffUser(row);
  });
}

export async function updateStaff(
  deps: AppDeps,
  by: StaffChangeBy,
  id: string,
  patch: StaffUserPatch,
): Promise<StaffUser> {
  const actorId = by.principal.staffId;
  return deps.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('staff_users')
      .select(columns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('Staff user');
    const losesAdmin =
      current.role === 'admin' &&
      !current.disabled &&
      ((patch.role && patch.role !== 'admin') || patch.disabled === true);
    if (losesAdmin) {
      if (id === actorId) {
        throw new AppError('conflict', 'You cannot remove your own administrator access', {
          errors: [{ field: patch.disabled ? 'disabled' : 'role', message: 'Ask another administrator' }],
        });
      }
      const others = await trx
        .selectFrom('staff_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'admin')
        .where('disabled', '=', false)
        .where('id', '<>', id)
        .executeTakeFirstOrThrow();
      if (Number(others.n) === 0)
        throw new AppError('conflict', 'The last active administrator cannot be removed');
    }
    const row = await trx
      .updateTable('staff_users')
      .set({
        ...(patch.role ? { role: patch.role, role_source: 'crm' as const } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
        ...(patch.name ? { name: patch.name } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    // a disabled user is signed out everywhere at once
    if (patch.disabled) await trx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute();
    const audit = { actor: actorOf(by.principal), subject: { type: 'staff_user', id }, ip: by.ip };
    if (row.role !== current.role) {
      await writeAudit(trx, {
        ...audit,
        action: 'staff.role_changed',
        details: { from: current.role, to: row.role },
      });
    }
    if (row.disabled && !current.disabled) {
      await writeAudit(trx, { ...audit, action: 'staff.disabled', details: { email: row.email } });
    }
    if (!row.disabled && current.disabled) {
      await writeAudit(trx, { ...audit, action: 'staff.enabled', details: { email: row.email } });
    }
    return toStaffUser(row);
  });
}

export async function staffDirectory(deps: AppDeps) {
  return deps.db
    .selectFrom('staff_users')
    .select(['id', 'name', 'email', 'role'])
    .where('disabled', '=', false)
    .orderBy('name')
    .orderBy('email')
    .execute();
}
