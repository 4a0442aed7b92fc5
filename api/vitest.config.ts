import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Each file gets its own database (in-memory PGlite, or a fresh PostgreSQL database).
    pool: 'forks',
    // Files share one process (2 cores: vitest runs one worker here) instead of a fresh one each.
    // Nothing is shared between them that matters: each file builds its own app on its own
    // database, and no test mocks a module or writes process.env. What is shared is what costs:
    // the app's module graph (imported once, not 53 times) and PGlite's compiled WASM. Measured:
    // PGlite alone 311 s → 155 s; PGlite and PostgreSQL side by side (`npm test`) 367 s → 190 s.
    // A test that needs vi.mock would have to run in a config of its own.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
