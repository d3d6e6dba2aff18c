// ESLint flat config: typescript-eslint's recommended, type-aware rules on engine code.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'scratch/**',
      '**/__fixtures__/**',
      'coverage/**',
      'bench/.out/**',
      'engine/regoc/runtime/assembly/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Inject a Clock instead of calling Date.now().',
        },
      ],
    },
  },
  {
    files: ['bench/**', 'scripts/**', '**/*.test.ts', 'test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
