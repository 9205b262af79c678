import type { Kysely } from 'kysely';
import { chinaToday, WORKBENCH_FIGURE_ROLES, type Role, type Workbench, type WorkbenchTodo } from '@jiuzhu/shared';
import { getContext } from '../../context';
import type { DB } from '../../db/schema';
import { caseTodoCounts, citizenNewCount } from '../cases/service';
import { reviewsDueCount } from '../enrolments/service';
import { claimTodoCounts } from '../insurance/service';
import { leadTodoCounts } from '../leads/service';
import { payrollTodoCounts } from '../payroll/service';
import { getRegion } from '../regions/service';
import { emptyFigures, groupFigures, headline, periodOf, type RequestRecount } from './figures';

type TodoKey = WorkbenchTodo['key'];

/** Which to-dos each role is shown: the steps that wait on it, and what it supervises. */
const TODOS: Record<Role, readonly TodoKey[]> = {
  city_admin: ['cases_overdue', 'leads_overdue', 'claims_overdue'],
  county_officer: [
    'cases_my_step',
    'cases_citizen_new',
    'cases_overdue',
    'leads_overdue',
    'reviews_due',
    'payrolls_to_submit',
    'bank_returns',
  ],
  township_officer: [
    'cases_my_step',
    'cases_overdue',
    'leads_due',
    'leads_overdue',
    'reviews_due',
    'claims_open',
    'claims_overdue',
  ],
  grid_worker: ['cases_citizen_new', 'leads_due', 'leads_overdue', 'claims_open'],
  finance_officer: ['payrolls_to_approve', 'bank_returns'],
  insurer: ['claims_open', 'claims_overdue'],
  auditor: ['cases_overdue', 'leads_overdue', 'claims_overdue'],
};

/** The list page behind each count (the staff app's paths). */
const LINKS: Record<TodoKey, string> = {
  cases_my_step: '/cases?view=inbox',
  cases_overdue: '/cases?view=overdue',
  cases_citizen_new: '/cases?view=all&channel=citizen&unaccepted=true',
  leads_due: '/leads?view=open',
  leads_overdue: '/leads?view=overdue',
  reviews_due: '/enrolments?reviewDue=true',
  payrolls_to_submit: '/payrolls?status=draft',
  payrolls_to_approve: '/payrolls?status=submitted',
  claims_open: '/insurance/claims',
  claims_overdue: '/insurance/claims?overdue=true',
  bank_returns: '/payrolls?returns=true',
};

/** Overdue things are red, things waiting on the caller amber when any, the rest plain. */
const TONES: Partial<Record<TodoKey, WorkbenchTodo['tone']>> = {
  cases_overdue: 'danger',
  leads_overdue: 'danger',
  claims_overdue: 'danger',
  bank_returns: 'danger',
};

/** The caller's workbench (工作台): to-dos with counts and links, and for managers this year's figures. */
export async function getWorkbench(db: Kysely<DB>, requestRecount: RequestRecount): Promise<Workbench> {
  const actor = getContext().actor!;
  const today = chinaToday();
  const keys = TODOS[actor.role];
  const has = (...k: TodoKey[]) => k.some((x) => keys.includes(x));
  const none = Promise.resolve(null);
  const [cases, citizenNew, leads, reviews, payrolls, claims] = await Promise.all([
    has('cases_my_step', 'cases_overdue') ? caseTodoCounts(db, actor.role, today) : none,
    has('cases_citizen_new') ? citizenNewCount(db) : none,
    has('leads_due', 'leads_overdue') ? leadTodoCounts(db, today) : none,
    has('reviews_due') ? reviewsDueCount(db, today) : none,
    has('payrolls_to_submit', 'payrolls_to_approve', 'bank_returns') ? payrollTodoCounts(db) : none,
    has('claims_open', 'claims_overdue') ? claimTodoCounts(db, today) : none,
  ]);
  const counts: Record<TodoKey, number> = {
    cases_my_step: cases?.mine ?? 0,
    cases_overdue: cases?.overdue ?? 0,
    cases_citizen_new: citizenNew ?? 0,
    leads_due: leads?.due ?? 0,
    leads_overdue: leads?.overdue ?? 0,
    reviews_due: reviews ?? 0,
    payrolls_to_submit: payrolls?.drafts ?? 0,
    payrolls_to_approve: payrolls?.submitted ?? 0,
    claims_open: claims?.open ?? 0,
    claims_overdue: claims?.overdue ?? 0,
    bank_returns: payrolls?.returned ?? 0,
  };
  const period = periodOf({}, today);
  const region = await getRegion(db, actor.regionCode);
  let figures: Workbench['figures'] = null;
  let freshness: Workbench['freshness'] = null;
  if (WORKBENCH_FIGURE_ROLES.includes(actor.role)) {
    const read = await groupFigures(
      db,
      { regionCode: actor.regionCode, groupLen: actor.regionCode.length, ...period, today },
      requestRecount,
    );
    figures = headline(read.groups.get(actor.regionCode) ?? emptyFigures());
    freshness = read.freshness;
  }
  return {
    role: actor.role,
    regionCode: actor.regionCode,
    regionName: region.name,
    todos: keys.map((key) => ({
      key,
      count: counts[key],
      tone: TONES[key] ?? (counts[key] > 0 ? 'warning' : 'normal'),
      link: LINKS[key],
    })),
    figures,
    freshness,
    ...period,
  };
}
