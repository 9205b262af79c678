import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app';
import { openAndPrepare } from '../src/boot';
import { loadConfig, type Config } from '../src/config';
import type { Database } from '../src/db/database';
import { clonePostgresTemplate, dropPostgresDatabase, pgliteTemplate } from './template';

export const DEMO_PASSWORD = 'jiuzhu-demo';
export const onPostgres = Boolean(process.env.DATABASE_URL);

export type Agent = {
  username: string;
  cookie: string;
  request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
};

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  config: Config;
  /**
   * Signs in through the HTTP API and returns an agent carrying the session cookie. An account
   * a test created (must change its password) acts as if its owner had chosen it, unless
   * `keepMustChange` is set (to test that rule itself).
   */
  login(username: string, password?: string, opts?: { keepMustChange?: boolean }): Promise<Agent>;
  anonymous: Agent;
  /** Waits until the background jobs sent so far (in-process in tests) have finished. */
  idle(): Promise<void>;
  /** Environment for a `jiuzhu` CLI process that opens this same database (after `shutdown` on PGlite). */
  cliEnv: Record<string, string>;
  /** Closes the app and the database but keeps the data (so a CLI process can open it). */
  shutdown(): Promise<void>;
  /** Shuts down and removes the data. */
  close(): Promise<void>;
};

export type TestAppOptions = {
  /** Keep PGlite data in a temporary directory instead of memory (for CLI processes). */
  persistent?: boolean;
};

/** A fresh schema name on PostgreSQL (for tests that boot a database of their own in the shared test database). */
export function freshSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

export async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  // The job queue's schema next to it (src/jobs), when the file's app ran pg-boss.
  await client.query(`drop schema if exists ${schema}_jobs cascade`);
  await client.end();
}

/**
 * The whole application on a real database: an in-memory PGlite by default, or a new database
 * on the PostgreSQL server of DATABASE_URL. Migrated, regions loaded, demo accounts seeded — copied
 * from a template made once for the code, city and day (test/template.ts), then booted as usual.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Partial<Config> = {},
  opts: TestAppOptions = {},
): Promise<TestApp> {
  const baseEnv = { NODE_ENV: 'test', LOG_LEVEL: 'silent', JIUZHU_LOGIN_RATE_LIMIT: '1000' };
  // The template is made with the city this app asks for.
  const templateConfig = loadConfig({ ...baseEnv, ...env }, overrides);
  const serverUrl = process.env.DATABASE_URL;
  const clone = serverUrl ? await clonePostgresTemplate(serverUrl, templateConfig) : undefined;
  const image = serverUrl ? undefined : await pgliteTemplate(templateConfig);
  const dataDir = !onPostgres && opts.persistent ? fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-test-')) : undefined;
  const dbEnv: Record<string, string> = {
    ...(clone ? { DATABASE_URL: clone.url } : {}),
    ...(dataDir ? { JIUZHU_DATA_DIR: dataDir } : {}),
  };
  const config = loadConfig({ ...baseEnv, ...dbEnv, ...env }, overrides);
  const log = pino({ level: 'silent' });
  let database: Database;
  try {
    database = await openAndPrepare(config, log, {
      inMemory: !onPostgres && !dataDir,
      seedDemo: true,
      ...(image ? { pgliteImage: image } : {}),
    });
  } catch (err) {
    if (clone) await dropPostgresDatabase(serverUrl!, clone.name);
    throw err;
  }
  const app = await buildApp({ config, database, logger: false });
  await app.ready();

  const agent = (username: string, cookie: string): Agent => ({
    username,
    cookie,
    request: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { ...(cookie ? { cookie } : {}), ...headers },
        ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
      }),
  });

  let closed = false;
  const shutdown = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await database.close();
  };
  return {
    app,
    database,
    config,
    anonymous: agent('', ''),
    idle: () => app.deps.jobs.idle(),
    async login(username, password = DEMO_PASSWORD, opts = {}) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      if (!opts.keepMustChange)
        await database.db
          .updateTable('users')
          .set({ must_change_password: false })
          .where('username', '=', username)
          .where('must_change_password', '=', true)
          .execute();
      const setCookie = res.cookies.find((c) => c.name === 'jz_session');
      if (!setCookie) throw new Error('no session cookie');
      return agent(username, `jz_session=${setCookie.value}`);
    },
    cliEnv: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...dbEnv },
    shutdown,
    async close() {
      await shutdown();
      if (clone) await dropPostgresDatabase(serverUrl!, clone.name);
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
