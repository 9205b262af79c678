/**
 * The collision engine on generator data: the demo city (seed 7) seeded into an empty
 * registry, its nine feed files imported with importFeed, and every batch run through the
 * default rules. Checked as FORMATS.md "Checking an engine" says: recall 1.0 and precision
 * 1.0 for stop, review, lead and claim_prompt; re-runs and re-imports add nothing; a rule
 * edit is a new version that new signals carry; a hostile field name never reaches SQL.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { runAsSystem } from '../../context';
import { importFeed } from '../exchange/ingest';
import { loadCityDivisions } from '../regions/divisions';
import { generateAll } from '../../synthetic/index';
import { FEED_NAMES, FEED_SPECS, GROUND_TRUTH_FILE } from '../../synthetic/feeds/catalogue';
import type { GroundTruth, SignalOutcome, TruthRecord } from '../../synthetic/feeds/truth';
import { writeFeeds } from '../../synthetic/feeds/write';
import { seedRegistry } from '../../demo/registry';
import { compileRule } from './rules';
import { runCollision, type CollisionRunResult } from './run';

const SEED = 7;
const AS_OF = '2026-01-01';
const log = pino({ level: 'silent' });

let t: TestApp;
let admin: Agent;
let dir: string;
let truth: GroundTruth;
const batches = new Map<string, string>(); // kind code -> batch id

const kindOf = (file: string) => file.replace(/\.(csv|jsonl)$/, '');
const system = <T>(fn: () => Promise<T>) => runAsSystem('test', log, fn);
const deps = () => ({ ...t.app.deps, log: t.app.log });
const run = (batchId?: string): Promise<CollisionRunResult> =>
  system(() => runCollision(deps(), batchId ? { batchId } : {}));

type Link = { signal_id: string; outcome: SignalOutcome; rule_version: number; kind_code: string; record_key: string };
async function links(): Promise<Link[]> {
  const r = await sql<Link>`select s.id as signal_id, s.outcome, s.rule_version, fr.kind_code, fr.record_key
    from signals s join signal_records sr on sr.signal_id = s.id join feed_records fr on fr.id = sr.record_id`.execute(
    t.database.db,
  );
  return r.rows;
}
async function signalCount(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from signals`.execute(t.database.db);
  return r.rows[0]!.n;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  await system(() => seedRegistry(t.database.db, t.app.deps.protector, { city: '3503', size: 'demo', seed: SEED }));
  const households = generateAll({
    city: '3503',
    divisions: await loadCityDivisions('3503'),
    size: 'demo',
    seed: SEED,
  });
  dir = await mkdtemp(join(tmpdir(), 'jiuzhu-collision-'));
  await writeFeeds({ households, seed: SEED, outDir: dir, asOf: AS_OF });
  truth = JSON.parse(await readFile(join(dir, GROUND_TRUTH_FILE), 'utf8')) as GroundTruth;
  // Deaths after cremations: a death found later links to the signal its cremation raised.
  const order = [...FEED_NAMES].sort((a, b) => (a === 'deaths' ? 1 : b === 'deaths' ? -1 : 0));
  for (const name of order) {
    const file = FEED_SPECS[name].file;
    const res = await importFeed(
      { ...t.app.deps, log: t.app.log },
      { fileName: file, path: join(dir, file) },
      { kindCode: kindOf(file), channel: 'cli', actor: 'test', asOf: truth.asOf },
    );
    expect(res.status, file).toBe('loaded');
    batches.set(kindOf(file), res.batchId);
    const r = await run(res.batchId);
    expect(r.status, `${file}: ${r.error}`).toBe('done');
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('collision on the generator city (demo, seed 7)', () => {
  it('finds every planted event (recall 1.0) and raises nothing else (precision 1.0)', async () => {
    const byKey = new Map<string, TruthRecord>(truth.records.map((r) => [`${kindOf(r.file)}:${r.record_id}`, r]));
    const all = await links();
    expect(all.length).toBeGreaterThan(0);

    // Precision: every link is to a row whose labels include the signal's outcome.
    const wrong = all
      .filter((l) => !(byKey.get(`${l.kind_code}:${l.record_key}`)?.signals ?? []).includes(l.outcome))
      .map((l) => `${l.kind_code}:${l.record_key} ${l.outcome}`);
    expect(wrong).toEqual([]);

    // Recall, row by row (stricter than per event): every labelled row is linked to a signal of each outcome.
    const linked = new Set(all.map((l) => `${l.kind_code}:${l.record_key}:${l.outcome}`));
    const missed: string[] = [];
    for (const r of truth.records)
      for (const o of r.signals)
        if (!linked.has(`${kindOf(r.file)}:${r.record_id}:${o}`)) missed.push(`${r.file}:${r.line} ${o} (${r.reason})`);
    expect(missed).toEqual([]);

    // One signal per (event, outcome): a death and its cremation share one stop and one claim prompt.
    const eventsOf = new Map<string, Set<string>>();
    for (const l of all) {
      const r = byKey.get(`${l.kind_code}:${l.record_key}`)!;
      const key = `${l.signal_id}`;
      eventsOf.set(key, (eventsOf.get(key) ?? new Set()).add(String(r.event)));
    }
    for (const [, events] of eventsOf) expect(events.size).toBe(1);
    const perOutcome = await sql<{ outcome: string; n: number }>`
      select outcome, count(*)::int as n from signals group by outcome`.execute(t.database.db);
    const counts = Object.fromEntries(perOutcome.rows.map((r) => [r.outcome, r.n]));
    expect(counts).toEqual(truth.counts.signals);
  });

  it('puts each signal in the village of the person’s household, with member and household', async () => {
    const r = await sql<{ bad: number }>`select count(*)::int as bad from signals s
      left join members m on m.id = s.member_id
      where m.id is null or s.region_code <> m.region_code or s.household_id <> m.household_id`.execute(t.database.db);
    expect(r.rows[0]!.bad).toBe(0);
    const medical = await sql<{ detail: { total: number; windowMonths: number; through: string } }>`
      select s.detail from signals s join collision_rules r on r.id = s.rule_id where r.code = 'medical.self_paid'`.execute(
      t.database.db,
    );
    expect(medical.rows.length).toBeGreaterThan(0);
    for (const m of medical.rows) {
      expect(Number(m.detail.total)).toBeGreaterThanOrEqual(2_000_000);
      expect(m.detail.windowMonths).toBe(12);
      expect(String(m.detail.through).slice(0, 10)).toBe(AS_OF);
    }
  });

  it('adds nothing on a second run, a full re-run or a re-import', async () => {
    const before = { signals: await signalCount(), links: (await links()).length };
    const again = await run(batches.get('medical_insurance.expenses'));
    expect(again).toMatchObject({ status: 'done', signalsCreated: 0, recordsLinked: 0 });
    const full = await run();
    expect(full).toMatchObject({ status: 'done', signalsCreated: 0, recordsLinked: 0 });
    expect(full.recordsMatched).toBeGreaterThan(100);
    const file = FEED_SPECS.deaths.file;
    const re = await importFeed(
      { ...t.app.deps, log: t.app.log },
      { fileName: file, path: join(dir, file) },
      { kindCode: kindOf(file), channel: 'cli', actor: 'test', asOf: truth.asOf },
    );
    expect(re.alreadyLoaded).toBe(true);
    expect((await run(re.batchId)).signalsCreated).toBe(0);
    expect({ signals: await signalCount(), links: (await links()).length }).toEqual(before);
  });

  it('resumes an interrupted run where it stopped', async () => {
    const before = await signalCount();
    // A run that died after matching and two rules: its row says so; running it again finishes it.
    const runId = (
      await t.database.db
        .insertInto('collision_runs')
        .values({ batch_id: null, status: 'running', created_by: 'test' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const first = await system(() => runCollision(deps(), { runId }));
    expect(first.status).toBe('done');
    await t.database.db
      .updateTable('collision_runs')
      .set({ status: 'running', rules_done: 2, finished_at: null })
      .where('id', '=', runId)
      .execute();
    const resumed = await system(() => runCollision(deps(), { runId }));
    expect(resumed).toMatchObject({ status: 'done', signalsCreated: 0 });
    expect(await signalCount()).toBe(before);
  });

  it('checks what a rule writes once per statement, and keeps the delete rules of the keys it replaced', async () => {
    const db = t.database.db;
    // A review signal nothing else names, with its links.
    const pick = await sql<{ id: string; record_id: string }>`
      select s.id, min(sr.record_id)::text as record_id from signals s join signal_records sr on sr.signal_id = s.id
      where s.outcome = 'review'
        and not exists (select 1 from reviews v where v.signal_id = s.id)
        and not exists (select 1 from enrolment_changes c where c.signal_id = s.id)
      group by s.id order by s.id limit 1`.execute(db);
    const { id, record_id: recordId } = pick.rows[0]!;
    const before = { signals: await signalCount(), links: (await links()).length };

    // A record a link names cannot be deleted (the dropped key's "no action").
    await expect(sql`delete from feed_records where id = ${recordId}::bigint`.execute(db)).rejects.toThrow(
      /still named by signals/,
    );

    // A signal whose id is not the one its key derives (as one made elsewhere might be): the
    // run's links would name a signal that does not exist. The run fails and writes nothing.
    const moved = '00000000-0000-4000-8000-000000000001';
    const unlinked = Number(
      (await sql`delete from signal_records where signal_id = ${id}::uuid`.execute(db)).numAffectedRows,
    );
    expect(unlinked).toBeGreaterThan(0);
    await sql`update signals set id = ${moved}::uuid where id = ${id}::uuid`.execute(db);
    const broken = await run();
    expect(broken.status).toBe('failed');
    expect(broken.error).toMatch(/name a missing rule, batch, member, household, signal or record/);
    expect((await links()).length).toBe(before.links - unlinked);
    await sql`update signals set id = ${id}::uuid where id = ${moved}::uuid`.execute(db);
    const repaired = await run();
    expect(repaired).toMatchObject({ status: 'done', signalsCreated: 0 });
    expect({ signals: await signalCount(), links: (await links()).length }).toEqual(before);

    // Deleting a signal deletes its links (the dropped key's "on delete cascade"); rolled back.
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`delete from signals where id = ${id}::uuid`.execute(trx);
        const left = await sql<{ n: number }>`
          select count(*)::int as n from signal_records where signal_id = ${id}::uuid`.execute(trx);
        expect(left.rows[0]!.n).toBe(0);
        // Deleting a member (a household update removes one) unsets it in their signals (was "on delete set null").
        const m = await sql<{ member_id: string }>`
          select s.member_id from signals s where s.member_id is not null
            and not exists (select 1 from payroll_lines p where p.payee_member_id = s.member_id)
            and not exists (select 1 from enrolments e where e.person_member_id = s.member_id)
          limit 1`.execute(trx);
        const memberId = m.rows[0]!.member_id;
        await sql`delete from members where id = ${memberId}::uuid`.execute(trx);
        const named = await sql<{ n: number }>`
          select count(*)::int as n from signals where member_id = ${memberId}::uuid`.execute(trx);
        expect(named.rows[0]!.n).toBe(0);
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    expect({ signals: await signalCount(), links: (await links()).length }).toEqual(before);
  });

  it('makes a rule edit a new version, and new signals carry it', async () => {
    const rules = (await admin.request('GET', '/api/collision/rules')).json().items as {
      id: string;
      code: string;
      definition: { where: { field: string; value: number }[] };
    }[];
    expect(rules.map((r) => r.code)).toContain('wage.recipient');
    const wage = rules.find((r) => r.code === 'wage.recipient')!;
    const before = await signalCount();
    const res = await admin.request('PUT', `/api/collision/rules/${wage.id}`, {
      definition: {
        ...wage.definition,
        where: [{ field: 'monthly_wage_fen', op: 'gte', value: 134_900 }],
      },
      note: 'test: one step lower',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ currentVersion: 2, versions: [{ version: 2 }, { version: 1 }] });

    const accepted = await admin.request('POST', '/api/collision/runs', {});
    expect(accepted.statusCode, accepted.body).toBe(202);
    const runId = accepted.json().runId as string;
    let status = '';
    for (let i = 0; i < 100 && status !== 'done' && status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await admin.request('GET', `/api/collision/runs/${runId}`)).json().status;
    }
    expect(status).toBe('done');
    const fresh = await sql<{ rule_version: number; n: number }>`select s.rule_version, count(*)::int as n
      from signals s where s.rule_id = ${wage.id}::uuid group by s.rule_version order by 1`.execute(t.database.db);
    expect(fresh.rows.map((r) => r.rule_version)).toEqual([1, 2]);
    expect(await signalCount()).toBe(before + fresh.rows[1]!.n);
    // Back to the documented threshold for the rest of the file.
    await admin.request('PUT', `/api/collision/rules/${wage.id}`, { definition: wage.definition, note: 'restore' });
  });

  it('refuses a definition with a hostile field name, in the compiler and through the API', async () => {
    const hostile = {
      recordTypes: ['wage'],
      subject: 'recipient',
      where: [{ field: "monthly_wage_fen' or 1=1 --", op: 'gte', value: 0 }],
      once: 'record',
      outcomes: ['review'],
    };
    expect(() => compileRule(hostile, { runId: '0', batchId: null, asOf: AS_OF, cityCode: '3503' })).toThrow();
    const res = await admin.request('POST', '/api/collision/rules', {
      code: 'hostile',
      nameZh: '恶意',
      nameEn: 'Hostile',
      definition: hostile,
    });
    expect(res.statusCode).toBe(400);
    const unknown = await admin.request('POST', '/api/collision/rules', {
      code: 'typo',
      nameZh: '拼写错误',
      nameEn: 'Typo',
      definition: { ...hostile, where: [{ field: 'monthly_wage', op: 'gte', value: 0 }] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].path).toBe('definition.where.0.field');
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from collision_rules where code in ('hostile', 'typo')`.execute(t.database.db);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('lists signals in the caller’s region with person, rule and source records, and moves them on', async () => {
    const all = (await admin.request('GET', '/api/signals?pageSize=200')).json();
    expect(all.total).toBe(await signalCount());
    const stop = all.items.find((s: { outcome: string }) => s.outcome === 'stop');
    expect(stop.person.idMasked).toMatch(/\*/);
    expect(stop.person.householdNo).toBeTruthy();
    expect(stop.records.length).toBeGreaterThan(0);
    expect(stop.rule.code).toMatch(/recipient/);
    // Protected fields (diagnosis, addresses) are never in a record's data.
    const medical = (await admin.request('GET', '/api/signals?recordType=medical&pageSize=200')).json();
    expect(medical.total).toBeGreaterThan(0);
    for (const s of medical.items)
      for (const r of s.records) {
        expect(r.recordType).toBe('medical');
        expect(r.data.diagnosis).toBeUndefined();
      }

    const village = stop.regionCode as string;
    const township = village.slice(0, 9);
    const leads = (await admin.request('GET', `/api/signals?regionCode=${township}&pageSize=200`)).json();
    for (const s of leads.items) expect(s.regionCode.startsWith(township)).toBe(true);

    // Search by the person's name, by the 户编号, and by a whole ID number (the blind index).
    const byName = (
      await admin.request('GET', `/api/signals?pageSize=200&q=${encodeURIComponent(stop.person.name)}`)
    ).json();
    expect(byName.items.map((s: { id: string }) => s.id)).toContain(stop.id);
    for (const s of byName.items) expect(s.person.name).toContain(stop.person.name);
    const byNo = (
      await admin.request('GET', `/api/signals?pageSize=200&q=${encodeURIComponent(stop.person.householdNo)}`)
    ).json();
    expect(byNo.items.map((s: { id: string }) => s.id)).toContain(stop.id);
    const member = await t.database.db
      .selectFrom('members')
      .select('id_number_enc')
      .where('id', '=', stop.person.memberId)
      .executeTakeFirstOrThrow();
    const idNumber = t.app.deps.protector.decrypt(member.id_number_enc, 'member.id_number');
    const byId = (await admin.request('GET', `/api/signals?pageSize=200&q=${idNumber}`)).json();
    expect(byId.total).toBeGreaterThan(0);
    for (const s of byId.items) expect(s.person.memberId).toBe(stop.person.memberId);
    const other = `${idNumber.slice(0, 17)}${idNumber[17] === '1' ? '2' : '1'}`;
    expect((await admin.request('GET', `/api/signals?q=${other}`)).json().total).toBe(0);

    const patched = await admin.request('PATCH', `/api/signals/${stop.id}`, {
      status: 'in_progress',
      note: '已联系村委',
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'in_progress', note: '已联系村委', handledBy: 'admin' });
    const audit = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_log where action = 'signal.status'`.execute(t.database.db);
    expect(audit.rows[0]!.n).toBe(1);
  });
});
