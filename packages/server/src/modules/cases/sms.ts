/**
 * Text messages to citizens (the one-time progress codes). The sender is an adapter chosen by
 * JIUZHU_SMS: `log` writes the message to the application log (development and tests; the only
 * place a code is ever logged), `off` sends nothing. A sender for a real SMS gateway (HTTP) is
 * not built yet: it implements `SmsSender` and is chosen here.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import { maskPhone } from '../../crypto/index';

export type SmsMessage = {
  /** The mobile number (11 digits). */
  to: string;
  text: string;
  /** Structured content for the log sender and tests (e.g. the case number and the code). */
  meta: Record<string, string>;
};

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

type Tap = (message: SmsMessage) => void;

/** Writes each message to the log, the phone masked. */
export class LogSmsSender implements SmsSender {
  /** Test hook: listeners that receive every message a log sender writes (tests read codes here, not from the log). */
  static readonly taps = new Set<Tap>();

  constructor(private readonly log: FastifyBaseLogger) {}

  send(message: SmsMessage): Promise<void> {
    this.log.info({ sms: { to: maskPhone(message.to), text: message.text, ...message.meta } }, 'sms (log sender)');
    for (const tap of LogSmsSender.taps) tap(message);
    return Promise.resolve();
  }
}

/** Sends nothing (no gateway configured): says so in the log, without the message. */
export class NoSmsSender implements SmsSender {
  constructor(private readonly log: FastifyBaseLogger) {}

  send(message: SmsMessage): Promise<void> {
    this.log.warn({ to: maskPhone(message.to) }, 'sms not sent: JIUZHU_SMS=off');
    return Promise.resolve();
  }
}

export function createSmsSender(config: Pick<Config, 'sms'>, log: FastifyBaseLogger): SmsSender {
  return config.sms === 'log' ? new LogSmsSender(log) : new NoSmsSender(log);
}
