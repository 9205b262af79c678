import type { HTMLAttributes, ReactNode } from 'react';
import { Button, Descriptions, Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, CloseOutlined, EyeOutlined, MinusSquareOutlined, PlusSquareOutlined } from '@ant-design/icons';
import { AssetTypes, IncomeTypes, type Member } from '@jiuzhu/shared';
import { useT } from '../../../i18n';
import { formatYuan } from '../../../lib/format';
import { SelfCareTag } from '../../../components/registry/tags';
import { ADL_KEYS, gradeLabel, totalFen } from '../../../components/registry/fieldLabels';
import type { RevealField } from './RevealModal';

interface Row extends Member {
  index: number;
}

const mono = { fontFamily: 'monospace' } as const;

/** The household's members; sensitive numbers masked, each with a 查看 that asks for a reason. */
export function MembersTable({
  members,
  onReveal,
}: {
  members: readonly Member[];
  /** Absent for roles that may not see full numbers: no 查看 buttons then. */
  onReveal?: (member: Member, field: Exclude<RevealField, 'address'>) => void;
}) {
  const t = useT();
  const rows: Row[] = members.map((m, index) => ({ ...m, index }));

  const reveal = (m: Row, field: Exclude<RevealField, 'address'>) =>
    onReveal && (
      <Tooltip title={t('reveal.action.tip')}>
        <Button
          type="link"
          size="small"
          icon={<EyeOutlined />}
          style={{ paddingInline: 4 }}
          onClick={() => onReveal(m, field)}
          data-testid={`member-${m.index}-reveal-${field}`}
        >
          {t('reveal.action')}
        </Button>
      </Tooltip>
    );

  const masked = (value: ReactNode, action: ReactNode) => (
    <Flex align="center" wrap gap={0}>
      <span style={mono}>{value}</span>
      {action}
    </Flex>
  );

  const columns: TableColumnsType<Row> = [
    {
      title: t('member.field.name'),
      dataIndex: 'name',
      width: 120,
      fixed: 'left',
      render: (_, m) => (
        <Space size={4} wrap>
          <span data-testid={`member-${m.index}-name`}>{m.name}</span>
          {m.staffRelative && (
            <Tag color="red" data-testid={`member-${m.index}-staff-relative`}>
              {t('registry.flag.tag.staff_relative')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('member.field.relation'),
      dataIndex: 'relation',
      width: 110,
      render: (_, m) => t(`registry.relation.${m.relation}`),
    },
    { title: t('member.field.sex'), dataIndex: 'sex', width: 60, render: (_, m) => t(`registry.sex.${m.sex}`) },
    { title: t('member.field.age'), dataIndex: 'age', width: 60, align: 'right' },
    {
      title: t('member.field.idNumber'),
      dataIndex: 'idMasked',
      width: 230,
      render: (_, m) =>
        masked(<span data-testid={`member-${m.index}-idMasked`}>{m.idMasked}</span>, reveal(m, 'idNumber')),
    },
    {
      title: t('member.field.hukouType'),
      dataIndex: 'hukouType',
      width: 90,
      render: (_, m) => t(`registry.hukou.${m.hukouType}`),
    },
    {
      title: t('member.field.disability'),
      dataIndex: 'disability',
      width: 190,
      render: (_, m) =>
        m.disability ? (
          <Flex align="center" wrap gap={0}>
            <span data-testid={`member-${m.index}-disability`}>
              {t(`registry.disability.${m.disability.type}`)} {gradeLabel(m.disability.grade, t)}
            </span>
            {reveal(m, 'disabilityCertificate')}
          </Flex>
        ) : (
          '—'
        ),
    },
    {
      title: t('member.field.seriousIllness'),
      dataIndex: 'seriousIllness',
      width: 140,
      ellipsis: true,
      render: (_, m) => m.seriousIllness || '—',
    },
    {
      title: t('member.field.workAbility'),
      dataIndex: 'workAbility',
      width: 130,
      render: (_, m) => t(`registry.workAbility.${m.workAbility}`),
    },
    {
      title: t('member.field.selfCare'),
      dataIndex: 'selfCare',
      width: 140,
      render: (_, m) => <SelfCareTag value={m.selfCare} testId={`member-${m.index}-selfCare`} />,
    },
    {
      title: t('member.field.schoolStatus'),
      dataIndex: 'schoolStatus',
      width: 100,
      render: (_, m) => t(`registry.school.${m.schoolStatus}`),
    },
    {
      title: t('member.field.phone'),
      dataIndex: 'phoneMasked',
      width: 190,
      render: (_, m) => (m.phoneMasked ? masked(m.phoneMasked, reveal(m, 'phone')) : '—'),
    },
    {
      title: t('member.field.bankAccount'),
      dataIndex: 'bankAccountMasked',
      width: 250,
      render: (_, m) =>
        m.bankAccountMasked ? (
          <>
            {masked(m.bankAccountMasked, reveal(m, 'bankAccount'))}
            {m.bankName && (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {m.bankName}
              </Typography.Text>
            )}
          </>
        ) : (
          '—'
        ),
    },
    {
      title: t('member.field.incomeTotal'),
      key: 'incomeTotal',
      width: 140,
      align: 'right',
      fixed: 'right',
      render: (_, m) => <span data-testid={`member-${m.index}-income-total`}>{formatYuan(totalFen(m.income))}</span>,
    },
  ];

  return (
    <Table<Row>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 2000 }}
      onRow={(m) => ({ 'data-testid': `member-row-${m.index}` }) as HTMLAttributes<HTMLElement>}
      expandable={{
        expandedRowRender: (m) => <MemberBreakdown member={m} />,
        expandIcon: ({ expanded, onExpand, record }) => (
          <Button
            type="text"
            size="small"
            aria-label={t(expanded ? 'member.breakdown.hide' : 'member.breakdown.show')}
            icon={expanded ? <MinusSquareOutlined /> : <PlusSquareOutlined />}
            onClick={(e) => onExpand(record, e)}
            data-testid={`member-${record.index}-expand`}
          />
        ),
      }}
      data-testid="members-table"
    />
  );
}

/** Monthly income and assets by type, and the six daily-living indicators. */
function MemberBreakdown({ member: m }: { member: Row }) {
  const t = useT();
  const yuan = (fen: number | undefined) => (fen === undefined ? '—' : t('common.yuan', { amount: formatYuan(fen) }));
  return (
    <Flex vertical gap="middle" data-testid={`member-${m.index}-breakdown`}>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 4 }}
        title={t('member.breakdown.income')}
        items={[
          ...IncomeTypes.map((k) => ({ key: k, label: t(`registry.income.${k}`), children: yuan(m.income[k]) })),
          {
            key: 'total',
            label: t('member.breakdown.total'),
            children: <strong>{yuan(totalFen(m.income))}</strong>,
          },
        ]}
      />
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 4 }}
        title={t('member.breakdown.assets')}
        items={[
          ...AssetTypes.map((k) => ({ key: k, label: t(`registry.assets.${k}`), children: yuan(m.assets[k]) })),
          {
            key: 'total',
            label: t('member.breakdown.total'),
            children: <strong>{yuan(totalFen(m.assets))}</strong>,
          },
        ]}
      />
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 3, lg: 6 }}
        title={t('member.field.adl')}
        items={ADL_KEYS.map((k) => ({
          key: k,
          label: t(`registry.adl.${k}`),
          children: !m.adl ? (
            '—'
          ) : m.adl[k] ? (
            <Typography.Text type="success">
              <CheckOutlined /> {t('member.adl.can')}
            </Typography.Text>
          ) : (
            <Typography.Text type="danger">
              <CloseOutlined /> {t('member.adl.cannot')}
            </Typography.Text>
          ),
        }))}
      />
    </Flex>
  );
}
