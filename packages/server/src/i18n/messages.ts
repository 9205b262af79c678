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
  'error.passwordUsername': { 'zh-CN': '密码不能包含用户名', 'en-US': 'The password must not contain the username' },
  'error.passwordWeak': {
    'zh-CN': '密码太容易被猜中，请使用更长、不常见的组合（例如几个词加数字）',
    'en-US': 'The password is too easy to guess: use a longer, uncommon combination (e.g. several words and digits)',
  },
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
  'import.idInOtherHousehold': {
    'zh-CN': '此身份证号已在本文件第 {row} 行的家庭中，一人只能属于一个家庭',
    'en-US': 'This ID number is already in the household at line {row} of this file; a person belongs to one household',
  },
  'import.keyMissing': { 'zh-CN': '户编号不能为空', 'en-US': 'The household key is empty' },
  'import.keyNotContiguous': {
    'zh-CN': '同一户的成员应连续排列，此户编号在前面已出现',
    'en-US': 'Rows of one household must be consecutive',
  },
  'import.noFile': { 'zh-CN': '请选择要导入的文件', 'en-US': 'Choose a file to import' },
  'upload.fileTooLarge': { 'zh-CN': '文件超过 {mb} MB 的上限', 'en-US': 'The file is larger than the {mb} MB limit' },
  'import.failed': { 'zh-CN': '导入未完成：{reason}', 'en-US': 'The import did not finish: {reason}' },
  'import.interrupted': {
    'zh-CN': '服务重启时导入中断，请重新上传文件',
    'en-US': 'The import was interrupted by a restart; upload the file again',
  },
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
  // ---- data exchange: HTTP surface (modules/exchange/routes.ts, push.ts) ----
  'entity.feedSource': { 'zh-CN': '数据来源部门', 'en-US': 'Feed source' },
  'entity.feedKind': { 'zh-CN': '数据类别', 'en-US': 'Record kind' },
  'entity.feedBatch': { 'zh-CN': '数据批次', 'en-US': 'Feed batch' },
  'exchange.noFile': { 'zh-CN': '请选择要上传的数据文件', 'en-US': 'Choose a file to upload' },
  'exchange.fileTooLarge': {
    'zh-CN': '文件超过 {mb} MB，请拆分后分批上传',
    'en-US': 'The file is larger than {mb} MB; split it and upload the parts',
  },
  'exchange.kindInactive': { 'zh-CN': '该数据类别已停用', 'en-US': 'This record kind is switched off' },
  'exchange.kindExists': { 'zh-CN': '数据类别代码 {code} 已存在', 'en-US': 'Record kind {code} exists already' },
  'exchange.kindCodeSource': {
    'zh-CN': '类别代码须以来源部门代码“{source}.”开头',
    'en-US': 'The kind code must start with the source code "{source}."',
  },
  'exchange.sourceUnknown': { 'zh-CN': '没有此来源部门', 'en-US': 'No such feed source' },
  'exchange.shapeUnknown': {
    'zh-CN': '要复制格式的数据类别不存在',
    'en-US': 'The kind to copy the shape of does not exist',
  },
  'exchange.columnDuplicate': { 'zh-CN': '列名 {name} 重复', 'en-US': 'Column {name} appears twice' },
  'exchange.columnsMissing': {
    'zh-CN': '缺少必备列：{columns}',
    'en-US': 'Required columns missing: {columns}',
  },
  'exchange.eventDateColumnRequired': {
    'zh-CN': '请指定事件日期列',
    'en-US': 'Name the event date column',
  },
  'exchange.eventDateColumnInvalid': {
    'zh-CN': '事件日期列 {name} 须是列表中的日期类型列',
    'en-US': 'The event date column {name} must be a date column of the list',
  },
  'exchange.nothingToChange': { 'zh-CN': '没有要修改的内容', 'en-US': 'Nothing to change' },
  'exchange.csv.line': { 'zh-CN': '行号', 'en-US': 'Line' },
  'exchange.csv.column': { 'zh-CN': '列', 'en-US': 'Column' },
  'exchange.csv.reasonCode': { 'zh-CN': '原因代码', 'en-US': 'Reason code' },
  'exchange.csv.reason': { 'zh-CN': '原因', 'en-US': 'Reason' },
  'exchange.push.keyMissing': {
    'zh-CN': '缺少接口密钥（X-Jiuzhu-Key）',
    'en-US': 'The API key (X-Jiuzhu-Key) is missing',
  },
  'exchange.push.keyUnknown': {
    'zh-CN': '接口密钥无效或已被重新签发',
    'en-US': 'The API key is unknown or was reissued',
  },
  'exchange.push.timestampMissing': {
    'zh-CN': '缺少请求时间戳（X-Jiuzhu-Timestamp）',
    'en-US': 'The request timestamp (X-Jiuzhu-Timestamp) is missing',
  },
  'exchange.push.timestampStale': {
    'zh-CN': '请求时间戳与服务器时间相差超过 {seconds} 秒，请校准时钟后重新签名',
    'en-US': 'The request timestamp is more than {seconds} s from the server’s clock; fix the clock and sign again',
  },
  'exchange.push.signatureMissing': {
    'zh-CN': '缺少请求签名（X-Jiuzhu-Signature）',
    'en-US': 'The request signature (X-Jiuzhu-Signature) is missing',
  },
  'exchange.push.signatureInvalid': {
    'zh-CN': '请求签名不正确',
    'en-US': 'The request signature does not match',
  },
  'exchange.push.sourceInactive': { 'zh-CN': '该来源部门已停用', 'en-US': 'This feed source is switched off' },
  'exchange.push.kindOfOtherSource': {
    'zh-CN': '该数据类别不属于此接口密钥的部门',
    'en-US': 'This record kind does not belong to the key’s source',
  },
  'exchange.push.idempotencyKeyRequired': {
    'zh-CN': '请提供幂等键（Idempotency-Key，8–128 位字母、数字或 ._:-）',
    'en-US': 'Send an Idempotency-Key (8–128 letters, digits or ._:-)',
  },
  'exchange.push.idempotencyConflict': {
    'zh-CN': '该幂等键已用于另一批数据，请为新数据使用新的幂等键',
    'en-US': 'This Idempotency-Key was used for other records; use a new key for new records',
  },
  // Reason codes of the ingest engine (feed_errors.reason, feed_batches.failure.reason): `feed.reason.<code>`.
  'feed.reason.columns': {
    'zh-CN': '表头与该数据类别的列不一致（缺少：{missing}；多出：{unexpected}），可能是其他部门或其他类别的文件',
    'en-US':
      'The header does not match this kind’s columns (missing: {missing}; unexpected: {unexpected}); it may be a file of another source or kind',
  },
  'feed.reason.encoding': {
    'zh-CN': '文件不是有效的 {encoding} 编码，请选择正确的编码（如 GBK）后重新上传',
    'en-US': 'The file is not valid {encoding}; choose the right encoding (e.g. GBK) and upload it again',
  },
  'feed.reason.interrupted': {
    'zh-CN': '导入被中断（服务停止或重启），请重新发送该文件',
    'en-US': 'The import was interrupted (the service stopped or restarted); send the file again',
  },
  'feed.reason.empty': { 'zh-CN': '文件中没有数据', 'en-US': 'The file has no data' },
  'feed.reason.unreadable': {
    'zh-CN': '无法读取该 {format} 文件（文件损坏或不是该格式）',
    'en-US': 'The {format} file cannot be read (damaged, or not that format)',
  },
  'feed.reason.format': {
    'zh-CN': '文件格式不符：该数据类别应为 {expected}，收到的是 {actual}',
    'en-US': 'Wrong file format: this kind takes {expected}, the file is {actual}',
  },
  'feed.reason.column_count': {
    'zh-CN': '该行的列数（或 JSON 字段）与表头不一致',
    'en-US': 'The row’s columns (or JSON keys) do not match the header',
  },
  'feed.reason.malformed_json': { 'zh-CN': '该行不是有效的 JSON 对象', 'en-US': 'The line is not a valid JSON object' },
  'feed.reason.required': { 'zh-CN': '必填项为空', 'en-US': 'A required value is empty' },
  'feed.reason.invalid_date': {
    'zh-CN': '日期无效（格式应为 YYYY-MM-DD）',
    'en-US': 'Not a valid date (YYYY-MM-DD)',
  },
  'feed.reason.future_date': {
    'zh-CN': '日期晚于本批数据的截止日期 {asOf}',
    'en-US': 'The date is after the batch’s as-of date {asOf}',
  },
  'feed.reason.invalid_month': { 'zh-CN': '月份无效（格式应为 YYYY-MM）', 'en-US': 'Not a valid month (YYYY-MM)' },
  'feed.reason.non_numeric_amount': {
    'zh-CN': '金额须为以“分”为单位的整数',
    'en-US': 'The amount must be a whole number of fen',
  },
  'feed.reason.negative_amount': { 'zh-CN': '金额不能为负数', 'en-US': 'The amount cannot be negative' },
  'feed.reason.amount_too_large': { 'zh-CN': '金额过大', 'en-US': 'The amount is too large' },
  'feed.reason.invalid_integer': { 'zh-CN': '须为整数', 'en-US': 'Must be a whole number' },
  'feed.reason.invalid_decimal': { 'zh-CN': '须为数字', 'en-US': 'Must be a number' },
  'feed.reason.out_of_range': {
    'zh-CN': '数值超出允许范围（{min} 至 {max}）',
    'en-US': 'The value is out of range ({min} to {max})',
  },
  'feed.reason.invalid_code': { 'zh-CN': '不是可选值（{allowed}）', 'en-US': 'Not one of {allowed}' },
  'feed.reason.invalid_region': {
    'zh-CN': '区划代码无效（应为 6、9 或 12 位数字）',
    'en-US': 'Not a region code (6, 9 or 12 digits)',
  },
  'feed.reason.invalid_id_number': { 'zh-CN': '身份证号无效：{check}', 'en-US': 'Invalid ID number: {check}' },
  'feed.idCheck.empty': { 'zh-CN': '为空', 'en-US': 'empty' },
  'feed.idCheck.length': { 'zh-CN': '位数不对', 'en-US': 'wrong length' },
  'feed.idCheck.characters': { 'zh-CN': '含有非法字符', 'en-US': 'invalid characters' },
  'feed.idCheck.region': { 'zh-CN': '地区码无效', 'en-US': 'unknown region code' },
  'feed.idCheck.birth_date': { 'zh-CN': '出生日期无效', 'en-US': 'invalid birth date' },
  'feed.idCheck.future_birth_date': { 'zh-CN': '出生日期晚于今天', 'en-US': 'birth date in the future' },
  'feed.idCheck.check_character': { 'zh-CN': '校验码不符', 'en-US': 'wrong check character' },
  'exchange.push.bodyInvalid': {
    'zh-CN': '请求内容须为 JSON Lines 或 JSON 对象数组（第 {line} 行有误）',
    'en-US': 'The body must be JSON Lines or a JSON array of objects (line {line} is not)',
  },
  'entity.lead': { 'zh-CN': '线索', 'en-US': 'Lead' },
  'entity.photo': { 'zh-CN': '照片', 'en-US': 'Photo' },
  'entity.collisionRule': { 'zh-CN': '比对规则', 'en-US': 'Collision rule' },
  'entity.collisionRun': { 'zh-CN': '比对任务', 'en-US': 'Collision run' },
  'entity.signal': { 'zh-CN': '比对预警', 'en-US': 'Signal' },
  'entity.policyStandard': { 'zh-CN': '救助标准', 'en-US': 'Policy standard' },
  'policy.regionLevel': {
    'zh-CN': '救助标准只能设置在本市或所辖县区',
    'en-US': 'Standards are set for the city or one of its counties',
  },
  'policy.monthInPast': {
    'zh-CN': '生效月份不能早于本月（{month}）；历史月份的标准不可更改',
    'en-US': 'The effective month cannot be before this month ({month}); past months cannot change',
  },
  'collision.ruleCodeTaken': { 'zh-CN': '规则编码已被使用', 'en-US': 'The rule code is already taken' },
  'collision.unknownField': {
    'zh-CN': '字段 {field} 不在所选记录类型的字段中',
    'en-US': 'Field {field} is not a column of the selected record types',
  },
  'collision.batchNotLoaded': { 'zh-CN': '该批次尚未入库', 'en-US': 'The batch is not loaded' },
  'lead.closed': {
    'zh-CN': '该线索已办结，不能再登记走访',
    'en-US': 'This lead is closed; no more visits can be recorded',
  },
  'lead.visitInFuture': { 'zh-CN': '走访时间不能晚于当前时间', 'en-US': 'The visit time cannot be in the future' },
  'lead.visitBeforeIssue': {
    'zh-CN': '走访时间不能早于线索下发日期',
    'en-US': 'The visit cannot be before the lead was issued',
  },
  'lead.agencyRequired': { 'zh-CN': '请选择转介机构', 'en-US': 'Choose the agency the person was referred to' },
  'lead.agencyNameRequired': { 'zh-CN': '请填写转介机构名称', 'en-US': 'Enter the name of the agency' },
  'lead.agencyOnlyWhenReferred': {
    'zh-CN': '仅在结果为“转介”时填写转介机构',
    'en-US': 'An agency is given only when the outcome is “referred”',
  },
  'lead.photoType': { 'zh-CN': '照片须为 JPEG 或 PNG 图片', 'en-US': 'A photo must be a JPEG or PNG image' },
  'lead.photoTooLarge': { 'zh-CN': '每张照片不能超过 2 MB', 'en-US': 'Each photo must be at most 2 MB' },
  'entity.case': { 'zh-CN': '救助案件', 'en-US': 'Case' },
  'case.status.submitted': { 'zh-CN': '已提交待受理', 'en-US': 'submitted' },
  'case.status.missing_docs': { 'zh-CN': '待补齐材料', 'en-US': 'missing documents' },
  'case.status.accepted': { 'zh-CN': '已受理待入户调查', 'en-US': 'accepted' },
  'case.status.verifying': { 'zh-CN': '经济状况核对中', 'en-US': 'verifying' },
  'case.status.verified': { 'zh-CN': '已核对待认定', 'en-US': 'verified' },
  'case.status.determined': { 'zh-CN': '已认定待公示', 'en-US': 'determined' },
  'case.status.notice': { 'zh-CN': '公示中', 'en-US': 'on notice' },
  'case.status.pending_approval': { 'zh-CN': '待审批', 'en-US': 'pending approval' },
  'case.status.enrolled': { 'zh-CN': '已纳入保障', 'en-US': 'enrolled' },
  'case.status.rejected': { 'zh-CN': '不予批准', 'en-US': 'rejected' },
  'case.kind.dibao': { 'zh-CN': '低保', 'en-US': 'dibao' },
  'case.kind.tekun': { 'zh-CN': '特困供养', 'en-US': 'tekun' },
  'case.kind.dibao_edge': { 'zh-CN': '低保边缘', 'en-US': 'dibao-edge' },
  'case.kind.temporary': { 'zh-CN': '临时救助', 'en-US': 'temporary assistance' },
  'case.wrongStep': {
    'zh-CN': '案件当前状态为“{status}”，不能进行此操作',
    'en-US': 'The case is {status}; this action is not possible at this step',
  },
  'case.changed': {
    'zh-CN': '案件刚被他人处理，当前状态为“{status}”，请刷新后再操作',
    'en-US': 'Someone else acted on the case just now (it is {status}); reload and try again',
  },
  'case.applicantFirst': {
    'zh-CN': '第一位成员须为申请人本人（关系为“本人”）',
    'en-US': 'The first member must be the applicant (relation “self”)',
  },
  'case.selfOnlyFirst': {
    'zh-CN': '只有第一位成员（申请人）的关系可以是“本人”',
    'en-US': 'Only the first member (the applicant) can have the relation “self”',
  },
  'case.idTwice': { 'zh-CN': '与第 {n} 位成员的身份证号重复', 'en-US': 'Same ID number as member {n}' },
  'case.villageRequired': {
    'zh-CN': '请选择户籍所在的村（社区）',
    'en-US': 'Choose the village (community) of the registered address',
  },
  'case.leadUnknown': {
    'zh-CN': '线索不存在或不在您的管辖区域',
    'en-US': 'No such lead in your region',
  },
  'case.duplicateOpen': {
    'zh-CN': '申请中的家庭成员已有未办结的申请（申请编号 {caseNo}），不能重复申请',
    'en-US': 'A member already has an open application ({caseNo}); a second one is not possible',
  },
  'case.duplicateEnrolled': {
    'zh-CN': '申请中的家庭成员已纳入保障（申请编号 {caseNo}），不能重复申请',
    'en-US': 'A member is already enrolled (application {caseNo}); a new application is not possible',
  },
  'case.duplicateRegistry': {
    'zh-CN': '申请中的家庭成员所在家庭（户编号 {householdNo}）已享受低保、特困或低保边缘保障，不能重复申请',
    'en-US':
      'A member’s household ({householdNo}) already receives dibao, tekun or dibao-edge assistance; a new application is not possible',
  },
  'case.duplicateElsewhere': {
    'zh-CN': '申请中的家庭成员在其他地区已有未办结的申请或正在享受保障，不能重复申请',
    'en-US': 'A member already has an open application or assistance in another region',
  },
  'case.overrideReason': {
    'zh-CN': '认定结果与系统建议不同时，须填写调整理由',
    'en-US': 'Give a reason when the decision differs from the proposal',
  },
  'case.kindTwice': { 'zh-CN': '同一救助类别只能出现一次', 'en-US': 'Each kind of assistance can appear once' },
  'case.noStandard': {
    'zh-CN': '本地区尚未配置{kind}救助标准',
    'en-US': 'No {kind} standard is configured for this region',
  },
  'case.noticeNotEnded': {
    'zh-CN': '公示期至 {endsOn} 结束，届时方可结束公示',
    'en-US': 'The notice runs until {endsOn}; it can be closed from that day',
  },
  'case.approvalLevel': {
    'zh-CN': '本案件由{level}民政部门审批',
    'en-US': 'This case is approved at {level} level',
  },
  'case.nothingToApprove': {
    'zh-CN': '认定结果为不予救助，请作出不予批准的决定并说明理由',
    'en-US': 'The decision proposes no assistance: reject the case with written reasons',
  },
  'case.notEmergency': {
    'zh-CN': '只有急难型申请可以先行救助',
    'en-US': 'Only an emergency application can be paid first (先行救助)',
  },
  'case.emergencyPaid': {
    'zh-CN': '本案件已经先行救助过，不能重复发放',
    'en-US': 'This case has had its emergency payment already',
  },
  'case.emergencyLimit': {
    'zh-CN': '先行救助金额不能超过乡镇审批限额 {limit} 元',
    'en-US': 'An emergency payment cannot exceed the township limit of {limit} yuan',
  },
  'case.surveyInFuture': { 'zh-CN': '调查日期不能晚于今天', 'en-US': 'The survey date cannot be in the future' },
  'case.surveyBeforeApplication': {
    'zh-CN': '调查日期不能早于申请日期',
    'en-US': 'The survey date cannot be before the application',
  },
  'case.staffTwice': { 'zh-CN': '调查人员不能重复', 'en-US': 'Each staff member is named once' },
  'case.photoType': { 'zh-CN': '照片须为 JPEG 或 PNG 图片', 'en-US': 'A photo must be a JPEG or PNG image' },
  'case.photoTooLarge': { 'zh-CN': '每张照片不能超过 2 MB', 'en-US': 'Each photo must be at most 2 MB' },
  // Decision steps of the proposal (lines beside the policy math's policy.calc.* lines).
  'case.calc.household': {
    'zh-CN': '{month}：家庭 {members} 人，月收入 {incomeFen} 分，人均 {perCapitaIncomeFen} 分',
    'en-US': '{month}: {members} members, monthly income {incomeFen} fen, per capita {perCapitaIncomeFen} fen',
  },
  'case.calc.kind': { 'zh-CN': '测算 {kind}', 'en-US': 'Testing {kind}' },
  'case.calc.assetsFailed': {
    'zh-CN': '家庭财产超过 {kind} 的财产限额',
    'en-US': 'The household’s assets exceed the {kind} limits',
  },
  'case.calc.notConfigured': { 'zh-CN': '本地区未配置 {kind} 标准', 'en-US': 'No {kind} standard is configured' },
  'case.calc.tekun.tier': {
    'zh-CN': '日常生活能力 {unmetAdl} 项不能自理：{tier}',
    'en-US': '{unmetAdl} daily-living indicators unmet: {tier}',
  },
  'case.calc.tekun.workAbility': {
    'zh-CN': '单人户，{age} 岁，有劳动能力，不符合特困供养条件',
    'en-US': 'One person aged {age} able to work: not extreme-poverty support',
  },
  'case.calc.none': {
    'zh-CN': '不符合任何救助类别的条件',
    'en-US': 'No kind of assistance applies',
  },
  'case.calc.staffRelative': {
    'zh-CN': '涉及工作人员近亲属，由县级审批',
    'en-US': 'A relative of staff: approval by the county',
  },
  'case.calc.approval': { 'zh-CN': '审批层级：{level}', 'en-US': 'Approved at {level} level' },
  // The public (no login) API.
  'case.public.duplicate': {
    'zh-CN': '申请中的家庭成员已有未办结的申请或正在享受保障，不能重复申请。如有疑问请联系乡镇（街道）社会救助窗口',
    'en-US':
      'A member already has an open application or receives assistance; a new application is not possible. Ask your township’s assistance window',
  },
  'case.public.codeInvalid': {
    'zh-CN': '验证码错误或已失效，请重新获取',
    'en-US': 'The code is wrong or no longer valid; ask for a new one',
  },
  'case.public.codeExpired': {
    'zh-CN': '验证码已过期，请重新获取',
    'en-US': 'The code has expired; ask for a new one',
  },
  'case.public.codeAttempts': {
    'zh-CN': '验证码输入错误次数过多，请重新获取',
    'en-US': 'Too many wrong attempts; ask for a new code',
  },
  'case.public.smsProgressCode': {
    'zh-CN': '【救助申请】您查询申请 {caseNo} 办理进度的验证码为 {code}，{minutes} 分钟内有效。',
    'en-US': 'Your code to read the progress of application {caseNo} is {code}; valid for {minutes} minutes.',
  },
  // Hardening (issue 11)
  'error.controlCharacters': {
    'zh-CN': '不能包含控制字符（制表符和换行除外）',
    'en-US': 'Must not contain control characters (other than tab and newline)',
  },
  'error.passwordChangeRequired': {
    'zh-CN': '请先修改密码',
    'en-US': 'Change your password first',
  },
  'error.idempotencyMismatch': {
    'zh-CN': '该幂等键（Idempotency-Key）已用于另一个不同的请求，请为新请求使用新的键',
    'en-US': 'This Idempotency-Key was used for a different request; use a new key for a new request',
  },
  'error.headersTooLarge': {
    'zh-CN': '请求地址或请求头过长',
    'en-US': 'The request URL or headers are too long',
  },
  'error.timeout': { 'zh-CN': '请求超时', 'en-US': 'The request timed out' },
  'error.calendarDate': { 'zh-CN': '不是有效的日期', 'en-US': 'Not a real calendar date' },
  'error.calendarMonth': { 'zh-CN': '月份格式应为 YYYY-MM', 'en-US': 'A month as YYYY-MM' },
  // Citizen H5 (issue 17)
  // Citizen H5 and the lead hand-off (issue 17)
  'lead.applicationRequired': {
    'zh-CN': '“已协助申请救助”须先通过“协助申请救助”提交申请',
    'en-US': '“Helped to apply” needs the application filed from this lead first',
  },
  'citizen.smsPhoneCode': {
    'zh-CN': '【救助申请】您的手机验证码为 {code}，{minutes} 分钟内有效，请勿告诉他人。',
    'en-US': 'Your phone confirmation code is {code}; valid for {minutes} minutes. Do not share it.',
  },
  'citizen.phoneCodeInvalid': {
    'zh-CN': '手机验证码不正确或已过期，请重新获取',
    'en-US': 'The phone code is wrong or has expired; ask for a new one',
  },
  'citizen.documentType': {
    'zh-CN': '材料照片须为 JPG 或 PNG 图片',
    'en-US': 'A document photo must be a JPG or PNG image',
  },
  'citizen.documentTooLarge': { 'zh-CN': '材料照片不能超过 2 MB', 'en-US': 'A document photo may be at most 2 MB' },
  'entity.claimReport': { 'zh-CN': '报案记录', 'en-US': 'Claim report' },
  'citizen.eventInFuture': { 'zh-CN': '出险日期不能晚于今天', 'en-US': 'The date of the event cannot be after today' },
  // ---- enrolments (modules/enrolments)
  'entity.enrolment': { 'zh-CN': '在册保障', 'en-US': 'Enrolment' },
  'enrolment.changeNotAllowed': {
    'zh-CN': '当前状态（{status}）下不能办理该变更',
    'en-US': 'This change is not possible while the enrolment is {status}',
  },
  'enrolment.status.active': { 'zh-CN': '正常享受', 'en-US': 'active' },
  'enrolment.status.suspended': { 'zh-CN': '暂停发放', 'en-US': 'suspended' },
  'enrolment.status.gradual_exit': { 'zh-CN': '渐退期', 'en-US': 'in gradual exit' },
  'enrolment.status.ended': { 'zh-CN': '已停保', 'en-US': 'ended' },
  'enrolment.approvalLevel': {
    'zh-CN': '该保障的变更由{level}民政部门审批',
    'en-US': 'Changes to this enrolment are approved at {level} level',
  },
  'enrolment.effectiveMonth': {
    'zh-CN': '生效月份不能早于本月，也不能早于上一次变更的生效月份（{month}）',
    'en-US': 'The effective month can be neither before this month nor before the last change ({month})',
  },
  'enrolment.memberNotInHousehold': {
    'zh-CN': '该成员不属于本家庭',
    'en-US': 'This person is not a member of the household',
  },
  'enrolment.noStandard': {
    'zh-CN': '未配置该地区适用的救助标准',
    'en-US': 'No policy standard is configured for this region',
  },
  'registry.statusDerived': {
    'zh-CN':
      '救助状态由在册保障记录决定，不能直接修改：纳入请办理救助申请，变更、暂停或停保请在“在册对象”中办理或发起定期核查',
    'en-US':
      'The assistance status follows the enrolments and cannot be edited: enrol through an application; change, suspend or end an enrolment on the Recipients page or through a review',
  },
  // ---- insurance (modules/insurance)
  'entity.insuranceScheme': { 'zh-CN': '保单方案', 'en-US': 'Insurance scheme' },
  'entity.insuranceClaim': { 'zh-CN': '理赔案件', 'en-US': 'Insurance claim' },
  'insurance.periodOutsideYear': {
    'zh-CN': '保险期间应从该保单年度开始',
    'en-US': 'The policy period must start in the policy year',
  },
  'insurance.notInsured': {
    'zh-CN': '该人员在出险日期不在参保名单中',
    'en-US': 'The person was not insured on the date of the event',
  },
  'insurance.noCoverItem': { 'zh-CN': '保单方案中没有该保障项目', 'en-US': 'The scheme has no such cover item' },
  'insurance.stepNotAllowed': {
    'zh-CN': '理赔当前状态为“{status}”，不能进行此操作',
    'en-US': 'This step is not possible while the claim is {status}',
  },
  'insurance.materialsIncomplete': {
    'zh-CN': '材料不齐：缺少 {missing}',
    'en-US': 'Materials incomplete: missing {missing}',
  },
  'insurance.gradeRequired': {
    'zh-CN': '伤残理赔须填写伤残等级',
    'en-US': 'A disability claim needs the disability grade',
  },
  'insurance.amountAboveScheme': {
    'zh-CN': '赔付金额不能超过保单方案核定的金额',
    'en-US': 'The amount cannot exceed what the scheme allows',
  },
  'insurance.status.reported': { 'zh-CN': '已报案', 'en-US': 'reported' },
  'insurance.status.guided': { 'zh-CN': '已指导', 'en-US': 'guided' },
  'insurance.status.received': { 'zh-CN': '已收件', 'en-US': 'materials complete' },
  'insurance.status.approved': { 'zh-CN': '审核通过', 'en-US': 'approved' },
  'insurance.status.refused': { 'zh-CN': '拒赔', 'en-US': 'refused' },
  'insurance.status.paid': { 'zh-CN': '已赔付', 'en-US': 'paid' },
  'insurance.duplicateDeathClaim': {
    'zh-CN': '该人员已有身故理赔案件',
    'en-US': 'There is already a death claim for this person',
  },
  // ---- payroll (modules/payroll) ----
  'entity.payroll': { 'zh-CN': '发放批次', 'en-US': 'Payroll' },
  'entity.payrollException': { 'zh-CN': '比对异常', 'en-US': 'Payroll exception' },
  'entity.bankTemplate': { 'zh-CN': '银行代发模板', 'en-US': 'Bank file template' },
  'payroll.notDraft': {
    'zh-CN': '该发放批次已提交或已审核，不能再修改',
    'en-US': 'The payroll has been submitted or approved and can no longer change',
  },
  'payroll.wrongStatus': {
    'zh-CN': '发放批次当前状态不允许此操作',
    'en-US': 'The payroll’s status does not allow this step',
  },
  'payroll.openExceptions': {
    'zh-CN': '还有 {n} 条比对异常未处理：请更正数据后重新生成，或说明理由后确认',
    'en-US': '{n} exceptions are still open: correct the data and rebuild, or accept them with a reason',
  },
  'payroll.makerCannotApprove': {
    'zh-CN': '制单人不能审核自己的发放批次',
    'en-US': 'The maker of a payroll cannot approve it',
  },
  'payroll.roleNotConfigured': {
    'zh-CN': '按发放配置，您的角色不能执行此步骤',
    'en-US': 'The payroll configuration does not give your role this step',
  },
  'payroll.notApproved': {
    'zh-CN': '发放批次审核通过后才能生成银行文件或导入退票',
    'en-US': 'Bank files and returns need an approved payroll',
  },
  'payroll.regionLevel': {
    'zh-CN': '发放批次按区县或全市生成',
    'en-US': 'A payroll is made for a county or the whole city',
  },
  'entity.payrollLine': { 'zh-CN': '调整明细', 'en-US': 'Adjustment line' },
  'payroll.adjustmentEnrolment': {
    'zh-CN': '请选择本批次所属区域内的在册对象',
    'en-US': 'Choose an enrolment of the payroll’s region',
  },
  'payroll.adjustmentMonth': {
    'zh-CN': '调整月份应在纳入保障月份与本批次月份之间',
    'en-US': 'The month corrected lies between the enrolment’s first month and the payroll’s month',
  },
  'payroll.adjustmentNoPayee': {
    'zh-CN': '该对象尚无发放记录，无法确定领款人',
    'en-US': 'The enrolment has never been paid: there is no payee to adjust',
  },
  'payroll.adjustmentExists': {
    'zh-CN': '该对象该月份已有调整（发放批次 {payrollNo}），请先删除原调整',
    'en-US': 'This enrolment already has an adjustment for that month (payroll {payrollNo}); remove it first',
  },
  'payroll.negativeNet': {
    'zh-CN': '{n} 名领款人本批次实发金额为负（{names}）：多发追回超过应发，请修改调整后再提交',
    'en-US':
      '{n} payees would receive a negative net amount ({names}): the recovery exceeds what is due; change the adjustment first',
  },
  // ---- phone side (issue 17): referrals, routine care visits
  'entity.referral': { 'zh-CN': '转介', 'en-US': 'Referral' },
  'entity.agency': { 'zh-CN': '转介机构', 'en-US': 'Agency' },
  'entity.carePlan': { 'zh-CN': '探访计划', 'en-US': 'Care plan' },
  'entity.careVisit': { 'zh-CN': '探访记录', 'en-US': 'Care visit' },
  'referral.agencyInactive': {
    'zh-CN': '该机构已停用，请选择其他机构',
    'en-US': 'This agency is no longer in use; choose another',
  },
  'referral.agencyRegion': {
    'zh-CN': '转介机构应配置在全市或区县',
    'en-US': 'An agency is configured for the city or a county',
  },
  'referral.sourceUnknown': {
    'zh-CN': '未找到要转介的线索、家庭或案件',
    'en-US': 'The lead, household or case to refer was not found',
  },
  'referral.agencyUnknown': {
    'zh-CN': '未找到该转介机构（须为本市或本区县配置的机构）',
    'en-US': 'Agency not found (it must be configured for your city or county)',
  },
  'referral.agencyExists': { 'zh-CN': '同名机构已存在', 'en-US': 'An agency of that name exists' },
  'referral.transition': {
    'zh-CN': '转介当前状态为“{status}”，不能登记“{action}”',
    'en-US': 'The referral is “{status}”; “{action}” cannot be recorded',
  },
  'referral.outcomeRequired': {
    'zh-CN': '请填写机构的办理结果或不予受理的原因',
    'en-US': 'Enter the agency’s outcome or its reason for refusing',
  },
  'referral.sentInFuture': {
    'zh-CN': '转介时间不能晚于当前时间',
    'en-US': 'The referral time cannot be in the future',
  },
  'care.planRegion': {
    'zh-CN': '探访计划应配置在全市或区县',
    'en-US': 'A care plan is configured for the city or a county',
  },
  'care.notPlanned': {
    'zh-CN': '该家庭不在探访关爱计划内',
    'en-US': 'This household is not under a care plan',
  },
  'care.visitInFuture': { 'zh-CN': '探访时间不能晚于当前时间', 'en-US': 'The visit time cannot be in the future' },
  // ---- 全市一张图 (dashboard)
  'dashboard.periodOrder': {
    'zh-CN': '结束月份不能早于开始月份，且期间不超过十年',
    'en-US': 'The last month cannot be before the first, and a period is at most ten years',
  },
  'entity.payment': { 'zh-CN': '发放明细', 'en-US': 'Payment' },
  // Scheduled reviews (issue 9)
  'entity.review': { 'zh-CN': '定期核查', 'en-US': 'Review' },
  'review.stepNotAllowed': {
    'zh-CN': '核查当前为“{status}”，不能执行此步骤',
    'en-US': 'The review is {status}: this step is not possible now',
  },
  'review.status.open': { 'zh-CN': '待入户', 'en-US': 'open' },
  'review.status.surveyed': { 'zh-CN': '已入户', 'en-US': 'surveyed' },
  'review.status.verified': { 'zh-CN': '已核对', 'en-US': 'verified' },
  'review.status.determined': { 'zh-CN': '已重新认定', 'en-US': 'determined' },
  'review.status.decided': { 'zh-CN': '已办结', 'en-US': 'decided' },
  'review.noMembers': {
    'zh-CN': '该保障当前没有在保成员，无法核对',
    'en-US': 'The enrolment covers nobody now: nothing to verify',
  },
  'signal.notDeathOfOnlyMember': {
    'zh-CN': '只有在保唯一成员的死亡记录才能由乡镇一步确认停保，其他情况请发起核查',
    'en-US': 'Only the death of the only covered member is ended in one step by the township: open a review instead',
  },
  'review.alreadyThisMonth': {
    'zh-CN': '该保障本月已有核查，请在原核查中处理',
    'en-US': 'The enrolment already has a review this month: handle it there',
  },
  'review.enrolmentEnded': {
    'zh-CN': '该保障已停保，只能“维持”结束核查',
    'en-US': 'The enrolment has ended: the review can only close with “continue”',
  },
  // ---- insurance condolence visits (issue 12) ----
  'entity.condolenceTask': { 'zh-CN': '吊唁走访任务', 'en-US': 'Condolence visit' },
  'insurance.condolenceDone': {
    'zh-CN': '该吊唁走访已登记，不能重复登记',
    'en-US': 'This condolence visit has been recorded already',
  },
  // ---- 省平台上传 (province)
  'entity.provinceRecord': { 'zh-CN': '省平台上传记录', 'en-US': 'Province upload record' },
  'province.notRejected': {
    'zh-CN': '只有被省平台退回的记录才能重新上传',
    'en-US': 'Only a record the province rejected can be re-sent',
  },
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
