/**
 * The SMS gateway adapter (JIUZHU_SMS=http). Speaks a small signed JSON protocol that the
 * city's gateway (or an adapter in front of a carrier's API) implements:
 *
 *   POST {url}/messages   {to, signName, templateCode, params, clientRef}  → 2xx {messageId}
 *   GET  {url}/messages/{messageId}                                         → 2xx {status, error?}
 *
 * Each request is signed: X-Sms-Key (key id), X-Sms-Timestamp (unix seconds), X-Sms-Nonce and
 * X-Sms-Signature = base64(HMAC-SHA256(secret, METHOD \n PATH \n TIMESTAMP \n NONCE \n SHA256-HEX(body))),
 * so a captured request cannot be replayed with another body or later (the gateway checks the
 * time window and the nonce). Carriers only deliver registered templates under a registered
 * sign name (签名), so both are configuration, never text built here.
 *
 * Timeouts, network errors, 429 and 5xx are retried with backoff; the same `clientRef` goes with
 * every try so a gateway that did receive a timed-out try does not send the message twice.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { maskPhone } from '../crypto/index';
import { SmsError, type SmsMessage, type SmsResult, type SmsSender, type SmsTemplate } from './sms-types';

export type SmsGatewayConfig = {
  /** Base URL, e.g. https://sms.example.gov.cn/v1 */
  url: string;
  keyId: string;
  secret: string;
  /** The registered sign name (签名), e.g. 莆田民政. */
  signName: string;
  /** Registered template code per message kind. */
  templates: Record<SmsTemplate, string>;
  timeoutMs: number;
  /** Tries after the first one for a transient failure. */
  retries: number;
  /** First backoff; doubles each try. */
  retryBaseMs: number;
};

export type DeliveryStatus = { status: 'pending' | 'delivered' | 'failed'; error?: string };

/** The signature over one request (exported for the gateway side and its test double). */
export function smsSignature(
  secret: string,
  parts: { method: string; path: string; timestamp: string; nonce: string; body: string },
): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  const payload = [parts.method.toUpperCase(), parts.path, parts.timestamp, parts.nonce, bodyHash].join('\n');
  return createHmac('sha256', secret).update(payload).digest('base64');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Transient extends Error {}

export class HttpSmsSender implements SmsSender {
  private readonly base: URL;

  constructor(
    private readonly config: SmsGatewayConfig,
    private readonly log: FastifyBaseLogger,
  ) {
    this.base = new URL(config.url.endsWith('/') ? config.url : `${config.url}/`);
  }

  async send(message: SmsMessage): Promise<SmsResult> {
    const body = JSON.stringify({
      to: message.to,
      signName: this.config.signName,
      templateCode: this.config.templates[message.template],
      params: message.meta,
      clientRef: randomUUID(),
    });
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        const res = await this.request('POST', 'messages', body);
        if (res.status >= 200 && res.status < 300) {
          const json = (await res.json().catch(() => ({}))) as { messageId?: unknown };
          if (typeof json.messageId !== 'string' || json.messageId === '')
            throw new SmsError('sms gateway answered without a messageId', attempts, false);
          this.log.info({ to: maskPhone(message.to), messageId: json.messageId, attempts }, 'sms sent');
          return { status: 'sent', messageId: json.messageId, attempts };
        }
        const detail = (await res.text().catch(() => '')).slice(0, 200);
        if (res.status === 429 || res.status >= 500) throw new Transient(`sms gateway ${res.status}: ${detail}`);
        throw new SmsError(`sms gateway refused the message (${res.status}): ${detail}`, attempts, false);
      } catch (err) {
        if (err instanceof SmsError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        if (attempts > this.config.retries)
          throw new SmsError(`sms not sent after ${attempts} tries: ${reason}`, attempts, true);
        this.log.warn({ to: maskPhone(message.to), attempts, reason }, 'sms try failed; retrying');
        await sleep(this.config.retryBaseMs * 2 ** (attempts - 1));
      }
    }
  }

  /** Asks the gateway what became of a sent message (回执). */
  async deliveryStatus(messageId: string): Promise<DeliveryStatus> {
    const res = await this.request('GET', `messages/${encodeURIComponent(messageId)}`, '');
    if (!res.ok) throw new SmsError(`sms gateway status ${res.status}`, 1, res.status >= 500);
    const json = (await res.json()) as { status?: unknown; error?: unknown };
    if (json.status !== 'pending' && json.status !== 'delivered' && json.status !== 'failed')
      throw new SmsError(`sms gateway status unknown: ${String(json.status)}`, 1, false);
    return { status: json.status, ...(typeof json.error === 'string' ? { error: json.error } : {}) };
  }

  private async request(method: 'GET' | 'POST', relative: string, body: string): Promise<Response> {
    const url = new URL(relative, this.base);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const signature = smsSignature(this.config.secret, { method, path: url.pathname, timestamp, nonce, body });
    try {
      return await fetch(url, {
        method,
        headers: {
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          'x-sms-key': this.config.keyId,
          'x-sms-timestamp': timestamp,
          'x-sms-nonce': nonce,
          'x-sms-signature': signature,
        },
        body: method === 'POST' ? body : undefined,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (err) {
      const name = (err as Error).name;
      throw new Transient(
        name === 'TimeoutError' ? `timed out after ${this.config.timeoutMs} ms` : (err as Error).message,
      );
    }
  }
}
