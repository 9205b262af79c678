import { AssetTypes, IncomeTypes } from '@jiuzhu/shared';
import type { FieldName } from '../../../api/errors';
import { ADL_KEYS } from '../../../components/registry/fieldLabels';
import type { MemberFormValues } from './formValues';

const PLAIN = new Set([
  'name',
  'relation',
  'hukouType',
  'phone',
  'bankAccount',
  'bankName',
  'seriousIllness',
  'workAbility',
  'schoolStatus',
]);
const has = (list: readonly string[], v: string | number | undefined) => typeof v === 'string' && list.includes(v);

/**
 * The item of member card `index` that shows the server's error on `rest` (the path after
 * `members.<index>`), or undefined when no item on the card shows that field, so the error goes
 * to the alert above the form instead of vanishing on a field that is not on screen.
 */
export function memberFieldName(member: MemberFormValues, index: number, rest: FieldName): FieldName | undefined {
  const at = (...p: (string | number)[]) => ['members', index, ...p];
  const [field, sub] = rest;
  if (rest.length === 1 && field === 'idNumber') return member.existing ? undefined : at('idNumber');
  if (rest.length === 1 && typeof field === 'string' && PLAIN.has(field)) return at(field);
  if (field === 'disability') {
    if (rest.length === 1 || sub === 'type') return at('disability', 'type');
    // Grade and certificate inputs exist only while a disability type is chosen.
    if ((sub === 'grade' || sub === 'certificateNo') && member.disability?.type) return at('disability', sub);
    return undefined;
  }
  if (rest.length === 2 && field === 'adl' && has(ADL_KEYS, sub)) return at('adl', sub!);
  if (rest.length === 2 && field === 'income' && has(IncomeTypes, sub)) return at('income', sub!);
  if (rest.length === 2 && field === 'assets' && has(AssetTypes, sub)) return at('assets', sub!);
  return undefined;
}
