/** Server-side user-facing messages; zh-CN is the default, en-US on `Accept-Language: en`. */
export type Lang = 'zh-CN' | 'en-US';

type Params = Record<string, string | number>;
type Message = { 'zh-CN': string; 'en-US': string };

export const messages = {
  'error.badRequest': { 'zh-CN': '请求格式不正确', 'en-US': 'The request is malformed' },
  'error.malformedJson': { 'zh-CN': '请求内容不是有效的 JSON', 'en-US': 'The request body is not valid JSON' },
  'error.validation': { 'zh-CN': '提交的内容有误，请检查标出的字段', 'en-US': 'Some fields are invalid' },
  'error.unknownField': { 'zh-CN': '不允许的字段', 'en-US': 'Unknown field' },
  'error.unauthenticated': { 'zh-CN': '请先登录', 'en-US': 'Please log in' },
  'error.invalidCredentials': { 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  'error.accountLocked': {
    'zh-CN': '连续登录失败次数过多，账号已锁定，请于 {until} 后再试',
    'en-US': 'Too many failed logins: the account is locked until {until}',
  },
  'error.accountInactive': {
    'zh-CN': '账号已停用，请联系管理员',
    'en-US': 'The account is disabled; ask an administrator',
  },
  'error.rateLimited': { 'zh-CN': '请求过于频繁，请稍后再试', 'en-US': 'Too many requests; try again later' },
  'error.forbidden': { 'zh-CN': '您没有执行此操作的权限', 'en-US': 'You are not allowed to do this' },
  'error.outOfRegion': { 'zh-CN': '超出您的管辖区域', 'en-US': 'Outside your region' },
  'error.notFound': { 'zh-CN': '未找到{entity}', 'en-US': '{entity} not found' },
  'error.routeNotFound': { 'zh-CN': '接口不存在', 'en-US': 'No such endpoint' },
  'error.internal': { 'zh-CN': '服务器内部错误，请稍后重试', 'en-US': 'Internal server error; please retry later' },
  'error.usernameTaken': { 'zh-CN': '用户名已被使用', 'en-US': 'The username is already taken' },
  'error.roleTooHigh': {
    'zh-CN': '不能授予高于自己的角色',
    'en-US': 'You cannot grant a role above your own',
  },
  'error.roleLevel': {
    'zh-CN': '该角色只能绑定到{levels}级区划',
    'en-US': 'This role can only be bound to a {levels} region',
  },
  'error.regionUnknown': { 'zh-CN': '区划代码不存在', 'en-US': 'No such region code' },
  'error.selfChange': {
    'zh-CN': '不能修改自己的角色、区划或停用自己',
    'en-US': 'You cannot change your own role, region or status',
  },
  'error.wrongCurrentPassword': { 'zh-CN': '当前密码不正确', 'en-US': 'The current password is wrong' },
  'error.passwordReused': {
    'zh-CN': '新密码不能与当前密码相同',
    'en-US': 'The new password must differ from the current one',
  },
  'error.passwordDemo': { 'zh-CN': '不能使用演示密码', 'en-US': 'The demo password cannot be used' },
  'levels.city': { 'zh-CN': '市', 'en-US': 'city' },
  'levels.county': { 'zh-CN': '县区', 'en-US': 'county' },
  'levels.township': { 'zh-CN': '乡镇街道', 'en-US': 'township' },
  'levels.village': { 'zh-CN': '村居', 'en-US': 'village' },
  'levels.city/county': { 'zh-CN': '市或县区', 'en-US': 'city or county' },
  'registry.idNumberRequired': { 'zh-CN': '请填写身份证号', 'en-US': 'Enter the ID number' },
  'registry.idNumberLocked': {
    'zh-CN': '已登记成员的身份证号不能在此修改',
    'en-US': 'The ID number of a registered member cannot be changed here',
  },
  'registry.idDuplicateInHousehold': {
    'zh-CN': '与本户第 {n} 位成员的身份证号重复',
    'en-US': 'Same ID number as member {n} of this household',
  },
  'registry.oneHead': {
    'zh-CN': '每户必须有且只有一位户主（现有 {n} 位）',
    'en-US': 'A household needs exactly one head (has {n})',
  },
  'registry.idRegisteredElsewhere': {
    'zh-CN': '此人已登记在户 {householdNo}，一人只能属于一个家庭',
    'en-US': 'This person is already registered in household {householdNo}; a person belongs to one household',
  },
  'registry.idRegisteredOutside': {
    'zh-CN': '此人已登记在其他辖区的家庭，一人只能属于一个家庭，请联系上级核实',
    'en-US': 'This person is registered in a household of another region; ask your supervisor to check',
  },
  'registry.villageRequired': {
    'zh-CN': '请选择家庭所在的村（社区）',
    'en-US': 'Choose the household’s village or community',
  },
  'registry.unknownMember': { 'zh-CN': '该成员不属于本户', 'en-US': 'This member is not in this household' },
  'registry.fieldEmpty': { 'zh-CN': '该项未登记', 'en-US': 'Nothing is registered for this field' },
  'registry.relativeExists': { 'zh-CN': '该近亲属已备案', 'en-US': 'This relative is registered already' },
  'import.badValue': { 'zh-CN': '“{value}”不是可选值（{allowed}）', 'en-US': '"{value}" is not one of {allowed}' },
  'import.badAmount': {
    'zh-CN': '“{value}”不是有效金额（元，最多两位小数，不能为负数）',
    'en-US': '"{value}" is not an amount in yuan (2 decimals, not negative)',
  },
  'import.idAsNumber': {
    'zh-CN': '身份证号被 Excel 存成了数字，后几位已丢失，请把该列设为文本格式后重新填写',
    'en-US': 'Excel stored the ID number as a number and lost digits; format the column as text and re-enter it',
  },
  'import.householdFieldDiffers': {
    'zh-CN': '与本户第一行不一致（户级信息以第一行为准）',
    'en-US': 'Differs from the household’s first row',
  },
  'import.notAVillage': {
    'zh-CN': '{code} 不是本市的村（社区）代码',
    'en-US': '{code} is not a village code of this city',
  },
  'import.missingColumn': {
    'zh-CN': '缺少必填列，请使用导入模板',
    'en-US': 'Required column missing; use the template',
  },
  'import.unknownColumn': { 'zh-CN': '模板中没有此列，已忽略', 'en-US': 'Not a template column; ignored' },
  'import.keyMissing': { 'zh-CN': '户编号不能为空', 'en-US': 'The household key is empty' },
  'import.keyNotContiguous': {
    'zh-CN': '同一户的成员应连续排列，此户编号在前面已出现',
    'en-US': 'Rows of one household must be consecutive',
  },
  'import.noFile': { 'zh-CN': '请选择要导入的文件', 'en-US': 'Choose a file to import' },
  'entity.import': { 'zh-CN': '导入记录', 'en-US': 'Import' },
  'error.versionConflict': {
    'zh-CN': '该记录已被他人修改，请刷新后重新编辑',
    'en-US': 'Someone else changed this record; reload and edit again',
  },
  'entity.household': { 'zh-CN': '家庭', 'en-US': 'Household' },
  'entity.member': { 'zh-CN': '家庭成员', 'en-US': 'Member' },
  'entity.staffRelative': { 'zh-CN': '近亲属备案', 'en-US': 'Staff relative' },
  'entity.user': { 'zh-CN': '用户', 'en-US': 'User' },
  'entity.region': { 'zh-CN': '区划', 'en-US': 'Region' },
  'entity.calendarOverride': { 'zh-CN': '日历调整', 'en-US': 'Calendar override' },
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof messages;

export function langOf(acceptLanguage: string | undefined): Lang {
  return acceptLanguage && /^\s*en\b/i.test(acceptLanguage) ? 'en-US' : 'zh-CN';
}

export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = messages[key][lang];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return `{${name}}`;
    // Params that are themselves message keys (e.g. an entity name) are translated too.
    return typeof v === 'string' && v in messages ? messages[v as MessageKey][lang] : String(v);
  });
}
