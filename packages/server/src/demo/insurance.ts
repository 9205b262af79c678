import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { sql, type Kysely } from 'kysely';
import { chinaToday, type ClaimStep, type DocumentKind, type Role } from '@jiuzhu/shared';
import { runWithContext } from '../context';
import type { Protector } from '../crypto/index';
import type { DB } from '../db/schema';
import { insertDemoAccount } from '../modules/users/seed';
import {
  actOnClaim,
  findSchemeOn,
  insuredOn,
  issueCondolenceTask,
  openClaim,
  type StepBodies,
} from '../modules/insurance/service';

/** The demo insurer's account (承保公司理赔员), named on the demo schemes. */
export const DEMO_INSURER = 'baoxian';

type Deps = { db: Kysely<DB>; protector: Protector; config: { city: string } };
const log = pino({ level: 'silent' });

/** A China date `days` days later (negative: earlier). */
function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function as<T>(username: string, role: Role, regionCode: string, fn: () => Promise<T>): Promise<T> {
  return runWithContext(
    {
      requestId: null,
      actor: { id: randomUUID(), username, role, regionCode },
      scope: { kind: 'region', regionCode },
      lang: 'zh-CN',
      log,
    },
    fn,
  );
}

const demoPdf = (kind: DocumentKind) => ({
  kind,
  fileName: `${kind}.pdf`,
  mimeType: 'application/pdf' as const,
  contentBase64: Buffer.from(`%PDF-1.4\n% 演示材料 demo document: ${kind}\n%%EOF\n`).toString('base64'),
});

/** The claim's path in the demo: how far it goes, and its dates as days before today. */
type Plan = {
  to: 'reported' | 'guided' | 'received' | 'approved' | 'refused' | 'paid';
  item: 'death_illness' | 'death_accident' | 'disability_accident';
  event: number;
  complete?: number;
  paid?: number;
  grade?: number;
  note: string;
};

const PLANS: Plan[] = [
  { to: 'reported', item: 'death_illness', event: 2, note: '家属到村委会报案' },
  { to: 'guided', item: 'death_accident', event: 6, note: '交通事故身故' },
  { to: 'received', item: 'death_illness', event: 12, complete: 3, note: '因病去世，材料已齐' },
  // Materials complete long ago and not paid: overdue on the 10-working-day clock.
  { to: 'approved', item: 'disability_accident', event: 45, complete: 30, grade: 8, note: '摔伤致残' },
  { to: 'refused', item: 'death_accident', event: 50, complete: 40, note: '经核实为疾病身故，不属于意外责任' },
  { to: 'paid', item: 'death_illness', event: 70, complete: 60, paid: 53, note: '因病去世' },
  { to: 'paid', item: 'disability_accident', event: 90, complete: 80, paid: 62, grade: 5, note: '农机事故致残' },
];

/**
 * Demo claims (演示数据) for a new demo database: an insurer account when there is none (named on
 * the demo schemes), claims of insured demo recipients at every step (reported → paid, one
 * refused, one overdue), and — when the demo feeds' collision run opened none — nothing more: the
 * claims opened by demo death records come from the exchange (免申即享), each with its
 * condolence-visit task. Everyone chosen is on the roster on the event date. Call in the system scope.
 */
export async function seedDemoInsurance(deps: Deps): Promise<{ claims: number; fromDeaths: number; insurer: boolean }> {
  const { db, config } = deps;
  const city = config.city;
  const today = chinaToday();
  let insurer = false;
  const existing = await db.selectFrom('users').select('username').where('role', '=', 'insurer').executeTakeFirst();
  const insurerName = existing?.username ?? DEMO_INSURER;
  if (!existing) {
    await db.transaction().execute((trx) =>
      insertDemoAccount(trx, {
        username: DEMO_INSURER,
        displayName: '承保公司理赔员',
        role: 'insurer',
        regionCode: city,
      }),
    );
    insurer = true;
  }
  await db
    .updateTable('insurance_schemes')
    .set({ insurer_users: sql`array_append(insurer_users, ${insurerName})` })
    .where('is_demo', '=', true)
    .where(sql<boolean>`not (${insurerName} = any(insurer_users))`)
    .execute();

  // Claims already opened by the demo death records (the exchange's collision run) get their visit.
  const fromDeaths = await db
    .selectFrom('insurance_claims')
    .select(['id', 'region_code'])
    .where('source', '=', 'exchange')
    .execute();
  for (const c of fromDeaths)
    await db.transaction().execute((trx) => issueCondolenceTask(trx, { id: c.id, regionCode: c.region_code }));

  // Once: a database that has claims reported by staff already keeps them as they are.
  const staffClaim = await db
    .selectFrom('insurance_claims')
    .select('id')
    .where('source', '=', 'staff')
    .executeTakeFirst();
  if (staffClaim) return { claims: 0, fromDeaths: fromDeaths.length, insurer };
  const taken = new Set((await db.selectFrom('insurance_claims').select('id_hash').execute()).map((r) => r.id_hash));
  let claims = 0;
  for (const plan of PLANS) {
    const eventDate = addDaysIso(today, -plan.event);
    if (!(await findSchemeOn(db, city, eventDate))) continue;
    const [then, now] = await Promise.all([insuredOn(db, city, eventDate), insuredOn(db, city, today)]);
    const still = new Set(now.people.map((p) => p.idHash));
    // Prefer 灵川镇 (the demo township account's), then anywhere.
    const candidates = then.people
      .filter((p) => still.has(p.idHash) && !taken.has(p.idHash))
      .sort((a, b) => Number(!a.regionCode.startsWith('350302102')) - Number(!b.regionCode.startsWith('350302102')));
    const person = candidates[0];
    if (!person) continue;
    taken.add(person.idHash);
    const township = person.regionCode.slice(0, 9);
    const opened = await as('demo.township', 'township_officer', township, () =>
      db.transaction().execute((trx) =>
        openClaim(trx, city, {
          idHash: person.idHash,
          coverItem: plan.item,
          eventDate,
          eventNote: plan.note,
          source: 'staff',
        }),
      ),
    );
    if (!opened) continue;
    claims++;
    const step = <S extends ClaimStep>(role: Role, s: S, body: StepBodies[S]) =>
      role === 'insurer'
        ? as(insurerName, 'insurer', city, () => actOnClaim(deps, opened.id, s, body))
        : as('demo.township', 'township_officer', township, () => actOnClaim(deps, opened.id, s, body));
    if (plan.to === 'reported') continue;
    const guided = await step('township_officer', 'guide', { note: '已告知家属所需材料' });
    if (plan.to === 'guided') continue;
    await step('township_officer', 'receive', {
      documents: guided.checklist.map((c) => demoPdf(c.kind)),
      completeOn: addDaysIso(today, -plan.complete!),
    });
    if (plan.to === 'received') continue;
    if (plan.to === 'refused') {
      await step('insurer', 'review', { decision: 'refuse', reasons: plan.note });
      continue;
    }
    const approved = await step('insurer', 'review', {
      decision: 'approve',
      ...(plan.grade ? { disabilityGrade: plan.grade } : {}),
      reasons: '材料齐全，符合保险责任',
    });
    if (plan.to === 'approved') continue;
    await step('insurer', 'pay', {
      paidOn: addDaysIso(today, -plan.paid!),
      amountFen: approved.approvedFen!,
      reference: `ZF-DEMO-${String(claims).padStart(4, '0')}`,
    });
  }
  return { claims, fromDeaths: fromDeaths.length, insurer };
}
