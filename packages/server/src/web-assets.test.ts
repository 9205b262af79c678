import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness';

/**
 * How the server serves a web build: hashed assets in the encoding the browser accepts, from the
 * .br/.gz files the build wrote, cached for good; HTML uncompressed and never cached long.
 */
let t: TestApp;
let dist: string;
const JS = `export const hello = ${JSON.stringify('救助'.repeat(2000))};\n`;

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>staff</title>');
  fs.writeFileSync(path.join(dist, 'assets/app-abc123.js'), JS);
  fs.writeFileSync(path.join(dist, 'assets/app-abc123.js.br'), brotliCompressSync(JS));
  fs.writeFileSync(path.join(dist, 'assets/app-abc123.js.gz'), gzipSync(JS));
  fs.writeFileSync(path.join(dist, 'assets/logo-def456.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  t = await createTestApp({ JIUZHU_WEB_DIST: dist });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

const get = (url: string, encoding?: string) =>
  t.app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

describe('web assets', () => {
  it('serves brotli to a browser that accepts it, with a long immutable cache', async () => {
    const res = await get('/assets/app-abc123.js', 'gzip, deflate, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(JS);
  });

  it('serves gzip when brotli is not accepted, and the plain file when neither is', async () => {
    const gz = await get('/assets/app-abc123.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(JS);
    const plain = await get('/assets/app-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(JS);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves an asset without compressed copies as is', async () => {
    const res = await get('/assets/logo-def456.png', 'br, gzip');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('serves the HTML uncompressed and to be revalidated, also as the fallback of app routes', async () => {
    for (const url of ['/', '/cases/anything']) {
      const res = await get(url, 'br, gzip');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>staff</title>');
    }
  });
});
