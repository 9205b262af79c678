import { useEffect, useRef } from 'react';
import { Button, Card, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { RegionTreeSelect } from '../regions/RegionTreeSelect';
import { useMe } from '../../app/session';
import { useT } from '../../i18n';
import { DATE_FORMAT } from '../../lib/format';

/** One field of a list's search form; its value is the URL parameter `name` (or `names`). */
export type SearchField =
  | { kind: 'text'; name: string; label: string; placeholder?: string }
  | { kind: 'select'; name: string; label: string; options: { value: string; label: string }[] }
  /** A region inside the user's own (for managers: county, city). */
  | { kind: 'region'; name: string; label: string }
  /** Two URL parameters, from and to, as China dates YYYY-MM-DD. */
  | { kind: 'dateRange'; names: [string, string]; label: string };

type FormValues = Record<string, string | [Dayjs | null, Dayjs | null] | null | undefined>;

function toForm(fields: readonly SearchField[], filters: Record<string, string>): FormValues {
  const v: FormValues = {};
  for (const f of fields) {
    if (f.kind === 'dateRange') {
      const [a, b] = f.names.map((n) => filters[n]);
      v[f.names.join('~')] = a || b ? [a ? dayjs(a) : null, b ? dayjs(b) : null] : undefined;
    } else v[f.name] = filters[f.name];
  }
  return v;
}

function fromForm(fields: readonly SearchField[], values: FormValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    if (f.kind === 'dateRange') {
      const range = values[f.names.join('~')] as [Dayjs | null, Dayjs | null] | undefined | null;
      if (range?.[0]) out[f.names[0]] = range[0].format(DATE_FORMAT);
      if (range?.[1]) out[f.names[1]] = range[1].format(DATE_FORMAT);
    } else {
      const value = values[f.name];
      if (typeof value === 'string' && value.trim() !== '') out[f.name] = value.trim();
    }
  }
  return out;
}

/** The filters of these fields only, in a fixed order, as a string to compare. */
function canonical(fields: readonly SearchField[], filters: Record<string, string>): string {
  const names = fields.flatMap((f) => (f.kind === 'dateRange' ? f.names : [f.name])).sort();
  const out: Record<string, string> = {};
  for (const n of names) if (filters[n] !== undefined && filters[n] !== '') out[n] = filters[n];
  return JSON.stringify(out);
}

/**
 * The search form above a list (Ant Design Pro's query filter): the fields people search by,
 * 查询 and 重置. The form reflects the URL, so a bookmarked search opens filled in.
 */
export function SearchForm({
  id,
  fields,
  filters,
  onSearch,
}: {
  id: string;
  fields: readonly SearchField[];
  filters: Record<string, string>;
  onSearch: (filters: Record<string, string>) => void;
}) {
  const t = useT();
  const me = useMe();
  const [form] = Form.useForm<FormValues>();
  const filterKey = canonical(fields, filters);
  // The filters this form itself last sent: when the URL catches up with them, the form already
  // shows them, and resetting it then would wipe what the user typed in the meantime.
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (sent.current === filterKey) return;
    sent.current = null;
    form.resetFields();
    form.setFieldsValue(toForm(fields, JSON.parse(filterKey) as Record<string, string>));
  }, [form, fields, filterKey]);
  const search = (next: Record<string, string>) => {
    sent.current = canonical(fields, next);
    onSearch(next);
  };
  if (fields.length === 0) return null;
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Form form={form} layout="vertical" onFinish={(v) => search(fromForm(fields, v))} data-testid={`${id}-search`}>
        <Row gutter={16} align="bottom">
          {fields.map((f) => {
            const key = f.kind === 'dateRange' ? f.names.join('~') : f.name;
            return (
              <Col key={key} xs={24} sm={12} lg={8} xl={6}>
                <Form.Item name={key} label={f.label} style={{ marginBottom: 12 }}>
                  {f.kind === 'text' ? (
                    <Input allowClear placeholder={f.placeholder} data-testid={`${id}-search-${f.name}`} />
                  ) : f.kind === 'select' ? (
                    <Select
                      allowClear
                      options={f.options}
                      placeholder={t('list.any')}
                      data-testid={`${id}-search-${f.name}`}
                    />
                  ) : f.kind === 'region' ? (
                    <RegionTreeSelect
                      rootCode={me.regionCode}
                      allowClear
                      placeholder={t('list.anyRegion')}
                      data-testid={`${id}-search-${f.name}`}
                    />
                  ) : (
                    <DatePicker.RangePicker
                      allowEmpty={[true, true]}
                      style={{ width: '100%' }}
                      data-testid={`${id}-search-${f.names[0]}`}
                    />
                  )}
                </Form.Item>
              </Col>
            );
          })}
          <Col xs={24} sm={12} lg={8} xl={6}>
            <Form.Item style={{ marginBottom: 12 }}>
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid={`${id}-search-submit`}>
                  {t('list.search')}
                </Button>
                <Button
                  icon={<UndoOutlined />}
                  onClick={() => {
                    form.resetFields();
                    search({});
                  }}
                  data-testid={`${id}-search-reset`}
                >
                  {t('list.reset')}
                </Button>
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
