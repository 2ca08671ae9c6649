import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{nodes,runtime,warehouse,test}/**/*.test.ts', 'editor/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
