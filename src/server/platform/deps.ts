import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { DB } from '../db/schema.js';
import type { SupabaseJwtVerifier } from './supabase-jwt.js';

/** What route modules are given: the database, the config and shared services. */
export interface AppDeps {
  database: Database;
  db: Kysely<DB>;
  config: Config;
  jwt: SupabaseJwtVerifier | null;
}
