import {
  AssetTypes,
  IncomeTypes,
  type Adl,
  type AssistanceStatus,
  type Household,
  type HouseholdInput,
  type Member,
  type MemberInput,
  type Relation,
} from '@jiuzhu/shared';
import { fenToYuan, yuanToFen } from '../../../lib/format';
import { ALL_ADL_MET, ADL_KEYS } from '../../../components/registry/fieldLabels';
import { idNumberToSend } from '../../../components/registry/idNumberRules';
import type { ExistingMemberUpdate, HouseholdUpdateBody, MemberUpdate, NewMemberUpdate } from './types';

export type IncomeType = (typeof IncomeTypes)[number];
export type AssetType = (typeof AssetTypes)[number];
type Disability = NonNullable<MemberInput['disability']>;

/** What the form knows of a member already in the household; kept in the form store, not shown as fields. */
export interface ExistingMember {
  id: string;
  idMasked: string;
  sex: Member['sex'];
  birthDate: string;
  phoneMasked: string | null;
  bankAccountMasked: string | null;
  /** A disability record exists, so its certificate number is stored (and may be kept). */
  hasCertificate: boolean;
  /** Daily-living indicators were recorded (null ones stay null unless the clerk changes them). */
  hadAdl: boolean;
}

/** One member card. Money in yuan as typed (strings), converted to fen on the way out. */
export interface MemberFormValues {
  existing?: ExistingMember;
  name?: string;
  idNumber?: string;
  relation?: Relation;
  hukouType?: MemberInput['hukouType'];
  phone?: string;
  clearPhone?: boolean;
  bankAccount?: string;
  clearBankAccount?: boolean;
  bankName?: string;
  disability?: { type?: Disability['type']; grade?: number; certificateNo?: string };
  seriousIllness?: string;
  workAbility?: MemberInput['workAbility'];
  adl?: Partial<Adl>;
  schoolStatus?: MemberInput['schoolStatus'];
  income?: Partial<Record<IncomeType, string | null>>;
  assets?: Partial<Record<AssetType, string | null>>;
}

export interface HouseholdFormValues {
  regionCode?: string;
  address?: string;
  assistanceStatus?: AssistanceStatus;
  members?: MemberFormValues[];
}

export const MAX_MEMBERS = 30;

export function newMember(relation?: Relation): MemberFormValues {
  return { relation, workAbility: 'full', schoolStatus: 'none', adl: { ...ALL_ADL_MET }, income: {}, assets: {} };
}

export function emptyHousehold(regionCode: string | undefined): HouseholdFormValues {
  return { regionCode, assistanceStatus: 'none', members: [newMember('head')] };
}

function yuanRecord<K extends string>(fen: Partial<Record<K, number | undefined>>): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const [k, v] of Object.entries(fen) as [K, number | undefined][]) out[k] = fenToYuan(v) ?? null;
  return out;
}

function fenRecord<K extends string>(
  keys: readonly K[],
  yuan: Partial<Record<K, string | null>> | undefined,
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) {
    const fen = yuanToFen(yuan?.[k]);
    if (fen !== undefined && !Number.isNaN(fen)) out[k] = fen;
  }
  return out;
}

/** The edit form's starting values: what the detail shows, secrets left empty ("unchanged"). */
export function toFormValues(h: Household): HouseholdFormValues {
  return {
    regionCode: h.regionCode,
    address: undefined,
    assistanceStatus: h.assistanceStatus,
    members: h.members.map((m) => ({
      existing: {
        id: m.id,
        idMasked: m.idMasked,
        sex: m.sex,
        birthDate: m.birthDate,
        phoneMasked: m.phoneMasked,
        bankAccountMasked: m.bankAccountMasked,
        hasCertificate: m.disability !== null,
        hadAdl: m.adl !== null,
      },
      name: m.name,
      relation: m.relation,
      hukouType: m.hukouType,
      bankName: m.bankName ?? undefined,
      disability: m.disability ? { type: m.disability.type, grade: m.disability.grade } : undefined,
      seriousIllness: m.seriousIllness ?? undefined,
      workAbility: m.workAbility,
      adl: { ...(m.adl ?? ALL_ADL_MET) },
      schoolStatus: m.schoolStatus,
      income: yuanRecord(m.income),
      assets: yuanRecord(m.assets),
    })),
  };
}

export function fullAdl(adl: Partial<Adl> | undefined): Adl {
  return Object.fromEntries(ADL_KEYS.map((k) => [k, adl?.[k] ?? false])) as Adl;
}

const text = (v: string | undefined) => v?.trim() || undefined;
const digits = (v: string | undefined) => v?.replace(/\s+/g, '') || undefined;

/** The fields a new and an existing member send alike. */
function common(m: MemberFormValues) {
  const adl = fullAdl(m.adl);
  // A member registered without the six indicators keeps none while all stay ticked: an
  // untouched default is not an assessment.
  const unassessed = m.existing && !m.existing.hadAdl && ADL_KEYS.every((k) => adl[k]);
  return {
    name: m.name?.trim() ?? '',
    relation: m.relation!,
    hukouType: m.hukouType!,
    bankName: text(m.bankName),
    seriousIllness: text(m.seriousIllness),
    workAbility: m.workAbility ?? 'full',
    adl: unassessed ? undefined : adl,
    schoolStatus: m.schoolStatus ?? 'none',
    income: fenRecord(IncomeTypes, m.income),
    assets: fenRecord(AssetTypes, m.assets),
  };
}

function newMemberBody(m: MemberFormValues): NewMemberUpdate {
  const d = m.disability;
  return {
    ...common(m),
    idNumber: idNumberToSend(m.idNumber ?? ''),
    phone: digits(m.phone),
    bankAccount: digits(m.bankAccount),
    disability: d?.type ? { type: d.type, grade: d.grade!, certificateNo: d.certificateNo?.trim() ?? '' } : undefined,
  };
}

function existingMemberBody(m: MemberFormValues, existing: ExistingMember): ExistingMemberUpdate {
  const d = m.disability;
  return {
    id: existing.id,
    ...common(m),
    bankName: m.clearBankAccount ? undefined : text(m.bankName),
    // Empty means "keep what is stored"; the clear box removes it.
    phone: m.clearPhone ? null : digits(m.phone),
    bankAccount: m.clearBankAccount ? null : digits(m.bankAccount),
    disability: d?.type ? { type: d.type, grade: d.grade!, certificateNo: text(d.certificateNo) } : undefined,
  };
}

export function toCreateBody(v: HouseholdFormValues): HouseholdInput {
  return {
    regionCode: v.regionCode!,
    address: v.address?.trim() ?? '',
    assistanceStatus: v.assistanceStatus ?? 'none',
    members: (v.members ?? []).map(newMemberBody),
  };
}

export function toUpdateBody(v: HouseholdFormValues, version: number): HouseholdUpdateBody {
  return {
    version,
    regionCode: v.regionCode!,
    address: text(v.address),
    assistanceStatus: v.assistanceStatus ?? 'none',
    members: (v.members ?? []).map((m): MemberUpdate =>
      m.existing ? existingMemberBody(m, m.existing) : newMemberBody(m),
    ),
  };
}
