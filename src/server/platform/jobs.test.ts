import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../../tests/helpers/test-app.js';
import type { AppDeps } from './deps.js';
import { AppError } from './errors.js';
import { createJobRunner, enqueueJob, findJob } from './jobs.js';

/** The job queue on the real database: each job once, retries, leases, user-facing failures. */
let t: TestApp;
let deps: AppDeps;

beforeAll(async () => {
  t = await createTestApp();
  deps = { database: t.database, db: t.database.db, config: t.config, jwt: null };
});
afterAll(() => t?.close());

const status = async (id: string) => (await findJob(deps.db, id))?.status;

describe('job queue', () => {
  it('runs each job once even with two runners polling the same queue', async () => {
    const seen: string[] = [];
    const handler = async ({ job }: { job: { id: string } }) => {
      seen.push(job.id);
      return { ok: true };
    };
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) => enqueueJob(deps.db, { kind: 'test.once', payload: { i } })),
    );
    const a = createJobRunner(deps, { 'test.once': handler });
    const b = createJobRunner(deps, { 'test.once': handler });
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ranA + ranB).toBe(6);
    expect(seen.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(await findJob(deps.db, id!)).toMatchObject({ status: 'succeeded', result: { ok: true } });
    }
  });

  it('enqueues a job with a dedupe key once', async () => {
    const first = await enqueueJob(deps.db, { kind: 'test.dedupe', dedupeKey: 'test.dedupe@1' });
    const second = await enqueueJob(deps.db, { kind: 'test.dedupe', dedupeKey: 'test.dedupe@1' });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
  });

  it('retries an unexpected failure later, then fails with a message that hides the details', async () => {
    let calls = 0;
    const runner = createJobRunner(deps, {
      'test.flaky': async () => {
        calls += 1;
        throw new Error('password=hunter2 leaked?');
      },
    });
    const id = (await enqueueJob(deps.db, { kind: 'test.flaky', maxAttempts: 2 }))!;
    await runner.runDue();
    expect(await status(id)).toBe('queued');
    // not due again until its back-off has passed
    expect(await runner.runDue()).toBe(0);
    await sql`update jobs set run_at = now() where id = ${id}`.execute(deps.db);
    await runner.runDue();
    const job = await findJob(deps.db, id);
    expect(calls).toBe(2);
    expect(job?.status).toBe('failed');
    expect(job?.error).toBe('The job failed; the server log has the details');
  });

  it("fails a user's error at once with its message", async () => {
    const runner = createJobRunner(deps, {
      'test.refused': async () => {
        throw new AppError('conflict', 'That segment is automatic');
      },
    });
    const id = (await enqueueJob(deps.db, { kind: 'test.refused' }))!;
    await runner.runDue();
    expect(await findJob(deps.db, id)).toMatchObject({
      status: 'failed',
      error: 'That segment is automatic',
    });
  });

  it('takes over a job whose worker died once its lease has run out', async () => {
    const id = (await enqueueJob(deps.db, { kind: 'test.orphan' }))!;
    // a worker claimed it and vanished
    await sql`update jobs set status = 'running', attempts = 1, locked_until = now() + interval '1 minute'
              where id = ${id}`.execute(deps.db);
    const runner = createJobRunner(deps, { 'test.orphan': async () => 'rescued' });
    expect(await runner.runDue()).toBe(0);
    await sql`update jobs set locked_until = now() - interval '1 second' where id = ${id}`.execute(deps.db);
    expect(await runner.runDue()).toBe(1);
    expect(await findJob(deps.db, id)).toMatchObject({ status: 'succeeded', result: 'rescued' });
  });

  it('shows progress while a job runs', async () => {
    let during: unknown;
    const id = (await enqueueJob(deps.db, { kind: 'test.progress' }))!;
    const runner = createJobRunner(deps, {
      'test.progress': async ({ progress }) => {
        await progress(3, 10);
        during = (await findJob(deps.db, id))?.progress;
        await progress(10);
      },
    });
    await runner.runDue();
    expect(during).toEqual({ done: 3, total: 10 });
    expect((await findJob(deps.db, id))?.progress).toEqual({ done: 10, total: 10 });
  });
});
