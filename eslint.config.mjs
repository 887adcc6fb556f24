import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Architecture: apps may import libs, never another app; the kernel (domain primitives: calendar
// days, division codes) depends on no lib and no framework, only class-validator/class-transformer;
// contracts depend on the kernel alone; the testing lib never enters production code (only tests
// may import it).
const SHARED = ['type:kernel', 'type:contracts', 'type:infra', 'type:util'];
const boundaries = (inTests) => {
  const testing = inTests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    // The infrastructure libraries' own integration specs use the testing library (stack settings,
    // waitFor), and the testing library boots services with them (bootServiceUnderTest): a cycle
    // through test files only, which no production code takes part in.
    ignoredCircularDependencies: [['testing', 'tag:type:infra']],
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: [...SHARED, ...testing],
      },
      {
        sourceTag: 'type:e2e',
        onlyDependOnLibsWithTags: [...SHARED, 'type:testing'],
      },
      {
        sourceTag: 'type:tools',
        onlyDependOnLibsWithTags: [...SHARED, 'type:testing'],
      },
      {
        sourceTag: 'type:kernel',
        onlyDependOnLibsWithTags: [],
        allowedExternalImports: ['class-validator', 'class-transformer'],
      },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:kernel'] },
      {
        sourceTag: 'type:util',
        onlyDependOnLibsWithTags: ['type:kernel', 'type:util', ...testing],
      },
      {
        sourceTag: 'type:infra',
        onlyDependOnLibsWithTags: [...SHARED, ...testing],
      },
      {
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: [...SHARED, 'type:testing'],
      },
    ],
  };
};

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.stack', '**/tmp', '**/coverage', '**/.nx'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      // Class properties keep explicit types: decorator metadata (class-transformer conversion of
      // environment variables, Nest DI) reads them, and an inferred type emits no metadata.
      '@typescript-eslint/no-inferrable-types': ['error', { ignoreProperties: true }],
      '@typescript-eslint/require-await': 'off',
      // Nest's decorators and class-validator's metadata need classes that only carry decorators.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // Tests may use jest's untyped matchers (expect.any, objectContaining) freely.
    files: [
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
      '*/*/test/**/*.ts',
      'libs/testing/**/*.ts',
    ],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(true)],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  prettier,
];
