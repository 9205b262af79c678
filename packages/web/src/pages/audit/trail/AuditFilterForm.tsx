import type { Dayjs } from 'dayjs';
import { Button, DatePicker, Form, Input } from 'antd';
import { useT } from '../../../i18n';
import type { AuditFilters } from './useAuditList';

interface Values {
  action?: string;
  actor?: string;
  entity?: string;
  entityId?: string;
  household?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const trimmed = (v: string | undefined) => v?.trim() || undefined;

export function AuditFilterForm({ onChange }: { onChange: (filters: AuditFilters) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  function apply(v: Values) {
    onChange({
      action: trimmed(v.action),
      actor: trimmed(v.actor),
      entity: trimmed(v.entity),
      entityId: trimmed(v.entityId),
      household: trimmed(v.household),
      from: v.range?.[0]?.format('YYYY-MM-DD'),
      to: v.range?.[1]?.format('YYYY-MM-DD'),
    });
  }

  return (
    <Form<Values>
      form={form}
      layout="inline"
      onFinish={apply}
      style={{ marginBottom: 16, rowGap: 8 }}
      data-testid="audit-filters"
    >
      <Form.Item name="action">
        <Input
          placeholder={t('audit.field.action')}
          allowClear
          maxLength={64}
          style={{ width: 150 }}
          data-testid="audit-filter-action"
        />
      </Form.Item>
      <Form.Item name="actor">
        <Input
          placeholder={t('audit.filter.actor')}
          allowClear
          maxLength={64}
          style={{ width: 150 }}
          data-testid="audit-filter-actor"
        />
      </Form.Item>
      <Form.Item name="entity">
        <Input
          placeholder={t('audit.field.entity')}
          allowClear
          maxLength={64}
          style={{ width: 130 }}
          data-testid="audit-filter-entity"
        />
      </Form.Item>
      <Form.Item name="entityId">
        <Input
          placeholder={t('audit.field.entityId')}
          allowClear
          maxLength={64}
          style={{ width: 150 }}
          data-testid="audit-filter-entityId"
        />
      </Form.Item>
      <Form.Item name="household">
        <Input
          placeholder={t('audit.filter.household')}
          allowClear
          maxLength={64}
          style={{ width: 150 }}
          data-testid="audit-filter-household"
        />
      </Form.Item>
      <Form.Item name="range">
        <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="audit-filter-range" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-search">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            apply({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
