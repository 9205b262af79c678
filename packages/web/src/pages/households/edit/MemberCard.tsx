import { useMemo } from 'react';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Divider,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { FormInstance, FormRule } from 'antd';
import { DeleteOutlined, LockOutlined } from '@ant-design/icons';
import {
  AssetTypes,
  DisabilityType,
  HukouType,
  IncomeTypes,
  Relation,
  SchoolStatus,
  WorkAbility,
  selfCareOf,
  validateIdNumber,
} from '@jiuzhu/shared';
import { useI18n } from '../../../i18n';
import { formatYuan, yuanToFen } from '../../../lib/format';
import { SelfCareTag } from '../../../components/registry/tags';
import { ADL_KEYS, gradeLabel } from '../../../components/registry/fieldLabels';
import { ID_NUMBER_TRIGGERS, idNumberRules, idNumberToSend } from '../../../components/registry/idNumberRules';
import { fullAdl, type ExistingMember, type HouseholdFormValues, type MemberFormValues } from './formValues';

const PHONE = /^1\d{10}$/;
const BANK_ACCOUNT = /^\d{12,19}$/;
/** The schema's ceiling: 10,000,000 yuan (1e9 fen). */
const MAX_YUAN = '10000000';
const GRADES = [1, 2, 3, 4] as const;

const col = { xs: 24, sm: 12, lg: 8 } as const;
const wide = { xs: 24, lg: 16 } as const;

const noSpaces = (v: unknown) => (typeof v === 'string' ? v.replace(/\s+/g, '') : '');

/**
 * One member of the household form: an item of the `members` Form.List. Test ids carry the
 * card's index: `member-<index>-<field>`.
 */
export function MemberCard({
  form,
  index,
  count,
  onRemove,
  onRelationChange,
}: {
  form: FormInstance<HouseholdFormValues>;
  index: number;
  count: number;
  onRemove: () => void;
  onRelationChange: () => void;
}) {
  const { t, lang } = useI18n();
  const path = (...rest: (string | number)[]) => ['members', index, ...rest];
  const tid = (field: string) => `member-${index}-${field}`;

  const existing = Form.useWatch(path('existing'), { form, preserve: true }) as ExistingMember | undefined;
  const name = Form.useWatch(path('name'), form) as string | undefined;
  const relation = Form.useWatch(path('relation'), form) as MemberFormValues['relation'];
  const idNumber = Form.useWatch(path('idNumber'), form) as string | undefined;
  const disabilityType = Form.useWatch(path('disability', 'type'), form) as string | undefined;
  const adl = Form.useWatch(path('adl'), form) as MemberFormValues['adl'];
  const income = Form.useWatch(path('income'), form) as MemberFormValues['income'];
  const clearPhone = Form.useWatch(path('clearPhone'), form) as boolean | undefined;
  const clearBankAccount = Form.useWatch(path('clearBankAccount'), form) as boolean | undefined;

  const idRules = useMemo(
    () =>
      idNumberRules({
        lang,
        t,
        required: true,
        errorTestId: tid('idNumber-error'),
        extra: (normalised) => {
          const members = (form.getFieldValue('members') ?? []) as MemberFormValues[];
          const other = members.findIndex(
            (m, j) => j !== index && !m.existing && !!m.idNumber && idNumberToSend(m.idNumber) === normalised,
          );
          return other >= 0 ? t('households.form.idDuplicate', { n: other + 1 }) : undefined;
        },
      }),
    // tid only reads index.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lang, t, form, index],
  );

  const pattern = (re: RegExp, message: string): FormRule => ({
    validator: (_, v: unknown) => {
      const value = noSpaces(v);
      return !value || re.test(value) ? Promise.resolve() : Promise.reject(new Error(message));
    },
  });
  const amountRule: FormRule = {
    validator: (_, v: string | number | null | undefined) =>
      Number.isNaN(yuanToFen(v)) ? Promise.reject(new Error(t('member.rule.amount'))) : Promise.resolve(),
  };
  const required = { required: true, message: t('form.required') };
  /** One amount in yuan (stored as fen) of the income or assets section. */
  const amountField = (kind: 'income' | 'assets', k: string, label: string) => (
    <Col key={k} xs={12} md={8} xl={4}>
      <Form.Item name={[index, kind, k]} label={label} rules={[amountRule]}>
        <InputNumber<string>
          stringMode
          min="0"
          max={MAX_YUAN}
          precision={2}
          style={{ width: '100%' }}
          placeholder="0.00"
          data-testid={tid(`${kind}-${k}`)}
        />
      </Form.Item>
    </Col>
  );
  const keepHint = (masked: string | null | undefined) => (masked ? t('households.form.keep', { masked }) : undefined);

  const derived = existing
    ? { sex: existing.sex, birthDate: existing.birthDate, converted: undefined }
    : (() => {
        const r = validateIdNumber(idNumber);
        return r.ok ? { sex: r.sex, birthDate: r.birthDate, converted: r.converted15 ? r.idNumber : undefined } : null;
      })();
  const incomeTotal = IncomeTypes.reduce((sum, k) => {
    const fen = yuanToFen(income?.[k]);
    return sum + (fen && !Number.isNaN(fen) ? fen : 0);
  }, 0);

  const removeButton = (
    <Button
      danger
      type="text"
      icon={<DeleteOutlined />}
      disabled={count <= 1}
      onClick={existing ? undefined : onRemove}
      data-testid={tid('remove')}
    >
      {t('households.form.removeMember')}
    </Button>
  );

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid={`member-card-${index}`}
      title={
        <Space wrap>
          <span>{t('households.form.memberN', { n: index + 1 })}</span>
          {name && <Typography.Text strong>{name}</Typography.Text>}
          {relation === 'head' && <Tag color="blue">{t('registry.relation.head')}</Tag>}
          {!existing && <Tag color="green">{t('households.form.newMember')}</Tag>}
        </Space>
      }
      extra={
        existing && count > 1 ? (
          <Popconfirm
            title={t('households.form.removeMember.confirm', { name: name ?? '' })}
            description={t('households.form.removeMember.desc')}
            onConfirm={onRemove}
            okButtonProps={{ danger: true, 'data-testid': tid('remove-confirm') }}
          >
            {removeButton}
          </Popconfirm>
        ) : (
          removeButton
        )
      }
    >
      <Row gutter={16}>
        <Col {...col}>
          <Form.Item
            name={[index, 'name']}
            label={t('member.field.name')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }]}
          >
            <Input maxLength={50} data-testid={tid('name')} />
          </Form.Item>
        </Col>
        <Col {...col}>
          {existing ? (
            <Form.Item label={t('member.field.idNumber')} extra={t('households.form.idLocked')}>
              <Input
                value={existing.idMasked}
                disabled
                prefix={<LockOutlined />}
                style={{ fontFamily: 'monospace' }}
                data-testid={tid('idNumber')}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name={[index, 'idNumber']}
              label={t('member.field.idNumber')}
              rules={idRules}
              validateTrigger={ID_NUMBER_TRIGGERS}
              validateFirst
              required
            >
              <Input
                maxLength={30}
                autoComplete="off"
                style={{ fontFamily: 'monospace' }}
                placeholder={t('households.form.idNumber.placeholder')}
                data-testid={tid('idNumber')}
              />
            </Form.Item>
          )}
        </Col>
        <Col {...col}>
          <Form.Item label={t('households.form.derived')}>
            <div data-testid={tid('derived')} style={{ minHeight: 32, display: 'flex', alignItems: 'center' }}>
              {derived ? (
                <Space size={4} wrap>
                  <Tag data-testid={tid('sex')} data-value={derived.sex}>
                    {t(`registry.sex.${derived.sex}`)}
                  </Tag>
                  <Tag data-testid={tid('birthDate')}>{derived.birthDate}</Tag>
                  {derived.converted && (
                    <Typography.Text type="secondary" data-testid={tid('converted')}>
                      {t('households.form.converted15', { idNumber: derived.converted })}
                    </Typography.Text>
                  )}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('households.form.derived.pending')}</Typography.Text>
              )}
            </div>
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name={[index, 'relation']} label={t('member.field.relation')} rules={[required]}>
            <Select
              options={Relation.options.map((r) => ({ value: r, label: t(`registry.relation.${r}`) }))}
              onChange={onRelationChange}
              data-testid={tid('relation')}
            />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name={[index, 'hukouType']} label={t('member.field.hukouType')} rules={[required]}>
            <Select
              options={HukouType.options.map((h) => ({ value: h, label: t(`registry.hukou.${h}`) }))}
              data-testid={tid('hukouType')}
            />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name={[index, 'schoolStatus']} label={t('member.field.schoolStatus')} rules={[required]}>
            <Select
              options={SchoolStatus.options.map((s) => ({ value: s, label: t(`registry.school.${s}`) }))}
              data-testid={tid('schoolStatus')}
            />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start" plain>
        {t('households.form.section.contact')}
      </Divider>
      <Row gutter={16}>
        {(
          [
            ['phone', 'clearPhone', clearPhone, existing?.phoneMasked, PHONE, 20],
            ['bankAccount', 'clearBankAccount', clearBankAccount, existing?.bankAccountMasked, BANK_ACCOUNT, 30],
          ] as const
        ).map(([field, clearField, clearing, masked, re, maxLength]) => (
          // A number the editor only sees masked: left empty it is kept, the checkbox removes it.
          <Col {...col} key={field}>
            <Form.Item
              name={[index, field]}
              label={t(`member.field.${field}`)}
              rules={clearing ? [] : [pattern(re, t(`member.rule.${field}`))]}
              extra={existing ? keepHint(masked) : undefined}
            >
              <Input
                maxLength={maxLength}
                disabled={!!clearing}
                inputMode="numeric"
                placeholder={masked ? t('households.form.keep.placeholder') : undefined}
                data-testid={tid(field)}
              />
            </Form.Item>
            {masked && (
              <Form.Item name={[index, clearField]} valuePropName="checked" style={{ marginTop: -16 }}>
                <Checkbox data-testid={tid(`${field}-clear`)}>{t(`households.form.${clearField}`)}</Checkbox>
              </Form.Item>
            )}
          </Col>
        ))}
        <Col {...col}>
          <Form.Item name={[index, 'bankName']} label={t('member.field.bankName')}>
            <Input maxLength={50} disabled={!!clearBankAccount} data-testid={tid('bankName')} />
          </Form.Item>
        </Col>
      </Row>

      <Divider titlePlacement="start" plain>
        {t('households.form.section.health')}
      </Divider>
      <Row gutter={16}>
        <Col {...col}>
          <Form.Item name={[index, 'disability', 'type']} label={t('member.field.disabilityType')}>
            <Select
              allowClear
              placeholder={t('households.form.disability.none')}
              options={DisabilityType.options.map((d) => ({ value: d, label: t(`registry.disability.${d}`) }))}
              data-testid={tid('disability-type')}
            />
          </Form.Item>
        </Col>
        {disabilityType && (
          <>
            <Col {...col}>
              <Form.Item
                name={[index, 'disability', 'grade']}
                label={t('member.field.disabilityGrade')}
                rules={[required]}
              >
                <Select
                  options={GRADES.map((g) => ({ value: g, label: gradeLabel(g, t) }))}
                  data-testid={tid('disability-grade')}
                />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item
                name={[index, 'disability', 'certificateNo']}
                label={t('member.field.certificateNo')}
                rules={existing?.hasCertificate ? [] : [{ ...required, whitespace: true }]}
                extra={existing?.hasCertificate ? t('households.form.keep.certificate') : undefined}
              >
                <Input
                  maxLength={30}
                  autoComplete="off"
                  placeholder={existing?.hasCertificate ? t('households.form.keep.placeholder') : undefined}
                  data-testid={tid('disability-certificateNo')}
                />
              </Form.Item>
            </Col>
          </>
        )}
        <Col {...(disabilityType ? wide : col)}>
          <Form.Item name={[index, 'seriousIllness']} label={t('member.field.seriousIllness')}>
            <Input
              maxLength={100}
              placeholder={t('households.form.seriousIllness.placeholder')}
              data-testid={tid('seriousIllness')}
            />
          </Form.Item>
        </Col>
        <Col {...col}>
          <Form.Item name={[index, 'workAbility']} label={t('member.field.workAbility')} rules={[required]}>
            <Select
              options={WorkAbility.options.map((w) => ({ value: w, label: t(`registry.workAbility.${w}`) }))}
              data-testid={tid('workAbility')}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('member.field.adl')} extra={t('households.form.adl.help')}>
        <Flex wrap gap="small" align="center">
          {ADL_KEYS.map((k) => (
            <Form.Item key={k} name={[index, 'adl', k]} valuePropName="checked" noStyle>
              <Checkbox data-testid={tid(`adl-${k}`)}>{t(`registry.adl.${k}`)}</Checkbox>
            </Form.Item>
          ))}
          <Typography.Text type="secondary">{t('households.form.selfCareDerived')}</Typography.Text>
          <SelfCareTag value={selfCareOf(fullAdl(adl))} testId={tid('selfCare')} />
        </Flex>
      </Form.Item>

      <Divider titlePlacement="start" plain>
        {t('households.form.section.income')}
      </Divider>
      <Row gutter={16}>{IncomeTypes.map((k) => amountField('income', k, t(`registry.income.${k}`)))}</Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t('households.form.incomeTotal')}
        <span data-testid={tid('income-total')}>{t('common.yuan', { amount: formatYuan(incomeTotal) })}</span>
      </Typography.Paragraph>

      <Divider titlePlacement="start" plain>
        {t('households.form.section.assets')}
      </Divider>
      <Row gutter={16}>{AssetTypes.map((k) => amountField('assets', k, t(`registry.assets.${k}`)))}</Row>
    </Card>
  );
}
