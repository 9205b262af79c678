import { useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Card, Flex, Select, Space, Table, Typography } from 'antd';
import { PublicNoticeList, type PublicNotice } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useT } from '../../../i18n';
import { formatYuan } from '../../../lib/format';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { LanguageSwitch } from '../../../components/LanguageSwitch';
import { KindTag } from '../../cases/tags';
import { RecipientRoll } from './RecipientRoll';

const REGION = /^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/;

/**
 * `/notices`: the public notice board (公示栏), open without login. It shows only what the
 * API gives (name, members, kinds, amount, period): no ID number, phone or address. Below the
 * application notices, the long-term notice of a village's current recipients (长期公示).
 */
export default function NoticeBoardPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? '';
  const regionOk = REGION.test(region);
  const village = params.get('village') ?? undefined;
  const board = useRequest(
    (signal) =>
      api.get('/api/public/notices', {
        // The board's first 200 notices of the region (the API pages; a village filter narrows them).
        query: { region: regionOk ? region : undefined, pageSize: 200 },
        schema: PublicNoticeList,
        signal,
        authRedirect: false,
      }),
    [regionOk ? region : ''],
  );

  useEffect(() => {
    document.title = `${t('notices.title')} · ${t('app.name')}`;
  }, [t]);

  const villages = useMemo(() => {
    const seen = new Map<string, string>();
    for (const n of board.data?.items ?? []) seen.set(n.villageCode, `${n.townshipName} ${n.villageName}`);
    return [...seen].map(([value, label]) => ({ value, label })).sort((a, b) => a.value.localeCompare(b.value));
  }, [board.data]);
  const items = (board.data?.items ?? []).filter((n) => !village || n.villageCode === village);

  const pick = (code: string | undefined, param = 'village') => {
    const next = new URLSearchParams(params);
    if (code) next.set(param, code);
    else next.delete(param);
    setParams(next, { replace: true });
  };

  return (
    <Flex vertical style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <Flex justify="space-between" align="center" style={{ padding: '12px 16px', background: '#fff' }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
          {t('notices.title')}
        </Typography.Title>
        <LanguageSwitch />
      </Flex>
      <div style={{ padding: 16, maxWidth: 1100, width: '100%', margin: '0 auto', boxSizing: 'border-box' }}>
        <Alert type="info" showIcon title={t('notices.intro')} style={{ marginBottom: 16 }} />
        <Card size="small">
          <Space wrap style={{ marginBottom: 12 }}>
            <Typography.Text>{t('notices.village')}</Typography.Text>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              value={village}
              onChange={(v: string | undefined) => pick(v)}
              placeholder={t('notices.allVillages')}
              options={villages}
              style={{ minWidth: 220 }}
              data-testid="notices-village"
            />
          </Space>
          <ErrorAlert error={board.error} onRetry={board.reload} />
          <Table<PublicNotice & { n: number }>
            rowKey="n"
            size="middle"
            loading={board.loading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={items.map((n, i) => ({ ...n, n: i }))}
            locale={{ emptyText: t('notices.empty') }}
            data-testid="notices-table"
            columns={[
              {
                key: 'village',
                title: t('notices.village'),
                render: (_, n) => `${n.townshipName} ${n.villageName}`,
              },
              {
                key: 'name',
                title: t('notices.name'),
                render: (_, n) => <span data-testid="notice-name">{n.name}</span>,
              },
              { key: 'members', title: t('notices.members'), dataIndex: 'members', align: 'right' },
              {
                key: 'kinds',
                title: t('notices.kinds'),
                render: (_, n) => (
                  <Space size={4} wrap>
                    {n.kinds.map((k) => (
                      <KindTag key={k} kind={k} />
                    ))}
                  </Space>
                ),
              },
              {
                key: 'amount',
                title: t('notices.amount'),
                align: 'right',
                render: (_, n) => (
                  <span data-testid="notice-amount">
                    {[
                      n.monthlyAmountFen > 0 || n.oneOffAmountFen === 0
                        ? t('notices.perMonth', { amount: formatYuan(n.monthlyAmountFen) })
                        : null,
                      n.oneOffAmountFen > 0 ? t('notices.oneOff', { amount: formatYuan(n.oneOffAmountFen) }) : null,
                    ]
                      .filter(Boolean)
                      .join('；')}
                  </span>
                ),
              },
              {
                key: 'period',
                title: t('notices.period'),
                render: (_, n) => `${n.publishedOn} ~ ${n.endsOn}`,
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            {t('notices.objectionHint')}
          </Typography.Paragraph>
        </Card>
        <RecipientRoll village={params.get('roll') ?? ''} onVillage={(code) => pick(code, 'roll')} />
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Link to="/login">{t('notices.staffLogin')}</Link>
        </Flex>
      </div>
    </Flex>
  );
}
