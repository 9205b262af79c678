// Builds the staff web app when its build is missing or older than its sources (used by `npm start` and the browser tests).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'packages/web');
export const webDist = path.join(web, 'dist');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'e2e'].includes(entry.name) || entry.name.endsWith('.test.ts')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureWebBuilt() {
  const built = path.join(webDist, 'index.html');
  const sources = Math.max(newestMtime(web), newestMtime(path.join(root, 'packages/shared/src')));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return false;
  console.log('Building the web app (missing or older than its sources)…');
  const res = spawnSync('npm', ['run', 'build', '-w', '@jiuzhu/web'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`web build failed with exit code ${res.status}`);
  return true;
}
