import { Suspense, useState } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { Button, Drawer, Flex, Grid, Layout, theme, Typography } from 'antd';
import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import type { AppRoute } from '../access';
import { useMe } from '../session';
import { useT } from '../../i18n';
import { FullPageSpin } from '../../components/FullPageSpin';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { UserMenu } from './UserMenu';
import { MustChangePasswordBanner } from './MustChangePasswordBanner';
import { NavMenu } from './NavMenu';
import { Breadcrumbs, routeOf } from './Breadcrumbs';

const { Sider, Header, Content } = Layout;

export function AppLayout({ routes }: { routes: readonly AppRoute[] }) {
  const me = useMe();
  const t = useT();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const route = routeOf(routes, pathname);
  // A detail or edit page highlights the list it was opened from.
  const selected = route ? (route.menu ? route.key : route.parentKey) : undefined;
  // useBreakpoint() is empty on the first render: assume a wide screen until it knows.
  const narrow = screens.md === false;

  const brand = (small: boolean) => (
    <Flex
      vertical
      justify="center"
      style={{ height: 64, paddingInline: small ? 0 : 24 }}
      align={small ? 'center' : 'start'}
    >
      <Typography.Text strong style={{ fontSize: 20, color: token.colorPrimary, lineHeight: 1.2 }}>
        {t('app.name')}
      </Typography.Text>
      {!small && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
          {t('app.subtitle')}
        </Typography.Text>
      )}
    </Flex>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        // A phone: the menu slides over the content instead of pushing it aside.
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          closable={false}
          styles={{ body: { padding: 0 } }}
          data-testid="nav-drawer"
        >
          {brand(false)}
          <NavMenu routes={routes} selected={selected} onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      ) : (
        <Sider
          theme="light"
          width={208}
          collapsedWidth={64}
          breakpoint="lg"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          trigger={null}
          style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}
        >
          {brand(collapsed)}
          <NavMenu routes={routes} selected={selected} />
        </Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
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
          {narrow ? (
            <Button
              type="text"
              aria-label={t('layout.expandMenu')}
              icon={<MenuOutlined />}
              onClick={() => setDrawerOpen(true)}
              data-testid="sider-toggle"
            />
          ) : (
            <Button
              type="text"
              aria-label={t(collapsed ? 'layout.expandMenu' : 'layout.collapseMenu')}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
              data-testid="sider-toggle"
            />
          )}
          <div style={{ flex: 1 }} />
          {!narrow && (
            <Typography.Text type="secondary" data-testid="header-region" ellipsis style={{ maxWidth: 240 }}>
              {me.regionName}
            </Typography.Text>
          )}
          <LanguageSwitch />
          <UserMenu me={me} showDetails={!narrow} />
        </Header>
        <Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }} data-testid="app-content">
          <Breadcrumbs routes={routes} pathname={pathname} />
          {pathname !== '/account/password' && <MustChangePasswordBanner me={me} />}
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
