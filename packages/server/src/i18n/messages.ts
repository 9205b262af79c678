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
