/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `npm run typecheck`'s job; tests only transpile (isolatedModules).
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // The generated Prisma client imports its siblings as "./x.js" (NodeNext style); map to the .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  setupFiles: ['<rootDir>/tests/helpers/env.ts'],
  testTimeout: 30000,
  // Spies (jest.spyOn on a service, Prisma or Date.now) are undone before every test, so no test
  // needs its own try/finally to keep one from outliving it.
  restoreMocks: true,
  // Two cores: two workers keep the database busy without thrashing.
  maxWorkers: 2,
  // `npm test` collects coverage (V8's own, no instrumentation) of src/, and fails below these
  // thresholds: a point or so under the figures of December 2026 (lines 98.7%, branches 92.7-93.6%,
  // functions 97.1-98.2%: heartbeats, sweeps and race branches run in some runs and not in others).
  // Code that runs only in a child process (server.ts, the worker's entry) is exercised by the
  // process tests but not counted. A single file: `npm test -- <path> --coverage=false`.
  coverageProvider: 'v8',
  collectCoverageFrom: ['src/**/*.ts', '!src/generated/**', '!src/**/*.d.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: { global: { lines: 97, statements: 97, functions: 96, branches: 91 } },
};
