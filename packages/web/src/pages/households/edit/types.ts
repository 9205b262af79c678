import type { HouseholdInput, MemberInput } from '@jiuzhu/shared';

/**
 * What the edit form sends: `PUT /api/households/{id}`.
 *
 * The detail (`GET /api/households/{id}`) carries personal numbers masked only, so the form
 * cannot send them back. The body is the household's full new state, with these exceptions
 * for values the form never had in full:
 * - `address` omitted: keep the stored address.
 * - existing members are `{ id, ... }` without `idNumber` (an ID number is never edited; a
 *   wrong one means removing the member and adding them again);
 * - on an existing member, `phone` and `bankAccount` omitted: keep; `null`: remove; a string:
 *   replace; and `disability.certificateNo` omitted: keep the stored certificate number (only
 *   meaningful when the member already had a disability record).
 * Everything else is full replacement: an optional field left out is cleared (`disability`,
 * `seriousIllness`, `bankName`, `adl`), `income`/`assets` hold every amount the member has,
 * and a stored member whose `id` is not in `members` is removed from the household.
 * `members` is in the order the form shows them, so `members.2.x` in a 400 names the third card.
 */
export type HouseholdUpdateBody = Omit<HouseholdInput, 'address' | 'members'> & {
  address?: string;
  /** The `version` of the detail the form was loaded from; a stale one gets 409 CONFLICT. */
  version: number;
  members: MemberUpdate[];
};

export type MemberUpdate = NewMemberUpdate | ExistingMemberUpdate;

/** A member added in this edit: exactly `MemberInput`, full ID number included, no `id`. */
export type NewMemberUpdate = MemberInput;

type Disability = NonNullable<MemberInput['disability']>;

/** A member already in the household, identified by `id`. */
export type ExistingMemberUpdate = Omit<MemberInput, 'idNumber' | 'phone' | 'bankAccount' | 'disability'> & {
  id: string;
  phone?: string | null;
  bankAccount?: string | null;
  disability?: Omit<Disability, 'certificateNo'> & { certificateNo?: string };
};
