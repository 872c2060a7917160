/** String unions shared by the server, the database checks and the web app. */
export const customerStatuses = ['active', 'inactive', 'prospect', 'churned'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];

export const lifecycleStages = ['lead', 'customer', 'loyal', 'at_risk', 'lost'] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];

export const contactMethods = ['email', 'phone', 'sms'] as const;
export type ContactMethod = (typeof contactMethods)[number];

export const orderStatuses = ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof orderStatuses)[number];
/** Only these statuses count towards customer metrics (revenue actually kept). */
export const countedOrderStatuses: readonly OrderStatus[] = ['paid', 'fulfilled'];

export const staffRoles = ['admin', 'manager', 'agent', 'viewer'] as const;
export type StaffRole = (typeof staffRoles)[number];
