import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The local cloud is the workspace package @refarch/local-cloud (local/): src/ never imports it, and
// everyone else imports only what its index.ts declares.
const localCloudOnlyByIndex = {
  group: ['**/local/*', '**/local/**', '@refarch/local-cloud/*'],
  message: "Import the local cloud from '@refarch/local-cloud' (its index.ts), not by a path into local/.",
};
const noLocalCloudInSrc = {
  group: ['@refarch/local-cloud', '@refarch/local-cloud/*', '**/local/*', '**/local/**'],
  message: 'src/ is what deploys: it never imports the local cloud (DESIGN.md §2).',
};

export default tseslint.config(
  { ignores: ['node_modules', '.serverless', '.esbuild', '.local', 'coverage', 'dist', 'src/proto/generated'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Small functions (issue 17): one that outgrows a screen is split where its steps are (70 lines as Prettier
  // lays them out at 120 columns, about 60 of the denser style before it). Tests' describe blocks are exempt.
  {
    files: ['src/**/*.ts', 'local/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true }] },
  },
  // Serverless Framework plugins are CommonJS modules loaded by osls.
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    ignores: ['local/**', 'src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [localCloudOnlyByIndex] }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/domain/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noLocalCloudInSrc] }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/*',
                '@smithy/*',
                'redis',
                '@middy/*',
                '@aws-lambda-powertools/*',
                'node:fs*',
                'node:net',
                'node:http*',
                'node:child_process',
              ],
              message: 'src/domain does no I/O and imports no SDK (DESIGN.md §2).',
            },
            {
              group: ['**/adapters/**', '**/functions/**'],
              message: 'src/domain depends on nothing outside src/domain.',
            },
            noLocalCloudInSrc,
          ],
        },
      ],
    },
  },
);
