import { latestSurvey, loadActions, loadMembers } from '../case-data';
import { buildVerificationReport } from '../verification';
import { note, type StepsOf } from './step';

/** The verification (经济状况核对): the report from department data and the survey. */
export const verificationSteps: StepsOf<'record_verification'> = (deps) => {
  const { protector } = deps;
  return {
    record_verification: (b) => ({
      from: ['verifying'],
      run: async ({ trx, c, today, standards }) => {
        const [members, actions] = await Promise.all([loadMembers(trx, c.id), loadActions(trx, c.id)]);
        const survey = latestSurvey(protector, actions);
        const report = await buildVerificationReport(trx, {
          members: members.map((m) => ({ name: m.name, idHash: m.id_hash, idMasked: m.id_masked })),
          asOf: today,
          otherIncomeFen: survey.otherIncomeFen,
          medicalCostsFen: survey.medicalCostsFen,
          assets: standards.dibao.assets,
          note: b.note,
        });
        return {
          to: 'verified',
          set: { verification: JSON.stringify(report) },
          data: {
            monthlyIncomeFen: report.monthlyIncomeFen,
            perCapitaIncomeFen: report.perCapitaIncomeFen,
            assetsPassed: report.assets.passed,
            lines: report.lines.length,
          },
          enc: note(b.note),
        };
      },
    }),
  };
};
