import { defineConfig } from 'vitest/config';

// The default suite: everything except the browser (e2e) and multi-instance (scale) suites.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'evals/**/*.test.ts', 'widget/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.e2e.test.ts', '**/*.scale.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
