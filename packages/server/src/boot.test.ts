import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { openAndPrepare } from './boot';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { DEMO_GRID_WORKER } from './demo/exchange';
import { DEMO_INSURER } from './demo/insurance';
import { createSchema, dropSchema, freshSchema, onPostgres } from '../test/harness';

const log = pino({ level: 'silent' });
const KEYS = {
  JIUZHU_DATA_KEY: randomBytes(32).toString('base64'),
  JIUZHU_INDEX_KEY: randomBytes(32).toString('base64'),
};
const DEMO_USERNAMES = ['admin', 'chengxiang', 'lingchuan', 'qiulu', 'caizheng'];

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** An empty place for a database that survives being closed: a PGlite directory or a PostgreSQL schema. */
async function freshStore(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  if (onPostgres) {
    const url = process.env.DATABASE_URL!;
    const schema = freshSchema();
    await createSchema(url, schema);
    return { env: { DATABASE_URL: url, JIUZHU_DB_SCHEMA: schema }, cleanup: () => dropSchema(url, schema) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-boot-'));
  return { env: { JIUZHU_DATA_DIR: dir }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('loadConfig', () => {
  it('has development defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      port: 8080,
      city: '3503',
      cookieSecure: false,
      databaseUrl: undefined,
    });
    expect(c.defaultedSecrets).toEqual(['JIUZHU_DATA_KEY', 'JIUZHU_INDEX_KEY']);
    expect(c.indexKey).toHaveLength(32);
  });

  it('rejects a bad value with a message naming the variable', () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ PORT: 'abc' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ JIUZHU_CITY: '35' }, 'JIUZHU_CITY'],
      [{ JIUZHU_CITY: '350302' }, 'JIUZHU_CITY'],
      [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
      [{ JIUZHU_DB_SCHEMA: 'Drop Table' }, 'JIUZHU_DB_SCHEMA'],
      [{ JIUZHU_DATA_KEY: 'c2hvcnQ=' }, 'JIUZHU_DATA_KEY'],
      [{ JIUZHU_SESSION_HOURS: '0' }, 'JIUZHU_SESSION_HOURS'],
      [{ JIUZHU_COOKIE_SECURE: 'yes' }, 'JIUZHU_COOKIE_SECURE'],
    ];
    for (const [env, name] of cases) {
      const err = configError(env);
      expect(err.message, JSON.stringify(env)).toMatch(/^Invalid configuration:/);
      expect(err.message, JSON.stringify(env)).toContain(`${name}:`);
    }
    expect(configError({ JIUZHU_CITY: '35' }).message).toContain('a 4-digit city division code');
    expect(configError({ JIUZHU_DATA_KEY: 'c2hvcnQ=' }).message).toContain('must be 32 bytes');
  });

  it('names every bad variable at once', () => {
    const err = configError({ PORT: 'abc', JIUZHU_CITY: '35', LOG_LEVEL: 'loud' });
    const lines = err.message.split('\n').slice(1);
    expect(lines.map((l) => l.trim().split(':')[0]).sort()).toEqual(['JIUZHU_CITY', 'LOG_LEVEL', 'PORT']);
  });

  it('in production, refuses to start without the secrets, naming each missing one', () => {
    const both = configError({ NODE_ENV: 'production' });
    expect(both.message).toContain('JIUZHU_DATA_KEY');
    expect(both.message).toContain('JIUZHU_INDEX_KEY');
    const one = configError({ NODE_ENV: 'production', JIUZHU_DATA_KEY: KEYS.JIUZHU_DATA_KEY });
    expect(one.message).toContain('JIUZHU_INDEX_KEY');
    expect(one.message).not.toContain('JIUZHU_DATA_KEY');

    const c = loadConfig({ NODE_ENV: 'production', ...KEYS });
    expect(c).toMatchObject({ env: 'production', cookieSecure: true, defaultedSecrets: [] });
    expect(c.indexKey.toString('base64')).toBe(KEYS.JIUZHU_INDEX_KEY);
  });
});

describe('openAndPrepare in production', () => {
  it('refuses to start while accounts have the demo password, naming them', async () => {
    const store = await freshStore();
    try {
      // Seeding forced on a production configuration: the demo accounts exist, so the safety check refuses.
      const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...KEYS, ...store.env });
      const err = await rejection(openAndPrepare(config, log, { inMemory: !onPostgres, seedDemo: true }));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toMatch(/^Refusing to start in production: accounts still have the demo password: /);
      for (const u of DEMO_USERNAMES) expect(err.message).toContain(u);
    } finally {
      await store.cleanup();
    }
  });

  it('refuses a database seeded in development until every demo password is changed, then starts', async () => {
    const store = await freshStore();
    try {
      const dev = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', ...store.env });
      const seeded = await openAndPrepare(dev, log);
      try {
        // The demo's department side: nine feed batches, signals from one collision run, leads
        // in the village of the demo grid worker.
        const db = seeded.db;
        const batches = await db.selectFrom('feed_batches').select('status').execute();
        expect(batches.map((b) => b.status)).toEqual(Array(9).fill('loaded'));
        const signals = await db.selectFrom('signals').select('outcome').execute();
        expect(new Set(signals.map((s) => s.outcome))).toEqual(new Set(['stop', 'review', 'lead', 'claim_prompt']));
        // Recipients on the rolls, some with a history (modules/enrolments).
        const histories = await db.selectFrom('enrolment_changes').select('type').where('seq', '>', 1).execute();
        expect(histories.map((h) => h.type).sort()).toEqual(
          expect.arrayContaining(['amount_changed', 'ended', 'gradual_exit_started', 'suspended']),
        );
        const rolls = await db.selectFrom('enrolments').select('id').where('source', '=', 'seed').execute();
        expect(rolls.length).toBeGreaterThan(20);
        const worker = await db
          .selectFrom('users')
          .select('region_code')
          .where('username', '=', DEMO_GRID_WORKER)
          .executeTakeFirstOrThrow();
        const leads = await db.selectFrom('leads').select('id').where('region_code', '=', worker.region_code).execute();
        expect(leads.length).toBeGreaterThan(0);
        // Applications of the demo township at every step, two of them on the public notice board.
        const cases = await db.selectFrom('cases').select('status').execute();
        expect(new Set(cases.map((c) => c.status))).toEqual(
          new Set([
            'submitted',
            'missing_docs',
            'accepted',
            'verified',
            'notice',
            'pending_approval',
            'enrolled',
            'rejected',
          ]),
        );
        const notices = await db.selectFrom('case_notices').select('id').where('status', '=', 'open').execute();
        expect(notices).toHaveLength(2);
        // Payments (modules/payroll): last month approved with bank files and one return reissued in
        // this month's draft; each payroll's total is the sum of its lines.
        const payrolls = await db.selectFrom('payrolls').selectAll().orderBy('month').execute();
        expect(payrolls.map((p) => p.status)).toEqual(['approved', 'draft']);
        for (const p of payrolls) {
          const lines = await db.selectFrom('payroll_lines').selectAll().where('payroll_id', '=', p.id).execute();
          expect(lines.length).toBe(p.line_count);
          expect(lines.reduce((s, l) => s + l.amount_fen, 0)).toBe(Number(p.total_fen));
        }
        const files = await db
          .selectFrom('payroll_bank_files')
          .select('sha256')
          .where('payroll_id', '=', payrolls[0]!.id)
          .execute();
        expect(files.length).toBeGreaterThan(0);
        const failed = await db.selectFrom('payroll_lines').select('id').where('status', '=', 'failed').execute();
        expect(failed).toHaveLength(1);
        const reissue = await db.selectFrom('payroll_lines').selectAll().where('line_type', '=', 'reissue').execute();
        expect(reissue.map((l) => [l.payroll_id, Number(l.reissue_of)])).toEqual([
          [payrolls[1]!.id, Number(failed[0]!.id)],
        ]);
        // The draft also holds one correction (调整) and the 先行救助 of the approved emergency
        // application, already paid; the rejected one's is listed as not recovered.
        const extra = await db
          .selectFrom('payroll_lines')
          .select(['line_type', 'status', 'amount_fen'])
          .where('payroll_id', '=', payrolls[1]!.id)
          .where('line_type', 'in', ['adjustment', 'emergency'])
          .orderBy('line_type')
          .execute();
        expect(extra).toEqual([
          { line_type: 'adjustment', status: 'pending', amount_fen: 3_000 },
          { line_type: 'emergency', status: 'paid', amount_fen: 100_000 },
        ]);
        // Insurance claims at every step, some opened by demo death records, each of those with its visit.
        const claims = await db.selectFrom('insurance_claims').select(['id', 'status', 'source']).execute();
        expect(new Set(claims.map((c) => c.status))).toEqual(
          new Set(['reported', 'guided', 'received', 'approved', 'refused', 'paid']),
        );
        const fromDeaths = claims.filter((c) => c.source === 'exchange');
        expect(fromDeaths.length).toBeGreaterThan(0);
        const visits = await db.selectFrom('insurance_condolence_tasks').select('claim_id').execute();
        expect(visits.map((v) => v.claim_id).sort()).toEqual(fromDeaths.map((c) => c.id).sort());
      } finally {
        await seeded.close();
      }

      const prod = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...KEYS, ...store.env });
      const first = await rejection(openAndPrepare(prod, log));
      expect(first).toBeInstanceOf(ConfigError);
      for (const u of DEMO_USERNAMES) expect(first.message).toContain(u);

      // What `jiuzhu users reset-password` does to the flag, for all but one account.
      const direct = await openDatabase({
        databaseUrl: dev.databaseUrl,
        pgliteDir: onPostgres ? undefined : path.join(dev.dataDir, 'pglite'),
        ...(dev.dbSchema ? { schema: dev.dbSchema } : {}),
      });
      await direct.db.updateTable('users').set({ demo_password: false }).where('username', '!=', 'qiulu').execute();
      await direct.close();
      const second = await rejection(openAndPrepare(prod, log));
      expect(second.message).toMatch(/demo password: qiulu\./);

      const again = await openDatabase({
        databaseUrl: dev.databaseUrl,
        pgliteDir: onPostgres ? undefined : path.join(dev.dataDir, 'pglite'),
        ...(dev.dbSchema ? { schema: dev.dbSchema } : {}),
      });
      await again.db.updateTable('users').set({ demo_password: false }).execute();
      await again.close();
      const database = await openAndPrepare(prod, log);
      try {
        const users = await database.db.selectFrom('users').select('username').execute();
        expect(users.map((u) => u.username).sort()).toEqual([...DEMO_USERNAMES, DEMO_GRID_WORKER, DEMO_INSURER].sort());
      } finally {
        await database.close();
      }
    } finally {
      await store.cleanup();
    }
  });

  it('does not seed demo accounts into an empty production database', async () => {
    const store = await freshStore();
    try {
      const prod = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...KEYS, ...store.env });
      const database = await openAndPrepare(prod, log, { inMemory: !onPostgres });
      try {
        expect(await database.db.selectFrom('users').select('username').execute()).toEqual([]);
        const root = await database.db
          .selectFrom('regions')
          .select('name')
          .where('code', '=', '3503')
          .executeTakeFirst();
        expect(root).toEqual({ name: '莆田市' });
      } finally {
        await database.close();
      }
    } finally {
      await store.cleanup();
    }
  });
});
