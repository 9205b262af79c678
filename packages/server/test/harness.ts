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
  /** Signs in through the HTTP API and returns an agent carrying the session cookie. */
  login(username: string, password?: string): Promise<Agent>;
  anonymous: Agent;
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

/** A fresh schema name per test file on PostgreSQL (the suite shares one server database). */
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
 * The whole application on a real database: an in-memory PGlite by default, or a fresh
 * schema on the PostgreSQL server of DATABASE_URL. Migrated, regions loaded, demo accounts seeded.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: Partial<Config> = {},
  opts: TestAppOptions = {},
): Promise<TestApp> {
  const schema = onPostgres ? freshSchema() : undefined;
  if (schema) await createSchema(process.env.DATABASE_URL!, schema);
  const dataDir = !onPostgres && opts.persistent ? fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-test-')) : undefined;
  const dbEnv: Record<string, string> = {
    ...(schema ? { JIUZHU_DB_SCHEMA: schema, DATABASE_URL: process.env.DATABASE_URL! } : {}),
    ...(dataDir ? { JIUZHU_DATA_DIR: dataDir } : {}),
  };
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', JIUZHU_LOGIN_RATE_LIMIT: '1000', ...dbEnv, ...env },
    overrides,
  );
  const log = pino({ level: 'silent' });
  let database: Database;
  try {
    database = await openAndPrepare(config, log, { inMemory: !onPostgres && !dataDir, seedDemo: true });
  } catch (err) {
    if (schema) await dropSchema(process.env.DATABASE_URL!, schema);
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
    async login(username, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const setCookie = res.cookies.find((c) => c.name === 'jz_session');
      if (!setCookie) throw new Error('no session cookie');
      return agent(username, `jz_session=${setCookie.value}`);
    },
    cliEnv: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...dbEnv },
    shutdown,
    async close() {
      await shutdown();
      if (schema) await dropSchema(process.env.DATABASE_URL!, schema);
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
