// @ts-check
/**
 * Lint (`make lint`, run by `make test`): typescript-eslint's strict, type-checked rules over
 * all the TypeScript, sources and tests, with the type information tsc uses; the browser's
 * and CouchDB's plain JavaScript with the base rules and their own globals.
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'hub/storage/types/**', 'content/packs/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // With noUncheckedIndexedAccess every a[i] may be undefined; where a bound or a length
      // check already proves it is there, `!` is the one honest way to say so.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers in messages and URLs are what template strings are for.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(x) => void f(x)` and `() => res.end()` read as what they are.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidOperator: true }],
      // Unused arguments named _x keep a callback's shape (Express's error handler needs four).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself waits for.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['hub/portal/static/**/*.js', 'kiosk/pages/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['hub/portal/static/sw.js'], languageOptions: { globals: { ...globals.serviceworker } } },
  { files: ['*.cjs', '*.js'], languageOptions: { globals: { ...globals.node } } }
);
