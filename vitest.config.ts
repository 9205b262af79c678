import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default on this 2-core machine is one worker (cores − 1), which runs every file in
    // turn. Most files wait on PostgreSQL, on PGlite's thread or on Chromium: with two workers the
    // cores were idle about a third of the time (docs/BENCHMARKS.md, "Test suite").
    maxWorkers: 3,
    projects: [
      { test: { name: 'shared', root: 'packages/shared', include: ['src/**/*.test.ts'], isolate: false } },
      {
        test: {
          name: 'server',
          root: 'packages/server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.timing.test.ts'],
          // A worker's files share its module cache instead of loading the server's modules anew
          // for each file (vitest's import time 259 s → 32 s summed over the PostgreSQL suite). Every
          // file makes its own app and database, so nothing of a test's state is shared.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Tests that assert a time (health answered within 200 ms during a big import or export, a
        // login refused as slowly for an unknown name as for a known one) run after every other
        // file, one at a time: on two cores a browser test beside them would measure the machine.
        test: {
          name: 'timing',
          root: 'packages/server',
          include: ['src/**/*.timing.test.ts'],
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'web',
          root: 'packages/web',
          include: ['e2e/**/*.test.ts'],
          // Browser files run beside the server files (each starts its own server and Chromium); the
          // web app is built once before them.
          globalSetup: ['e2e/global-setup.ts'],
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // A page under load (three test workers, Chromium, the server) can take seconds to settle;
          // expect.poll's default of 1 s made such waits flaky.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
