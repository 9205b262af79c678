import { parseYuan, type AssistanceKind } from '@jiuzhu/shared';
import type { MessageKey, Translate } from '../../../i18n';
import { fenToYuan, formatYuan } from '../../../lib/format';

/**
 * How each parameter of a standard is shown and edited. The API stores money in fen,
 * multipliers in per-mille and deadlines in working days; the page shows and takes yuan,
 * "×1.3" and "个工作日". One list per kind, in the order of the zod schemas.
 */
export type ParamType =
  | 'fen'
  | 'fenOrNone'
  | 'perMille'
  | 'multiple'
  | 'months'
  | 'days'
  | 'workdays'
  | 'count'
  | 'age'
  | 'percent'
  | 'bool'
  | 'approval'
  | 'vehicleTypes';

export type ParamGroup = 'standard' | 'supplements' | 'assets' | 'process' | 'deadlines';

export interface ParamField {
  /** Path inside `params` (`['supplements', 'elderlyFen']`). */
  path: string[];
  type: ParamType;
  group: ParamGroup;
  label: MessageKey;
}

const f = (path: string, type: ParamType, group: ParamGroup, label: MessageKey): ParamField => ({
  path: path.split('.'),
  type,
  group,
  label,
});

const ASSETS: ParamField[] = [
  f('assets.savingsPerPersonFen', 'fen', 'assets', 'policy.param.assets.savingsPerPersonFen'),
  f('assets.vehiclesAllowed', 'count', 'assets', 'policy.param.assets.vehiclesAllowed'),
  f('assets.exemptVehicleTypes', 'vehicleTypes', 'assets', 'policy.param.assets.exemptVehicleTypes'),
  f('assets.propertiesAllowed', 'count', 'assets', 'policy.param.assets.propertiesAllowed'),
  f('assets.businessAllowed', 'bool', 'assets', 'policy.param.assets.businessAllowed'),
];
const NOTICE = f('noticeDays', 'days', 'process', 'policy.param.noticeDays');
const APPROVAL = f('approvalLevel', 'approval', 'process', 'policy.param.approvalLevel');

export const PARAM_FIELDS: Record<AssistanceKind, ParamField[]> = {
  dibao: [
    f('standardFen', 'fen', 'standard', 'policy.param.standardFen'),
    f('floorPerPersonFen', 'fenOrNone', 'standard', 'policy.param.floorPerPersonFen'),
    f('deductMedicalCosts', 'bool', 'standard', 'policy.param.deductMedicalCosts'),
    f('supplements.elderlyAge', 'age', 'supplements', 'policy.param.supplements.elderlyAge'),
    f('supplements.elderlyFen', 'fen', 'supplements', 'policy.param.supplements.elderlyFen'),
    f('supplements.minorFen', 'fen', 'supplements', 'policy.param.supplements.minorFen'),
    f('supplements.severeDisabilityFen', 'fen', 'supplements', 'policy.param.supplements.severeDisabilityFen'),
    f('supplements.seriousIllnessFen', 'fen', 'supplements', 'policy.param.supplements.seriousIllnessFen'),
    ...ASSETS,
    f('gradualExitMonths', 'months', 'process', 'policy.param.gradualExitMonths'),
    NOTICE,
    APPROVAL,
    f('deadlines.surveyStart', 'workdays', 'deadlines', 'policy.param.deadlines.surveyStart'),
    f('deadlines.verificationStart', 'workdays', 'deadlines', 'policy.param.deadlines.verificationStart'),
    f('deadlines.countyDecision', 'workdays', 'deadlines', 'policy.param.deadlines.countyDecision'),
    f('deadlines.refusalNotice', 'workdays', 'deadlines', 'policy.param.deadlines.refusalNotice'),
    f('deadlines.total', 'workdays', 'deadlines', 'policy.param.deadlines.total'),
    f('deadlines.totalDelegated', 'workdays', 'deadlines', 'policy.param.deadlines.totalDelegated'),
    f('deadlines.totalExtended', 'workdays', 'deadlines', 'policy.param.deadlines.totalExtended'),
    f('reviewMonths.unableToWork', 'months', 'process', 'policy.param.reviewMonths.unableToWork'),
    f('reviewMonths.other', 'months', 'process', 'policy.param.reviewMonths.other'),
  ],
  tekun: [
    f('basicLivingPerMille', 'perMille', 'standard', 'policy.param.basicLivingPerMille'),
    f('careFen.self', 'fen', 'standard', 'policy.param.careFen.self'),
    f('careFen.partial', 'fen', 'standard', 'policy.param.careFen.partial'),
    f('careFen.complete', 'fen', 'standard', 'policy.param.careFen.complete'),
    ...ASSETS,
    NOTICE,
    APPROVAL,
    f('countyRecheckPercent', 'percent', 'process', 'policy.param.countyRecheckPercent'),
    f('deadlines.survey', 'workdays', 'deadlines', 'policy.param.deadlines.survey'),
    f('deadlines.countyDecision', 'workdays', 'deadlines', 'policy.param.deadlines.countyDecision'),
    f('reviewMonths', 'months', 'process', 'policy.param.reviewMonths'),
  ],
  dibao_edge: [
    f('incomePerMille', 'perMille', 'standard', 'policy.param.incomePerMille'),
    f('monthlyCashFen', 'fen', 'standard', 'policy.param.monthlyCashFen'),
    ...ASSETS,
    NOTICE,
    APPROVAL,
    f('reviewMonths', 'months', 'process', 'policy.param.reviewMonths'),
  ],
  temporary: [
    f('maxMultiple', 'multiple', 'standard', 'policy.param.maxMultiple'),
    f('specialHardshipMultiple', 'multiple', 'standard', 'policy.param.specialHardshipMultiple'),
    f('townshipLimitFen', 'fen', 'standard', 'policy.param.townshipLimitFen'),
    f('spendingIncomeLinePerCapitaYearFen', 'fen', 'standard', 'policy.param.spendingIncomeLinePerCapitaYearFen'),
    f('emergencyPaperworkDays', 'workdays', 'deadlines', 'policy.param.emergencyPaperworkDays'),
  ],
};

export const PARAM_GROUPS: { group: ParamGroup; title: MessageKey }[] = [
  { group: 'standard', title: 'policy.group.standard' },
  { group: 'supplements', title: 'policy.group.supplements' },
  { group: 'assets', title: 'policy.group.assets' },
  { group: 'process', title: 'policy.group.process' },
  { group: 'deadlines', title: 'policy.group.deadlines' },
];

const KNOWN_VEHICLES: Record<string, MessageKey> = {
  motorcycle: 'policy.vehicle.motorcycle',
  disability_vehicle: 'policy.vehicle.disability_vehicle',
  agricultural: 'policy.vehicle.agricultural',
};
export const VEHICLE_TYPES = Object.keys(KNOWN_VEHICLES);
export const vehicleLabel = (t: Translate, type: string) => (KNOWN_VEHICLES[type] ? t(KNOWN_VEHICLES[type]) : type);

export function getIn(obj: unknown, path: readonly (string | number)[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function setIn(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = obj;
  path.slice(0, -1).forEach((p) => {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  });
  const last = path[path.length - 1];
  if (last !== undefined) cur[last] = value;
}

/** 1300 → '1.3'; per-mille shown as a multiplier without trailing zeros. */
export function perMilleText(perMille: number): string {
  const whole = Math.floor(perMille / 1000);
  const frac = String(perMille % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** '1.3' → 1300, in integer arithmetic; null unless a non-negative number with at most three decimals. */
export function parsePerMille(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{0,3}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

/** A parameter as text for the page (`900.00 元`, `×1.3`, `3 个工作日`). */
export function formatParam(t: Translate, type: ParamType, value: unknown): string {
  if (value === undefined) return '—';
  const n = typeof value === 'number' ? value : NaN;
  switch (type) {
    case 'fen':
      return t('common.yuan', { amount: formatYuan(n) });
    case 'fenOrNone':
      return value === null ? t('policy.value.none') : t('common.yuan', { amount: formatYuan(n) });
    case 'perMille':
      return t('policy.value.multiplier', { value: perMilleText(n) });
    case 'multiple':
      return t('policy.value.multiple', { value: n });
    case 'months':
      return t('policy.value.months', { value: n });
    case 'days':
      return t('policy.value.days', { value: n });
    case 'workdays':
      return t('policy.value.workdays', { value: n });
    case 'count':
      return t('policy.value.count', { value: n });
    case 'age':
      return t('policy.value.age', { value: n });
    case 'percent':
      return `${n}%`;
    case 'bool':
      return t(value ? 'common.yes' : 'common.no');
    case 'approval':
      return value === 'township' || value === 'county' ? t(`policy.approval.${value}`) : String(value);
    case 'vehicleTypes':
      return Array.isArray(value) && value.length > 0
        ? value.map((v) => vehicleLabel(t, String(v))).join(t('common.listSeparator'))
        : t('policy.value.none');
  }
}

/** Form values hold money and multipliers as text (yuan, '1.3'); everything else as the API has it. */
export type ParamValues = Record<string, unknown>;

/** API params → form values. */
export function toFormParams(kind: AssistanceKind, params: Record<string, unknown>): ParamValues {
  const out: ParamValues = {};
  for (const field of PARAM_FIELDS[kind]) {
    const v = getIn(params, field.path);
    let formValue: unknown = v;
    if (field.type === 'fen' || field.type === 'fenOrNone') formValue = typeof v === 'number' ? fenToYuan(v) : '';
    else if (field.type === 'perMille') formValue = typeof v === 'number' ? perMilleText(v) : '';
    setIn(out, field.path, formValue);
  }
  return out;
}

/**
 * Form values → API params. Text that is not a valid amount becomes `null`, so the server's
 * validation names the field.
 */
export function fromFormParams(kind: AssistanceKind, values: ParamValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of PARAM_FIELDS[kind]) {
    const v = getIn(values, field.path);
    let apiValue: unknown = v;
    if (field.type === 'fen' || field.type === 'fenOrNone') {
      const text = typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
      apiValue = text === '' && field.type === 'fenOrNone' ? null : parseYuan(text);
    } else if (field.type === 'perMille') {
      apiValue = parsePerMille(typeof v === 'string' ? v : String(v ?? ''));
    } else if (field.type === 'bool') {
      apiValue = v === true;
    } else if (field.type === 'vehicleTypes') {
      apiValue = Array.isArray(v) ? v : [];
    } else if (v === undefined) {
      apiValue = null;
    }
    setIn(out, field.path, apiValue);
  }
  return out;
}

/** The form item (under `params`) that shows a server error at `segments` inside params. */
export function fieldForPath(kind: AssistanceKind, segments: readonly (string | number)[]): ParamField | undefined {
  return PARAM_FIELDS[kind].find((field) => field.path.every((p, i) => segments[i] === p));
}
