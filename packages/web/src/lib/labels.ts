import type { Lang } from '../i18n';

/**
 * Names of the code values of the built-in feed catalogue (modules/exchange/catalogue.ts), by
 * column: what a department sends as `death_place: elsewhere` reads 死亡地点：其他地方. A kind
 * an administrator adds later shows its codes as sent until they are named here.
 */
const CODE_VALUES: Record<string, Record<string, [zh: string, en: string]>> = {
  cause_category: { illness: ['疾病', 'Illness'], accident: ['意外', 'Accident'], other: ['其他', 'Other'] },
  death_place: { hospital: ['医院', 'Hospital'], home: ['家中', 'Home'], elsewhere: ['其他地方', 'Elsewhere'] },
  custody_type: {
    prison: ['服刑', 'Prison'],
    compulsory_rehab: ['强制隔离戒毒', 'Compulsory rehabilitation'],
    admin_detention: ['行政拘留', 'Administrative detention'],
  },
  vehicle_type: {
    K33: ['小型轿车', 'Small car'],
    K31: ['小型普通客车', 'Small passenger car'],
    K41: ['微型普通客车', 'Mini passenger car'],
    H31: ['轻型普通货车', 'Light truck'],
    M11: ['普通正三轮摩托车', 'Three-wheel motorcycle'],
    M12: ['普通侧三轮摩托车', 'Sidecar motorcycle'],
    M14: ['普通二轮摩托车', 'Motorcycle'],
    X99: ['其他', 'Other'],
  },
  usage: { residential: ['住宅', 'Residential'], commercial: ['商业', 'Commercial'], parking: ['车位', 'Parking'] },
  acquisition: {
    purchase: ['购买', 'Purchase'],
    inheritance: ['继承', 'Inheritance'],
    gift: ['赠与', 'Gift'],
    self_built: ['自建', 'Self-built'],
  },
  business_type: { individual: ['个体工商户', 'Sole trader'], company: ['企业', 'Company'] },
  role: {
    operator: ['经营者', 'Operator'],
    legal_representative: ['法定代表人', 'Legal representative'],
    shareholder: ['股东', 'Shareholder'],
  },
  visit_type: {
    inpatient: ['住院', 'Inpatient'],
    outpatient_chronic: ['门诊慢特病', 'Chronic outpatient'],
    outpatient: ['普通门诊', 'Outpatient'],
  },
  change: { new: ['新办', 'New'], regrade: ['等级变更', 'Regrade'] },
  change_type: {
    move_in: ['迁入', 'Moved in'],
    move_out: ['迁出', 'Moved out'],
    birth: ['出生', 'Birth'],
    cancel: ['注销', 'Cancelled'],
  },
  pension_type: {
    enterprise: ['企业职工养老保险', 'Employee pension'],
    institution: ['机关事业单位养老保险', 'Public-sector pension'],
    urban_rural_resident: ['城乡居民养老保险', 'Resident pension'],
  },
  status: { registered: ['登记', 'Registered'], benefit: ['领取待遇', 'Receiving benefit'], ended: ['终止', 'Ended'] },
  income_type: {
    wage: ['工资薪金', 'Wages'],
    labour: ['劳务报酬', 'Labour'],
    business: ['经营所得', 'Business'],
    property_rent: ['财产租赁', 'Rent'],
    other: ['其他', 'Other'],
  },
  account_type: {
    current: ['活期', 'Current'],
    time: ['定期', 'Time deposit'],
    wealth_management: ['理财', 'Wealth management'],
  },
  case_type: {
    dishonest_debtor: ['失信被执行人', 'Dishonest debtor'],
    criminal_sentence: ['刑事判决', 'Criminal sentence'],
  },
  stage: {
    preschool: ['学前', 'Preschool'],
    primary: ['小学', 'Primary'],
    junior: ['初中', 'Junior secondary'],
    senior: ['高中', 'Senior secondary'],
    vocational: ['中职', 'Vocational'],
    college: ['高等教育', 'College'],
  },
  registration_type: {
    marriage: ['结婚', 'Marriage'],
    divorce: ['离婚', 'Divorce'],
    remarriage: ['复婚', 'Remarriage'],
  },
  child_sex: { male: ['男', 'Male'], female: ['女', 'Female'] },
  subsidy_type: {
    cultivated_land: ['耕地地力保护补贴', 'Cultivated land'],
    grain: ['种粮补贴', 'Grain'],
    machinery: ['农机购置补贴', 'Machinery'],
    other: ['其他', 'Other'],
  },
};

/** A code value of a feed column by its name; the code itself when it has none. */
export function codeValueLabel(column: string, value: string, lang: Lang): string {
  const names = CODE_VALUES[column]?.[value];
  return names ? names[lang === 'en-US' ? 1 : 0] : value;
}
