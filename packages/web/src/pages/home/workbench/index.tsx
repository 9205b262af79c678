import { useEffect } from 'react';
import { Alert, Card, Col, Descriptions, Empty, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import {
  regionLevelOf,
  Workbench,
  type FiguresFreshness,
  type HeadlineFigures,
  type WorkbenchTodo,
} from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { canOpen } from '../../../app/access';
import { useAppRoutes } from '../../../app/route-context';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatYuan } from '../../../lib/format';

const TONE_COLOR: Record<WorkbenchTodo['tone'], string | undefined> = {
  normal: undefined,
  warning: '#d48806',
  danger: '#cf1322',
};

/** The figures shown on the workbench, in order; money in 元. */
export const HEADLINE_KEYS: (keyof HeadlineFigures)[] = [
  'recipientHouseholds',
  'recipientPeople',
  'newEnrolments',
  'paidFen',
  'paidPersonTimes',
  'leadsIssued',
  'leadsChecked',
  'overdueCases',
  'overdueLeads',
  'claimsPaidFen',
  'provinceUploaded',
];
export const isMoney = (k: string) => k.endsWith('Fen');

/**
 * Reads again every few seconds while the figures are being recounted in the background, so that
 * the note goes and the current figures show once the recount is done.
 */
export function useReloadWhileRecounting(freshness: FiguresFreshness | null | undefined, reload: () => void) {
  useEffect(() => {
    if (!freshness?.recounting) return;
    const timer = setTimeout(reload, 3000);
    return () => clearTimeout(timer);
  }, [freshness, reload]);
}

/** A small note while the figures wait for their background recount (they are the last counted ones). */
export function RecountingNote({ freshness }: { freshness: FiguresFreshness | null | undefined }) {
  const t = useT();
  if (!freshness?.recounting) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="figures-recounting"
      message={freshness.asOf ? t('figures.recounting', { asOf: freshness.asOf }) : t('figures.recountingFirst')}
    />
  );
}

/** The landing page (工作台): what waits on the caller, with links, and for managers the region's figures. */
export default function WorkbenchPage() {
  const me = useMe();
  const t = useT();
  const routes = useAppRoutes();
  const level = regionLevelOf(me.regionCode);
  const wb = useRequest((signal) => api.get('/api/workbench', { schema: Workbench, signal }), []);
  useReloadWhileRecounting(wb.data?.freshness, wb.reload);
  // A to-do links to its list only when that page exists and the role may open it.
  const reachable = (link: string) => {
    const path = link.split('?')[0];
    return routes.some((r) => r.path === path && canOpen(r, me.role));
  };

  return (
    <>
      <PageHeader title={t('nav.home.desc')} />
      <Card size="small" style={{ marginBottom: 16 }} data-testid="welcome-card">
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: me.displayName })}
        </Typography.Title>
        <Descriptions
          column={{ xs: 1, sm: 1, md: 3 }}
          size="small"
          items={[
            {
              key: 'role',
              label: t('home.role'),
              children: <span data-testid="welcome-role">{t(`role.${me.role}`)}</span>,
            },
            {
              key: 'region',
              label: t('home.region'),
              children: (
                <span data-testid="welcome-region">
                  {me.regionName}
                  {level ? ` (${t(`level.${level}`)})` : ''}
                </span>
              ),
            },
            { key: 'username', label: t('home.username'), children: me.username },
          ]}
        />
      </Card>
      <ErrorAlert error={wb.error} onRetry={wb.reload} />
      <Typography.Title level={5}>{t('workbench.todos')}</Typography.Title>
      {wb.data && wb.data.todos.length === 0 && <Empty description={t('workbench.none')} />}
      <Row gutter={[16, 16]} data-testid="workbench-todos">
        {wb.data?.todos.map((todo) => {
          const card = (
            <Card hoverable={reachable(todo.link)} size="small" style={{ height: '100%' }}>
              <Statistic
                title={t(`workbench.todo.${todo.key}`)}
                value={todo.count}
                valueStyle={{ color: todo.count > 0 ? TONE_COLOR[todo.tone] : undefined }}
              />
            </Card>
          );
          return (
            <Col key={todo.key} xs={12} sm={12} lg={8} xl={6} data-testid={`todo-${todo.key}`} data-count={todo.count}>
              {reachable(todo.link) ? <Link to={todo.link}>{card}</Link> : card}
            </Col>
          );
        })}
      </Row>
      {wb.data?.figures && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('workbench.figures', { region: wb.data.regionName })}
          </Typography.Title>
          <RecountingNote freshness={wb.data.freshness} />
          <Row gutter={[16, 16]} data-testid="workbench-figures">
            {HEADLINE_KEYS.map((k) => (
              <Col key={k} xs={12} sm={12} lg={8} xl={6}>
                <Card size="small" style={{ height: '100%' }}>
                  <Statistic
                    title={t(`figure.${k}`)}
                    value={
                      isMoney(k) ? t('common.yuan', { amount: formatYuan(wb.data!.figures![k]) }) : wb.data!.figures![k]
                    }
                    data-testid={`figure-${k}`}
                  />
                </Card>
              </Col>
            ))}
          </Row>
        </>
      )}
    </>
  );
}
