import { Button, Result } from 'antd';
import { useRouteError } from 'react-router-dom';
import { useT } from '../i18n';

/**
 * Last resort for a render error or a page chunk that failed to load (typically a new
 * deployment replaced the files): offer a reload rather than a blank screen.
 */
export function RouteError() {
  const error = useRouteError();
  const t = useT();
  console.error(error);
  return (
    <Result
      status="500"
      title={t('error.page.title')}
      subTitle={t('error.page.subtitle')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('error.page.reload')}
        </Button>
      }
    />
  );
}
