import {
  selfCareOf,
  validateIdNumber,
  type FieldError,
  type MemberInput,
  type MemberUpdateInput,
} from '@jiuzhu/shared';
import { t, type Lang } from '../../i18n/messages';

export type CheckedMember<M> = M & {
  /** Normalised 18-character number (absent for existing members of an edit). */
  normalisedId?: string;
  sex?: 'male' | 'female';
  birthDate?: string;
  selfCare: ReturnType<typeof selfCareOf>;
};

/**
 * Checks what a schema cannot: each ID number (its own message per failure), duplicates
 * inside the household, exactly one head, a disability certificate only with a disability.
 * Collects every problem with its field path instead of stopping at the first.
 */
export function checkMembers<M extends MemberInput | MemberUpdateInput>(
  members: M[],
  lang: Lang,
  fields: FieldError[],
): CheckedMember<M>[] {
  const seen = new Map<string, number>();
  const out = members.map((m, i) => {
    const checked: CheckedMember<M> = { ...m, selfCare: selfCareOf(m.adl) };
    const isExisting = 'id' in m && m.id !== undefined;
    if (isExisting && m.idNumber !== undefined) {
      fields.push({ path: `members.${i}.idNumber`, message: t(lang, 'registry.idNumberLocked') });
    } else if (!isExisting) {
      if (m.idNumber === undefined) {
        fields.push({ path: `members.${i}.idNumber`, message: t(lang, 'registry.idNumberRequired') });
      } else {
        const v = validateIdNumber(m.idNumber);
        if (!v.ok) {
          fields.push({ path: `members.${i}.idNumber`, message: v.message[lang] });
        } else {
          const j = seen.get(v.idNumber);
          if (j !== undefined) {
            fields.push({
              path: `members.${i}.idNumber`,
              message: t(lang, 'registry.idDuplicateInHousehold', { n: j + 1 }),
            });
          }
          seen.set(v.idNumber, i);
          checked.normalisedId = v.idNumber;
          checked.sex = v.sex;
          checked.birthDate = v.birthDate;
        }
      }
    }
    return checked;
  });
  const heads = members.filter((m) => m.relation === 'head').length;
  if (heads !== 1) fields.push({ path: 'members', message: t(lang, 'registry.oneHead', { n: heads }) });
  return out;
}
