// node-postgres' value serialiser (pg/lib/utils.js, exported by the package), which @types/pg
// does not describe. pglite-query.ts uses it so that PGlite receives what PostgreSQL receives.
declare module 'pg/lib/utils.js' {
  /** null for null/undefined, Buffer for bytes, text for everything else (arrays → '{…}'). */
  export function prepareValue(value: unknown): string | Buffer | null;
  const utils: { prepareValue: typeof prepareValue };
  export default utils;
}
