import { useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Spin, Table, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import type { FeedRowError } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/format';
import { errorsCsvUrl, exchangeApi } from '../api';
import { BatchStatusTag, ChannelTag, formatDuration, useLocalName } from '../tags';

/** One batch: who sent what, when, the counts, why it failed, and its first row errors. */
export default function FeedBatchPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const name = useLocalName();
  const { id = '' } = useParams();
  const batch = useRequest((signal) => exchangeApi.batch(id, signal), [id, lang]);
  const b = batch.data;

  return (
    <>
      <PageHeader
        title={b ? t('exchange.batch.title', { batchNo: b.batchNo }) : t('nav.exchange.batch')}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/exchange/batches')}>
            {t('exchange.backToBatches')}
          </Button>
        }
      />
      <ErrorAlert error={batch.error} onRetry={batch.reload} />
      {!b && batch.loading && <Spin />}
      {b && (
        <>
          {b.failure && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('exchange.upload.failed')}
              description={b.failure.message}
              data-testid="batch-failure"
            />
          )}
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('exchange.field.kind')}>
              <span title={b.kindCode}>{name(b.kindNameZh, b.kindNameEn)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.source')}>
              {name(b.sourceNameZh, b.sourceNameEn)}
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.status')}>
              <BatchStatusTag status={b.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.channel')}>
              <ChannelTag channel={b.channel} />
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.counts')}>
              <span data-testid="batch-counts">
                {t('exchange.counts', {
                  total: b.rowsTotal,
                  loaded: b.rowsLoaded,
                  rejected: b.rowsRejected,
                  duplicate: b.rowsDuplicate,
                })}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.duration')}>{formatDuration(b.durationMs)}</Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.fileName')}>{b.fileName}</Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.fileSha256')}>
              <Typography.Text copyable={{ text: b.fileSha256 }} style={{ fontFamily: 'monospace', fontSize: 12 }}>
                {b.fileSha256.slice(0, 16)}…
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.encoding')}>{b.encoding}</Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.asOf')}>{b.asOf}</Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.createdBy')}>{b.createdBy}</Descriptions.Item>
            <Descriptions.Item label={t('exchange.field.createdAt')}>{formatDateTime(b.createdAt)}</Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title={t('exchange.batch.errors', { total: b.errorsTotal })}
            extra={
              b.errorsTotal > 0 ? (
                <Typography.Link href={errorsCsvUrl(b.id, lang)} download data-testid="batch-errors-link">
                  <DownloadOutlined /> {t('exchange.errors.download')}
                </Typography.Link>
              ) : null
            }
          >
            {b.errorsTotal > b.errors.length && (
              <Typography.Paragraph type="secondary">
                {t('exchange.batch.errorsFirst', { shown: b.errors.length, total: b.errorsTotal })}
              </Typography.Paragraph>
            )}
            <Table<FeedRowError>
              rowKey={(e) => `${e.line}-${e.reason}`}
              size="small"
              pagination={false}
              dataSource={b.errors}
              columns={[
                { title: t('exchange.field.line'), dataIndex: 'line', width: 80 },
                {
                  title: t('exchange.field.column'),
                  key: 'column',
                  width: 180,
                  render: (_, e) => (e.column ? <span title={e.column}>{e.columnLabel ?? e.column}</span> : '—'),
                },
                { title: t('exchange.field.reason'), dataIndex: 'message' },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
