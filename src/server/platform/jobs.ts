import { type Kysely, sql } from 'kysely';
import type { Job } from '../../shared/jobs.js';
import type { DB } from '../db/schema.js';
import type { AppDeps } from './deps.js';
import { AppError } from './errors.js';

/** What a job handler is given: the app's dependencies, its job and a way to report progress. */
export interface JobContext {
  deps: AppDeps;
  job: { id: string; kind: string; payload: Record<string, unknown>; created_by: string | null };
  /** This run's attempt (1 first) of `maxAttempts`: a handler may give up cleanly on its last. */
  attempt: number;
  maxAttempts: number;
  /** Records progress (units done, and the total once known); cheap enough to call per chunk. */
  progress(done: number, total?: number): Promise<void>;
}

/** Does the job's work; what it returns is stored as the job's `result`. */
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  kind: string;
  payload?: Record<string, unknown>;
  createdBy?: string | null;
  runAt?: Date;
  /** A job with this key is enqueued once, ever (scheduled work uses the period as its key). */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Adds a job; call it inside the transaction of the change that needs it, so the job exists
 * exactly when the change does. Returns the id, or null when the dedupe key already exists.
 */
export async function enqueueJob(db: Kysely<DB>, o: EnqueueOptions): Promise<string | null> {
  const row = await sql<{ id: string }>`
    insert into jobs (kind, payload, created_by, run_at, dedupe_key, max_attempts)
    values (${o.kind}, ${JSON.stringify(o.payload ?? {})}::jsonb, ${o.createdBy ?? null},
            ${o.runAt ?? new Date()}, ${o.dedupeKey ?? null}, ${o.maxAttempts ?? 3})
    on conflict (dedupe_key) where dedupe_key is not null do nothing
    returning id`.execute(db);
  return row.rows[0]?.id ?? null;
}

// Progress of jobs running in this process. A bulk job does all its work in one transaction; on
// the embedded engine (one connection) nothing else can write until it commits, so progress is
// kept here and, on PostgreSQL, also written to the row for other processes.
const liveProgress = new Map<string, { done: number; total: number | null }>();

type JobRow = NonNullable<Awaited<ReturnType<typeof findJobRow>>>;

function findJobRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

function toJob(row: JobRow): Job {
  const live = row.status === 'running' ? liveProgress.get(row.id) : undefined;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: live ?? { done: row.progress_done, total: row.progress_total },
    result: row.result ?? null,
    error: row.error,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}

/** A job as its starter sees it; undefined when there is none. */
export async function findJob(
  db: Kysely<DB>,
  id: string,
): Promise<(Job & { created_by: string | null }) | undefined> {
  const row = await findJobRow(db, id);
  return row ? { ...toJob(row), created_by: row.created_by } : undefined;
}

export interface JobRunnerOptions {
  /** How long a claimed job stays leased to its worker before another may take it over. */
  leaseMs?: number;
  /** How often to look for due jobs when idle. */
  pollMs?: number;
  log?: { error(obj: unknown, msg: string): void };
}

/** Claims the next due job (or one whose worker's lease ran out), in one statement. */
async function claimJob(db: Kysely<DB>, kinds: string[], leaseMs: number) {
  const result = await sql<JobRow>`
    update jobs set status = 'running', attempts = attempts + 1, error = null,
      locked_until = now() + make_interval(secs => ${leaseMs / 1000}),
      started_at = coalesce(started_at, now())
    where id = (
      select id from jobs
      where kind in (${sql.join(kinds)})
        and ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now()))
      order by run_at, created_at
      limit 1
      for update skip locked
    )
    returning *`.execute(db);
  return result.rows[0];
}

/**
 * Runs queued jobs of the given kinds, one at a time per process. Errors a user can act on
 * (AppError) fail the job at once; anything else is retried with a growing delay until
 * `max_attempts`, then fails with a generic message (details go to the log, not the row).
 */
export function createJobRunner(
  deps: AppDeps,
  handlers: Record<string, JobHandler>,
  opts: JobRunnerOptions = {},
) {
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 500;
  const kinds = Object.keys(handlers);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function runOne(): Promise<boolean> {
    const row = await claimJob(deps.db, kinds, leaseMs);
    if (!row) return false;
    const handler = handlers[row.kind];
    liveProgress.set(row.id, { done: row.progress_done, total: row.progress_total });
    const ctx: JobContext = {
      deps,
      job: { id: row.id, kind: row.kind, payload: row.payload, created_by: row.created_by },
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      async progress(done, total) {
        const current = liveProgress.get(row.id);
        liveProgress.set(row.id, { done, total: total ?? current?.total ?? null });
        if (deps.database.engine === 'postgres') {
          await deps.db
            .updateTable('jobs')
            .set({
              progress_done: done,
              ...(total === undefined ? {} : { progress_total: total }),
              locked_until: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
            })
            .where('id', '=', row.id)
            .execute();
        }
      },
    };
    try {
      const result = await handler!(ctx);
      const live = liveProgress.get(row.id);
      await deps.db
        .updateTable('jobs')
        .set({
          status: 'succeeded',
          result: JSON.stringify(result ?? null),
          progress_done: live?.done ?? row.progress_done,
          progress_total: live?.total ?? row.progress_total,
          finished_at: sql`now()`,
          locked_until: null,
        })
        .where('id', '=', row.id)
        .execute();
    } catch (err) {
      const userError = err instanceof AppError;
      if (!userError) opts.log?.error({ err, job: row.id, kind: row.kind }, 'job failed');
      const retry = !userError && row.attempts < row.max_attempts;
      await deps.db
        .updateTable('jobs')
        .set(
          retry
            ? {
                status: 'queued',
                run_at: sql`now() + make_interval(secs => ${30 * row.attempts})`,
                locked_until: null,
              }
            : {
                status: 'failed',
                error: userError ? err.message : 'The job failed; the server log has the details',
                finished_at: sql`now()`,
                locked_until: null,
              },
        )
        .where('id', '=', row.id)
        .execute();
    } finally {
      liveProgress.delete(row.id);
    }
    return true;
  }

  /** Runs every due job now (tests and the loop use it); returns how many ran. */
  async function runDue(): Promise<number> {
    let n = 0;
    while (await runOne()) n += 1;
    return n;
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runDue()
        .catch((err) => opts.log?.error({ err }, 'job runner failed'))
        .finally(() => {
          running = undefined;
          schedule(pollMs);
        });
    }, delay);
  }

  return {
    runDue,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
