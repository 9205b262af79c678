/**
 * Fails when source files import each other in a circle (type imports count too: a circle of
 * types is the same tangle). Imports are resolved the way tsc resolves them, from each
 * package's tsconfig; packages and node_modules are leaves. Part of `npm run lint`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROJECTS = ['packages/shared', 'packages/server', 'packages/web', 'packages/web/e2e'];

function graphOf(project) {
  const configFile = ts.findConfigFile(path.join(ROOT, project), ts.sys.fileExists, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configFile));
  const root = path.join(ROOT, project);
  const files = new Set(parsed.fileNames.map((f) => path.resolve(f)));
  const graph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const deps = new Set();
    for (const { fileName } of info.importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, parsed.options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = path.resolve(resolved.resolvedFileName);
      if (target.startsWith(root + path.sep) && files.has(target)) deps.add(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components (Tarjan), iteratively: each with 2 or more files, or a file importing itself, is a circle. */
function circles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const found = [];
  for (const start of graph.keys()) {
    if (idx.has(start)) continue;
    const work = [[start, [...graph.get(start)], 0]];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, deps] = frame;
      if (frame[2] < deps.length) {
        const w = deps[frame[2]++];
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push([w, [...graph.get(w)], 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === idx.get(v)) {
        const scc = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || graph.get(v).has(v)) found.push(scc);
      }
    }
  }
  return found;
}

let failed = false;
for (const project of PROJECTS) {
  for (const scc of circles(graphOf(project))) {
    failed = true;
    const names = scc.map((f) => path.relative(ROOT, f)).sort();
    console.error(`import circle in ${project} (${names.length} files):\n  ${names.join('\n  ')}`);
  }
}
if (failed) process.exit(1);
console.log(`no import circles in ${PROJECTS.join(', ')}`);
