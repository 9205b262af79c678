/**
 * Text messages to citizens (one-time codes). The sender is an adapter chosen by JIUZHU_SMS:
 * `log` writes the message to the application log (development and tests; the only place a code
 * is ever logged), `off` sends nothing, `http` posts it to an SMS gateway (sms-gateway.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import { maskPhone } from '../crypto/index';
import { HttpSmsSender } from './sms-gateway';

import type { SmsMessage, SmsResult, SmsSender } from './sms-types';

export {
  SMS_TEMPLATES,
  SmsError,
  type SmsMessage,
  type SmsResult,
  type SmsSender,
  type SmsTemplate,
} from './sms-types';

type Tap = (message: SmsMessage) => void;

/** Writes each message to the log, the phone masked. */
export class LogSmsSender implements SmsSender {
  /** Test hook: listeners that receive every message a log sender writes (tests read codes here, not from the log). */
  static readonly taps = new Set<Tap>();

  constructor(private readonly log: FastifyBaseLogger) {}

  send(message: SmsMessage): Promise<SmsResult> {
    this.log.info({ sms: { to: maskPhone(message.to), text: message.text, ...message.meta } }, 'sms (log sender)');
    for (const tap of LogSmsSender.taps) tap(message);
    return Promise.resolve({ status: 'logged', attempts: 1 });
  }
}

/** Sends nothing (no gateway configured): says so in the log, without the message. */
export class NoSmsSender implements SmsSender {
  constructor(private readonly log: FastifyBaseLogger) {}

  send(message: SmsMessage): Promise<SmsResult> {
    this.log.warn({ to: maskPhone(message.to) }, 'sms not sent: JIUZHU_SMS=off');
    return Promise.resolve({ status: 'skipped', attempts: 0 });
  }
}

export function createSmsSender(config: Pick<Config, 'sms' | 'smsGateway'>, log: FastifyBaseLogger): SmsSender {
  if (config.sms === 'http') {
    // Config validation guarantees the gateway settings when JIUZHU_SMS=http.
    if (!config.smsGateway) throw new Error('JIUZHU_SMS=http needs the JIUZHU_SMS_* gateway settings');
    return new HttpSmsSender(config.smsGateway, log);
  }
  return config.sms === 'log' ? new LogSmsSender(log) : new NoSmsSender(log);
}
