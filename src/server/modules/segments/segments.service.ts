import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { CriteriaGroup } from '../../../shared/criteria/index.js';
import {
  type CustomerList,
  type CustomerListQuery,
  customerListQuerySchema,
} from '../../../shared/customers.js';
import {
  SEGMENT_INLINE_BUILD_LIMIT,
  SEGMENT_SAMPLE_SIZE,
  type Segment,
  type SegmentMembershipChange,
  type SegmentPreview,
  type segmentCreateSchema,
  type segmentMembersBodySchema,
  type segmentUpdateSchema,
} from '../../../shared/segments.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { compileCriteria } from '../criteria/criteria.compiler.js';
import { listCustomers } from '../customers/customers.service.js';
import { enqueueSegmentRefresh, recomputeAutoSegment } from './segment-refresh.service.js';
import {
  type SegmentRow,
  addSegmentMembers,
  countMatchesUpTo,
  findBuildingSegmentIds,
  deleteSegmentRow,
  findCustomerSegments,
  findExistingCustomerIds,
  findSegment,
  findSegments,
  insertSegment,
  lockSegment,
  recordSegmentDeletion,
  removeSegmentMembers,
  syncSegmentCount,
  updateSegmentRow,
} from './segments.queries.js';

type SegmentCreateInput = z.output<typeof segmentCreateSchema>;
type SegmentUpdateInput = z.output<typeof segmentUpdateSchema>;
type SegmentMembersInput = z.output<typeof segmentMembersBodySchema>;

function toSegment(row: SegmentRow, building = false): Segment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    criteria: row.criteria ?? null,
    auto_update: row.auto_update,
    customer_count: Number(row.customer_count),
    building,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const duplicateName = (name: string) =>
  new AppError('duplicate', `A segment named "${name}" already exists`, {
    errors: [{ field: 'name', message: 'Another segment already has this name' }],
  });

export async function listSegments(deps: AppDeps): Promise<Segment[]> {
  const [rows, building] = await Promise.all([findSegments(deps.db), findBuildingSegmentIds(deps.db)]);
  return rows.map((row) => toSegment(row, building.has(row.id)));
}

export async function getSegment(db: Kysely<DB>, id: string): Promise<Segment> {
  const [row, building] = await Promise.all([findSegment(db, id), findBuildingSegmentIds(db)]);
  if (!row) throw notFound('Segment');
  return toSegment(row, building.has(id));
}

/**
 * After a create or a change of criteria: a segment of up to SEGMENT_INLINE_BUILD_LIMIT members
 * is built in the request (about a second at most); a larger one would hold the request for
 * many seconds (~9 s for 200,000 members at 1M customers), so a job builds it and the segment
 * reads `building: true` until then.
 */
async function build(trx: Kysely<DB>, segment: SegmentRow, principal: Principal) {
  const criteria = segment.criteria as unknown as CriteriaGroup;
  const staffId = segment.created_by ?? principal.staffId;
  const matches = await countMatchesUpTo(
    trx,
    compileCriteria(criteria, { staffId }),
    SEGMENT_INLINE_BUILD_LIMIT,
  );
  if (matches <= SEGMENT_INLINE_BUILD_LIMIT) return recomputeAutoSegment(trx, segment, principal.staffId);
  await enqueueSegmentRefresh(trx, { segment_ids: [segment.id] });
  return null;
}

/** Creates a segment; an automatic one gets its members at once. */
export async function createSegment(
  deps: AppDeps,
  principal: Principal,
  input: SegmentCreateInput,
): Promise<Segment> {
  const id = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertSegment(trx, {
      name: input.name,
      description: input.description ?? null,
      criteria: input.criteria ?? null,
      auto_update: input.auto_update,
      created_by: principal.staffId,
    });
    if (!inserted) throw duplicateName(input.name);
    if (input.auto_update) {
      const row = await lockSegment(trx, inserted.id);
      if (row) await build(trx, row, principal);
    }
    return inserted.id;
  });
  return getSegment(deps.db, id);
}

/** Replaces a segment's definition (optimistic: 409 with `current` on a stale version). */
export async function updateSegment(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: SegmentUpdateInput,
): Promise<Segment> {
  await deps.db.transaction().execute(async (trx) => {
    const current = await lockSegment(trx, id);
    if (!current) throw notFound('Segment');
    if (current.version !== input.version) {
      throw new AppError(
        'version_conflict',
        `This segment was changed by someone else (now version ${current.version})`,
        {
          current: toSegment(current),
          errors: [{ field: 'version', message: `Expected ${current.version}` }],
        },
      );
    }
    try {
      await updateSegmentRow(trx, id, {
        name: input.name,
        description: input.description ?? null,
        criteria: input.criteria ?? null,
        auto_update: input.auto_update,
      });
    } catch (err) {
      if (isUniqueViolation(err, 'segments_name_key')) throw duplicateName(input.name);
      throw err;
    }
    if (input.auto_update) {
      const row = await findSegment(trx, id);
      if (row) await build(trx, row, principal);
    }
  });
  return getSegment(deps.db, id);
}

/** Deletes a segment; each member gets a `segment_left` event. */
export async function deleteSegment(deps: AppDeps, principal: Principal, id: string): Promise<Segment> {
  return deps.db.transaction().execute(async (trx) => {
    const segment = await lockSegment(trx, id);
    if (!segment) throw notFound('Segment');
    await recordSegmentDeletion(trx, segment, principal.staffId);
    await deleteSegmentRow(trx, id);
    return toSegment(segment);
  });
}

/** Re-evaluates an automatic segment now: 409 for a manual one. */
export async function refreshSegment(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<SegmentMembershipChange> {
  return deps.db.transaction().execute(async (trx) => {
    const segment = await lockSegment(trx, id);
    if (!segment) throw notFound('Segment');
    if (!segment.auto_update || segment.criteria == null) {
      throw new AppError('conflict', 'Only automatic segments are refreshed; add members by hand instead');
    }
    return recomputeAutoSegment(trx, segment, principal.staffId);
  });
}

/** Adds or removes members of a manual segment by hand: 409 for an automatic one. */
export async function changeSegmentMembers(
  deps: AppDeps,
  principal: Principal,
  id: string,
  input: SegmentMembersInput,
  change: 'add' | 'remove',
): Promise<SegmentMembershipChange> {
  return deps.db.transaction().execute(async (trx) => {
    const segment = await lockSegment(trx, id);
    if (!segment) throw notFound('Segment');
    if (segment.auto_update) {
      throw new AppError(
        'conflict',
        'Members of an automatic segment follow its criteria and cannot be changed by hand',
      );
    }
    const ids = [...new Set(input.customer_ids)];
    let added = 0;
    let removed = 0;
    if (change === 'add') {
      const known = await findExistingCustomerIds(trx, ids);
      const missing = input.customer_ids.findIndex((cid) => !known.has(cid));
      if (missing >= 0) {
        throw new AppError('validation_failed', `customer_ids[${missing}]: no such customer`, {
          errors: [{ field: `customer_ids[${missing}]`, message: 'No customer has this id' }],
        });
      }
      added = await addSegmentMembers(trx, segment, ids, principal.staffId);
    } else {
      removed = await removeSegmentMembers(trx, segment, ids, principal.staffId);
    }
    return { added, removed, customer_count: await syncSegmentCount(trx, id) };
  });
}

const listDefaults = (): CustomerListQuery => customerListQuerySchema.parse({});

/** Count (capped like the list) and a sample of customers matching a criteria tree. */
export async function previewSegment(
  deps: AppDeps,
  principal: Principal,
  criteria: CriteriaGroup,
): Promise<SegmentPreview> {
  const list = await listCustomers(deps, principal, {
    ...listDefaults(),
    criteria,
    limit: SEGMENT_SAMPLE_SIZE,
  });
  return { count: list.total, count_exact: list.total_exact, sample: list.data };
}

/** The segment's members, in the customer list's shape (same sorting, paging and filters). */
export async function segmentCustomers(
  deps: AppDeps,
  principal: Principal,
  id: string,
  q: CustomerListQuery,
): Promise<CustomerList> {
  if (!(await findSegment(deps.db, id))) throw notFound('Segment');
  return listCustomers(deps, principal, { ...q, segment_id: id });
}

/** The segments a customer belongs to, for the profile (other modules call this, not the table). */
export function segmentsOfCustomer(db: Kysely<DB>, customerId: string) {
  return findCustomerSegments(db, customerId);
}
