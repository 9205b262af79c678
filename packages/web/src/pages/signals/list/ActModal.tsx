import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Skeleton,
  Typography,
  type ButtonProps,
} from 'antd';
import type { Signal, SignalActBody, SignalActResult, SignalEnrolments } from '@jiuzhu/shared';
import { seg } from '../../../api/client';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useT } from '../../../i18n';
import { formatYuan } from '../../../lib/format';
import { KindTag } from '../../cases/tags';
import { newIdempotencyKey } from '../../cases/api';
import { EnrolmentStatusTag } from '../../enrolments/tags';
import { collisionApi } from '../api';

type Item = SignalEnrolments['items'][number];
type Propose = 'none' | 'suspend' | 'end';

/**
 * Acts on a signal for the enrolments that cover its person (GET /api/signals/:id/enrolments):
 * open a review, proposing suspension or end with the signal's evidence attached; or — the death
 * of the only covered member — end from next month, confirmed by the township in one step.
 */
export function ActModal({
  signal,
  onClose,
  onDone,
}: {
  signal: Signal | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const view = useRequest(
    (s) => (signal ? collisionApi.enrolments(signal.id, s) : Promise.resolve(null)),
    [signal?.id],
  );
  const [results, setResults] = useState<Record<string, SignalActResult>>({});
  const data = signal && view.data?.signalId === signal.id ? view.data : undefined;
  return (
    <Modal
      open={signal !== null}
      title={signal ? t('signals.act.title', { no: signal.signalNo, name: signal.person.name }) : ''}
      onCancel={() => {
        setResults({});
        onClose();
      }}
      footer={null}
      destroyOnHidden
      width={640}
    >
      <ErrorAlert error={view.error} onRetry={view.reload} />
      {!data && view.loading && <Skeleton active />}
      {data && data.items.length === 0 && (
        <Typography.Paragraph type="secondary" data-testid="signal-act-none">
          {t('signals.act.none')}
        </Typography.Paragraph>
      )}
      {data && signal && (
        <Flex vertical gap="small">
          {data.items.map((item) => (
            <ItemCard
              key={item.enrolmentId}
              signal={signal}
              item={item}
              result={results[item.enrolmentId]}
              onActed={(r) => {
                setResults((x) => ({ ...x, [item.enrolmentId]: r }));
                onDone();
              }}
            />
          ))}
        </Flex>
      )}
    </Modal>
  );
}

function ItemCard({
  signal,
  item,
  result,
  onActed,
}: {
  signal: Signal;
  item: Item;
  result: SignalActResult | undefined;
  onActed: (r: SignalActResult) => void;
}) {
  const t = useT();
  const me = useMe();
  const { modal } = App.useApp();
  const [form] = Form.useForm<{ propose: Propose; note?: string }>();
  const { run, submitting, error } = useFormSubmit(form, ['propose', 'note']);
  const key = useRef(newIdempotencyKey());
  const yuan = t('common.yuan', { amount: formatYuan(item.monthlyAmountFen) });
  const reviewId = result?.reviewId ?? item.openReviewId;
  const ended = result?.enrolmentStatus === 'ended';
  const canEnd = item.proposal === 'end' && me.role === 'township_officer' && !ended;

  const act = async (body: SignalActBody) => {
    let answer: SignalActResult | undefined;
    const ok = await run(async () => {
      answer = await collisionApi.act(signal.id, body, key.current);
    });
    if (ok && answer) {
      key.current = newIdempotencyKey();
      onActed(answer);
    }
  };
  const note = () => (form.getFieldValue('note') ?? '').trim();

  return (
    <Card size="small" data-testid={`signal-act-${item.name}`}>
      <Flex wrap gap="small" align="center">
        <KindTag kind={item.kind} />
        <Typography.Text strong>{item.name}</Typography.Text>
        <EnrolmentStatusTag status={result?.enrolmentStatus ?? item.status} />
        <Typography.Text type="secondary">{t('signals.act.facts', { n: item.members, amount: yuan })}</Typography.Text>
        <Link to={`/enrolments/${seg(item.enrolmentId)}`} data-testid="signal-act-enrolment">
          {t('signals.act.openEnrolment')}
        </Link>
      </Flex>
      <Typography.Paragraph style={{ margin: '8px 0' }} data-testid="signal-act-proposal">
        {item.proposal === 'end'
          ? t('signals.act.proposal.end', { month: item.effectiveMonth ?? '' })
          : t('signals.act.proposal.review')}
      </Typography.Paragraph>
      {ended && (
        <Alert
          type="success"
          showIcon
          data-testid="signal-act-ended"
          title={t('signals.act.ended', { month: result?.endsMonth ?? '' })}
        />
      )}
      {reviewId && (
        <Alert
          type="info"
          showIcon
          data-testid="signal-act-review"
          title={
            <Link to={`/reviews/${seg(reviewId)}`} data-testid="signal-act-review-link">
              {t('signals.act.reviewOpen')}
            </Link>
          }
        />
      )}
      {!ended && (
        <Form
          form={form}
          layout="vertical"
          disabled={submitting}
          initialValues={{
            propose: signal.outcome === 'stop' ? 'end' : signal.outcome === 'suspend' ? 'suspend' : 'none',
          }}
          style={{ marginTop: 8 }}
        >
          <FormErrorAlert error={error} />
          {!reviewId && (
            <Form.Item name="propose" label={t('signals.act.propose')}>
              <Select<Propose>
                data-testid="signal-act-propose"
                options={(['none', 'suspend', 'end'] as const).map((p) => ({
                  value: p,
                  label: t(`signals.act.propose.${p}`),
                }))}
              />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('signals.field.note')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="signal-act-note" />
          </Form.Item>
          <Flex wrap gap="small">
            {!reviewId && (
              <Button
                loading={submitting}
                data-testid="signal-act-open-review"
                onClick={() => {
                  const propose = form.getFieldValue('propose') as Propose;
                  void act({
                    enrolmentId: item.enrolmentId,
                    action: 'open_review',
                    ...(propose !== 'none' ? { propose } : {}),
                    note: note(),
                  });
                }}
              >
                {t('signals.act.openReview')}
              </Button>
            )}
            {canEnd && (
              <Button
                danger
                type="primary"
                loading={submitting}
                data-testid="signal-act-confirm-end"
                onClick={() =>
                  modal.confirm({
                    title: t('signals.act.confirmEnd'),
                    content: (
                      <span data-testid="confirm-question">
                        {t('signals.act.confirmEnd.question', {
                          name: item.name,
                          month: item.effectiveMonth ?? '',
                          amount: yuan,
                        })}
                      </span>
                    ),
                    okText: t('signals.act.confirmEnd'),
                    okButtonProps: { danger: true, 'data-testid': 'confirm-ok' } as ButtonProps,
                    cancelButtonProps: { 'data-testid': 'confirm-cancel' } as ButtonProps,
                    onOk: () => act({ enrolmentId: item.enrolmentId, action: 'confirm_end', note: note() }),
                  })
                }
              >
                {t('signals.act.confirmEnd')}
              </Button>
            )}
          </Flex>
        </Form>
      )}
    </Card>
  );
}
