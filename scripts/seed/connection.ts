import { finished } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Sink } from './generate.js';

/**
 * One session for the whole load (one transaction), on either engine, with COPY in chunks:
 * - PostgreSQL: `COPY ... FROM STDIN` through pg-copy-streams; chunks queue up and are sent while
 *   the generator keeps working, so Node and the server use a core each.
 * - PGlite: `COPY ... FROM '/dev/blob'`, one chunk at a time (it runs on this thread anyway).
 * Chunks are bounded (a few MB per table plus a short queue), so memory does not grow with the
 * data set.
 */
export interface LoadSession {
  engine: 'postgres' | 'pglite';
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Queues a COPY of text-format rows; never blocks. */
  enqueueCopy(statement: string, data: Buffer | string): void;
  /** Waits until at most `maxPending` chunks are queued (0: everything written). */
  drain(maxPending?: number): Promise<void>;
  /** Bytes handed to the database so far. */
  readonly bytesSent: number;
  /** Rolls back after a failure, whatever is still queued. */
  abort(): Promise<void>;
  release(): Promise<void>;
}

export async function postgresSession(pool: pg.Pool): Promise<LoadSession> {
  const client = await pool.connect();
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let failure: unknown = null;
  let bytesSent = 0;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const session: LoadSession = {
    engine: 'postgres',
    get bytesSent() {
      return bytesSent;
    },
    async query<R>(text: string, params?: unknown[]) {
      await session.drain(0);
      return (await client.query(text, params)).rows as R[];
    },
    enqueueCopy(statement, data) {
      pending++;
      chain = chain.then(async () => {
        if (failure) return;
        try {
          const stream = client.query(copyFrom(statement));
          stream.end(data);
          await finished(stream);
          bytesSent += data.length;
        } catch (error) {
          failure = error;
        } finally {
          pending--;
          wake();
        }
      });
    },
    async drain(maxPending = 0) {
      while (pending > maxPending && !failure) {
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      if (failure) throw failure;
    },
    async abort() {
      failure ??= new Error('aborted');
      await chain;
      await client.query('rollback').catch(() => undefined);
    },
    async release() {
      client.release();
    },
  };
  return session;
}

export function pgliteSession(pglite: PGlite): LoadSession {
  const queue: { statement: string; data: Buffer | string }[] = [];
  let bytesSent = 0;
  return {
    engine: 'pglite',
    get bytesSent() {
      return bytesSent;
    },
    async query<R>(text: string, params?: unknown[]) {
      await this.drain(0);
      return (await pglite.query<R>(text, params ?? [])).rows;
    },
    enqueueCopy(statement, data) {
      queue.push({ statement, data });
    },
    async drain() {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await pglite.query(job.statement.replace('FROM STDIN', "FROM '/dev/blob'"), [], {
          blob: new Blob([job.data as string | Uint8Array<ArrayBuffer>]),
        });
        bytesSent += job.data.length;
      }
    },
    async abort() {
      queue.length = 0;
      await pglite.query('rollback').catch(() => undefined);
    },
    async release() {},
  };
}

/**
 * Collects rows for one table and hands them to the session in chunks of about `chunkBytes`.
 * Rows are encoded straight into a buffer: joining millions of small strings costs more than
 * generating them.
 */
export class ChunkedSink implements Sink {
  private buffer: Buffer;
  private offset = 0;
  rows = 0;
  constructor(
    private readonly session: LoadSession,
    private readonly statement: string,
    private readonly chunkBytes: number,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }
  write(row: string): void {
    // a UTF-16 code unit is at most 3 bytes of UTF-8
    if (this.offset + row.length * 3 > this.buffer.length) {
      this.flush();
      if (row.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(row.length * 3);
    }
    this.offset += this.buffer.write(row, this.offset);
    this.rows++;
  }
  flush(): void {
    if (this.offset === 0) return;
    this.session.enqueueCopy(this.statement, this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(this.chunkBytes);
    this.offset = 0;
  }
}
