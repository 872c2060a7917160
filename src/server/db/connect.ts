import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Engine = 'pglite' | 'postgres';

/** One handle on the database, whichever engine is behind it. */
export interface Database {
  engine: Engine;
  db: Kysely<DB>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  /** The raw PGlite instance, when embedded (LISTEN/NOTIFY, checkpoint). */
  pglite?: PGlite;
  /** The pg pool, when on a server. */
  pool?: pg.Pool;
  /** The server's connection string, when on a server (LISTEN needs a connection of its own). */
  url?: string;
  close(): Promise<void>;
}

// Money and counts come back as strings from pg; keep them exact and convert in the mappers.
// timestamptz stays a Date on both engines.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  /** Directory for the embedded database; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
}

export async function connectDatabase(options: ConnectOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // JIT compilation pays off for long analytical scans, not for the app's short queries: on a
      // filtered count or page it spent 80-800 ms compiling for a query that then ran in 60 ms
      // (the planner's cost for predicates with subqueries crosses jit_above_cost easily).
      options: '-c jit=off',
    });
    // An idle pooled connection that the server ends (restart, failover, pg_terminate_backend,
    // DROP DATABASE ... WITH (FORCE)) is emitted as a pool 'error'; with no listener that event
    // would crash the process. The pool has already discarded that client and the next query
    // opens a new one, so there is nothing more to do.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      engine: 'postgres',
      db,
      pool,
      url: options.databaseUrl,
      exec: async (script) => {
        await pool.query(script);
      },
      close: () => db.destroy(),
    };
  }
  const dir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  // Durability on disk (checked by tests/durability/kill.test.ts): PGlite mounts DATA_DIR through
  // Emscripten's NODEFS, whose every write() is a synchronous fs.writeSync, and PostgreSQL writes
  // the WAL before a commit returns; so a committed transaction is in the OS page cache and
  // survives the server process being killed (kill -9), replayed from the WAL at the next start.
  // `syncToFs`/`relaxedDurability` only matter for the in-memory-backed filesystems (IndexedDB,
  // OPFS), not for NodeFS. What PGlite does not do is fsync (it starts PostgreSQL with -F and its
  // fdatasync is a no-op), so a crash of the machine itself can lose the last commits: deployments
  // that need that guarantee use PostgreSQL (DATABASE_URL).
  const pglite = await PGlite.create(dir, { extensions: { pg_trgm, unaccent } });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    engine: 'pglite',
    db,
    pglite,
    exec: async (script) => {
      await pglite.exec(script);
    },
    close: async () => {
      // A checkpoint first, so the next start has no WAL to replay.
      await pglite.exec('checkpoint').catch(() => undefined);
      await pglite.close();
    },
  };
}
