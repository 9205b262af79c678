import { sql, type Kysely } from 'kysely';
import {
  addMonths,
  entitlementFor,
  type PolicyParamsByKind,
  type ReviewJobResult,
  type WorkingCalendar,
} from '@jiuzhu/shared';
import type { Config } from '../../config';
import type { Protector } from '../../crypto/index';
import type { DB } from '../../db/schema';
import { inScope } from '../../db/scope';
import { recordAudit } from '../audit/service';
import { getCalendar } from '../calendar/service';
import { ageAt, withoutWorkAbility } from '../cases/service';
import { findEffectiveParams } from '../policy/service';
import { loadChangeLists } from '../enrolments/service';

export const REVIEW_SCHEDULE_JOB = 'enrolments.schedule-reviews';

export type ReviewScheduleDeps = { db: Kysely<DB>; protector: Protector; config: Pick<Config, 'city'> };

type ReviewedKind = 'dibao' | 'tekun' | 'dibao_edge';
const REVIEWED: readonly ReviewedKind[] = ['dibao', 'tekun', 'dibao_edge'];

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** The last working day of a month on the working-day calendar. */
export function lastWorkingDayOf(calendar: WorkingCalendar, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0));
  for (;;) {
    const day = last.toISOString().slice(0, 10);
    if (calendar.isWorkingDay(day) || day.slice(8) === '01') return day;
    last.setUTCDate(last.getUTCDate() - 1);
  }
}

/**
 * The review period of an enrolment in the window (last month … next month): a month on its cycle
 * (the start month plus a whole number of intervals) not yet reviewed; the earliest such, so an
 * overdue one comes first. Null when none falls in the window.
 */
export function duePeriod(fromMonth: string, interval: number, today: string, lastReviewed: string | null) {
  const month = today.slice(0, 7);
  for (const m of [addMonths(month, -1), month, addMonths(month, 1)]) {
    const diff = monthIndex(m) - monthIndex(fromMonth);
    if (diff > 0 && diff % interval === 0 && (lastReviewed === null || m > lastReviewed)) return m;
  }
  return null;
}

/**
 * The daily job (定期核查): for each township, creates the review tasks of the enrolments whose
 * review falls due between last month and next month, due on the last working day of that month.
 * Idempotent: one review per enrolment and period (unique key), and none while one is still open.
 * The interval comes from the kind's standard of the enrolment's county (低保: nobody covered can
 * work → `reviewMonths.unableToWork`, else `reviewMonths.other`). Runs in the caller's scope
 * (the job: the system scope); yields between townships.
 */
export async function scheduleReviews(deps: ReviewScheduleDeps, today: string): Promise<ReviewJobResult> {
  const { db } = deps;
  const month = today.slice(0, 7);
  const townships = await db
    .selectFrom('enrolments as e')
    .select(sql<string>`left(e.region_code, 9)`.as('township'))
    .where(inScope('e.region_code'))
    .where('e.status', '<>', 'ended')
    .where('e.kind', 'in', REVIEWED)
    .groupBy(sql`left(e.region_code, 9)`)
    .orderBy('township')
    .execute();
  const calendar = await getCalendar(db);
  const standards = new Map<string, PolicyParamsByKind[ReviewedKind] | undefined>();
  const standardOf = async (regionCode: string, kind: ReviewedKind) => {
    const key = `${regionCode.slice(0, 6)}/${kind}`;
    if (!standards.has(key))
      standards.set(key, await findEffectiveParams(db, deps.config.city, regionCode, kind, month));
    return standards.get(key);
  };
  let created = 0;
  for (const { township } of townships) {
    created += await scheduleTownship(deps, township, today, calendar, standardOf);
    // Lets the API answer between townships on the single PGlite connection.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { townships: townships.length, created };
}

async function scheduleTownship(
  deps: ReviewScheduleDeps,
  township: string,
  today: string,
  calendar: WorkingCalendar,
  standardOf: (regionCode: string, kind: ReviewedKind) => Promise<PolicyParamsByKind[ReviewedKind] | undefined>,
): Promise<number> {
  const { db } = deps;
  const month = today.slice(0, 7);
  const rows = await db
    .selectFrom('enrolments as e')
    .select(['e.id', 'e.kind', 'e.region_code', 'e.from_month'])
    .select((eb) =>
      eb
        .selectFrom('reviews as r')
        .select(sql<string>`max(r.period)`.as('p'))
        .whereRef('r.enrolment_id', '=', 'e.id')
        .as('last_period'),
    )
    .where('e.region_code', 'like', `${township}%`)
    .where(inScope('e.region_code'))
    .where('e.status', '<>', 'ended')
    .where('e.kind', 'in', REVIEWED)
    .where('e.from_month', '<', addMonths(month, 1))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('reviews as o')
            .select('o.id')
            .whereRef('o.enrolment_id', '=', 'e.id')
            .where('o.status', '<>', 'decided'),
        ),
      ),
    )
    .orderBy('e.id')
    .execute();
  if (rows.length === 0) return 0;

  const dibaoIds = rows.filter((r) => r.kind === 'dibao').map((r) => r.id);
  const unable = await nobodyCanWork(db, dibaoIds, month);
  const planned: {
    enrolment_id: string;
    kind: ReviewedKind;
    region_code: string;
    township_code: string;
    period: string;
    due_on: string;
    interval_months: number;
    category: 'unable_to_work' | 'other' | 'single';
  }[] = [];
  for (const r of rows) {
    const kind = r.kind as ReviewedKind;
    const params = await standardOf(r.region_code, kind);
    if (!params) continue;
    let interval: number;
    let category: 'unable_to_work' | 'other' | 'single' = 'single';
    if (kind === 'dibao') {
      const p = params as PolicyParamsByKind['dibao'];
      category = unable.has(r.id) ? 'unable_to_work' : 'other';
      interval = category === 'unable_to_work' ? p.reviewMonths.unableToWork : p.reviewMonths.other;
    } else interval = (params as PolicyParamsByKind['tekun' | 'dibao_edge']).reviewMonths;
    const period = duePeriod(r.from_month, interval, today, r.last_period ?? null);
    if (!period) continue;
    planned.push({
      enrolment_id: r.id,
      kind,
      region_code: r.region_code,
      township_code: township,
      period,
      due_on: lastWorkingDayOf(calendar, period),
      interval_months: interval,
      category,
    });
  }
  if (planned.length === 0) return 0;

  return db.transaction().execute(async (trx) => {
    // Either unique key (enrolment and period; one open review per enrolment) makes a rerun add nothing.
    const inserted = await trx
      .insertInto('reviews')
      .values(planned)
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'enrolment_id', 'due_on', 'region_code', 'period'])
      .execute();
    if (inserted.length === 0) return 0;
    const data = deps.protector.encrypt(JSON.stringify({ source: 'schedule' }), 'review_action.data');
    await trx
      .insertInto('review_actions')
      .values(
        inserted.map((r) => ({
          review_id: r.id,
          seq: 1,
          type: 'opened' as const,
          data_enc: data,
          actor_username: 'system',
          actor_role: null,
          region_code: r.region_code,
        })),
      )
      .execute();
    // The enrolment list's "review due" filter reads the cached date.
    await sql`update enrolments e set review_due_on = v.due_on::date, updated_at = now()
      from (values ${sql.join(inserted.map((r) => sql`(${r.enrolment_id}::uuid, ${r.due_on})`))}) as v(id, due_on)
      where e.id = v.id`.execute(trx);
    await recordAudit(trx, {
      action: 'review.schedule',
      entity: 'region',
      entityId: township,
      regionCode: township,
      detail: { created: inserted.length, periods: [...new Set(inserted.map((r) => r.period))].sort() },
    });
    return inserted.length;
  });
}

/** The 低保 enrolments whose covered members (this month) are all without work ability. */
async function nobodyCanWork(db: Kysely<DB>, ids: string[], month: string): Promise<Set<string>> {
  const out = new Set<string>();
  if (ids.length === 0) return out;
  const lists = await loadChangeLists(db, ids);
  const covered = new Map<string, string[]>();
  for (const id of ids) {
    const changes = lists.get(id) ?? [];
    const e = entitlementFor(changes, month);
    covered.set(id, [...(e.state === 'pending' ? (changes[0]?.members ?? []) : e.members)]);
  }
  const hashes = [...new Set([...covered.values()].flat())];
  if (hashes.length === 0) return out;
  const people = await db
    .selectFrom('members')
    .select(['id_hash', 'birth_date', 'disability_type', 'disability_grade', 'serious_illness', 'work_ability'])
    .where('id_hash', 'in', hashes)
    .execute();
  const byHash = new Map(people.map((p) => [p.id_hash, p]));
  for (const [id, members] of covered) {
    // Someone not in the registry counts as able to work (the shorter interval is the safe side).
    const all = members.every((h) => {
      const p = byHash.get(h);
      if (!p) return false;
      return withoutWorkAbility(ageAt(p.birth_date, month), {
        disabilityType: p.disability_type,
        disabilityGrade: p.disability_grade,
        seriousIllness: p.serious_illness !== null && p.serious_illness !== '',
        workAbility: p.work_ability,
      });
    });
    if (members.length > 0 && all) out.add(id);
  }
  return out;
}
