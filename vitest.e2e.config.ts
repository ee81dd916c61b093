import { defineConfig } from 'vitest/config';

// Browser journeys: playwright-core driving Debian's Chromium against a real server.
export default defineConfig({
  test: {
    include: ['**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
