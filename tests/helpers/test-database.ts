import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, connectDatabase } from '../../src/server/db/connect.js';
import { migrate } from '../../src/server/db/migrate.js';

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database
 * on the PostgreSQL server named by TEST_DATABASE_URL (dropped again on close). `migrateUntil`
 * stops after that migration file, for tests of the next one.
 */
export async function createTestDatabase(migrateUntil?: string): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await connectDatabase({ dataDir: 'memory://' });
    await migrate(database, migrateUntil);
    return database;
  }
  const name = `crm_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await connectDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await migrate(database, migrateUntil);
  const close = database.close;
  database.close = async () => {
    await close();
    const dropper = new pg.Client({ connectionString: serverUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  };
  return database;
}
