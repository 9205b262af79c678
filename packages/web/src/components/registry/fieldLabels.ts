import {
  AssetTypes,
  AssistanceStatus,
  DisabilityType,
  HukouType,
  IncomeTypes,
  Relation,
  SchoolStatus,
  SelfCare,
  WorkAbility,
  type Adl,
} from '@jiuzhu/shared';
import { splitFieldPath } from '../../api/errors';
import type { MessageKey, Translate } from '../../i18n';
import { formatYuan } from '../../lib/format';

/** The six daily-living indicators in the order the forms show them. */
export const ADL_KEYS = [
  'eating',
  'dressing',
  'transfer',
  'toileting',
  'walking',
  'bathing',
] as const satisfies readonly (keyof Adl)[];

export const ALL_ADL_MET: Adl = {
  eating: true,
  dressing: true,
  transfer: true,
  toileting: true,
  walking: true,
  bathing: true,
};

const FIELD_KEYS: Record<string, MessageKey> = {
  householdNo: 'households.field.householdNo',
  regionCode: 'households.field.village',
  address: 'households.field.address',
  assistanceStatus: 'households.field.status',
  members: 'households.section.members',
  member: 'history.field.member',
  name: 'member.field.name',
  idNumber: 'member.field.idNumber',
  idMasked: 'member.field.idNumber',
  sex: 'member.field.sex',
  birthDate: 'member.field.birthDate',
  relation: 'member.field.relation',
  hukouType: 'member.field.hukouType',
  phone: 'member.field.phone',
  phoneMasked: 'member.field.phone',
  bankAccount: 'member.field.bankAccount',
  bankAccountMasked: 'member.field.bankAccount',
  bankName: 'member.field.bankName',
  disability: 'member.field.disability',
  'disability.type': 'member.field.disabilityType',
  disabilityType: 'member.field.disabilityType',
  'disability.grade': 'member.field.disabilityGrade',
  disabilityGrade: 'member.field.disabilityGrade',
  'disability.certificateNo': 'member.field.certificateNo',
  disabilityCertificate: 'member.field.certificateNo',
  seriousIllness: 'member.field.seriousIllness',
  workAbility: 'member.field.workAbility',
  adl: 'member.field.adl',
  selfCare: 'member.field.selfCare',
  schoolStatus: 'member.field.schoolStatus',
  income: 'member.field.income',
  assets: 'member.field.assets',
};

const includes = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

/** `wage` of `income` → 工资性收入. */
function amountTypeLabel(record: 'income' | 'assets', type: string, t: Translate): string {
  if (record === 'income' && includes(IncomeTypes, type)) return t(`registry.income.${type}`);
  if (record === 'assets' && includes(AssetTypes, type)) return t(`registry.assets.${type}`);
  return type;
}

/** A field path of the API (`disability.grade`, `income.wage`) in words; unknown paths as they are. */
export function fieldLabel(path: string, t: Translate): string {
  const segments = splitFieldPath(path).map(String);
  const [head, sub] = segments;
  if (segments.length === 2 && head === 'adl' && includes(ADL_KEYS, sub))
    return `${t('member.field.adl')} · ${t(`registry.adl.${sub}`)}`;
  if (segments.length === 2 && (head === 'income' || head === 'assets') && sub)
    return `${t(`member.field.${head}`)} · ${amountTypeLabel(head, sub, t)}`;
  const key = FIELD_KEYS[segments.join('.')];
  return key ? t(key) : path;
}

/**
 * A server field path of a household form (`members.2.idNumber`) as a clerk reads it:
 * 第 3 位成员 · 身份证号.
 */
export function describeFieldPath(path: string, t: Translate): string {
  const segments = splitFieldPath(path);
  if (segments[0] === 'members' && typeof segments[1] === 'number') {
    const member = t('households.form.memberN', { n: segments[1] + 1 });
    const rest = segments.slice(2).join('.');
    return rest ? `${member} · ${fieldLabel(rest, t)}` : member;
  }
  return fieldLabel(segments.join('.'), t);
}

/** A value from the change history (already masked by the server) in words. */
export function formatFieldValue(path: string, value: unknown, t: Translate): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  const segments = splitFieldPath(path).map(String);
  const leaf = segments.join('.');
  if ((segments[0] === 'income' || segments[0] === 'assets') && typeof value === 'number')
    return t('common.yuan', { amount: formatYuan(value) });
  // A whole income or assets record: { wage: 150000, pension: 30000 } in fen.
  if ((leaf === 'income' || leaf === 'assets') && typeof value === 'object' && !Array.isArray(value)) {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter((e): e is [string, number] => typeof e[1] === 'number')
      .map(([k, fen]) => `${amountTypeLabel(leaf, k, t)} ${t('common.yuan', { amount: formatYuan(fen) })}`);
    return parts.length > 0 ? parts.join(t('common.listSeparator')) : '—';
  }
  if (Array.isArray(value)) return value.map((v) => formatFieldValue(path, v, t)).join(t('common.listSeparator'));
  if (leaf === 'relation' && includes(Relation.options, value)) return t(`registry.relation.${value}`);
  if (leaf === 'hukouType' && includes(HukouType.options, value)) return t(`registry.hukou.${value}`);
  if (leaf === 'workAbility' && includes(WorkAbility.options, value)) return t(`registry.workAbility.${value}`);
  if (leaf === 'selfCare' && includes(SelfCare.options, value)) return t(`registry.selfCare.${value}`);
  if (leaf === 'schoolStatus' && includes(SchoolStatus.options, value)) return t(`registry.school.${value}`);
  if (leaf === 'assistanceStatus' && includes(AssistanceStatus.options, value)) return t(`registry.status.${value}`);
  if ((leaf === 'disability.type' || leaf === 'disabilityType') && includes(DisabilityType.options, value))
    return t(`registry.disability.${value}`);
  if ((leaf === 'disability.grade' || leaf === 'disabilityGrade') && typeof value === 'number')
    return gradeLabel(value, t);
  if (leaf === 'sex' && (value === 'male' || value === 'female')) return t(`registry.sex.${value}`);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

const GRADE_KEYS = [
  'registry.grade.1',
  'registry.grade.2',
  'registry.grade.3',
  'registry.grade.4',
] as const satisfies readonly MessageKey[];

/** Disability grade 1–4 as 一级…四级. */
export function gradeLabel(grade: number, t: Translate): string {
  const key = GRADE_KEYS[grade - 1];
  return key ? t(key) : String(grade);
}

/** Sum of a member's monthly income by type, integer fen. */
export function totalFen(amounts: Partial<Record<string, number | undefined>>): number {
  return Object.values(amounts).reduce<number>((sum, v) => sum + (v ?? 0), 0);
}
