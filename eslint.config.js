import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * berth's layers (issue 11; STYLE.md "Boundaries"; README "How it is built"): each folder and
 * the folders it must never import. specs/ is the desired side and knows no controller; the
 * engine interface knows none of its users, and its Docker and in-memory implementations know
 * nothing of each other; the plan is pure (no engine implementation, no executor, no status);
 * only the CLI (and tests) import the CLI or pick an engine implementation.
 * Import cycles are checked by madge in `npm run lint` (it also sees `import type` cycles).
 */
const IMPLEMENTATIONS = ['engine/docker', 'engine/memory'];
const ABOVE_THE_MODEL = ['executor', 'watch', 'api', 'web', 'git', 'cli', ...IMPLEMENTATIONS];
const ENGINE_USERS = [
  'plan',
  'executor',
  'lifecycle',
  'update',
  'status',
  'records',
  'watch',
].concat(['api', 'web', 'git', 'export', 'registry', 'cli', 'observe.ts']);
const FORBIDDEN_IMPORTS = {
  'engine/*.ts': [...ENGINE_USERS, ...IMPLEMENTATIONS],
  'engine/docker': [...ENGINE_USERS, 'engine/memory'],
  // engine/memory -> engine/docker: all but the event vocabulary (zone below).
  'engine/memory': ENGINE_USERS,
  plan: ['records', 'status', ...ABOVE_THE_MODEL],
  // One module per kind (issue 17): pure, beside the plan; plan, status and executor read it.
  kinds: ['records', 'status', ...ABOVE_THE_MODEL],
  lifecycle: ['records', 'status', ...ABOVE_THE_MODEL],
  update: ['records', 'status', ...ABOVE_THE_MODEL],
  records: ['status', ...ABOVE_THE_MODEL],
  status: ABOVE_THE_MODEL,
  registry: ABOVE_THE_MODEL,
  export: ABOVE_THE_MODEL,
  executor: ['watch', 'api', 'web', 'git', 'cli', ...IMPLEMENTATIONS],
  watch: ['api', 'web', 'git', 'cli', ...IMPLEMENTATIONS],
  git: ['api', 'web', 'cli', ...IMPLEMENTATIONS],
  api: ['cli', ...IMPLEMENTATIONS],
  web: ['cli', ...IMPLEMENTATIONS],
  '*.ts': ['cli', ...IMPLEMENTATIONS],
};
/**
 * The plan is pure (observed data in, steps out; issue 11): plan/ and the few files of the
 * layers below it that plan/ uses may import no engine-calling code, only the engine
 * interface's types and the pure parts of update/ and lifecycle/. A new file there that
 * plan/ needs is listed here on purpose, after checking it calls no engine.
 */
const PURE_UPDATE = [
  './update-policy.ts',
  './replica-order.ts',
  './image-retention.ts',
  './temporary-name.ts',
];
const PURE_LIFECYCLE = ['./container-decision.ts'];
const PURE_PLAN = [
  './controller/plan',
  './controller/kinds',
  ...PURE_UPDATE.map((f) => `./controller/update/${f.slice(2)}`),
  ...PURE_LIFECYCLE.map((f) => `./controller/lifecycle/${f.slice(2)}`),
];
const pureMessage =
  'the plan is pure: it takes observed data and returns steps, it calls no engine';
const pureZones = [
  { target: PURE_PLAN, from: './controller/update', except: PURE_UPDATE },
  { target: PURE_PLAN, from: './controller/lifecycle', except: PURE_LIFECYCLE },
  {
    target: PURE_PLAN,
    from: './controller/engine',
    except: ['./engine.ts', './container-options.ts'],
  },
  { target: PURE_PLAN, from: ['./controller/observe.ts', './controller/logger.ts'] },
].map((zone) => ({ ...zone, message: pureMessage }));
const layerZones = [
  ...pureZones,
  {
    target: './specs',
    from: './controller',
    message: 'specs/ (the desired side) never imports controller/',
  },
  {
    // The in-memory engine speaks Docker's event vocabulary (changeOf), and nothing else of it.
    target: './controller/engine/memory',
    from: './controller/engine/docker',
    except: ['./docker-events.ts'],
    message: 'the in-memory engine shares only the event vocabulary of the Docker adapter',
  },
  ...Object.entries(FORBIDDEN_IMPORTS).map(([folder, forbidden]) => ({
    target: `./controller/${folder}`,
    from: forbidden.map((f) => `./controller/${f}`),
    message: `controller/${folder} must not import this (layers: eslint.config.js)`,
  })),
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'specs/types.generated.ts',
      'specs/validate/validators.generated.ts',
      'bench/.work/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript build scripts run on node.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { URL: 'readonly', process: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Each folder imports only the layers below it (layerZones above).
    files: ['controller/**/*.ts', 'specs/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    // Tests assemble layers on purpose (a plan test runs the executor on the in-memory engine).
    files: ['**/*.test.ts', '**/testing/**'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
);
