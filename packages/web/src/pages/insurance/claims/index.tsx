import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, DatePicker, Form, Input, Modal, Select, Typography, type ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { CLAIM_HANDLERS, chinaToday, type ClaimListQuery, type ClaimStatus, type ClaimSummary } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { DATE_FORMAT, formatYuan } from '../../../lib/format';
import { insuranceApi, newIdempotencyKey } from '../api';
import { CLAIM_STATUSES, ClaimClock, ClaimStatusTag, STANDARD_ITEMS, coverItemName } from '../tags';

const FILTERS = ['q', 'status', 'overdue'] as const;

type ReportValues = { idNumber?: string; coverItem?: string; eventDate?: Dayjs; eventNote?: string };

/** 报案: the insured person by ID number, the cover item, the date of the event. */
function ReportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm<ReportValues>();
  const { run, submitting, error } = useFormSubmit(form, ['idNumber', 'coverItem', 'eventDate', 'eventNote']);
  const key = useRef(newIdempotencyKey());
  const submit = async (v: ReportValues) => {
    let id: string | undefined;
    const ok = await run(async () => {
      const claim = await insuranceApi.report(
        {
          idNumber: (v.idNumber ?? '').trim(),
          coverItem: v.coverItem!,
          eventDate: v.eventDate!.format(DATE_FORMAT),
          eventNote: v.eventNote?.trim() || null,
        },
        key.current,
      );
      id = claim.id;
    });
    if (ok && id) {
      key.current = newIdempotencyKey();
      onClose();
      navigate(`/insurance/claims/${seg(id)}`);
    }
  };
  return (
    <Modal
      open={open}
      title={t('insurance.report.title')}
      onCancel={onClose}
      okText={t('insurance.report.submit')}
      okButtonProps={{ loading: submitting, 'data-testid': 'report-submit' } as ButtonProps}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="form-report" disabled={submitting}>
        <FormErrorAlert error={error} />
        <Form.Item
          name="idNumber"
          label={t('insurance.field.idNumber')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input maxLength={18} autoComplete="off" data-testid="report-idNumber" />
        </Form.Item>
        <Form.Item
          name="coverItem"
          label={t('insurance.field.coverItem')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            data-testid="report-coverItem"
            options={STANDARD_ITEMS.map((c) => ({ value: c, label: coverItemName(t, c) }))}
          />
        </Form.Item>
        <Form.Item
          name="eventDate"
          label={t('insurance.field.eventDate')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.format(DATE_FORMAT) > chinaToday()}
            data-testid="report-eventDate"
          />
        </Form.Item>
        <Form.Item name="eventNote" label={t('insurance.field.eventNote')}>
          <Input.TextArea rows={2} maxLength={500} data-testid="report-eventNote" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** `/insurance/claims`: 理赔 — every claim of the region (an insurer: its schemes'), with the clock. */
export default function ClaimListPage() {
  const t = useT();
  const me = useMe();
  const canReport = CLAIM_HANDLERS.includes(me.role);
  const [reporting, setReporting] = useState(false);
  const { params, update } = useListParams(FILTERS);

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('insurance.search.q') },
      {
        kind: 'select',
        name: 'status',
        label: t('insurance.field.status'),
        options: CLAIM_STATUSES.map((s) => ({ value: s, label: t(`insurance.status.${s}`) })),
      },
      {
        kind: 'select',
        name: 'overdue',
        label: t('insurance.field.overdue'),
        options: [{ value: 'true', label: t('insurance.clock.overdue') }],
      },
    ],
    [t],
  );

  const columns: ListColumn<ClaimSummary>[] = [
    {
      key: 'claimNo',
      title: t('insurance.field.claimNo'),
      render: (c) => (
        <Link to={`/insurance/claims/${seg(c.id)}`} data-testid="claim-link">
          {c.claimNo}
        </Link>
      ),
      exportValue: (c) => c.claimNo,
    },
    {
      key: 'name',
      title: t('insurance.field.insured'),
      render: (c) => (
        <div>
          <Typography.Text strong>{c.name}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
              {c.idMasked}
            </Typography.Text>
          </div>
        </div>
      ),
      exportValue: (c) => c.name,
    },
    {
      key: 'idMasked',
      title: t('insurance.field.idNumber'),
      render: (c) => c.idMasked,
      exportValue: (c) => c.idMasked,
      defaultHidden: true,
    },
    {
      key: 'region',
      title: t('insurance.field.region'),
      hideOnPhone: true,
      render: (c) => c.regionName,
      exportValue: (c) => c.regionName,
    },
    {
      key: 'coverItem',
      title: t('insurance.field.coverItem'),
      hideOnPhone: true,
      render: (c) => coverItemName(t, c.coverItem),
      exportValue: (c) => coverItemName(t, c.coverItem),
    },
    {
      key: 'eventDate',
      title: t('insurance.field.eventDate'),
      hideOnPhone: true,
      render: (c) => c.eventDate,
      exportValue: (c) => c.eventDate,
    },
    {
      key: 'status',
      title: t('insurance.field.status'),
      render: (c) => <ClaimStatusTag status={c.status} />,
      exportValue: (c) => t(`insurance.status.${c.status}`),
    },
    {
      key: 'clock',
      title: t('insurance.field.clock'),
      hideOnPhone: true,
      render: (c) => <ClaimClock claim={c} />,
      exportValue: (c) => (c.clock.dueOn ?? '') + (c.clock.overdue ? ` ${t('insurance.clock.overdue')}` : ''),
    },
    {
      key: 'paid',
      title: t('insurance.field.paid'),
      align: 'right',
      hideOnPhone: true,
      render: (c) => (c.paidFen === null ? '—' : t('common.yuan', { amount: formatYuan(c.paidFen) })),
      exportValue: (c) => (c.paidFen === null ? '' : formatYuan(c.paidFen)),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('insurance.claims.title')}
        extra={
          canReport && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setReporting(true)}
              data-testid="claim-report"
            >
              {t('insurance.report.title')}
            </Button>
          )
        }
      />
      <ListPage<ClaimSummary>
        id="claims"
        fields={fields}
        columns={columns}
        params={params}
        update={update}
        load={(p, signal) => {
          const query: Partial<ClaimListQuery> = {
            q: p.filters.q,
            status: p.filters.status as ClaimStatus | undefined,
            overdue: p.filters.overdue === 'true' ? 'true' : undefined,
            page: p.page,
            pageSize: p.pageSize,
          };
          return insuranceApi.claims(query, signal);
        }}
        rowKey={(c) => c.id}
        rowTestId={(c) => `claim-row-${c.claimNo}`}
        exportName={t('insurance.claims.export')}
        emptyText={t('insurance.claims.empty')}
      />
      <ReportDialog open={reporting} onClose={() => setReporting(false)} />
    </>
  );
}
