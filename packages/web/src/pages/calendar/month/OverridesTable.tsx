import dayjs from 'dayjs';
import { Button, Popconfirm, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import type { CalendarOverride } from '@jiuzhu/shared';
import { useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';

interface Props {
  items: CalendarOverride[] | undefined;
  loading: boolean;
  onEdit: (o: CalendarOverride) => void;
  onDelete: (o: CalendarOverride) => Promise<void>;
}

export function OverridesTable({ items, loading, onEdit, onDelete }: Props) {
  const t = useT();
  const columns: TableColumnsType<CalendarOverride> = [
    {
      title: t('calendar.field.date'),
      dataIndex: 'date',
      width: 150,
      render: (_, o) => `${o.date} ${dayjs(o.date).format('ddd')}`,
    },
    {
      title: t('calendar.field.isWorkingDay'),
      dataIndex: 'isWorkingDay',
      width: 110,
      render: (_, o) =>
        o.isWorkingDay ? (
          <Tag color="orange">{t('calendar.working')}</Tag>
        ) : (
          <Tag color="red">{t('calendar.dayOff')}</Tag>
        ),
    },
    { title: t('calendar.field.note'), dataIndex: 'note' },
    { title: t('calendar.field.updatedBy'), dataIndex: 'updatedBy', width: 120 },
    {
      title: t('calendar.field.updatedAt'),
      dataIndex: 'updatedAt',
      width: 150,
      render: (_, o) => formatDateTime(o.updatedAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, o) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => onEdit(o)} data-testid={`override-edit-${o.date}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('calendar.override.deleteConfirm', { date: o.date })} onConfirm={() => onDelete(o)}>
            <Button type="link" size="small" danger data-testid={`override-delete-${o.date}`}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];
  return (
    <Table<CalendarOverride>
      rowKey="date"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      scroll={{ x: 760 }}
      locale={{ emptyText: t('calendar.override.empty') }}
      data-testid="overrides-table"
    />
  );
}
