import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { signPush } from './push';

let t: TestApp;
let admin: Agent;
let key: { keyId: string; secret: string };
let seq = 0;
const pid = () => makeIdNumber('350302', '1948-07-08', ++seq);
let recordSeq = 0;

const KIND = 'public_security.deaths';
const PATH = `/api/feeds/push/${KIND}`;

function death(over: Record<string, unknown> = {}) {
  return {
    record_id: `DTH${String(++recordSeq).padStart(7, '0')}`,
    id_number: pid(),
    name: '林推送',
    death_date: '2025-05-01',
    cause_category: 'illness',
    death_place: 'home',
    hukou_region: '350302102',
    ...over,
  };
}
const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

type PushOpts = {
  keyId?: string | null;
  secret?: string;
  timestamp?: string | null;
  signature?: string | null;
  idempotencyKey?: string | null;
  path?: string;
  contentType?: string;
};

async function push(body: string, opts: PushOpts = {}) {
  const path = opts.path ?? PATH;
  const timestamp = opts.timestamp === undefined ? String(Math.floor(Date.now() / 1000)) : opts.timestamp;
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/x-ndjson' };
  const keyId = opts.keyId === undefined ? key.keyId : opts.keyId;
  if (keyId !== null) headers['x-jiuzhu-key'] = keyId;
  if (timestamp !== null) headers['x-jiuzhu-timestamp'] = timestamp;
  const signature =
    opts.signature === undefined
      ? signPush(opts.secret ?? key.secret, timestamp ?? '', 'POST', path, Buffer.from(body))
      : opts.signature;
  if (signature !== null) headers['x-jiuzhu-signature'] = signature;
  const idem = opts.idempotencyKey === undefined ? `idem-${Math.random().toString(36).slice(2)}` : opts.idempotencyKey;
  if (idem !== null) headers['idempotency-key'] = idem;
  return t.app.inject({ method: 'POST', url: path, payload: body, headers });
}

async function records() {
  return Number(
    (
      await t.database.db
        .selectFrom('feed_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}
/** Audit rows so far, once the collision runs of earlier pushes (background jobs) are done. */
async function auditCount() {
  await t.idle();
  return Number(
    (
      await t.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  const res = await admin.request('POST', '/api/feeds/sources/public_security/api-key');
  if (res.statusCode !== 201) throw new Error(res.body);
  key = res.json();
});
afterAll(() => t?.close());

describe('push credentials', () => {
  it('are shown once and kept as a hash and an encrypted secret', async () => {
    expect(key.keyId).toMatch(/^jzk_/);
    expect(key.secret.length).toBeGreaterThanOrEqual(40);
    const row = await t.database.db
      .selectFrom('feed_sources')
      .selectAll()
      .where('code', '=', 'public_security')
      .executeTakeFirstOrThrow();
    expect(row.api_key_hash).toBe(createHash('sha256').update(key.keyId).digest('hex'));
    expect(row.api_secret_enc).not.toContain(key.secret);
    expect(row.api_key_created_at).not.toBeNull();
    const sources = await admin.request('GET', '/api/feeds/sources');
    expect(sources.body).not.toContain(key.secret);
    expect(sources.body).not.toContain(key.keyId);
    expect(sources.json().items.find((s: { code: string }) => s.code === 'public_security').hasApiKey).toBe(true);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'exchange.apiKey.issue')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(key.secret);
    expect((await admin.request('POST', '/api/feeds/sources/nope/api-key')).statusCode).toBe(404);
  });
});

describe('signed pushes', () => {
  it('loads a signed push and audits it as the department', async () => {
    const before = await records();
    const audits = await auditCount();
    const res = await push(jsonl([death(), death()]), { idempotencyKey: 'first-push-0001' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'loaded', alreadyLoaded: false, rowsLoaded: 2 });
    expect(await records()).toBe(before + 2);
    expect(await auditCount()).toBe(audits + 1);
    const row = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'exchange.push')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_username: 'feed:public_security', entity_id: res.json().batchId });
    const batch = (await admin.request('GET', `/api/feeds/batches/${res.json().batchId}`)).json();
    expect(batch).toMatchObject({ channel: 'push', createdBy: 'feed:public_security' });
  });

  it('accepts a JSON array', async () => {
    const res = await push(JSON.stringify([death(), death(), death()]), { contentType: 'application/json' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'loaded', rowsLoaded: 3 });
  });

  it('answers a replay with the first result and adds nothing', async () => {
    const body = jsonl([death()]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const first = await push(body, { idempotencyKey: 'replay-key-0001', timestamp });
    expect(first.statusCode, first.body).toBe(200);
    const n = await records();
    const audits = await auditCount();
    // The identical request (same signature), and a fresh signature with the same key and body.
    for (const again of [
      await push(body, { idempotencyKey: 'replay-key-0001', timestamp }),
      await push(body, { idempotencyKey: 'replay-key-0001' }),
    ]) {
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({
        batchId: first.json().batchId,
        alreadyLoaded: true,
        rowsLoaded: first.json().rowsLoaded,
      });
    }
    expect(await records()).toBe(n);
    expect(await auditCount()).toBe(audits);
  });

  it('resumes a push whose import died, when the department sends it again with its key', async () => {
    const body = jsonl([death(), death()]);
    const idempotencyKey = 'died-push-0001';
    // As a process killed mid-load leaves it: the key claimed, its batch committed 'loading', no rows.
    await t.database.db
      .insertInto('feed_push_requests')
      .values({
        source_code: 'public_security',
        idempotency_key: idempotencyKey,
        body_sha256: createHash('sha256').update(body).digest('hex'),
      })
      .execute();
    const dead = await t.database.db
      .insertInto('feed_batches')
      .values({
        kind_code: KIND,
        source_code: 'public_security',
        channel: 'push',
        file_name: `push-${idempotencyKey}.csv`,
        file_sha256: 'f'.repeat(64),
        idempotency_key: idempotencyKey,
        status: 'loading',
        created_by: 'feed:public_security',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const shown = (await admin.request('GET', `/api/feeds/batches/${dead.id}`)).json();
    expect(shown).toMatchObject({ status: 'failed', failure: { reason: 'interrupted' } });
    const n = await records();
    const res = await push(body, { idempotencyKey });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ batchId: dead.id, status: 'loaded', alreadyLoaded: false, rowsLoaded: 2 });
    expect(await records()).toBe(n + 2);
  });

  it('refuses a re-used idempotency key with other records (409)', async () => {
    await push(jsonl([death()]), { idempotencyKey: 'reused-key-0001' });
    const n = await records();
    const res = await push(jsonl([death()]), { idempotencyKey: 'reused-key-0001' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONFLICT');
    expect(await records()).toBe(n);
  });

  it('answers 401 with a precise reason to unsigned, stale, forged and unknown-key requests', async () => {
    const body = jsonl([death()]);
    const n = await records();
    const audits = await auditCount();
    // Ten minutes off either way: well outside the five-minute window however slowly the requests run.
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const cases: [PushOpts, string][] = [
      [{ keyId: null, signature: null, timestamp: null }, 'PUSH_KEY_MISSING'],
      [{ keyId: 'jzk_unknown' }, 'PUSH_KEY_UNKNOWN'],
      [{ timestamp: null }, 'PUSH_TIMESTAMP_MISSING'],
      [{ timestamp: stale }, 'PUSH_TIMESTAMP_STALE'],
      [{ timestamp: String(Math.floor(Date.now() / 1000) + 600) }, 'PUSH_TIMESTAMP_STALE'],
      [{ timestamp: 'yesterday' }, 'PUSH_TIMESTAMP_STALE'],
      [{ signature: null }, 'PUSH_SIGNATURE_MISSING'],
      [{ secret: 'not-the-secret' }, 'PUSH_SIGNATURE_INVALID'],
      [{ signature: 'abc' }, 'PUSH_SIGNATURE_INVALID'],
    ];
    for (const [opts, reason] of cases) {
      const res = await push(body, opts);
      expect(res.statusCode, `${reason}: ${res.body}`).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason } });
    }
    // Signed for another body or another path: the signature does not match.
    const ts = String(Math.floor(Date.now() / 1000));
    const forged = await t.app.inject({
      method: 'POST',
      url: PATH,
      payload: jsonl([death()]),
      headers: {
        'content-type': 'application/x-ndjson',
        'x-jiuzhu-key': key.keyId,
        'x-jiuzhu-timestamp': ts,
        'x-jiuzhu-signature': signPush(key.secret, ts, 'POST', PATH, body),
        'idempotency-key': 'forged-body-0001',
      },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.details.reason).toBe('PUSH_SIGNATURE_INVALID');
    expect(
      (await push(body, { signature: signPush(key.secret, ts, 'POST', '/api/feeds/push/other', body), timestamp: ts }))
        .statusCode,
    ).toBe(401);
    expect(await records()).toBe(n);
    expect(await auditCount()).toBe(audits);
  });

  it('refuses a kind of another source (403), a missing idempotency key and a body that is not records (400)', async () => {
    const n = await records();
    const other = '/api/feeds/push/funeral.cremations';
    const res = await push(jsonl([{ record_id: 'CRM0000001' }]), { path: other });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const noIdem = await push(jsonl([death()]), { idempotencyKey: null });
    expect(noIdem.statusCode).toBe(400);
    expect(noIdem.json().error.fields[0].path).toBe('Idempotency-Key');
    expect((await push('[1,2,3]', { contentType: 'application/json' })).statusCode).toBe(400);
    expect((await push('[{"a":', { contentType: 'application/json' })).statusCode).toBe(400);
    expect(await records()).toBe(n);
  });

  it('turns pushed records into the kind’s own format (an XLSX kind), bad rows reported at record n + 1', async () => {
    const issued = (await admin.request('POST', '/api/feeds/sources/banks/api-key')).json() as typeof key;
    const path = '/api/feeds/push/banks.deposits';
    const deposit = (over: Record<string, unknown> = {}) => ({
      record_id: `DEP${String(++recordSeq).padStart(7, '0')}`,
      id_number: pid(),
      name: '林存款',
      query_date: '2025-05-02',
      bank_name: '莆田农商银行',
      account_no: '6228480000000000',
      account_type: 'current',
      balance_fen: 1234500,
      ...over,
    });
    const res = await push(JSON.stringify([deposit(), deposit({ balance_fen: -5 }), deposit()]), {
      path,
      keyId: issued.keyId,
      secret: issued.secret,
      contentType: 'application/json',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'loaded', rowsTotal: 3, rowsLoaded: 2, rowsRejected: 1 });
    const detail = (await admin.request('GET', `/api/feeds/batches/${res.json().batchId}`)).json();
    expect(detail.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [3, 'balance_fen'],
    ]);
    // The account number is protected: kept only encrypted.
    const rows = await t.database.db
      .selectFrom('feed_records')
      .selectAll()
      .where('batch_id', '=', res.json().batchId)
      .execute();
    expect(JSON.stringify(rows)).not.toContain('6228480000000000');
  });

  it('stops accepting the old key once a new one is issued', async () => {
    const old = key;
    const res = await admin.request('POST', '/api/feeds/sources/public_security/api-key');
    key = res.json();
    const body = jsonl([death()]);
    const refused = await push(body, { keyId: old.keyId, secret: old.secret });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.details.reason).toBe('PUSH_KEY_UNKNOWN');
    expect((await push(body)).statusCode).toBe(200);
  });
});
