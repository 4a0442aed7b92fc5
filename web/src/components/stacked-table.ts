import { useCallback, useSyncExternalStore } from 'react';

/**
 * Viewport widths below which a data table's columns no longer fit, so each row is laid out as
 * a short block (CSS class `stacked`): the row's name on its own line, then each value after its
 * column's name. Per table, because it depends on how many columns it has: four columns stack
 * on a 320–375 px phone (or with larger text), the lab's eight-column table on any phone.
 * In em, like a media query, so larger text stacks sooner.
 */
export const STACK_BELOW = {
  fourColumns: '(max-width: 24em)',
  eightColumns: '(max-width: 48em)',
} as const;

function subscribe(query: string, notify: () => void): () => void {
  const list = window.matchMedia(query);
  list.addEventListener('change', notify);
  return () => list.removeEventListener('change', notify);
}

/**
 * Whether a table with this breakpoint is stacked now; follows rotation and window resizing.
 * (CSS alone cannot share one set of stacking rules between two breakpoints.)
 */
export function useStacked(below: (typeof STACK_BELOW)[keyof typeof STACK_BELOW]): boolean {
  // A stable subscribe function: a new one at every render would make React re-subscribe.
  const onChange = useCallback((notify: () => void) => subscribe(below, notify), [below]);
  return useSyncExternalStore(onChange, () => window.matchMedia(below).matches);
}
