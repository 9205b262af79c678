import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pino from 'pino';
import {
  makeIdNumber,
  type ApplicationInput,
  type CaseDetail,
  type CaseStatus,
  type DeterminedKind,
  type Role,
} from '@jiuzhu/shared';
import { runWithContext } from '../context';
import type { DB } from '../db/schema';
import { addCalendarDays } from '../modules/cases/deadlines';
import { act, createCase, getCase, type CaseDeps } from '../modules/cases/service';

/**
 * Helpers for tests, browser-test setup and the demo seed (demo.ts): an application form with fresh ID
 * numbers, running service calls as a member of staff, driving a case along the workflow, and
 * letting a notice period pass.
 */

let idSeq = 0;

/** A valid application for a village: the applicant and `members - 1` relatives, fresh ID numbers. */
export function applicationInput(
  villageCode: string,
  extra: Partial<ApplicationInput> & { members?: ApplicationInput['members'] } = {},
  size = 2,
): ApplicationInput {
  const county = villageCode.slice(0, 6);
  const seq = () => 200 + (++idSeq % 700);
  const birth = (year: number) => `${year}-0${1 + (idSeq % 9)}-1${idSeq % 10}`;
  const relations = ['spouse', 'child', 'child', 'parent'] as const;
  return {
    members: Array.from({ length: size }, (_, i) => ({
      name: i === 0 ? '林申请' : `林家${i}`,
      idNumber: makeIdNumber(county, birth(i === 0 ? 1968 - (idSeq % 20) : 1990 + i), seq()),
      relation: i === 0 ? ('self' as const) : relations[(i - 1) % relations.length]!,
    })),
    villageCode,
    address: '3组45号',
    phone: '13800138000',
    reason: '户主患病，家庭收入低',
    emergency: false,
    consent: true,
    ...extra,
  };
}

const log = pino({ level: 'silent' });

/** Runs `fn` as a signed-in member of staff with a role in a region (the service reads the context). */
export function asStaff<T>(
  role: Role,
  regionCode: string,
  fn: () => Promise<T>,
  username = `test.${role}`,
): Promise<T> {
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

const township = (village: string) => village.slice(0, 9);
const county = (village: string) => village.slice(0, 6);

/** Enters an application at the township window of its village. */
export async function submitCase(deps: CaseDeps, input: ApplicationInput): Promise<CaseDetail> {
  return asStaff('township_officer', township(input.villageCode), async () => {
    const created = await createCase(deps, input, 'window', {
      username: 'test.township_officer',
      role: 'township_officer',
    });
    return getCase(deps, created.id);
  });
}

/**
 * Moves the open notice of a case back by its length, as if the notice days had passed: the
 * notice ends today and can be closed.
 */
export async function passNoticePeriod(db: Kysely<DB>, caseId: string): Promise<void> {
  const notice = await db
    .selectFrom('case_notices')
    .select(['id', 'published_on', 'ends_on'])
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  const days = Math.round((Date.parse(notice.ends_on) - Date.parse(notice.published_on)) / 86_400_000);
  const publishedOn = addCalendarDays(notice.published_on, -days);
  const endsOn = addCalendarDays(notice.ends_on, -days);
  await db
    .updateTable('case_notices')
    .set({ published_on: publishedOn, ends_on: endsOn })
    .where('id', '=', notice.id)
    .execute();
  await db
    .updateTable('cases')
    .set({ step_started_on: publishedOn, step_due_on: endsOn })
    .where('id', '=', caseId)
    .where('status', '=', 'notice')
    .execute();
}

export type DriveOptions = {
  /** The decision at `determine` (default: 低保 of 600 yuan a month, overriding the proposal with a reason). */
  kinds?: DeterminedKind[];
  acceptProposal?: boolean;
  /** Photos (base64 JPEG/PNG) for the survey. */
  photos?: string[];
  /** Usernames the steps are recorded under (default test.township_officer / test.county_officer). */
  actors?: { township?: string; county?: string };
  /** The reasons of a rejection (default: income above the 低保 line). */
  rejectReasons?: string;
};

const FORWARD: Partial<Record<CaseStatus, CaseStatus>> = {
  submitted: 'accepted',
  missing_docs: 'accepted',
  accepted: 'verifying',
  verifying: 'verified',
  verified: 'determined',
  determined: 'notice',
  notice: 'pending_approval',
};

/**
 * Drives a case through the service, step by step as the right staff, until it reaches `to`
 * (any status along submitted → … → pending_approval → enrolled | rejected).
 */
export async function driveCase(
  deps: CaseDeps,
  caseId: string,
  to: CaseStatus,
  opts: DriveOptions = {},
): Promise<CaseDetail> {
  const village = (
    await deps.db.selectFrom('cases').select('region_code').where('id', '=', caseId).executeTakeFirstOrThrow()
  ).region_code;
  const asTownship = <T>(fn: () => Promise<T>) =>
    asStaff('township_officer', township(village), fn, opts.actors?.township);
  const asCounty = <T>(fn: () => Promise<T>) => asStaff('county_officer', county(village), fn, opts.actors?.county);
  let c = await asTownship(() => getCase(deps, caseId));
  for (let guard = 0; c.status !== to && guard < 20; guard++) {
    const id = caseId;
    if (to === 'missing_docs' && c.status === 'submitted') {
      c = await asTownship(() => act(deps, id, 'request_documents', { documents: ['户口簿复印件'] }));
      continue;
    }
    switch (c.status) {
      case 'submitted':
      case 'missing_docs':
        c = await asTownship(() => act(deps, id, 'accept', { note: '' }));
        break;
      case 'accepted':
        c = await asTownship(() =>
          act(deps, id, 'record_survey', {
            surveyedOn: c.step.startedOn,
            staff: ['林调查', '陈调查'],
            findings: '家中无稳定收入',
            otherIncomeFen: 0,
            medicalCostsFen: 0,
            unmetAdl: 0,
            location: null,
            photos: opts.photos ?? [],
          }),
        );
        break;
      case 'verifying':
        c = await asCounty(() => act(deps, id, 'record_verification', { note: '' }));
        break;
      case 'verified':
        c = await asTownship(() =>
          act(
            deps,
            id,
            'determine',
            opts.acceptProposal
              ? { acceptProposal: true, kinds: [], overrideReason: '', opinion: '' }
              : {
                  acceptProposal: false,
                  kinds: opts.kinds ?? [{ kind: 'dibao', monthlyAmountFen: 60_000, oneOffAmountFen: 0 }],
                  overrideReason: '测试：按入户调查情况认定',
                  opinion: '',
                },
          ),
        );
        break;
      case 'determined':
        c = await asTownship(() => act(deps, id, 'publish_notice', { note: '' }));
        break;
      case 'notice':
        await passNoticePeriod(deps.db, id);
        c = await asTownship(() => act(deps, id, 'close_notice', { note: '' }));
        break;
      case 'pending_approval': {
        const approver = c.approvalLevel === 'township' ? asTownship : asCounty;
        c = await approver(() =>
          to === 'rejected'
            ? act(deps, id, 'reject', { reasons: opts.rejectReasons ?? '家庭人均收入高于当地低保标准' })
            : act(deps, id, 'approve', { opinion: '' }),
        );
        break;
      }
      default:
        throw new Error(`driveCase: cannot go from ${c.status} to ${to}`);
    }
    if (FORWARD[c.status] === undefined && c.status !== to && c.status !== 'pending_approval')
      throw new Error(`driveCase: stopped at ${c.status} on the way to ${to}`);
  }
  if (c.status !== to) throw new Error(`driveCase: reached ${c.status}, not ${to}`);
  return c;
}
