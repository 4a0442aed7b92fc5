// Mirrors of api/src/contract/surveillance.ts constants: the web imports the contract as types
// only (no TypeBox in the bundle), so values are repeated here and checked by web/test.
export const SURVEILLANCE_LIMITS = { maxRows: 5000, maxWeeks: 156 } as const;
export const PUBLIC_MIN_CELL_COUNT = 3;
