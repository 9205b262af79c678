import type { PolicyParamsByKind } from '../schemas/policy';

/**
 * Demo parameter sets (NOT Putian's real figures, which were not found in public sources),
 * derived from a demo 低保 standard: the server seeds them at boot with `demo: true`.
 * Ratios follow common practice elsewhere: savings up to 24 months of the standard per
 * person, supplements 10–15 % of the standard, care 10 / 30 / 60 % of it.
 */
export function demoPolicyParams(dibaoStandardFen: number): PolicyParamsByKind {
  const pct = (p: number) => Math.round((dibaoStandardFen * p) / 100);
  const assets = {
    savingsPerPersonFen: dibaoStandardFen * 24,
    vehiclesAllowed: 0,
    exemptVehicleTypes: ['motorcycle', 'disability_vehicle', 'agricultural'],
    propertiesAllowed: 1,
    businessAllowed: false,
  };
  return {
    dibao: {
      standardFen: dibaoStandardFen,
      supplements: {
        elderlyAge: 70,
        elderlyFen: pct(10),
        minorFen: pct(10),
        severeDisabilityFen: pct(15),
        seriousIllnessFen: pct(15),
      },
      floorPerPersonFen: pct(10),
      deductMedicalCosts: true,
      assets,
      gradualExitMonths: 6,
      noticeDays: 7,
      approvalLevel: 'county',
      deadlines: {
        surveyStart: 3,
        verificationStart: 3,
        countyDecision: 10,
        refusalNotice: 3,
        total: 30,
        totalDelegated: 20,
        totalExtended: 45,
      },
      // 定期核查: stable households (nobody can work) yearly, the others every 6 months.
      reviewMonths: { unableToWork: 12, other: 6 },
    },
    tekun: {
      basicLivingPerMille: 1300,
      careFen: { self: pct(10), partial: pct(30), complete: pct(60) },
      assets,
      noticeDays: 7,
      approvalLevel: 'county',
      deadlines: { survey: 15, countyDecision: 15 },
      countyRecheckPercent: 30,
      reviewMonths: 12,
    },
    dibao_edge: {
      incomePerMille: 1500,
      monthlyCashFen: 0,
      assets,
      noticeDays: 7,
      approvalLevel: 'county',
      reviewMonths: 12,
    },
    temporary: {
      maxMultiple: 6,
      specialHardshipMultiple: 12,
      townshipLimitFen: dibaoStandardFen * 3,
      emergencyPaperworkDays: 5,
      spendingIncomeLinePerCapitaYearFen: 4_200_000,
    },
  };
}
