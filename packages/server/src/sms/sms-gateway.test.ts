import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';
import { HttpSmsSender, smsSignature, type SmsGatewayConfig } from './sms-gateway';
import { createSmsSender, SmsError, type SmsMessage } from './sms';

/**
 * A local SMS gateway (a real HTTP server) that checks signatures like the real one and can be
 * told to fail, throttle, refuse or hang, to test the adapter's retry and timeout handling.
 */
type Mode = 'ok' | 'fail-twice' | 'always-500' | 'refuse' | 'hang' | 'throttle-once' | 'no-id';
type Received = { path: string; body: Record<string, unknown>; signatureOk: boolean };

const SECRET = 'test-gateway-secret-0001';
let server: Server;
let base: string;
let mode: Mode = 'ok';
let received: Received[] = [];
const delivered = new Map<string, string>();
const hanging = new Set<ServerResponse>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url!, 'http://x').pathname;
      const signatureOk =
        req.headers['x-sms-key'] === 'jiuzhu-test' &&
        req.headers['x-sms-signature'] ===
          smsSignature(SECRET, {
            method: req.method!,
            path,
            timestamp: String(req.headers['x-sms-timestamp']),
            nonce: String(req.headers['x-sms-nonce']),
            body: raw,
          });
      if (!signatureOk) return res.writeHead(401).end('bad signature');
      if (req.method === 'GET') {
        const id = decodeURIComponent(path.split('/').pop()!);
        const status = delivered.get(id);
        if (!status) return res.writeHead(404).end('unknown message');
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ status }));
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ path, body, signatureOk });
      const n = received.length;
      if (mode === 'hang') return void hanging.add(res);
      if (mode === 'always-500' || (mode === 'fail-twice' && n <= 2)) return res.writeHead(503).end('busy');
      if (mode === 'throttle-once' && n === 1) return res.writeHead(429).end('slow down');
      if (mode === 'refuse') return res.writeHead(400).end('template not registered');
      const messageId = `m-${n}`;
      delivered.set(messageId, 'delivered');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(mode === 'no-id' ? {} : { messageId }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  mode = 'ok';
  received = [];
});

const log = pino({ level: 'silent' });
const gateway = (over: Partial<SmsGatewayConfig> = {}): SmsGatewayConfig => ({
  url: base,
  keyId: 'jiuzhu-test',
  secret: SECRET,
  signName: '莆田民政',
  templates: { progressCode: 'SMS_0001', phoneCode: 'SMS_0002' },
  timeoutMs: 2000,
  retries: 2,
  retryBaseMs: 5,
  ...over,
});
const message: SmsMessage = {
  to: '13800000001',
  template: 'progressCode',
  text: 'unused by a gateway',
  meta: { caseNo: 'JZ2026000001', code: '123456' },
};

describe('HTTP SMS gateway adapter', () => {
  it('sends a signed request with the sign name and the configured template, and reads the delivery status', async () => {
    const sender = new HttpSmsSender(gateway(), log);
    const result = await sender.send(message);
    expect(result).toEqual({ status: 'sent', messageId: 'm-1', attempts: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe('/v1/messages');
    expect(received[0]!.body).toMatchObject({
      to: '13800000001',
      signName: '莆田民政',
      templateCode: 'SMS_0001',
      params: { caseNo: 'JZ2026000001', code: '123456' },
    });
    // The text is the gateway's template, never sent by us.
    expect(JSON.stringify(received[0]!.body)).not.toContain('unused by a gateway');
    await expect(sender.deliveryStatus('m-1')).resolves.toEqual({ status: 'delivered' });
    await expect(sender.deliveryStatus('nope')).rejects.toBeInstanceOf(SmsError);
  });

  it('retries 5xx with the same client reference and succeeds on the third try', async () => {
    mode = 'fail-twice';
    const result = await new HttpSmsSender(gateway(), log).send(message);
    expect(result).toMatchObject({ status: 'sent', messageId: 'm-3', attempts: 3 });
    expect(new Set(received.map((r) => r.body.clientRef)).size).toBe(1);
  });

  it('retries a throttled request (429)', async () => {
    mode = 'throttle-once';
    await expect(new HttpSmsSender(gateway(), log).send(message)).resolves.toMatchObject({ attempts: 2 });
  });

  it('gives up after the configured retries with a transient error', async () => {
    mode = 'always-500';
    const err = await new HttpSmsSender(gateway({ retries: 1 }), log).send(message).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    expect(err).toMatchObject({ attempts: 2, transient: true });
    expect(received).toHaveLength(2);
  });

  it('does not retry a message the gateway refuses (4xx) or an answer without a message id', async () => {
    mode = 'refuse';
    const err = await new HttpSmsSender(gateway(), log).send(message).catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 1, transient: false });
    expect((err as Error).message).toContain('template not registered');
    expect(received).toHaveLength(1);
    mode = 'no-id';
    await expect(new HttpSmsSender(gateway(), log).send(message)).rejects.toMatchObject({ transient: false });
  });

  it('times out a gateway that does not answer, retrying within the limit', async () => {
    mode = 'hang';
    const started = Date.now();
    const err = await new HttpSmsSender(gateway({ timeoutMs: 150, retries: 1 }), log)
      .send(message)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ attempts: 2, transient: true });
    expect((err as Error).message).toContain('timed out');
    expect(received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a wrong secret is refused by the gateway (the signature covers the body)', async () => {
    const err = await new HttpSmsSender(gateway({ secret: 'another-secret-00000' }), log)
      .send(message)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: false });
    expect((err as Error).message).toContain('401');
  });
});

describe('SMS configuration', () => {
  const env = {
    NODE_ENV: 'test',
    JIUZHU_SMS: 'http',
    JIUZHU_SMS_URL: 'https://sms.example.test/v1',
    JIUZHU_SMS_KEY_ID: 'k1',
    JIUZHU_SMS_SECRET: 'a-long-enough-secret',
    JIUZHU_SMS_SIGN_NAME: '莆田民政',
    JIUZHU_SMS_TEMPLATES: 'progressCode=SMS_1, phoneCode=SMS_2',
  };

  it('builds the gateway sender from the environment', () => {
    const config = loadConfig(env);
    expect(config.smsGateway).toMatchObject({
      signName: '莆田民政',
      templates: { progressCode: 'SMS_1', phoneCode: 'SMS_2' },
    });
    expect(createSmsSender(config, log)).toBeInstanceOf(HttpSmsSender);
  });

  it('refuses a half-configured gateway at boot, naming what is missing or wrong', () => {
    expect(() => loadConfig({ ...env, JIUZHU_SMS_SECRET: undefined })).toThrow(/JIUZHU_SMS_SECRET/);
    expect(() => loadConfig({ ...env, JIUZHU_SMS_TEMPLATES: 'progressCode=SMS_1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, JIUZHU_SMS_TEMPLATES: 'progressCode=SMS_1,other=SMS_9' })).toThrow(/other=SMS_9/);
  });
});
