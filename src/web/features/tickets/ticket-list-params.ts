import {
  type TicketPriority,
  type TicketStatus,
  ticketPriorities,
  ticketStatuses,
} from '../../../shared/tickets.js';

/** The queue's tabs: one per status, every status, or the breached ones. */
export const ticketTabs = [...ticketStatuses, 'breached', 'all'] as const;
export type TicketTab = (typeof ticketTabs)[number];
export const defaultTicketTab: TicketTab = 'open';

export type TicketSort = 'sla_due_at' | 'created_at';

/** The queue's filters as the URL keeps them (`?tab=pending&priority=high,urgent&assignee=me`). */
export interface TicketQueueFilters {
  tab: TicketTab;
  priority?: TicketPriority[];
  /** A staff id, `me` or `none`. */
  assignee?: string;
  sort: TicketSort;
  order: 'asc' | 'desc';
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pickPriorities(raw: string | null): TicketPriority[] | undefined {
  if (!raw) return undefined;
  const picked = raw
    .split(',')
    .filter((v): v is TicketPriority => (ticketPriorities as readonly string[]).includes(v));
  return picked.length > 0 ? picked : undefined;
}

export function parseTicketParams(params: URLSearchParams): TicketQueueFilters {
  const tab = params.get('tab');
  const assignee = params.get('assignee');
  const sort = params.get('sort');
  const order = params.get('order');
  return {
    tab: (ticketTabs as readonly string[]).includes(tab ?? '') ? (tab as TicketTab) : defaultTicketTab,
    priority: pickPriorities(params.get('priority')),
    assignee:
      assignee && (assignee === 'me' || assignee === 'none' || uuidPattern.test(assignee))
        ? assignee
        : undefined,
    sort: sort === 'created_at' ? 'created_at' : 'sla_due_at',
    order: order === 'desc' ? 'desc' : 'asc',
  };
}

/** Writes the filters back, leaving out defaults. */
export function toTicketSearchParams(filters: TicketQueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.tab !== defaultTicketTab) params.set('tab', filters.tab);
  if (filters.priority?.length) params.set('priority', filters.priority.join(','));
  if (filters.assignee) params.set('assignee', filters.assignee);
  if (filters.sort !== 'sla_due_at') params.set('sort', filters.sort);
  if (filters.order !== 'asc') params.set('order', filters.order);
  return params;
}

/** The API query for these filters: a tab is a status filter or `breached=true`. */
export function toTicketQuery(filters: TicketQueueFilters) {
  const status: TicketStatus[] | undefined = (ticketStatuses as readonly string[]).includes(filters.tab)
    ? [filters.tab as TicketStatus]
    : undefined;
  return {
    status,
    breached: filters.tab === 'breached' ? ('true' as const) : undefined,
    priority: filters.priority,
    assignee_id: filters.assignee,
    sort: filters.sort,
    order: filters.order,
  };
}
