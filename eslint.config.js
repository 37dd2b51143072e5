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
      // It flags `return void next()`, the very form no-confusing-void-expression's
      // ignoreVoidOperator asks for above: the two rules contradict each other.
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      // Handlers implement async interfaces (AdminHandler, the console's page table, node:test's
      // callbacks); one that happens not to await stays async so that a throw is a rejection.
      '@typescript-eslint/require-await': 'off',
      // Unused arguments named _x keep a callback's shape (Express's error handler needs four).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // after() closes what before() may not have opened (`await hub?.stop()`), though `let hub:
      // Hub` assigned in before() reads as always there: the optional chains are needed.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Tests poke at JSON answers, CSV rows and YAML profiles whose shape is what they assert.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
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
  {
    files: ['content/schema/**/*.ts'],
    // A schema's .refine is ES5 text central's CouchDB runs (content/schema/index.ts): var, no let.
    rules: { 'no-var': 'off' },
  },
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // CommonJS by necessity: dependency-cruiser's config and Electron's sandboxed preload.
  { files: ['**/*.cjs', '**/*.cts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.es5.js'],
    // CouchDB's own ES5 text, sent as it is: one bare function expression, a catch that must
    // name its error, hasOwnProperty on plain JSON documents.
    rules: {
      'no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-prototype-builtins': 'off',
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  { files: ['hub/portal/static/**/*.js', 'hub/admin/static/**/*.js', 'kiosk/pages/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  // __ASSETS__ is the placeholder hub/portal/assets.ts replaces when it serves sw.js (sw.d.ts).
  { files: ['hub/portal/static/sw.js'], languageOptions: { globals: { ...globals.serviceworker, __ASSETS__: 'readonly' } } },
  { files: ['*.cjs', '*.js'], languageOptions: { globals: { ...globals.node } } }
);
