import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiFailure } from './api';
import { t } from './i18n';
import type { H5Key } from './locales/zh-CN';

const RESEND_SECONDS = 60;
const MOBILE = /^1\d{10}$/;

/**
 * A mobile number and its one-time text code: the number, the button that sends the code (then
 * waits a minute before it sends again) and the code field. Test ids: `<testId>-phone`,
 * `<testId>-get-code`, `<testId>-code`.
 */
export function PhoneCodeFields(p: {
  testId: string;
  phone: string;
  onPhone: (phone: string) => void;
  code: string;
  onCode: (code: string) => void;
  /** Sends the code: the public phone route, or the progress route naming the case or report. */
  send: () => Promise<unknown>;
  /** A further condition for sending (e.g. the case number is typed). */
  canSend?: boolean;
  onError: (message: string) => void;
  labels?: { phone?: H5Key; getCode?: H5Key; code?: H5Key };
  /** What the page says once the code is sent, given the seconds before another can be sent. */
  sentText?: (secondsLeft: number) => string;
  phoneError?: ReactNode;
  codeError?: ReactNode;
}) {
  const [wait, setWait] = useState(0);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearInterval(timer.current), []);

  async function send() {
    try {
      await p.send();
      setWait(RESEND_SECONDS);
      window.clearInterval(timer.current);
      timer.current = window.setInterval(() => {
        setWait((s) => {
          if (s <= 1) window.clearInterval(timer.current);
          return s - 1;
        });
      }, 1000);
    } catch (e) {
      p.onError(e instanceof ApiFailure ? (e.error.fields[0]?.message ?? e.message) : t('app.network'));
    }
  }

  return (
    <>
      <label className="field">
        <span>{t(p.labels?.phone ?? 'apply.phone')}</span>
        <div className="row">
          <input
            type="tel"
            inputMode="numeric"
            maxLength={11}
            data-testid={`${p.testId}-phone`}
            value={p.phone}
            onChange={(e) => p.onPhone(e.target.value.replace(/\D/g, ''))}
          />
          <button
            type="button"
            data-testid={`${p.testId}-get-code`}
            disabled={wait > 0 || !MOBILE.test(p.phone) || p.canSend === false}
            onClick={() => void send()}
          >
            {t(p.labels?.getCode ?? 'apply.getCode')}
          </button>
        </div>
        {wait > 0 && <p className="ok">{p.sentText ? p.sentText(wait) : t('apply.codeSent', { s: wait })}</p>}
        {p.phoneError}
      </label>
      <label className="field">
        <span>{t(p.labels?.code ?? 'apply.code')}</span>
        <input
          inputMode="numeric"
          maxLength={6}
          autoComplete="one-time-code"
          data-testid={`${p.testId}-code`}
          value={p.code}
          onChange={(e) => p.onCode(e.target.value.replace(/\D/g, ''))}
        />
        {p.codeError}
      </label>
    </>
  );
}
