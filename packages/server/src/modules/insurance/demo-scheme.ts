import type { SchemeInput } from '@jiuzhu/shared';

/**
 * The demo scheme (labelled "demo" wherever it is shown) from the seed figures of the city's
 * programme: 40 yuan per person-year, accidental death or disability up to 30,000 yuan, death
 * from illness 3,000 yuan, paid half by the city and half by the county. The real contract
 * terms are entered as a new version by the city.
 */
export function demoSchemeInput(year: number): SchemeInput {
  return {
    year,
    insurer: '演示保险公司（演示数据）',
    policyNo: `DEMO-${year}-0001`,
    periodFrom: `${year}-01-01`,
    periodTo: `${year}-12-31`,
    premiumFen: 4_000,
    kinds: ['dibao', 'tekun'],
    coverItems: [
      {
        code: 'death_accident',
        name: '意外身故',
        maxFen: 3_000_000,
        grades: null,
        materials: ['death_certificate', 'accident_proof', 'beneficiary_id', 'beneficiary_bank_account'],
      },
      {
        code: 'disability_accident',
        name: '意外伤残',
        maxFen: 3_000_000,
        // The usual ten grades: grade 1 pays all of the maximum, each grade below 10 points less.
        grades: Array.from({ length: 10 }, (_, i) => ({ grade: i + 1, shareBp: 10_000 - i * 1_000 })),
        materials: ['accident_proof', 'disability_assessment', 'medical_records', 'beneficiary_bank_account'],
      },
      {
        code: 'death_illness',
        name: '疾病身故',
        maxFen: 300_000,
        grades: null,
        materials: [
          'death_certificate',
          'cremation_certificate',
          'medical_records',
          'beneficiary_id',
          'beneficiary_bank_account',
        ],
      },
    ],
    waitingDays: 0,
    cityShareBp: 5_000,
    countyCityShareBp: {},
    insurerUsers: [],
    note: '演示数据：按种子数据设定，非真实合同条款',
  };
}
