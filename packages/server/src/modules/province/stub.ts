import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  missingField,
  SIGNATURE_HEADER,
  verifySignature,
  type ProvinceBatch,
  type ProvinceReceipt,
  type ProvinceRecord,
} from './protocol';

/**
 * A small receiver of the province protocol (docs/PROVINCE.md) for tests and the demo
 * (`npx jiuzhu province-stub`). Verifies the signature, accepts a record once (a re-sent
 * recordId is answered `accepted` again and not stored twice), rejects one lacking a required
 * field. Modes simulate trouble: `fail` answers 500, `hang` stores then never answers in time.
 */
export type StubMode = 'ok' | 'fail' | 'hang';

export type ProvinceStub = {
  url: string;
  port: number;
  mode: StubMode;
  /** Accepted records by recordId (each stored once). */
  accepted: Map<string, ProvinceRecord>;
  /** How many times an already accepted recordId arrived again. */
  repeats: number;
  /** Extra rule: a reason to refuse a record, or undefined. */
  reject?: (r: ProvinceRecord) => string | undefined;
  close(): Promise<void>;
};

export async function startProvinceStub(opts: {
  secret: string;
  port?: number;
  host?: string;
  mode?: StubMode;
}): Promise<ProvinceStub> {
  const hanging = new Set<http.ServerResponse>();
  const stub: ProvinceStub = {
    url: '',
    port: 0,
    mode: opts.mode ?? 'ok',
    accepted: new Map(),
    repeats: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.method !== 'POST') return reply(405, { error: 'POST only' });
      if (stub.mode === 'fail') return reply(500, { error: 'unavailable' });
      const sig = req.headers[SIGNATURE_HEADER];
      if (!verifySignature(body, opts.secret, typeof sig === 'string' ? sig : undefined))
        return reply(401, { error: 'bad signature' });
      let batch: ProvinceBatch;
      try {
        batch = JSON.parse(body) as ProvinceBatch;
      } catch {
        return reply(400, { error: 'not JSON' });
      }
      if (!batch || !Array.isArray(batch.records)) return reply(400, { error: 'no records' });
      const receipts: ProvinceReceipt[] = batch.records.map((r) => {
        if (stub.accepted.has(r.recordId)) {
          stub.repeats++;
          return { recordId: r.recordId, status: 'accepted' };
        }
        const reason = missingField(r) ?? stub.reject?.(r);
        if (reason) return { recordId: r.recordId, status: 'rejected', reason };
        stub.accepted.set(r.recordId, r);
        return { recordId: r.recordId, status: 'accepted' };
      });
      if (stub.mode === 'hang') {
        hanging.add(res);
        return;
      }
      reply(200, { receipts });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  stub.port = addr.port;
  stub.url = `http://${opts.host ?? '127.0.0.1'}:${addr.port}/batches`;
  return stub;
}
