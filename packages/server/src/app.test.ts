import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { createTestApp, onPostgres, type TestApp } from '../test/harness';

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Operation = {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
};
type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: string[];
} & Record<string, unknown>;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('health', () => {
  it('reports ok, the database kind and the migration, without login', async () => {
    const files = fs.readdirSync(MIGRATIONS).filter((f) => /^\d{4}_[a-z0-9-]+\.sql$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const res = await t.anonymous.request('GET', '/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: onPostgres ? 'postgresql' : 'pglite',
      // Migration numbers have gaps (each branch has its own range): the highest is the version.
      migration: Math.max(...files.map((f) => Number(f.slice(0, 4)))),
    });
  });
});

describe('OpenAPI', () => {
  let doc: {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  beforeAll(async () => {
    const res = await t.anonymous.request('GET', '/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.json();
  });

  it('is an OpenAPI 3 document listing the API', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Jiuzhu API', version: expect.any(String) });
    expect(doc.components.securitySchemes.session).toEqual({ type: 'apiKey', in: 'cookie', name: 'jz_session' });
    for (const p of [
      '/api/health',
      '/api/auth/login',
      '/api/auth/me',
      '/api/users',
      '/api/users/{id}',
      '/api/regions/{code}',
      '/api/regions/search',
      '/api/calendar/month',
      '/api/audit',
    ]) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
    // Only the API itself: not the docs UI, not the document.
    for (const p of Object.keys(doc.paths)) expect(p.startsWith('/api/') && !p.startsWith('/api/docs'), p).toBe(true);
    expect(doc.paths['/api/openapi.json']).toBeUndefined();
  });

  it('describes every operation: a summary, tags, its path parameters, a success response', () => {
    for (const [p, item] of Object.entries(doc.paths)) {
      const pathParams = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${p}`;
        expect(op.summary, where).toBeTruthy();
        expect(op.tags?.length, where).toBeGreaterThan(0);
        const declared = (op.parameters ?? []).filter((x) => x.in === 'path');
        expect(declared.map((x) => x.name).sort(), where).toEqual([...pathParams].sort());
        for (const x of declared) expect(x.required, where).toBe(true);
        expect(
          Object.keys(op.responses).some((code) => /^2\d\d$/.test(code)),
          `${where} has a 2xx response`,
        ).toBe(true);
        if (['post', 'put', 'patch'].includes(method) && op.requestBody) {
          expect(Object.keys(op.requestBody.content), where).toContain('application/json');
        }
      }
    }
  });

  it('carries the request schemas: LoginBody, CreateUserBody, the user list query', () => {
    const login = doc.paths['/api/auth/login']!.post!.requestBody!.content['application/json']!.schema;
    expect(login.type).toBe('object');
    expect([...login.required!].sort()).toEqual(['password', 'username']);
    expect(Object.keys(login.properties!).sort()).toEqual(['password', 'username']);
    expect(login.additionalProperties).toBe(false);

    const create = doc.paths['/api/users']!.post!.requestBody!.content['application/json']!.schema;
    expect([...create.required!].sort()).toEqual(['displayName', 'password', 'regionCode', 'role', 'username']);
    expect(create.properties!.role!.enum).toEqual([
      'city_admin',
      'county_officer',
      'township_officer',
      'grid_worker',
      'finance_officer',
      'insurer',
      'auditor',
    ]);
    expect(create.properties!.password).toMatchObject({ type: 'string', minLength: 10 });

    const list = doc.paths['/api/users']!.get!.parameters!.filter((x) => x.in === 'query').map((x) => x.name);
    expect(list.sort()).toEqual(['order', 'page', 'pageSize', 'q', 'regionCode', 'role', 'sort', 'status']);
    expect(doc.paths['/api/users']!.get!.responses['200']).toBeDefined();
  });

  it('serves the browsable docs at /api/docs/', async () => {
    const res = await t.anonymous.request('GET', '/api/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Swagger UI');
  });
});

describe('errors', () => {
  it('answers an unknown API route with 404 in the error contract, in the caller’s language', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/users/x/y/z'],
      ['DELETE', '/api/health'],
    ] as const) {
      const res = await t.anonymous.request(method, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: '接口不存在' } });
    }
    const en = await t.anonymous.request('GET', '/api/nope', undefined, { 'accept-language': 'en-US' });
    expect(en.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  });

  it('never leaks internals in a 500: a generic message and the request id', async () => {
    // A second app on the same database, with two routes that fail the way real code can.
    const app = await buildApp({ config: t.config, database: t.database, logger: false });
    app.get('/api/test/throw', { config: { access: 'public' } }, () => {
      throw new Error('secret-internal-detail: connection string postgres://user:hunter2@db');
    });
    app.get('/api/test/sql', { config: { access: 'public' } }, async () => {
      await sql`select password_hash from no_such_table_xyz`.execute(t.database.db);
      return {};
    });
    await app.ready();
    try {
      for (const url of ['/api/test/throw', '/api/test/sql']) {
        const res = await app.inject({ method: 'GET', url, headers: { 'x-request-id': 'boom-request-0001' } });
        expect(res.statusCode, url).toBe(500);
        expect(res.json()).toEqual({
          error: {
            code: 'INTERNAL',
            message: '服务器内部错误，请稍后重试',
            details: { requestId: 'boom-request-0001' },
          },
        });
        for (const secret of ['secret', 'hunter2', 'no_such_table', 'password_hash', 'stack', 'relation', 'at ']) {
          expect(res.body, `${url} leaks "${secret}"`).not.toContain(secret);
        }
      }
    } finally {
      await app.close();
    }
  });
});

describe('request id', () => {
  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const given = await t.anonymous.request('GET', '/api/health', undefined, { 'x-request-id': 'client-req_0001-abc' });
    expect(given.headers['x-request-id']).toBe('client-req_0001-abc');

    const none = await t.anonymous.request('GET', '/api/health');
    expect(none.headers['x-request-id']).toMatch(UUID);
    const other = await t.anonymous.request('GET', '/api/health');
    expect(other.headers['x-request-id']).not.toBe(none.headers['x-request-id']);

    for (const bad of ['short', 'has spaces in it', 'x'.repeat(65), 'semi;colon-0001', '<script>alert(1)</script>']) {
      const res = await t.anonymous.request('GET', '/api/health', undefined, { 'x-request-id': bad });
      expect(res.headers['x-request-id'], bad).toMatch(UUID);
    }
  });

  it('carries the id on error answers too', async () => {
    const notFound = await t.anonymous.request('GET', '/api/nope', undefined, { 'x-request-id': 'req-404-000001' });
    expect(notFound.headers['x-request-id']).toBe('req-404-000001');
    const unauth = await t.anonymous.request('GET', '/api/users', undefined, { 'x-request-id': 'req-401-000001' });
    expect(unauth.statusCode).toBe(401);
    expect(unauth.headers['x-request-id']).toBe('req-401-000001');
  });

  it('records the request id in the audit row of a mutation', async () => {
    const res = await t.anonymous.request(
      'POST',
      '/api/auth/login',
      { username: 'admin', password: 'jiuzhu-demo' },
      { 'x-request-id': 'req-login-000001' },
    );
    expect(res.statusCode).toBe(200);
    const row = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'request_id'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ action: 'auth.login', request_id: 'req-login-000001' });
  });
});
