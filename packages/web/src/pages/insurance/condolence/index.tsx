import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Tag,
  Typography,
  type ButtonProps,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { CONDOLENCE_VISITORS, chinaToday, type CondolenceTask } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useRequest } from '../../../api/useRequest';
import { useCanOpen } from '../../../app/useCanOpen';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { DATE_FORMAT } from '../../../lib/format';
import { insuranceApi, newIdempotencyKey } from '../api';
import { coverItemName } from '../tags';

const VIEWS = ['open', 'done'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 20;
const FIELDS = [
  'visitedOn',
  'beneficiaryName',
  'beneficiaryRelation',
  'beneficiaryIdNumber',
  'beneficiaryPhone',
  'note',
];

type Values = {
  visitedOn?: Dayjs;
  beneficiaryName?: string;
  beneficiaryRelation?: string;
  beneficiaryIdNumber?: string;
  beneficiaryPhone?: string;
  note?: string;
};

/** The visit: the family was told about the claim; the beneficiary's details for the payout. */
function VisitDialog({ task, onClose, onDone }: { task: CondolenceTask; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error } = useFormSubmit(form, FIELDS);
  const key = useRef(newIdempotencyKey());
  const submit = async (v: Values) => {
    const ok = await run(async () => {
      await insuranceApi.completeCondolence(
        task.id,
        {
          visitedOn: v.visitedOn!.format(DATE_FORMAT),
          familyInformed: true,
          beneficiaryName: (v.beneficiaryName ?? '').trim(),
          beneficiaryRelation: (v.beneficiaryRelation ?? '').trim(),
          beneficiaryIdNumber: (v.beneficiaryIdNumber ?? '').trim(),
          beneficiaryPhone: v.beneficiaryPhone?.trim() || null,
          note: v.note?.trim() || null,
        },
        key.current,
      );
    });
    if (ok) onDone();
  };
  const required = [{ required: true, whitespace: true, message: t('form.required') }];
  return (
    <Modal
      open
      title={t('insurance.condolence.visit', { name: task.name })}
      onCancel={onClose}
      okText={t('insurance.condolence.submit')}
      okButtonProps={{ loading: submitting, 'data-testid': 'condolence-submit' } as ButtonProps}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={submitting}
        initialValues={{ visitedOn: dayjs(chinaToday()) }}
        data-testid="form-condolence"
      >
        <FormErrorAlert error={error} />
        <Typography.Paragraph type="secondary">{t('insurance.condolence.intro')}</Typography.Paragraph>
        <Form.Item
          name="visitedOn"
          label={t('insurance.condolence.visitedOn')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <DatePicker disabledDate={(d) => d.format(DATE_FORMAT) > chinaToday()} data-testid="condolence-visitedOn" />
        </Form.Item>
        <Form.Item name="beneficiaryName" label={t('insurance.condolence.beneficiaryName')} rules={required}>
          <Input maxLength={40} data-testid="condolence-beneficiaryName" />
        </Form.Item>
        <Form.Item name="beneficiaryRelation" label={t('insurance.condolence.relation')} rules={required}>
          <Input maxLength={20} data-testid="condolence-beneficiaryRelation" />
        </Form.Item>
        <Form.Item name="beneficiaryIdNumber" label={t('insurance.condolence.idNumber')} rules={required}>
          <Input maxLength={18} autoComplete="off" data-testid="condolence-beneficiaryIdNumber" />
        </Form.Item>
        <Form.Item name="beneficiaryPhone" label={t('insurance.condolence.phone')}>
          <Input maxLength={11} inputMode="tel" autoComplete="off" data-testid="condolence-beneficiaryPhone" />
        </Form.Item>
        <Form.Item name="note" label={t('insurance.field.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** `/insurance/condolence`: 吊唁走访 — the visits a death record's claim asks of the village. */
export default function CondolencePage() {
  const t = useT();
  const me = useMe();
  const canClaim = useCanOpen('insurance-claim');
  const canVisit = CONDOLENCE_VISITORS.includes(me.role);
  const [view, setView] = useState<View>('open');
  const [page, setPage] = useState(1);
  const [visiting, setVisiting] = useState<CondolenceTask | null>(null);
  const list = useRequest(
    (signal) => insuranceApi.condolenceTasks({ status: view, page, pageSize: PAGE_SIZE }, signal),
    [view, page],
  );
  return (
    <>
      <PageHeader title={t('insurance.condolence.title')} />
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented<View>
          value={view}
          onChange={(v) => {
            setView(v);
            setPage(1);
          }}
          options={VIEWS.map((v) => ({ value: v, label: t(`insurance.condolence.view.${v}`) }))}
          data-testid="condolence-view"
        />
      </div>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <List<CondolenceTask>
        dataSource={list.data?.items}
        loading={list.loading}
        locale={{ emptyText: <Empty description={t('insurance.condolence.empty')} /> }}
        pagination={
          (list.data?.total ?? 0) > PAGE_SIZE
            ? { current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, size: 'small', onChange: setPage }
            : false
        }
        renderItem={(task) => (
          <List.Item style={{ padding: '6px 0', borderBlockEnd: 'none' }}>
            <Card size="small" style={{ width: '100%' }} data-testid={`condolence-card-${task.claimNo}`}>
              <Flex justify="space-between" align="center" gap={8} wrap>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {task.name}
                  </Typography.Text>{' '}
                  <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
                    {task.idMasked}
                  </Typography.Text>
                  <div>
                    <Typography.Text type="secondary">
                      {task.regionName} · {coverItemName(t, task.coverItem)} · {task.eventDate}
                    </Typography.Text>
                  </div>
                  <Flex wrap gap={4} align="center" style={{ marginTop: 4 }}>
                    {task.status === 'done' ? (
                      <Tag color="green">{t('insurance.condolence.done', { date: task.visitedOn ?? '' })}</Tag>
                    ) : (
                      <Tag color={task.overdue ? 'red' : 'blue'}>
                        {t('insurance.condolence.due', { date: task.dueOn })}
                      </Tag>
                    )}
                    {task.beneficiaryName && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('insurance.condolence.beneficiary', {
                          name: task.beneficiaryName,
                          relation: task.beneficiaryRelation ?? '',
                          id: task.beneficiaryIdMasked ?? '',
                        })}
                      </Typography.Text>
                    )}
                    {canClaim && <Link to={`/insurance/claims/${seg(task.claimId)}`}>{task.claimNo}</Link>}
                  </Flex>
                </div>
                {canVisit && task.status === 'open' && (
                  <Button type="primary" onClick={() => setVisiting(task)} data-testid="condolence-record">
                    {t('insurance.condolence.record')}
                  </Button>
                )}
              </Flex>
            </Card>
          </List.Item>
        )}
      />
      {visiting && (
        <VisitDialog
          task={visiting}
          onClose={() => setVisiting(null)}
          onDone={() => {
            setVisiting(null);
            list.reload();
          }}
        />
      )}
    </>
  );
}
