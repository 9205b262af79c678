import { Avatar, Dropdown, Flex, Tag, Typography } from 'antd';
import { LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import type { Me } from '@jiuzhu/shared';
import { useSession } from '../session';
import { useT } from '../../i18n';

export function UserMenu({ me, showDetails }: { me: Me; showDetails: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const { logout } = useSession();

  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        items: [
          {
            key: 'password',
            icon: <LockOutlined />,
            label: t('user.changePassword'),
            'data-testid': 'user-menu-password',
          },
          { type: 'divider' },
          {
            key: 'logout',
            icon: <LogoutOutlined />,
            danger: true,
            label: t('user.logout'),
            'data-testid': 'logout',
          },
        ],
        onClick: ({ key }) => {
          if (key === 'password') navigate('/account/password');
          if (key === 'logout') void logout().then(() => navigate('/login', { replace: true }));
        },
      }}
    >
      <Flex
        align="center"
        gap={8}
        style={{ cursor: 'pointer', minWidth: 0 }}
        data-testid="user-menu"
        role="button"
        tabIndex={0}
      >
        <Avatar size="small" icon={<UserOutlined />} />
        <Typography.Text strong ellipsis style={{ maxWidth: 160 }} data-testid="header-user-name">
          {me.displayName}
        </Typography.Text>
        {showDetails && (
          <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="header-role">
            {t(`role.${me.role}`)}
          </Tag>
        )}
      </Flex>
    </Dropdown>
  );
}
