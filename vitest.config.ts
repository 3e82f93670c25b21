import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source, so a test run needs no build first.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@slt\/([a-z-]+)$/, replacement: `${import.meta.dirname}/packages/$1/src/index.ts` },
      { find: /^@slt\/([a-z-]+)\/([a-z-]+)$/, replacement: `${import.meta.dirname}/packages/$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'benchmarks/**/*.test.ts', 'examples/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/temp-dir.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
