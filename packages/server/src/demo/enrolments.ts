import { sql, type Kysely } from 'kysely';
import {
  addMonths,
  dibaoAmount,
  tekunAmount,
  type DibaoParams,
  type DibaoEdgeParams,
  type MemberFacts,
  type SelfCareTier,
  type TekunParams,
} from '@jiuzhu/shared';
import type { Protector } from '../crypto/index';
import type { DB } from '../db/schema';
import { ageAt } from '../modules/cases/determination';
import { applyChange } from '../modules/enrolments/changes';
import { insertEnrolments, type NewEnrolment } from '../modules/enrolments/create';
import { chinaMonth, findEffectiveParams } from '../modules/policy/service';

/**
 * Enrolments for the synthetic city: every registry household the generator made 低保, 特困 or
 * 低保边缘 gets its enrolment (call in the system scope), with the amount from the policy math on
 * its registered members and income, and a start month spread over the past eight years
 * (deterministic per household). 特困 is per person: every member of a 特困 household (the
 * generator makes them only of supported people: an elderly person alone, two elderly siblings, a
 * disabled adult, an orphan) gets an enrolment of their own, so the people on the rolls are the
 * generator's 低保 + 特困 people. Households already enrolled are skipped, so a second run adds
 * nothing. Batches of households, each one transaction.
 */
export async function seedEnrolments(
  db: Kysely<DB>,
  opts: { city: string },
  onProgress: (households: number) => void = () => {},
): Promise<{ enrolled: number; households: number; recipients: number }> {
  const month = chinaMonth();
  const standards = new Map<string, { dibao: DibaoParams; tekun?: TekunParams; edge?: DibaoEdgeParams }>();
  const standardsOf = async (region: string) => {
    const county = region.slice(0, 6);
    // The household's own city's standards (a province seed holds several cities; a city seed, opts.city).
    const city = region.startsWith(opts.city) ? opts.city : region.slice(0, 4);
    let s = standards.get(county);
    if (!s) {
      const dibao = await findEffectiveParams(db, city, region, 'dibao', month);
      if (!dibao) throw new Error(`no 低保 standard for ${region}: seed the policy standards first`);
      s = {
        dibao,
        tekun: await findEffectiveParams(db, city, region, 'tekun', month),
        edge: await findEffectiveParams(db, city, region, 'dibao_edge', month),
      };
      standards.set(county, s);
    }
    return s;
  };
  let enrolled = 0;
  let householdsEnrolled = 0;
  // People covered by 低保 or 特困 (the recipients the city reports; 边缘 households are not counted).
  let recipients = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  const BATCH = 2000;
  for (;;) {
    const households = await db
      .selectFrom('households as h')
      .select(['h.id', 'h.region_code', 'h.assistance_status'])
      .where('h.assistance_status', 'in', ['dibao', 'tekun', 'dibao_edge'])
      .where('h.id', '>', after)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('enrolments as e').select('e.id').whereRef('e.household_id', '=', 'h.id'))),
      )
      .orderBy('h.id')
      .limit(BATCH)
      .execute();
    if (households.length === 0) break;
    after = households[households.length - 1]!.id;
    const members = await db
      .selectFrom('members')
      .select([
        'household_id',
        'id',
        'id_hash',
        'name',
        'id_masked',
        'relation',
        'birth_date',
        'disability_grade',
        'serious_illness',
        'self_care',
        'income',
      ])
      .where(
        'household_id',
        'in',
        households.map((h) => h.id),
      )
      .orderBy('household_id')
      .orderBy(sql`relation = 'head'`, 'desc')
      .execute();
    const byHousehold = new Map<string, typeof members>();
    for (const m of members) byHousehold.set(m.household_id, [...(byHousehold.get(m.household_id) ?? []), m]);
    const list: NewEnrolment[] = [];
    for (const h of households) {
      const people = byHousehold.get(h.id) ?? [];
      if (people.length === 0) continue;
      const s = await standardsOf(h.region_code);
      const facts: MemberFacts[] = people.map((m) => ({
        age: ageAt(m.birth_date, month),
        severeDisability: m.disability_grade !== null && m.disability_grade <= 2,
        seriousIllness: Boolean(m.serious_illness),
      }));
      const income = people.reduce(
        (a, m) => a + Object.values(m.income as Record<string, number>).reduce((x, y) => x + (y ?? 0), 0),
        0,
      );
      const covered = people.map((m) => ({
        idHash: m.id_hash,
        memberId: m.id,
        name: m.name,
        idMasked: m.id_masked,
        relation: m.relation,
      }));
      // Start months over the past eight years, the same for a household on every run.
      const spread = parseInt(h.id.replace(/-/g, '').slice(0, 8), 16) % 96;
      const fromMonth = addMonths(month, -1 - spread);
      const base = { householdId: h.id, regionCode: h.region_code, source: 'seed' as const, fromMonth };
      householdsEnrolled += 1;
      if (h.assistance_status === 'tekun' && s.tekun) {
        const tekun = s.tekun;
        people.forEach((person, i) => {
          const tier: SelfCareTier = (['self', 'partial', 'complete'] as const).includes(
            person.self_care as SelfCareTier,
          )
            ? (person.self_care as SelfCareTier)
            : 'self';
          const own = Object.values(person.income as Record<string, number>).reduce((x, y) => x + (y ?? 0), 0);
          const r = tekunAmount(tekun, s.dibao.standardFen, {
            incomeFen: Math.min(own, s.dibao.standardFen - 1),
            tier,
          });
          list.push({
            ...base,
            kind: 'tekun',
            personMemberId: person.id,
            careTier: tier,
            monthlyAmountFen: r.amountFen,
            members: [covered[i]!],
            approvalLevel: tekun.approvalLevel,
            reason: 'seed',
          });
        });
        recipients += people.length;
      } else if (h.assistance_status === 'dibao_edge') {
        list.push({
          ...base,
          kind: 'dibao_edge',
          monthlyAmountFen: s.edge?.monthlyCashFen ?? 0,
          members: covered,
          approvalLevel: s.edge?.approvalLevel ?? 'county',
          reason: 'seed',
        });
      } else {
        const r = dibaoAmount(s.dibao, { members: facts, incomeFen: income });
        // The generator's incomes are today's; a household on the rolls for years whose income
        // now tests above the line is shown at the floor (or a tenth of the standard) per person.
        const floor = (s.dibao.floorPerPersonFen ?? Math.round(s.dibao.standardFen / 10)) * people.length;
        recipients += people.length;
        list.push({
          ...base,
          kind: 'dibao',
          monthlyAmountFen: r.eligible ? r.amountFen : floor,
          members: covered,
          approvalLevel: s.dibao.approvalLevel,
          reason: 'seed',
        });
      }
    }
    await db.transaction().execute((trx) => insertEnrolments(trx, list, 'enrolment.seed'));
    enrolled += list.length;
    onProgress(householdsEnrolled);
    if (households.length < BATCH) break;
  }
  return { enrolled, households: householdsEnrolled, recipients };
}

/**
 * A few histories for the demo city (npm start): in the first village with 低保 recipients, one
 * amount change, one suspension, one gradual exit and one end, each from next month, recorded
 * through the same service as staff changes (in the system scope: approval level `system`).
 */
export async function seedDemoHistories(deps: {
  db: Kysely<DB>;
  protector: Protector;
  config: { city: string };
}): Promise<number> {
  const open = await deps.db
    .selectFrom('enrolments')
    .select(['id', 'monthly_amount_fen'])
    .where('kind', '=', 'dibao')
    .where('status', '=', 'active')
    .where('source', '=', 'seed')
    .orderBy('region_code')
    .orderBy('id')
    .limit(4)
    .execute();
  const [change, suspend, exit, end] = open;
  if (change)
    await applyChange(deps, change.id, 'amount_changed', {
      amountFen: Math.round(change.monthly_amount_fen * 0.8),
      note: '演示：家庭成员务工收入增加，调减保障金',
    });
  if (suspend) await applyChange(deps, suspend.id, 'suspended', { note: '演示：未按期参加定期核查，暂停发放' });
  if (exit) await applyChange(deps, exit.id, 'gradual_exit_started', { note: '演示：户主实现稳定就业，进入渐退期' });
  if (end) await applyChange(deps, end.id, 'ended', { reason: 'moved_away', note: '演示：全家户籍迁出本市' });
  return open.length;
}
