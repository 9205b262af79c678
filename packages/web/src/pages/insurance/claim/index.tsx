import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Col, List, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, CheckCircleTwoTone, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { CONDOLENCE_READERS, type ClaimDetail, type ClaimStep } from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FullPageSpin } from '../../../components/FullPageSpin';
import { DetailHeader } from '../../../components/detail/DetailHeader';
import { ActionToolbar, type ToolbarAction } from '../../../components/detail/ActionToolbar';
import { formatDateTime, formatYuan } from '../../../lib/format';
import { insuranceApi } from '../api';
import { ClaimClock, ClaimStatusTag, coverItemName, documentName } from '../tags';
import { ClaimStepForm } from './StepForms';

const yuan = (t: ReturnType<typeof useT>, fen: number | null) =>
  fen === null ? '—' : t('common.yuan', { amount: formatYuan(fen) });

/** `/insurance/claims/:id`: a claim — checklist, documents, every step, the clock, the next step. */
export default function ClaimDetailPage() {
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const detail = useRequest((signal) => insuranceApi.claim(id, signal), [id]);
  const me = useMe();
  const readsVisits = CONDOLENCE_READERS.includes(me.role);
  // The condolence visit a death record's claim gave the village (not shown to the insurer).
  const visit = useRequest(
    (signal) =>
      readsVisits ? insuranceApi.condolenceTasks({ claimId: id, page: 1, pageSize: 1 }, signal) : Promise.resolve(null),
    [id, readsVisits],
  );
  const task = visit.data?.items[0];
  const [acted, setActed] = useState<ClaimDetail | null>(null);
  const fetched = detail.data?.id === id ? detail.data : undefined;
  const c = acted?.id === id && (!fetched || acted.version >= fetched.version) ? acted : fetched;
  const [open, setOpen] = useState<string | null>(null);
  const current = open ?? c?.allowedSteps[0] ?? null;

  if (!c) return detail.error ? <ErrorAlert error={detail.error} onRetry={detail.reload} /> : <FullPageSpin />;

  const actions: ToolbarAction[] = c.allowedSteps.map((s, i) => ({
    key: s,
    label: t(`insurance.step.${s}`),
    primary: i === 0,
  }));
  const onActed = (next: ClaimDetail) => {
    setActed(next);
    setOpen(null);
    void message.success(t('insurance.done'));
  };

  return (
    <>
      <DetailHeader
        testId="claim-header"
        title={`${c.name} · ${c.claimNo}`}
        status={<ClaimStatusTag status={c.status} />}
        facts={[
          { key: 'idMasked', label: t('insurance.field.idNumber'), value: c.idMasked },
          { key: 'region', label: t('insurance.field.region'), value: c.regionName },
          { key: 'coverItem', label: t('insurance.field.coverItem'), value: coverItemName(t, c.coverItem) },
          { key: 'eventDate', label: t('insurance.field.eventDate'), value: c.eventDate },
          {
            key: 'source',
            label: t('insurance.field.source'),
            value: t(`insurance.source.${c.source}`),
          },
          { key: 'clock', label: t('insurance.field.clock'), value: <ClaimClock claim={c} /> },
          { key: 'approved', label: t('insurance.field.approvedAmount'), value: yuan(t, c.approvedFen) },
          { key: 'paid', label: t('insurance.field.paidAmount'), value: yuan(t, c.paidFen) },
        ]}
        extra={
          <>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                setActed(null);
                detail.reload();
              }}
              data-testid="claim-reload"
            >
              {t('insurance.reload')}
            </Button>
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => (location.key === 'default' ? navigate('/insurance/claims') : navigate(-1))}
            >
              {t('common.back')}
            </Button>
          </>
        }
      />
      <div style={{ marginBottom: 16 }}>
        <ActionToolbar
          testId="claim-actions"
          actions={actions}
          open={current}
          onOpen={setOpen}
          formTitle={current ? t(`insurance.step.${current as ClaimStep}`) : undefined}
          form={
            current ? (
              <ClaimStepForm key={`${current}-${c.version}`} claim={c} step={current as ClaimStep} onActed={onActed} />
            ) : null
          }
        />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('insurance.checklist')} data-testid="claim-checklist">
            <List
              size="small"
              dataSource={c.checklist}
              renderItem={(i) => (
                <List.Item data-testid={`checklist-${i.kind}`} data-received={i.received}>
                  <span>{documentName(t, i.kind)}</span>
                  {i.received ? (
                    <Tag icon={<CheckCircleTwoTone twoToneColor="#52c41a" />} color="green">
                      {t('insurance.checklist.received')}
                    </Tag>
                  ) : (
                    <Tag>{t('insurance.checklist.missing')}</Tag>
                  )}
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('insurance.documents')} data-testid="claim-documents">
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={c.documents}
              locale={{ emptyText: t('insurance.documents.empty') }}
              columns={[
                { key: 'kind', title: t('insurance.field.documentKind'), render: (_, d) => documentName(t, d.kind) },
                { key: 'file', title: t('insurance.field.fileName'), dataIndex: 'fileName' },
                {
                  key: 'size',
                  title: t('insurance.field.size'),
                  align: 'right',
                  render: (_, d) => `${Math.max(1, Math.round(d.sizeBytes / 1024))} KB`,
                },
                { key: 'at', title: t('insurance.field.uploadedAt'), render: (_, d) => formatDateTime(d.uploadedAt) },
                {
                  key: 'download',
                  title: t('common.actions'),
                  render: (_, d) => (
                    <a
                      href={insuranceApi.documentUrl(c.id, d.id)}
                      download={d.fileName}
                      data-testid="document-download"
                    >
                      <DownloadOutlined /> {t('insurance.documents.download')}
                    </a>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        {task && (
          <Col xs={24}>
            <Card size="small" title={t('insurance.condolence.title')} data-testid="claim-condolence">
              <Typography.Text>
                {task.status === 'done'
                  ? t('insurance.condolence.done', { date: task.visitedOn ?? '' })
                  : t('insurance.condolence.due', { date: task.dueOn })}
              </Typography.Text>
              {task.beneficiaryName && (
                <div>
                  <Typography.Text type="secondary">
                    {t('insurance.condolence.beneficiary', {
                      name: task.beneficiaryName,
                      relation: task.beneficiaryRelation ?? '',
                      id: task.beneficiaryIdMasked ?? '',
                    })}
                  </Typography.Text>
                </div>
              )}
            </Card>
          </Col>
        )}
        <Col xs={24}>
          <Card size="small" title={t('insurance.history')} data-testid="claim-history">
            <Timeline
              items={c.actions.map((a) => ({
                key: a.seq,
                children: (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>{t(`insurance.action.${a.type}`)}</Typography.Text>
                    <Typography.Text type="secondary">
                      {formatDateTime(a.at)} · {a.actor}
                    </Typography.Text>
                    {typeof a.detail.reasons === 'string' && <Typography.Text>{a.detail.reasons}</Typography.Text>}
                    {typeof a.detail.note === 'string' && <Typography.Text>{a.detail.note}</Typography.Text>}
                  </Space>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
