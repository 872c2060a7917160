import type { StaffRole } from './enums.js';

/**
 * The permission matrix: the one place that says what each role may do.
 * Every route declares one of these; the web app uses the same list to hide what a user cannot do.
 */
export const permissions = [
  'customers:read',
  'customers:write',
  'customers:pii',
  'customers:import',
  'orders:read',
  'orders:write',
  'products:read',
  'products:write',
  'tags:manage',
  'segments:manage',
  'users:manage',
  'settings:manage',
  'export:pii',
  /** One-to-one email to a customer. */
  'email:send',
  /** Email templates and campaigns to segments. */
  'email:campaigns',
  /** Report email events (delivered, bounced...) as the platform's mail system. */
  'email:track',
  /** Start exports of customers (and schedules); personal fields also need `export:pii`. */
  'export:customers',
  /** Approve or reject another person's large personal-data export. */
  'export:approve',
  /** Data-subject requests: everything held about one person, and erasure. */
  'privacy:manage',
  /** Read the audit log. */
  'audit:read',
  /** Shop-wide analytics: overview, cohorts, churn, product affinity, the customer-value model. */
  'analytics:read',
  /** Refit the customer-value model and recompute product affinity. */
  'analytics:manage',
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Record<StaffRole, readonly Permission[]> = {
  admin: permissions,
  manager: [
    'customers:read',
    'customers:write',
    'customers:pii',
    'customers:import',
    'orders:read',
    'orders:write',
    'products:read',
    'products:write',
    'tags:manage',
    'segments:manage',
    'export:pii',
    'export:customers',
    'email:send',
    'email:campaigns',
    'analytics:read',
    'analytics:manage',
  ],
  // agents see one customer's personal data at a time; bulk exports of it need export:pii
  agent: [
    'customers:read',
    'customers:write',
    'customers:pii',
    'orders:read',
    'products:read',
    'email:send',
    'export:customers',
    'analytics:read',
  ],
  viewer: ['customers:read', 'orders:read', 'products:read', 'analytics:read'],
};

export function roleHas(role: StaffRole, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}
