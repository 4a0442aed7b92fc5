/**
 * Asks the browser to wake the service worker with `tag` once the network is back, even if the
 * page is closed by then (Background Sync, Chromium). Elsewhere, or when denied, the page's own
 * online and start-up triggers still deliver.
 */
export async function registerBackgroundSync(tag: string): Promise<void> {
  try {
    const reg = await navigator.serviceWorker?.ready;
    const sync = (
      reg as
        | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
        | undefined
    )?.sync;
    await sync?.register(tag);
  } catch {
    // Not supported (Firefox/Safari) or denied.
  }
}
