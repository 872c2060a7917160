import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import type { bulkSelectionSchema } from '../../../shared/bulk.js';
import type { DB } from '../../db/schema.js';
import { badInput } from '../../platform/errors.js';
import { compileCriteria } from '../criteria/criteria.compiler.js';
import { fromCustomers } from '../criteria/criteria.source.js';
import { customerFilters } from './customers.queries.js';

/** Which customers an action covers: bulk actions' selections, and exports' `{ all: true }`. */
export type CustomerSelection = z.output<typeof bulkSelectionSchema> | { all: true };

/**
 * `customers as c` (with `customer_metrics as m`) narrowed to the selection, as one query (never pulled into Node); callers
 * add what they select. Bulk actions, exports and counts share it, so they agree on who is in.
 */
export function selectCustomers(db: Kysely<DB>, selection: CustomerSelection, staffId: string) {
  const base = fromCustomers(db);
  if ('all' in selection) return base;
  if ('ids' in selection) return base.where('c.id', 'in', selection.ids);
  if ('criteria' in selection) return base.where(compileCriteria(selection.criteria, { staffId }));
  if ('segment_id' in selection) {
    return base.where(
      sql<boolean>`exists (select 1 from segment_members sm
        where sm.segment_id = ${selection.segment_id} and sm.customer_id = c.id)`,
    );
  }
  const filter = { ...selection.filter, sort: 'created_at' as const, order: 'desc' as const, limit: 1 };
  return base.where((eb) => customerFilters(eb, filter, staffId));
}

/** A selection's references exist (a segment id), or a 400 naming the field. */
export async function checkSelection(db: Kysely<DB>, selection: CustomerSelection) {
  if ('segment_id' in selection) {
    const found = await db
      .selectFrom('segments')
      .select('id')
      .where('id', '=', selection.segment_id)
      .executeTakeFirst();
    if (!found) throw badInput('selection.segment_id', 'No segment has this id');
  }
}
