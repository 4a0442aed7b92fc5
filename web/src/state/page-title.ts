import { useEffect } from 'react';

/** "Heading · App": the heading alone when it is the app's name (the welcome screen). */
export function pageTitle(heading: string | null | undefined, appName: string): string {
  const text = heading?.replace(/\s+/g, ' ').trim();
  return text && text !== appName ? `${text} · ${appName}` : appName;
}

/**
 * Keeps document.title on the current screen's main heading (WCAG 2.4.2, page titled): browser
 * tabs, history and screen readers then tell the screens apart, not eleven "Phytodiag". Read from
 * the DOM so every screen is covered, including headings that arrive later (a fact sheet's name
 * once loaded) or change language.
 */
export function usePageTitle(appName: string): void {
  useEffect(() => {
    const update = () => {
      const title = pageTitle(document.querySelector('main h1')?.textContent, appName);
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [appName]);
}
