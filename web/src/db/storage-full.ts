/** IndexedDB refused for want of space (Dexie names the error after the DOMException). */
export function isStorageFull(err: unknown): boolean {
  const inner = (err as { inner?: unknown } | null)?.inner;
  return [err, inner].some((e) => e instanceof Error && e.name === 'QuotaExceededError');
}
