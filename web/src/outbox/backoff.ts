/** Exponential backoff with a ceiling: 15 s, 30 s, 1 min ... at most 30 min between tries. */
export function backoffMs(attempts: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}
