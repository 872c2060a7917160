import type { BulkActionType, BulkSelection } from '../../../../shared/bulk.js';
import { formatCount } from '../../../lib/format.js';

/** "12 customers", "1 customer", "10,000+ customers". */
export function customersLabel(count: number, atLeast = false): string {
  return `${formatCount(count)}${atLeast ? '+' : ''} ${count === 1 && !atLeast ? 'customer' : 'customers'}`;
}

export interface BulkTarget {
  selection: BulkSelection;
  /** How many customers the selection holds (a floor when `countIsFloor`). */
  count: number;
  countIsFloor: boolean;
}

export const actionTitles: Record<BulkActionType, string> = {
  add_tags: 'Add tags',
  remove_tags: 'Remove tags',
  add_to_segment: 'Add to segment',
  remove_from_segment: 'Remove from segment',
  set_status: 'Set status',
  set_owner: 'Set owner',
};
