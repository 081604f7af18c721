// Lint (STYLE habit 3): no floating promises anywhere; workflow code stays deterministic by construction —
// relative imports and the workflow SDK only, no Node built-ins, no clients, no clock or randomness.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'generated/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['prisma.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Temporal's workflow sandbox (samples-typescript .eslintrc): what a workflow imports is replayed forever.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'child_process'],
              message: 'Workflow code cannot use Node built-ins: do it in an activity.',
            },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@prisma/*', 'pg', '**/prisma/client'],
              message: 'Workflow code reaches services only through activities.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use uuid4() or an activity: Math.random in a workflow is replayed differently.' },
      ],
    },
  },
  {
    // Layers (docs/architecture.md): the API reaches the database only through repositories/, never through
    // activities or the Prisma client; its controllers and services hold no database handle.
    files: ['apps/api/src/**/*.controller.ts', 'apps/api/src/**/*.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/activities', '**/activities/**'], message: 'The API reads and writes through repositories/, not activities.' },
            { group: ['**/prisma/client'], message: 'Queries live in repositories/: inject the repository instead.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/api/src/**'], message: 'The worker shares config and logging with the API through platform/.' }] },
      ],
    },
  },
);
