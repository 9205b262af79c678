import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet } from 'react-router-dom';
import {
  AccountBookOutlined,
  ApartmentOutlined,
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CloudSyncOutlined,
  ControlOutlined,
  DatabaseOutlined,
  FieldTimeOutlined,
  FolderOpenOutlined,
  FormOutlined,
  HomeOutlined,
  LockOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import {
  CASE_INTAKE,
  CASE_READERS,
  FEED_MANAGERS,
  FEED_READERS,
  LEAD_READERS,
  POLICY_READERS,
  REGISTRY_EDITORS,
  REGISTRY_MANAGERS,
  REGISTRY_READERS,
  SIGNAL_READERS,
  USER_MANAGER_ROLES,
} from '@jiuzhu/shared';
import type { AppRoute } from './access';
import { SessionProvider } from './session';
import { RequireAuth } from './RequireAuth';
import { RouteGuard } from './RouteGuard';
import { RouteError } from './RouteError';
import { AppLayout } from './layout/AppLayout';
import { NotFoundPage } from '../pages/errors/not-found';
import { FullPageSpin } from '../components/FullPageSpin';

const HouseholdEditPage = lazy(() => import('../pages/households/edit'));

/**
 * Every page of the staff app, with who may open it. The side menu, the home shortcuts and
 * the 403 page are all derived from this list: a new page is one entry here.
 */
export const APP_ROUTES: readonly AppRoute[] = [
  {
    key: 'home',
    path: '/',
    titleKey: 'nav.home',
    descKey: 'nav.home.desc',
    icon: <HomeOutlined />,
    roles: 'all',
    menu: true,
    Page: lazy(() => import('../pages/home/welcome')),
  },
  {
    key: 'households',
    path: '/households',
    titleKey: 'nav.households',
    descKey: 'nav.households.desc',
    icon: <FolderOpenOutlined />,
    roles: REGISTRY_READERS,
    menu: true,
    Page: lazy(() => import('../pages/households/list')),
  },
  {
    key: 'households-new',
    path: '/households/new',
    titleKey: 'nav.households.new',
    descKey: 'nav.households.new.desc',
    icon: <FolderOpenOutlined />,
    roles: REGISTRY_EDITORS,
    menu: false,
    parentKey: 'households',
    Page: HouseholdEditPage,
  },
  {
    key: 'households-import',
    path: '/households/import',
    titleKey: 'nav.households.import',
    descKey: 'nav.households.import.desc',
    icon: <FolderOpenOutlined />,
    roles: REGISTRY_MANAGERS,
    menu: false,
    parentKey: 'households',
    Page: lazy(() => import('../pages/households/import')),
  },
  {
    key: 'households-detail',
    path: '/households/:id',
    titleKey: 'nav.households.detail',
    descKey: 'nav.households.detail.desc',
    icon: <FolderOpenOutlined />,
    roles: REGISTRY_READERS,
    menu: false,
    parentKey: 'households',
    Page: lazy(() => import('../pages/households/detail')),
  },
  {
    key: 'households-edit',
    path: '/households/:id/edit',
    titleKey: 'nav.households.edit',
    descKey: 'nav.households.edit.desc',
    icon: <FolderOpenOutlined />,
    roles: REGISTRY_EDITORS,
    menu: false,
    parentKey: 'households',
    Page: HouseholdEditPage,
  },
  {
    key: 'leads',
    path: '/leads',
    titleKey: 'nav.leads',
    descKey: 'nav.leads.desc',
    icon: <AlertOutlined />,
    roles: LEAD_READERS,
    menu: true,
    Page: lazy(() => import('../pages/leads/inbox')),
  },
  {
    key: 'leads-stats',
    path: '/leads/stats',
    titleKey: 'nav.leads.stats',
    descKey: 'nav.leads.stats.desc',
    icon: <BarChartOutlined />,
    // Township level and above: a village's own figures are its inbox.
    roles: LEAD_READERS.filter((r) => r !== 'grid_worker'),
    menu: true,
    Page: lazy(() => import('../pages/leads/stats')),
  },
  {
    key: 'leads-detail',
    path: '/leads/:id',
    titleKey: 'nav.leads.detail',
    descKey: 'nav.leads.detail.desc',
    icon: <AlertOutlined />,
    roles: LEAD_READERS,
    menu: false,
    parentKey: 'leads',
    Page: lazy(() => import('../pages/leads/detail')),
  },
  {
    key: 'cases',
    path: '/cases',
    titleKey: 'nav.cases',
    descKey: 'nav.cases.desc',
    icon: <SolutionOutlined />,
    roles: CASE_READERS,
    menu: true,
    Page: lazy(() => import('../pages/cases/inbox')),
  },
  {
    key: 'cases-new',
    path: '/cases/new',
    titleKey: 'nav.cases.new',
    descKey: 'nav.cases.new.desc',
    icon: <FormOutlined />,
    roles: CASE_INTAKE,
    menu: true,
    Page: lazy(() => import('../pages/cases/new')),
  },
  {
    key: 'cases-overdue',
    path: '/cases/overdue',
    titleKey: 'nav.cases.overdue',
    descKey: 'nav.cases.overdue.desc',
    icon: <FieldTimeOutlined />,
    // Supervisors: overdue steps per child region.
    roles: ['city_admin', 'county_officer'],
    menu: true,
    Page: lazy(() => import('../pages/cases/overdue')),
  },
  {
    key: 'cases-detail',
    path: '/cases/:id',
    titleKey: 'nav.cases.detail',
    descKey: 'nav.cases.detail.desc',
    icon: <SolutionOutlined />,
    roles: CASE_READERS,
    menu: false,
    parentKey: 'cases',
    Page: lazy(() => import('../pages/cases/detail')),
  },
  {
    key: 'exchange',
    path: '/exchange/batches',
    titleKey: 'nav.exchange',
    descKey: 'nav.exchange.desc',
    icon: <CloudSyncOutlined />,
    roles: FEED_READERS,
    menu: true,
    Page: lazy(() => import('../pages/exchange/batches')),
  },
  {
    key: 'exchange-upload',
    path: '/exchange/upload',
    titleKey: 'nav.exchange.upload',
    descKey: 'nav.exchange.upload.desc',
    icon: <CloudSyncOutlined />,
    roles: FEED_MANAGERS,
    menu: false,
    parentKey: 'exchange',
    Page: lazy(() => import('../pages/exchange/upload')),
  },
  {
    key: 'exchange-batch',
    path: '/exchange/batches/:id',
    titleKey: 'nav.exchange.batch',
    descKey: 'nav.exchange.batch.desc',
    icon: <CloudSyncOutlined />,
    roles: FEED_READERS,
    menu: false,
    parentKey: 'exchange',
    Page: lazy(() => import('../pages/exchange/batch')),
  },
  {
    key: 'exchange-sources',
    path: '/exchange/sources',
    titleKey: 'nav.exchange.sources',
    descKey: 'nav.exchange.sources.desc',
    icon: <DatabaseOutlined />,
    roles: FEED_READERS,
    menu: true,
    Page: lazy(() => import('../pages/exchange/sources')),
  },
  {
    key: 'signals',
    path: '/signals',
    titleKey: 'nav.signals',
    descKey: 'nav.signals.desc',
    icon: <WarningOutlined />,
    roles: SIGNAL_READERS,
    menu: true,
    Page: lazy(() => import('../pages/signals/list')),
  },
  {
    key: 'signals-rules',
    path: '/signals/rules',
    titleKey: 'nav.signals.rules',
    descKey: 'nav.signals.rules.desc',
    icon: <ControlOutlined />,
    // The rules API is the feed readers' (city level).
    roles: FEED_READERS,
    menu: true,
    Page: lazy(() => import('../pages/signals/rules')),
  },
  {
    key: 'policy',
    path: '/policy/standards',
    titleKey: 'nav.policy',
    descKey: 'nav.policy.desc',
    icon: <AccountBookOutlined />,
    roles: POLICY_READERS,
    menu: true,
    Page: lazy(() => import('../pages/policy/standards')),
  },
  {
    key: 'staff-relatives',
    path: '/staff-relatives',
    titleKey: 'nav.staffRelatives',
    descKey: 'nav.staffRelatives.desc',
    icon: <SafetyCertificateOutlined />,
    roles: REGISTRY_MANAGERS,
    menu: true,
    Page: lazy(() => import('../pages/staff-relatives/list')),
  },
  {
    key: 'regions',
    path: '/regions',
    titleKey: 'nav.regions',
    descKey: 'nav.regions.desc',
    icon: <ApartmentOutlined />,
    roles: 'all',
    menu: true,
    Page: lazy(() => import('../pages/regions/browser')),
  },
  {
    key: 'users',
    path: '/users',
    titleKey: 'nav.users',
    descKey: 'nav.users.desc',
    icon: <TeamOutlined />,
    roles: USER_MANAGER_ROLES,
    menu: true,
    Page: lazy(() => import('../pages/users/list')),
  },
  {
    key: 'calendar',
    path: '/calendar',
    titleKey: 'nav.calendar',
    descKey: 'nav.calendar.desc',
    icon: <CalendarOutlined />,
    roles: ['city_admin'],
    menu: true,
    Page: lazy(() => import('../pages/calendar/month')),
  },
  {
    key: 'audit',
    path: '/audit',
    titleKey: 'nav.audit',
    descKey: 'nav.audit.desc',
    icon: <AuditOutlined />,
    roles: ['auditor', 'city_admin'],
    menu: true,
    Page: lazy(() => import('../pages/audit/trail')),
  },
  {
    key: 'password',
    path: '/account/password',
    titleKey: 'nav.password',
    descKey: 'nav.password.desc',
    icon: <LockOutlined />,
    roles: 'all',
    menu: false,
    Page: lazy(() => import('../pages/account/password')),
  },
];

const LoginPage = lazy(() => import('../pages/auth/login'));
const NoticeBoardPage = lazy(() => import('../pages/notices/board'));

export const router = createBrowserRouter([
  {
    element: (
      <SessionProvider>
        <Suspense fallback={<FullPageSpin />}>
          <Outlet />
        </Suspense>
      </SessionProvider>
    ),
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <LoginPage /> },
      // The public notice board (公示): no login.
      { path: '/notices', element: <NoticeBoardPage /> },
      {
        element: (
          <RequireAuth>
            <AppLayout routes={APP_ROUTES} />
          </RequireAuth>
        ),
        children: [
          ...APP_ROUTES.map((route) => ({ path: route.path, element: <RouteGuard route={route} /> })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
