import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import {
  BULK_INLINE_LIMIT,
  type BulkResult,
  type bulkActionSchema,
  type bulkRequestSchema,
  type bulkSelectionSchema,
} from '../../../shared/bulk.js';
import type { JobAccepted } from '../../../shared/jobs.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { AppError, badInput } from '../../platform/errors.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { can, type Principal } from '../../platform/principal.js';
import { resolveTags } from '../tags/tags.service.js';
import {
  addChunkToSegment,
  addTagsToChunk,
  materialiseSelection,
  removeChunkFromSegment,
  removeTagsFromChunk,
  setColumnOnChunk,
} from './customers-bulk.queries.js';
import { checkSelection, selectCustomers } from './customer-selection.js';

type Selection = z.output<typeof bulkSelectionSchema>;
type Action = z.output<typeof bulkActionSchema>;
type BulkInput = z.output<typeof bulkRequestSchema>;

/** The action with every reference resolved and checked: what a job stores and replays. */
type ResolvedAction =
  | { type: 'add_tags' | 'remove_tags'; tags: { id: string; name: string; color: string }[] }
  | { type: 'add_to_segment' | 'remove_from_segment'; segment: { id: string; name: string } }
  | { type: 'set_status'; status: string }
  | { type: 'set_owner'; owner_id: string | null };

/** Customers per statement: big enough to be set-based, small enough to report progress. */
const CHUNK = 20_000;

export const BULK_JOB = 'customers.bulk';

/** The ids the selection covers, as one query (never pulled into Node). */
function selectionQuery(db: Kysely<DB>, selection: Selection, staffId: string) {
  return selectCustomers(db, selection, staffId).select('c.id');
}

async function resolveAction(trx: Kysely<DB>, principal: Principal, action: Action): Promise<ResolvedAction> {
  switch (action.type) {
    case 'add_tags':
    case 'remove_tags': {
      if (action.tag_ids.length + action.tag_names.length === 0) {
        throw badInput('action.tag_ids', 'Give tag_ids or tag_names');
      }
      const tags = await resolveTags(trx, principal, {
        tag_ids: action.tag_ids,
        names: action.tag_names,
        create_missing: action.type === 'add_tags' && action.tag_names.length > 0,
      }).catch((err: unknown) => {
        // name the field as this request spells it
        if (err instanceof AppError && err.code === 'validation_failed') {
          const first = err.extra.errors?.[0];
          if (first) {
            throw badInput(`action.${first.field.replace(/^names/, 'tag_names')}`, first.message);
          }
        }
        throw err;
      });
      return { type: action.type, tags: [...new Map(tags.map((t) => [t.id, t])).values()] };
    }
    case 'add_to_segment':
    case 'remove_from_segment': {
      if (!can(principal, 'segments:manage')) {
        throw new AppError('forbidden', 'Changing segment membership needs the segments:manage permission');
      }
      const segment = await trx
        .selectFrom('segments')
        .select(['id', 'name', 'auto_update'])
        .where('id', '=', action.segment_id)
        .forUpdate()
        .executeTakeFirst();
      if (!segment) throw badInput('action.segment_id', 'No segment has this id');
      if (segment.auto_update) {
        throw new AppError(
          'conflict',
          'Members of an automatic segment follow its criteria and cannot be changed by hand',
          { errors: [{ field: 'action.segment_id', message: 'This segment is automatic' }] },
        );
      }
      return { type: action.type, segment: { id: segment.id, name: segment.name } };
    }
    case 'set_status':
      return action;
    case 'set_owner': {
      if (action.owner_id) {
        const owner = await trx
          .selectFrom('staff_users')
          .select('id')
          .where('id', '=', action.owner_id)
          .executeTakeFirst();
        if (!owner) throw badInput('action.owner_id', 'No staff user has this id');
      }
      return action;
    }
  }
}

/**
 * Applies the action to the whole selection in one transaction (all or nothing), chunk by chunk
 * with progress; returns how many customers were selected and how many actually changed.
 */
async function applyBulk(
  db: Kysely<DB>,
  staffId: string,
  selection: Selection,
  action: ResolvedAction,
  progress?: (done: number, total: number) => Promise<void>,
): Promise<BulkResult> {
  return db.transaction().execute(async (trx) => {
    const total = await materialiseSelection(trx, selectionQuery(trx, selection, staffId));
    await progress?.(0, total);
    let changed = 0;
    for (let from = 0; from < total; from += CHUNK) {
      const range: [number, number] = [from, Math.min(from + CHUNK, total)];
      changed += await applyChunk(trx, range, action, staffId);
      await progress?.(range[1], total);
    }
    if (action.type === 'add_to_segment' || action.type === 'remove_from_segment') {
      await sql`update segments set customer_count =
        (select count(*) from segment_members where segment_id = ${action.segment.id})::int
        where id = ${action.segment.id}`.execute(trx);
    }
    return { status: 'succeeded' as const, selected: total, changed };
  });
}

function applyChunk(trx: Kysely<DB>, range: [number, number], action: ResolvedAction, actorId: string) {
  switch (action.type) {
    case 'add_tags':
      return addTagsToChunk(trx, range, action.tags, actorId);
    case 'remove_tags':
      return removeTagsFromChunk(trx, range, action.tags, actorId);
    case 'add_to_segment':
      return addChunkToSegment(trx, range, action.segment, actorId);
    case 'remove_from_segment':
      return removeChunkFromSegment(trx, range, action.segment, actorId);
    case 'set_status':
      return setColumnOnChunk(trx, range, 'customer_status', action.status, actorId);
    case 'set_owner':
      return setColumnOnChunk(trx, range, 'owner_id', action.owner_id, actorId);
  }
}

/**
 * POST /api/crm/customers/bulk: checks the action (creating missing tags when allowed), then
 * runs a small selection at once (200) or enqueues a job for a large one (202).
 */
export async function startBulkAction(
  deps: AppDeps,
  principal: Principal,
  input: BulkInput,
): Promise<{ accepted: false; result: BulkResult } | { accepted: true; reply: JobAccepted }> {
  const { resolved, large } = await deps.db.transaction().execute(async (trx) => {
    await checkSelection(trx, input.selection);
    const resolved = await resolveAction(trx, principal, input.action);
    const probe = await sql<{ n: string | number }>`select count(*) as n from (
      ${selectionQuery(trx, input.selection, principal.staffId).limit(BULK_INLINE_LIMIT + 1)}) s`.execute(
      trx,
    );
    return { resolved, large: Number(probe.rows[0]?.n ?? 0) > BULK_INLINE_LIMIT };
  });
  if (!large) {
    return {
      accepted: false,
      result: await applyBulk(deps.db, principal.staffId, input.selection, resolved),
    };
  }
  const jobId = await enqueueJob(deps.db, {
    kind: BULK_JOB,
    payload: { selection: input.selection, action: resolved, staff_id: principal.staffId },
    createdBy: principal.staffId,
    // a failed bulk action is reported, not silently re-run later
    maxAttempts: 1,
  });
  if (!jobId) throw new Error('bulk job was not enqueued');
  return {
    accepted: true,
    reply: { job_id: jobId, status_url: `/api/crm/jobs/${jobId}`, status: 'queued' },
  };
}

/** The background half of a large bulk action. */
export const bulkJob: JobHandler = ({ deps, job, progress }) => {
  const p = job.payload as { selection: Selection; action: ResolvedAction; staff_id: string };
  return applyBulk(deps.db, p.staff_id, p.selection, p.action, progress);
};
