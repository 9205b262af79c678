import { sql, type Kysely, type Transaction } from 'kysely';
import {
  chinaToday,
  isValidIdNumber,
  maskIdNumber,
  normalizeIdNumber,
  type CompleteCondolenceBody,
  type CondolenceListQuery,
  type CondolencePage,
  type CondolenceTask,
} from '@jiuzhu/shared';
import { currentActor } from '../../context';
import { maskPhone, type Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { Conflict, InvalidField, NotFound } from '../../errors';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { regionNames } from './roster';

/** Working days the village has to visit the family after a death opened a claim. */
export const CONDOLENCE_VISIT_WORKING_DAYS = 3;

/**
 * 吊唁走访: a death record opened a claim, so the village's grid worker visits the family, tells
 * them about the claim and collects the beneficiary's details. Issued in the claim's
 * transaction; one task per claim (a re-run adds nothing).
 */
export async function issueCondolenceTask(
  trx: Transaction<DB>,
  claim: { id: string; regionCode: string },
): Promise<boolean> {
  const worker = await trx
    .selectFrom('users')
    .select('username')
    .where('role', '=', 'grid_worker')
    .where('region_code', '=', claim.regionCode)
    .where('active', '=', true)
    .orderBy('created_at')
    .orderBy('username')
    .executeTakeFirst();
  const today = chinaToday();
  const calendar = await getCalendar(trx);
  const row = await trx
    .insertInto('insurance_condolence_tasks')
    .values({
      claim_id: claim.id,
      region_code: claim.regionCode,
      assigned_to: worker?.username ?? null,
      issued_on: today,
      due_on: calendar.addWorkingDays(today, CONDOLENCE_VISIT_WORKING_DAYS),
    })
    .onConflict((oc) => oc.column('claim_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await recordAudit(trx, {
    action: 'insurance.condolence.issue',
    entity: 'insurance_condolence_task',
    entityId: row.id,
    regionCode: claim.regionCode,
    detail: { claimId: claim.id, assigned: worker ? 1 : 0 },
  });
  return true;
}

function tasksFrom(db: Kysely<DB> | Transaction<DB>) {
  return db
    .selectFrom('insurance_condolence_tasks as t')
    .innerJoin('insurance_claims as c', 'c.id', 't.claim_id')
    .where(inScope('t.region_code'));
}

type Row = {
  id: string;
  claim_id: string;
  claim_no: string;
  insured_name: string;
  id_masked: string;
  region_code: string;
  cover_item: string;
  event_date: string;
  assigned_to: string | null;
  issued_on: string;
  due_on: string;
  status: 'open' | 'done';
  visited_on: string | null;
  family_informed: boolean | null;
  beneficiary_name: string | null;
  beneficiary_relation: string | null;
  beneficiary_id_masked: string | null;
  beneficiary_phone_masked: string | null;
  note: string | null;
  done_by: string | null;
};

const COLUMNS = [
  't.id',
  't.claim_id',
  'c.claim_no',
  'c.insured_name',
  'c.id_masked',
  't.region_code',
  'c.cover_item',
  'c.event_date',
  't.assigned_to',
  't.issued_on',
  't.due_on',
  't.status',
  't.visited_on',
  't.family_informed',
  't.beneficiary_name',
  't.beneficiary_relation',
  't.beneficiary_id_masked',
  't.beneficiary_phone_masked',
  't.note',
  't.done_by',
] as const;

function toTask(r: Row, names: Map<string, string>, today: string): CondolenceTask {
  return {
    id: r.id,
    claimId: r.claim_id,
    claimNo: r.claim_no,
    name: r.insured_name,
    idMasked: r.id_masked,
    regionCode: r.region_code,
    regionName: names.get(r.region_code) ?? r.region_code,
    coverItem: r.cover_item,
    eventDate: r.event_date,
    assignedTo: r.assigned_to,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    status: r.status,
    overdue: r.status === 'open' ? today > r.due_on : r.visited_on! > r.due_on,
    visitedOn: r.visited_on,
    familyInformed: r.family_informed,
    beneficiaryName: r.beneficiary_name,
    beneficiaryRelation: r.beneficiary_relation,
    beneficiaryIdMasked: r.beneficiary_id_masked,
    beneficiaryPhoneMasked: r.beneficiary_phone_masked,
    note: r.note,
    doneBy: r.done_by,
  };
}

/** The condolence-visit tasks of the caller's region (a grid worker: her village's), open ones first. */
export async function listCondolenceTasks(db: Kysely<DB>, q: CondolenceListQuery): Promise<CondolencePage> {
  let base = tasksFrom(db);
  if (q.status) base = base.where('t.status', '=', q.status);
  if (q.claimId) base = base.where('t.claim_id', '=', q.claimId);
  const [rows, total] = await Promise.all([
    base
      .select([...COLUMNS])
      .orderBy(sql`t.status = 'done'`)
      .orderBy('t.due_on')
      .orderBy('t.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const names = await regionNames(
    db,
    rows.map((r) => r.region_code),
  );
  const today = chinaToday();
  return { items: rows.map((r) => toTask(r as Row, names, today)), total: Number(total.n) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The visit is recorded: the family was told about the claim, and the beneficiary's details are
 * kept (ID number and phone encrypted, masked on screen). A retry with the same Idempotency-Key
 * returns the task; a second visit of a done task is a conflict.
 */
export async function completeCondolenceTask(
  db: Kysely<DB>,
  protector: Protector,
  id: string,
  body: CompleteCondolenceBody,
  idempotencyKey?: string,
): Promise<CondolenceTask> {
  if (!UUID.test(id)) throw NotFound('entity.condolenceTask');
  const actor = currentActor()!;
  const idNumber = normalizeIdNumber(body.beneficiaryIdNumber);
  if (!isValidIdNumber(idNumber)) throw InvalidField('beneficiaryIdNumber', 'error.validation');
  await db.transaction().execute(async (trx) => {
    const task = await tasksFrom(trx)
      .select(['t.id', 't.status', 't.region_code', 't.issued_on', 't.idempotency_key', 'c.event_date'])
      .where('t.id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!task) throw NotFound('entity.condolenceTask');
    if (task.status === 'done') {
      if (idempotencyKey && task.idempotency_key === idempotencyKey) return;
      throw Conflict('insurance.condolenceDone');
    }
    if (body.visitedOn > chinaToday() || body.visitedOn < task.event_date)
      throw InvalidField('visitedOn', 'error.validation');
    await trx
      .updateTable('insurance_condolence_tasks')
      .set({
        status: 'done',
        visited_on: body.visitedOn,
        family_informed: true,
        beneficiary_name: body.beneficiaryName,
        beneficiary_relation: body.beneficiaryRelation,
        beneficiary_id_masked: maskIdNumber(idNumber),
        beneficiary_phone_masked: body.beneficiaryPhone ? maskPhone(body.beneficiaryPhone) : null,
        beneficiary_protected: protector.encrypt(
          JSON.stringify({ idNumber, phone: body.beneficiaryPhone }),
          'condolence.beneficiary',
        ),
        note: body.note,
        done_by: actor.username,
        done_at: new Date(),
        idempotency_key: idempotencyKey ?? null,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      action: 'insurance.condolence.visit',
      entity: 'insurance_condolence_task',
      entityId: id,
      regionCode: task.region_code,
      detail: { fields: ['beneficiaryName', 'beneficiaryRelation', 'beneficiaryIdNumber', 'beneficiaryPhone'] },
    });
  });
  const page = await tasksFrom(db)
    .select([...COLUMNS])
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow();
  const names = await regionNames(db, [page.region_code]);
  return toTask(page as Row, names, chinaToday());
}
