import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { connectDatabase } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { ensureFirstAdmin } from './modules/auth/auth.service.js';
import { createSupabaseJwtVerifier } from './platform/supabase-jwt.js';

/** config → database → migrations → first admin → HTTP server; closes cleanly on signals. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }

  const database = await connectDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  const applied = await migrate(database);
  const app = await buildApp({ database, config });
  app.log.info(
    {
      engine: database.engine,
      dataDir: database.engine === 'pglite' ? config.dataDir : undefined,
      migrations: applied,
    },
    'database ready',
  );

  const admin = await ensureFirstAdmin({
    database,
    db: database.db,
    config,
    jwt: createSupabaseJwtVerifier(config.supabase),
  });
  if (admin?.password) {
    // printed once, on the first start of an empty database; never logged anywhere else
    process.stdout.write(
      `\n  First administrator created\n    email:    ${admin.email}\n    password: ${admin.password}\n  Change it after signing in.\n\n`,
    );
  } else if (admin) {
    app.log.info({ email: admin.email }, 'administrator created from CRM_ADMIN_EMAIL');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(
    `CRM console listening on http://${config.host}:${app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.port}\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
