/**
 * The permission matrix: every route of the OpenAPI document × every role × {own region,
 * other region}. Allowed roles succeed in their own region and are denied (with nothing of
 * the other region in the answer, and nothing written) in the other one; roles not allowed
 * get 403 everywhere. A route added without an entry here fails the first test.
 *
 * Two "sides" of the city face each other: A = 城厢区 / 灵川镇 / 云庄村, B = 涵江区 / 萩芦镇 /
 * 东张村. Each county-, township- and village-level role has one account on each side and is
 * checked against both. City-level roles (city_admin, insurer, auditor) have no "other
 * region" in a one-city system: they are checked in their own region only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import {
  chinaToday,
  demoPolicyParams,
  makeIdNumber,
  ROLE_LEVELS,
  ROLES,
  USER_MANAGER_ROLES,
  type CaseStatus,
  type RegionLevel,
  type Role,
} from '@jiuzhu/shared';
import { createTestApp, type Agent, type TestApp } from './harness';
import { dispatchNewLeads } from '../src/modules/leads/dispatch';
import { plantLeadSignal } from '../src/demo/lead-signal';
import { applicationInput, driveCase, passNoticePeriod, submitCase } from '../src/demo/case-driver';
import { insertEnrolments } from '../src/modules/enrolments/create';

const PASSWORD = 'matrix-password-1';

type Place = {
  code: string;
  name: string;
  /** a name fragment that finds this place and nothing else on either side */ search: string;
};
type Side = { key: 'A' | 'B'; county: Place; township: Place; village: Place };

const CITY: Place = { code: '3503', name: '莆田市', search: '莆田' };
const SIDES: Record<'A' | 'B', Side> = {
  A: {
    key: 'A',
    county: { code: '350302', name: '城厢区', search: '城厢' },
    township: { code: '350302102', name: '灵川镇', search: '灵川' },
    village: { code: '350302102201', name: '云庄村委会', search: '云庄' },
  },
  B: {
    key: 'B',
    county: { code: '350303', name: '涵江区', search: '涵江' },
    township: { code: '350303105', name: '萩芦镇', search: '萩芦' },
    village: { code: '350303105201', name: '东张村委会', search: '东张' },
  },
};
const opposite = (s: Side) => (s.key === 'A' ? SIDES.B : SIDES.A);

/** The level each role's matrix account is bound at (finance_officer may be city or county: county here). */
const MATRIX_LEVEL: Record<Role, RegionLevel> = {
  city_admin: 'city',
  insurer: 'city',
  auditor: 'city',
  county_officer: 'county',
  finance_officer: 'county',
  township_officer: 'township',
  grid_worker: 'village',
};

/** The spec of who may do what; deliberately written out, not read from the code under test. */
const MANAGERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
const AUDIT_READERS: readonly Role[] = ['city_admin', 'auditor'];
const CALENDAR_ADMINS: readonly Role[] = ['city_admin'];
const REGISTRY_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
const REGISTRY_EDITORS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];
const REGISTRY_REVEALERS = REGISTRY_EDITORS;
const FEED_MANAGERS: readonly Role[] = ['city_admin'];
const FEED_READERS: readonly Role[] = ['city_admin', 'auditor'];
const LEAD_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker', 'auditor'];
const LEAD_WORKERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];
const SIGNAL_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'auditor'];
const SIGNAL_HANDLERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
const POLICY_READERS: readonly Role[] = [...REGISTRY_READERS, 'finance_officer'];
const POLICY_EDITORS: readonly Role[] = ['city_admin', 'county_officer'];
const CASE_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker', 'auditor'];
const CASE_INTAKE: readonly Role[] = ['township_officer', 'grid_worker'];
const CASE_TOWNSHIP: readonly Role[] = ['township_officer'];
const CASE_COUNTY: readonly Role[] = ['county_officer'];
const CASE_APPROVERS: readonly Role[] = ['township_officer', 'county_officer'];
const ENROLMENT_READERS: readonly Role[] = CASE_READERS;
const ENROLMENT_CHANGERS: readonly Role[] = ['township_officer', 'county_officer'];
const PAYROLL_READERS: readonly Role[] = ['city_admin', 'county_officer', 'finance_officer', 'auditor'];
const PAYROLL_MAKERS: readonly Role[] = ['county_officer'];
const PAYROLL_CHECKERS: readonly Role[] = ['finance_officer'];
const ENROLMENT_IMPORTERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
const REVIEW_READERS: readonly Role[] = CASE_READERS;
const REVIEW_SURVEYORS: readonly Role[] = ['township_officer', 'grid_worker'];
const REVIEW_WORKERS: readonly Role[] = ['township_officer'];
const REVIEW_DECIDERS: readonly Role[] = ['township_officer', 'county_officer'];
const SIGNAL_ACTORS: readonly Role[] = ['township_officer', 'county_officer'];
const INSURANCE_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'finance_officer',
  'insurer',
  'auditor',
];
const SCHEME_EDITORS: readonly Role[] = ['city_admin'];
const CLAIM_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'insurer',
  'auditor',
];
const CLAIM_HANDLERS: readonly Role[] = ['township_officer', 'grid_worker', 'insurer'];
const CLAIM_DECIDERS: readonly Role[] = ['insurer'];
const CLAIM_REPORT_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
const TRACE_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'auditor'];
const PROVINCE_READERS: readonly Role[] = ['city_admin', 'county_officer'];
const PROVINCE_SENDERS: readonly Role[] = ['city_admin'];
const DASHBOARD_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'finance_officer',
  'auditor',
];
const CONDOLENCE_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
const CONDOLENCE_VISITORS: readonly Role[] = ['grid_worker', 'township_officer'];
const REFERRAL_READERS: readonly Role[] = [
  'city_admin',
  'county_officer',
  'township_officer',
  'grid_worker',
  'auditor',
];
const AGENCY_EDITORS: readonly Role[] = ['city_admin', 'county_officer'];
const REFERRAL_SENDERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];
const REFERRAL_RECORDERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer'];
const CARE_READERS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker', 'auditor'];
const CARE_PLAN_EDITORS: readonly Role[] = ['city_admin', 'county_officer'];
const CARE_VISITORS: readonly Role[] = ['city_admin', 'county_officer', 'township_officer', 'grid_worker'];

type Method = Parameters<Agent['request']>[0];

type Actor = {
  role: Role;
  side: Side | null; // null: city level
  place: Place;
  username: string;
  agent: Agent;
  id: string;
};

/** What a probe can refer to: the actor, its own side and the other side (null at city level). */
type Ctx = {
  actor: Actor;
  home: Side;
  away: Side | null;
  targets: Record<'A' | 'B', { id: string; username: string }>;
};

type Probe = {
  label: string;
  method: Method;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The status an allowed caller gets. */
  status: number;
  check?: (res: LightMyRequestResponse, c: Ctx) => void;
  /** Runs before the state snapshot (e.g. the override a DELETE removes). */
  prepare?: () => Promise<void>;
};

type Entry =
  | { access: 'public'; anonymous: (c: Ctx) => Probe }
  | {
      access: 'staff' | readonly Role[];
      /** Writes something on success: exactly one audit row is expected. */
      mutating: boolean;
      own: (c: Ctx) => Probe;
      /** Requests aimed at the other region. Absent: the route has no region dimension (city-wide data, one's own account). */
      other?: (c: Ctx) => Probe[];
    };

/**
 * Routes with an id that has no region (city-wide data or one's own records): the only ones allowed
 * to go without a probe of the other region. A new route with an id either gets such a probe or a
 * line here saying why not.
 */
const CITY_WIDE_IDS: Record<string, string> = {
  'PUT /api/calendar/overrides/{date}': 'the working calendar is the city’s; only city administrators change it',
  'DELETE /api/calendar/overrides/{date}': 'the working calendar is the city’s',
  'PATCH /api/feeds/kinds/{code}': 'feed kinds are city-wide configuration (city administrators only)',
  'POST /api/feeds/sources/{code}/api-key': 'feed sources are city-wide (city administrators only)',
  'GET /api/feeds/batches/{id}': 'a feed batch is the whole city’s delivery (city-level readers only)',
  'GET /api/feeds/batches/{id}/errors.csv': 'a feed batch is the whole city’s delivery',
  'GET /api/collision/rules/{id}': 'collision rules are city-wide (city-level readers only)',
  'PUT /api/collision/rules/{id}': 'collision rules are city-wide',
  'POST /api/collision/rules/{id}/activate': 'collision rules are city-wide',
  'POST /api/collision/rules/{id}/deactivate': 'collision rules are city-wide',
  'GET /api/collision/runs/{id}': 'a collision run covers the whole city (its signals are scoped, see /api/signals)',
  'GET /api/enrolments/import/template.{format}': 'the parameter is a file format, not an id',
  'POST /api/province/records/{id}/resend':
    'the province exchange is the city’s: only city administrators re-send, and they have no other region',
};

let t: TestApp;
let admin: Agent;
let routes: string[] = [];
const actors: Actor[] = [];
const targets = {} as Ctx['targets'];
let seq = 0;
const unique = (prefix: string) => `${prefix}${++seq}`;

const within = (code: string, region: string) => code.startsWith(region);
type Item = { code?: string; name?: string; regionCode?: string; username?: string; parentCode?: string | null };
const items = (res: LightMyRequestResponse) => res.json().items as Item[];

function ctxOf(actor: Actor): Ctx {
  const home = actor.side ?? SIDES.A;
  return { actor, home, away: actor.side ? opposite(actor.side) : null, targets };
}

/**
 * Everything a probe might touch, by table and columns (a column a read may change, such as a
 * session's last use, is left out). Not collision_runs: a run queued by an allowed request may still
 * be progressing in the background.
 */
const SNAPSHOT: Record<string, string> = {
  users: 'select * from users',
  sessions: 'select id, user_id, expires_at from sessions',
  overrides: 'select * from calendar_overrides',
  households: 'select * from households',
  members: 'select * from members',
  relatives: 'select * from staff_relatives',
  feedSources: 'select * from feed_sources',
  feedKinds: 'select * from feed_kinds',
  feedBatches: 'select id, status from feed_batches',
  leads: 'select * from leads',
  policy: 'select * from policy_standards',
  leadVisits: 'select id, lead_id from lead_visits',
  cases: 'select id, status, version from cases',
  caseActions: 'select id from case_actions',
  notices: 'select id, status from case_notices',
  enrolments: 'select id from enrolments',
  enrolmentChanges: 'select id from enrolment_changes',
  rules: 'select * from collision_rules',
  ruleVersions: 'select rule_id, version from collision_rule_versions',
  signals: 'select id, status, note from signals',
  schemes: 'select id from insurance_schemes',
  claims: 'select id, status, version from insurance_claims',
  claimActions: 'select id from insurance_claim_actions',
  payrolls: 'select id, status, version from payrolls',
  payrollLines: 'select id, status from payroll_lines',
  payrollExceptions: 'select id, status from payroll_exceptions',
  payrollActions: 'select id from payroll_actions',
  province: 'select id, status, resent from province_outbox',
  agencies: 'select * from referral_agencies',
  referrals: 'select id from referrals',
  referralActions: 'select id from referral_actions',
  carePlans: 'select * from care_plans',
  careVisits: 'select id from care_visits',
  audit: 'select count(*) from audit_log',
};

/**
 * The state of everything in SNAPSHOT, compared before and after every denied request: one digest of
 * each table's rows, all in one statement (some 200 probes an identity take two snapshots each), so
 * a difference names the table that changed.
 */
async function snapshot(): Promise<Record<string, string>> {
  await t.idle();
  const digests = Object.entries(SNAPSHOT).map(
    ([name, rows]) =>
      `(select md5(coalesce(string_agg(r::text, E'\\n' order by r::text), '')) from (${rows}) r) as "${name}"`,
  );
  const res = await sql.raw<Record<string, string>>(`select ${digests.join(', ')}`).execute(t.database.db);
  return res.rows[0]!;
}

/** Audit rows so far, once the background work of the requests before (a feed batch's collision run) is done. */
async function auditCount() {
  await t.idle();
  const r = await t.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Strings that must never appear in an answer to a caller of the other side. */
function secretsOf(side: Side): string[] {
  const accounts = actors.filter((a) => a.side === side);
  return [
    side.county.code,
    side.county.name,
    side.township.name,
    side.village.name,
    targets[side.key].username,
    targets[side.key].id,
    ...accounts.flatMap((a) => [a.username, a.id]),
  ];
}

const MATRIX: Record<string, Entry> = {
  // ---- public: no role dimension ----
  'GET /api/health': {
    access: 'public',
    anonymous: () => ({ label: 'health', method: 'GET', url: '/api/health', status: 200 }),
  },
  'POST /api/auth/login': {
    access: 'public',
    anonymous: () => ({
      label: 'login',
      method: 'POST',
      url: '/api/auth/login',
      body: { username: 'admin', password: 'jiuzhu-demo' },
      status: 200,
    }),
  },
  'GET /api/auth/session': {
    access: 'public',
    anonymous: () => ({
      label: 'session',
      method: 'GET',
      url: '/api/auth/session',
      status: 200,
      check: (res) => expect(res.json()).toEqual({ user: null }),
    }),
  },
  'POST /api/auth/logout': {
    access: 'public',
    anonymous: () => ({ label: 'logout', method: 'POST', url: '/api/auth/logout', status: 204 }),
  },
  // ---- the citizens' API (cases/public-routes.ts): no account; behaviour in cases/public.test.ts ----
  'POST /api/public/applications': {
    access: 'public',
    anonymous: () => ({
      label: 'citizen application',
      method: 'POST',
      url: '/api/public/applications',
      body: {
        members: [
          { name: '林自助', idNumber: makeIdNumber(SIDES.A.county.code, '1975-07-07', ++idSeq), relation: 'self' },
        ],
        villageCode: SIDES.A.village.code,
        address: '测试地址2号',
        phone: '13800138000',
        reason: '矩阵测试',
        consent: true,
      },
      status: 201,
    }),
  },
  'POST /api/public/progress/code': {
    access: 'public',
    anonymous: () => ({
      label: 'progress code',
      method: 'POST',
      url: '/api/public/progress/code',
      body: { caseNo: 'SQ2000000001', phone: '13800138000' },
      status: 202,
    }),
  },
  'POST /api/public/progress': {
    access: 'public',
    anonymous: () => ({
      label: 'progress with a wrong code',
      method: 'POST',
      url: '/api/public/progress',
      body: { caseNo: 'SQ2000000001', code: '123456' },
      status: 401,
    }),
  },
  'GET /api/public/notices': {
    access: 'public',
    anonymous: () => ({ label: 'notice board', method: 'GET', url: '/api/public/notices', status: 200 }),
  },

  // ---- one's own account: no region dimension ----
  'GET /api/auth/me': {
    access: 'staff',
    mutating: false,
    own: () => ({
      label: 'me',
      method: 'GET',
      url: '/api/auth/me',
      status: 200,
      check: (res, c) => expect(res.json().user.username).toBe(c.actor.username),
    }),
  },
  'POST /api/auth/password': {
    access: 'staff',
    mutating: true,
    // Runs once per actor; the current session survives the change.
    own: () => ({
      label: 'change own password',
      method: 'POST',
      url: '/api/auth/password',
      body: { currentPassword: PASSWORD, newPassword: 'matrix-password-2' },
      status: 204,
    }),
  },

  // ---- regions ----
  'GET /api/regions/search': {
    access: 'staff',
    mutating: false,
    own: (c) => ({
      label: `search ${c.actor.place.search}`,
      method: 'GET',
      url: `/api/regions/search?q=${encodeURIComponent(c.actor.place.search)}&limit=100`,
      status: 200,
      check: (res) => {
        const found = items(res);
        expect(found.map((i) => i.code)).toContain(c.actor.place.code);
        for (const i of found)
          expect(within(i.code!, c.actor.place.code), `${i.code} outside ${c.actor.place.code}`).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: `search ${c.away!.village.search} (a village only in the other township)`,
        method: 'GET',
        url: `/api/regions/search?q=${encodeURIComponent(c.away!.village.search)}`,
        status: 200,
        check: (res) => expect(items(res)).toEqual([]),
      },
      {
        label: 'search 村 (many villages)',
        method: 'GET',
        url: `/api/regions/search?q=${encodeURIComponent('村')}&limit=100`,
        status: 200,
        check: (res) => {
          for (const i of items(res))
            expect(within(i.code!, c.actor.place.code), `${i.code} outside ${c.actor.place.code}`).toBe(true);
        },
      },
    ],
  },
  'GET /api/regions/{code}': {
    access: 'staff',
    mutating: false,
    own: (c) => ({
      label: 'own region',
      method: 'GET',
      url: `/api/regions/${c.actor.place.code}`,
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ code: c.actor.place.code, name: c.actor.place.name }),
    }),
    other: (c) => [
      {
        label: 'other region',
        method: 'GET',
        url: `/api/regions/${placeAtLevel(c.away!, c.actor.role).code}`,
        status: 403,
      },
    ],
  },
  'GET /api/regions/{code}/children': {
    access: 'staff',
    mutating: false,
    own: (c) => ({
      label: 'own region',
      method: 'GET',
      url: `/api/regions/${c.actor.place.code}/children`,
      status: 200,
      check: (res) => {
        for (const i of items(res)) expect(i.parentCode).toBe(c.actor.place.code);
      },
    }),
    other: (c) => [
      {
        label: 'other region',
        method: 'GET',
        url: `/api/regions/${placeAtLevel(c.away!, c.actor.role).code}/children`,
        status: 403,
      },
    ],
  },

  // ---- users ----
  'GET /api/users': {
    access: MANAGERS,
    mutating: false,
    own: (c) => ({
      label: 'list',
      method: 'GET',
      url: '/api/users?pageSize=200',
      status: 200,
      check: (res) => {
        const found = items(res);
        expect(found.map((u) => u.username)).toContain(c.targets[c.home.key].username);
        for (const u of found) expect(within(u.regionCode!, c.actor.place.code), `${u.username} outside`).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'list everything',
        method: 'GET',
        url: '/api/users?pageSize=200',
        status: 200,
        check: (res) => {
          for (const u of items(res))
            expect(within(u.regionCode!, c.away!.county.code), `${u.username} of the other region listed`).toBe(false);
        },
      },
      {
        label: 'filter on the other region',
        method: 'GET',
        url: `/api/users?regionCode=${c.away!.county.code}`,
        status: 200,
        check: (res) => expect(res.json()).toEqual({ items: [], total: 0 }),
      },
      {
        label: 'search a user of the other region',
        method: 'GET',
        url: `/api/users?q=${c.targets[c.away!.key].username}`,
        status: 200,
        check: (res) => expect(res.json()).toEqual({ items: [], total: 0 }),
      },
    ],
  },
  'POST /api/users': {
    access: MANAGERS,
    mutating: true,
    own: (c) => {
      const username = unique('mx.created.');
      return {
        label: 'create a grid worker in own village',
        method: 'POST',
        url: '/api/users',
        body: {
          username,
          displayName: '新网格员',
          role: 'grid_worker',
          regionCode: c.home.village.code,
          password: PASSWORD,
        },
        status: 201,
        check: (res) => expect(res.json()).toMatchObject({ username, regionCode: c.home.village.code }),
      };
    },
    other: (c) => [
      {
        label: 'create a grid worker in the other village',
        method: 'POST',
        url: '/api/users',
        body: {
          username: unique('mx.denied.'),
          displayName: '越权',
          role: 'grid_worker',
          regionCode: c.away!.village.code,
          password: PASSWORD,
        },
        status: 403,
      },
      {
        label: 'create a township officer in the other township',
        method: 'POST',
        url: '/api/users',
        body: {
          username: unique('mx.denied.'),
          displayName: '越权',
          role: 'township_officer',
          regionCode: c.away!.township.code,
          password: PASSWORD,
        },
        status: 403,
      },
    ],
  },
  'GET /api/users/{id}': {
    access: MANAGERS,
    mutating: false,
    own: (c) => ({
      label: 'own target',
      method: 'GET',
      url: `/api/users/${c.targets[c.home.key].id}`,
      status: 200,
      check: (res) => expect(res.json().id).toBe(c.targets[c.home.key].id),
    }),
    other: (c) => [
      { label: 'other target', method: 'GET', url: `/api/users/${c.targets[c.away!.key].id}`, status: 404 },
    ],
  },
  'PATCH /api/users/{id}': {
    access: MANAGERS,
    mutating: true,
    own: (c) => ({
      label: 'rename own target',
      method: 'PATCH',
      url: `/api/users/${c.targets[c.home.key].id}`,
      body: { displayName: unique('网格员') },
      status: 200,
    }),
    other: (c) => [
      {
        label: 'rename and deactivate other target',
        method: 'PATCH',
        url: `/api/users/${c.targets[c.away!.key].id}`,
        body: { displayName: '越权修改', active: false },
        status: 404,
      },
      {
        label: 'move own target into the other region',
        method: 'PATCH',
        url: `/api/users/${c.targets[c.home.key].id}`,
        body: { regionCode: c.away!.village.code },
        status: 403,
      },
    ],
  },
  'POST /api/users/{id}/password': {
    access: MANAGERS,
    mutating: true,
    own: (c) => ({
      label: 'reset own target',
      method: 'POST',
      url: `/api/users/${c.targets[c.home.key].id}/password`,
      body: { newPassword: 'matrix-reset-1' },
      status: 204,
    }),
    other: (c) => [
      {
        label: 'reset other target',
        method: 'POST',
        url: `/api/users/${c.targets[c.away!.key].id}/password`,
        body: { newPassword: 'matrix-reset-1' },
        status: 404,
      },
    ],
  },
  'POST /api/users/{id}/unlock': {
    access: MANAGERS,
    mutating: true,
    own: (c) => ({
      label: 'unlock own target',
      method: 'POST',
      url: `/api/users/${c.targets[c.home.key].id}/unlock`,
      status: 204,
    }),
    other: (c) => [
      {
        label: 'unlock other target',
        method: 'POST',
        url: `/api/users/${c.targets[c.away!.key].id}/unlock`,
        status: 404,
      },
    ],
  },

  // ---- calendar: city-wide, no region dimension ----
  'GET /api/calendar/month': {
    access: 'staff',
    mutating: false,
    own: () => ({ label: 'month', method: 'GET', url: '/api/calendar/month?month=2025-10', status: 200 }),
  },
  'GET /api/calendar/add-working-days': {
    access: 'staff',
    mutating: false,
    own: () => ({
      label: 'add',
      method: 'GET',
      url: '/api/calendar/add-working-days?from=2025-09-26&days=10',
      status: 200,
      check: (res) => expect(res.json().date).toBe('2025-10-16'),
    }),
  },
  'GET /api/calendar/overrides': {
    access: 'staff',
    mutating: false,
    own: () => ({ label: 'list', method: 'GET', url: '/api/calendar/overrides?year=2031', status: 200 }),
  },
  'PUT /api/calendar/overrides/{date}': {
    access: CALENDAR_ADMINS,
    mutating: true,
    own: () => ({
      label: 'set',
      method: 'PUT',
      url: '/api/calendar/overrides/2031-05-06',
      body: { isWorkingDay: false, note: '矩阵测试' },
      status: 204,
    }),
  },
  'DELETE /api/calendar/overrides/{date}': {
    access: CALENDAR_ADMINS,
    mutating: true,
    own: () => ({
      label: 'delete',
      method: 'DELETE',
      url: '/api/calendar/overrides/2031-05-07',
      status: 204,
      prepare: async () => {
        await t.database.db
          .insertInto('calendar_overrides')
          .values({ date: '2031-05-07', is_working_day: false, note: 'matrix fixture', updated_by: 'test' })
          .onConflict((oc) => oc.column('date').doNothing())
          .execute();
      },
    }),
  },

  // ---- audit ----
  'GET /api/audit': {
    access: AUDIT_READERS,
    mutating: false,
    own: (c) => ({
      label: 'trail',
      method: 'GET',
      url: '/api/audit?pageSize=200',
      status: 200,
      check: (res) => {
        for (const r of items(res))
          expect(within(r.regionCode!, c.actor.place.code), `audit row of ${r.regionCode}`).toBe(true);
      },
    }),
    // Only city-level roles read the trail today; should a county role get it, its list must stay in its region.
    other: (c) => [
      {
        label: 'trail holds no row of the other region',
        method: 'GET',
        url: '/api/audit?pageSize=200',
        status: 200,
        check: (res) => {
          for (const r of items(res))
            expect(within(r.regionCode!, c.away!.county.code), `audit row of ${r.regionCode}`).toBe(false);
        },
      },
    ],
  },
  // Recomputes the whole chain and answers counts only (no rows): no region dimension.
  'GET /api/audit/verify': {
    access: AUDIT_READERS,
    mutating: false,
    own: () => ({
      label: 'verify',
      method: 'GET',
      url: '/api/audit/verify',
      status: 200,
      check: (res) => expect(res.json().ok).toBe(true),
    }),
  },

  // ---- household registry ----
  'GET /api/households': {
    access: REGISTRY_READERS,
    mutating: false,
    own: (c) => ({
      label: 'search',
      method: 'GET',
      url: '/api/households?pageSize=200',
      status: 200,
      check: (res) => {
        const found = items(res);
        if (within(c.home.village.code, c.actor.place.code))
          expect(found.map((h) => h.regionCode)).toContain(c.home.village.code);
        for (const h of found) expect(within(h.regionCode!, c.actor.place.code), `${h.regionCode} outside`).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'filter on the other region',
        method: 'GET',
        url: `/api/households?regionCode=${c.away!.county.code}`,
        status: 200,
        check: (res) => expect(res.json()).toEqual({ items: [], total: 0 }),
      },
      {
        label: 'the other side’s head by ID number',
        method: 'GET',
        url: `/api/households?idNumber=${households[c.away!.key].headId}`,
        status: 200,
        check: (res) => expect(res.json()).toEqual({ items: [], total: 0 }),
      },
    ],
  },
  'POST /api/households': {
    access: REGISTRY_EDITORS,
    mutating: true,
    own: (c) => ({
      label: 'register in own area',
      method: 'POST',
      url: '/api/households',
      body: householdBody(placeVillage(c)),
      status: 201,
    }),
    other: (c) => [
      {
        label: 'register in the other village',
        method: 'POST',
        url: '/api/households',
        body: householdBody(c.away!.village.code),
        status: 403,
      },
    ],
  },
  'GET /api/households/{id}': {
    access: REGISTRY_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own household',
      method: 'GET',
      url: `/api/households/${households[c.home.key].id}`,
      status: within(c.home.village.code, c.actor.place.code) ? 200 : 404,
    }),
    other: (c) => [
      { label: 'other household', method: 'GET', url: `/api/households/${households[c.away!.key].id}`, status: 404 },
    ],
  },
  'PUT /api/households/{id}': {
    access: REGISTRY_EDITORS,
    mutating: true,
    own: (c) => {
      let body: unknown;
      return {
        label: 'edit own household',
        method: 'PUT',
        url: `/api/households/${households[c.home.key].id}`,
        get body() {
          return body;
        },
        prepare: async () => {
          body = { ...(await editBody(households[c.home.key].id)), address: unique('矩阵改址') };
        },
        status: 200,
      };
    },
    other: (c) => {
      let body: unknown;
      return [
        {
          label: 'edit the other household',
          method: 'PUT',
          url: `/api/households/${households[c.away!.key].id}`,
          get body() {
            return body;
          },
          prepare: async () => {
            body = { ...(await editBody(households[c.away!.key].id)), address: unique('矩阵改址') };
          },
          status: 404,
        },
      ];
    },
  },
  'POST /api/households/{id}/reveal': {
    access: REGISTRY_REVEALERS,
    mutating: true,
    own: (c) => ({
      label: 'reveal own address',
      method: 'POST',
      url: `/api/households/${households[c.home.key].id}/reveal`,
      body: { field: 'address', reason: '入户核对住址' },
      status: 200,
    }),
    other: (c) => [
      {
        label: 'reveal the other address',
        method: 'POST',
        url: `/api/households/${households[c.away!.key].id}/reveal`,
        body: { field: 'address', reason: '入户核对住址' },
        status: 404,
      },
    ],
  },
  'POST /api/households/{id}/members/{memberId}/reveal': {
    access: REGISTRY_REVEALERS,
    mutating: true,
    own: (c) => ({
      label: 'reveal own ID number',
      method: 'POST',
      url: `/api/households/${households[c.home.key].id}/members/${households[c.home.key].headMemberId}/reveal`,
      body: { field: 'idNumber', reason: '核对身份证号' },
      status: 200,
      check: (res) => expect(res.json().value).toBe(households[c.home.key].headId),
    }),
    other: (c) => [
      {
        label: 'reveal the other ID number',
        method: 'POST',
        url: `/api/households/${households[c.away!.key].id}/members/${households[c.away!.key].headMemberId}/reveal`,
        body: { field: 'idNumber', reason: '核对身份证号' },
        status: 404,
      },
    ],
  },
  'GET /api/households/import/template.xlsx': {
    access: MANAGERS,
    mutating: false,
    own: () => ({ label: 'template', method: 'GET', url: '/api/households/import/template.xlsx', status: 200 }),
  },
  // A dry run checks and reports only (no audit row); a file for the other region imports nothing.
  'POST /api/households/import': {
    access: MANAGERS,
    mutating: false,
    own: (c) => ({
      label: 'dry run',
      method: 'POST',
      url: '/api/households/import?dryRun=true',
      body: registerFile(placeVillage(c)),
      headers: { 'content-type': 'text/csv' },
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ households: 1, validHouseholds: 1, errors: [] }),
    }),
    other: (c) => [
      {
        label: 'import into the other village',
        method: 'POST',
        url: '/api/households/import?dryRun=false',
        body: registerFile(c.away!.village.code),
        headers: { 'content-type': 'text/csv' },
        status: 200,
        check: (res) => expect(res.json()).toMatchObject({ validHouseholds: 0, importedHouseholds: 0 }),
      },
    ],
  },
  'GET /api/households/import/{id}/errors.csv': {
    access: MANAGERS,
    mutating: false,
    own: (c) => {
      let id = '';
      return {
        label: 'own import report',
        method: 'GET',
        get url() {
          return `/api/households/import/${id || '00000000-0000-0000-0000-000000000000'}/errors.csv`;
        },
        prepare: async () => {
          const res = await c.actor.agent.request(
            'POST',
            '/api/households/import?dryRun=true',
            registerFile(placeVillage(c)),
            {
              'content-type': 'text/csv',
            },
          );
          id = res.json().importId;
        },
        status: 200,
      };
    },
    other: (c) => [
      {
        label: 'the other side’s report',
        method: 'GET',
        url: `/api/households/import/${imports[c.away!.key]}/errors.csv`,
        status: 404,
      },
    ],
  },
  'GET /api/households/import/{id}': {
    access: MANAGERS,
    mutating: false,
    own: (c) => {
      let id = '';
      return {
        label: 'own import’s progress',
        method: 'GET',
        get url() {
          return `/api/households/import/${id || '00000000-0000-0000-0000-000000000000'}`;
        },
        prepare: async () => {
          const res = await c.actor.agent.request(
            'POST',
            '/api/households/import?dryRun=true',
            registerFile(placeVillage(c)),
            { 'content-type': 'text/csv' },
          );
          id = res.json().importId;
        },
        status: 200,
        check: (res) => expect(res.json()).toMatchObject({ status: 'done', dryRun: true, rows: 1 }),
      };
    },
    other: (c) => [
      {
        label: 'the other side’s import',
        method: 'GET',
        url: `/api/households/import/${imports[c.away!.key]}`,
        status: 404,
      },
    ],
  },
  'GET /api/staff-relatives': {
    access: MANAGERS,
    mutating: false,
    own: (c) => ({
      label: 'list',
      method: 'GET',
      url: '/api/staff-relatives?pageSize=200',
      status: 200,
      check: (res) => {
        for (const r of items(res)) expect(within(r.regionCode!, c.actor.place.code)).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'list',
        method: 'GET',
        url: '/api/staff-relatives?pageSize=200',
        status: 200,
        check: (res) => {
          for (const r of items(res)) expect(within(r.regionCode!, c.away!.county.code)).toBe(false);
        },
      },
    ],
  },
  'POST /api/staff-relatives': {
    access: MANAGERS,
    mutating: true,
    own: (c) => ({
      label: 'register',
      method: 'POST',
      url: '/api/staff-relatives',
      body: relativeBody(c.actor.place.code),
      status: 201,
    }),
    other: (c) => [
      {
        label: 'register in the other region',
        method: 'POST',
        url: '/api/staff-relatives',
        body: relativeBody(c.away!.township.code),
        status: 403,
      },
    ],
  },
  'DELETE /api/staff-relatives/{id}': {
    access: MANAGERS,
    mutating: true,
    own: (c) => {
      let id = '';
      return {
        label: 'remove own',
        method: 'DELETE',
        get url() {
          return `/api/staff-relatives/${id || '00000000-0000-0000-0000-000000000000'}`;
        },
        prepare: async () => {
          const res = await admin.request('POST', '/api/staff-relatives', relativeBody(c.actor.place.code));
          id = res.json().id;
        },
        status: 204,
      };
    },
    other: (c) => [
      {
        label: 'remove the other',
        method: 'DELETE',
        url: `/api/staff-relatives/${relatives[c.away!.key]}`,
        status: 404,
      },
    ],
  },

  // ---- data exchange (feeds): city-level data, no region dimension ----
  'GET /api/feeds/sources': {
    access: FEED_READERS,
    mutating: false,
    own: () => ({
      label: 'sources',
      method: 'GET',
      url: '/api/feeds/sources',
      status: 200,
      check: (res) => expect(items(res).map((s) => s.code)).toContain('public_security'),
    }),
  },
  'POST /api/feeds/kinds': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({
      label: 'add a kind of an existing shape',
      method: 'POST',
      url: '/api/feeds/kinds',
      body: {
        code: `public_security.${unique('mx_kind')}`,
        sourceCode: 'public_security',
        nameZh: '矩阵测试类别',
        nameEn: 'Matrix kind',
        recordType: 'death',
        format: 'csv',
        shapeOf: 'public_security.deaths',
      },
      status: 201,
    }),
  },
  'PATCH /api/feeds/kinds/{code}': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({
      label: 'switch a kind on',
      method: 'PATCH',
      url: '/api/feeds/kinds/public_security.deaths',
      body: { active: true },
      status: 200,
    }),
  },
  'POST /api/feeds/sources/{code}/api-key': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({ label: 'issue a push key', method: 'POST', url: '/api/feeds/sources/funeral/api-key', status: 201 }),
  },
  'POST /api/feeds/upload': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({
      label: 'upload a deaths file',
      method: 'POST',
      url: '/api/feeds/upload?kind=public_security.deaths&asOf=2025-12-31',
      body: deathsFile(),
      headers: { 'content-type': 'text/csv', 'x-file-name': 'deaths.csv' },
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ status: 'loaded', rowsLoaded: 1 }),
    }),
  },
  'GET /api/feeds/batches': {
    access: FEED_READERS,
    mutating: false,
    own: () => ({ label: 'batches', method: 'GET', url: '/api/feeds/batches?pageSize=200', status: 200 }),
  },
  'GET /api/feeds/batches/{id}': {
    access: FEED_READERS,
    mutating: false,
    own: () => {
      let id = '';
      return {
        label: 'a batch',
        method: 'GET',
        get url() {
          return `/api/feeds/batches/${id || '00000000-0000-0000-0000-000000000000'}`;
        },
        prepare: async () => {
          id = await uploadedBatch();
        },
        status: 200,
      };
    },
  },
  'GET /api/feeds/batches/{id}/errors.csv': {
    access: FEED_READERS,
    mutating: false,
    own: () => {
      let id = '';
      return {
        label: 'a batch’s error report',
        method: 'GET',
        get url() {
          return `/api/feeds/batches/${id || '00000000-0000-0000-0000-000000000000'}/errors.csv`;
        },
        prepare: async () => {
          id = await uploadedBatch();
        },
        status: 200,
      };
    },
  },
  // A department's machine account signs its requests itself: without a signature, 401
  // (the signed paths are in modules/exchange/push.test.ts).
  'POST /api/feeds/push/{kind}': {
    access: 'public',
    anonymous: () => ({
      label: 'unsigned push',
      method: 'POST',
      url: '/api/feeds/push/public_security.deaths',
      body: '{"record_id":"DTH0000001"}\n',
      headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'matrix-unsigned-1' },
      status: 401,
    }),
  },

  // ---- leads (疑似困难线索): one lead in each side's village, with a visit and a photo ----
  'GET /api/leads': {
    access: LEAD_READERS,
    mutating: false,
    own: (c) => ({
      label: 'inbox',
      method: 'GET',
      url: '/api/leads?pageSize=200',
      status: 200,
      check: (res) => {
        const found = items(res);
        expect(found.map((l) => l.regionCode)).toContain(c.home.village.code);
        for (const l of found) expect(within(l.regionCode!, c.actor.place.code), `${l.regionCode} outside`).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'escalated and overdue filters hold nothing of the other side',
        method: 'GET',
        url: '/api/leads?pageSize=200&status=open',
        status: 200,
        check: (res) => {
          for (const l of items(res)) expect(within(l.regionCode!, c.away!.county.code)).toBe(false);
        },
      },
    ],
  },
  'GET /api/leads/stats': {
    access: LEAD_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own region',
      method: 'GET',
      url: '/api/leads/stats',
      status: 200,
      check: (res) => {
        expect(res.json().regionCode).toBe(c.actor.place.code);
        expect(res.json().totals.issued).toBeGreaterThan(0);
      },
    }),
    other: (c) => [
      {
        label: 'the other region',
        method: 'GET',
        url: `/api/leads/stats?region=${placeAtLevel(c.away!, c.actor.role).code}`,
        status: 403,
      },
    ],
  },
  'GET /api/leads/{id}': {
    access: LEAD_READERS,
    mutating: false,
    own: (c) => ({ label: 'own lead', method: 'GET', url: `/api/leads/${leads[c.home.key].id}`, status: 200 }),
    other: (c) => [{ label: 'other lead', method: 'GET', url: `/api/leads/${leads[c.away!.key].id}`, status: 404 }],
  },
  'GET /api/leads/{id}/application-prefill': {
    access: CASE_INTAKE,
    mutating: true,
    own: (c) => ({
      label: 'application form from own lead (reveal, audited)',
      method: 'GET',
      url: `/api/leads/${leads[c.home.key].id}/application-prefill`,
      status: 200,
    }),
    other: (c) => [
      {
        label: 'application form from the other lead',
        method: 'GET',
        url: `/api/leads/${leads[c.away!.key].id}/application-prefill`,
        status: 404,
      },
    ],
  },
  'POST /api/leads/{id}/visits': {
    access: LEAD_WORKERS,
    mutating: true,
    own: (c) => ({
      label: 'visit own lead (unreachable: it stays open)',
      method: 'POST',
      url: `/api/leads/${leads[c.home.key].id}/visits`,
      body: visitBody(),
      status: 201,
    }),
    other: (c) => [
      {
        label: 'visit the other lead',
        method: 'POST',
        url: `/api/leads/${leads[c.away!.key].id}/visits`,
        body: visitBody(),
        status: 404,
      },
    ],
  },
  'GET /api/leads/{id}/visits/{visitId}/photos/{n}': {
    access: LEAD_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own photo',
      method: 'GET',
      url: `/api/leads/${leads[c.home.key].id}/visits/${leads[c.home.key].visitId}/photos/1`,
      status: 200,
    }),
    other: (c) => [
      {
        label: 'the other photo',
        method: 'GET',
        url: `/api/leads/${leads[c.away!.key].id}/visits/${leads[c.away!.key].visitId}/photos/1`,
        status: 404,
      },
    ],
  },

  // ---- collision (数据碰撞): rules and runs are city-wide; signals belong to a village ----
  'GET /api/collision/rules': {
    access: FEED_READERS,
    mutating: false,
    own: () => ({
      label: 'rules',
      method: 'GET',
      url: '/api/collision/rules',
      status: 200,
      check: (res) => expect(res.json().items.length).toBeGreaterThanOrEqual(9),
    }),
  },
  'GET /api/collision/rules/{id}': {
    access: FEED_READERS,
    mutating: false,
    own: () => ({ label: 'a rule', method: 'GET', url: `/api/collision/rules/${collision.ruleId}`, status: 200 }),
  },
  'POST /api/collision/rules': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({
      label: 'add a rule',
      method: 'POST',
      url: '/api/collision/rules',
      body: { ...matrixRuleBody(), code: unique('matrix.rule') },
      status: 201,
    }),
  },
  'PUT /api/collision/rules/{id}': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({
      label: 'edit a rule',
      method: 'PUT',
      url: `/api/collision/rules/${collision.ruleId}`,
      body: { definition: matrixRuleBody().definition, note: 'matrix' },
      status: 200,
    }),
  },
  'POST /api/collision/rules/{id}/activate': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({
      label: 'activate',
      method: 'POST',
      url: `/api/collision/rules/${collision.ruleId}/activate`,
      status: 200,
    }),
  },
  'POST /api/collision/rules/{id}/deactivate': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({
      label: 'deactivate',
      method: 'POST',
      url: `/api/collision/rules/${collision.ruleId}/deactivate`,
      status: 200,
    }),
  },
  'POST /api/collision/runs': {
    access: FEED_MANAGERS,
    mutating: true,
    own: () => ({ label: 're-run all', method: 'POST', url: '/api/collision/runs', body: {}, status: 202 }),
  },
  'GET /api/collision/runs': {
    access: FEED_READERS,
    mutating: false,
    own: () => ({ label: 'runs', method: 'GET', url: '/api/collision/runs', status: 200 }),
  },
  'GET /api/collision/runs/{id}': {
    access: FEED_READERS,
    mutating: false,
    own: () => ({ label: 'a run', method: 'GET', url: `/api/collision/runs/${collision.runId}`, status: 200 }),
  },
  'GET /api/signals': {
    access: SIGNAL_READERS,
    mutating: false,
    own: (c) => ({
      label: 'signals',
      method: 'GET',
      url: '/api/signals?pageSize=200',
      status: 200,
      check: (res) => {
        const found = items(res);
        expect(found.map((s) => s.regionCode)).toContain(c.home.village.code);
        for (const s of found) expect(within(s.regionCode!, c.actor.place.code), `${s.regionCode} outside`).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'filtered to the other region',
        method: 'GET',
        url: `/api/signals?regionCode=${c.away!.village.code}`,
        status: 200,
        check: (res) => expect(res.json().total).toBe(0),
      },
    ],
  },
  'GET /api/signals/{id}': {
    access: SIGNAL_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own signal',
      method: 'GET',
      url: `/api/signals/${collision.signals[c.home.key]}`,
      status: 200,
    }),
    other: (c) => [
      { label: 'other signal', method: 'GET', url: `/api/signals/${collision.signals[c.away!.key]}`, status: 404 },
    ],
  },
  'PATCH /api/signals/{id}': {
    access: SIGNAL_HANDLERS,
    mutating: true,
    own: (c) => ({
      label: 'move own signal on',
      method: 'PATCH',
      url: `/api/signals/${collision.signals[c.home.key]}`,
      body: { status: 'in_progress', note: 'matrix' },
      status: 200,
    }),
    other: (c) => [
      {
        label: 'move the other signal on',
        method: 'PATCH',
        url: `/api/signals/${collision.signals[c.away!.key]}`,
        body: { status: 'dismissed', note: 'matrix' },
        status: 404,
      },
    ],
  },

  // ---- policy standards: read top-down (the city default and one's own county), written by city or county ----
  'GET /api/policy/standards': {
    access: POLICY_READERS,
    mutating: false,
    own: (c) => ({
      label: 'standards',
      method: 'GET',
      url: '/api/policy/standards',
      status: 200,
      prepare: plantCountyStandards,
      check: (res) => {
        const found = items(res);
        expect(found.map((i) => i.regionCode)).toContain(CITY.code);
        for (const i of found)
          expect(
            within(i.regionCode!, c.actor.place.code) || within(c.actor.place.code, i.regionCode!),
            `${i.regionCode} outside`,
          ).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'the other county',
        method: 'GET',
        url: `/api/policy/standards?region=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/policy/standards/effective': {
    access: POLICY_READERS,
    mutating: false,
    own: (c) => ({
      label: 'effective here',
      method: 'GET',
      url: `/api/policy/standards/effective?region=${c.actor.place.code}&kind=dibao&month=2025-06`,
      status: 200,
      check: (res) => expect(res.json().standard.params.standardFen).toBeGreaterThan(0),
    }),
    other: (c) => [
      {
        label: 'effective in the other region',
        method: 'GET',
        url: `/api/policy/standards/effective?region=${placeAtLevel(c.away!, c.actor.role).code}&kind=dibao&month=2025-06`,
        status: 403,
      },
    ],
  },
  'POST /api/policy/standards': {
    access: POLICY_EDITORS,
    mutating: true,
    own: (c) => ({
      label: 'new version for own region',
      method: 'POST',
      url: '/api/policy/standards',
      body: policyBody(c.actor.side ? c.home.county.code : CITY.code),
      status: 201,
    }),
    other: (c) => [
      {
        label: 'new version for the other county',
        method: 'POST',
        url: '/api/policy/standards',
        body: policyBody(c.away!.county.code),
        status: 403,
      },
    ],
  },

  // ---- cases (救助案件): one case in each side's village (surveyed, with a photo); each step on a fresh case ----
  'POST /api/cases': {
    access: CASE_INTAKE,
    mutating: true,
    own: (c) => ({
      label: 'apply in own village',
      method: 'POST',
      url: '/api/cases',
      body: applicationInput(placeVillage(c)),
      status: 201,
    }),
    other: (c) => [
      {
        label: 'apply in the other side’s village',
        method: 'POST',
        url: '/api/cases',
        body: applicationInput(c.away!.village.code),
        status: 403,
      },
    ],
  },
  'GET /api/cases': {
    access: CASE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'cases',
      method: 'GET',
      url: '/api/cases?pageSize=200',
      status: 200,
      check: (res) => {
        const found = items(res);
        expect(found.map((i) => i.regionCode)).toContain(c.home.village.code);
        for (const i of found) expect(within(i.regionCode!, c.actor.place.code), `${i.regionCode} outside`).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'search the other side’s case number',
        method: 'GET',
        url: `/api/cases?q=${matrixCases[c.away!.key].caseNo}`,
        status: 200,
        check: (res) => expect(items(res)).toEqual([]),
      },
    ],
  },
  'GET /api/cases/overdue': {
    access: CASE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'overdue per child region',
      method: 'GET',
      url: '/api/cases/overdue',
      status: 200,
      check: (res) => {
        expect(res.json().total.regionCode).toBe(c.actor.place.code);
        expect(res.json().total.open).toBeGreaterThan(0);
      },
    }),
  },
  'GET /api/cases/{id}': {
    access: CASE_READERS,
    mutating: false,
    own: (c) => ({ label: 'own case', method: 'GET', url: `/api/cases/${matrixCases[c.home.key].id}`, status: 200 }),
    other: (c) => [
      { label: 'other case', method: 'GET', url: `/api/cases/${matrixCases[c.away!.key].id}`, status: 404 },
    ],
  },
  'GET /api/cases/{id}/actions/{seq}/photos/{n}': {
    access: CASE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own survey photo',
      method: 'GET',
      url: `/api/cases/${matrixCases[c.home.key].id}/actions/${matrixCases[c.home.key].surveySeq}/photos/1`,
      status: 200,
    }),
    other: (c) => [
      {
        label: 'the other survey photo',
        method: 'GET',
        url: `/api/cases/${matrixCases[c.away!.key].id}/actions/${matrixCases[c.away!.key].surveySeq}/photos/1`,
        status: 404,
      },
    ],
  },
  'POST /api/cases/{id}/request-documents': caseStep('request-documents', CASE_TOWNSHIP, 'submitted', {
    documents: ['户口簿'],
  }),
  'POST /api/cases/{id}/accept': caseStep('accept', CASE_TOWNSHIP, 'submitted', {}),
  'POST /api/cases/{id}/survey': caseStep('survey', CASE_TOWNSHIP, 'accepted', {
    surveyedOn: chinaToday(),
    staff: ['林调查', '陈调查'],
    findings: '家中无稳定收入',
  }),
  'POST /api/cases/{id}/verification': caseStep('verification', CASE_COUNTY, 'verifying', {}),
  'POST /api/cases/{id}/determine': caseStep('determine', CASE_TOWNSHIP, 'verified', {
    acceptProposal: false,
    kinds: [{ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: 50_000 }],
    overrideReason: '矩阵测试',
  }),
  'POST /api/cases/{id}/publish-notice': caseStep('publish-notice', CASE_TOWNSHIP, 'determined', {}),
  'POST /api/cases/{id}/objection': caseStep('objection', CASE_TOWNSHIP, 'notice', { content: '矩阵异议' }),
  'POST /api/cases/{id}/close-notice': caseStep('close-notice', CASE_TOWNSHIP, 'notice', {}, { noticePassed: true }),
  'POST /api/cases/{id}/approve': caseStep('approve', CASE_APPROVERS, 'pending_approval', {}),
  'POST /api/cases/{id}/reject': caseStep('reject', CASE_APPROVERS, 'pending_approval', { reasons: '矩阵测试' }),
  'POST /api/cases/{id}/review': caseStep('review', CASE_TOWNSHIP, 'rejected', { reason: '矩阵复核' }),
  'POST /api/cases/{id}/emergency-payment': caseStep(
    'emergency-payment',
    CASE_TOWNSHIP,
    'submitted',
    { amountFen: 1_000, reason: '火灾' },
    { emergency: true },
  ),

  // ---- citizen H5 (citizen/routes.ts): no account; behaviour in citizen/citizen.test.ts ----
  'GET /api/public/conditions': {
    access: 'public',
    anonymous: () => ({ label: 'conditions', method: 'GET', url: '/api/public/conditions', status: 200 }),
  },
  'GET /api/public/regions': {
    access: 'public',
    anonymous: () => ({ label: 'village picker', method: 'GET', url: '/api/public/regions', status: 200 }),
  },
  'POST /api/public/phone/code': {
    access: 'public',
    anonymous: () => ({
      label: 'phone code',
      method: 'POST',
      url: '/api/public/phone/code',
      body: { phone: '13800138001' },
      status: 202,
    }),
  },
  'POST /api/public/citizen-applications': {
    access: 'public',
    anonymous: () => ({
      label: 'citizen application with a wrong phone code',
      method: 'POST',
      url: '/api/public/citizen-applications',
      body: {
        members: [
          { name: '林手机', idNumber: makeIdNumber(SIDES.A.county.code, '1976-07-07', ++idSeq), relation: 'self' },
        ],
        villageCode: SIDES.A.village.code,
        address: '测试地址3号',
        phone: '13800138002',
        reason: '矩阵测试',
        consent: true,
        phoneCode: '000000',
      },
      status: 400,
    }),
  },
  'POST /api/public/claim-reports': {
    access: 'public',
    anonymous: () => ({
      label: 'claim report with a wrong phone code',
      method: 'POST',
      url: '/api/public/claim-reports',
      body: {
        reporterName: '林报案',
        reporterPhone: '13800138003',
        phoneCode: '000000',
        relation: 'child',
        insuredName: '林某',
        insuredIdNumber: makeIdNumber(SIDES.A.county.code, '1940-07-07', ++idSeq),
        eventDate: '2026-01-05',
        eventKind: 'death_illness',
        description: '矩阵测试',
      },
      status: 400,
    }),
  },
  'POST /api/public/claim-reports/progress': {
    access: 'public',
    anonymous: () => ({
      label: 'claim report progress with a wrong phone code',
      method: 'POST',
      url: '/api/public/claim-reports/progress',
      body: { reportNo: 'BA20260101AAAAAA', phone: '13800138004', phoneCode: '000000' },
      status: 400,
    }),
  },
  // ---- enrolments (在册对象): an enrolment made for each probe in its side's village ----
  'GET /api/enrolments': {
    access: ENROLMENT_READERS,
    mutating: false,
    own: (c) => {
      const probe: Probe = { label: 'enrolments', method: 'GET', url: '/api/enrolments?pageSize=200', status: 200 };
      probe.prepare = async () => {
        await matrixEnrolment(c.home.village.code, 'dibao');
      };
      probe.check = (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      };
      return probe;
    },
    other: (c) => [
      {
        label: 'other side’s enrolments',
        method: 'GET',
        url: `/api/enrolments?regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/enrolments/{id}': {
    access: ENROLMENT_READERS,
    mutating: false,
    own: (c) => enrolmentProbe(c, 'GET', '', c.home.village.code, undefined, 'dibao'),
    other: (c) => [{ ...enrolmentProbe(c, 'GET', '', c.away!.village.code, undefined, 'dibao'), status: 404 }],
  },
  'POST /api/enrolments/{id}/amount': enrolmentChange('amount', { amountFen: 40_000, note: '矩阵测试' }),
  'POST /api/enrolments/{id}/members': enrolmentChange('members', {
    memberIds: ['00000000-0000-4000-8000-000000000001'],
    amountFen: 40_000,
    note: '矩阵',
  }),
  'POST /api/enrolments/{id}/suspend': enrolmentChange('suspend', { note: '矩阵测试' }),
  'POST /api/enrolments/{id}/resume': enrolmentChange('resume', { note: '矩阵测试' }, 'suspended'),
  'POST /api/enrolments/{id}/gradual-exit': enrolmentChange('gradual-exit', { note: '矩阵测试' }),
  'POST /api/enrolments/{id}/end': enrolmentChange('end', { reason: 'request', note: '矩阵测试' }),
  'GET /api/enrolments/import/template.{format}': {
    access: ENROLMENT_IMPORTERS,
    mutating: false,
    own: () => ({
      label: 'caseload template',
      method: 'GET',
      url: '/api/enrolments/import/template.xlsx',
      status: 200,
    }),
  },
  // Another region's village in a file is a row error of a 200 report (enrolments/import.test.ts), not a denial.
  'POST /api/enrolments/import': {
    access: ENROLMENT_IMPORTERS,
    mutating: true,
    own: (c) => {
      const probe: Probe = {
        label: 'caseload import',
        method: 'POST',
        url: '/api/enrolments/import?dryRun=false',
        body: Buffer.from('x'),
        headers: { 'content-type': 'text/csv' },
        status: 200,
      };
      probe.prepare = async () => {
        const village = placeVillage(c);
        const body = householdBodyFor(village);
        const res = await admin.request('POST', '/api/households', body);
        const h = res.json();
        const idNumber = body.members[0]!.idNumber;
        probe.body = Buffer.from(
          `序号,村（社区）代码,户编号,姓名,身份证号,与户主关系,保障类别,月保障金额（元）,起始月份,自理能力,批准文号,批准日期\n1,${village},,${h.members[0].name},${idNumber},户主,低保,500,2024-01,,,\n`,
        );
      };
      probe.check = (res) => expect(res.json()).toMatchObject({ created: 1, errors: [] });
      return probe;
    },
  },

  // ---- scheduled reviews (定期核查): a review made in `prepare` on a fresh enrolment at the step ----
  'GET /api/reviews': {
    access: REVIEW_READERS,
    mutating: false,
    own: (c) => {
      const probe: Probe = { label: 'reviews', method: 'GET', url: '/api/reviews?pageSize=200', status: 200 };
      probe.prepare = async () => {
        await matrixReview(c.home.village.code, 'dibao', 'open');
      };
      probe.check = (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      };
      return probe;
    },
    other: (c) => [
      {
        label: 'other side’s reviews',
        method: 'GET',
        url: `/api/reviews?regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/reviews/{id}': {
    access: REVIEW_READERS,
    mutating: false,
    own: (c) => reviewProbe('GET', '', c.home.village.code, undefined, 'dibao', 'open'),
    other: (c) => [{ ...reviewProbe('GET', '', c.away!.village.code, undefined, 'dibao', 'open'), status: 404 }],
  },
  'POST /api/reviews/{id}/survey': reviewStep('survey', REVIEW_SURVEYORS, 'open', {
    visitedOn: '2026-01-05',
    visitors: '矩阵甲、矩阵乙',
    findings: '矩阵测试',
  }),
  'POST /api/reviews/{id}/verify': reviewStep('verify', REVIEW_WORKERS, 'surveyed', { note: '矩阵测试' }),
  'POST /api/reviews/{id}/determine': reviewStep('determine', REVIEW_WORKERS, 'verified', { note: '矩阵测试' }),
  'POST /api/reviews/{id}/decide': reviewStep('decide', REVIEW_DECIDERS, 'determined', {
    decision: 'continue',
    note: '矩阵测试',
  }),

  'GET /api/public/recipients': {
    access: 'public',
    anonymous: (c) => ({
      label: 'long-term notice of recipients',
      method: 'GET',
      url: `/api/public/recipients?region=${c.home.village.code}`,
      status: 200,
    }),
  },
  'GET /api/signals/{id}/enrolments': {
    access: SIGNAL_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own signal’s enrolments',
      method: 'GET',
      url: `/api/signals/${collision.signals[c.home.key]}/enrolments`,
      status: 200,
    }),
    other: (c) => [
      {
        label: 'other signal’s enrolments',
        method: 'GET',
        url: `/api/signals/${collision.signals[c.away!.key]}/enrolments`,
        status: 404,
      },
    ],
  },
  'POST /api/signals/{id}/act': {
    access: SIGNAL_ACTORS,
    mutating: true,
    own: (c) => signalActProbe(placeVillage(c)),
    other: (c) => [{ ...signalActProbe(c.away!.village.code), status: 404 }],
  },
  // ---- insurance (小额保险): the demo schemes of the boot seed; roster and bills derived from enrolments ----
  'GET /api/insurance/schemes': {
    access: INSURANCE_READERS,
    mutating: false,
    own: () => ({
      label: 'schemes',
      method: 'GET',
      url: '/api/insurance/schemes',
      status: 200,
      check: (res) => expect(res.json().items.length).toBeGreaterThan(0),
    }),
  },
  'POST /api/insurance/schemes': {
    access: SCHEME_EDITORS,
    mutating: true,
    own: () => ({
      label: 'new scheme version',
      method: 'POST',
      url: '/api/insurance/schemes',
      body: schemeBody(),
      status: 201,
    }),
  },
  'GET /api/insurance/roster': insuranceRead('/api/insurance/roster', `on=${chinaToday()}&pageSize=500`, true),
  'GET /api/insurance/roster.xlsx': insuranceRead('/api/insurance/roster.xlsx', `on=${chinaToday()}`),
  'GET /api/insurance/roster/changes': insuranceRead(
    '/api/insurance/roster/changes',
    `month=${chinaToday().slice(0, 7)}`,
    true,
  ),
  'GET /api/insurance/roster/changes.xlsx': insuranceRead(
    '/api/insurance/roster/changes.xlsx',
    `month=${chinaToday().slice(0, 7)}`,
  ),
  'GET /api/insurance/bills': insuranceRead('/api/insurance/bills', `year=${chinaToday().slice(0, 4)}`),
  'GET /api/insurance/stats': insuranceRead('/api/insurance/stats', `year=${chinaToday().slice(0, 4)}`),
  'GET /api/insurance/claims': {
    access: CLAIM_READERS,
    mutating: false,
    own: (c) => {
      const probe: Probe = { label: 'claims', method: 'GET', url: '/api/insurance/claims?pageSize=200', status: 200 };
      probe.prepare = async () => {
        await matrixClaim(c.home.village.code, 'reported');
      };
      probe.check = (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      };
      return probe;
    },
    other: (c) => [
      {
        label: 'other side’s claims',
        method: 'GET',
        url: `/api/insurance/claims?regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/insurance/claim-reports': {
    access: CLAIM_REPORT_READERS,
    mutating: false,
    own: (c) => ({
      label: 'citizen claim reports',
      method: 'GET',
      url: '/api/insurance/claim-reports?pageSize=200',
      status: 200,
      prepare: async () => {
        await matrixClaimReport(c.home.village.code);
        await matrixClaimReport((c.away ?? opposite(c.home)).village.code);
      },
      check: (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'the other side’s reports are not listed',
        method: 'GET',
        url: '/api/insurance/claim-reports?matched=false&pageSize=200',
        status: 200,
        prepare: async () => {
          await matrixClaimReport(c.away!.village.code);
        },
        check: (res) => {
          for (const i of items(res)) expect(within(i.regionCode!, c.away!.county.code)).toBe(false);
        },
      },
    ],
  },
  'POST /api/insurance/claims': {
    access: CLAIM_HANDLERS,
    mutating: true,
    own: (c) => claimReport(placeVillage(c), 201),
    other: (c) => [claimReport(c.away!.village.code, 404)],
  },
  'GET /api/insurance/claims/{id}': {
    access: CLAIM_READERS,
    mutating: false,
    own: (c) => claimProbe('GET', '', c.home.village.code, 'reported', undefined),
    other: (c) => [{ ...claimProbe('GET', '', c.away!.village.code, 'reported', undefined), status: 404 }],
  },
  'GET /api/insurance/claims/{id}/documents/{documentId}': {
    access: CLAIM_READERS,
    mutating: false,
    own: (c) => claimDocumentProbe(c.home.village.code, 200),
    other: (c) => [claimDocumentProbe(c.away!.village.code, 404)],
  },
  'GET /api/insurance/condolence-tasks': {
    access: CONDOLENCE_READERS,
    mutating: false,
    own: (c) => {
      const probe: Probe = {
        label: 'condolence tasks',
        method: 'GET',
        url: '/api/insurance/condolence-tasks?pageSize=200',
        status: 200,
      };
      probe.prepare = async () => {
        await matrixCondolenceTask(c.home.village.code);
      };
      probe.check = (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      };
      return probe;
    },
  },
  'POST /api/insurance/condolence-tasks/{id}/complete': {
    access: CONDOLENCE_VISITORS,
    mutating: true,
    own: (c) => condolenceProbe(placeVillage(c), 200),
    other: (c) => [condolenceProbe(c.away!.village.code, 404)],
  },
  'POST /api/insurance/claims/{id}/guide': claimStep(CLAIM_HANDLERS, 'guide', 'reported', { note: '矩阵测试' }),
  'POST /api/insurance/claims/{id}/receive': claimStep(CLAIM_HANDLERS, 'receive', 'guided', {
    documents: [
      {
        kind: 'death_certificate',
        fileName: 'd.pdf',
        mimeType: 'application/pdf',
        contentBase64: Buffer.from('%PDF-1.4').toString('base64'),
      },
    ],
  }),
  'POST /api/insurance/claims/{id}/review': claimStep(CLAIM_DECIDERS, 'review', 'received', {
    decision: 'approve',
    reasons: '矩阵测试',
  }),
  'POST /api/insurance/claims/{id}/pay': claimStep(CLAIM_DECIDERS, 'pay', 'approved', {
    paidOn: chinaToday(),
    amountFen: 100,
    reference: 'MATRIX',
  }),

  // ---- payroll (资金发放): payrolls made per probe in the side's county ----
  'POST /api/payrolls': {
    access: PAYROLL_MAKERS,
    mutating: true,
    own: (c) => ({
      label: 'make a payroll',
      method: 'POST',
      url: '/api/payrolls',
      body: { month: matrixMonth(), regionCode: c.home.county.code },
      status: 201,
    }),
    other: (c) => [
      {
        label: 'make the other county’s payroll',
        method: 'POST',
        url: '/api/payrolls',
        body: { month: matrixMonth(), regionCode: c.away!.county.code },
        status: 403,
      },
    ],
  },
  'GET /api/payrolls': {
    access: PAYROLL_READERS,
    mutating: false,
    own: (c) => {
      const probe: Probe = { label: 'payrolls', method: 'GET', url: '/api/payrolls?pageSize=200', status: 200 };
      probe.prepare = async () => {
        await matrixPayroll(c.home.county.code, 'draft');
      };
      probe.check = (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      };
      return probe;
    },
    other: (c) => [
      {
        label: 'other county’s payrolls',
        method: 'GET',
        url: `/api/payrolls?regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/payrolls/{id}': payrollProbe('GET', '', PAYROLL_READERS, 'draft', false),
  'GET /api/payrolls/{id}/lines': payrollProbe('GET', 'lines', PAYROLL_READERS, 'draft', false),
  'GET /api/payrolls/{id}/exceptions': payrollProbe('GET', 'exceptions', PAYROLL_READERS, 'draft', false),
  'POST /api/payrolls/{id}/exceptions/{exceptionId}/accept': payrollProbe(
    'POST',
    'exceptions/{x}/accept',
    PAYROLL_MAKERS,
    'draft',
    true,
    { reason: '矩阵测试' },
  ),
  'POST /api/payrolls/{id}/submit': payrollProbe('POST', 'submit', PAYROLL_MAKERS, 'draft', true, {}),
  'POST /api/payrolls/{id}/adjustments': adjustmentProbe('add'),
  'DELETE /api/payrolls/{id}/adjustments/{lineId}': adjustmentProbe('remove'),
  'POST /api/payrolls/{id}/approve': payrollProbe('POST', 'approve', PAYROLL_CHECKERS, 'submitted', true, {}),
  'POST /api/payrolls/{id}/return': payrollProbe('POST', 'return', PAYROLL_CHECKERS, 'submitted', true, {
    reason: '矩阵退回',
  }),
  'GET /api/households/{id}/payments': {
    access: ['city_admin', 'county_officer', 'township_officer', 'grid_worker', 'finance_officer', 'auditor'],
    mutating: false,
    own: (c) => ({
      label: 'household payments',
      method: 'GET',
      url: `/api/households/${households[c.home.key].id}/payments`,
      status: 200,
    }),
    other: (c) => [
      {
        label: 'other side’s household payments',
        method: 'GET',
        url: `/api/households/${households[c.away!.key].id}/payments`,
        status: 404,
      },
    ],
  },
  // Account numbers: the finance role only; each download is audited.
  'GET /api/payrolls/{id}/bank-files/{bank}': payrollProbe(
    'GET',
    'bank-files/other',
    ['finance_officer'],
    'approved',
    true,
  ),
  'POST /api/payrolls/{id}/returns': payrollProbe('POST', 'returns', PAYROLL_CHECKERS, 'approved', true, {
    content: 'JZ000000-0000000001,account_closed',
  }),

  // ---- 全市一张图 (dashboard): the workbench, the figures and the map ----
  'GET /api/workbench': {
    access: 'staff',
    mutating: false,
    own: () => ({
      label: 'workbench',
      method: 'GET',
      url: '/api/workbench',
      status: 200,
      check: (res, c) => {
        expect(res.json().regionCode).toBe(c.actor.place.code);
        expect(res.json().role).toBe(c.actor.role);
      },
    }),
  },
  'GET /api/dashboard/figures': {
    access: DASHBOARD_READERS,
    mutating: false,
    own: (c) => ({
      label: 'figures',
      method: 'GET',
      url: `/api/dashboard/figures?regionCode=${c.actor.place.code}`,
      status: 200,
      check: (res) => expect(res.json().regionCode).toBe(c.actor.place.code),
    }),
    other: (c) => [
      {
        label: 'other county’s figures',
        method: 'GET',
        url: `/api/dashboard/figures?regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/dashboard/map': {
    access: DASHBOARD_READERS,
    mutating: false,
    own: (c) => ({
      label: 'map',
      method: 'GET',
      url: `/api/dashboard/map?regionCode=${c.actor.place.code}&figure=overdueCases`,
      status: 200,
      check: (res) => {
        for (const a of res.json().areas) expect(within(a.regionCode, c.actor.place.code)).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'other county’s map',
        method: 'GET',
        url: `/api/dashboard/map?regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/trace/household/{id}': {
    access: TRACE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own household’s trace',
      method: 'GET',
      url: `/api/trace/household/${households[c.home.key].id}`,
      status: within(c.home.village.code, c.actor.place.code) ? 200 : 404,
    }),
    other: (c) => [
      {
        label: 'other household’s trace',
        method: 'GET',
        url: `/api/trace/household/${households[c.away!.key].id}`,
        status: 404,
      },
    ],
  },
  'GET /api/trace/case/{id}': {
    access: TRACE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own case’s trace',
      method: 'GET',
      url: `/api/trace/case/${matrixCases[c.home.key].id}`,
      status: 200,
    }),
    other: (c) => [
      {
        label: 'other case’s trace',
        method: 'GET',
        url: `/api/trace/case/${matrixCases[c.away!.key].id}`,
        status: 404,
      },
    ],
  },
  'GET /api/trace/payment/{id}': {
    access: TRACE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'own payment’s trace',
      method: 'GET',
      url: `/api/trace/payment/${matrixPayments[c.home.key]}`,
      status: within(c.home.village.code, c.actor.place.code) ? 200 : 404,
    }),
    other: (c) => [
      {
        label: 'other payment’s trace',
        method: 'GET',
        url: `/api/trace/payment/${matrixPayments[c.away!.key]}`,
        status: 404,
      },
    ],
  },
  // Fund ledger and reports (issue 10)
  'GET /api/payroll-reports': payrollReportRead('/api/payroll-reports'),
  'GET /api/payroll-reports/roster.xlsx': payrollReportRead('/api/payroll-reports/roster.xlsx'),
  'GET /api/payroll-reports/funds.xlsx': payrollReportRead('/api/payroll-reports/funds.xlsx'),

  // ---- 省平台上传 (province upload): city admin and county officers read; the city admin re-sends ----
  'GET /api/province/summary': {
    access: PROVINCE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'province counts',
      method: 'GET',
      url: '/api/province/summary',
      status: 200,
      prepare: async () => {
        await matrixProvinceRecord(c.home.village.code);
      },
      check: (res) => expect(res.json().totals.total).toBeGreaterThan(0),
    }),
  },
  'GET /api/province/batches': {
    access: PROVINCE_READERS,
    mutating: false,
    own: () => ({ label: 'province batches', method: 'GET', url: '/api/province/batches', status: 200 }),
  },
  'GET /api/province/records': {
    access: PROVINCE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'rejected province records',
      method: 'GET',
      url: '/api/province/records?status=rejected&pageSize=200',
      status: 200,
      prepare: async () => {
        await matrixProvinceRecord(c.home.village.code);
        await matrixProvinceRecord(SIDES.B.village.code);
      },
      check: (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      },
    }),
  },
  'POST /api/province/records/{id}/resend': {
    access: PROVINCE_SENDERS,
    mutating: true,
    own: (c) => {
      const id = 900_000 + ++provinceSeq;
      return {
        label: 're-send a rejected record',
        method: 'POST',
        url: `/api/province/records/${id}/resend`,
        status: 200,
        prepare: async () => {
          await matrixProvinceRecord(c.home.village.code, id);
        },
        check: (res) => expect(res.json()).toMatchObject({ status: 'pending', resent: 1 }),
      };
    },
  },

  // ---- referrals (转介) ----
  'GET /api/referral-agencies': {
    access: REFERRAL_READERS,
    mutating: false,
    own: (c) => ({
      label: 'agencies',
      method: 'GET',
      url: '/api/referral-agencies',
      status: 200,
      prepare: async () => {
        await matrixAgency(SIDES.A.county.code);
        await matrixAgency(SIDES.B.county.code);
      },
      check: (res) => {
        const found = items(res);
        expect(found.length).toBeGreaterThan(0);
        // The city's and the caller's county, or configured below the caller.
        for (const a of found)
          expect(
            c.actor.place.code.startsWith(a.regionCode!) || within(a.regionCode!, c.actor.place.code),
            `${a.regionCode} outside`,
          ).toBe(true);
      },
    }),
  },
  'POST /api/referral-agencies': {
    access: AGENCY_EDITORS,
    mutating: true,
    own: (c) => ({
      label: 'configure an agency',
      method: 'POST',
      url: '/api/referral-agencies',
      body: agencyBody(agencyPlace(c)),
      status: 201,
    }),
    other: (c) => [
      {
        label: 'configure an agency of the other county',
        method: 'POST',
        url: '/api/referral-agencies',
        body: agencyBody(c.away!.county.code),
        status: 403,
      },
    ],
  },
  'PUT /api/referral-agencies/{id}': {
    access: AGENCY_EDITORS,
    mutating: true,
    own: (c) => agencyEditProbe(agencyPlace(c), agencyPlace(c), 200),
    other: (c) => [
      agencyEditProbe(c.away!.county.code, agencyPlace(c), 404),
      agencyEditProbe(c.away!.county.code, c.away!.county.code, 403),
    ],
  },
  'GET /api/referrals': {
    access: REFERRAL_READERS,
    mutating: false,
    own: (c) => ({
      label: 'referrals',
      method: 'GET',
      url: '/api/referrals?pageSize=200',
      status: 200,
      prepare: async () => {
        await matrixReferral(c.home.village.code);
        await matrixReferral(SIDES.B.village.code);
      },
      check: (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: 'referrals of the other side’s household',
        method: 'GET',
        url: `/api/referrals?householdId=${sideFixtures[c.away!.key].referralHousehold}`,
        status: 200,
        check: (res) => expect(res.json()).toEqual({ items: [], total: 0 }),
      },
    ],
  },
  'GET /api/referrals/stats': {
    access: REFERRAL_READERS,
    mutating: false,
    own: (c) => ({
      label: 'referral counts',
      method: 'GET',
      url: '/api/referrals/stats',
      status: 200,
      prepare: async () => {
        await matrixReferral(c.home.village.code);
      },
      check: (res) => {
        expect(res.json().regionCode).toBe(c.actor.place.code);
        expect(res.json().totals.total).toBeGreaterThan(0);
      },
    }),
    other: (c) => [
      {
        label: 'the other county’s counts',
        method: 'GET',
        url: `/api/referrals/stats?region=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/referrals/{id}': {
    access: REFERRAL_READERS,
    mutating: false,
    own: (c) => referralProbe('GET', '', placeVillage(c), undefined, 200),
    other: (c) => [referralProbe('GET', '', c.away!.village.code, undefined, 404)],
  },
  'POST /api/referrals': {
    access: REFERRAL_SENDERS,
    mutating: true,
    own: (c) => {
      const probe: Probe = { label: 'refer a household', method: 'POST', url: '/api/referrals', status: 201 };
      probe.prepare = async () => {
        probe.body = {
          agencyId: await matrixAgency(CITY.code),
          source: 'household',
          sourceId: households[c.home.key].id,
          request: '矩阵转介',
        };
      };
      return probe;
    },
  },
  'POST /api/referrals/{id}/actions': {
    access: REFERRAL_RECORDERS,
    mutating: true,
    own: (c) => referralProbe('POST', '/actions', placeVillage(c), { action: 'accepted' }, 200),
    other: (c) => [referralProbe('POST', '/actions', c.away!.village.code, { action: 'accepted' }, 404)],
  },
  // ---- care visits (探访) ----
  'GET /api/care/plans': {
    access: CARE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'care plans',
      method: 'GET',
      url: '/api/care/plans',
      status: 200,
      prepare: async () => {
        await matrixCarePlan();
      },
      check: (res) => {
        expect(items(res).length).toBeGreaterThan(0);
        for (const p of items(res))
          expect(
            c.actor.place.code.startsWith(p.regionCode!) || within(p.regionCode!, c.actor.place.code),
            `${p.regionCode} outside`,
          ).toBe(true);
      },
    }),
  },
  'POST /api/care/plans': {
    access: CARE_PLAN_EDITORS,
    mutating: true,
    own: (c) => ({
      label: 'set a care plan',
      method: 'POST',
      url: '/api/care/plans',
      body: carePlanBody(agencyPlace(c)),
      status: 200,
    }),
    other: (c) => [
      {
        label: 'set the other county’s plan',
        method: 'POST',
        url: '/api/care/plans',
        body: carePlanBody(c.away!.county.code),
        status: 403,
      },
    ],
  },
  'GET /api/care/due': {
    access: CARE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'due list',
      method: 'GET',
      url: '/api/care/due?pageSize=500',
      status: 200,
      prepare: async () => {
        await matrixCareHousehold(c.home.village.code);
        await matrixCareHousehold(SIDES.B.village.code);
      },
      check: (res) => {
        expect(res.json().total).toBeGreaterThan(0);
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      },
    }),
  },
  'GET /api/care/stats': {
    access: CARE_READERS,
    mutating: false,
    own: (c) => ({
      label: 'care counts',
      method: 'GET',
      url: '/api/care/stats',
      status: 200,
      prepare: async () => {
        await matrixCareHousehold(c.home.village.code);
      },
      check: (res) => {
        expect(res.json().regionCode).toBe(c.actor.place.code);
        expect(res.json().totals.households).toBeGreaterThan(0);
      },
    }),
    other: (c) => [
      {
        label: 'the other county’s counts',
        method: 'GET',
        url: `/api/care/stats?region=${c.away!.county.code}`,
        status: 403,
      },
    ],
  },
  'GET /api/care/visits': {
    access: CARE_READERS,
    mutating: false,
    own: (c) => careVisitsProbe(placeVillage(c)),
    other: (c) => [
      {
        label: 'care visits of the other side’s household',
        method: 'GET',
        url: `/api/care/visits?householdId=${sideFixtures[c.away!.key].visitedHousehold}`,
        status: 200,
        check: (res) => expect(res.json()).toEqual({ items: [] }),
      },
    ],
  },
  'POST /api/care/visits': {
    access: CARE_VISITORS,
    mutating: true,
    own: (c) => careVisitProbe(placeVillage(c), 201),
    other: (c) => [careVisitProbe(c.away!.village.code, 404)],
  },
};

let provinceSeq = 0;
/** A record the province rejected, in a village (payload: an empty object, encrypted). */
async function matrixProvinceRecord(regionCode: string, id?: number): Promise<void> {
  const sourceId = `matrix-${++provinceSeq}`;
  await t.database.db
    .insertInto('province_outbox')
    .values({
      ...(id ? { id: String(id) } : {}),
      record_id: `recipient:${sourceId}:v1`,
      type: 'recipient',
      source_id: sourceId,
      version: 1,
      region_code: regionCode,
      month: '2030-01',
      payload_enc: t.app.deps.protector.encrypt('{}', 'province_outbox.payload'),
      status: 'rejected',
      reason: 'missing idNumber',
    })
    .execute();
}

/** Where a role configures agencies and care plans: the city, or its county (side A's county for lower levels). */
function agencyPlace(c: Ctx): string {
  return c.actor.place.code.length <= 6 ? c.actor.place.code : c.home.county.code;
}

function agencyBody(regionCode: string) {
  return {
    regionCode,
    kind: 'charity',
    name: unique('矩阵机构'),
    help: '矩阵帮扶',
    contact: '0594-0000000',
  };
}

/** An agency (made by the city administrator) in a city or county; its id. */
async function matrixAgency(regionCode: string): Promise<string> {
  const res = await admin.request('POST', '/api/referral-agencies', agencyBody(regionCode));
  if (res.statusCode !== 201) throw new Error(`agency ${regionCode}: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** A change of an agency configured in `agencyRegion`, the body naming `bodyRegion`. */
function agencyEditProbe(agencyRegion: string, bodyRegion: string, status: number): Probe {
  const probe: Probe = {
    label: `change an agency of ${agencyRegion} (body ${bodyRegion})`,
    method: 'PUT',
    url: `/api/referral-agencies/${PLACEHOLDER_CASE}`,
    body: { ...agencyBody(bodyRegion), active: false },
    status,
  };
  probe.prepare = async () => {
    probe.url = `/api/referral-agencies/${await matrixAgency(agencyRegion)}`;
  };
  return probe;
}

let cityAgency = '';
/** A referral (sent by the city administrator) of a fresh household in `village` to the city's agency. */
async function matrixReferral(village: string): Promise<{ id: string; householdId: string }> {
  cityAgency ||= await matrixAgency(CITY.code);
  const h = await admin.request('POST', '/api/households', householdBodyFor(village));
  if (h.statusCode !== 201) throw new Error(`referral household: ${h.statusCode} ${h.body}`);
  const householdId = h.json().id as string;
  const res = await admin.request('POST', '/api/referrals', {
    agencyId: cityAgency,
    source: 'household',
    sourceId: householdId,
    request: '矩阵转介',
  });
  if (res.statusCode !== 201) throw new Error(`referral ${village}: ${res.statusCode} ${res.body}`);
  return { id: res.json().id, householdId };
}

/** A request on a fresh referral in `village`, made in `prepare` (the URL is known only then). */
function referralProbe(method: Method, path: string, village: string, body: unknown, status: number): Probe {
  const probe: Probe = {
    label: `${method} referral${path} in ${village}`,
    method,
    url: `/api/referrals/${PLACEHOLDER_CASE}${path}`,
    body,
    status,
  };
  probe.prepare = async () => {
    const { id } = await matrixReferral(village);
    probe.url = `/api/referrals/${id}${path}`;
  };
  return probe;
}

function carePlanBody(regionCode: string) {
  return { regionCode, category: 'tekun', label: unique('矩阵探访计划'), intervalMonths: 6 };
}

let carePlanned = false;
/** The city's 低保 care plan (every three months), once. */
async function matrixCarePlan(): Promise<void> {
  if (carePlanned) return;
  const res = await admin.request('POST', '/api/care/plans', {
    regionCode: CITY.code,
    category: 'dibao',
    label: '矩阵低保探访',
    intervalMonths: 3,
  });
  if (res.statusCode !== 200) throw new Error(`care plan: ${res.statusCode} ${res.body}`);
  carePlanned = true;
}

/** A household of `village` on an active 低保 enrolment, so under the city's care plan; its id. */
async function matrixCareHousehold(village: string): Promise<string> {
  await matrixCarePlan();
  const enrolment = await matrixEnrolment(village, 'dibao');
  const row = await t.database.db
    .selectFrom('enrolments')
    .select('household_id')
    .where('id', '=', enrolment.id)
    .executeTakeFirstOrThrow();
  return row.household_id!;
}

function careVisitBody(householdId: string) {
  return { householdId, visitedAt: new Date().toISOString(), finding: 'well', notes: '矩阵探访' };
}

/** A care visit to a fresh planned household in `village`. */
function careVisitProbe(village: string, status: number): Probe {
  const probe: Probe = {
    label: `care visit in ${village}`,
    method: 'POST',
    url: '/api/care/visits',
    body: careVisitBody(PLACEHOLDER_CASE),
    status,
  };
  probe.prepare = async () => {
    probe.body = careVisitBody(await matrixCareHousehold(village));
  };
  return probe;
}

/** A planned household in `village` visited once (by the city administrator); its id. */
async function matrixVisitedHousehold(village: string): Promise<string> {
  const householdId = await matrixCareHousehold(village);
  const res = await admin.request('POST', '/api/care/visits', careVisitBody(householdId));
  if (res.statusCode !== 201) throw new Error(`care visit ${village}: ${res.statusCode} ${res.body}`);
  return householdId;
}

/** The visits of a household in `village` visited once. */
function careVisitsProbe(village: string): Probe {
  const probe: Probe = {
    label: `care visits of a household in ${village}`,
    method: 'GET',
    url: '/api/care/visits',
    status: 200,
    check: (res) => expect(items(res).length).toBe(1),
  };
  probe.prepare = async () => {
    probe.url = `/api/care/visits?householdId=${await matrixVisitedHousehold(village)}`;
  };
  return probe;
}

/**
 * A referred and a visited household on each side, made in setup: the other side's probes of the
 * lists run with a snapshot taken before them, so they cannot make their data in `prepare`.
 */
const sideFixtures = {} as Record<'A' | 'B', { referralHousehold: string; visitedHousehold: string }>;

let payrollMonthSeq = 0;
const payrollEnrolments: Record<string, { id: string; memberId: string }> = {};
/** A month no other probe uses (far ahead, so no enrolment of the matrix is due in it). */
function matrixMonth(): string {
  const n = payrollMonthSeq++;
  return `${2200 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
}

/** A payroll stored directly in a county (empty; with one open finding on a fresh enrolment). */
async function matrixPayroll(
  county: string,
  status: 'draft' | 'submitted' | 'approved',
): Promise<{ id: string; exceptionId: number }> {
  const db = t.database.db;
  const village = Object.values(SIDES).find((s) => s.county.code === county)!.village.code;
  // One enrolment per county serves every payroll probe (the findings only need to name one).
  const enrolment = (payrollEnrolments[county] ??= await matrixEnrolment(village, 'dibao'));
  const p = await db
    .insertInto('payrolls')
    .values({ month: matrixMonth(), region_code: county, status, created_by: 'matrix' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const x = await db
    .insertInto('payroll_exceptions')
    .values({ payroll_id: p.id, code: 'missing_account', enrolment_id: enrolment.id, detail: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A submitted or approved payroll has no open finding (it could not have been submitted).
  if (status !== 'draft')
    await db.updateTable('payroll_exceptions').set({ status: 'accepted' }).where('id', '=', x.id).execute();
  return { id: p.id, exceptionId: Number(x.id) };
}

/** A probe on a payroll of the actor's county (the other county's: not found). */
function payrollProbe(
  method: Method,
  path: string,
  access: readonly Role[],
  status: 'draft' | 'submitted' | 'approved',
  mutating: boolean,
  body?: unknown,
): Entry {
  const make = (c: Ctx, county: string, expect: number): Probe => {
    const probe: Probe = {
      label: `payroll ${path || 'detail'}`,
      method,
      url: `/api/payrolls/${PLACEHOLDER_CASE}${path ? `/${path.replace('{x}', '1')}` : ''}`,
      ...(body !== undefined ? { body } : {}),
      status: expect,
    };
    probe.prepare = async () => {
      const p = await matrixPayroll(county, status);
      // Submit needs no open finding: accept it beforehand.
      if (path === 'submit')
        await t.database.db
          .updateTable('payroll_exceptions')
          .set({ status: 'accepted' })
          .where('payroll_id', '=', p.id)
          .execute();
      probe.url = `/api/payrolls/${p.id}${path ? `/${path.replace('{x}', String(p.exceptionId))}` : ''}`;
    };
    return probe;
  };
  return {
    access,
    mutating,
    own: (c) => make(c, c.home.county.code, 200),
    other: (c) => [make(c, c.away!.county.code, 404)],
  };
}

/**
 * Adding or removing a correction on a draft of the actor's county: the draft holds the county's
 * matrix enrolment's regular line (its payee), and for a removal an adjustment line.
 */
function adjustmentProbe(op: 'add' | 'remove'): Entry {
  const make = (county: string, expect: number): Probe => {
    const probe: Probe = {
      label: `payroll adjustment ${op}`,
      method: op === 'add' ? 'POST' : 'DELETE',
      url: `/api/payrolls/${PLACEHOLDER_CASE}/adjustments${op === 'add' ? '' : '/1'}`,
      status: expect,
    };
    probe.prepare = async () => {
      const db = t.database.db;
      const p = await matrixPayroll(county, 'draft');
      const enrolment = payrollEnrolments[county]!;
      const { month } = await db
        .selectFrom('payrolls')
        .select('month')
        .where('id', '=', p.id)
        .executeTakeFirstOrThrow();
      const line = (lineType: 'regular' | 'adjustment', amountFen: number) =>
        db
          .insertInto('payroll_lines')
          .values({
            payroll_id: p.id,
            enrolment_id: enrolment.id,
            month,
            line_type: lineType,
            kind: 'dibao',
            region_code: county,
            household_id: null,
            payee_member_id: enrolment.memberId,
            account_hash: null,
            amount_fen: amountFen,
            central_fen: amountFen,
            provincial_fen: 0,
            city_fen: 0,
            county_fen: 0,
            reissue_of: null,
            ...(lineType === 'adjustment' ? { reason: '矩阵调整', created_by: 'matrix' } : {}),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      await line('regular', 50_000);
      if (op === 'add') {
        probe.url = `/api/payrolls/${p.id}/adjustments`;
        probe.body = { enrolmentId: enrolment.id, month, amountFen: 1_000, reason: '矩阵补发' };
      } else {
        const adj = await line('adjustment', -1_000);
        probe.url = `/api/payrolls/${p.id}/adjustments/${adj.id}`;
      }
    };
    return probe;
  };
  return {
    access: PAYROLL_MAKERS,
    mutating: true,
    own: (c) => make(c.home.county.code, op === 'add' ? 201 : 200),
    other: (c) => [make(c.away!.county.code, 404)],
  };
}

/** A person insured today in a village (a 低保 enrolment from January), by ID number and blind index. */
let insuredSeq = 0;
async function matrixInsured(village: string): Promise<{ idNumber: string; idHash: string; enrolmentId: string }> {
  // A claim is unique per person: the birth day moves on when the three-digit sequence wraps.
  const n = ++insuredSeq;
  const birthDate = `1948-02-${String(2 + (Math.floor(n / 800) % 26)).padStart(2, '0')}`;
  const idNumber = makeIdNumber(village.slice(0, 6), birthDate, 100 + (n % 800));
  const idHash = t.app.deps.protector.idHash(idNumber);
  const [enrolmentId] = await t.database.db.transaction().execute((trx) =>
    insertEnrolments(
      trx,
      [
        {
          kind: 'dibao',
          householdId: null,
          regionCode: village,
          source: 'seed',
          fromMonth: `${chinaToday().slice(0, 4)}-01`,
          monthlyAmountFen: 50_000,
          members: [
            { idHash, memberId: null, name: unique('矩阵参保'), idMasked: '3503**********0000', relation: 'head' },
          ],
          approvalLevel: 'system',
          reason: 'seed',
        },
      ],
      null,
    ),
  );
  return { idNumber, idHash, enrolmentId: enrolmentId! };
}

/** A claim at a given step, stored directly on this year's scheme, which names the matrix insurer. */
async function matrixClaim(village: string, status: 'reported' | 'guided' | 'received' | 'approved'): Promise<string> {
  const db = t.database.db;
  const insurers = actors.filter((a) => a.role === 'insurer').map((a) => a.username);
  const scheme = await db
    .selectFrom('insurance_schemes')
    .select('id')
    .where('year', '=', Number(chinaToday().slice(0, 4)))
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  await db.updateTable('insurance_schemes').set({ insurer_users: insurers }).where('id', '=', scheme.id).execute();
  const p = await matrixInsured(village);
  const row = await db
    .insertInto('insurance_claims')
    .values({
      claim_no: unique('LPMATRIX'),
      scheme_id: scheme.id,
      region_code: village,
      id_hash: p.idHash,
      enrolment_id: p.enrolmentId,
      insured_name: '矩阵参保人',
      id_masked: '3503**********0000',
      cover_item: 'death_illness',
      event_date: chinaToday(),
      source: 'staff',
      status,
      ...(status === 'received' || status === 'approved'
        ? { materials_complete_on: chinaToday(), due_on: chinaToday() }
        : {}),
      ...(status === 'approved' ? { approved_fen: 100_000 } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('insurance_claim_actions')
    .values({ claim_id: row.id, seq: 1, type: 'reported', actor_username: 'matrix' })
    .execute();
  return row.id;
}

/** A condolence-visit task of a claim in a village (as a death record would issue it). */
async function matrixCondolenceTask(village: string): Promise<string> {
  const claimId = await matrixClaim(village, 'reported');
  const row = await t.database.db
    .insertInto('insurance_condolence_tasks')
    .values({ claim_id: claimId, region_code: village, issued_on: chinaToday(), due_on: chinaToday() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function condolenceProbe(village: string, status: number): Probe {
  const probe: Probe = {
    label: `condolence visit in ${village}`,
    method: 'POST',
    url: `/api/insurance/condolence-tasks/${PLACEHOLDER_CASE}/complete`,
    body: {
      visitedOn: chinaToday(),
      familyInformed: true,
      beneficiaryName: '矩阵受益人',
      beneficiaryRelation: '子女',
      beneficiaryIdNumber: makeIdNumber('350302', '1975-03-03', 222),
    },
    status,
  };
  probe.prepare = async () => {
    const id = await matrixCondolenceTask(village);
    probe.url = `/api/insurance/condolence-tasks/${id}/complete`;
  };
  return probe;
}

/** The download of a document of a claim in a village (audited). */
function claimDocumentProbe(village: string, status: number): Probe {
  const probe: Probe = {
    label: `claim document in ${village}`,
    method: 'GET',
    url: `/api/insurance/claims/${PLACEHOLDER_CASE}/documents/${PLACEHOLDER_CASE}`,
    status,
  };
  probe.prepare = async () => {
    const id = await matrixClaim(village, 'guided');
    const content = Buffer.from('%PDF-1.4 matrix');
    const doc = await t.database.db
      .insertInto('insurance_claim_documents')
      .values({
        claim_id: id,
        kind: 'death_certificate',
        file_name: 'matrix.pdf',
        mime_type: 'application/pdf',
        size_bytes: content.length,
        sha256: 'matrix',
        content,
        action_seq: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    probe.url = `/api/insurance/claims/${id}/documents/${doc.id}`;
  };
  return probe;
}

function claimReport(village: string, status: number): Probe {
  const probe: Probe = {
    label: `report a claim in ${village}`,
    method: 'POST',
    url: '/api/insurance/claims',
    body: {},
    status,
  };
  probe.prepare = async () => {
    await matrixClaim(village, 'reported'); // also names the matrix insurer on the scheme
    const p = await matrixInsured(village);
    probe.body = { idNumber: p.idNumber, coverItem: 'death_illness', eventDate: chinaToday() };
  };
  return probe;
}

function claimProbe(
  method: Method,
  path: string,
  village: string,
  status: 'reported' | 'guided' | 'received' | 'approved',
  body: unknown,
): Probe {
  const probe: Probe = {
    label: `claim ${path || 'detail'}`,
    method,
    url: `/api/insurance/claims/${PLACEHOLDER_CASE}${path ? `/${path}` : ''}`,
    ...(body !== undefined ? { body } : {}),
    status: 200,
  };
  probe.prepare = async () => {
    const id = await matrixClaim(village, status);
    probe.url = `/api/insurance/claims/${id}${path ? `/${path}` : ''}`;
  };
  return probe;
}

/** A claim step on a claim of one's own place; the other side's claim is not found. */
function claimStep(
  access: readonly Role[],
  path: string,
  status: 'reported' | 'guided' | 'received' | 'approved',
  body: unknown,
): Entry {
  return {
    access,
    mutating: true,
    own: (c) => claimProbe('POST', path, placeVillage(c), status, body),
    other: (c) => [{ ...claimProbe('POST', path, c.away!.village.code, status, body), status: 404 }],
  };
}

/** A read of insurance data: allowed in one's own region, 403 for a filter on the other county. */
/** A fund-ledger report: the payroll readers, of their own region only. */
function payrollReportRead(path: string): Entry {
  const query = `month=${chinaToday().slice(0, 7)}`;
  return {
    access: PAYROLL_READERS,
    mutating: false,
    own: () => ({ label: path, method: 'GET', url: `${path}?${query}`, status: 200 }),
    other: (c) => [
      {
        label: `${path} of the other county`,
        method: 'GET',
        url: `${path}?${query}&regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  };
}

function insuranceRead(path: string, query: string, listsPeople = false): Entry {
  return {
    access: INSURANCE_READERS,
    mutating: false,
    own: (c) => ({
      label: path,
      method: 'GET',
      url: `${path}?${query}`,
      status: 200,
      ...(listsPeople
        ? {
            prepare: async () => {
              await matrixEnrolment(c.home.village.code, 'dibao');
            },
          }
        : {}),
      check: (res) => {
        if (!listsPeople) return;
        for (const i of items(res)) expect(within(i.regionCode!, c.actor.place.code)).toBe(true);
      },
    }),
    other: (c) => [
      {
        label: `${path} of the other county`,
        method: 'GET',
        url: `${path}?${query}&regionCode=${c.away!.county.code}`,
        status: 403,
      },
    ],
  };
}

function schemeBody() {
  const year = Number(chinaToday().slice(0, 4)) + 3;
  return {
    year,
    insurer: '矩阵保险公司',
    policyNo: unique('MATRIX-'),
    periodFrom: `${year}-01-01`,
    periodTo: `${year}-12-31`,
    premiumFen: 4_000,
    kinds: ['dibao', 'tekun'],
    coverItems: [{ code: 'death_illness', name: '疾病身故', maxFen: 300_000, materials: ['death_certificate'] }],
    cityShareBp: 5_000,
  };
}

/**
 * An enrolment in a village, stored directly (the probes are about access, not about how it was
 * made). 低保 is approved by the county here; 低保边缘 is made township-level for the matrix by a
 * county version of its standard, so a township officer has a change of its own level to make.
 */
async function matrixEnrolment(
  village: string,
  kind: 'dibao' | 'dibao_edge',
  status: 'active' | 'suspended' = 'active',
): Promise<{ id: string; memberId: string }> {
  const db = t.database.db;
  if (kind === 'dibao_edge')
    await db
      .insertInto('policy_standards')
      .values({
        region_code: village.slice(0, 6),
        kind: 'dibao_edge',
        effective_month: '2025-01',
        version: 1,
        params: JSON.stringify({ ...demoPolicyParams(90_000).dibao_edge, approvalLevel: 'township' }),
        created_by: 'matrix',
      })
      .onConflict((oc) => oc.columns(['region_code', 'kind', 'version']).doNothing())
      .execute();
  const res = await admin.request('POST', '/api/households', householdBodyFor(village));
  if (res.statusCode !== 201) throw new Error(`enrolment household: ${res.statusCode} ${res.body}`);
  const h = res.json();
  const head = h.members[0];
  const [id] = await db.transaction().execute((trx) =>
    insertEnrolments(trx, [
      {
        kind,
        householdId: h.id,
        regionCode: village,
        source: 'seed',
        fromMonth: '2025-01',
        monthlyAmountFen: 50_000,
        members: [
          {
            idHash: `matrix-${head.id}`,
            memberId: head.id,
            name: head.name,
            idMasked: head.idMasked,
            relation: 'head',
          },
        ],
        approvalLevel: 'county',
        reason: 'seed',
      },
    ]),
  );
  if (status === 'suspended')
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('enrolment_changes')
        .values({
          enrolment_id: id!,
          seq: 2,
          type: 'suspended',
          effective_month: '2025-02',
          reason: 'staff',
          approval_level: 'county',
          actor_username: 'matrix',
          region_code: village,
        })
        .execute();
      await trx.updateTable('enrolments').set({ status: 'suspended' }).where('id', '=', id!).execute();
    });
  return { id: id!, memberId: head.id };
}

function householdBodyFor(village: string) {
  return {
    regionCode: village,
    address: '矩阵在册1号',
    members: [{ name: '林在册', idNumber: newId(village.slice(0, 6)), relation: 'head', hukouType: 'rural' }],
  };
}

/** A probe on a fresh enrolment in `village`, made in `prepare` (the URL is known only then). */
function enrolmentProbe(
  c: Ctx,
  method: Method,
  path: string,
  village: string,
  body: unknown,
  kind: 'dibao' | 'dibao_edge',
  status: 'active' | 'suspended' = 'active',
): Probe {
  const probe: Probe = {
    label: `enrolment ${path || 'detail'}`,
    method,
    url: `/api/enrolments/${PLACEHOLDER_CASE}${path ? `/${path}` : ''}`,
    ...(body !== undefined ? { body } : {}),
    status: 200,
  };
  probe.prepare = async () => {
    const e = await matrixEnrolment(village, kind, status);
    probe.url = `/api/enrolments/${e.id}${path ? `/${path}` : ''}`;
    if (path === 'members') probe.body = { ...(body as object), memberIds: [e.memberId] };
  };
  return probe;
}

/**
 * A change: the township changes a township-level enrolment (低保边缘 here), the county a county-level
 * one (低保); the other side's enrolment is not found.
 */
function enrolmentChange(path: string, body: unknown, status: 'active' | 'suspended' = 'active'): Entry {
  return {
    access: ENROLMENT_CHANGERS,
    mutating: true,
    own: (c) =>
      enrolmentProbe(
        c,
        'POST',
        path,
        placeVillage(c),
        body,
        c.actor.role === 'township_officer' ? 'dibao_edge' : 'dibao',
        status,
      ),
    other: (c) => [{ ...enrolmentProbe(c, 'POST', path, c.away!.village.code, body, 'dibao', status), status: 404 }],
  };
}

/** A review of a fresh enrolment in `village` at `status`, with the facts the earlier steps recorded. */
async function matrixReview(
  village: string,
  kind: 'dibao' | 'dibao_edge',
  status: 'open' | 'surveyed' | 'verified' | 'determined',
): Promise<string> {
  const db = t.database.db;
  const e = await matrixEnrolment(village, kind);
  const enc = (data: unknown) => t.app.deps.protector.encrypt(JSON.stringify(data), 'review_action.data');
  const review = await db
    .insertInto('reviews')
    .values({
      enrolment_id: e.id,
      kind,
      region_code: village,
      township_code: village.slice(0, 9),
      period: '2026-01',
      due_on: '2026-01-30',
      interval_months: 12,
      category: 'other',
      status,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const steps: { type: 'opened' | 'surveyed' | 'verified' | 'determined'; data: unknown }[] = [
    { type: 'opened', data: { source: 'schedule' } },
  ];
  if (status !== 'open')
    steps.push({
      type: 'surveyed',
      data: {
        visitedOn: '2026-01-05',
        visitors: '矩阵',
        findings: '矩阵',
        otherIncomeFen: 0,
        medicalCostsFen: 0,
        unmetAdl: 0,
      },
    });
  if (status === 'verified' || status === 'determined') {
    const report = {
      generatedAt: new Date().toISOString(),
      from: '2025-01-06',
      to: '2026-01-05',
      lines: [],
      members: 1,
      monthlyIncomeFen: 0,
      perCapitaIncomeFen: 0,
      medicalCostsFen: 0,
      assets: { passed: true, lines: [] },
      note: '',
    };
    steps.push({ type: 'verified', data: { report } });
  }
  if (status === 'determined') steps.push({ type: 'determined', data: {} });
  await db
    .insertInto('review_actions')
    .values(
      steps.map((st, i) => ({
        review_id: review.id,
        seq: i + 1,
        type: st.type,
        data_enc: enc(st.data),
        actor_username: 'matrix',
        region_code: village,
      })),
    )
    .execute();
  return review.id;
}

function reviewProbe(
  method: Method,
  path: string,
  village: string,
  body: unknown,
  kind: 'dibao' | 'dibao_edge',
  status: 'open' | 'surveyed' | 'verified' | 'determined',
): Probe {
  const probe: Probe = {
    label: `review ${path || 'detail'}`,
    method,
    url: `/api/reviews/${PLACEHOLDER_CASE}${path ? `/${path}` : ''}`,
    ...(body !== undefined ? { body } : {}),
    status: 200,
  };
  probe.prepare = async () => {
    const id = await matrixReview(village, kind, status);
    probe.url = `/api/reviews/${id}${path ? `/${path}` : ''}`;
  };
  return probe;
}

/**
 * A review step: allowed callers act on a review of their own side at the step (the decision: the
 * township on a township-level kind, 低保边缘 here, the county on 低保); the other side's is not found.
 */
function reviewStep(
  path: string,
  access: readonly Role[],
  status: 'open' | 'surveyed' | 'verified' | 'determined',
  body: unknown,
): Entry {
  return {
    access,
    mutating: true,
    own: (c) =>
      reviewProbe(
        'POST',
        path,
        placeVillage(c),
        body,
        c.actor.role === 'township_officer' ? 'dibao_edge' : 'dibao',
        status,
      ),
    other: (c) => [{ ...reviewProbe('POST', path, c.away!.village.code, body, 'dibao', status), status: 404 }],
  };
}

/** Opening a review from a signal on the person of a fresh enrolment in `village` (made in `prepare`). */
function signalActProbe(village: string): Probe {
  const probe: Probe = {
    label: 'signal act',
    method: 'POST',
    url: `/api/signals/${PLACEHOLDER_CASE}/act`,
    body: { enrolmentId: PLACEHOLDER_CASE, action: 'open_review' },
    status: 200,
  };
  probe.prepare = async () => {
    const db = t.database.db;
    const e = await matrixEnrolment(village, 'dibao');
    const rule = await db
      .selectFrom('collision_rules')
      .select(['id', 'current_version'])
      .where('code', '=', 'death.recipient')
      .executeTakeFirstOrThrow();
    const s = await db
      .insertInto('signals')
      .values({
        rule_id: rule.id,
        rule_version: rule.current_version,
        outcome: 'stop',
        dedupe_key: `matrix-act-${e.id}`,
        id_hash: `matrix-${e.memberId}`,
        member_id: e.memberId,
        region_code: village,
        detail: JSON.stringify({}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    probe.url = `/api/signals/${s.id}/act`;
    probe.body = { enrolmentId: e.id, action: 'open_review', note: '矩阵测试' };
  };
  return probe;
}

/** Case probes: a case of each side (set up before the matrix runs) and fresh cases at each step. */
const matrixCases = {} as Record<'A' | 'B', { id: string; caseNo: string; surveySeq: number }>;
/** A payment line per side (the trace's entry by payment). */
const matrixPayments = {} as Record<'A' | 'B', number>;
const caseDeps = () => ({ db: t.database.db, protector: t.app.deps.protector, config: t.config });
const PLACEHOLDER_CASE = '00000000-0000-4000-8000-000000000000';

/**
 * A step on a case: an allowed caller acts on a fresh case of its own village at the step (made
 * in `prepare`; a township approves temporary assistance within its limit, the county the rest);
 * the other side's case is not found.
 */
function caseStep(
  path: string,
  access: readonly Role[],
  at: CaseStatus,
  body: unknown,
  opts: { emergency?: boolean; noticePassed?: boolean } = {},
): Entry {
  return {
    access,
    mutating: true,
    own: (c) => {
      const probe: Probe = {
        label: `${path} at ${at}`,
        method: 'POST',
        url: `/api/cases/${PLACEHOLDER_CASE}/${path}`,
        body,
        status: 200,
      };
      if (access.includes(c.actor.role))
        probe.prepare = async () => {
          const created = await submitCase(
            caseDeps(),
            applicationInput(placeVillage(c), { emergency: opts.emergency ?? false }),
          );
          const township = c.actor.role === 'township_officer';
          await driveCase(caseDeps(), created.id, at, {
            kinds: township ? [{ kind: 'temporary', monthlyAmountFen: 0, oneOffAmountFen: 50_000 }] : undefined,
          });
          if (opts.noticePassed) await passNoticePeriod(t.database.db, created.id);
          probe.url = `/api/cases/${created.id}/${path}`;
        };
      return probe;
    },
    other: (c) => [
      {
        label: `${path} on the other side’s case`,
        method: 'POST',
        url: `/api/cases/${matrixCases[c.away!.key].id}/${path}`,
        body,
        status: 404,
      },
    ],
  };
}

/** One version in each side's county, so that a list across the line would show. */
async function plantCountyStandards() {
  for (const side of [SIDES.A, SIDES.B])
    await t.database.db
      .insertInto('policy_standards')
      .values({
        region_code: side.county.code,
        kind: 'temporary',
        effective_month: '2025-01',
        version: 1,
        params: JSON.stringify(demoPolicyParams(90_000).temporary),
        created_by: 'matrix',
      })
      .onConflict((oc) => oc.columns(['region_code', 'kind', 'version']).doNothing())
      .execute();
}
const policyBody = (regionCode: string) => ({
  kind: 'dibao',
  regionCode,
  effectiveMonth: '2031-01',
  params: demoPolicyParams(90_000).dibao,
});

/** Collision probes: a rule added in setup (switched on and off, edited), a run, and each side's lead signal. */
const collision = { ruleId: '', runId: '', signals: {} as Record<'A' | 'B', string> };
const matrixRuleBody = () => ({
  code: 'matrix.rule',
  nameZh: '矩阵测试规则',
  nameEn: 'Matrix rule',
  active: false,
  definition: { recordTypes: ['wage'], subject: 'recipient', where: [], once: 'record', outcomes: ['review'] },
});

/** Lead probes: a lead on each side's household head, with one visit carrying a photo, created in setup. */
/** Feed probes: a one-row deaths file with a fresh person and record id each time. */
function deathsFile() {
  const n = ++idSeq;
  return Buffer.from(
    `record_id,id_number,name,death_date,cause_category,death_place,hukou_region\nDTH${String(n).padStart(7, '0')},${newId('350302')},林矩阵,2025-06-01,illness,hospital,350302102\n`,
  );
}
/** A batch to read (uploaded by the city admin, who may). */
async function uploadedBatch(): Promise<string> {
  const url = '/api/feeds/upload?kind=public_security.deaths&asOf=2025-12-31';
  const res = await admin.request('POST', url, deathsFile(), { 'content-type': 'text/csv' });
  return res.json().batchId as string;
}

const leads = {} as Record<'A' | 'B', { id: string; visitId: string }>;
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
function visitBody(photos: { data: string }[] = []) {
  return { visitedAt: new Date().toISOString(), notes: '家中无人', outcome: 'unreachable', photos };
}

/** Registry probes: one household and one relative registration on each side, created in setup. */
const households = {} as Record<'A' | 'B', { id: string; headId: string; headMemberId: string }>;
const relatives = {} as Record<'A' | 'B', string>;
const imports = {} as Record<'A' | 'B', string>;

/** A one-household register file (CSV) for a village. */
function registerFile(village: string) {
  const headers = '户编号,村居代码,家庭住址,姓名,身份证号,与户主关系,户口类型';
  return Buffer.from(`${headers}\nK${++idSeq},${village},测试地址,林导入,${newId(village.slice(0, 6))},户主,农业\n`);
}
let idSeq = 100;
/** A fresh ID number: the birth day moves on every thousand numbers (the sequence has three digits). */
const newId = (county: string) => {
  const n = ++idSeq;
  return makeIdNumber(county, `1960-05-${String(1 + (Math.floor(n / 1000) % 28)).padStart(2, '0')}`, n % 1000);
};

function householdBody(village: string) {
  return {
    regionCode: village,
    address: '测试地址1号',
    members: [{ name: '林测试', idNumber: newId(village.slice(0, 6)), relation: 'head', hukouType: 'rural' }],
  };
}

function relativeBody(regionCode: string) {
  return {
    regionCode,
    staffName: unique('干部'),
    staffPosition: '村委会主任',
    relativeName: '林亲属',
    relativeIdNumber: newId('350302'),
    relation: '配偶',
  };
}

/** The village a role registers households in: its own village, or side A's village inside its region. */
function placeVillage(c: Ctx): string {
  return within(c.home.village.code, c.actor.place.code) ? c.home.village.code : c.actor.place.code;
}

/** An edit of a household at its current version, changing nothing by itself (read as admin, so it works for denied probes too). */
async function editBody(id: string) {
  const h = (await admin.request('GET', `/api/households/${id}`)).json();
  return {
    version: h.version,
    regionCode: h.regionCode,
    assistanceStatus: h.assistanceStatus,
    members: h.members.map((m: { id: string; name: string; relation: string; hukouType: string }) => ({
      id: m.id,
      name: m.name,
      relation: m.relation,
      hukouType: m.hukouType,
    })),
  };
}

function placeAtLevel(side: Side, role: Role): Place {
  const level = MATRIX_LEVEL[role];
  return level === 'county' ? side.county : level === 'township' ? side.township : side.village;
}

function isAllowed(entry: Entry, role: Role): boolean {
  if (entry.access === 'public' || entry.access === 'staff') return true;
  return entry.access.includes(role);
}

/** Fails unless the probe's URL is an instance of the route template it stands for. */
function assertMatchesRoute(route: string, probe: Probe) {
  const [method, template] = route.split(' ') as [string, string];
  const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
  expect(probe.method, `${route}: probe method`).toBe(method);
  expect(probe.url.split('?')[0], `${route}: probe URL`).toMatch(pattern);
}

/** A denial carries the error contract only, and nothing of the other side. */
function expectBareDenial(res: LightMyRequestResponse, status: number, away: Side | null, where: string) {
  expect(res.statusCode, `${where}: status (body ${res.body})`).toBe(status);
  const body = res.json();
  expect(Object.keys(body), where).toEqual(['error']);
  expect(body.error.code, where).toBe(status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'UNAUTHENTICATED');
  expect(Object.keys(body.error).sort(), where).toEqual(['code', 'message']);
  if (away) for (const s of secretsOf(away)) expect(res.body, `${where}: leaks ${s}`).not.toContain(s);
}

async function send(agent: Agent, p: Probe) {
  return agent.request(p.method, p.url, p.body, p.headers);
}

/** Runs one probe expecting a denial; the database must be exactly as before. */
async function expectDenied(agent: Agent, p: Probe, status: number, away: Side | null, where: string) {
  await p.prepare?.();
  const before = await snapshot();
  const res = await send(agent, p);
  expectBareDenial(res, status, away, where);
  expect(await snapshot(), `${where}: the request changed the database`).toEqual(before);
}

async function expectAllowed(agent: Agent, p: Probe, c: Ctx, mutating: boolean, where: string) {
  await p.prepare?.();
  const before = mutating ? await auditCount() : 0;
  const res = await send(agent, p);
  expect(res.statusCode, `${where}: status (body ${res.body.slice(0, 300)})`).toBe(p.status);
  p.check?.(res, c);
  if (mutating) expect(await auditCount(), `${where}: audit rows written`).toBe(before + 1);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');

  const create = async (username: string, role: Role, regionCode: string) => {
    // Nobody manages their own rank: a second city administrator is made from an auditor account.
    const res = await admin.request('POST', '/api/users', {
      username,
      displayName: username,
      role: role === 'city_admin' ? 'auditor' : role,
      regionCode,
      password: PASSWORD,
    });
    if (res.statusCode !== 201) throw new Error(`creating ${username}: ${res.statusCode} ${res.body}`);
    if (role === 'city_admin')
      await t.database.db.updateTable('users').set({ role }).where('username', '=', username).execute();
    return res.json().id as string;
  };

  for (const side of [SIDES.A, SIDES.B]) {
    const username = `mx.target.${side.key.toLowerCase()}`;
    targets[side.key] = { username, id: await create(username, 'grid_worker', side.village.code) };
  }
  for (const side of [SIDES.A, SIDES.B]) {
    const body = householdBody(side.village.code);
    const res = await admin.request('POST', '/api/households', body);
    if (res.statusCode !== 201) throw new Error(`household ${side.key}: ${res.statusCode} ${res.body}`);
    const h = res.json();
    households[side.key] = { id: h.id, headId: body.members[0]!.idNumber, headMemberId: h.members[0].id };
    const rel = await admin.request('POST', '/api/staff-relatives', relativeBody(side.township.code));
    relatives[side.key] = rel.json().id;
  }
  // Locked, so that an unlock which slipped through would show in the database.
  await t.database.db
    .updateTable('users')
    .set({ locked_until: new Date(Date.now() + 3_600_000), failed_logins: 0 })
    .where('username', 'like', 'mx.target.%')
    .execute();

  for (const role of ROLES) {
    const level = MATRIX_LEVEL[role];
    const sides: (Side | null)[] = level === 'city' ? [null] : [SIDES.A, SIDES.B];
    for (const side of sides) {
      const place = side ? placeAtLevel(side, role) : CITY;
      const username = `mx.${role}.${side ? side.key.toLowerCase() : 'city'}`;
      const id = await create(username, role, place.code);
      actors.push({ role, side, place, username, id, agent: await t.login(username, PASSWORD) });
    }
  }

  for (const side of [SIDES.A, SIDES.B]) {
    const township = actors.find((a) => a.role === 'township_officer' && a.side === side)!;
    const res = await township.agent.request(
      'POST',
      '/api/households/import?dryRun=true',
      registerFile(side.village.code),
      {
        'content-type': 'text/csv',
      },
    );
    imports[side.key] = res.json().importId;
  }

  for (const side of [SIDES.A, SIDES.B])
    await plantLeadSignal(t.database.db, {
      householdId: households[side.key].id,
      memberId: households[side.key].headMemberId,
    });
  await dispatchNewLeads({ db: t.database.db, config: t.config });
  for (const side of [SIDES.A, SIDES.B]) {
    const signal = await t.database.db
      .selectFrom('signals')
      .select('id')
      .where('household_id', '=', households[side.key].id)
      .executeTakeFirstOrThrow();
    collision.signals[side.key] = signal.id;
  }
  collision.ruleId = (await admin.request('POST', '/api/collision/rules', matrixRuleBody())).json().id;
  collision.runId = (await admin.request('POST', '/api/collision/runs', {})).json().runId;
  for (const side of [SIDES.A, SIDES.B]) {
    const lead = await t.database.db
      .selectFrom('leads')
      .select('id')
      .where('household_id', '=', households[side.key].id)
      .executeTakeFirstOrThrow();
    const res = await admin.request('POST', `/api/leads/${lead.id}/visits`, visitBody([{ data: PNG_1X1 }]));
    if (res.statusCode !== 201) throw new Error(`lead visit ${side.key}: ${res.statusCode} ${res.body}`);
    leads[side.key] = { id: lead.id, visitId: res.json().visits[0].id };
  }

  for (const side of [SIDES.A, SIDES.B]) {
    const created = await submitCase(caseDeps(), applicationInput(side.village.code));
    const surveyed = await driveCase(caseDeps(), created.id, 'verifying', { photos: [PNG_1X1] });
    const surveySeq = surveyed.actions.find((a) => a.action === 'record_survey')!.seq;
    matrixCases[side.key] = { id: created.id, caseNo: created.caseNo, surveySeq };
  }
  for (const side of [SIDES.A, SIDES.B]) matrixPayments[side.key] = await matrixPaymentLine(side);
  for (const side of [SIDES.A, SIDES.B])
    sideFixtures[side.key] = {
      referralHousehold: (await matrixReferral(side.village.code)).householdId,
      visitedHousehold: await matrixVisitedHousehold(side.village.code),
    };

  const doc = (await t.anonymous.request('GET', '/api/openapi.json')).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
  routes = Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.keys(item)
      .filter((m) => methods.includes(m))
      .map((m) => `${m.toUpperCase()} ${p}`),
  );
});
afterAll(() => t?.close());

describe('permission matrix', () => {
  it('has an entry for every route of the OpenAPI document, and none for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !(r in MATRIX)).map((r) => `route ${r} has no matrix entry`)).toEqual([]);
    expect(
      Object.keys(MATRIX)
        .filter((r) => !routes.includes(r))
        .map((r) => `matrix entry ${r} matches no route`),
    ).toEqual([]);
  });

  it('aims at another region’s ids on every route with an id, but for the city-wide ones named here', () => {
    const missing = routes.filter((r) => {
      const entry = MATRIX[r];
      return r.includes('{') && entry && entry.access !== 'public' && !entry.other && !(r in CITY_WIDE_IDS);
    });
    expect(missing.map((r) => `route ${r} has an id but no probe of the other region`)).toEqual([]);
    const stale = Object.keys(CITY_WIDE_IDS).filter((r) => !routes.includes(r) || MATRIX[r]?.access === 'public');
    expect(stale).toEqual([]);
  });

  it('agrees with the shared role tables', () => {
    expect([...USER_MANAGER_ROLES].sort()).toEqual([...MANAGERS].sort());
    for (const role of ROLES) expect(ROLE_LEVELS[role], role).toContain(MATRIX_LEVEL[role]);
  });

  it('answers 401 to an anonymous caller on every non-public route, and writes nothing', async () => {
    const failures: string[] = [];
    const ctx = ctxOf(actors.find((a) => a.role === 'city_admin')!);
    for (const route of routes) {
      const entry = MATRIX[route];
      if (!entry || entry.access === 'public') continue;
      const probe = entry.own(ctx);
      try {
        assertMatchesRoute(route, probe);
        await expectDenied(t.anonymous, probe, 401, null, `${route} anonymous`);
      } catch (err) {
        failures.push((err as Error).message.split('\n')[0]!);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('lets anyone call the public routes', async () => {
    const ctx = ctxOf(actors.find((a) => a.role === 'city_admin')!);
    for (const route of routes) {
      const entry = MATRIX[route];
      if (entry?.access !== 'public') continue;
      const probe = entry.anonymous(ctx);
      assertMatchesRoute(route, probe);
      expect((await send(t.anonymous, probe)).statusCode, route).toBe(probe.status);
    }
  });

  const cases = ROLES.flatMap((role) =>
    MATRIX_LEVEL[role] === 'city'
      ? [{ role, side: null as 'A' | 'B' | null, where: '莆田市 (no other region at city level)' }]
      : [
          { role, side: 'A' as const, where: 'side A vs side B' },
          { role, side: 'B' as const, where: 'side B vs side A' },
        ],
  );

  for (const { role, side, where } of cases)
    it(`${role}, ${where}`, async () => {
      const actor = actors.find((a) => a.role === role && (a.side?.key ?? null) === side)!;
      const c = ctxOf(actor);
      const failures: string[] = [];
      for (const route of routes) {
        const entry = MATRIX[route];
        if (!entry || entry.access === 'public') continue;
        const allowed = isAllowed(entry, role);
        const probes: [Probe, 'own' | 'other'][] = [[entry.own(c), 'own']];
        if (entry.other && c.away) for (const p of entry.other(c)) probes.push([p, 'other']);
        for (const [probe, aim] of probes) {
          const label = `${route} [${aim}: ${probe.label}]`;
          try {
            assertMatchesRoute(route, probe);
            if (!allowed) await expectDenied(actor.agent, probe, 403, c.away, label);
            else if (aim === 'own') await expectAllowed(actor.agent, probe, c, entry.mutating, label);
            else if (probe.status >= 400) await expectDenied(actor.agent, probe, probe.status, c.away, label);
            else {
              // Allowed and answered (a list, a search): nothing written, nothing of the other side in it.
              const before = await snapshot();
              await expectAllowed(actor.agent, probe, c, false, label);
              expect(await snapshot(), `${label}: the request changed the database`).toEqual(before);
            }
          } catch (err) {
            const message = (err as Error).message.split('\n')[0]!;
            failures.push(message.startsWith(label) ? message : `${label}: ${message}`);
          }
        }
      }
      expect(failures).toEqual([]);
      // One identity walks every route (about 200 probes, each with its snapshot): a minute on a loaded machine.
    }, 300_000);

  it('lingchuan (灵川镇) can never see or change anything of 萩芦镇, qiulu’s township', async () => {
    const lingchuan = await t.login('lingchuan');
    const qiulu = await t.database.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'qiulu')
      .executeTakeFirstOrThrow();
    const villages = items(await admin.request('GET', '/api/regions/350303105/children'));
    expect(villages.length).toBeGreaterThan(10);
    const B = SIDES.B;
    const secret = [B.township.code, B.township.name, 'qiulu', qiulu.id, ...villages.flatMap((v) => [v.code!])];
    const noLeak = (res: LightMyRequestResponse, what: string) => {
      for (const s of secret) expect(res.body, `${what} leaks ${s}`).not.toContain(s);
    };
    const before = await snapshot();

    // The township, its county and each of its villages: 403, children too.
    for (const code of [B.township.code, B.county.code, ...villages.map((v) => v.code!)]) {
      for (const url of [`/api/regions/${code}`, `/api/regions/${code}/children`]) {
        const res = await lingchuan.request('GET', url);
        expect(res.statusCode, url).toBe(403);
        noLeak(res, url);
      }
    }
    // Searching by any of its names finds nothing.
    for (const q of [B.township.search, B.county.search, ...villages.map((v) => v.name!.slice(0, 2))]) {
      const res = await lingchuan.request('GET', `/api/regions/search?q=${encodeURIComponent(q)}&limit=100`);
      expect(res.statusCode).toBe(200);
      for (const i of items(res)) expect(within(i.code!, '350302102'), `search ${q} found ${i.code}`).toBe(true);
      noLeak(res, `search ${q}`);
    }
    // qiulu is invisible: not listed, not found, not changeable.
    for (const url of [
      '/api/users?pageSize=200',
      '/api/users?q=qiulu',
      `/api/users?regionCode=${B.township.code}`,
      `/api/users?regionCode=${B.county.code}`,
    ]) {
      const res = await lingchuan.request('GET', url);
      expect(res.statusCode, url).toBe(200);
      expect(res.json().items.map((u: { username: string }) => u.username)).not.toContain('qiulu');
      noLeak(res, url);
    }
    const attempts: [Method, string, unknown, number][] = [
      ['GET', `/api/users/${qiulu.id}`, undefined, 404],
      ['PATCH', `/api/users/${qiulu.id}`, { displayName: '被改名', active: false }, 404],
      ['PATCH', `/api/users/${qiulu.id}`, { role: 'grid_worker', regionCode: '350302102201' }, 404],
      ['POST', `/api/users/${qiulu.id}/password`, { newPassword: 'taken-over-1' }, 404],
      ['POST', `/api/users/${qiulu.id}/unlock`, undefined, 404],
      [
        'POST',
        '/api/users',
        {
          username: 'lc.intruder',
          displayName: '越权',
          role: 'township_officer',
          regionCode: B.township.code,
          password: PASSWORD,
        },
        403,
      ],
      [
        'POST',
        '/api/users',
        {
          username: 'lc.intruder',
          displayName: '越权',
          role: 'grid_worker',
          regionCode: villages[0]!.code,
          password: PASSWORD,
        },
        403,
      ],
      ['PATCH', `/api/users/${targets.A.id}`, { regionCode: villages[1]!.code }, 403],
      ['GET', '/api/audit?pageSize=200', undefined, 403],
    ];
    for (const [method, url, body, status] of attempts) {
      const res = await lingchuan.request(method, url, body);
      expectBareDenial(res, status, null, `${method} ${url}`);
      noLeak(res, `${method} ${url}`);
    }
    expect(await snapshot()).toEqual(before);
    // qiulu still works as before.
    const q = await t.login('qiulu');
    expect((await q.request('GET', '/api/auth/me')).json().user).toMatchObject({
      username: 'qiulu',
      displayName: qiulu.display_name,
      regionCode: B.township.code,
    });
    // And the other way round.
    const lingchuanId = (
      await t.database.db.selectFrom('users').select('id').where('username', '=', 'lingchuan').executeTakeFirstOrThrow()
    ).id;
    expect((await q.request('GET', `/api/users/${lingchuanId}`)).statusCode).toBe(404);
    expect((await q.request('GET', '/api/regions/350302102')).statusCode).toBe(403);
  });
});

// Hardening (issue 11): nobody manages an account of their own rank, so no peer can take over a peer.
describe('peers', () => {
  it('a city admin, a county officer and a township officer cannot create, change, reset, unlock or deactivate a peer', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const role of ['city_admin', 'county_officer', 'township_officer'] as const) {
      const [me, peer] = actors.filter((a) => a.role === role);
      const self = me!;
      // At city level there is one actor: the demo admin is its peer.
      const other = peer ?? {
        id: (
          await t.database.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
        ).id,
      };
      const samePlace = self.place.code;
      const peerInRegion = await t.database.db
        .insertInto('users')
        .values({
          username: `mx.peer.${role}`,
          display_name: 'peer',
          role,
          region_code: samePlace,
          password_hash: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const attempts: [Method, string, unknown, number[]][] = [
        [
          'POST',
          '/api/users',
          {
            username: `mx.new.${role.replace('_', '')}`,
            displayName: '同级',
            role,
            regionCode: samePlace,
            password: PASSWORD,
          },
          [400],
        ],
        ['PATCH', `/api/users/${peerInRegion.id}`, { displayName: '被改名' }, [403]],
        ['PATCH', `/api/users/${peerInRegion.id}`, { active: false }, [403]],
        ['POST', `/api/users/${peerInRegion.id}/password`, { newPassword: 'Taken-Over-Peer-9931' }, [403]],
        ['POST', `/api/users/${peerInRegion.id}/unlock`, undefined, [403]],
        ['POST', `/api/users/${other.id}/password`, { newPassword: 'Taken-Over-Peer-9931' }, [403, 404]],
        ['PATCH', `/api/users/${self.id}`, { active: false }, [409]],
      ];
      for (const [method, url, body, statuses] of attempts) {
        const res = await self.agent.request(method, url, body);
        if (!statuses.includes(res.statusCode))
          failures.push(`${role} ${method} ${url}: ${res.statusCode} ${res.body}`);
      }
      await t.database.db.deleteFrom('users').where('id', '=', peerInRegion.id).execute();
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('no manager makes a peer or a superior of a subordinate, manages their own account, or touches a higher rank', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const adminId = (
      await t.database.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
    ).id;
    /** For each manager: the role and place of an account just below it. */
    const below = {
      city_admin: { role: 'county_officer', place: SIDES.A.county },
      county_officer: { role: 'township_officer', place: SIDES.A.township },
      township_officer: { role: 'grid_worker', place: SIDES.A.village },
    } as const;
    for (const role of ['city_admin', 'county_officer', 'township_officer'] as const) {
      const self = actors.find((a) => a.role === role && (a.side === null || a.side === SIDES.A))!;
      const sub = below[role];
      const subordinate = await t.database.db
        .insertInto('users')
        .values({
          username: `mx.sub.${role}`,
          display_name: 'subordinate',
          role: sub.role,
          region_code: sub.place.code,
          password_hash: 'x',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // An account above: the county officer of the township's own county; the city's admin above a county.
      const above =
        role === 'township_officer'
          ? actors.find((a) => a.role === 'county_officer' && a.side === SIDES.A)!.id
          : role === 'county_officer'
            ? adminId
            : null;
      // The subordinate is in reach: the refusals below are the rank rule, not the region scope.
      const seen = await self.agent.request('GET', `/api/users/${subordinate.id}`);
      if (seen.statusCode !== 200) failures.push(`${role} cannot see its subordinate: ${seen.statusCode}`);
      const attempts: [Method, string, unknown, number[]][] = [
        // Promoting a subordinate to one's own rank (or above) would make a peer.
        ['PATCH', `/api/users/${subordinate.id}`, { role, regionCode: self.place.code }, [400]],
        ['PATCH', `/api/users/${subordinate.id}`, { role }, [400]],
        ['PATCH', `/api/users/${subordinate.id}`, { role: 'city_admin', regionCode: CITY.code }, [400, 403]],
        [
          'POST',
          '/api/users',
          { username: 'mx.up.x', displayName: '上级', role: 'city_admin', regionCode: CITY.code, password: PASSWORD },
          [400, 403],
        ],
        // One's own account is not managed through the account routes either.
        ['POST', `/api/users/${self.id}/password`, { newPassword: 'Taken-Over-Self-9931' }, [403]],
        ['POST', `/api/users/${self.id}/unlock`, undefined, [403]],
        ['PATCH', `/api/users/${self.id}`, { role: 'grid_worker' }, [409]],
        ['PATCH', `/api/users/${self.id}`, { regionCode: sub.place.code }, [409]],
      ];
      if (above)
        attempts.push(
          ['PATCH', `/api/users/${above}`, { displayName: '被改名' }, [403, 404]],
          ['PATCH', `/api/users/${above}`, { active: false }, [403, 404]],
          ['POST', `/api/users/${above}/password`, { newPassword: 'Taken-Over-Boss-9931' }, [403, 404]],
          ['POST', `/api/users/${above}/unlock`, undefined, [403, 404]],
        );
      for (const [method, url, body, statuses] of attempts) {
        const res = await self.agent.request(method, url, body);
        if (!statuses.includes(res.statusCode))
          failures.push(`${role} ${method} ${url} ${JSON.stringify(body)}: ${res.statusCode} ${res.body}`);
      }
      const after = await t.database.db
        .selectFrom('users')
        .select(['role', 'region_code'])
        .where('id', '=', subordinate.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ role: sub.role, region_code: sub.place.code });
      await t.database.db.deleteFrom('users').where('id', '=', subordinate.id).execute();
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

/** A payment line of an approved payroll for the side's registered household (the trace's entry by payment). */
async function matrixPaymentLine(side: Side): Promise<number> {
  const db = t.database.db;
  const enrolment = await matrixEnrolment(side.village.code, 'dibao');
  const p = await db
    .insertInto('payrolls')
    .values({ month: matrixMonth(), region_code: side.county.code, created_by: 'matrix' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const line = await db
    .insertInto('payroll_lines')
    .values({
      payroll_id: p.id,
      enrolment_id: enrolment.id,
      month: matrixMonth(),
      line_type: 'regular',
      kind: 'dibao',
      region_code: side.village.code,
      household_id: households[side.key].id,
      amount_fen: 100,
      central_fen: 100,
      provincial_fen: 0,
      city_fen: 0,
      county_fen: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('payrolls').set({ status: 'approved' }).where('id', '=', p.id).execute();
  return Number(line.id);
}

/** A citizen's claim report (报案) kept for the staff of `regionCode` to follow up (no claim). */
async function matrixClaimReport(regionCode: string): Promise<void> {
  const p = t.app.deps.protector;
  await t.database.db
    .insertInto('citizen_claim_reports')
    .values({
      report_no: `BA${regionCode}${++idSeq}`,
      reporter_name_enc: p.encrypt('矩阵报案人', 'claim_report.reporter_name'),
      reporter_phone_enc: p.encrypt('13800138005', 'claim_report.reporter_phone'),
      reporter_phone_hash: 'matrix',
      relation: 'child',
      insured_name_enc: p.encrypt('矩阵', 'claim_report.insured_name'),
      id_hash: `matrix-${idSeq}`,
      id_masked: '3503**********0000',
      event_date: '2026-01-05',
      event_kind: 'death_illness',
      description_enc: p.encrypt('矩阵测试', 'claim_report.description'),
      region_code: regionCode,
    })
    .execute();
}
