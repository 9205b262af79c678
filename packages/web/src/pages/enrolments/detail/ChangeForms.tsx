import { useMemo, useRef, useState } from 'react';
import { App, Button, Checkbox, Form, Input, Select, Typography, type ButtonProps } from 'antd';
import { addMonths, chinaToday, EndReason, Household, type EnrolmentDetail } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import type { FieldMapper } from '../../../api/errors';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { useRequest } from '../../../api/useRequest';
import { ActionToolbar } from '../../../components/detail/ActionToolbar';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { useT } from '../../../i18n';
import { fenToYuan, formatYuan, yuanToFen } from '../../../lib/format';
import { newIdempotencyKey } from '../../cases/api';
import { enrolmentsApi, type ChangeType } from '../api';

const ORDER: readonly ChangeType[] = [
  'amount_changed',
  'members_changed',
  'suspended',
  'resumed',
  'gradual_exit_started',
  'ended',
];
const DANGER = new Set<ChangeType>(['gradual_exit_started', 'ended']);
const YUAN = /^\d{1,7}(\.\d{1,2})?$/;

/**
 * The changes the caller may record on an enrolment (the API's `allowedChanges`: the role at the
 * kind's configured approval level, the changes the current state allows), one form at a time.
 * Test ids: `action-<type>`, `change-<field>`, `change-submit`.
 */
export function ChangeForms({
  enrolment,
  onChanged,
}: {
  enrolment: EnrolmentDetail;
  onChanged: (d: EnrolmentDetail) => void;
}) {
  const t = useT();
  const [open, setOpen] = useState<string | null>(null);
  // Covered members are chosen among the registry members of the household: without one, no members change.
  const types = ORDER.filter(
    (c) => enrolment.allowedChanges.includes(c) && (c !== 'members_changed' || enrolment.householdId !== null),
  );
  const current = open && types.includes(open as ChangeType) ? (open as ChangeType) : null;
  return (
    <ActionToolbar
      testId="enrolment-actions"
      actions={types.map((c) => ({ key: c, label: t(`enrolments.action.${c}`), danger: DANGER.has(c) }))}
      open={current}
      onOpen={setOpen}
      formTitle={current ? t(`enrolments.action.${current}`) : undefined}
      form={
        current && (
          <ChangeForm
            key={`${current}-${enrolment.version}`}
            enrolment={enrolment}
            type={current}
            onChanged={(d) => {
              setOpen(null);
              onChanged(d);
            }}
          />
        )
      }
    />
  );
}

type Values = {
  effectiveMonth: string;
  amount?: string;
  memberIds?: string[];
  reason?: EndReason;
  note?: string;
};

/** Server field paths onto the form's items (the amount is typed in yuan, sent in fen). */
const MAPPER: FieldMapper = {
  resolve: ([first]) =>
    first === 'amountFen'
      ? ['amount']
      : first === 'memberIds'
        ? ['memberIds']
        : typeof first === 'string' && ['effectiveMonth', 'reason', 'note'].includes(first)
          ? [first]
          : undefined,
};

/** The months a change may take effect: from this month or the last change's month, a year ahead. */
function monthOptions(e: EnrolmentDetail): { first: string; months: string[]; preset: string } {
  const now = chinaToday().slice(0, 7);
  const last = e.changes.reduce((m, c) => (c.effectiveMonth > m ? c.effectiveMonth : m), e.fromMonth);
  const first = last > now ? last : now;
  const next = addMonths(now, 1);
  const preset = next > first ? next : first;
  const months = Array.from({ length: 13 }, (_, i) => addMonths(first, i));
  return { first, months, preset };
}

function ChangeForm({
  enrolment: e,
  type,
  onChanged,
}: {
  enrolment: EnrolmentDetail;
  type: ChangeType;
  onChanged: (d: EnrolmentDetail) => void;
}) {
  const t = useT();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { run, submitting, error } = useFormSubmit(form, MAPPER);
  const key = useRef(newIdempotencyKey());
  const { months, preset } = useMemo(() => monthOptions(e), [e]);
  const withAmount = type === 'amount_changed' || type === 'members_changed';
  const household = useRequest(
    (signal) =>
      type === 'members_changed' && e.householdId
        ? api.get(`/api/households/${seg(e.householdId)}`, { schema: Household, signal })
        : Promise.resolve(null),
    [type, e.householdId],
  );
  const yuan = (fen: number) => t('common.yuan', { amount: formatYuan(fen) });
  const coveredNow = new Set(e.coveredMembers.filter((m) => m.covered && m.memberId).map((m) => m.memberId!));

  const bodyOf = (v: Values): Record<string, unknown> => ({
    effectiveMonth: v.effectiveMonth,
    ...(withAmount ? { amountFen: yuanToFen(v.amount) ?? 0 } : {}),
    ...(type === 'members_changed' ? { memberIds: v.memberIds ?? [] } : {}),
    ...(type === 'ended' ? { reason: v.reason } : {}),
    note: (v.note ?? '').trim(),
  });

  const question = (v: Values) =>
    t(`enrolments.confirm.${type}`, {
      name: e.name,
      householdNo: e.householdNo ?? '—',
      month: v.effectiveMonth,
      amount: yuan(withAmount ? (yuanToFen(v.amount) ?? 0) : e.monthlyAmountFen),
      current: yuan(e.monthlyAmountFen),
      n: v.memberIds?.length ?? 0,
      reason: v.reason ? t(`enrolments.reason.${v.reason}`) : '',
    });

  const send = async (body: Record<string, unknown>) => {
    let result: EnrolmentDetail | undefined;
    const ok = await run(async () => {
      result = await enrolmentsApi.change(e.id, type, body, key.current);
    });
    if (ok && result) {
      key.current = newIdempotencyKey();
      onChanged(result);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      style={{ maxWidth: 560 }}
      disabled={submitting}
      initialValues={{
        effectiveMonth: preset,
        amount: fenToYuan(e.monthlyAmountFen),
        memberIds: [...coveredNow],
      }}
      onFinish={(v) => {
        const body = bodyOf(v);
        modal.confirm({
          title: t(`enrolments.action.${type}`),
          content: <span data-testid="confirm-question">{question(v)}</span>,
          okText: t(`enrolments.action.${type}`),
          okButtonProps: { danger: DANGER.has(type), 'data-testid': 'confirm-ok' } as ButtonProps,
          cancelButtonProps: { 'data-testid': 'confirm-cancel' } as ButtonProps,
          onOk: () => send(body),
        });
      }}
      data-testid={`form-${type}`}
    >
      <FormErrorAlert error={error} />
      {type === 'gradual_exit_started' && (
        <Typography.Paragraph type="secondary">{t('enrolments.change.gradualExitHint')}</Typography.Paragraph>
      )}
      <Form.Item
        name="effectiveMonth"
        label={t('enrolments.change.effectiveMonth')}
        extra={t('enrolments.change.effectiveMonthHelp')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Select data-testid="change-effectiveMonth" options={months.map((m) => ({ value: m, label: m }))} />
      </Form.Item>
      {type === 'members_changed' && (
        <Form.Item
          name="memberIds"
          label={t('enrolments.change.coveredMembers')}
          rules={[{ required: true, type: 'array', min: 1, message: t('enrolments.change.membersRequired') }]}
        >
          <Checkbox.Group
            data-testid="change-memberIds"
            options={(household.data?.members ?? []).map((m) => ({
              value: m.id,
              label: <span data-testid={`change-member-${m.name}`}>{m.name}</span>,
            }))}
          />
        </Form.Item>
      )}
      {withAmount && (
        <Form.Item
          name="amount"
          label={t('enrolments.change.newAmount')}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: YUAN, message: t('cases.form.yuanInvalid') },
          ]}
        >
          <Input inputMode="decimal" suffix={t('policy.unit.yuan')} maxLength={12} data-testid="change-amount" />
        </Form.Item>
      )}
      {type === 'ended' && (
        <Form.Item
          name="reason"
          label={t('enrolments.change.endReason')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            data-testid="change-reason"
            options={EndReason.options.map((x) => ({ value: x, label: t(`enrolments.reason.${x}`) }))}
          />
        </Form.Item>
      )}
      <Form.Item
        name="note"
        label={t('enrolments.change.note')}
        rules={[{ required: true, whitespace: true, message: t('form.required') }]}
      >
        <Input.TextArea rows={2} maxLength={500} data-testid="change-note" />
      </Form.Item>
      <Button
        type="primary"
        danger={DANGER.has(type)}
        htmlType="submit"
        loading={submitting}
        data-testid="change-submit"
      >
        {t(`enrolments.action.${type}`)}
      </Button>
    </Form>
  );
}
