/** The SMS senders' shared types (apart from sms.ts so the gateway adapter and the config need no cycle). */
/** Message kinds a gateway knows as pre-approved templates (运营商报备模板), configured per kind. */
export const SMS_TEMPLATES = ['progressCode', 'phoneCode'] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

export type SmsMessage = {
  /** The mobile number (11 digits). */
  to: string;
  /** The gateway template (a gateway sends only registered templates filled with `meta`). */
  template: SmsTemplate;
  /** The full text, for the log sender (a gateway builds it from the template). */
  text: string;
  /** The template's parameters (e.g. the case number and the code). */
  meta: Record<string, string>;
};

/** What became of a message: `sent` = accepted by the gateway (with its id), `logged`/`skipped` = no gateway. */
export type SmsResult = { status: 'sent' | 'logged' | 'skipped'; messageId?: string; attempts: number };

export interface SmsSender {
  /** Sends one message; throws SmsError when it could not be handed over. */
  send(message: SmsMessage): Promise<SmsResult>;
}

export class SmsError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    /** Whether trying again later may work (timeouts, 5xx, throttling) or not (rejected by the gateway). */
    readonly transient: boolean,
  ) {
    super(message);
  }
}
