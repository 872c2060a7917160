import type { Kysely } from 'kysely';
import type { CriteriaGroup } from '../../../shared/criteria/index.js';
import type { DB } from '../../db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { compileCriteria } from '../criteria/criteria.compiler.js';
import { dependencyLevels, fieldsOf, isTimeRelative } from './segment-criteria.js';
import {
  findAutoSegments,
  type SegmentRow,
  analyzeSegmentMembersAfter,
  lockAutoSegments,
  lockSegment,
  recomputeSegmentMembers,
  reevaluateCustomers,
  snapshotSegmentSizes,
  syncSegmentCount,
  takeDirtyCustomers,
} from './segments.queries.js';

/** Customers re-evaluated per transaction by the change-driven refresh. */
const DIRTY_BATCH = 500;

/** Stands for "me" when a segment's creator is gone: matches no owner. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

const criteriaOf = (row: { criteria: unknown }) => row.criteria as unknown as CriteriaGroup;

/**
 * Re-evaluates every automatic segment for one batch of customers marked by the change triggers
 * (migration 008), in one transaction: membership, `segment_entered`/`segment_left` events and
 * counts move together. Returns how many customers were looked at (0 when none were waiting).
 */
export async function refreshDirtyCustomers(deps: AppDeps, batch = DIRTY_BATCH) {
  return deps.db.transaction().execute(async (trx) => {
    const ids = await takeDirtyCustomers(trx, batch);
    if (ids.length === 0) return { customers: 0, added: 0, removed: 0 };
    const segments = (await lockAutoSegments(trx)).map((s) => ({ ...s, criteria: criteriaOf(s) }));
    let added = 0;
    let removed = 0;
    for (const level of dependencyLevels(segments)) {
      const change = await reevaluateCustomers(
        trx,
        level.map((s) => ({
          id: s.id,
          name: s.name,
          // `owner = me` in a segment means its creator, whoever triggers the refresh
          predicate: compileCriteria(s.criteria, { staffId: s.created_by ?? NOBODY }),
        })),
        ids,
      );
      added += change.added;
      removed += change.removed;
    }
    return { customers: ids.length, added, removed };
  });
}

/**
 * Recomputes an automatic segment's members and count in the caller's transaction. `owner = me`
 * in its criteria means the segment's creator, so whoever triggers it gets the same members.
 */
export async function recomputeAutoSegment(trx: Kysely<DB>, segment: SegmentRow, actorId: string | null) {
  const staffId = segment.created_by ?? actorId ?? NOBODY;
  const change = await recomputeSegmentMembers(
    trx,
    segment,
    compileCriteria(criteriaOf(segment), { staffId }),
    actorId,
  );
  return { ...change, customer_count: await syncSegmentCount(trx, segment.id) };
}

/** Fully re-evaluates one automatic segment in its own transaction; null if it is gone or manual. */
export async function refreshAutoSegment(db: Kysely<DB>, id: string, actorId: string | null) {
  return db.transaction().execute(async (trx) => {
    const segment = await lockSegment(trx, id);
    if (!segment?.auto_update || segment.criteria == null) return null;
    return recomputeAutoSegment(trx, segment, actorId);
  });
}

export interface SegmentRefreshPayload {
  /** Only segments whose criteria compare with today (the scheduled refresh). */
  time_relative_only?: boolean;
  /** Only segments reading one of these fields (e.g. after RFM rescoring). */
  fields?: string[];
  /** Only these segments (a large automatic segment built in the background). */
  segment_ids?: string[];
}

/**
 * Fully re-evaluates the automatic segments the payload selects (each in its own transaction,
 * in dependency order), then records today's size of every segment. The job behind the
 * scheduled refresh and the refresh after RFM rescoring.
 */
export async function refreshAutoSegments(
  deps: AppDeps,
  payload: SegmentRefreshPayload = {},
  onProgress?: (done: number, total: number) => Promise<void>,
) {
  const all = (await findAutoSegments(deps.db)).map((s) => ({ ...s, criteria: criteriaOf(s) }));
  const wanted = dependencyLevels(all)
    .flat()
    .filter(
      (s) =>
        (!payload.time_relative_only || isTimeRelative(s.criteria)) &&
        (!payload.fields || payload.fields.some((f) => fieldsOf(s.criteria).has(f))) &&
        (!payload.segment_ids || payload.segment_ids.includes(s.id)),
    );
  let added = 0;
  let removed = 0;
  for (const [i, s] of wanted.entries()) {
    const change = await refreshAutoSegment(deps.db, s.id, null);
    added += change?.added ?? 0;
    removed += change?.removed ?? 0;
    await onProgress?.(i + 1, wanted.length);
  }
  await analyzeSegmentMembersAfter(deps.db, added + removed);
  const snapshots = await snapshotSegmentSizes(deps.db);
  return { segments: wanted.length, added, removed, snapshots };
}

export const SEGMENT_REFRESH_JOB = 'segments.refresh';

export const segmentRefreshJob: JobHandler = ({ deps, job, progress }) =>
  refreshAutoSegments(deps, job.payload as SegmentRefreshPayload, progress);

/** Asks for a refresh of the segments reading these fields, in the caller's transaction. */
export function enqueueSegmentRefresh(db: Kysely<DB>, payload: SegmentRefreshPayload) {
  return enqueueJob(db, { kind: SEGMENT_REFRESH_JOB, payload: { ...payload } });
}

export interface SegmentRefresherOptions {
  /** How often to look for marked customers when there were none. */
  pollMs?: number;
  log?: { error(obj: unknown, msg: string): void };
}

/**
 * The loop that keeps automatic segments current after changes: it drains the marked customers
 * batch by batch and then waits `pollMs` (default 200 ms, well inside the one-second promise).
 */
export function createSegmentRefresher(deps: AppDeps, opts: SegmentRefresherOptions = {}) {
  const pollMs = opts.pollMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  /** Re-evaluates every marked customer now; returns how many there were. */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { customers } = await refreshDirtyCustomers(deps);
      total += customers;
      if (customers === 0) return total;
    }
  }
  /** The loop's turn: like drain, but a stop ends it after the current batch. */
  async function turn() {
    while (!stopped && (await refreshDirtyCustomers(deps)).customers > 0) {
      // another batch may be waiting
    }
  }
  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = turn()
        .catch((err) => opts.log?.error({ err }, 'segment refresh failed'))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, pollMs);
  }
  return {
    drain,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
