import { createDefaultEsmPreset } from 'ts-jest';

// ESM + ts-jest: on Node 20 jest needs --experimental-vm-modules (set in `npm test`), and got is
// ESM-only, so compiling to CommonJS is no way out. Type-checking is `tsc --noEmit` in `npm test`,
// so ts-jest only transpiles here, which keeps the suite fast.
const preset = createDefaultEsmPreset({ tsconfig: 'tsconfig.json', diagnostics: false });

export default {
  ...preset,
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/adapters'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 20000,
  // The files run one at a time in a worker process that is replaced once it holds more than this
  // after a file: in one long-lived process each file's modules (ESM, never unloaded) pile up, and
  // late files then run with a heap of gigabytes, slow enough to miss the answer budgets they test.
  workerIdleMemoryLimit: '1GB',
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
};
