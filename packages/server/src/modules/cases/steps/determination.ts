import type { ApprovalLevel, DeterminedKind } from '@jiuzhu/shared';
import { InvalidField } from '../../../errors';
import { loadActions, loadMembers, propose, type StoredDetermination } from '../case-data';
import { overallDueOn, type CaseStandards } from '../deadlines';
import { note, type StepsOf } from './step';

const sameKinds = (a: DeterminedKind[], b: DeterminedKind[]) => {
  const key = (k: DeterminedKind[]) =>
    JSON.stringify(
      [...k].sort((x, y) => x.kind.localeCompare(y.kind)).map((x) => [x.kind, x.monthlyAmountFen, x.oneOffAmountFen]),
    );
  return key(a) === key(b);
};

/** Who approves: the county for relatives of staff; else the strictest of the kinds' configured levels. */
export function approvalLevelOf(
  kinds: DeterminedKind[],
  standards: CaseStandards,
  staffRelative: boolean,
): ApprovalLevel {
  if (staffRelative) return 'county';
  if (kinds.length === 0) return standards.dibao.approvalLevel;
  const levels = kinds.map((k): ApprovalLevel => {
    switch (k.kind) {
      case 'dibao':
        return standards.dibao.approvalLevel;
      case 'tekun':
        return standards.tekun.approvalLevel;
      case 'dibao_edge':
        return standards.dibaoEdge.approvalLevel;
      case 'temporary':
        return k.oneOffAmountFen <= standards.temporary.townshipLimitFen ? 'township' : 'county';
    }
  });
  return levels.includes('county') ? 'county' : 'township';
}

/** The determination: the proposal by the policy math, or an override with its reason. */
export const determinationSteps: StepsOf<'determine'> = (deps) => {
  const { protector } = deps;
  return {
    determine: (b) => ({
      from: ['verified'],
      run: async ({ trx, c, calendar, standards }) => {
        const [members, actions] = await Promise.all([loadMembers(trx, c.id), loadActions(trx, c.id)]);
        const proposal = (await propose(trx, protector, c, members, actions)) ?? {
          kinds: [],
          lines: [],
          approvalLevel: 'county' as const,
          standards: [],
        };
        const kinds = b.acceptProposal ? proposal.kinds : b.kinds;
        const seen = new Set<string>();
        kinds.forEach((k, i) => {
          if (seen.has(k.kind)) throw InvalidField(`kinds.${i}.kind`, 'case.kindTwice');
          seen.add(k.kind);
        });
        const overridden = !b.acceptProposal && !sameKinds(kinds, proposal.kinds);
        if (overridden && !b.overrideReason) throw InvalidField('overrideReason', 'case.overrideReason');
        const level = approvalLevelOf(kinds, standards, c.staff_relative);
        const decision: StoredDetermination = {
          ...proposal,
          kinds,
          approvalLevel: level,
          overridden,
          overrideReason: overridden ? b.overrideReason : '',
          proposal,
        };
        return {
          to: 'determined',
          kinds: kinds.map((k) => k.kind),
          set: {
            determination: JSON.stringify(decision),
            approval_level: level,
            ...(c.accepted_on ? { overall_due_on: overallDueOn(calendar, c.accepted_on, level, standards.dibao) } : {}),
          },
          data: {
            kinds,
            overridden,
            approvalLevel: level,
            monthlyAmountFen: kinds.reduce((a, k) => a + k.monthlyAmountFen, 0),
          },
          enc: { ...note(overridden ? b.overrideReason : '', 'overrideReason'), ...note(b.opinion, 'opinion') },
        };
      },
    }),
  };
};
