import { createDefaultEsmPreset } from 'ts-jest';

// ESM + ts-jest (see ../shared/TOOLCHAIN.md, gotcha 2). Type-checking is `tsc --noEmit` in `npm test`,
// so ts-jest only transpiles here, which keeps the suite fast.
const preset = createDefaultEsmPreset({ tsconfig: 'tsconfig.json', diagnostics: false });

export default {
  ...preset,
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/adapters'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 20000,
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
};
