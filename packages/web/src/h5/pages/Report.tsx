import { useState } from 'react';
import {
  validateIdNumber,
  type CitizenClaimEvent,
  type CitizenClaimProgress,
  type CitizenClaimRelation,
  type CitizenClaimReportResult,
} from '@jiuzhu/shared';
import { api, ApiFailure } from '../api';
import { DoneCard } from '../DoneCard';
import { PhoneCodeFields } from '../PhoneCode';
import { useFormSubmit } from '../form';
import { lang, t } from '../i18n';
import type { H5Key } from '../locales/zh-CN';

/**
 * 报案: a family member reports the death or accident of an insured person (the 救助+保险 cover of
 * people on assistance), with the phone confirmed by a text code; then its progress by report
 * number, phone and code. The answer never says whether the person is insured.
 */
const EVENTS: CitizenClaimEvent[] = ['death_illness', 'death_accident', 'disability_accident'];
const RELATIONS: CitizenClaimRelation[] = ['spouse', 'child', 'parent', 'sibling', 'grandchild', 'other'];
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function ReportPage() {
  const [mode, setMode] = useState<'report' | 'progress'>('report');
  const [reportNo, setReportNo] = useState('');
  return (
    <>
      <nav className="row">
        {(['report', 'progress'] as const).map((m) => (
          <button
            key={m}
            type="button"
            className={mode === m ? 'primary grow' : 'grow'}
            data-testid={`h5-report-mode-${m}`}
            onClick={() => setMode(m)}
          >
            {t(`report.mode.${m}`)}
          </button>
        ))}
      </nav>
      {mode === 'report' ? (
        <ReportForm onDone={setReportNo} onProgress={() => setMode('progress')} done={reportNo} />
      ) : (
        <ReportProgress initialNo={reportNo} />
      )}
    </>
  );
}

function ReportForm({
  done,
  onDone,
  onProgress,
}: {
  done: string;
  onDone: (no: string) => void;
  onProgress: () => void;
}) {
  const [reporterName, setReporterName] = useState('');
  const [phone, setPhone] = useState('');
  const [phoneCode, setPhoneCode] = useState('');
  const [relation, setRelation] = useState<CitizenClaimRelation>('child');
  const [insuredName, setInsuredName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [eventDate, setEventDate] = useState('');
  const [eventKind, setEventKind] = useState<CitizenClaimEvent | ''>('');
  const [description, setDescription] = useState('');
  const { error, setError, busy, err, submit: send } = useFormSubmit();
  const idCheck = idNumber.trim() ? validateIdNumber(idNumber) : null;

  function check(): Record<string, string> {
    const required = t('apply.required');
    const errors: Record<string, string> = {};
    if (!reporterName.trim()) errors.reporterName = required;
    if (!/^1\d{10}$/.test(phone)) errors.reporterPhone = t('apply.phoneInvalid');
    if (!/^\d{6}$/.test(phoneCode)) errors.phoneCode = required;
    if (!insuredName.trim()) errors.insuredName = required;
    if (!idCheck) errors.insuredIdNumber = required;
    else if (!idCheck.ok) errors.insuredIdNumber = idCheck.message[lang];
    if (!eventDate) errors.eventDate = required;
    else if (eventDate > today()) errors.eventDate = t('report.dateFuture');
    if (!eventKind) errors.eventKind = required;
    if (!description.trim()) errors.description = required;
    return errors;
  }

  function submit() {
    return send(check(), async () => {
      const res = await api<CitizenClaimReportResult>('POST', '/api/public/claim-reports', {
        reporterName: reporterName.trim(),
        reporterPhone: phone,
        phoneCode,
        relation,
        insuredName: insuredName.trim(),
        insuredIdNumber: idNumber.trim(),
        eventDate,
        eventKind,
        description: description.trim(),
      });
      onDone(res.reportNo);
    });
  }

  if (done)
    return (
      <DoneCard
        testId="h5-report"
        title={t('report.done')}
        label={t('report.no')}
        number={done}
        keep={t('report.keepNo')}
        action={t('report.toProgress')}
        onAction={onProgress}
      />
    );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="hint">{t('report.intro')}</p>
      <section className="card">
        <h2>{t('report.insured')}</h2>
        <label className="field">
          <span>{t('apply.name')}</span>
          <input
            data-testid="h5-report-insured-name"
            value={insuredName}
            onChange={(e) => setInsuredName(e.target.value)}
          />
          {err('insuredName')}
        </label>
        <label className="field">
          <span>{t('apply.idNumber')}</span>
          <input
            data-testid="h5-report-insured-id"
            maxLength={18}
            autoCapitalize="characters"
            value={idNumber}
            onChange={(e) => setIdNumber(e.target.value)}
          />
          {idCheck && (
            <p className={idCheck.ok ? 'ok' : 'error'} data-testid="h5-report-id-check">
              {idCheck.ok ? t('apply.idOk') : idCheck.message[lang]}
            </p>
          )}
          {!idCheck && err('insuredIdNumber')}
        </label>
        <label className="field">
          <span>{t('report.eventKind')}</span>
          <select
            data-testid="h5-report-event-kind"
            value={eventKind}
            onChange={(e) => setEventKind(e.target.value as CitizenClaimEvent)}
          >
            <option value="">{t('apply.choose')}</option>
            {EVENTS.map((k) => (
              <option key={k} value={k}>
                {t(`report.event.${k}` as H5Key)}
              </option>
            ))}
          </select>
          {err('eventKind')}
        </label>
        <label className="field">
          <span>{t('report.eventDate')}</span>
          <input
            type="date"
            data-testid="h5-report-event-date"
            max={today()}
            value={eventDate}
            onChange={(e) => setEventDate(e.target.value)}
          />
          {err('eventDate')}
        </label>
        <label className="field">
          <span>{t('report.description')}</span>
          <textarea
            data-testid="h5-report-description"
            placeholder={t('report.descriptionHint')}
            maxLength={500}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          {err('description')}
        </label>
      </section>
      <section className="card">
        <h2>{t('report.reporter')}</h2>
        <label className="field">
          <span>{t('apply.name')}</span>
          <input data-testid="h5-report-name" value={reporterName} onChange={(e) => setReporterName(e.target.value)} />
          {err('reporterName')}
        </label>
        <label className="field">
          <span>{t('report.relation')}</span>
          <select
            data-testid="h5-report-relation"
            value={relation}
            onChange={(e) => setRelation(e.target.value as CitizenClaimRelation)}
          >
            {RELATIONS.map((r) => (
              <option key={r} value={r}>
                {t(`report.relation.${r}` as H5Key)}
              </option>
            ))}
          </select>
        </label>
        <PhoneCodeFields
          testId="h5-report"
          phone={phone}
          onPhone={setPhone}
          code={phoneCode}
          onCode={setPhoneCode}
          send={() => api('POST', '/api/public/phone/code', { phone })}
          onError={setError}
          phoneError={err('reporterPhone')}
          codeError={err('phoneCode')}
        />
      </section>
      {error && (
        <p className="error" data-testid="h5-report-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="h5-report-submit" disabled={busy}>
        {busy ? t('apply.submitting') : t('report.submit')}
      </button>
    </form>
  );
}

function ReportProgress({ initialNo }: { initialNo: string }) {
  const [reportNo, setReportNo] = useState(initialNo);
  const [phone, setPhone] = useState('');
  const [phoneCode, setPhoneCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<CitizenClaimProgress | null>(null);

  if (progress)
    return (
      <section className="card" data-testid="h5-report-progress">
        <p className="muted">{t('report.no')}</p>
        <p className="case-no">{progress.reportNo}</p>
        <p>
          {t('progress.status')}：
          <strong data-testid="h5-report-status">{t(`report.status.${progress.status}` as H5Key)}</strong>
        </p>
        <p className="muted">
          {t('report.reportedOn')}：{progress.reportedOn} · {t(`report.event.${progress.eventKind}` as H5Key)}
        </p>
        {progress.paidOn && <p>{t('report.paidOn', { date: progress.paidOn })}</p>}
      </section>
    );

  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError('');
        api<CitizenClaimProgress>('POST', '/api/public/claim-reports/progress', {
          reportNo: reportNo.trim(),
          phone,
          phoneCode,
        })
          .then(setProgress)
          .catch((e: unknown) =>
            setError(e instanceof ApiFailure ? (e.error.fields[0]?.message ?? e.message) : t('app.network')),
          )
          .finally(() => setBusy(false));
      }}
    >
      <label className="field">
        <span>{t('report.no')}</span>
        <input data-testid="h5-report-progress-no" value={reportNo} onChange={(e) => setReportNo(e.target.value)} />
      </label>
      <PhoneCodeFields
        testId="h5-report-progress"
        phone={phone}
        onPhone={setPhone}
        code={phoneCode}
        onCode={setPhoneCode}
        send={() => api('POST', '/api/public/phone/code', { phone })}
        canSend={reportNo.trim() !== ''}
        onError={setError}
        labels={{ phone: 'report.progressPhone' }}
      />
      {error && (
        <p className="error" data-testid="h5-report-progress-error">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="primary"
        data-testid="h5-report-progress-submit"
        disabled={busy || phoneCode.length !== 6}
      >
        {t('progress.query')}
      </button>
    </form>
  );
}
