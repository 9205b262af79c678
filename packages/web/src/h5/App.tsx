import { useEffect, useState, type ReactNode } from 'react';
import { t } from './i18n';
import { navigate } from './navigate';
import type { H5Key } from './locales/zh-CN';
import { ApplyPage } from './pages/Apply';
import { ConditionsPage } from './pages/Conditions';
import { NoticesPage } from './pages/Notices';
import { ProgressPage } from './pages/Progress';
import { ReportPage } from './pages/Report';

/**
 * The citizen H5 at /m: five screens under one small path router (no router library: the
 * page must stay light on a phone network). The large-type choice is kept on the phone.
 */
const SCREENS = ['conditions', 'apply', 'progress', 'notices', 'report'] as const;
type Screen = (typeof SCREENS)[number] | 'home';

function screenOf(pathname: string): Screen {
  const name = pathname.replace(/^\/m\/?/, '').split('/')[0] ?? '';
  return (SCREENS as readonly string[]).includes(name) ? (name as Screen) : 'home';
}

const LARGE = 'jz-h5-large';

export function App() {
  const [screen, setScreen] = useState<Screen>(() => screenOf(location.pathname));
  const [large, setLarge] = useState(() => localStorage.getItem(LARGE) === '1');
  const [caseNo, setCaseNo] = useState('');

  useEffect(() => {
    const onPop = () => setScreen(screenOf(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    document.documentElement.classList.toggle('large', large);
    localStorage.setItem(LARGE, large ? '1' : '0');
  }, [large]);

  const titleKey: H5Key = screen === 'home' ? 'app.title' : `home.${screen}`;
  let body: ReactNode;
  if (screen === 'conditions') body = <ConditionsPage />;
  else if (screen === 'apply')
    body = (
      <ApplyPage
        onDone={(no) => {
          setCaseNo(no);
        }}
      />
    );
  else if (screen === 'progress') body = <ProgressPage initialCaseNo={caseNo} />;
  else if (screen === 'notices') body = <NoticesPage />;
  else if (screen === 'report') body = <ReportPage />;
  else body = <Home />;

  return (
    <div className="h5">
      <header className="bar">
        {screen !== 'home' && (
          <button type="button" className="link" data-testid="h5-back" onClick={() => navigate('/m')}>
            ‹ {t('app.back')}
          </button>
        )}
        <h1>{t(titleKey)}</h1>
        <label className="large-toggle">
          <input type="checkbox" data-testid="h5-large" checked={large} onChange={(e) => setLarge(e.target.checked)} />
          {t('app.largeType')}
        </label>
      </header>
      <main>{body}</main>
    </div>
  );
}

function Home() {
  return (
    <>
      <nav className="tiles">
        {SCREENS.map((s) => (
          <a
            key={s}
            href={`/m/${s}`}
            className={`tile tile-${s}`}
            data-testid={`h5-tile-${s}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/m/${s}`);
            }}
          >
            <strong>{t(`home.${s}`)}</strong>
            <span>{t(`home.${s}Hint`)}</span>
          </a>
        ))}
      </nav>
      <p className="hint">{t('home.help')}</p>
    </>
  );
}
