import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select } from 'antd';
import { ShareAltOutlined } from '@ant-design/icons';
import { AgencyList, REFERRAL_SENDERS, ReferralDetail, type ReferralSource } from '@jiuzhu/shared';
import { api } from '../../api/client';
import { useFormSubmit } from '../../api/useFormSubmit';
import { useRequest } from '../../api/useRequest';
import { useMe } from '../../app/session';
import { useT } from '../../i18n';

/**
 * 转介: refers the person of a lead, household or case to an agency in use. The dialog's OK is the
 * confirmation; one Idempotency-Key per opened dialog, so a double click sends one referral.
 */
export function ReferButton({ source, sourceId }: { source: ReferralSource; sourceId: string }) {
  const t = useT();
  const can = REFERRAL_SENDERS.includes(useMe().role);
  const [open, setOpen] = useState(false);
  if (!can) return null;
  return (
    <>
      <Button icon={<ShareAltOutlined />} onClick={() => setOpen(true)} data-testid="refer-open">
        {t('referrals.refer')}
      </Button>
      {open && <ReferModal source={source} sourceId={sourceId} onClose={() => setOpen(false)} />}
    </>
  );
}

function ReferModal({ source, sourceId, onClose }: { source: ReferralSource; sourceId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ agencyId: string; request: string }>();
  const { run, submitting, error } = useFormSubmit(form, ['agencyId', 'request']);
  const [key] = useState(() => crypto.randomUUID());
  const agencies = useRequest(
    (signal) => api.get('/api/referral-agencies', { query: { active: 'true' }, schema: AgencyList, signal }),
    [],
  );
  return (
    <Modal
      open
      title={t('referrals.refer.title')}
      okText={t('referrals.refer.ok')}
      confirmLoading={submitting}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'refer-ok' } as Record<`data-${string}`, string>}
      onOk={() =>
        void form.validateFields().then((values) =>
          run(async () => {
            const r = await api.post('/api/referrals', {
              body: { ...values, source, sourceId },
              headers: { 'idempotency-key': key },
              schema: ReferralDetail,
            });
            void message.success(t('referrals.refer.saved', { no: r.referralNo }));
            onClose();
          }),
        )
      }
    >
      {error && <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="agencyId" label={t('referrals.field.agency')} rules={[{ required: true }]}>
          <Select
            data-testid="refer-agency"
            loading={agencies.loading}
            options={(agencies.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name} · ${a.help}` }))}
          />
        </Form.Item>
        <Form.Item name="request" label={t('referrals.field.request')} rules={[{ required: true, max: 1000 }]}>
          <Input.TextArea rows={3} data-testid="refer-request" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
