import type { Kysely } from 'kysely';
import type { Trace } from '@jiuzhu/shared';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import type { TraceRow } from '../../db/trace';
import { NotFound } from '../../errors';
import { caseTrace, findCaseHousehold } from '../cases/service';
import { enrolmentTrace } from '../enrolments/service';
import { claimTrace } from '../insurance/service';
import { leadTrace } from '../leads/service';
import { findPaymentHousehold, paymentTrace } from '../payroll/service';
import { getHousehold } from '../registry/service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const byTime = (a: TraceRow, b: TraceRow) => a.at.localeCompare(b.at);

/**
 * A household's whole chain (全流程追踪): its leads and visits, its applications step by step,
 * the enrolment changes, every payment and return, and its members' insurance claims, in time order.
 */
export async function householdTrace(db: Kysely<DB>, protector: Protector, id: string): Promise<Trace> {
  const h = await getHousehold(db, protector, id);
  const parts = await Promise.all([
    leadTrace(db, id),
    caseTrace(db, { householdId: id }),
    enrolmentTrace(db, id),
    paymentTrace(db, id),
    claimTrace(
      db,
      h.members.map((m) => m.id),
    ),
  ]);
  return { householdId: h.id, householdNo: h.householdNo, regionCode: h.regionCode, events: parts.flat().sort(byTime) };
}

/** The chain of a case: its household's when it has one, else the case's own steps. */
export async function caseChain(db: Kysely<DB>, protector: Protector, id: string): Promise<Trace> {
  const c = UUID.test(id) ? await findCaseHousehold(db, id) : null;
  if (!c) throw NotFound('entity.case');
  if (c.householdId) return householdTrace(db, protector, c.householdId);
  const events = (await caseTrace(db, { caseId: id })).sort(byTime);
  return { householdId: null, householdNo: null, regionCode: c.regionCode, events };
}

/** The chain of a payment line: its household's. */
export async function paymentChain(db: Kysely<DB>, protector: Protector, lineId: number): Promise<Trace> {
  const householdId = await findPaymentHousehold(db, lineId);
  if (!householdId) throw NotFound('entity.payment');
  return householdTrace(db, protector, householdId);
}
