import { useState } from 'react';
import type { PublicProgress } from '@jiuzhu/shared';
import { api, ApiFailure } from '../api';
import { t } from '../i18n';
import { PhoneCodeFields } from '../PhoneCode';

/** Progress by case number and a one-time code sent to the application's phone. */
export function ProgressPage({ initialCaseNo }: { initialCaseNo: string }) {
  const [caseNo, setCaseNo] = useState(initialCaseNo);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<PublicProgress | null>(null);

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setError('');
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiFailure ? (e.error.fields[0]?.message ?? e.message) : t('app.network'));
    } finally {
      setBusy(false);
    }
  }

  if (progress)
    return (
      <section className="card" data-testid="h5-progress">
        <p className="muted">{t('progress.caseNo')}</p>
        <p className="case-no">{progress.caseNo}</p>
        <p>
          {t('progress.status')}：<strong data-testid="h5-progress-status">{t(`status.${progress.status}`)}</strong>
        </p>
        <p className="muted">
          {t('progress.submittedOn')}：{progress.submittedOn}
        </p>
        {progress.enrolledFrom && <p>{t('progress.enrolledFrom', { month: progress.enrolledFrom })}</p>}
        {progress.missingDocuments.length > 0 && (
          <>
            <h2>{t('progress.missing')}</h2>
            <ul>
              {progress.missingDocuments.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </>
        )}
        <h2>{t('progress.steps')}</h2>
        <ul className="steps">
          {progress.steps.map((s, i) => (
            <li key={i}>
              {s.on} {t(`action.${s.action}`)}
            </li>
          ))}
        </ul>
      </section>
    );

  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          setProgress(await api<PublicProgress>('POST', '/api/public/progress', { caseNo: caseNo.trim(), code }));
        });
      }}
    >
      <label className="field">
        <span>{t('progress.caseNo')}</span>
        <input data-testid="h5-progress-caseno" value={caseNo} onChange={(e) => setCaseNo(e.target.value)} />
      </label>
      <PhoneCodeFields
        testId="h5-progress"
        phone={phone}
        onPhone={setPhone}
        code={code}
        onCode={setCode}
        send={() => api('POST', '/api/public/progress/code', { caseNo: caseNo.trim(), phone })}
        canSend={caseNo.trim() !== ''}
        onError={setError}
        labels={{ phone: 'progress.phone', getCode: 'progress.getCode', code: 'progress.code' }}
        sentText={() => t('progress.codeSent')}
      />
      {error && <p className="error">{error}</p>}
      <button type="submit" className="primary" data-testid="h5-progress-submit" disabled={busy || code.length !== 6}>
        {t('progress.query')}
      </button>
    </form>
  );
}
