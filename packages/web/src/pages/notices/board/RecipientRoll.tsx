import { useState } from 'react';
import { Card, Select, Space, Table, Typography } from 'antd';
import { PublicRecipientList, PublicRegionList } from '@jiuzhu/shared';

type PublicRecipient = PublicRecipientList['items'][number];
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useT } from '../../../i18n';
import { formatYuan } from '../../../lib/format';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { KindTag } from '../../cases/tags';

const PAGE_SIZE = 50;
const VILLAGE = /^\d{12}$/;

/**
 * The long-term notice (长期公示): the current 低保 and 特困 recipients of one village, picked by
 * township then village. Only what the API gives: name, covered members, kind, monthly amount.
 * `village` and `onVillage` keep the choice in the page's address (`?roll=<village code>`).
 */
export function RecipientRoll({
  village,
  onVillage,
}: {
  village: string;
  onVillage: (code: string | undefined) => void;
}) {
  const t = useT();
  const chosen = VILLAGE.test(village) ? village : '';
  const [township, setTownship] = useState<string | undefined>(chosen ? chosen.slice(0, 9) : undefined);
  const [page, setPage] = useState({ village: chosen, n: 1 });
  const current = page.village === chosen ? page.n : 1;
  const townships = useRequest(
    (signal) => api.get('/api/public/regions', { schema: PublicRegionList, signal, authRedirect: false }),
    [],
  );
  const villages = useRequest(
    (signal) =>
      township
        ? api.get('/api/public/regions', {
            query: { parent: township },
            schema: PublicRegionList,
            signal,
            authRedirect: false,
          })
        : Promise.resolve({ items: [] }),
    [township],
  );
  const roll = useRequest(
    (signal) =>
      chosen
        ? api.get('/api/public/recipients', {
            query: { region: chosen, page: current, pageSize: PAGE_SIZE },
            schema: PublicRecipientList,
            signal,
            authRedirect: false,
          })
        : Promise.resolve({ items: [], total: 0 }),
    [chosen, current],
  );
  const items = chosen ? (roll.data?.items ?? []) : [];

  return (
    <Card size="small" title={t('notices.roll.title')} data-testid="roll" style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('notices.roll.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          value={township}
          onChange={(v: string) => {
            setTownship(v);
            onVillage(undefined);
          }}
          placeholder={t('notices.roll.township')}
          loading={townships.loading}
          options={(townships.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
          style={{ minWidth: 180 }}
          data-testid="roll-township"
        />
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          value={chosen || undefined}
          onChange={(v: string) => onVillage(v)}
          placeholder={t('notices.roll.village')}
          disabled={!township}
          loading={villages.loading}
          options={(villages.data?.items ?? []).map((r) => ({ value: r.code, label: r.name }))}
          style={{ minWidth: 180 }}
          data-testid="roll-village"
        />
      </Space>
      <ErrorAlert error={townships.error ?? villages.error ?? roll.error} onRetry={roll.reload} />
      <Table<PublicRecipient & { n: number }>
        rowKey="n"
        size="middle"
        loading={chosen !== '' && roll.loading}
        scroll={{ x: 'max-content' }}
        dataSource={items.map((r, i) => ({ ...r, n: i }))}
        locale={{ emptyText: chosen ? t('notices.roll.empty') : t('notices.roll.pick') }}
        pagination={
          (roll.data?.total ?? 0) > PAGE_SIZE
            ? {
                current,
                pageSize: PAGE_SIZE,
                total: roll.data?.total ?? 0,
                showSizeChanger: false,
                onChange: (n) => setPage({ village: chosen, n }),
              }
            : false
        }
        data-testid="roll-table"
        columns={[
          { key: 'village', title: t('notices.village'), render: (_, r) => `${r.townshipName} ${r.villageName}` },
          {
            key: 'name',
            title: t('notices.roll.name'),
            render: (_, r) => <span data-testid="roll-name">{r.name}</span>,
          },
          { key: 'members', title: t('notices.roll.members'), dataIndex: 'members', align: 'right' },
          { key: 'kind', title: t('notices.kinds'), render: (_, r) => <KindTag kind={r.kind} /> },
          {
            key: 'amount',
            title: t('notices.roll.amount'),
            align: 'right',
            render: (_, r) => (
              <span data-testid="roll-amount">{t('notices.perMonth', { amount: formatYuan(r.monthlyAmountFen) })}</span>
            ),
          },
        ]}
      />
      {chosen && roll.data && (
        <Typography.Text type="secondary" data-testid="roll-count">
          {t('notices.roll.count', { n: roll.data.total })}
        </Typography.Text>
      )}
    </Card>
  );
}
