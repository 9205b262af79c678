import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { regionLevelOf } from '@jiuzhu/shared';
import { APP_ROUTES } from '../../../app/routes';
import { canOpen } from '../../../app/access';
import { useMe } from '../../../app/session';
import { useT } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';

export default function HomePage() {
  const me = useMe();
  const t = useT();
  const level = regionLevelOf(me.regionCode);
  // Every page the role may open except the one we are on and pages reached from another page.
  const shortcuts = APP_ROUTES.filter((r) => r.key !== 'home' && !r.parentKey && canOpen(r, me.role));

  return (
    <>
      <PageHeader title={t('home.title')} />
      <Card style={{ marginBottom: 16 }} data-testid="welcome-card">
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: me.displayName })}
        </Typography.Title>
        <Descriptions
          column={{ xs: 1, sm: 1, md: 3 }}
          size="small"
          items={[
            {
              key: 'role',
              label: t('home.role'),
              children: <span data-testid="welcome-role">{t(`role.${me.role}`)}</span>,
            },
            {
              key: 'region',
              label: t('home.region'),
              children: (
                <span data-testid="welcome-region">
                  {me.regionName}
                  {level ? ` (${t(`level.${level}`)})` : ''}
                </span>
              ),
            },
            { key: 'username', label: t('home.username'), children: me.username },
          ]}
        />
      </Card>
      <Typography.Title level={5}>{t('home.shortcuts')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {shortcuts.map((r) => (
          <Col key={r.key} xs={24} sm={12} lg={8} xl={6}>
            <Link to={r.path} data-testid={`shortcut-${r.key}`}>
              <Card hoverable size="small" style={{ height: '100%' }}>
                <Card.Meta
                  avatar={<span style={{ fontSize: 24 }}>{r.icon}</span>}
                  title={t(r.titleKey)}
                  description={t(r.descKey)}
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}
