import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday, makeIdNumber, maskIdNumber, normalizeIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { insertEnrolments } from '../enrolments/create';
import { demoSchemeInput } from './demo-scheme';
import { escalateOverdueClaims } from './escalate';
import { ESCALATE_CLAIMS_JOB } from '../../jobs/index';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村
const PASSWORD = 'claims-password-1';

let t: TestApp;
let admin: Agent;
let lingchuan: Agent;
let qiulu: Agent;
let insurer: Agent;
let otherInsurer: Agent;
const today = chinaToday();
let seq = 0;

async function account(username: string, role: string, regionCode: string): Promise<Agent> {
  const res = await admin.request('POST', '/api/users', {
    username,
    displayName: username,
    role,
    regionCode,
    password: PASSWORD,
  });
  expect(res.statusCode, res.body).toBe(201);
  return t.login(username, PASSWORD);
}

/** A 低保 household of two in 云庄村 enrolled from `fromMonth`; returns the members' ID numbers. */
async function enrolled(fromMonth: string): Promise<[string, string]> {
  seq++;
  const ids: [string, string] = [
    makeIdNumber('350302', '1950-03-0' + ((seq % 9) + 1), 700 + seq),
    makeIdNumber('350302', '1952-07-1' + (seq % 9), 800 + seq),
  ];
  await t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'dibao',
          householdId: null,
          regionCode: YUNZHUANG,
          source: 'seed',
          fromMonth,
          monthlyAmountFen: 60_000,
          members: ids.map((id, j) => ({
            idHash: t.app.deps.protector.idHash(normalizeIdNumber(id)),
            memberId: null,
            name: `${j === 0 ? '林' : '陈'}理赔${seq}`,
            idMasked: maskIdNumber(id),
            relation: j === 0 ? 'head' : 'spouse',
          })),
          approvalLevel: 'system',
          reason: 'seed',
        },
      ],
      null,
    ),
  );
  return ids;
}

const pdf = (kind: string) => ({
  kind,
  fileName: `${kind}.pdf`,
  mimeType: 'application/pdf',
  contentBase64: Buffer.from(`%PDF-1.4 ${kind}`).toString('base64'),
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  qiulu = await t.login('qiulu');
  insurer = await account('ins.a', 'insurer', '3503');
  otherInsurer = await account('ins.b', 'insurer', '3503');
  // The insurer's account is named on the scheme of this year and of 2025 (for the National Day clock).
  for (const year of [2025, Number(today.slice(0, 4))]) {
    const res = await admin.request('POST', '/api/insurance/schemes', {
      ...demoSchemeInput(year),
      insurerUsers: ['ins.a'],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(() => t?.close());

describe('claims (理赔)', () => {
  it('runs 报案 → 指导 → 收件 → 审核 → 赔付 with the checklist, an idempotent report and audit', async () => {
    const [head] = await enrolled(`${today.slice(0, 4)}-01`);
    const body = { idNumber: head, coverItem: 'death_illness', eventDate: today, eventNote: '因病去世' };
    const first = await lingchuan.request('POST', '/api/insurance/claims', body, { 'idempotency-key': 'rep-1' });
    expect(first.statusCode, first.body).toBe(201);
    const claim = first.json();
    expect(claim).toMatchObject({
      status: 'reported',
      source: 'staff',
      regionName: '云庄村委会',
      allowedSteps: ['guide'],
    });
    expect(claim.idMasked).toBe(maskIdNumber(head));
    // A retry of the same request returns the same claim; another report of the same death is refused.
    const retry = await lingchuan.request('POST', '/api/insurance/claims', body, { 'idempotency-key': 'rep-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(claim.id);
    expect((await lingchuan.request('POST', '/api/insurance/claims', body)).statusCode).toBe(409);

    const guided = (
      await lingchuan.request('POST', `/api/insurance/claims/${claim.id}/guide`, { note: '已电话告知家属' })
    ).json();
    expect(guided.status).toBe('guided');
    expect(guided.checklist.map((c: { kind: string }) => c.kind)).toEqual([
      'death_certificate',
      'cremation_certificate',
      'medical_records',
      'beneficiary_id',
      'beneficiary_bank_account',
    ]);
    // Part of the materials: kept, the claim stays at intake and no clock runs.
    const part = (
      await lingchuan.request('POST', `/api/insurance/claims/${claim.id}/receive`, {
        documents: [pdf('death_certificate'), pdf('cremation_certificate')],
      })
    ).json();
    expect(part).toMatchObject({ status: 'guided', clock: { completeOn: null, overdue: false } });
    expect(part.checklist.filter((c: { received: boolean }) => c.received)).toHaveLength(2);
    const complete = await lingchuan.request('POST', `/api/insurance/claims/${claim.id}/receive`, {
      documents: [pdf('medical_records'), pdf('beneficiary_id'), pdf('beneficiary_bank_account')],
    });
    expect(complete.statusCode, complete.body).toBe(200);
    expect(complete.json()).toMatchObject({ status: 'received', clock: { completeOn: today, overdue: false } });
    expect(complete.json().documents).toHaveLength(5);
    // Township staff cannot review; the insurer can.
    const review = { decision: 'approve', reasons: '材料齐全，符合疾病身故责任' };
    expect((await lingchuan.request('POST', `/api/insurance/claims/${claim.id}/review`, review)).statusCode).toBe(403);
    expect(
      (await insurer.request('POST', `/api/insurance/claims/${claim.id}/review`, { ...review, amountFen: 300_001 }))
        .statusCode,
    ).toBe(400);
    const approved = (
      await insurer.request('POST', `/api/insurance/claims/${claim.id}/review`, review, { 'idempotency-key': 'rev-1' })
    ).json();
    expect(approved).toMatchObject({ status: 'approved', approvedFen: 300_000, allowedSteps: ['pay'] });
    // The same review again (a retry) changes nothing.
    expect(
      (
        await insurer.request('POST', `/api/insurance/claims/${claim.id}/review`, review, {
          'idempotency-key': 'rev-1',
        })
      ).json().version,
    ).toBe(approved.version);
    const paid = (
      await insurer.request('POST', `/api/insurance/claims/${claim.id}/pay`, {
        paidOn: today,
        amountFen: 300_000,
        reference: 'ZF-0001',
      })
    ).json();
    expect(paid).toMatchObject({
      status: 'paid',
      paidFen: 300_000,
      paidRef: 'ZF-0001',
      clock: { workingDays: 0, overdue: false },
    });
    expect(paid.actions.map((a: { type: string }) => a.type)).toEqual([
      'reported',
      'guided',
      'received',
      'received',
      'approved',
      'paid',
    ]);
    expect(
      (
        await insurer.request('POST', `/api/insurance/claims/${claim.id}/pay`, {
          paidOn: today,
          amountFen: 1,
          reference: 'x',
        })
      ).statusCode,
    ).toBe(409);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', claim.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'insurance.claim.report',
      'insurance.claim.guide',
      'insurance.claim.receive',
      'insurance.claim.receive',
      'insurance.claim.review',
      'insurance.claim.pay',
    ]);
  });

  it('a report retried with the same Idempotency-Key, even at the same moment, opens one claim', async () => {
    const [head] = await enrolled(`${today.slice(0, 4)}-01`);
    // Not a death: nothing but the key keeps a second report of the same event from opening a second claim.
    const body = { idNumber: head, coverItem: 'disability_accident', eventDate: today, eventNote: '摔伤' };
    const rows = async () => {
      const claims = await t.database.db
        .selectFrom('insurance_claims')
        .select('id')
        .where('id_hash', '=', t.app.deps.protector.idHash(normalizeIdNumber(head)))
        .execute();
      const actions = await t.database.db
        .selectFrom('insurance_claim_actions')
        .select('claim_id')
        .where(
          'claim_id',
          'in',
          claims.map((c) => c.id),
        )
        .execute();
      return { claims: claims.length, actions: actions.length };
    };
    // A double submit: both requests in flight before either has answered.
    const key = { 'idempotency-key': `rep-twice-${seq}` };
    const both = await Promise.all([
      lingchuan.request('POST', '/api/insurance/claims', body, key),
      lingchuan.request('POST', '/api/insurance/claims', body, key),
    ]);
    expect(both.map((r) => r.statusCode).sort(), both[1]!.body).toEqual([200, 201]);
    expect(both[0]!.json().id).toBe(both[1]!.json().id);
    // A retry after the answer: the same claim again.
    const retry = await lingchuan.request('POST', '/api/insurance/claims', body, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(both[0]!.json().id);
    expect(await rows()).toEqual({ claims: 1, actions: 1 });
    // The same key with another report is refused, not answered with the first claim.
    const other = await lingchuan.request('POST', '/api/insurance/claims', { ...body, eventNote: '另一次摔伤' }, key);
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_MISMATCH');
    // Another key is another request: a second claim (a second accident on the same day is possible).
    const second = await lingchuan.request('POST', '/api/insurance/claims', body, {
      'idempotency-key': `rep-again-${seq}`,
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().id).not.toBe(both[0]!.json().id);
    expect(await rows()).toEqual({ claims: 2, actions: 2 });

    // Two different reports under one key at the same moment: one is made, the other refused.
    const race = { 'idempotency-key': `rep-race-${seq}` };
    const raced = await Promise.all([
      lingchuan.request('POST', '/api/insurance/claims', { ...body, eventNote: '同时一' }, race),
      lingchuan.request('POST', '/api/insurance/claims', { ...body, eventNote: '同时二' }, race),
    ]);
    expect(raced.map((r) => r.statusCode).sort(), raced.map((r) => r.body).join('\n')).toEqual([201, 422]);
    expect(raced.find((r) => r.statusCode === 422)!.json().error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await rows()).toEqual({ claims: 3, actions: 3 });

    // A refused request takes its key back: the corrected one goes through under the same key.
    const fixKey = { 'idempotency-key': `rep-fix-${seq}` };
    const refused = await lingchuan.request(
      'POST',
      '/api/insurance/claims',
      { ...body, eventDate: '2099-01-01' },
      fixKey,
    );
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(400);
    const fixed = await lingchuan.request('POST', '/api/insurance/claims', body, fixKey);
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(await rows()).toEqual({ claims: 4, actions: 4 });
  });

  it('refuses a report for a person not insured on the date, and keeps other regions and insurers out', async () => {
    const uninsured = makeIdNumber('350302', '1970-01-01', 999);
    const res = await lingchuan.request('POST', '/api/insurance/claims', {
      idNumber: uninsured,
      coverItem: 'death_illness',
      eventDate: today,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    // Enrolled from next year's January: not insured today.
    const [later] = await enrolled(`${Number(today.slice(0, 4)) + 1}-01`);
    expect(
      (
        await lingchuan.request('POST', '/api/insurance/claims', {
          idNumber: later,
          coverItem: 'death_illness',
          eventDate: today,
        })
      ).statusCode,
    ).toBe(404);
    // 萩芦镇 cannot report for a 灵川镇 recipient (not in its scope) nor see its claims.
    const [head] = await enrolled(`${today.slice(0, 4)}-01`);
    expect(
      (
        await qiulu.request('POST', '/api/insurance/claims', {
          idNumber: head,
          coverItem: 'death_illness',
          eventDate: today,
        })
      ).statusCode,
    ).toBe(404);
    const claim = (
      await lingchuan.request('POST', '/api/insurance/claims', {
        idNumber: head,
        coverItem: 'death_illness',
        eventDate: today,
      })
    ).json();
    expect((await qiulu.request('GET', `/api/insurance/claims/${claim.id}`)).statusCode).toBe(404);
    expect((await qiulu.request('GET', '/api/insurance/claims')).json().total).toBe(0);
    // An insurer not named on the scheme sees none of its claims, and cannot act.
    expect((await otherInsurer.request('GET', '/api/insurance/claims')).json().total).toBe(0);
    expect((await otherInsurer.request('GET', `/api/insurance/claims/${claim.id}`)).statusCode).toBe(404);
    expect((await insurer.request('GET', `/api/insurance/claims/${claim.id}`)).statusCode).toBe(200);
    // The insurer sees the roster (masked) but not the household files or enrolments.
    const roster = await insurer.request('GET', `/api/insurance/roster?on=${today}&q=理赔`);
    expect(roster.statusCode).toBe(200);
    for (const i of roster.json().items) expect(i.idMasked).toMatch(/\*/);
    expect((await insurer.request('GET', '/api/enrolments')).statusCode).toBe(403);
    expect((await insurer.request('GET', '/api/households')).statusCode).toBe(403);
  });

  it('pays disability by grade as a share of the maximum', async () => {
    const [, spouse] = await enrolled(`${today.slice(0, 4)}-01`);
    const c = (
      await insurer.request('POST', '/api/insurance/claims', {
        idNumber: spouse,
        coverItem: 'disability_accident',
        eventDate: today,
      })
    ).json();
    await insurer.request('POST', `/api/insurance/claims/${c.id}/guide`, {});
    await insurer.request('POST', `/api/insurance/claims/${c.id}/receive`, {
      documents: ['accident_proof', 'disability_assessment', 'medical_records', 'beneficiary_bank_account'].map(pdf),
    });
    const noGrade = await insurer.request('POST', `/api/insurance/claims/${c.id}/review`, {
      decision: 'approve',
      reasons: '伤残鉴定',
    });
    expect(noGrade.statusCode).toBe(400);
    expect(noGrade.json().error.fields[0].path).toBe('disabilityGrade');
    const ok = (
      await insurer.request('POST', `/api/insurance/claims/${c.id}/review`, {
        decision: 'approve',
        disabilityGrade: 3,
        reasons: '三级伤残',
      })
    ).json();
    // Grade 3 pays 80% of 30,000 yuan.
    expect(ok).toMatchObject({ status: 'approved', approvedFen: 2_400_000, disabilityGrade: 3 });
  });

  it('runs the 10-working-day clock over the National Day holiday and flags a late payout', async () => {
    const [head] = await enrolled('2025-01');
    const c = (
      await lingchuan.request('POST', '/api/insurance/claims', {
        idNumber: head,
        coverItem: 'death_illness',
        eventDate: '2025-09-20',
      })
    ).json();
    await lingchuan.request('POST', `/api/insurance/claims/${c.id}/guide`, {});
    const received = (
      await lingchuan.request('POST', `/api/insurance/claims/${c.id}/receive`, {
        documents: [
          'death_certificate',
          'cremation_certificate',
          'medical_records',
          'beneficiary_id',
          'beneficiary_bank_account',
        ].map(pdf),
        completeOn: '2025-09-26',
      })
    ).json();
    // 10 working days after Friday 26 September 2025, across 1–8 October: Thursday 16 October (not 6 October).
    expect(received.clock).toMatchObject({ completeOn: '2025-09-26', dueOn: '2025-10-16', overdue: true });
    const overdue = (await lingchuan.request('GET', '/api/insurance/claims?overdue=true')).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(c.id);
    await insurer.request('POST', `/api/insurance/claims/${c.id}/review`, { decision: 'approve', reasons: '符合' });
    const paid = (
      await insurer.request('POST', `/api/insurance/claims/${c.id}/pay`, {
        paidOn: '2025-10-17',
        amountFen: 300_000,
        reference: 'ZF-1017',
      })
    ).json();
    expect(paid.clock).toMatchObject({ workingDays: 11, overdue: true });
    const onTime = (await lingchuan.request('GET', '/api/insurance/claims?status=paid')).json();
    expect(onTime.items.find((i: { id: string }) => i.id === c.id).clock.dueOn).toBe('2025-10-16');
  });
  it('keeps documents by their content type, within the size limit, and audits every download', async () => {
    const [head] = await enrolled(`${today.slice(0, 4)}-01`);
    const c = (
      await lingchuan.request('POST', '/api/insurance/claims', {
        idNumber: head,
        coverItem: 'death_illness',
        eventDate: today,
      })
    ).json();
    await lingchuan.request('POST', `/api/insurance/claims/${c.id}/guide`, {});
    const upload = (d: object) =>
      lingchuan.request('POST', `/api/insurance/claims/${c.id}/receive`, { documents: [d] });
    // Not a PDF, JPEG or PNG (whatever it says it is): refused. Over 4 MB: refused.
    const text = { ...pdf('death_certificate'), contentBase64: Buffer.from('just text').toString('base64') };
    expect((await upload(text)).statusCode).toBe(400);
    const big = Buffer.alloc(4 * 1024 * 1024 + 1);
    big.write('%PDF-1.4');
    expect((await upload({ ...pdf('death_certificate'), contentBase64: big.toString('base64') })).statusCode).toBe(400);
    // A photo of the certificate declared as a PDF is kept as the PNG it is.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const res = await upload({
      kind: 'death_certificate',
      fileName: '死亡证明.png',
      mimeType: 'application/pdf',
      contentBase64: `data:image/png;base64,${png.toString('base64')}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json().documents[0];
    expect(doc).toMatchObject({ kind: 'death_certificate', fileName: '死亡证明.png', sizeBytes: png.length });

    const url = `/api/insurance/claims/${c.id}/documents/${doc.id}`;
    const got = await insurer.request('GET', url);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['content-disposition']).toContain(encodeURIComponent('死亡证明.png'));
    expect(Buffer.from(got.rawPayload).equals(png)).toBe(true);
    expect((await lingchuan.request('GET', url)).statusCode).toBe(200);
    // Another township and an insurer not on the scheme: as if there were no such document.
    expect((await qiulu.request('GET', url)).statusCode).toBe(404);
    expect((await otherInsurer.request('GET', url)).statusCode).toBe(404);
    expect((await lingchuan.request('GET', `/api/insurance/claims/${c.id}/documents/${c.id}`)).statusCode).toBe(404);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('entity_id', '=', c.id)
      .where('action', '=', 'insurance.claim.document.download')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.actor_username)).toEqual(['ins.a', 'lingchuan']);
  });
  it('escalates a claim past its clock to the county once, by the daily job', async () => {
    const [head] = await enrolled('2025-01');
    const c = (
      await lingchuan.request('POST', '/api/insurance/claims', {
        idNumber: head,
        coverItem: 'death_illness',
        eventDate: '2025-09-21',
      })
    ).json();
    await lingchuan.request('POST', `/api/insurance/claims/${c.id}/guide`, {});
    const docs = ['death_certificate', 'cremation_certificate', 'medical_records', 'beneficiary_id'];
    const received = await lingchuan.request('POST', `/api/insurance/claims/${c.id}/receive`, {
      documents: [...docs, 'beneficiary_bank_account'].map(pdf),
      completeOn: '2025-09-26',
    });
    expect(received.json().clock.dueOn).toBe('2025-10-16');
    const escalatedAt = async () =>
      (await lingchuan.request('GET', `/api/insurance/claims/${c.id}`)).json().escalatedAt as string | null;
    // On its due date the clock has not run out yet.
    await escalateOverdueClaims(t.database.db, '2025-10-16');
    expect(await escalatedAt()).toBeNull();
    // The next day the daily job escalates it, audited for the county.
    await t.app.deps.jobs.enqueue(ESCALATE_CLAIMS_JOB, { today: '2025-10-17' });
    await expect.poll(escalatedAt).not.toBeNull();
    const first = await escalatedAt();
    // Once only: a later run leaves it (and every other escalated claim) alone.
    expect(await escalateOverdueClaims(t.database.db, '2025-10-20')).toBe(0);
    expect(await escalatedAt()).toBe(first);
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['region_code', 'entity_id'])
      .where('action', '=', 'insurance.claim.escalate')
      .where('entity_id', '=', c.id)
      .execute();
    expect(audits).toEqual([{ region_code: '350302', entity_id: c.id }]);
    // The county sees it among the overdue claims, flagged; a refused or paid claim is never escalated.
    const list = (await lingchuan.request('GET', '/api/insurance/claims?overdue=true')).json();
    expect(list.items.find((i: { id: string }) => i.id === c.id).escalatedAt).toBe(first);
    const paid = await t.database.db
      .selectFrom('insurance_claims')
      .select('id')
      .where('status', 'in', ['paid', 'refused'])
      .where('escalated_at', 'is not', null)
      .execute();
    expect(paid).toEqual([]);
  });
});
