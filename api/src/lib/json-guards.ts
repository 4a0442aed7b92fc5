import { AppError } from '../errors';

/** Deeper than any contract needs; stops recursion-heavy validation on hostile input. */
export const MAX_JSON_DEPTH = 32;

/** A UTF-16 half without its other half: not a character, cannot be stored as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * Throws INVALID_CHARACTERS when a string or key of a parsed JSON value holds a NUL character or a
 * lone surrogate (PostgreSQL text and jsonb cannot store it: it would become a 500), and
 * INVALID_JSON when the value nests deeper than MAX_JSON_DEPTH. Iterative, so hostile nesting
 * cannot overflow the stack.
 */
export function assertSafeJson(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current === 'string') {
      if (!isStorableText(current)) throw new AppError('INVALID_CHARACTERS');
    } else if (typeof current === 'object' && current !== null) {
      if (depth >= MAX_JSON_DEPTH) throw new AppError('INVALID_JSON');
      if (Array.isArray(current)) {
        for (const item of current) stack.push([item, depth + 1]);
      } else {
        for (const [key, item] of Object.entries(current)) {
          if (!isStorableText(key)) throw new AppError('INVALID_CHARACTERS');
          stack.push([item, depth + 1]);
        }
      }
    }
  }
}
