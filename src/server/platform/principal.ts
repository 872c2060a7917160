import type { StaffRole } from '../../shared/enums.js';
import { type Permission, roleHas, rolePermissions } from '../../shared/permissions.js';

/** Who is making a request, however they proved it. */
export interface Principal {
  staffId: string;
  email: string;
  name: string | null;
  role: StaffRole;
  auth: 'session' | 'api_token' | 'supabase_jwt';
  sessionId?: string;
}

export function can(principal: Principal | null | undefined, permission: Permission): boolean {
  return !!principal && roleHas(principal.role, permission);
}

export function permissionsOf(principal: Principal): Permission[] {
  return [...rolePermissions[principal.role]];
}
