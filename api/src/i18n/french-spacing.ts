/**
 * French typography for interface text, as the Office québécois de la langue française sets it:
 * a no-break space before « : » and « % », and inside « ». Writers type ordinary spaces; this
 * turns them into no-break ones, so that on a narrow phone a colon, a percent sign or a closing
 * guillemet never starts a line on its own. In Quebec usage ; ! ? take no space: where a text has
 * one anyway, it becomes a narrow no-break space rather than a place to break the line.
 *
 * Dependency-free on purpose: the PWA imports it at run time (`@phytodiag/api/typography`) for its
 * own messages, and the API applies it to its error messages, so both follow one rule.
 */
const NBSP = '\u00a0';
const NARROW_NBSP = '\u202f';

export function frenchSpacing(text: string): string {
  return text
    .replace(/ +([:%»])/g, `${NBSP}$1`)
    .replace(/« +/g, `«${NBSP}`)
    .replace(/ +([;!?])/g, `${NARROW_NBSP}$1`);
}

/** A date Intl wrote in French (« 1 décembre 2026 »), the first of the month as an ordinal. */
export function frenchFirstOfMonth(date: string): string {
  return date.replace(/^1 /, '1er ');
}

/** Every string of a message tree (i18next resources), spaced the French way; shape unchanged. */
export function withFrenchSpacing<T>(messages: T): T {
  return spaceAll(messages) as T;
}

function spaceAll(value: unknown): unknown {
  if (typeof value === 'string') return frenchSpacing(value);
  if (Array.isArray(value)) return value.map(spaceAll);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, spaceAll(v)]));
  }
  return value;
}
