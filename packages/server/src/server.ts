import pino from 'pino';
import { buildApp, LOG_REDACT } from './app';
import { openAndPrepare } from './boot';
import { ConfigError, loadConfig } from './config';

/** `npm start`: validate config, prepare the database, listen. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel, redact: LOG_REDACT });
  if (config.defaultedSecrets.length > 0)
    log.warn({ secrets: config.defaultedSecrets }, 'using development secrets (refused in production)');
  const started = Date.now();
  let database;
  try {
    database = await openAndPrepare(config, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      log.fatal(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp({ config, database, logger: log });
  await app.listen({ host: config.host, port: config.port });
  log.info(
    { database: database.kind, ms: Date.now() - started },
    `Jiuzhu is ready at http://localhost:${config.port} (database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
  );
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
