import { useMemo, useState } from 'react';
import { App, Button, Card, Descriptions, Empty, Segmented, Table, Typography } from 'antd';
import {
  SCHEME_EDITORS,
  chinaToday,
  regionLevelOf,
  type BillLine,
  type RosterChange,
  type RosterEntry,
  type Scheme,
} from '@jiuzhu/shared';
import { useRequest } from '../../../api/useRequest';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { formatDateTime, formatYuan } from '../../../lib/format';
import { insuranceApi } from '../api';
import { coverItemName, documentName } from '../tags';
import { SchemeFormModal } from './SchemeFormModal';

const TABS = ['scheme', 'roster', 'changes', 'bills'] as const;
type Tab = (typeof TABS)[number];
const FILTERS = ['tab', 'q', 'on', 'region', 'month'] as const;

function SchemeCard({ scheme }: { scheme: Scheme }) {
  const t = useT();
  const yuan = (fen: number) => t('common.yuan', { amount: formatYuan(fen) });
  return (
    <Card size="small" data-testid="insurance-scheme" title={t('insurance.scheme.year', { year: scheme.year })}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('insurance.scheme.insurer')}>{scheme.insurer}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.scheme.policyNo')}>{scheme.policyNo}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.scheme.period')}>
          {scheme.periodFrom} ~ {scheme.periodTo}
        </Descriptions.Item>
        <Descriptions.Item label={t('insurance.scheme.premium')}>{yuan(scheme.premiumFen)}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.scheme.kinds')}>
          {scheme.kinds.map((k) => t(`policy.kind.${k}`)).join(t('common.listSeparator'))}
        </Descriptions.Item>
        <Descriptions.Item label={t('insurance.scheme.citySharePct')}>
          {t('insurance.scheme.share', { city: scheme.cityShareBp / 100, county: 100 - scheme.cityShareBp / 100 })}
        </Descriptions.Item>
        <Descriptions.Item label={t('insurance.scheme.waitingDays')}>{scheme.waitingDays}</Descriptions.Item>
        <Descriptions.Item label={t('insurance.scheme.version')}>{scheme.version}</Descriptions.Item>
      </Descriptions>
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="code"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={scheme.coverItems}
        columns={[
          { key: 'name', title: t('insurance.field.coverItem'), render: (_, i) => coverItemName(t, i.code, i.name) },
          { key: 'max', title: t('insurance.scheme.maximum'), align: 'right', render: (_, i) => yuan(i.maxFen) },
          {
            key: 'materials',
            title: t('insurance.checklist'),
            render: (_, i) => i.materials.map((m) => documentName(t, m)).join(t('common.listSeparator')),
          },
        ]}
      />
    </Card>
  );
}

function Roster() {
  const t = useT();
  const me = useMe();
  const manager = ['city', 'county'].includes(regionLevelOf(me.regionCode) ?? '');
  const { params, update } = useListParams(FILTERS, 50);
  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('insurance.search.roster') },
      { kind: 'text', name: 'on', label: t('insurance.roster.on'), placeholder: 'YYYY-MM-DD' },
      ...(manager ? [{ kind: 'region' as const, name: 'region', label: t('insurance.field.region') }] : []),
    ],
    [t, manager],
  );
  const columns: ListColumn<RosterEntry>[] = [
    { key: 'name', title: t('insurance.field.insured'), render: (r) => r.name, exportValue: (r) => r.name },
    {
      key: 'idMasked',
      title: t('insurance.field.idNumber'),
      render: (r) => r.idMasked,
      exportValue: (r) => r.idMasked,
    },
    {
      key: 'region',
      title: t('insurance.field.region'),
      hideOnPhone: true,
      render: (r) => r.regionName,
      exportValue: (r) => r.regionName,
    },
    {
      key: 'kind',
      title: t('insurance.roster.kind'),
      render: (r) => t(`policy.kind.${r.kind}`),
      exportValue: (r) => t(`policy.kind.${r.kind}`),
    },
    {
      key: 'from',
      title: t('insurance.roster.from'),
      hideOnPhone: true,
      render: (r) => r.insuredFrom,
      exportValue: (r) => r.insuredFrom,
    },
  ];
  return (
    <ListPage<RosterEntry>
      id="roster"
      fields={fields}
      columns={columns}
      params={params}
      update={(next) => update(next.filters ? { ...next, filters: { ...next.filters, tab: 'roster' } } : next)}
      load={(p, signal) =>
        insuranceApi.roster(
          {
            q: p.filters.q,
            on: /^\d{4}-\d{2}-\d{2}$/.test(p.filters.on ?? '') ? p.filters.on : undefined,
            regionCode: p.filters.region,
            page: p.page,
            pageSize: p.pageSize,
          },
          signal,
        )
      }
      rowKey={(r) => `${r.enrolmentId}-${r.idMasked}-${r.name}`}
      rowTestId={() => 'roster-row'}
      exportName={t('insurance.roster.export')}
      emptyText={t('insurance.roster.empty')}
    />
  );
}

/** Every version of every policy year (the latest of a year is in force). */
function SchemeVersions({ items }: { items: Scheme[] }) {
  const t = useT();
  return (
    <Card size="small" title={t('insurance.versions.title')}>
      <Table<Scheme>
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={items}
        onRow={() => ({ 'data-testid': 'scheme-version-row' }) as object}
        columns={[
          { key: 'year', title: t('insurance.schemeForm.year'), dataIndex: 'year' },
          { key: 'version', title: t('insurance.scheme.version'), dataIndex: 'version' },
          { key: 'insurer', title: t('insurance.scheme.insurer'), dataIndex: 'insurer' },
          {
            key: 'premium',
            title: t('insurance.scheme.premium'),
            align: 'right',
            render: (_, s) => t('common.yuan', { amount: formatYuan(s.premiumFen) }),
          },
          {
            key: 'state',
            title: t('insurance.versions.state'),
            render: (_, s) => t(s.inForce ? 'insurance.versions.inForce' : 'insurance.versions.replaced'),
          },
          { key: 'by', title: t('insurance.versions.createdBy'), dataIndex: 'createdBy' },
          {
            key: 'at',
            title: t('insurance.versions.createdAt'),
            render: (_, s) => formatDateTime(s.createdAt),
          },
        ]}
      />
    </Card>
  );
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 参保增减名单: the month's additions and removals, for the insurer. */
function RosterChangesList() {
  const t = useT();
  const me = useMe();
  const manager = ['city', 'county'].includes(regionLevelOf(me.regionCode) ?? '');
  const { params, update } = useListParams(FILTERS, 50);
  const thisMonth = chinaToday().slice(0, 7);
  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'month', label: t('insurance.changes.month'), placeholder: 'YYYY-MM' },
      ...(manager ? [{ kind: 'region' as const, name: 'region', label: t('insurance.field.region') }] : []),
    ],
    [t, manager],
  );
  const changeText = (c: RosterChange) => t(`insurance.changes.${c.change}`);
  const columns: ListColumn<RosterChange>[] = [
    { key: 'change', title: t('insurance.changes.change'), render: changeText, exportValue: changeText },
    { key: 'name', title: t('insurance.field.insured'), render: (r) => r.name, exportValue: (r) => r.name },
    {
      key: 'idMasked',
      title: t('insurance.field.idNumber'),
      render: (r) => r.idMasked,
      exportValue: (r) => r.idMasked,
    },
    {
      key: 'region',
      title: t('insurance.field.region'),
      hideOnPhone: true,
      render: (r) => r.regionName,
      exportValue: (r) => r.regionName,
    },
    {
      key: 'kind',
      title: t('insurance.roster.kind'),
      render: (r) => t(`policy.kind.${r.kind}`),
      exportValue: (r) => t(`policy.kind.${r.kind}`),
    },
  ];
  return (
    <ListPage<RosterChange>
      id="roster-changes"
      fields={fields}
      columns={columns}
      params={params}
      update={(next) => update(next.filters ? { ...next, filters: { ...next.filters, tab: 'changes' } } : next)}
      load={async (p, signal) => {
        const month = MONTH.test(p.filters.month ?? '') ? p.filters.month! : thisMonth;
        const r = await insuranceApi.rosterChanges({ month, regionCode: p.filters.region }, signal);
        const start = (p.page - 1) * p.pageSize;
        return { items: r.items.slice(start, start + p.pageSize), total: r.items.length };
      }}
      rowKey={(r) => `${r.change}-${r.idMasked}-${r.name}-${r.regionCode}`}
      rowTestId={() => 'roster-change-row'}
      toolbar={
        <Button
          href={insuranceApi.rosterChangesXlsxUrl({
            month: MONTH.test(params.filters.month ?? '') ? params.filters.month! : thisMonth,
            regionCode: params.filters.region,
          })}
          data-testid="roster-changes-insurer-xlsx"
        >
          {t('insurance.changes.insurerXlsx')}
        </Button>
      }
      exportName={t('insurance.changes.export')}
      emptyText={t('insurance.changes.empty')}
    />
  );
}

function Bills({ year }: { year: number }) {
  const t = useT();
  const bill = useRequest((signal) => insuranceApi.bill(year, signal), [year]);
  const yuan = (fen: number) => formatYuan(fen);
  if (bill.error) return <ErrorAlert error={bill.error} onRetry={bill.reload} />;
  const b = bill.data;
  return (
    <Card size="small" title={t('insurance.bills.title', { year })}>
      {b && (
        <Typography.Paragraph type="secondary">
          {t('insurance.bills.intro', {
            from: b.fromMonth,
            through: b.throughMonth,
            premium: formatYuan(b.premiumPerYearFen),
          })}
        </Typography.Paragraph>
      )}
      <Table<BillLine>
        size="small"
        rowKey="regionCode"
        loading={bill.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={b?.counties}
        onRow={(r) => ({ 'data-testid': `bill-row-${r.regionCode}` }) as object}
        columns={[
          { key: 'region', title: t('insurance.field.region'), dataIndex: 'regionName' },
          { key: 'pm', title: t('insurance.bills.personMonths'), dataIndex: 'personMonths', align: 'right' },
          { key: 'premium', title: t('insurance.bills.premium'), align: 'right', render: (_, l) => yuan(l.premiumFen) },
          { key: 'city', title: t('insurance.bills.city'), align: 'right', render: (_, l) => yuan(l.cityFen) },
          { key: 'county', title: t('insurance.bills.county'), align: 'right', render: (_, l) => yuan(l.countyFen) },
        ]}
        summary={() =>
          b ? (
            <Table.Summary.Row data-testid="bill-total">
              <Table.Summary.Cell index={0}>{t('insurance.bills.total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {b.total.personMonths}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {yuan(b.total.premiumFen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {yuan(b.total.cityFen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {yuan(b.total.countyFen)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('insurance.bills.unit')}
      </Typography.Paragraph>
    </Card>
  );
}

/** `/insurance`: 小额保险 — the scheme in force, the roster (masked, searchable, exported), the premium bill. */
export default function InsuranceOverviewPage() {
  const t = useT();
  const { params, update } = useListParams(FILTERS, 50);
  const tab: Tab = (TABS as readonly string[]).includes(params.filters.tab ?? '')
    ? (params.filters.tab as Tab)
    : 'scheme';
  const me = useMe();
  const { message } = App.useApp();
  const editor = SCHEME_EDITORS.includes(me.role);
  const [formOpen, setFormOpen] = useState(false);
  const schemes = useRequest((signal) => insuranceApi.schemes(signal), []);
  const year = new Date().getFullYear();
  const [shownYear] = useState(year);
  const inForce = schemes.data?.items.filter((s) => s.inForce).sort((a, b) => b.year - a.year) ?? [];
  return (
    <>
      <PageHeader title={t('insurance.title')} />
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <Segmented<Tab>
          value={tab}
          onChange={(v) => update({ filters: { tab: v } })}
          options={TABS.map((v) => ({ value: v, label: t(`insurance.tab.${v}`) }))}
          data-testid="insurance-tab"
        />
      </div>
      {tab === 'scheme' && (
        <>
          <ErrorAlert error={schemes.error} onRetry={schemes.reload} />
          {inForce.length === 0 && !schemes.loading && <Empty description={t('insurance.scheme.none')} />}
          {editor && (
            <Button
              type="primary"
              style={{ marginBottom: 12 }}
              onClick={() => setFormOpen(true)}
              data-testid="scheme-add"
            >
              {t('insurance.schemeForm.open')}
            </Button>
          )}
          {inForce.map((s) => (
            <div key={s.id} style={{ marginBottom: 16 }}>
              <SchemeCard scheme={s} />
            </div>
          ))}
          {(schemes.data?.items.length ?? 0) > 0 && <SchemeVersions items={schemes.data!.items} />}
          {editor && (
            <SchemeFormModal
              open={formOpen}
              base={inForce[0]}
              onClose={() => setFormOpen(false)}
              onSaved={(s) => {
                setFormOpen(false);
                void message.success(t('insurance.schemeForm.saved', { year: s.year, version: s.version }));
                schemes.reload();
              }}
            />
          )}
        </>
      )}
      {tab === 'roster' && <Roster />}
      {tab === 'changes' && <RosterChangesList />}
      {tab === 'bills' && <Bills year={shownYear} />}
    </>
  );
}
