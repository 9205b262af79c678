import { makeIdNumber, type ApplicationInput, type CaseStatus } from '@jiuzhu/shared';
import { demoAccounts } from '../modules/users/seed';
import { fullName, surnameTable } from '../synthetic/names';
import { Random } from '../synthetic/random';
import { applicationInput, asStaff, driveCase } from './case-driver';
import { act, createCase, type CaseDeps } from '../modules/cases/service';

/** The statuses the demo's applications are left at, one application each. */
const DEMO_STATUSES: readonly CaseStatus[] = [
  'submitted',
  'missing_docs',
  'accepted',
  'verified',
  'notice',
  'notice',
  'pending_approval',
  'enrolled',
  'rejected',
];

/** 先行救助 paid at the township window on the applications left at these statuses (fen). */
const EMERGENCY_PAID: Partial<Record<CaseStatus, number>> = { enrolled: 100_000, rejected: 50_000 };

/** Statuses after the determination: the demo decides those itself (see below). */
const PAST_DETERMINATION: readonly CaseStatus[] = ['determined', 'notice', 'pending_approval', 'enrolled', 'rejected'];

const REASONS = {
  ill: '户主患病住院，家庭收入不足以维持基本生活',
  school: '家庭成员失业，子女上学，生活困难',
  alone: '老人独居，无劳动能力，无固定收入',
  fire: '家中突发火灾，房屋受损，急需救助',
} as const;

/**
 * The demo's rejection: the verification found no income to speak of, so the reason is not the
 * income line (it would contradict the per-capita figure beside it) but what the survey found.
 */
const REJECT_REASONS =
  '经入户调查核实，申请人子女具备赡养能力且未履行赡养义务，应先由赡养义务人履行义务，不符合低保条件';

/** Age in whole years from an ID number's birth date (for choosing a reason that fits the family). */
function ageOf(idNumber: string, today = new Date()): number {
  const y = Number(idNumber.slice(6, 10));
  const md = idNumber.slice(10, 14);
  const nowMd = `${String(today.getMonth() + 1).padStart(2, '0')}${String(today.getDate()).padStart(2, '0')}`;
  return today.getFullYear() - y - (nowMd < md ? 1 : 0);
}

/**
 * A reason that fits the family: 老人独居 only for one person over 60, 子女上学 only with a child
 * of school age, a fire for the emergency application, else illness.
 */
function reasonFor(input: ApplicationInput): string {
  if (input.emergency) return REASONS.fire;
  const [applicant, ...others] = input.members;
  if (applicant && others.length === 0 && ageOf(applicant.idNumber) >= 60) return REASONS.alone;
  if (others.some((m) => m.relation === 'child' && ageOf(m.idNumber) >= 6 && ageOf(m.idNumber) <= 22))
    return REASONS.school;
  return REASONS.ill;
}

const RELATION: Record<string, ApplicationInput['members'][number]['relation']> = {
  head: 'self',
  spouse: 'spouse',
  child: 'child',
  parent: 'parent',
  grandchild: 'grandchild',
  grandparent: 'grandparent',
  sibling: 'sibling',
};

/**
 * Gives a new demo database applications at every step: families of the demo township (the
 * township officer's region) who receive nothing yet apply at its window, and the demo staff take
 * each one as far as its status in DEMO_STATUSES (a notice's days pass at once). The open notices
 * fill the public notice board. Call in the system scope, after the registry and feeds are seeded.
 */
export async function seedDemoCases(deps: CaseDeps, city: string): Promise<{ cases: number }> {
  const accounts = demoAccounts(city);
  const township = accounts.find((a) => a.role === 'township_officer');
  const county = accounts.find((a) => a.role === 'county_officer' && township?.regionCode.startsWith(a.regionCode));
  if (!township || !county) return { cases: 0 };
  const households = await deps.db
    .selectFrom('households')
    .select(['id', 'region_code', 'address_enc'])
    .where('region_code', 'like', `${township.regionCode}%`)
    .where('assistance_status', '=', 'none')
    .orderBy('household_no')
    .limit(DEMO_STATUSES.length)
    .execute();
  const inputs: ApplicationInput[] = [];
  for (const [i, h] of households.entries()) {
    const members = await deps.db
      .selectFrom('members')
      .select(['name', 'id_number_enc', 'relation', 'phone_enc'])
      .where('household_id', '=', h.id)
      .orderBy(({ eb }) => eb.case().when('relation', '=', 'head').then(0).else(1).end())
      .orderBy('birth_date')
      .execute();
    const phone = members.find((m) => m.phone_enc)?.phone_enc;
    const input: ApplicationInput = {
      members: members.map((m) => ({
        name: m.name,
        idNumber: deps.protector.decrypt(m.id_number_enc, 'member.id_number'),
        relation: RELATION[m.relation] ?? 'other',
      })),
      villageCode: h.region_code,
      address: deps.protector.decrypt(h.address_enc, 'household.address'),
      phone: phone ? deps.protector.decrypt(phone, 'member.phone') : '13900000000',
      reason: '',
      emergency: i === 0,
      consent: true,
    };
    if (input.members[0]?.relation === 'self') inputs.push(input);
  }
  // A demo registry has few families per township: the rest apply as families not registered yet.
  const villages = await deps.db
    .selectFrom('regions')
    .select('code')
    .where('code', 'like', `${township.regionCode}___`)
    .orderBy('code')
    .execute();
  const rng = new Random('demo-cases');
  const surnames = surnameTable(city);
  for (let i = 0; inputs.length < DEMO_STATUSES.length && villages.length > 0; i++) {
    const form = applicationInput(villages[i % villages.length]!.code, {}, 1 + (i % 4));
    // Ages of one family: a spouse of about the applicant's age, children a generation younger
    // (the generic test form gives every other member a birth year around 1990).
    const born = Number(form.members[0]!.idNumber.slice(6, 10));
    const offset: Record<string, number> = { self: 0, spouse: 2, child: 26, parent: -25 };
    for (const [k, m] of form.members.entries()) {
      if (k === 0) continue;
      const year = born + (offset[m.relation] ?? 0) + (m.relation === 'child' ? 3 * k : 0);
      const birth = `${year}-${m.idNumber.slice(10, 12)}-${m.idNumber.slice(12, 14)}`;
      m.idNumber = makeIdNumber(m.idNumber.slice(0, 6), birth, Number(m.idNumber.slice(14, 17)));
    }
    const surname = rng.from(surnames);
    for (const [k, m] of form.members.entries()) {
      const sex = Number(m.idNumber[16]) % 2 === 1 ? 'male' : 'female';
      m.name = fullName(
        rng,
        surnames,
        sex,
        Number(m.idNumber.slice(6, 10)),
        k === 0 || m.relation === 'child' ? surname : undefined,
      );
    }
    form.emergency = i % 4 === 3;
    inputs.push(form);
  }
  // The approved and the rejected application were emergencies the township paid first (先行救助):
  // the payroll carries the first, the fund report lists the second as not recovered.
  for (const [i, input] of inputs.entries()) if (EMERGENCY_PAID[DEMO_STATUSES[i]!]) input.emergency = true;
  for (const input of inputs) input.reason = reasonFor(input);
  let n = 0;
  for (const [i, input] of inputs.entries()) {
    const actor = { username: township.username, role: township.role };
    const created = await asStaff(
      township.role,
      township.regionCode,
      () => createCase(deps, input, 'window', actor),
      township.username,
    );
    const to = DEMO_STATUSES[i]!;
    const actors = { township: township.username, county: county.username };
    const paidFirst = EMERGENCY_PAID[to];
    if (paidFirst)
      await asStaff(
        township.role,
        township.regionCode,
        () => act(deps, created.id, 'emergency_payment', { amountFen: paidFirst, reason: '家中失火，乡镇先行救助' }),
        township.username,
      );
    if (PAST_DETERMINATION.includes(to)) {
      // The rules' proposal where it offers help; else the window's own finding, with its reason.
      const verified = await driveCase(deps, created.id, 'verified', { actors });
      const proposed = verified.proposal?.kinds ?? [];
      await asStaff(
        township.role,
        township.regionCode,
        () =>
          act(
            deps,
            created.id,
            'determine',
            proposed.length > 0
              ? { acceptProposal: true, kinds: [], overrideReason: '', opinion: '' }
              : {
                  acceptProposal: false,
                  kinds: [{ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: 150_000 }],
                  overrideReason: '入户调查：突发重病，医疗支出大，给予临时救助',
                  opinion: '',
                },
          ),
        township.username,
      );
    }
    await driveCase(deps, created.id, to, { actors, rejectReasons: REJECT_REASONS });
    n++;
  }
  return { cases: n };
}
