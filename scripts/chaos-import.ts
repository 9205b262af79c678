/**
 * Crash test of the register import (issue 11): starts the real server on a fresh data
 * directory, uploads a register file, kills the server with SIGKILL at a random point of the
 * import, restarts it, and checks the invariants — N times:
 *   - the interrupted import is reported failed with the reason (never left "running");
 *   - no partial household: every stored imported household has its one member;
 *   - its uploaded file is gone from the data directory;
 * then imports the file once more to completion (households already in are left unchanged, the
 * rest come in: nothing lost, nothing twice) and walks the audit hash chain.
 *
 *   npx tsx scripts/chaos-import.ts [kills=3] [households=20000]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeIdNumber } from '../packages/shared/src/index';
import { COLUMNS } from '../packages/server/src/modules/registry/import-format';

const KILLS = Number(process.argv[2] ?? 3);
const HOUSEHOLDS = Number(process.argv[3] ?? 20_000);
const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiuzhu-chaos-'));
const port = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, JIUZHU_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
const KEY_PREFIX = 'CHAOS';

const log = (...a: unknown[]) => console.log(new Date().toISOString().slice(11, 19), ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`INVARIANT BROKEN: ${what}`);
  log('ok:', what);
}

function registerFile(): Buffer {
  const headers = COLUMNS.map((c) => c.header);
  const lines = [headers.join(',')];
  for (let i = 0; i < HOUSEHOLDS; i++) {
    const cells: Record<string, string> = {
      户编号: `${KEY_PREFIX}${i}`,
      村居代码: '350302102202',
      家庭住址: `莆田市城厢区灵川镇径里村${i}号`,
      救助状态: '低保',
      姓名: `郑${i % 89}`,
      // One birth day per household: every ID number in the file is distinct.
      身份证号: makeIdNumber(
        '350304',
        new Date(Date.UTC(1940, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
        100 + (i % 800),
      ),
      与户主关系: '户主',
      户口类型: '农业',
    };
    lines.push(headers.map((h) => cells[h] ?? '').join(','));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function start(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'packages/server/src/server.ts')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error('server did not start');
}

async function login(): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'lingchuan', password: 'jiuzhu-demo' }),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function api(cookie: string, url: string, init: RequestInit = {}) {
  const res = await fetch(`${base}${url}`, { ...init, headers: { cookie, ...(init.headers ?? {}) } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const upload = (cookie: string, file: Buffer, async: boolean) =>
  api(cookie, '/api/households/import?dryRun=false', {
    method: 'POST',
    body: file,
    headers: { 'content-type': 'text/csv', 'x-filename': 'chaos.csv', ...(async ? { prefer: 'respond-async' } : {}) },
  });

/** Households of this script's file, and of them those whose member count is not one (a partial write). */
function dbState(): { households: number; partial: number } {
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/chaos-state.ts'), KEY_PREFIX], {
    env,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`state: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { households: number; partial: number };
}

const file = registerFile();
log(`data dir ${dataDir}; ${HOUSEHOLDS} households, ${(file.length / 1048576).toFixed(1)} MiB; ${KILLS} kills`);
let server = await start();
let stored = 0;
for (let k = 1; k <= KILLS; k++) {
  let cookie = await login();
  const started = await upload(cookie, file, true);
  const importId = started.body.importId as string;
  const target = Math.floor(HOUSEHOLDS * (0.1 + Math.random() * 0.7));
  for (;;) {
    const p = (await api(cookie, `/api/households/import/${importId}`)).body;
    if (p.status !== 'running' || (p.rows as number) >= target) break;
    await sleep(50 + Math.random() * 200);
  }
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  log(`kill ${k}: SIGKILL near row ${target}`);
  const state = dbState();
  check(state.partial === 0, `kill ${k}: no partial household (${state.households} stored)`);
  check(state.households >= stored, `kill ${k}: nothing acknowledged before was lost`);
  stored = state.households;
  server = await start();
  cookie = await login();
  const after = (await api(cookie, `/api/households/import/${importId}`)).body;
  check(
    after.status === 'failed' || after.status === 'done',
    `kill ${k}: the import is not left running (${String(after.status)})`,
  );
  const left = fs.existsSync(path.join(dataDir, 'uploads')) ? fs.readdirSync(path.join(dataDir, 'uploads')) : [];
  check(left.length === 0, `kill ${k}: no upload left on disk`);
}
const cookie = await login();
const last = await upload(cookie, file, false);
check(last.status === 200, 'the file imports to completion after the kills');
check(
  (last.body.importedHouseholds as number) + (last.body.unchangedHouseholds as number) === HOUSEHOLDS,
  `every household in once: ${String(last.body.importedHouseholds)} new + ${String(last.body.unchangedHouseholds)} already there`,
);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
const final = dbState();
check(final.households === HOUSEHOLDS && final.partial === 0, `${final.households} households, none partial`);
const verify = spawnSync(process.execPath, [path.join(root, 'packages/server/bin/jiuzhu.mjs'), 'audit', 'verify'], {
  env,
  encoding: 'utf8',
});
check(verify.status === 0, `audit chain: ${verify.stdout.trim() || verify.stderr.trim()}`);
fs.rmSync(dataDir, { recursive: true, force: true });
log('chaos run passed');
