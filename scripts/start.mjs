#!/usr/bin/env node
// `npm start`: builds the staff web app if needed, then starts the server (API + web) in this process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from './web-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  ensureWebBuilt();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import(path.join(root, 'packages/server/src/server.ts'));
