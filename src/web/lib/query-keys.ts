import type { CustomerListFilters } from '../features/customers/customer-list-params.js';

/** One place for every query key, so invalidation matches what the hooks cache. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  customers: {
    all: ['customers'] as const,
    lists: () => [...queryKeys.customers.all, 'list'] as const,
    list: (filters: CustomerListFilters) => [...queryKeys.customers.lists(), filters] as const,
    detail: (id: string) => [...queryKeys.customers.all, 'detail', id] as const,
    /** A picker's search (not the list's infinite pages). */
    search: (q: string) => [...queryKeys.customers.all, 'search', q] as const,
    orders: (id: string) => [...queryKeys.customers.detail(id), 'orders'] as const,
    timeline: (id: string, kinds: readonly string[]) =>
      [...queryKeys.customers.detail(id), 'timeline', kinds] as const,
  },
  users: {
    all: ['users'] as const,
    directory: ['users', 'directory'] as const,
  },
  tokens: {
    all: ['tokens'] as const,
  },
  tags: {
    all: ['tags'] as const,
  },
  segments: {
    all: ['segments'] as const,
    list: () => [...queryKeys.segments.all, 'list'] as const,
    detail: (id: string) => [...queryKeys.segments.all, 'detail', id] as const,
    report: (id: string, days: number) => [...queryKeys.segments.detail(id), 'report', days] as const,
    customers: (id: string, params: Record<string, unknown>) =>
      [...queryKeys.segments.detail(id), 'customers', params] as const,
    preview: (criteria: unknown) => [...queryKeys.segments.all, 'preview', criteria] as const,
  },
  criteria: {
    fields: ['criteria', 'fields'] as const,
  },
  jobs: {
    detail: (id: string) => ['jobs', id] as const,
  },
  notes: {
    all: ['notes'] as const,
    list: (customerId: string, noteType: string | null) =>
      [...queryKeys.notes.all, 'list', customerId, noteType] as const,
    revisions: (noteId: string) => [...queryKeys.notes.all, 'revisions', noteId] as const,
  },
  interactions: {
    all: ['interactions'] as const,
    list: (customerId: string, type: string | null) =>
      [...queryKeys.interactions.all, 'list', customerId, type] as const,
  },
  tickets: {
    all: ['tickets'] as const,
    lists: () => [...queryKeys.tickets.all, 'list'] as const,
    list: (params: Record<string, unknown>) => [...queryKeys.tickets.lists(), params] as const,
    detail: (id: string) => [...queryKeys.tickets.all, 'detail', id] as const,
    slaPolicies: ['tickets', 'sla-policies'] as const,
  },
  tasks: {
    all: ['tasks'] as const,
    lists: () => [...queryKeys.tasks.all, 'list'] as const,
    list: (params: Record<string, unknown>) => [...queryKeys.tasks.lists(), params] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    list: (params: Record<string, unknown>) => [...queryKeys.notifications.all, 'list', params] as const,
  },
  work: {
    mine: ['work', 'mine'] as const,
  },
  activity: {
    all: ['activity'] as const,
    list: (params: Record<string, unknown>) => [...queryKeys.activity.all, params] as const,
  },
  communications: {
    all: ['communications'] as const,
    threads: (customerId: string) => [...queryKeys.communications.all, 'threads', customerId] as const,
    preferences: (customerId: string) =>
      [...queryKeys.communications.all, 'preferences', customerId] as const,
    analytics: (params: Record<string, unknown>) =>
      [...queryKeys.communications.all, 'analytics', params] as const,
    campaigns: ['communications', 'campaigns'] as const,
    status: ['communications', 'status'] as const,
    templates: ['communications', 'templates'] as const,
    template: (id: string) => ['communications', 'templates', id] as const,
    templateVersions: (id: string) => ['communications', 'templates', id, 'versions'] as const,
    /** A rendering of template content (saved or not) with sample or one customer's data. */
    preview: (body: unknown) => ['communications', 'preview', body] as const,
  },
  exports: {
    all: ['exports'] as const,
    lists: () => [...queryKeys.exports.all, 'list'] as const,
    list: (params: Record<string, unknown>) => [...queryKeys.exports.lists(), params] as const,
    detail: (id: string) => [...queryKeys.exports.all, 'detail', id] as const,
    /** What an export would hold (count, masked fields), for the dialog's request as it stands. */
    preview: (body: unknown) => [...queryKeys.exports.all, 'preview', body] as const,
    schedules: ['exports', 'schedules'] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (params: Record<string, unknown>) => [...queryKeys.audit.all, 'list', params] as const,
  },
  insights: {
    rfm: ['insights', 'rfm'] as const,
    lifecycle: (days: number) => ['insights', 'lifecycle', days] as const,
    lifecycleRules: ['insights', 'lifecycle', 'rules'] as const,
  },
};
