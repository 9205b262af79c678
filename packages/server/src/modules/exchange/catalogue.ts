/**
 * The built-in catalogue of department feeds: the sending departments (sources) and the
 * record kinds (file layouts) each sends. Kinds are data: `ensureFeedCatalogue` writes these
 * into feed_sources / feed_kinds, and the ingest reads only the table, so a kind a city admin
 * adds in the table imports exactly like a built-in one.
 *
 * The nine kinds the synthetic feed generator writes (FEED_SPECS in
 * synthetic/feeds/catalogue.ts) have codes equal to the generator's file
 * name without its extension and the same columns in the same order.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, FeedColumnSpec } from '../../db/schema';

export type FeedSourceDef = { code: string; nameZh: string; nameEn: string };

export type FeedKindDef = {
  code: string;
  sourceCode: string;
  nameZh: string;
  nameEn: string;
  /** What collision rules select on (death, cremation, custody, vehicle, property, ...). */
  recordType: string;
  format: 'csv' | 'xlsx' | 'jsonl';
  columns: FeedColumnSpec[];
  eventDateColumn: string;
};

/** Every kind starts with these three columns: the department's record id, the ID number, the name. */
export const KEY_COLUMNS = ['record_id', 'id_number', 'name'] as const;

export const FEED_SOURCES: readonly FeedSourceDef[] = [
  { code: 'public_security', nameZh: '市公安局（户籍）', nameEn: 'Public Security Bureau (household registration)' },
  { code: 'funeral', nameZh: '市民政局（殡葬管理）', nameEn: 'Civil Affairs Bureau (funeral administration)' },
  { code: 'hrss', nameZh: '市人力资源和社会保障局', nameEn: 'Human Resources and Social Security Bureau' },
  { code: 'real_estate', nameZh: '市不动产登记中心', nameEn: 'Real Estate Registration Centre' },
  { code: 'vehicles', nameZh: '市公安局交警支队车辆管理所', nameEn: 'Traffic Police Vehicle Administration Office' },
  { code: 'market', nameZh: '市市场监督管理局', nameEn: 'Market Regulation Administration' },
  { code: 'tax', nameZh: '国家税务总局莆田市税务局', nameEn: 'Tax Bureau' },
  { code: 'provident_fund', nameZh: '市住房公积金中心', nameEn: 'Housing Provident Fund Centre' },
  { code: 'medical_insurance', nameZh: '市医疗保障局', nameEn: 'Healthcare Security Bureau' },
  { code: 'disability', nameZh: '市残疾人联合会', nameEn: "Disabled Persons' Federation" },
  { code: 'banks', nameZh: '银行业金融机构（经人民银行市分行）', nameEn: 'Banks (through the central bank branch)' },
  { code: 'courts', nameZh: '市中级人民法院', nameEn: "Intermediate People's Court" },
  { code: 'education', nameZh: '市教育局', nameEn: 'Education Bureau' },
  { code: 'marriage', nameZh: '市民政局（婚姻登记）', nameEn: 'Civil Affairs Bureau (marriage registration)' },
  { code: 'health', nameZh: '市卫生健康委员会', nameEn: 'Health Commission' },
  { code: 'agriculture', nameZh: '市农业农村局', nameEn: 'Agriculture and Rural Affairs Bureau' },
];

type Extra = Partial<Omit<FeedColumnSpec, 'name' | 'type' | 'labelZh' | 'labelEn'>>;

function col(name: string, type: FeedColumnSpec['type'], labelZh: string, labelEn: string, extra: Extra = {}) {
  return { name, type, required: true, labelZh, labelEn, ...extra } satisfies FeedColumnSpec;
}
const text = (name: string, zh: string, en: string, extra: Extra = {}) => col(name, 'text', zh, en, extra);
const code = (name: string, values: string[], zh: string, en: string, extra: Extra = {}) =>
  col(name, 'code', zh, en, { values, ...extra });
const pastDate = (name: string, zh: string, en: string, extra: Extra = {}) =>
  col(name, 'date', zh, en, { past: true, ...extra });
const fen = (name: string, zh: string, en: string, extra: Extra = {}) => col(name, 'fen', zh, en, extra);

const KEYS: FeedColumnSpec[] = [
  text('record_id', '记录编号', 'Record id'),
  text('id_number', '身份证号码', 'ID number'),
  text('name', '姓名', 'Name'),
];

const VEHICLE_TYPE_CODES = ['K33', 'K31', 'K41', 'H31', 'M11', 'M12', 'M14', 'X99'];
const CUSTODY_TYPES = ['prison', 'compulsory_rehab', 'admin_detention'];

export const FEED_KINDS: readonly FeedKindDef[] = [
  // ---- the nine layouts of the synthetic feed generator (FORMATS.md) ----
  {
    code: 'public_security.deaths',
    sourceCode: 'public_security',
    nameZh: '死亡注销',
    nameEn: 'Deaths (registration cancelled)',
    recordType: 'death',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('death_date', '死亡日期', 'Date of death'),
      code('cause_category', ['illness', 'accident', 'other'], '死亡原因类别', 'Cause category'),
      code('death_place', ['hospital', 'home', 'elsewhere'], '死亡地点', 'Place of death'),
      col('hukou_region', 'region', '户籍所在乡镇', 'Township of household registration'),
    ],
    eventDateColumn: 'death_date',
  },
  {
    code: 'funeral.cremations',
    sourceCode: 'funeral',
    nameZh: '火化记录',
    nameEn: 'Cremations',
    recordType: 'cremation',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('cremation_date', '火化日期', 'Cremation date'),
      pastDate('death_date', '死亡日期', 'Date of death'),
      text('funeral_home', '殡仪馆', 'Funeral home'),
    ],
    eventDateColumn: 'cremation_date',
  },
  {
    code: 'public_security.detentions',
    sourceCode: 'public_security',
    nameZh: '羁押服刑',
    nameEn: 'Custody (prison, rehabilitation, detention)',
    recordType: 'custody',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('start_date', '羁押开始日期', 'Start of custody'),
      code('custody_type', CUSTODY_TYPES, '羁押类型', 'Custody type'),
      col('expected_end_date', 'date', '预计释放日期', 'Expected release date'),
      text('institution', '羁押场所', 'Institution'),
    ],
    eventDateColumn: 'start_date',
  },
  {
    code: 'vehicles.registrations',
    sourceCode: 'vehicles',
    nameZh: '机动车登记',
    nameEn: 'Vehicle registrations',
    recordType: 'vehicle',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('register_date', '登记日期', 'Registration date'),
      text('plate_no', '号牌号码', 'Plate number', { protected: true }),
      code('vehicle_type', VEHICLE_TYPE_CODES, '车辆类型', 'Vehicle type'),
      text('vehicle_type_name', '车辆类型名称', 'Vehicle type name'),
      text('brand_model', '品牌型号', 'Brand and model'),
      fen('purchase_price_fen', '购置价格（分）', 'Purchase price (fen)'),
    ],
    eventDateColumn: 'register_date',
  },
  {
    code: 'real_estate.registrations',
    sourceCode: 'real_estate',
    nameZh: '不动产登记',
    nameEn: 'Property registrations',
    recordType: 'property',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('register_date', '登记日期', 'Registration date'),
      text('certificate_no', '不动产权证号', 'Certificate number', { protected: true }),
      text('address', '坐落', 'Address', { protected: true }),
      col('building_area_m2', 'decimal', '建筑面积（平方米）', 'Floor area (m²)', { min: 0 }),
      code('usage', ['residential', 'commercial', 'parking'], '用途', 'Usage'),
      code('acquisition', ['purchase', 'inheritance', 'gift', 'self_built'], '取得方式', 'Acquisition'),
      fen('price_fen', '成交价格（分）', 'Price (fen)'),
    ],
    eventDateColumn: 'register_date',
  },
  {
    code: 'market.business_registrations',
    sourceCode: 'market',
    nameZh: '市场主体登记',
    nameEn: 'Business registrations',
    recordType: 'business',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('register_date', '登记日期', 'Registration date'),
      text('credit_code', '统一社会信用代码', 'Unified social credit code'),
      text('business_name', '名称', 'Business name'),
      code('business_type', ['individual', 'company'], '主体类型', 'Business type'),
      code('role', ['operator', 'legal_representative', 'shareholder'], '身份', 'Role'),
      fen('registered_capital_fen', '注册资本（分）', 'Registered capital (fen)'),
    ],
    eventDateColumn: 'register_date',
  },
  {
    code: 'medical_insurance.expenses',
    sourceCode: 'medical_insurance',
    nameZh: '医保结算',
    nameEn: 'Medical settlements',
    recordType: 'medical',
    format: 'jsonl',
    columns: [
      ...KEYS,
      pastDate('settlement_date', '结算日期', 'Settlement date'),
      text('hospital', '医疗机构', 'Hospital'),
      code('visit_type', ['inpatient', 'outpatient_chronic', 'outpatient'], '就诊类型', 'Visit type'),
      text('diagnosis', '主要诊断', 'Main diagnosis', { protected: true }),
      fen('total_fen', '总费用（分）', 'Total cost (fen)'),
      fen('insurance_paid_fen', '基金支付（分）', 'Paid by insurance (fen)'),
      fen('self_paid_fen', '个人自付（分）', 'Self-paid (fen)'),
    ],
    eventDateColumn: 'settlement_date',
  },
  {
    code: 'disability.certificates',
    sourceCode: 'disability',
    nameZh: '残疾人证',
    nameEn: 'Disability certificates',
    recordType: 'disability',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('issue_date', '发证日期', 'Issue date'),
      // ID number + type digit + grade digit: personal data.
      text('certificate_no', '残疾人证号', 'Certificate number', { protected: true }),
      code(
        'disability_type',
        ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'],
        '残疾类别',
        'Disability type',
      ),
      col('disability_grade', 'integer', '残疾等级', 'Disability grade', { min: 1, max: 4 }),
      code('change', ['new', 'regrade'], '变更类型', 'Change'),
    ],
    eventDateColumn: 'issue_date',
  },
  {
    code: 'hrss.wages',
    sourceCode: 'hrss',
    nameZh: '社保缴费工资',
    nameEn: 'Wages reported with social insurance',
    recordType: 'wage',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('pay_date', '发放日期', 'Pay date'),
      col('wage_month', 'month', '工资所属月份', 'Wage month'),
      text('employer_name', '用人单位', 'Employer'),
      text('employer_credit_code', '单位统一社会信用代码', "Employer's credit code"),
      fen('monthly_wage_fen', '月工资（分）', 'Monthly wage (fen)'),
    ],
    eventDateColumn: 'pay_date',
  },

  // ---- further kinds of the other departments ----
  {
    code: 'public_security.hukou_changes',
    sourceCode: 'public_security',
    nameZh: '户口迁移变动',
    nameEn: 'Household registration changes',
    recordType: 'hukou_change',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('change_date', '变动日期', 'Change date'),
      code('change_type', ['move_in', 'move_out', 'birth', 'cancel'], '变动类型', 'Change type'),
      col('from_region', 'region', '迁出地', 'Moved from', { required: false }),
      col('to_region', 'region', '迁入地', 'Moved to', { required: false }),
    ],
    eventDateColumn: 'change_date',
  },
  {
    code: 'hrss.pensions',
    sourceCode: 'hrss',
    nameZh: '养老金发放',
    nameEn: 'Pension payments',
    recordType: 'pension',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('pay_date', '发放日期', 'Pay date'),
      col('pay_month', 'month', '所属月份', 'Month paid for'),
      code('pension_type', ['enterprise', 'institution', 'urban_rural_resident'], '养老保险类型', 'Pension type'),
      fen('monthly_pension_fen', '月养老金（分）', 'Monthly pension (fen)'),
    ],
    eventDateColumn: 'pay_date',
  },
  {
    code: 'hrss.unemployment',
    sourceCode: 'hrss',
    nameZh: '失业登记',
    nameEn: 'Unemployment registrations',
    recordType: 'unemployment',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('registration_date', '登记日期', 'Registration date'),
      code('status', ['registered', 'benefit', 'ended'], '状态', 'Status'),
      fen('monthly_benefit_fen', '失业保险金（分/月）', 'Monthly benefit (fen)', { required: false }),
    ],
    eventDateColumn: 'registration_date',
  },
  {
    code: 'tax.income',
    sourceCode: 'tax',
    nameZh: '个人所得税申报收入',
    nameEn: 'Income declared for individual income tax',
    recordType: 'tax_income',
    format: 'xlsx',
    columns: [
      ...KEYS,
      pastDate('declare_date', '申报日期', 'Declaration date'),
      col('tax_month', 'month', '所属期', 'Tax month'),
      code('income_type', ['wage', 'labour', 'business', 'property_rent', 'other'], '所得项目', 'Income type'),
      text('payer_name', '扣缴义务人', 'Withholding agent', { required: false }),
      fen('income_fen', '收入额（分）', 'Income (fen)'),
      fen('tax_fen', '已缴税额（分）', 'Tax paid (fen)'),
    ],
    eventDateColumn: 'declare_date',
  },
  {
    code: 'provident_fund.deposits',
    sourceCode: 'provident_fund',
    nameZh: '公积金缴存',
    nameEn: 'Housing provident fund deposits',
    recordType: 'provident_fund',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('deposit_date', '缴存日期', 'Deposit date'),
      col('deposit_month', 'month', '缴存月份', 'Month'),
      text('employer_name', '缴存单位', 'Employer'),
      fen('monthly_deposit_fen', '月缴存额（分）', 'Monthly deposit (fen)'),
      fen('balance_fen', '账户余额（分）', 'Balance (fen)'),
    ],
    eventDateColumn: 'deposit_date',
  },
  {
    code: 'banks.deposits',
    sourceCode: 'banks',
    nameZh: '银行存款查询结果',
    nameEn: 'Bank deposit enquiries',
    recordType: 'deposit',
    format: 'xlsx',
    columns: [
      ...KEYS,
      pastDate('query_date', '查询日期', 'Enquiry date'),
      text('bank_name', '开户银行', 'Bank'),
      text('account_no', '账号', 'Account number', { protected: true }),
      code('account_type', ['current', 'time', 'wealth_management'], '账户类型', 'Account type'),
      fen('balance_fen', '余额（分）', 'Balance (fen)'),
    ],
    eventDateColumn: 'query_date',
  },
  {
    code: 'courts.judgments',
    sourceCode: 'courts',
    nameZh: '失信被执行人与刑事判决',
    nameEn: 'Dishonest judgment debtors and criminal sentences',
    recordType: 'court',
    format: 'jsonl',
    columns: [
      ...KEYS,
      pastDate('judgment_date', '裁判日期', 'Judgment date'),
      text('case_no', '案号', 'Case number'),
      code('case_type', ['dishonest_debtor', 'criminal_sentence'], '类别', 'Case type'),
      col('sentence_months', 'integer', '刑期（月）', 'Sentence (months)', { required: false, min: 0 }),
      fen('amount_fen', '执行标的（分）', 'Amount owed (fen)', { required: false }),
      text('court', '法院', 'Court'),
    ],
    eventDateColumn: 'judgment_date',
  },
  {
    code: 'education.students',
    sourceCode: 'education',
    nameZh: '在校学生学籍',
    nameEn: 'Students enrolled',
    recordType: 'student',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('enrol_date', '入学日期', 'Enrolment date'),
      text('school', '学校', 'School'),
      code('stage', ['preschool', 'primary', 'junior', 'senior', 'vocational', 'college'], '学段', 'Stage'),
      col('grade', 'integer', '年级', 'Grade', { min: 1, max: 9 }),
    ],
    eventDateColumn: 'enrol_date',
  },
  {
    code: 'marriage.registrations',
    sourceCode: 'marriage',
    nameZh: '婚姻登记',
    nameEn: 'Marriage registrations',
    recordType: 'marriage',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('register_date', '登记日期', 'Registration date'),
      code('registration_type', ['marriage', 'divorce', 'remarriage'], '登记类型', 'Registration type'),
      text('certificate_no', '结婚（离婚）证字号', 'Certificate number', { protected: true }),
      text('registry_office', '登记机关', 'Registry office'),
    ],
    eventDateColumn: 'register_date',
  },
  {
    code: 'health.births',
    sourceCode: 'health',
    nameZh: '出生医学证明',
    nameEn: 'Birth certificates (mother)',
    recordType: 'birth',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('birth_date', '出生日期', 'Date of birth'),
      code('child_sex', ['male', 'female'], '新生儿性别', "Child's sex"),
      text('hospital', '助产机构', 'Hospital'),
      text('certificate_no', '出生医学证明编号', 'Certificate number', { protected: true }),
    ],
    eventDateColumn: 'birth_date',
  },
  {
    code: 'agriculture.subsidies',
    sourceCode: 'agriculture',
    nameZh: '惠农补贴发放',
    nameEn: 'Farm subsidies paid',
    recordType: 'farm_subsidy',
    format: 'csv',
    columns: [
      ...KEYS,
      pastDate('pay_date', '发放日期', 'Pay date'),
      code('subsidy_type', ['cultivated_land', 'grain', 'machinery', 'other'], '补贴类型', 'Subsidy type'),
      col('land_area_mu', 'decimal', '面积（亩）', 'Area (mu)', { required: false, min: 0 }),
      fen('amount_fen', '补贴金额（分）', 'Amount (fen)'),
    ],
    eventDateColumn: 'pay_date',
  },
];

/**
 * Inserts the built-in sources and kinds that are missing, and brings a built-in kind whose
 * layout changed in code up to date (a new version). Kinds a city admin created are never touched.
 * Idempotent; run at boot after the migrations.
 */
export async function ensureFeedCatalogue(db: Kysely<DB>): Promise<{ sources: number; kinds: number }> {
  const sources = await db
    .insertInto('feed_sources')
    .values(FEED_SOURCES.map((s) => ({ code: s.code, name_zh: s.nameZh, name_en: s.nameEn })))
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  let kinds = 0;
  for (const k of FEED_KINDS) {
    const columns = JSON.stringify(k.columns);
    const res = await db
      .insertInto('feed_kinds')
      .values({
        code: k.code,
        source_code: k.sourceCode,
        name_zh: k.nameZh,
        name_en: k.nameEn,
        record_type: k.recordType,
        format: k.format,
        columns,
        event_date_column: k.eventDateColumn,
        builtin: true,
        created_by: 'system',
      })
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({
            columns: sql`excluded.columns`,
            format: sql`excluded.format`,
            record_type: sql`excluded.record_type`,
            event_date_column: sql`excluded.event_date_column`,
            version: sql`feed_kinds.version + 1`,
            updated_at: sql`now()`,
          })
          .where(sql<boolean>`feed_kinds.builtin`)
          .where(
            sql<boolean>`(feed_kinds.columns, feed_kinds.format, feed_kinds.record_type, feed_kinds.event_date_column) is distinct from (excluded.columns, excluded.format, excluded.record_type, excluded.event_date_column)`,
          ),
      )
      .executeTakeFirst();
    kinds += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return { sources: Number(sources.numInsertedOrUpdatedRows ?? 0), kinds };
}
