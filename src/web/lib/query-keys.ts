import type { CustomerListFilters } from '../features/customers/customer-list-params.js';

/** One place for every query key, so invalidation matches what the hooks cache. */
export const queryKeys = {
  me: ['auth', 'me'] as const,
  customers: {
    all: ['customers'] as const,
    lists: () => [...queryKeys.customers.all, 'list'] as const,
    list: (filters: CustomerListFilters) => [...queryKeys.customers.lists(), filters] as const,
    detail: (id: string) => [...queryKeys.customers.all, 'detail', id] as const,
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
};
