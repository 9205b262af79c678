import { useMemo, useState } from 'react';
import { App, Button, Popconfirm, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ROLES, UserList, type User, type UserListQuery } from '@jiuzhu/shared';
import { api, seg } from '../../../api/client';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';
import { formatDateTime, isLocked } from '../../../lib/format';
import { PageHeader } from '../../../components/PageHeader';
import { ListPage, type ListColumn } from '../../../components/list/ListPage';
import type { SearchField } from '../../../components/list/SearchForm';
import { useListParams } from '../../../components/list/useListParams';
import { UserFormModal } from './UserFormModal';
import { ResetPasswordModal } from './ResetPasswordModal';

type Editing = { mode: 'create' } | { mode: 'edit'; user: User } | null;

const FILTERS = ['q', 'role', 'regionCode', 'status'] as const;
const STATUSES = ['active', 'inactive', 'locked'] as const;

export default function UsersPage() {
  const t = useT();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { params, update } = useListParams(FILTERS);
  // Bumped after a change (save, unlock) so the list reloads with the same search.
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const [editing, setEditing] = useState<Editing>(null);
  const [resetting, setResetting] = useState<User | undefined>(undefined);

  async function unlock(user: User) {
    try {
      await api.post(`/api/users/${seg(user.id)}/unlock`);
      void message.success(t('users.unlock.done', { username: user.username }));
      reload();
    } catch (e) {
      notifyError(e);
    }
  }

  const fields = useMemo<SearchField[]>(
    () => [
      { kind: 'text', name: 'q', label: t('users.search.q'), placeholder: t('users.filter.q') },
      {
        kind: 'select',
        name: 'role',
        label: t('users.field.role'),
        options: ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })),
      },
      { kind: 'region', name: 'regionCode', label: t('users.field.region') },
      {
        kind: 'select',
        name: 'status',
        label: t('users.field.status'),
        options: STATUSES.map((s) => ({ value: s, label: t(`users.search.status.${s}`) })),
      },
    ],
    [t],
  );

  const statusText = (u: User) =>
    [
      t(u.active ? 'users.status.active' : 'users.status.inactive'),
      isLocked(u.lockedUntil) ? t('users.status.lockedUntil', { time: formatDateTime(u.lockedUntil) }) : '',
    ]
      .filter(Boolean)
      .join('、');

  const columns: ListColumn<User>[] = [
    {
      key: 'username',
      title: t('users.field.username'),
      sortKey: 'username',
      render: (u) => u.username,
      exportValue: (u) => u.username,
    },
    {
      key: 'displayName',
      title: t('users.field.displayName'),
      sortKey: 'displayName',
      render: (u) => u.displayName,
      exportValue: (u) => u.displayName,
    },
    {
      key: 'role',
      title: t('users.field.role'),
      sortKey: 'role',
      render: (u) => t(`role.${u.role}`),
      exportValue: (u) => t(`role.${u.role}`),
    },
    {
      key: 'region',
      title: t('users.field.region'),
      sortKey: 'region',
      hideOnPhone: true,
      render: (u) => u.regionName,
      exportValue: (u) => u.regionName,
    },
    {
      key: 'status',
      title: t('users.field.status'),
      render: (u) => (
        <Space size={4} wrap>
          {u.active ? <Tag color="green">{t('users.status.active')}</Tag> : <Tag>{t('users.status.inactive')}</Tag>}
          {isLocked(u.lockedUntil) && (
            <Tag color="red" data-testid={`user-locked-${u.username}`}>
              {t('users.status.lockedUntil', { time: formatDateTime(u.lockedUntil) })}
            </Tag>
          )}
        </Space>
      ),
      exportValue: statusText,
    },
    {
      key: 'createdAt',
      title: t('users.field.createdAt'),
      sortKey: 'createdAt',
      hideOnPhone: true,
      render: (u) => formatDateTime(u.createdAt),
      exportValue: (u) => formatDateTime(u.createdAt),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (u) => (
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
      <ListPage<User>
        id="users"
        fields={fields}
        columns={columns}
        params={params}
        update={update}
        load={(p, signal) =>
          api.get('/api/users', {
            query: {
              ...(p.filters as Partial<UserListQuery>),
              page: p.page,
              pageSize: p.pageSize,
              ...(p.sort ? { sort: p.sort, order: p.order ?? 'asc' } : {}),
            },
            schema: UserList,
            signal,
          })
        }
        deps={[version]}
        rowKey={(u) => u.id}
        rowTestId={(u) => `user-row-${u.username}`}
        exportName={t('users.export.name')}
      />
      <UserFormModal
        open={editing !== null}
        user={editing?.mode === 'edit' ? editing.user : undefined}
        onClose={() => setEditing(null)}
        onSaved={() => {
          void message.success(t(editing?.mode === 'edit' ? 'users.edit.done' : 'users.create.done'));
          setEditing(null);
          reload();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
    </>
  );
}
