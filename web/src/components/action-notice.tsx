import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Moves the focus to `el` if it was lost: the button just used was disabled while the request ran,
 * or removed once it succeeded, and the browser put the focus back on <body>, where the next Tab
 * starts over at the top of the page (WCAG 2.4.3) and a screen reader hears nothing.
 */
export function rescueFocus(el: HTMLElement | null): void {
  if (el && (!document.activeElement || document.activeElement === document.body)) el.focus();
}

/** Focuses `el` when `active` turns true, if the focus was lost (see rescueFocus). */
export function useRescueFocus<T extends HTMLElement>(active: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (active) rescueFocus(ref.current);
  }, [active]);
  return ref;
}

/** The outcome of an action (« Réponse envoyée au demandeur. »): a status that takes a lost focus. */
export function ActionNotice({ children, testId }: { children: ReactNode; testId?: string }) {
  const ref = useRescueFocus<HTMLParagraphElement>(true);
  return (
    <p ref={ref} className="notice" role="status" tabIndex={-1} data-testid={testId}>
      {children}
    </p>
  );
}
