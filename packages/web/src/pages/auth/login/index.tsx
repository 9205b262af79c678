import { useEffect } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { LoginBody } from '@jiuzhu/shared';
import { useSession } from '../../../app/session';
import { useT } from '../../../i18n';
import { LanguageSwitch } from '../../../components/LanguageSwitch';
import { useLogin } from './useLogin';
import { LoginError } from './LoginError';

/** Only same-app paths: `next` comes from the URL and must not send users elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { state, signIn } = useSession();
  const next = safeNext(params.get('next'));
  const { login, submitting, error, clearError } = useLogin((me) => {
    signIn(me);
    navigate(next, { replace: true });
  });

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  if (state.status === 'authenticated') return <Navigate to={next} replace />;

  return (
    <Flex vertical style={{ minHeight: '100vh', background: 'linear-gradient(180deg, #e8f0fb 0%, #f5f7fa 60%)' }}>
      <Flex justify="flex-end" style={{ padding: 16 }}>
        <LanguageSwitch />
      </Flex>
      <Flex flex={1} align="center" justify="center" style={{ padding: 16 }}>
        <Card style={{ width: '100%', maxWidth: 400 }}>
          <Flex vertical align="center" style={{ marginBottom: 24 }}>
            <Typography.Title level={2} style={{ margin: 0 }} data-testid="page-title">
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </Flex>
          {params.get('expired') === '1' && !error && (
            <Alert
              type="info"
              showIcon
              title={t('login.expired')}
              style={{ marginBottom: 16 }}
              data-testid="login-expired"
            />
          )}
          {!!error && (
            <div style={{ marginBottom: 16 }}>
              <LoginError error={error} />
            </div>
          )}
          <Form<LoginBody>
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => void login(values)}
            onValuesChange={clearError}
            disabled={submitting}
            data-testid="login-form"
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, message: t('login.username.required') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                maxLength={64}
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.password.required') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                maxLength={128}
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
      </Flex>
      <Typography.Text type="secondary" style={{ textAlign: 'center', padding: 16, fontSize: 12 }}>
        {t('login.footer')} ·{' '}
        <Link to="/notices" data-testid="login-notices">
          {t('notices.link')}
        </Link>
      </Typography.Text>
    </Flex>
  );
}
