import { Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Flex, Grid, Layout, Menu, theme, Typography } from 'antd';
import { MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { menuRoutesFor, type AppRoute } from '../access';
import { useMe } from '../session';
import { useT } from '../../i18n';
import { FullPageSpin } from '../../components/FullPageSpin';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { UserMenu } from './UserMenu';
import { MustChangePasswordBanner } from './MustChangePasswordBanner';

const { Sider, Header, Content } = Layout;

function activeKey(routes: readonly AppRoute[], pathname: string): string | undefined {
  // Longest matching path wins, so '/' only matches the home page itself.
  return [...routes]
    .filter((r) => (r.path === '/' ? pathname === '/' : pathname === r.path || pathname.startsWith(`${r.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]?.key;
}

export function AppLayout({ routes }: { routes: readonly AppRoute[] }) {
  const me = useMe();
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);

  const menuRoutes = menuRoutesFor(routes, me.role);
  const selected = activeKey(menuRoutes, pathname);
  // useBreakpoint() is empty on the first render: assume a wide screen until it knows.
  const narrow = screens.md === false;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        theme="light"
        width={208}
        collapsedWidth={narrow ? 0 : 64}
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}
      >
        <Flex
          vertical
          justify="center"
          style={{ height: 64, paddingInline: collapsed ? 0 : 24 }}
          align={collapsed ? 'center' : 'start'}
        >
          <Typography.Text strong style={{ fontSize: 20, color: token.colorPrimary, lineHeight: 1.2 }}>
            {t('app.name')}
          </Typography.Text>
          {!collapsed && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {t('app.subtitle')}
            </Typography.Text>
          )}
        </Flex>
        <Menu
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          style={{ borderInlineEnd: 'none' }}
          onClick={({ key }) => {
            const route = menuRoutes.find((r) => r.key === key);
            if (route) navigate(route.path);
            if (narrow) setCollapsed(true);
          }}
          items={menuRoutes.map((r) => ({
            key: r.key,
            icon: r.icon,
            label: t(r.titleKey),
            'data-testid': `menu-${r.key}`,
          }))}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            paddingInline: narrow ? 8 : 16,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            display: 'flex',
            alignItems: 'center',
            gap: 12,
          }}
        >
          <Button
            type="text"
            aria-label={t(collapsed ? 'layout.expandMenu' : 'layout.collapseMenu')}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
            data-testid="sider-toggle"
          />
          <div style={{ flex: 1 }} />
          {!narrow && (
            <Typography.Text type="secondary" data-testid="header-region" ellipsis style={{ maxWidth: 240 }}>
              {me.regionName}
            </Typography.Text>
          )}
          <LanguageSwitch />
          <UserMenu me={me} showDetails={!narrow} />
        </Header>
        <Content style={{ padding: narrow ? 12 : 24 }}>
          {pathname !== '/account/password' && <MustChangePasswordBanner me={me} />}
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
