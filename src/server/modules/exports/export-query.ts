import { type Kysely, sql } from 'kysely';
import { printCriteria } from '../../../shared/criteria/index.js';
import type { ExportPurpose } from '../../../shared/exports.js';
import type { DB } from '../../db/schema.js';
import { type CustomerSelection, selectCustomers } from '../customers/customer-selection.js';
import { exportColumns, primaryAddress } from './export-columns.js';
import { fromCustomers } from '../criteria/criteria.source.js';

export interface ExportSpec {
  fields: readonly string[];
  maskedFields: ReadonlySet<string>;
  selection: CustomerSelection;
  purpose: ExportPurpose;
  /** Whose export it is: `owner = me` in a criteria selection means them. */
  staffId: string;
}

/**
 * Marketing exports leave out who refused data sharing or any contact (preferences are stored
 * partially: a missing key means allowed).
 */
const sharingAllowed = sql<boolean>`coalesce((c.communication_preferences->>'data_sharing')::boolean, true)
  and not coalesce((c.communication_preferences->>'do_not_contact')::boolean, false)`;

/** The selected customers, narrowed by the purpose. */
export function exportedCustomers(
  db: Kysely<DB>,
  spec: Pick<ExportSpec, 'selection' | 'purpose' | 'staffId'>,
) {
  const base = selectCustomers(db, spec.selection, spec.staffId);
  return spec.purpose === 'marketing' ? base.where(sharingAllowed) : base;
}

/** How many rows the export holds. */
export async function countExportRows(
  db: Kysely<DB>,
  spec: Pick<ExportSpec, 'selection' | 'purpose' | 'staffId'>,
) {
  const row = await exportedCustomers(db, spec)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The export as one query: the selection's own query (its predicate and bound values) with a
 * column per field, in field order, oldest customer first so files are stable between runs.
 * Counts and files agree by construction; the benchmark COPYs this very statement. With
 * `idsTable` the customers are those listed in that (temporary) table instead: COPY takes no
 * bound values, so a selection with values is listed there first.
 */
export function exportQuery(db: Kysely<DB>, spec: ExportSpec, o: { csv?: boolean; idsTable?: string } = {}) {
  const cols = exportColumns(spec.fields, spec.maskedFields, o.csv);
  let q = o.idsTable
    ? fromCustomers(db).where(sql<boolean>`c.id in (select id from ${sql.table(o.idsTable)})`)
    : exportedCustomers(db, spec);
  if (cols.needsAddress)
    q = q.leftJoinLateral(
      () => primaryAddress.as('addr'),
      (join) => join.onTrue(),
    );
  if (cols.needsRfm) q = q.leftJoin('customer_rfm as r', 'r.customer_id', 'c.id');
  return q.select(cols.select).orderBy('c.created_at').orderBy('c.id');
}

/** The selection in words, for the file, the exports list and the audit log. */
export async function describeSelection(
  db: Kysely<DB>,
  selection: CustomerSelection,
  purpose: ExportPurpose,
): Promise<string> {
  const segment =
    'segment_id' in selection
      ? await db
          .selectFrom('segments')
          .select('name')
          .where('id', '=', selection.segment_id)
          .executeTakeFirst()
      : undefined;
  return selectionInWords(selection, purpose, segment?.name ?? null);
}

/** The same, given the segment's name (null: none, or deleted) when the caller has it already. */
export function selectionInWords(
  selection: CustomerSelection,
  purpose: ExportPurpose,
  segmentName: string | null,
): string {
  let text: string;
  if ('all' in selection) text = 'All customers';
  else if ('ids' in selection)
    text = `${selection.ids.length} selected customer${selection.ids.length === 1 ? '' : 's'}`;
  else if ('criteria' in selection) text = `Customers matching ${printCriteria(selection.criteria)}`;
  else if ('segment_id' in selection) text = `Segment “${segmentName ?? 'deleted segment'}”`;
  else {
    const parts = Object.entries(selection.filter)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k} = ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    text = parts.length ? `Customer list filtered by ${parts.join(', ')}` : 'All customers';
  }
  return purpose === 'marketing' ? `${text}, without customers who refused data sharing or contact` : text;
}
