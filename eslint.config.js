// ESLint flat config. The architecture of DESIGN.md ("Dependencies point inwards", core does no I/O,
// web imports no worker code, production imports no test seams) lives here as errors, beside
// typescript-eslint, react-hooks and refused import cycles. Rationale: docs/decisions.md, "Lint".
// Run it with `npm run lint` (also the step before vitest in `npm test`).
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

/** Test code: vitest files, shared suites, seams and fixtures. See "Test seams" in docs/decisions.md. */
export const TEST_FILES = [
  '**/*.test.ts', '**/*.test.tsx', '**/*.case.ts', '**/testing.ts', '**/testing/**',
  '**/fixtures/**', '**/*.fixture.ts', '**/*.fixtures.ts',
  'test/**', 'bench/**', '*.config.ts',
];

// Import specifiers that name test code. Regexes over the specifier as written (relative or not).
const TEST_SEAM_IMPORTS = [
  { regex: '(^|/)testing(/|$)', message: 'a test seam (testing.ts / testing/) is for tests only.' },
  { regex: '\\.(test|case)$', message: 'test files and shared suites (*.test.ts, *.case.ts) are for tests only.' },
  { regex: '(^|/)fixtures(/|$)|\\.fixtures?$', message: 'fixtures are for tests only.' },
  { regex: '(^|/)test/', message: 'test/ is for tests only.' },
];

const NODE_OR_CLOUD = [
  { regex: '^node:', message: 'core/ is pure TypeScript (DESIGN.md, Layout): no Node I/O; take a port (core/ports) instead.' },
  { group: ['@google-cloud/*'], message: 'core/ imports no cloud SDK (DESIGN.md, Layout): use a port, implement it in adapters/.' },
];

/** A zone of import-x/no-restricted-paths: files under `target` may not import files under `from`. */
const zone = (target, from, why) => ({ target, from, message: why });
const CORE_ZONE = zone('./core', ['./web', './relay', './functions', './emulator', './adapters', './scripts'],
  'core/ depends on nothing outside core/ (DESIGN.md: dependencies point inwards).');
const WEB_ZONE = zone('./web', ['./relay', './functions', './emulator', './adapters'],
  'web/ runs in the browser: it imports core/ only (DESIGN.md), never relay/, functions/, emulator/ or adapters/.');
const NO_TASK_IMPLEMENTATIONS = "web/ imports task contracts (core/tasks/contracts), never their implementations: those carry every kernel (57 KB in the bundle, issue 17).";
// The planners' limits and the pyramid's levels are constants the contracts share with the views.
const WEB_CATALOG_ZONES = [
  zone('./web', ['./core/tasks/catalog.ts', './core/tasks/builtin.ts', './core/tasks/recordingTasks.ts'], NO_TASK_IMPLEMENTATIONS),
  { target: './web', from: './core/tasks/views', except: ['./limits.ts', './pyramid.ts'], message: NO_TASK_IMPLEMENTATIONS },
];
// The shells reach each other only through core/ and the buckets and topics; adapters/ serve them all.
// (emulator/ hosts the functions and the relay, and scripts/ are tools: both may import them.)
const SHELL_ZONES = [
  zone('./relay', ['./functions', './web', './emulator'], 'relay/ is a shell: it imports core/ and adapters/, not functions/, web/ or emulator/ (DESIGN.md).'),
  zone('./functions', ['./relay', './web', './emulator'], 'functions/ is a shell: it imports core/ and adapters/, not relay/, web/ or emulator/ (DESIGN.md).'),
  zone('./adapters', ['./functions', './relay', './web', './emulator', './scripts'], 'adapters/ implement core/ ports for the shells: they import core/ only.'),
];

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', '.sortingview/**', 'terraform/**', 'bench/results/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      // Without these, import-x does not parse .ts dependencies and no-cycle sees no edges.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      // tsc checks names (noUnusedLocals, undefined identifiers); ESLint's copies only disagree with it.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      // A timer declared before the closures that clear it, and set after them, stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [CORE_ZONE, WEB_ZONE, ...WEB_CATALOG_ZONES] }],
    },
  },
  // React's classic hook rules. Not the React Compiler rules of the plugin's 'recommended' (purity,
  // refs, set-state-in-effect, use-memo, ...): we do not compile with it, they report 23 findings on
  // code written for the classic rules, and they triple the lint time (docs/decisions.md, "Lint").
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Tests may use `any` for oracle answers and parsed fixtures, and rethrow without a cause.
  {
    files: TEST_FILES,
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'preserve-caught-error': 'off' },
  },
  // TaskContract<K = any> and TaskDefinition<K = any> let one list hold every task (kwargs are
  // contravariant in `relayCost` and `run`); each task is typed exactly where it is defined.
  {
    files: ['core/tasks/types.ts', 'core/tasks/contract.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Production code (everything but TEST_FILES) imports no test seams, and its shells stay apart
  // (their tests may start an emulator or call another shell's code).
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: TEST_SEAM_IMPORTS }],
      'import-x/no-restricted-paths': ['error', { zones: [CORE_ZONE, WEB_ZONE, ...WEB_CATALOG_ZONES, ...SHELL_ZONES] }],
    },
  },
  // core/: no Node built-ins, no cloud SDK, in production and test code alike (the oracle runner,
  // which starts python, lives in test/oracles).
  {
    files: ['core/**/*.{ts,tsx}'],
    ignores: TEST_FILES,
    rules: { 'no-restricted-imports': ['error', { patterns: [...NODE_OR_CLOUD, ...TEST_SEAM_IMPORTS] }] },
  },
  {
    files: TEST_FILES.map((g) => `core/${g}`),
    rules: { 'no-restricted-imports': ['error', { patterns: NODE_OR_CLOUD }] },
  },
  // Module file names are camelCase in the code folders (scripts/ and bin/ keep their command names).
  {
    files: ['{core,web,relay,functions,emulator,adapters}/**/*-*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'Program',
        message: 'Name modules in camelCase (publisherService.ts, not publisher-service.ts): STYLE.md and docs/decisions.md, "Lint".',
      }],
    },
  },
  // The naming convention of test seams: testing.ts or testing/, never *Testing.ts.
  {
    files: ['**/*Testing.ts', '**/*Testing.tsx'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'Program',
        message: 'Name a test seam testing.ts or put it in a testing/ folder beside the module (docs/decisions.md, "Test seams").',
      }],
    },
  },
);
