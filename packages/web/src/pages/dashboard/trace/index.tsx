import { Link, useParams } from 'react-router-dom';
import { Card, Empty, Tag, Timeline, Typography } from 'antd';
import { Trace, type TraceEvent } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useT, type MessageKey } from '../../../i18n';
import { zhCN } from '../../../locales/zh-CN';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatDateTime, formatYuan } from '../../../lib/format';

const COLORS: Record<TraceEvent['type'], string> = {
  lead: 'orange',
  visit: 'gold',
  case: 'blue',
  enrolment: 'green',
  payment: 'cyan',
  return: 'red',
  claim: 'purple',
};

/** The words for an event's action: case steps, lead outcomes, enrolment changes, claim steps. */
function actionKey(e: TraceEvent): MessageKey | null {
  const [head, tail] = e.action.split(':');
  const candidates: Record<TraceEvent['type'], string> = {
    case: `cases.action.${e.action}`,
    lead: tail ? `leads.outcome.${tail}` : `trace.lead.${head}`,
    visit: `leads.outcome.${e.action}`,
    enrolment: `trace.enrolment.${tail}`,
    payment: 'trace.payment',
    return: 'trace.return',
    claim: `trace.claim.${e.action}`,
  };
  const key = candidates[e.type];
  return key in zhCN ? (key as MessageKey) : null;
}

/** 全流程追踪: a household's chain — leads, applications step by step, enrolment, payments, claims — in time order. */
export default function TracePage() {
  const t = useT();
  const { id = '' } = useParams();
  const trace = useRequest((signal) => api.get(`/api/trace/household/${id}`, { schema: Trace, signal }), [id]);
  const tr = trace.data;
  return (
    <>
      <PageHeader
        title={tr?.householdNo ? `${t('trace.title')} · ${tr.householdNo}` : t('trace.title')}
        extra={<Link to={`/households/${id}`}>{t('trace.household')}</Link>}
      />
      <ErrorAlert error={trace.error} onRetry={trace.reload} />
      <Card size="small" loading={trace.loading && !tr}>
        {tr && tr.events.length === 0 && <Empty description={t('trace.empty')} />}
        {tr && tr.events.length > 0 && (
          <Timeline
            data-testid="trace-events"
            items={tr.events.map((e, i) => ({
              key: i,
              color: COLORS[e.type],
              children: (
                <div data-testid={`trace-${e.type}`}>
                  <Typography.Text type="secondary">{formatDateTime(e.at)}</Typography.Text>{' '}
                  <Tag color={COLORS[e.type]}>{t(`trace.type.${e.type}`)}</Tag>
                  {e.type === 'enrolment' ? null : e.link ? (
                    <Link to={e.link}>{e.ref}</Link>
                  ) : (
                    <span>{e.ref}</span>
                  )} · {actionKey(e) ? t(actionKey(e)!) : ''}
                  {e.type === 'enrolment' && e.ref in { dibao: 1, tekun: 1, dibao_edge: 1, temporary: 1 }
                    ? ` · ${t(`policy.kind.${e.ref as 'dibao'}`)}`
                    : ''}
                  {e.month ? ` · ${e.month}` : ''}
                  {e.amountFen !== null ? ` · ${t('common.yuan', { amount: formatYuan(e.amountFen) })}` : ''}
                  {e.actor ? ` · ${e.actor}` : ''}
                </div>
              ),
            }))}
          />
        )}
      </Card>
    </>
  );
}
