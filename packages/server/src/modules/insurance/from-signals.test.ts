import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, chinaToday, makeIdNumber, maskIdNumber } from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness';
import { collideBatch, feedImport } from '../exchange/ingest/cli';
import { insertEnrolments } from '../enrolments/create';

const YUNZHUANG = '350302102201'; // 城厢区 灵川镇 云庄村

let t: TestApp;
let admin: Agent;
let lingchuan: Agent;
let worker: Agent;
let dir: string;
const today = chinaToday();
let seq = 0;

/** A registry household of one in 云庄村 on 低保 from `fromMonth`; returns the ID number. */
async function recipient(name: string, fromMonth: string): Promise<string> {
  seq++;
  const idNumber = makeIdNumber('350302', `1945-0${seq}-15`, 600 + seq);
  const res = await admin.request('POST', '/api/households', {
    regionCode: YUNZHUANG,
    address: `云庄村${seq}组`,
    members: [{ name, idNumber, relation: 'head', hukouType: 'rural' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  const household = res.json();
  await t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'dibao',
          householdId: household.id,
          regionCode: YUNZHUANG,
          source: 'seed',
          fromMonth,
          monthlyAmountFen: 60_000,
          members: [
            {
              idHash: t.app.deps.protector.idHash(idNumber),
              memberId: household.members[0].id,
              name,
              idMasked: maskIdNumber(idNumber),
              relation: 'head',
            },
          ],
          approvalLevel: 'system',
          reason: 'seed',
        },
      ],
      null,
    ),
  );
  return idNumber;
}

/** `jiuzhu feed import public_security <file>`: the import, then the collision run of the batch. */
async function importDeaths(file: string) {
  const res = await feedImport(t.database, t.config, t.app.log, 'public_security', file, {
    kind: 'public_security.deaths',
  });
  expect(['loaded']).toContain(res.status);
  const run = await collideBatch(t.database, t.config, t.app.log, res.batchId);
  expect(run.status).toBe('done');
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  lingchuan = await t.login('lingchuan');
  // The village's grid worker, who gets the condolence visits.
  const res = await admin.request('POST', '/api/users', {
    username: 'gw.condolence',
    displayName: '云庄村网格员',
    role: 'grid_worker',
    regionCode: YUNZHUANG,
    password: 'grid-worker-pass-9',
  });
  expect(res.statusCode, res.body).toBe(201);
  worker = await t.login('gw.condolence', 'grid-worker-pass-9');
  dir = await mkdtemp(join(tmpdir(), 'jiuzhu-insurance-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('免申即享: a death record opens the claim', () => {
  it('opens exactly one claim for an insured recipient’s death, also when imported twice; none for an uninsured death', async () => {
    const insured = await recipient('林保险', `${today.slice(0, 4)}-01`);
    const accident = await recipient('陈意外', `${today.slice(0, 4)}-01`);
    // On the rolls only from next month: a recipient household, but not insured on the day of death.
    const uninsured = await recipient('黄未保', addMonths(today.slice(0, 7), 1));
    const file = join(dir, 'public_security.deaths.csv');
    await writeFile(
      file,
      [
        'record_id,id_number,name,death_date,cause_category,death_place,hukou_region',
        `DTH0000001,${insured},林保险,${today},illness,hospital,350302102`,
        `DTH0000002,${accident},陈意外,${today},accident,elsewhere,350302102`,
        `DTH0000003,${uninsured},黄未保,${today},illness,home,350302102`,
      ].join('\n') + '\n',
    );
    await importDeaths(file);
    await importDeaths(file);

    const list = (await lingchuan.request('GET', '/api/insurance/claims?pageSize=50')).json();
    expect(list.total).toBe(2);
    const byName = new Map(list.items.map((c: { name: string }) => [c.name, c]));
    expect(byName.get('林保险')).toMatchObject({
      status: 'reported',
      source: 'exchange',
      coverItem: 'death_illness',
      eventDate: today,
    });
    expect(byName.get('陈意外')).toMatchObject({ coverItem: 'death_accident' });
    expect(byName.has('黄未保')).toBe(false);
    const detail = (
      await lingchuan.request('GET', `/api/insurance/claims/${(byName.get('林保险') as { id: string }).id}`)
    ).json();
    expect(detail.feedRecordId).not.toBeNull();
    expect(detail.actions).toEqual([expect.objectContaining({ type: 'reported', actor: 'system' })]);
    expect(detail.allowedSteps).toEqual(['guide']);

    // The same death in a second file (e.g. a corrected re-send) still opens nothing new.
    const again = join(dir, 'public_security.deaths.2.csv');
    await writeFile(
      again,
      [
        'record_id,id_number,name,death_date,cause_category,death_place,hukou_region',
        `DTH0000009,${insured},林保险,${today},illness,hospital,350302102`,
      ].join('\n') + '\n',
    );
    await importDeaths(again);
    expect((await lingchuan.request('GET', '/api/insurance/claims')).json().total).toBe(2);
  });
});

describe('吊唁走访: the village grid worker visits the family', () => {
  it('gets one task per claim opened by a death record, records the beneficiary (encrypted, masked), audited', async () => {
    const tasks = (await worker.request('GET', '/api/insurance/condolence-tasks')).json();
    // The two claims opened by the death records above, each once despite the re-imports.
    expect(tasks.total).toBe(2);
    expect(tasks.items.map((i: { name: string }) => i.name).sort()).toEqual(['林保险', '陈意外'].sort());
    for (const i of tasks.items)
      expect(i).toMatchObject({
        status: 'open',
        assignedTo: 'gw.condolence',
        regionName: '云庄村委会',
        issuedOn: today,
      });
    const claims = (await lingchuan.request('GET', '/api/insurance/claims?pageSize=50')).json();
    expect(new Set(tasks.items.map((i: { claimId: string }) => i.claimId))).toEqual(
      new Set(claims.items.filter((c: { source: string }) => c.source === 'exchange').map((c: { id: string }) => c.id)),
    );
    // A claim reported by staff (not by a death record) gets no task; the insurer and another township see none.
    const created = await admin.request('POST', '/api/users', {
      username: 'ins.condolence',
      displayName: 'ins',
      role: 'insurer',
      regionCode: '3503',
      password: 'insurer-pass-cond-1',
    });
    expect(created.statusCode, created.body).toBe(201);
    const insurer = await t.login('ins.condolence', 'insurer-pass-cond-1');
    expect((await insurer.request('GET', '/api/insurance/condolence-tasks')).statusCode).toBe(403);
    expect((await (await t.login('qiulu')).request('GET', '/api/insurance/condolence-tasks')).json().total).toBe(0);

    const task = tasks.items.find((i: { name: string }) => i.name === '林保险');
    const beneficiaryId = makeIdNumber('350302', '1970-05-20', 321);
    const body = {
      visitedOn: today,
      familyInformed: true,
      beneficiaryName: '林受益',
      beneficiaryRelation: '子女',
      beneficiaryIdNumber: beneficiaryId,
      beneficiaryPhone: '13800138000',
      note: '已告知家属理赔事项',
    };
    const bad = await worker.request('POST', `/api/insurance/condolence-tasks/${task.id}/complete`, {
      ...body,
      // The same number with a wrong check digit.
      beneficiaryIdNumber: beneficiaryId.slice(0, 17) + (beneficiaryId.endsWith('0') ? '1' : '0'),
    });
    expect(bad.statusCode).toBe(400);
    const done = await worker.request('POST', `/api/insurance/condolence-tasks/${task.id}/complete`, body, {
      'idempotency-key': 'visit-1',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'done',
      visitedOn: today,
      familyInformed: true,
      beneficiaryName: '林受益',
      beneficiaryIdMasked: maskIdNumber(beneficiaryId),
      doneBy: 'gw.condolence',
      overdue: false,
    });
    expect(done.body).not.toContain(beneficiaryId);
    expect(done.body).not.toContain('13800138000');
    // A retry returns the task; another visit of a done task is a conflict.
    const retry = await worker.request('POST', `/api/insurance/condolence-tasks/${task.id}/complete`, body, {
      'idempotency-key': 'visit-1',
    });
    expect(retry.statusCode).toBe(200);
    expect((await worker.request('POST', `/api/insurance/condolence-tasks/${task.id}/complete`, body)).statusCode).toBe(
      409,
    );
    // Stored encrypted: the protector reads it back; the row holds no plaintext.
    const row = await t.database.db
      .selectFrom('insurance_condolence_tasks')
      .selectAll()
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(beneficiaryId);
    expect(JSON.parse(t.app.deps.protector.decrypt(row.beneficiary_protected!, 'condolence.beneficiary'))).toEqual({
      idNumber: beneficiaryId,
      phone: '13800138000',
    });
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', task.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['insurance.condolence.issue', 'insurance.condolence.visit']);
    expect((await worker.request('GET', '/api/insurance/condolence-tasks?status=open')).json().total).toBe(1);
  });
});
