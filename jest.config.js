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
};
