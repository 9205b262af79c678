import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chinaToday } from '@jiuzhu/shared';
import pg from 'pg';
import pino from 'pino';
import { openAndPrepare } from '../src/boot';
import type { Config } from '../src/config';

/**
 * Migrated, seeded template databases shared by the test files (see test/README.md).
 *
 * Every test app used to migrate an empty database (all migrations), load the division tree and seed
 * the demo accounts itself. That outcome depends only on the code (migrations and seeds), the city
 * and the day, so it is made once under a key of those and copied for each test app:
 * - PGlite: a data directory image (`dumpDataDir`) in the temporary directory, loaded with `loadDataDir`;
 * - PostgreSQL: a database `jiuzhu_tpl_<key>` on the server, cloned with `CREATE DATABASE … TEMPLATE`.
 * The test app still runs the whole boot (`openAndPrepare`) on its copy, which finds nothing to do.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVER_SRC = path.resolve(HERE, '../src');
const SHARED_SRC = path.resolve(HERE, '../../shared/src');
const PGLITE_PACKAGE = path.resolve(HERE, '../../../node_modules/@electric-sql/pglite/package.json');

/** Templates of each kind kept beside the newest (other branches and older code leave theirs). */
const KEEP = 12;

let codeHash: string | undefined;

/** A hash of everything the template's content follows from: migrations and boot code, shared code, PGlite's version. */
function hashCode(): string {
  if (codeHash) return codeHash;
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.includes('.test.')) h.update(path.relative(HERE, p)).update('\0').update(fs.readFileSync(p));
    }
  };
  walk(SERVER_SRC);
  walk(SHARED_SRC);
  if (fs.existsSync(PGLITE_PACKAGE)) h.update(fs.readFileSync(PGLITE_PACKAGE));
  codeHash = h.digest('hex');
  return codeHash;
}

/** The template's key for a city on the current day (demo insurance schemes are seeded for this year and last). */
export function templateKey(city: string): string {
  return createHash('sha256').update(`${hashCode()}|${city}|${chinaToday()}`).digest('hex').slice(0, 20);
}

const silent = pino({ level: 'silent' });

// ---- PGlite: a data directory image in the temporary directory

const PGLITE_DIR = path.join(os.tmpdir(), 'jiuzhu-test-templates');
const images = new Map<string, Blob>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The image for this config's city, built by the first process that needs it while the others wait
 * on its lock file (a lock left by a process that died is taken over).
 */
export async function pgliteTemplate(config: Config): Promise<Blob> {
  const key = templateKey(config.city);
  const cached = images.get(key);
  if (cached) return cached;
  fs.mkdirSync(PGLITE_DIR, { recursive: true });
  const file = path.join(PGLITE_DIR, `pglite-${key}.tar`);
  const lock = `${file}.lock`;
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  while (!bytes) {
    try {
      bytes = new Uint8Array(fs.readFileSync(file));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    let fd: number;
    try {
      fd = fs.openSync(lock, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(lock, 'utf8').trim() || '0');
      } catch {
        continue; // released this instant
      }
      // An empty lock is one being written this instant; a dead owner's is stale.
      if (owner > 0 && !alive(owner)) fs.rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      if (!fs.existsSync(file)) await buildPgliteImage(config, file);
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
  // Marks it used, for pruneOldImages (gone already if pruned this instant: no matter, it is read).
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // pruned by another run between reading and marking
  }
  const image = new Blob([bytes]);
  images.set(key, image);
  return image;
}

async function buildPgliteImage(config: Config, file: string): Promise<void> {
  const database = await openAndPrepare(config, silent, { inMemory: true, seedDemo: true });
  try {
    // Everything on disk before the image is taken (so loading it needs no recovery).
    await database.pglite!.exec('checkpoint');
    const image = await database.pglite!.dumpDataDir('none');
    const part = `${file}.${process.pid}.part`;
    fs.writeFileSync(part, Buffer.from(await image.arrayBuffer()));
    fs.renameSync(part, file);
  } finally {
    await database.close();
  }
  pruneOldImages(file);
}

/** Removes all but the KEEP most recently used images (never the one just made). */
function pruneOldImages(keep: string): void {
  const others = fs
    .readdirSync(PGLITE_DIR)
    .filter((f) => /^pglite-[0-9a-f]+\.tar$/.test(f))
    .map((f) => path.join(PGLITE_DIR, f))
    .filter((f) => f !== keep)
    .map((f) => ({ f, used: fs.statSync(f).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { f } of others.slice(KEEP)) fs.rmSync(f, { force: true });
}

// ---- PostgreSQL: a template database on the server, one database cloned from it per test app

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(c: pg.Client, name: string): Promise<boolean> {
  return (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
}

/** Makes sure the template database for this config's city exists on the server; returns its name. */
async function ensurePostgresTemplate(url: string, config: Config): Promise<string> {
  const name = `jiuzhu_tpl_${templateKey(config.city)}`;
  return admin(url, async (c) => {
    if (await databaseExists(c, name)) return name;
    // One builder per template across processes (an advisory lock ends with its session).
    await c.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      if (await databaseExists(c, name)) return name;
      const building = `${name}_b`;
      await c.query(`drop database if exists ${building} with (force)`);
      await c.query(`create database ${building}`);
      const database = await openAndPrepare(
        { ...config, databaseUrl: withDatabase(url, building), dbSchema: undefined },
        silent,
        { seedDemo: true },
      );
      await database.close();
      // Appears under its final name only when complete.
      await c.query(`alter database ${building} rename to ${name}`);
      await prunePostgresTemplates(c, name);
      return name;
    } finally {
      await c.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

/** Drops all but the KEEP newest template databases (one in use by a clone right now refuses; it stays). */
async function prunePostgresTemplates(c: pg.Client, keep: string): Promise<void> {
  const { rows } = await c.query<{ datname: string }>(
    `select datname from pg_database where datname ~ '^jiuzhu_tpl_[0-9a-f]+$' and datname <> $1 order by oid desc`,
    [keep],
  );
  for (const { datname } of rows.slice(KEEP)) await c.query(`drop database if exists ${datname}`).catch(() => {});
}

/**
 * A new database on the server of `url`, copied from the template (built first if missing).
 * Returns its name and URL.
 */
export async function clonePostgresTemplate(url: string, config: Config): Promise<{ name: string; url: string }> {
  const name = `jiuzhu_t_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    const template = await ensurePostgresTemplate(url, config);
    try {
      await admin(url, (c) => c.query(`create database ${name} template ${template}`));
      return { name, url: withDatabase(url, name) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 3D000: pruned by another branch's run in between (it is made again); 55006: another session
      // was connected to the template for a moment.
      if (attempt >= 5 || (code !== '3D000' && code !== '55006')) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

export async function dropPostgresDatabase(url: string, name: string): Promise<void> {
  await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
}
