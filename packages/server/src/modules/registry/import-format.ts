import { parseYuan, type MemberInput } from '@jiuzhu/shared';

/**
 * The register import template: one row per member, a household key column, Chinese headers.
 * Rows of one household are consecutive; household columns are read from its first row.
 */
export type Column = {
  header: string;
  /** Where the value goes: a household field, or a member field path such as `income.wage`. */
  field: string;
  required?: boolean;
  /** Allowed written values → stored value. */
  values?: Record<string, string | number>;
  /** Amount in yuan (up to 2 decimals), stored as integer fen. */
  yuan?: boolean;
  note: string;
  example: string;
};

const STATUS = {
  无: 'none',
  申请中: 'applicant',
  低保: 'dibao',
  特困: 'tekun',
  低保边缘: 'dibao_edge',
  低收入: 'low_income',
};
const RELATION = {
  户主: 'head',
  本人: 'head',
  配偶: 'spouse',
  妻: 'spouse',
  夫: 'spouse',
  子女: 'child',
  子: 'child',
  女: 'child',
  长子: 'child',
  长女: 'child',
  次子: 'child',
  次女: 'child',
  父母: 'parent',
  父亲: 'parent',
  母亲: 'parent',
  孙子女: 'grandchild',
  孙子: 'grandchild',
  孙女: 'grandchild',
  外孙子: 'grandchild',
  外孙女: 'grandchild',
  祖父母: 'grandparent',
  兄弟姐妹: 'sibling',
  儿媳: 'daughter_in_law',
  女婿: 'son_in_law',
  其他: 'other',
};
const HUKOU = { 农业: 'rural', 农村: 'rural', 非农业: 'urban', 城镇: 'urban' };
const DISABILITY = {
  视力: 'visual',
  听力: 'hearing',
  言语: 'speech',
  肢体: 'physical',
  智力: 'intellectual',
  精神: 'mental',
  多重: 'multiple',
};
const GRADE = { '1': 1, '2': 2, '3': 3, '4': 4, 一级: 1, 二级: 2, 三级: 3, 四级: 4 };
const WORK = { 有: 'full', 完全: 'full', 部分: 'partial', 无: 'none', 丧失: 'none' };
const SCHOOL = {
  无: 'none',
  学前: 'preschool',
  小学: 'primary',
  初中: 'junior',
  高中: 'senior',
  中职: 'vocational',
  大学: 'college',
  研究生: 'graduate',
};

export const COLUMNS: Column[] = [
  {
    header: '户编号',
    field: 'key',
    required: true,
    note: '同一户的成员填写相同编号，且各行连续排列',
    example: 'LC-0001',
  },
  { header: '村居代码', field: 'regionCode', required: true, note: '12位村（社区）区划代码', example: '350302102201' },
  {
    header: '家庭住址',
    field: 'address',
    required: true,
    note: '详细住址',
    example: '莆田市城厢区灵川镇云庄村3组45号',
  },
  {
    header: '救助状态',
    field: 'assistanceStatus',
    values: STATUS,
    note: Object.keys(STATUS).join('/') + '，空白为无',
    example: '低保',
  },
  { header: '姓名', field: 'name', required: true, note: '', example: '林国华' },
  {
    header: '身份证号',
    field: 'idNumber',
    required: true,
    note: '18位（15位旧号自动转换）',
    example: '11010519491231002X',
  },
  {
    header: '与户主关系',
    field: 'relation',
    required: true,
    values: RELATION,
    note: '户主/配偶/子女/父母/孙子女/祖父母/兄弟姐妹/儿媳/女婿/其他',
    example: '户主',
  },
  { header: '户口类型', field: 'hukouType', required: true, values: HUKOU, note: '农业/非农业', example: '农业' },
  { header: '手机号', field: 'phone', note: '11位', example: '13905941234' },
  { header: '银行账号', field: 'bankAccount', note: '12–19位数字', example: '6228480012345678901' },
  { header: '开户银行', field: 'bankName', note: '', example: '农业银行' },
  {
    header: '残疾类别',
    field: 'disability.type',
    values: DISABILITY,
    note: Object.keys(DISABILITY).join('/'),
    example: '',
  },
  { header: '残疾等级', field: 'disability.grade', values: GRADE, note: '1–4 或 一级–四级', example: '' },
  { header: '残疾证号', field: 'disability.certificateNo', note: '', example: '' },
  { header: '重大疾病', field: 'seriousIllness', note: '病种名称', example: '' },
  { header: '劳动能力', field: 'workAbility', values: WORK, note: '有/部分/无', example: '无' },
  { header: '在学情况', field: 'schoolStatus', values: SCHOOL, note: Object.keys(SCHOOL).join('/'), example: '' },
  { header: '工资性收入(元/月)', field: 'income.wage', yuan: true, note: '元，最多两位小数', example: '0' },
  { header: '经营净收入(元/月)', field: 'income.business', yuan: true, note: '', example: '' },
  { header: '财产净收入(元/月)', field: 'income.property', yuan: true, note: '', example: '' },
  { header: '转移净收入(元/月)', field: 'income.transfer', yuan: true, note: '', example: '' },
  { header: '养老金(元/月)', field: 'income.pension', yuan: true, note: '', example: '150' },
  { header: '其他收入(元/月)', field: 'income.other', yuan: true, note: '', example: '' },
  { header: '存款(元)', field: 'assets.deposits', yuan: true, note: '', example: '3000' },
  { header: '有价证券(元)', field: 'assets.securities', yuan: true, note: '', example: '' },
  { header: '车辆(元)', field: 'assets.vehicles', yuan: true, note: '估值', example: '' },
  { header: '房产(元)', field: 'assets.property', yuan: true, note: '除唯一住房外', example: '' },
  { header: '经营资产(元)', field: 'assets.business', yuan: true, note: '', example: '' },
];

export const HOUSEHOLD_FIELDS = new Set(['key', 'regionCode', 'address', 'assistanceStatus']);

/** The column a member field path came from (e.g. `income.wage` → 工资性收入(元/月)). */
export function headerOf(field: string): string {
  return COLUMNS.find((c) => c.field === field)?.header ?? field;
}

/** Parses "1,234.5" yuan as written in a spreadsheet into integer fen; null when not a plain non-negative amount. */
export function yuanToFen(raw: string): number | null {
  return parseYuan(raw.replace(/[,，\s]/g, ''));
}

export type MemberDraft = Partial<MemberInput> & Record<string, unknown>;
