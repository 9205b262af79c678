import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/*
 * Boundaries of the server (docs/ARCHITECTURE.md, "Modules and their allowed dependencies"):
 * 1. Production code never imports the tooling: the synthetic city (src/synthetic) and the demo
 *    and test drivers (src/demo). Only tests, the CLI and boot.ts (which seeds a development
 *    database) may.
 * 2. Another module is reached through its service.ts only: its routes, repo and internal files
 *    (run, dispatch, catalogue, ...) are its own; what others need, service.ts re-exports. Only
 *    app.ts (registers every module's routes), boot.ts, the CLI, the tooling and tests reach further.
 * Import specifiers are relative, so the patterns depend on how deep the importing file lies.
 */
const TOOLING = {
  regex: '(^|/)(synthetic|demo)(/|$)',
  message: 'Production code must not import the synthetic city or the demo drivers (src/synthetic, src/demo).',
};
const internalsOf = (prefix) => ({
  regex: `^${prefix}(?!\\.)[^/]+/(?!service$)`,
  message: 'Another module is reached through its service.ts only (re-export there what other modules need).',
});
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
  // A dynamic import() names its module too.
  'no-restricted-syntax': [
    'error',
    ...patterns.map((p) => ({
      selector: `ImportExpression[source.value=/${p.regex.replace(/\//g, '\\/')}/]`,
      message: p.message,
    })),
  ],
});
const SERVER = 'packages/server/src';
const TESTS = ['**/*.test.ts'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: [`${SERVER}/modules/*/*.ts`],
    ignores: TESTS,
    rules: restrict(TOOLING, internalsOf('\\.\\./')),
  },
  {
    files: [`${SERVER}/modules/*/*/**/*.ts`],
    ignores: TESTS,
    rules: restrict(TOOLING, internalsOf('\\.\\./\\.\\./')),
  },
  {
    files: [`${SERVER}/{plugins,jobs,db,crypto,i18n}/**/*.ts`],
    ignores: TESTS,
    rules: restrict(TOOLING, internalsOf('\\.\\./modules/')),
  },
  {
    files: [`${SERVER}/*.ts`],
    ignores: [...TESTS, `${SERVER}/app.ts`, `${SERVER}/boot.ts`],
    rules: restrict(TOOLING, internalsOf('\\./modules/')),
  },
  {
    files: [`${SERVER}/app.ts`],
    rules: restrict(TOOLING),
  },
  {
    files: ['**/*.mjs', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
