import { defineConfig } from 'vitest/config';

// Unit tests run in Node; Dexie talks to fake-indexeddb (a real IndexedDB implementation).
export default defineConfig({
  root: import.meta.dirname,
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    setupFiles: ['fake-indexeddb/auto'],
  },
});
