import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Typography } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, SettingOutlined } from '@ant-design/icons';
import {
  FEED_MANAGERS,
  type FeedBatch,
  type FeedBatchQuery,
  type FeedBatchStatus,
  type FeedChannel,
} from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { errorsCsvUrl, exchangeApi } from '../api';
import { BatchStatusTag, ChannelTag, formatDuration, useLocalName } from '../tags';

const STATUSES: FeedBatchStatus[] = ['loading', 'loaded', 'failed'];
const CHANNELS: FeedChannel[] = ['upload', 'push', 'cli'];
const FILTERS = ['source', 'status', 'channel'] as const;

/** Feed batches (数据批次): every file and push, newest first, with counts and the error report. */
export default function FeedBatchesPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const name = useLocalName();
  const { params, update } = useListParams(FILTERS);
  const sources = useRequest((signal) => exchangeApi.sources(signal), []);
  const canUpload = FEED_MANAGERS.includes(me.role);
  const counts = (b: FeedBatch) =>
    t('exchange.counts', {
      total: b.rowsTotal,
      loaded: b.rowsLoaded,
      rejected: b.rowsRejected,
      duplicate: b.rowsDuplicate,
    });

  const fields = useMemo<SearchField[]>(
    () => [
      {
        kind: 'select',
        name: 'source',
        label: t('exchange.field.source'),
        options: (sources.data?.items ?? []).map((s) => ({
          value: s.code,
          label: lang === 'en-US' ? s.nameEn : s.nameZh,
        })),
      },
      {
        kind: 'select',
        name: 'status',
        label: t('exchange.field.status'),
        options: STATUSES.map((s) => ({ value: s, label: t(`exchange.status.${s}`) })),
      },
      {
        kind: 'select',
        name: 'channel',
        label: t('exchange.field.channel'),
        options: CHANNELS.map((c) => ({ value: c, label: t(`exchange.channel.${c}`) })),
      },
    ],
    [t, sources.data, lang],
  );

  const columns: ListColumn<FeedBatch>[] = [
    {
      key: 'batchNo',
      title: t('exchange.field.batchNo'),
      render: (b) => <Link to={`/exchange/batches/${b.id}`}>#{b.batchNo}</Link>,
      exportValue: (b) => b.batchNo,
    },
    {
      key: 'kind',
      title: t('exchange.field.kind'),
      render: (b) => (
        <>
          {name(b.kindNameZh, b.kindNameEn)}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {name(b.sourceNameZh, b.sourceNameEn)}
          </Typography.Text>
        </>
      ),
      exportValue: (b) => `${name(b.kindNameZh, b.kindNameEn)}（${name(b.sourceNameZh, b.sourceNameEn)}）`,
    },
    {
      key: 'status',
      title: t('exchange.field.status'),
      render: (b) => <BatchStatusTag status={b.status} />,
      exportValue: (b) => t(`exchange.status.${b.status}`),
    },
    {
      key: 'counts',
      title: t('exchange.field.counts'),
      render: (b) => <span data-testid={`batch-counts-${b.batchNo}`}>{counts(b)}</span>,
      exportValue: counts,
    },
    {
      key: 'duration',
      title: t('exchange.field.duration'),
      hideOnPhone: true,
      render: (b) => formatDuration(b.durationMs),
      exportValue: (b) => formatDuration(b.durationMs),
    },
    {
      key: 'channel',
      title: t('exchange.field.channel'),
      hideOnPhone: true,
      render: (b) => <ChannelTag channel={b.channel} />,
      exportValue: (b) => t(`exchange.channel.${b.channel}`),
    },
    {
      key: 'createdBy',
      title: t('exchange.field.createdBy'),
      hideOnPhone: true,
      render: (b) => b.createdBy,
      exportValue: (b) => b.createdBy,
    },
    {
      key: 'createdAt',
      title: t('exchange.field.createdAt'),
      hideOnPhone: true,
      render: (b) => formatDateTime(b.createdAt),
      exportValue: (b) => formatDateTime(b.createdAt),
    },
    {
      key: 'errors',
      title: t('exchange.field.errors'),
      hideOnPhone: true,
      render: (b) =>
        b.rowsRejected > 0 ? (
          <Typography.Link href={errorsCsvUrl(b.id, lang)} download data-testid={`batch-errors-${b.batchNo}`}>
            <DownloadOutlined /> {t('exchange.errors.download')}
          </Typography.Link>
        ) : b.failure ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: b.failure.message }} style={{ maxWidth: 110 }}>
            {b.failure.message}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('exchange.batches.title')}
        extra={
          <>
            <Button icon={<SettingOutlined />} onClick={() => navigate('/exchange/sources')}>
              {t('nav.exchange.sources')}
            </Button>
            {canUpload && (
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                onClick={() => navigate('/exchange/upload')}
                data-testid="batches-upload"
              >
                {t('exchange.upload.title')}
              </Button>
            )}
          </>
        }
      />
      <ListPage<FeedBatch>
        id="batches"
        fields={fields}
        columns={columns}
        params={params}
        update={update}
        load={(p, signal) =>
          exchangeApi.batches(
            {
              ...(p.filters as Partial<FeedBatchQuery>),
              status: p.filters.status as FeedBatchStatus | undefined,
              channel: p.filters.channel as FeedChannel | undefined,
              page: p.page,
              pageSize: p.pageSize,
            },
            signal,
          )
        }
        rowKey={(b) => b.id}
        rowTestId={(b) => `batch-row-${b.batchNo}`}
        exportName={t('exchange.batches.export.name')}
      />
    </>
  );
}
