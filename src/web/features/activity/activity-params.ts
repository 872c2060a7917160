import { type TimelineKind, timelineKinds } from '../../../shared/customers.js';
import type { ActivityFilters } from './api/get-activity.js';

const known = new Set<string>(timelineKinds);
const staffId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The feed's filters from the URL (`?actor=me&kind=note_added,ticket_opened`); unknown values are dropped. */
export function readActivityParams(params: URLSearchParams): ActivityFilters {
  const actor = params.get('actor');
  const kinds = (params.get('kind') ?? '').split(',').filter((k): k is TimelineKind => known.has(k));
  return { actor: actor === 'me' || (actor && staffId.test(actor)) ? actor : null, kinds };
}

/** The URL search params for these filters (empty ones left out). */
export function writeActivityParams(filters: ActivityFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.kinds.length) params.set('kind', filters.kinds.join(','));
  return params;
}
