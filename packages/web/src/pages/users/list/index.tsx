import { useState, type HTMLAttributes } from 'react';
import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { User } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';
import { formatDateTime, isLocked } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useUsers } from './useUsers';
import { UserFilterBar } from './UserFilterBar';
import { UserFormModal } from './UserFormModal';
import { ResetPasswordModal } from './ResetPasswordModal';

type Editing = { mode: 'create' } | { mode: 'edit'; user: User } | null;

export default function UsersPage() {
  const t = useT();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { list, filters, setFilters, page, setPage } = useUsers();
  const [editing, setEditing] = useState<Editing>(null);
  const [resetting, setResetting] = useState<User | undefined>(undefined);

  async function unlock(user: User) {
    try {
      await api.post(`/api/users/${seg(user.id)}/unlock`);
      void message.success(t('users.unlock.done', { username: user.username }));
      list.reload();
    } catch (e) {
      notifyError(e);
    }
  }

  const columns: TableColumnsType<User> = [
    { title: t('users.field.username'), dataIndex: 'username', width: 140 },
    { title: t('users.field.displayName'), dataIndex: 'displayName', width: 140 },
    { title: t('users.field.role'), dataIndex: 'role', width: 170, render: (_, u) => t(`role.${u.role}`) },
    {
      title: t('users.field.region'),
      dataIndex: 'regionName',
      render: (_, u) => (
        <>
          {u.regionName}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {u.regionCode}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('users.field.status'),
      key: 'status',
      width: 200,
      render: (_, u) => (
        <Space size={4} wrap>
          {u.active ? <Tag color="green">{t('users.status.active')}</Tag> : <Tag>{t('users.status.inactive')}</Tag>}
          {isLocked(u.lockedUntil) && (
            <Tag color="red" data-testid={`user-locked-${u.username}`}>
              {t('users.status.lockedUntil', { time: formatDateTime(u.lockedUntil) })}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('users.field.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (_, u) => formatDateTime(u.createdAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 200,
      render: (_, u) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            onClick={() => setEditing({ mode: 'edit', user: u })}
            data-testid={`user-edit-${u.username}`}
          >
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" onClick={() => setResetting(u)} data-testid={`user-reset-${u.username}`}>
            {t('users.action.resetPassword')}
          </Button>
          {isLocked(u.lockedUntil) && (
            <Popconfirm title={t('users.unlock.confirm', { username: u.username })} onConfirm={() => unlock(u)}>
              <Button type="link" size="small" data-testid={`user-unlock-${u.username}`}>
                {t('users.action.unlock')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ mode: 'create' })}
            data-testid="user-create"
          >
            {t('users.create')}
          </Button>
        }
      />
      <UserFilterBar value={filters} onChange={setFilters} />
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <Table<User>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 1100 }}
        onRow={(u) => ({ 'data-testid': `user-row-${u.username}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, pageSize) => setPage({ page: pageSize === page.pageSize ? p : 1, pageSize }),
        }}
        data-testid="users-table"
      />
      <UserFormModal
        open={editing !== null}
        user={editing?.mode === 'edit' ? editing.user : undefined}
        onClose={() => setEditing(null)}
        onSaved={() => {
          void message.success(t(editing?.mode === 'edit' ? 'users.edit.done' : 'users.create.done'));
          setEditing(null);
          list.reload();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
    </>
  );
}
