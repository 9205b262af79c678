import type { ApplicationInput, CaseStatus } from '@jiuzhu/shared';
import { demoAccounts } from '../users/seed';
import { fullName, surnameTable } from '../registry/generator/names';
import { Random } from '../registry/generator/random';
import { applicationInput, asStaff, driveCase } from './testing';
import { act, createCase, type CaseDeps } from './service';

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

/** Statuses after the determination: the demo decides those itself (see below). */
const PAST_DETERMINATION: readonly CaseStatus[] = ['determined', 'notice', 'pending_approval', 'enrolled', 'rejected'];

const REASONS = [
  '户主患病住院，家庭收入不足以维持基本生活',
  '家庭成员失业，子女上学，生活困难',
  '老人独居，无劳动能力，无固定收入',
  '家中突发火灾，房屋受损，急需救助',
];

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
      reason: REASONS[i % REASONS.length]!,
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
    form.reason = REASONS[i % REASONS.length]!;
    form.emergency = i % REASONS.length === 3;
    inputs.push(form);
  }
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
    await driveCase(deps, created.id, to, { actors });
    n++;
  }
  return { cases: n };
}
