// Drops every CRM table and re-runs the migrations: `npm run db:reset` (asks for --yes).
import { rmSync } from 'node:fs';
import { loadConfig } from '../src/server/config.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrate } from '../src/server/db/migrate.js';

const config = loadConfig();
if (!process.argv.includes('--yes')) {
  console.error(
    `This deletes all CRM data in ${config.databaseUrl ? 'the PostgreSQL database' : config.dataDir}. Run again with --yes.`,
  );
  process.exit(1);
}
if (!config.databaseUrl) {
  rmSync(config.dataDir, { recursive: true, force: true });
} else {
  const database = await connectDatabase({ databaseUrl: config.databaseUrl });
  // auth.users is left alone: on Supabase it belongs to the platform
  await database.exec(`
    DROP TRIGGER IF EXISTS crm_on_auth_user_created ON auth.users;
    DROP TABLE IF EXISTS customer_events, order_items, orders, products, customer_addresses, customer_phones,
      customer_emails, customers, api_tokens, staff_sessions, staff_users, crm_migrations CASCADE;`);
  await database.close();
}
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
console.log('applied', await migrate(database));
await database.close();
