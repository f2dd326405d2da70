import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds the Blenders the integration tests run on (BLENDER_BG_TEST_BLENDERS, or blender on
    // PATH plus scripts/test-blenders' builds) and hands the list to every test file.
    globalSetup: ['test/setup/test-blenders.ts'],
    // Integration tests start real Blender (about a second each); 2 cores share them.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
