import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export const staffColumns = [
  'id',
  'email',
  'name',
  'role',
  'disabled',
  'password_hash',
  'auth_user_id',
  'role_source',
  'created_at',
  'last_sign_in_at',
] as const;

export function findStaffByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('staff_users')
    .select(staffColumns)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export function findStaffById(db: Kysely<DB>, id: string) {
  return db.selectFrom('staff_users').select(staffColumns).where('id', '=', id).executeTakeFirst();
}

export function findStaffByAuthUser(db: Kysely<DB>, authUserId: string) {
  return db
    .selectFrom('staff_users')
    .select(staffColumns)
    .where('auth_user_id', '=', authUserId)
    .executeTakeFirst();
}

export function findSession(db: Kysely<DB>, sessionDigest: string) {
  return db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_users as u', 'u.id', 's.staff_id')
    .select(['s.id as session_id', 's.expires_at', 'u.id', 'u.email', 'u.name', 'u.role', 'u.disabled'])
    .where('s.id', '=', sessionDigest)
    .executeTakeFirst();
}

export function findApiToken(db: Kysely<DB>, tokenDigest: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('staff_users as u', 'u.id', 't.staff_id')
    .select([
      't.id as token_id',
      't.expires_at',
      't.revoked_at',
      'u.id',
      'u.email',
      'u.name',
      'u.role',
      'u.disabled',
    ])
    .where('t.token_hash', '=', tokenDigest)
    .executeTakeFirst();
}

export function tokenColumns() {
  return ['id', 'name', 'prefix', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;
}
