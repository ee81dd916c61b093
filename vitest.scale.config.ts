import { defineConfig } from 'vitest/config';

// Multi-instance suite: several real service processes on PostgreSQL and Redis.
export default defineConfig({
  test: {
    include: ['**/*.scale.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
