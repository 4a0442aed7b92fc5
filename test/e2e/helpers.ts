import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from '@playwright/test';
import type { Escalation } from '@phytodiag/api/contract';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const IMAGEBANK =
  process.env.IMAGEBANK_DIR ?? join(ROOT, '..', 'shared', 'data', 'imagebank');

interface CatalogClass {
  slug: string;
  kind: string;
  crop: { fr: string; en: string };
  common_name: { fr: string; en: string };
  source_repository?: string;
  source_license?: string;
}
export const catalog = JSON.parse(readFileSync(join(IMAGEBANK, 'catalog.json'), 'utf8')) as {
  classes: CatalogClass[];
};
export function frenchName(slug: string): string {
  const c = catalog.classes.find((x) => x.slug === slug);
  if (!c) throw new Error(`unknown slug ${slug}`);
  return c.common_name.fr;
}

/** A bank photo the exported model classifies confidently (checked against model:eval). */
export const SAMPLE = {
  slug: 'corn_common_rust',
  file: join(IMAGEBANK, 'corn_common_rust', '001.jpg'),
};

export type ProfileKind = 'producer' | 'advisor' | 'gardener';

/** First launch: pick a profile, land on Home. */
export async function startApp(page: Page, profile: ProfileKind = 'producer'): Promise<void> {
  await page.goto('/');
  await page.getByTestId(`profile-${profile}`).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core finds no WCAG 2.2 AA violation on the current screen. */
export async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, screen).toEqual([]);
}

/**
 * Creates an account from the register screen; lands on "Mes demandes", signed in by the
 * registration itself (no separate login request).
 */
export async function register(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/#/register');
  await page.getByLabel('Courriel').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  const logins: string[] = [];
  const onRequest = (r: { url: () => string }) => {
    if (r.url().includes('/api/auth/login')) logins.push(r.url());
  };
  page.on('request', onRequest);
  await page.getByRole('button', { name: 'Créer le compte' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mes demandes' })).toBeVisible();
  page.off('request', onRequest);
  expect(logins).toEqual([]);
  const me = await page.request.get('/api/auth/me');
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { email: string }).email).toBe(email.toLowerCase());
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/#/login');
  await page.getByLabel('Courriel').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Clients land on their requests, lab staff on the queue.
  await expect(
    page.getByRole('heading', { level: 1, name: /^(Mes demandes|File des demandes)$/ }),
  ).toBeVisible();
}

/** The service worker controls the page and its precache is complete. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
          once: true,
        }),
      );
    }
  });
}

export async function waitForModel(page: Page): Promise<void> {
  await expect(page.getByTestId('model-ready').first()).toBeVisible({ timeout: 90_000 });
}

/** The first reference photo of every library entry, kept on the device after the sync. */
export async function waitForFirstPhotos(page: Page, atLeast = 29): Promise<void> {
  await expect
    .poll(() => countRows(page, 'libraryImages'), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(atLeast);
}

export async function waitForLibrary(page: Page, atLeast = 29): Promise<void> {
  await expect
    .poll(() => countRows(page, 'libraryEntries'), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(atLeast);
}

/** Rows of one table of the device's database (0 while it does not exist yet). */
function countRows(page: Page, table: string): Promise<number> {
  return readTable(page, table, 'count').then((n) => n ?? 0);
}

/** Every row of one table of the device's database, as the app wrote it. */
export async function deviceRows<T>(page: Page, table: string): Promise<T[]> {
  return ((await readTable(page, table, 'getAll')) ?? []) as T[];
}

/** One read of a table in the page's IndexedDB; undefined when the database cannot be opened. */
function readTable(page: Page, table: string, read: 'count'): Promise<number | undefined>;
function readTable(page: Page, table: string, read: 'getAll'): Promise<unknown[] | undefined>;
function readTable(page: Page, table: string, read: 'count' | 'getAll'): Promise<unknown> {
  return page.evaluate(
    ([name, how]) =>
      new Promise<unknown>((resolve) => {
        const req = indexedDB.open('phytodiag');
        req.onsuccess = () => {
          const store = req.result.transaction(name, 'readonly').objectStore(name);
          const r = how === 'count' ? store.count() : store.getAll();
          r.onsuccess = () => {
            resolve(r.result);
            req.result.close();
          };
        };
        req.onerror = () => resolve(undefined);
      }),
    [table, read] as const,
  );
}

/** Fills the request form (#/escalate) with one photo, a crop and a description, and sends it. */
export async function sendCaseForm(
  page: Page,
  c: { file: string; crop: string; description: string },
): Promise<void> {
  await page.goto('/#/escalate');
  await page.getByTestId('photo-input').setInputFiles(c.file);
  // EXIF is read before the photo joins the form: wait for it, or submit sees none.
  await expect(page.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await page.getByLabel('Culture').fill(c.crop);
  await page.getByLabel('Ce que vous observez').fill(c.description);
  await page.getByTestId('submit-case').click();
}

/** Diagnose one photo from the Diagnose screen; returns when the result is shown. */
export async function diagnose(page: Page, file: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Diagnostic' }).click();
  // The screen it left may have a photo input too (the request form's): wait for this one.
  await expect(
    page.getByRole('heading', { level: 1, name: 'Diagnostiquer une photo' }),
  ).toBeVisible();
  await page.getByTestId('photo-input').setInputFiles(file);
  await page.getByTestId('run-diagnosis').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Résultat' })).toBeVisible({
    timeout: 60_000,
  });
}

/**
 * How a data table fits its width: the words cut across two lines in its headers and cells
 * (class names, `.name`, may be), the cells whose text spills out of them, and how far the
 * table overflows the element that wraps it. `stacked`: a phone's layout (`stacked`),
 * where the headers are visually hidden and no word may be cut, class names included.
 */
export async function tableFit(
  table: Locator,
  { stacked = false }: { stacked?: boolean } = {},
): Promise<{ cut: string[]; spill: string[]; overflow: number }> {
  const cells = stacked ? 'tbody th, tbody td, tfoot th, tfoot td' : 'th:not(.name), td:not(.name)';
  return table.evaluate((el, selector) => {
    const cut: string[] = [];
    const spill: string[] = [];
    for (const cell of Array.from(el.querySelectorAll(selector))) {
      if (cell.scrollWidth > cell.clientWidth) spill.push(cell.textContent ?? '');
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of (node.textContent ?? '').matchAll(/[^\s\-–]+/g)) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          if (range.getClientRects().length > 1) cut.push(word[0]);
        }
      }
    }
    const wrap = el.parentElement;
    return { cut, spill, overflow: wrap ? wrap.scrollWidth - wrap.clientWidth : 0 };
  }, cells);
}

/**
 * The lab's side, in a browser of its own: the demo specialist signed in, on the case of the
 * queue whose text holds `description`. Close `context` when done.
 */
export async function openLabCase(
  browser: Browser,
  description: string,
): Promise<{ lab: Page; context: BrowserContext }> {
  const context = await browser.newContext();
  const lab = await context.newPage();
  await startApp(lab, 'advisor');
  await waitForLibrary(lab);
  await signIn(lab, 'specialiste@demo.local', 'phytodiag-demo');
  await lab.goto('/#/lab');
  const item = lab.getByTestId('queue').getByRole('listitem').filter({ hasText: description });
  await item.getByRole('link').click();
  return { lab, context };
}

/**
 * The current screen at 320 CSS px (WCAG 2.2 reflow: a small phone, or 1280 px at 400 % zoom)
 * does not scroll sideways; the viewport is then put back to the suite's 412 × 915.
 */
export async function expectFitsNarrowScreen(page: Page): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  await page.setViewportSize({ width: 412, height: 915 });
  expect(overflow, 'sideways scroll at 320 px').toBe(0);
}

/** A corn case sent by the API under `api`'s session, with one photo of its own. */
export async function sendCase(api: APIRequestContext, photo: string, description: string) {
  const res = await api.post('/api/escalations', {
    multipart: {
      case: JSON.stringify({ clientId: crypto.randomUUID(), crop: 'Maïs', description }),
      photo: { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: readFileSync(photo) },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Escalation;
}

/** What Chromium's Background Sync did, as DevTools records it (BackgroundService domain). */
export interface SyncEvent {
  /** « Registered sync », « Dispatched sync event », « sync event failed »... */
  name: string;
  tag: string;
  meta: Record<string, string>;
}

/**
 * Records the page's Background Sync events from now on: whether a sync event the service worker
 * ran failed (and so is fired again later) or completed, which the page cannot see.
 */
export async function watchBackgroundSync(
  context: BrowserContext,
  page: Page,
): Promise<SyncEvent[]> {
  const events: SyncEvent[] = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent: e }) => {
    events.push({
      name: e.eventName,
      tag: e.instanceId,
      meta: Object.fromEntries(e.eventMetadata.map((m) => [m.key, m.value])),
    });
  });
  await cdp.send('BackgroundService.startObserving', { service: 'backgroundSync' });
  await cdp.send('BackgroundService.setRecording', {
    shouldRecord: true,
    service: 'backgroundSync',
  });
  return events;
}

/** The Background Sync tags the page's service worker waits on (the browser wakes it for each). */
export function syncTags(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const reg = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync: { getTags(): Promise<string[]> };
    };
    return reg.sync.getTags();
  });
}
