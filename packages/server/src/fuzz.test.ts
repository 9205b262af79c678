/**
 * Issue 11, "keep it fixed": every route in the OpenAPI document is sent malformed requests —
 * wrong types, NUL and control characters, 1 MB strings, deep nesting, `__proto__` keys, bad
 * dates, bad ID numbers, malformed path parameters and query strings, wrong content types —
 * as an administrator and anonymously. No answer may be a 5xx, every error has the one shape
 * `{ error: { code, message } }`, and a refused request changes nothing (the audit trail, which
 * every write extends, stays as it was). Inputs come from fast-check with a fixed seed and a
 * bounded count per route, so a failure is reproducible and the test stays a few seconds per route.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../test/harness';

let t: TestApp;
let admin: Agent;
type Operation = { parameters?: { in: string; name: string }[]; requestBody?: unknown };
let routes: { method: string; path: string; op: Operation }[] = [];

// Routes whose success ends the session the fuzzing runs on.
const SKIP = new Set(['POST /api/auth/logout']);
const SEED = 20261204;
const PER_ROUTE = 14;

const CONTROL = '\u0000\u0001\u001b\u007f';
const badString = fc.oneof(
  fc.constant(`a${CONTROL}b`),
  fc.constant('\u0000'),
  fc.constant('x'.repeat(1024 * 1024)),
  fc.constant('2026-02-30'),
  fc.constant('0000-00-00'),
  fc.constant('2026-13'),
  fc.constant('11010519491231002Y'),
  fc.constant('35030219620304417'),
  fc.constant('%E0%A4%A'),
  fc.constant('<script>alert(1)</script>'),
  fc.constant("' or 1=1 --"),
  fc.string({ maxLength: 40 }),
);
const scalar = fc.oneof(
  badString,
  fc.integer(),
  fc.double(),
  fc.constant(-1),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
);
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const protoKeys = '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}';

/** Raw JSON bodies: wrong types, odd objects, deep nesting, prototype keys, invalid JSON. */
const jsonBody = fc.oneof(
  scalar.map((v) => JSON.stringify(v)),
  fc.dictionary(fc.string({ maxLength: 12 }), scalar, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.array(scalar, { maxLength: 5 }).map((a) => JSON.stringify(a)),
  fc.constant(deep(5000)),
  fc.constant(protoKeys),
  fc.constant('{"a":'),
  fc.constant(''),
);
const pathValue = fc.oneof(
  fc.constant('x'),
  fc.constant('0'),
  fc.constant('%00'),
  fc.constant('%E0%A4%A'),
  fc.constant('..%2F..%2Fetc%2Fpasswd'),
  fc.constant('00000000-0000-0000-0000-000000000000'),
  fc.constant('a'.repeat(3000)),
  fc.constant('2026-13'),
);
const queryString = fc.oneof(
  fc.constant('page=-1&pageSize=100000'),
  fc.constant('from=0000-00-00&to=2026-13-01&month=2026-13'),
  fc.constant('q=%00&name=%01'),
  fc.constant('page=abc&pageSize=1e9'),
  fc.constant('__proto__[x]=1&constructor[prototype][y]=2'),
  fc.constant(`q=${'y'.repeat(8000)}`),
  fc.constant('a=%E0%A4%A'),
);
const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded');

type Case = { url: string; payload?: string; contentType?: string };

function cases(method: string, path: string, op: Operation, routeIndex: number): Case[] {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const fill = (values: string[]) => path.replace(/\{(\w+)\}/g, (_m, _n, i: number) => values[i % values.length]!);
  const seed = SEED + routeIndex;
  const paths = params.length ? fc.sample(pathValue, { numRuns: PER_ROUTE, seed }) : [];
  const queries = fc.sample(queryString, { numRuns: 4, seed });
  const out: Case[] = [];
  for (let i = 0; i < PER_ROUTE; i++) {
    const url = params.length ? fill([paths[i]!]) : path;
    if (method === 'GET' || method === 'DELETE') out.push({ url: `${url}?${queries[i % queries.length]}` });
    else {
      const [body] = fc.sample(jsonBody, { numRuns: 1, seed: seed + i });
      const [type] = fc.sample(contentType, { numRuns: 1, seed: seed + i });
      out.push({ url, payload: body!, contentType: i % 3 === 0 ? type! : 'application/json' });
    }
  }
  // A real path with a malformed query, and the route's declared path with a bad parameter.
  if (params.length) out.push({ url: `${fill(['1'])}?${queries[0]}` });
  return out;
}

/** Audit rows so far, once the background jobs of earlier accepted requests are done. */
const auditCount = async () => {
  await t.idle();
  return Number(
    (
      await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
};

function checkShape(label: string, res: LightMyRequestResponse) {
  expect(res.statusCode, `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode < 400) return;
  const body = res.json() as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, `${label}: ${res.body.slice(0, 300)}`).toBe('string');
  expect(typeof body.error?.message, `${label}: ${res.body.slice(0, 300)}`).toBe('string');
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  const doc = t.app.swagger() as { paths: Record<string, Record<string, Operation>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}, 60_000);
afterAll(() => t?.close());

describe('fuzzing every route of the OpenAPI document', () => {
  it('lists the whole API', () => {
    expect(routes.length).toBeGreaterThan(60);
  });

  it('never answers 5xx, always in the one error shape, and a refused request changes nothing', async () => {
    let sent = 0;
    for (const [index, route] of routes.entries()) {
      if (SKIP.has(`${route.method} ${route.path}`)) continue;
      for (const c of cases(route.method, route.path, route.op, index)) {
        for (const who of [admin, t.anonymous]) {
          const before = await auditCount();
          const res = await who.request(
            route.method as 'GET',
            c.url,
            c.payload,
            c.contentType ? { 'content-type': c.contentType } : {},
          );
          sent++;
          const label = `${who.username || 'anonymous'} ${route.method} ${c.url.slice(0, 120)} ${(c.payload ?? '').slice(0, 60)}`;
          checkShape(label, res);
          if (res.statusCode >= 400)
            expect(await auditCount(), `${label}: audit grew on a ${res.statusCode}`).toBe(before);
        }
      }
    }
    expect(sent).toBeGreaterThan(1000);
  }, 600_000);
});
