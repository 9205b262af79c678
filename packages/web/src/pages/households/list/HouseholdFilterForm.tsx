import { useMemo } from 'react';
import { Button, Form, Input, Select } from 'antd';
import type { AssistanceStatus } from '@jiuzhu/shared';
import { useMe } from '../../../app/session';
import { useI18n } from '../../../i18n';
import { RegionTreeSelect } from '../../../components/regions/RegionTreeSelect';
import { ASSISTANCE_STATUSES, HOUSEHOLD_FLAGS, type HouseholdFlag } from '../../../components/registry/tags';
import { ID_NUMBER_TRIGGERS, idNumberRules, idNumberToSend } from '../../../components/registry/idNumberRules';
import type { HouseholdFilters } from './useHouseholds';

interface Values {
  name?: string;
  idNumber?: string;
  regionCode?: string;
  status?: AssistanceStatus;
  flag?: HouseholdFlag;
  householdNo?: string;
}

const FIELDS = ['name', 'idNumber', 'householdNo', 'regionCode', 'status', 'flag'] as const;

export function HouseholdFilterForm({
  value,
  onChange,
}: {
  value: HouseholdFilters;
  onChange: (filters: HouseholdFilters) => void;
}) {
  const { t, lang } = useI18n();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const idRules = useMemo(
    () => idNumberRules({ lang, t, required: false, errorTestId: 'households-filter-idNumber-error' }),
    [lang, t],
  );

  function apply(v: Values) {
    const idNumber = v.idNumber?.trim();
    onChange({
      name: v.name?.trim() || undefined,
      idNumber: idNumber ? idNumberToSend(idNumber) : undefined,
      regionCode: v.regionCode,
      status: v.status,
      flag: v.flag,
      householdNo: v.householdNo?.trim() || undefined,
    });
  }

  return (
    <Form<Values>
      form={form}
      layout="inline"
      initialValues={value}
      onFinish={apply}
      style={{ marginBottom: 16, rowGap: 8 }}
      data-testid="households-filters"
    >
      <Form.Item name="name">
        <Input
          placeholder={t('households.filter.name')}
          allowClear
          maxLength={50}
          style={{ width: 150 }}
          data-testid="households-filter-name"
        />
      </Form.Item>
      <Form.Item name="idNumber" rules={idRules} validateTrigger={ID_NUMBER_TRIGGERS} validateFirst>
        <Input
          placeholder={t('households.filter.idNumber')}
          allowClear
          maxLength={30}
          autoComplete="off"
          style={{ width: 220 }}
          data-testid="households-filter-idNumber"
        />
      </Form.Item>
      <Form.Item name="householdNo">
        <Input
          placeholder={t('households.filter.householdNo')}
          allowClear
          maxLength={40}
          style={{ width: 170 }}
          data-testid="households-filter-householdNo"
        />
      </Form.Item>
      <Form.Item name="regionCode">
        <RegionTreeSelect
          rootCode={me.regionCode}
          allowClear
          placeholder={t('households.filter.region')}
          style={{ width: 220 }}
          data-testid="households-filter-region"
        />
      </Form.Item>
      <Form.Item name="status">
        <Select<AssistanceStatus>
          allowClear
          placeholder={t('households.filter.status')}
          style={{ width: 150 }}
          options={ASSISTANCE_STATUSES.map((s) => ({ value: s, label: t(`registry.status.${s}`) }))}
          data-testid="households-filter-status"
        />
      </Form.Item>
      <Form.Item name="flag">
        <Select<HouseholdFlag>
          allowClear
          placeholder={t('households.filter.flag')}
          style={{ width: 150 }}
          options={HOUSEHOLD_FLAGS.map((f) => ({ value: f, label: t(`registry.flag.${f}`) }))}
          data-testid="households-filter-flag"
        />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" data-testid="households-search">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            // Not resetFields(): the initial values are the filters the page opened with.
            form.setFields(FIELDS.map((name) => ({ name, value: undefined, errors: [] })));
            apply({});
          }}
          data-testid="households-reset"
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
