import { App as AntApp, ConfigProvider } from 'antd';
import type { Locale } from 'antd/es/locale';
import antdZhCN from 'antd/locale/zh_CN';
import antdEnUS from 'antd/locale/en_US';
import { RouterProvider } from 'react-router-dom';
import { I18nProvider, useI18n, type Lang } from '../i18n';
import { router } from './routes';

const ANTD_LOCALES: Record<Lang, Locale> = { 'zh-CN': antdZhCN, 'en-US': antdEnUS };

function ThemedApp() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={ANTD_LOCALES[lang]}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <ThemedApp />
    </I18nProvider>
  );
}
