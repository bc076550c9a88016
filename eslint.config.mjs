import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Packages that talk to AWS; only functions/aws may import them. */
const AWS_SDK = ['@aws-sdk/*', '@smithy/*'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.serverless/',
      '.serverless-test/',
      '.esbuild*/',
      'coverage/',
      '.bench/',
      '.local/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Type-aware rules only where they are needed: typed linting of the whole tree costs minutes.
    files: ['functions/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A tagged union (route modes, decisions, detail-types) is handled case by case: a new
      // member fails the lint until every switch over it says what it does.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: true },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/aws/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: AWS_SDK,
              message: 'Only the adapters in functions/aws call AWS: add or use one there.',
            },
          ],
        },
      ],
    },
  },
  {
    // The functional core: decisions from values passed in, so that a test needs no stub.
    files: ['functions/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...AWS_SDK, '@aws-lambda-powertools/*', '@middy/*'],
              message: 'functions/core decides; the shell reads, logs and acts.',
            },
            {
              group: [
                '**/aws/*',
                '**/runtime/*',
                '**/handlers/*',
                '**/observability/*',
                '**/cli/*',
              ],
              message: 'functions/core is imported by the shell, never the other way round.',
            },
            {
              group: ['**/config/*', '**/schemas/*'],
              allowTypeImports: true,
              message:
                'functions/core takes configuration and events as parsed values passed in: import their types only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        {
          name: 'process',
          message: 'functions/core reads no environment: take the value as an argument.',
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'functions/core reads no clock: take `now` as an argument.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'functions/core reads no clock: take `now` as an argument.',
        },
      ],
    },
  },
  prettier,
);
