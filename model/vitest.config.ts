import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Resolve test paths from this package, whichever folder vitest is started from.
  root: import.meta.dirname,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each file loads its own TF.js WASM instance; run files one at a time on the 2-core machine.
    fileParallelism: false,
  },
});
