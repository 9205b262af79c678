import { useMemo } from 'react';
import { Button, Card, Col, Flex, Form, Input, Radio, Row, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { ASSISTANCE_KINDS, type AssistanceKind, type Determination, type DetermineBody } from '@jiuzhu/shared';
import type { FieldMapper } from '../../../api/errors';
import { useT } from '../../../i18n';
import { fenToYuan, yuanToFen } from '../../../lib/format';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { DeterminationView } from './Reports';
import { useStepAction, type OnActed } from './useStepAction';

interface KindValues {
  kind?: AssistanceKind;
  monthly?: string;
  oneOff?: string;
}
interface Values {
  mode: 'accept' | 'override';
  kinds: KindValues[];
  overrideReason?: string;
  opinion?: string;
}

const YUAN = /^\d{1,7}(\.\d{1,2})?$/;

/** The determination (审核确认): accept the rules' proposal, or decide other kinds and amounts with a reason. */
export function DetermineForm({
  caseId,
  proposal,
  onActed,
}: {
  caseId: string;
  proposal: Determination | null;
  onActed: OnActed;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const mapper = useMemo<FieldMapper>(
    () => ({
      resolve: (s) => {
        const [head, index, field] = s;
        if (head === 'overrideReason' || head === 'opinion') return [head];
        if (head === 'kinds' && typeof index === 'number') {
          if (field === 'monthlyAmountFen') return ['kinds', index, 'monthly'];
          if (field === 'oneOffAmountFen') return ['kinds', index, 'oneOff'];
          if (field === 'kind') return ['kinds', index, 'kind'];
        }
        return undefined;
      },
    }),
    [],
  );
  const { submit, submitting, error } = useStepAction(form, mapper, caseId, 'determine', onActed);
  const mode = Form.useWatch('mode', form) ?? (proposal ? 'accept' : 'override');

  function onFinish(v: Values) {
    const body: DetermineBody =
      v.mode === 'accept'
        ? { acceptProposal: true, kinds: [], overrideReason: '', opinion: (v.opinion ?? '').trim() }
        : {
            acceptProposal: false,
            kinds: (v.kinds ?? [])
              .filter((k) => k.kind)
              .map((k) => ({
                kind: k.kind as AssistanceKind,
                monthlyAmountFen: yuanToFen(k.monthly) ?? 0,
                oneOffAmountFen: yuanToFen(k.oneOff) ?? 0,
              })),
            overrideReason: (v.overrideReason ?? '').trim(),
            opinion: (v.opinion ?? '').trim(),
          };
    void submit(body);
  }

  const yuanRule = { pattern: YUAN, message: t('cases.form.yuanInvalid') };
  return (
    <Card title={t('cases.determine.title')} size="small" data-testid="card-determine">
      {proposal && (
        <div style={{ marginBottom: 16 }}>
          <DeterminationView d={proposal} testId="proposal" />
        </div>
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={submitting}
        initialValues={{
          mode: proposal ? 'accept' : 'override',
          kinds: proposal?.kinds.map((k) => ({
            kind: k.kind,
            monthly: fenToYuan(k.monthlyAmountFen),
            oneOff: fenToYuan(k.oneOffAmountFen),
          })) ?? [{}],
        }}
        onFinish={onFinish}
        data-testid="form-determine"
      >
        <FormErrorAlert error={error} />
        <Form.Item name="mode">
          <Radio.Group data-testid="determine-mode">
            <Space orientation="vertical">
              {proposal && (
                <Radio value="accept" data-testid="determine-accept">
                  {t('cases.determine.accept')}
                </Radio>
              )}
              <Radio value="override" data-testid="determine-override">
                {t('cases.determine.override')}
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {mode === 'override' && (
          <>
            <Form.List name="kinds">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%', marginBottom: 12 }}>
                  {fields.map((f) => (
                    <Row key={f.key} gutter={8} align="bottom" data-testid={`determine-kind-${f.name}`}>
                      <Col xs={24} sm={8}>
                        <Form.Item
                          name={[f.name, 'kind']}
                          label={t('cases.determination.kind')}
                          rules={[{ required: true, message: t('form.required') }]}
                        >
                          <Select<AssistanceKind>
                            options={ASSISTANCE_KINDS.map((k) => ({ value: k, label: t(`policy.kind.${k}`) }))}
                            data-testid={`determine-kind-${f.name}-kind`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={11} sm={7}>
                        <Form.Item
                          name={[f.name, 'monthly']}
                          label={t('cases.determination.monthly')}
                          rules={[{ required: true, message: t('form.required') }, yuanRule]}
                        >
                          <Input
                            inputMode="decimal"
                            suffix={t('policy.unit.yuan')}
                            data-testid={`determine-kind-${f.name}-monthly`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={11} sm={7}>
                        <Form.Item name={[f.name, 'oneOff']} label={t('cases.determination.oneOff')} rules={[yuanRule]}>
                          <Input
                            inputMode="decimal"
                            suffix={t('policy.unit.yuan')}
                            data-testid={`determine-kind-${f.name}-oneOff`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={2} sm={2}>
                        <Form.Item>
                          <Button
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={t('cases.member.remove')}
                            onClick={() => remove(f.name)}
                          />
                        </Form.Item>
                      </Col>
                    </Row>
                  ))}
                  {fields.length < ASSISTANCE_KINDS.length && (
                    <Button
                      type="dashed"
                      icon={<PlusOutlined />}
                      onClick={() => add({})}
                      data-testid="determine-kind-add"
                    >
                      {t('cases.determine.addKind')}
                    </Button>
                  )}
                </Space>
              )}
            </Form.List>
            <Form.Item
              name="overrideReason"
              label={t('cases.determine.overrideReason')}
              rules={[{ required: true, whitespace: true, message: t('cases.determine.overrideReason.required') }]}
            >
              <Input.TextArea rows={3} maxLength={1000} data-testid="determine-overrideReason" />
            </Form.Item>
          </>
        )}
        <Form.Item name="opinion" label={t('cases.determine.opinion')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="determine-opinion" />
        </Form.Item>
        <Flex>
          <Button type="primary" htmlType="submit" loading={submitting} data-testid="determine-submit">
            {t('cases.determine.submit')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}
