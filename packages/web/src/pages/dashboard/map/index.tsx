import { lazy, Suspense, useCallback, useMemo, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Col, DatePicker, Row, Select, Space, Spin, Statistic, Table, Typography } from 'antd';
import { ArrowUpOutlined, DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { DashboardMap, Figures, IsoMonth, MapFigure, RegionCode, regionLevelOf } from '@jiuzhu/shared';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { downloadXlsx } from '../../../components/list/exportXlsx';
import { formatYuan } from '../../../lib/format';
import { HEADLINE_KEYS, isMoney, RecountingNote, useReloadWhileRecounting } from '../../home/workbench';

// ECharts and the boundaries are a chunk of their own, fetched when the page first draws a chart.
const CityMap = lazy(() => import('./charts').then((m) => ({ default: m.CityMap })));
const RankedBars = lazy(() => import('./charts').then((m) => ({ default: m.RankedBars })));
const TrendLines = lazy(() => import('./charts').then((m) => ({ default: m.TrendLines })));

const parentOf = (code: string) => code.slice(0, code.length === 12 ? 9 : code.length === 9 ? 6 : 4);

/**
 * 一张图: the caller's region on the map (the city's counties) or as a ranking (townships,
 * villages), coloured by one figure; a click opens the area below; a village shows the lists
 * behind its numbers. The figure cards, kinds and monthly trend follow the chosen area and period.
 */
export default function DashboardPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const asked = params.get('region');
  const region =
    asked && RegionCode.safeParse(asked).success && asked.startsWith(me.regionCode) ? asked : me.regionCode;
  const figureParam = params.get('figure');
  const figure: MapFigure = MapFigure.safeParse(figureParam).success
    ? (figureParam as MapFigure)
    : 'recipientHouseholds';
  const from = IsoMonth.safeParse(params.get('from')).success ? params.get('from')! : undefined;
  const to = IsoMonth.safeParse(params.get('to')).success ? params.get('to')! : undefined;
  const level = regionLevelOf(region) ?? 'city';

  const set = (next: Record<string, string | undefined>) => {
    const merged: Record<string, string> = {};
    const all = { region: asked ?? undefined, figure: figureParam ?? undefined, from, to, ...next };
    for (const [k, v] of Object.entries(all)) if (v) merged[k] = v;
    setParams(merged);
  };
  const pick = (code: string) => set({ region: code });

  const map = useRequest(
    (signal) =>
      api.get('/api/dashboard/map', { query: { regionCode: region, figure, from, to }, schema: DashboardMap, signal }),
    [region, figure, from, to],
  );
  const figures = useRequest(
    (signal) => api.get('/api/dashboard/figures', { query: { regionCode: region, from, to }, schema: Figures, signal }),
    [region, from, to],
  );
  const f = figures.data;
  const { reload: reloadMap } = map;
  const { reload: reloadFigures } = figures;
  const reloadBoth = useCallback(() => (reloadMap(), reloadFigures()), [reloadMap, reloadFigures]);
  useReloadWhileRecounting(f?.freshness ?? map.data?.freshness, reloadBoth);
  const money = (v: number) => t('common.yuan', { amount: formatYuan(v) });
  const format = (v: number) => (isMoney(figure) ? money(v) : String(v));
  const show = (k: string, v: number) => (isMoney(k) ? money(v) : v);
  const trend = useMemo(
    () =>
      f
        ? {
            months: f.trend.map((p) => p.month),
            series: [
              { name: t('figure.newEnrolments'), values: f.trend.map((p) => p.newEnrolments), axis: 0 as const },
              { name: t('figure.leadsIssued'), values: f.trend.map((p) => p.leadsIssued), axis: 0 as const },
              { name: t('figure.paidFen'), values: f.trend.map((p) => Math.round(p.paidFen / 100)), axis: 1 as const },
            ],
          }
        : null,
    [f, t],
  );

  const exportXlsx = async () => {
    if (!f) return;
    const rows: (string | number)[][] = [
      [t('dashboard.period'), `${f.from} ~ ${f.to}`],
      ...HEADLINE_KEYS.map((k) => [t(`figure.${k}`), isMoney(k) ? formatYuan(f[k]) : f[k]]),
      [t('figure.avgDecisionWorkingDays'), f.avgDecisionWorkingDays ?? '—'],
      [t('figure.casesDecided'), f.casesDecided],
      [t('figure.claimsPaid'), f.claimsPaid],
      ...f.province.map((p) => [
        `${t('figure.provinceUploaded')} · ${t(`province.type.${p.type}`)}`,
        `${p.accepted} / ${p.records}`,
      ]),
      ...f.byKind.map((k) => [
        `${t(`policy.kind.${k.kind}`)} ${t('dashboard.households')} / ${t('dashboard.people')}`,
        `${k.households} / ${k.people}`,
      ]),
      [],
      [
        t('dashboard.month'),
        t('figure.newEnrolments'),
        t('figure.paidFen'),
        t('figure.paidPersonTimes'),
        t('figure.leadsIssued'),
        t('figure.claimsPaidFen'),
        t('figure.provinceUploaded'),
      ],
      ...f.trend.map((p) => [
        p.month,
        p.newEnrolments,
        formatYuan(p.paidFen),
        p.paidPersonTimes,
        p.leadsIssued,
        formatYuan(p.claimsPaidFen),
        p.provinceUploaded,
      ]),
      [],
      [t('dashboard.area'), t(`figure.${figure}`)],
      ...(map.data?.areas ?? []).map((a) => [a.regionName, isMoney(figure) ? formatYuan(a.value) : a.value]),
    ];
    await downloadXlsx(`${t('dashboard.title')}-${f.regionName}-${f.from}-${f.to}`, {
      sheetName: t('dashboard.sheet'),
      headers: [t('dashboard.item'), t('dashboard.value')],
      rows,
    });
  };

  const title = map.data ? `${t('dashboard.title')} · ${map.data.regionName}` : t('dashboard.title');
  return (
    <div data-testid="dashboard" data-level={level} data-region={region}>
      <PageHeader
        title={title}
        extra={
          <Space wrap>
            {region !== me.regionCode && (
              <Button icon={<ArrowUpOutlined />} onClick={() => pick(parentOf(region))} data-testid="dashboard-up">
                {t('dashboard.up')}
              </Button>
            )}
            <Button icon={<DownloadOutlined />} onClick={exportXlsx} disabled={!f} data-testid="dashboard-export">
              {t('dashboard.export')}
            </Button>
          </Space>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <span>{t('dashboard.period')}</span>
        <DatePicker.RangePicker
          picker="month"
          allowClear={false}
          value={f ? [dayjs(`${f.from}-01`), dayjs(`${f.to}-01`)] : undefined}
          onChange={(v) => v?.[0] && v[1] && set({ from: v[0].format('YYYY-MM'), to: v[1].format('YYYY-MM') })}
          data-testid="dashboard-period"
        />
        <span>{t('dashboard.figure')}</span>
        <Select<MapFigure>
          style={{ minWidth: 180 }}
          value={figure}
          onChange={(v) => set({ figure: v })}
          options={MapFigure.options.map((k) => ({ value: k, label: t(`figure.${k}`) }))}
          data-testid="dashboard-figure"
        />
      </Space>
      <ErrorAlert error={map.error ?? figures.error} onRetry={() => (map.reload(), figures.reload())} />
      <RecountingNote freshness={f?.freshness ?? map.data?.freshness} />
      <Row gutter={[16, 16]} data-testid="dashboard-figures">
        {HEADLINE_KEYS.map((k) => (
          <Col key={k} xs={12} sm={8} lg={6} xl={4}>
            <Card size="small" style={{ height: '100%' }}>
              <Statistic
                title={t(`figure.${k}`)}
                value={f ? show(k, f[k]) : '—'}
                data-testid={`dashboard-figure-${k}`}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} sm={8} lg={6} xl={4}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic
              title={t('figure.avgDecisionWorkingDays')}
              value={f?.avgDecisionWorkingDays != null ? t('dashboard.days', { days: f.avgDecisionWorkingDays }) : '—'}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('dashboard.ranking', { region: map.data?.regionName ?? '' })}>
            <Suspense fallback={<Spin />}>
              {map.data && level === 'city' && map.data.areas.length > 0 && (
                <CityMap areas={map.data.areas} format={format} onPick={pick} />
              )}
              {map.data && level !== 'city' && map.data.areas.length > 0 && (
                <RankedBars areas={map.data.areas} format={format} onPick={level === 'village' ? undefined : pick} />
              )}
            </Suspense>
            {level === 'village' && (
              <div data-testid="dashboard-lists">
                <Typography.Paragraph>
                  {t('dashboard.lists', { region: map.data?.regionName ?? '' })}
                </Typography.Paragraph>
                <Space wrap>
                  <Link to={`/households?regionCode=${region}`}>{t('dashboard.list.households')}</Link>
                  <Link to={`/cases?view=all&region=${region}`}>{t('dashboard.list.cases')}</Link>
                  <Link to="/leads?view=all">{t('dashboard.list.leads')}</Link>
                </Space>
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Table
            size="small"
            rowKey="regionCode"
            pagination={false}
            loading={map.loading}
            dataSource={map.data?.areas}
            scroll={{ y: 460 }}
            columns={[
              { title: t('dashboard.area'), dataIndex: 'regionName' },
              {
                title: t(`figure.${figure}`),
                dataIndex: 'value',
                align: 'right',
                render: (v: number) => format(v),
              },
            ]}
            onRow={(r) =>
              ({
                'data-testid': `area-row-${r.regionCode}`,
                style: { cursor: 'pointer' },
                onClick: () => pick(r.regionCode),
              }) as HTMLAttributes<HTMLElement>
            }
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('dashboard.byKind')}>
            <Table
              size="small"
              rowKey="kind"
              pagination={false}
              dataSource={f?.byKind}
              columns={[
                {
                  title: t('dashboard.kind'),
                  dataIndex: 'kind',
                  render: (k: Figures['byKind'][number]['kind']) => t(`policy.kind.${k}`),
                },
                { title: t('dashboard.households'), dataIndex: 'households', align: 'right' },
                { title: t('dashboard.people'), dataIndex: 'people', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('dashboard.province')}>
            <Table
              size="small"
              rowKey="type"
              pagination={false}
              dataSource={f?.province}
              scroll={{ x: 'max-content' }}
              data-testid="dashboard-province"
              columns={[
                {
                  title: t('dashboard.province.type'),
                  dataIndex: 'type',
                  render: (k: Figures['province'][number]['type']) => t(`province.type.${k}`),
                },
                { title: t('dashboard.province.records'), dataIndex: 'records', align: 'right' },
                { title: t('dashboard.province.accepted'), dataIndex: 'accepted', align: 'right' },
                { title: t('dashboard.province.rejected'), dataIndex: 'rejected', align: 'right' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('dashboard.trend')}>
            <Suspense fallback={<Spin />}>
              {trend && <TrendLines months={trend.months} series={trend.series} />}
            </Suspense>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
