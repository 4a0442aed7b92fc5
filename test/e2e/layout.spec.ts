import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  register,
  ROOT,
  SAMPLE,
  sendCaseForm,
  signIn,
  startApp,
  waitForLibrary,
  waitForModel,
} from './helpers';

// Layout regressions seen in a manual walk-through on a 412 px phone: labels cut or overlapping,
// definition lists squeezed into a narrow column, dates with seconds. Screenshots go to
// test-results/layout/ so a human can look at them too.
const SHOTS = join(ROOT, 'test-results', 'layout');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 &&
  b.x < a.x + a.width - 0.5 &&
  a.y < b.y + b.height - 0.5 &&
  b.y < a.y + a.height - 0.5;

/** Every tab label is fully visible, none overlaps another, every tab is a ≥ 44 px target. */
async function expectReadableTabs(page: Page): Promise<void> {
  // By class: the navigation's accessible name changes with the language.
  const tabs = page.locator('nav.tabbar').getByRole('link');
  await expect(tabs).toHaveCount(5);
  const labels: Box[] = [];
  for (const tab of await tabs.all()) {
    const box = await tab.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeGreaterThanOrEqual(44);
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.x, 'tab on screen').toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, 'tab on screen').toBeLessThanOrEqual(page.viewportSize()!.width);
    const label = tab.locator('.tab-label');
    // Cut text: the label's content is wider than its box.
    const clipped = await label.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    expect(clipped, await tab.innerText()).toBe(false);
    // Text ranges, not element boxes: an overflowing word spills outside its element's box.
    // Only the text on screen (a visually hidden full label is a 1 px box).
    const text = await label.evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let r: DOMRect | null = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement!.getBoundingClientRect().width <= 1) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const b = range.getBoundingClientRect();
        if (b.width === 0) continue;
        r = r
          ? new DOMRect(
              Math.min(r.x, b.x),
              Math.min(r.y, b.y),
              Math.max(r.right, b.right) - Math.min(r.x, b.x),
              Math.max(r.bottom, b.bottom) - Math.min(r.y, b.y),
            )
          : b;
      }
      return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    });
    expect(text, 'a visible label').not.toBeNull();
    expect(text!.x, 'label inside its tab').toBeGreaterThanOrEqual(box!.x - 0.5);
    expect(text!.x + text!.width, 'label inside its tab').toBeLessThanOrEqual(
      box!.x + box!.width + 0.5,
    );
    labels.push(text!);
  }
  for (let i = 1; i < labels.length; i++) expect(overlaps(labels[i - 1], labels[i])).toBe(false);
}

/** On a phone, each term sits above its value and the value has the full width. */
async function expectStackedFacts(list: Locator): Promise<void> {
  const listBox = (await list.boundingBox())!;
  const terms = list.locator('dt');
  const values = list.locator('dd');
  const n = await terms.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const dt = (await terms.nth(i).boundingBox())!;
    const dd = (await values.nth(i).boundingBox())!;
    expect(dd.y).toBeGreaterThanOrEqual(dt.y + dt.height - 1);
    expect(dd.width).toBeGreaterThan(listBox.width * 0.9);
  }
}

const SECONDS = /\d\s*min\s*\d+\s*s\b|\d:\d\d:\d\d/;

test('phone layout: tab bar, case facts and dates are readable at 412 px', async ({
  page,
  browser,
}) => {
  const stamp = Date.now();
  const description = `Layout e2e ${stamp}`;
  await startApp(page, 'producer');
  await page.screenshot({ path: join(SHOTS, 'home.png') });
  await expectReadableTabs(page);

  // A case sent online, so the specialist has something to open.
  await register(page, `layout-${stamp}@example.org`, 'phytodiag-e2e-pass');
  await sendCaseForm(page, { file: SAMPLE.file, crop: 'Pomme de terre', description });
  const mine = page.getByTestId('my-cases').getByRole('listitem').filter({ hasText: description });
  await expect(mine).toBeVisible({ timeout: 30_000 });
  await expect(mine).not.toContainText(SECONDS);
  await page.screenshot({ path: join(SHOTS, 'cases.png'), fullPage: true });

  const labContext = await browser.newContext();
  const lab = await labContext.newPage();
  await startApp(lab, 'advisor');
  await waitForLibrary(lab);
  await signIn(lab, 'specialiste@demo.local', 'phytodiag-demo');
  await expectReadableTabs(lab);
  await lab.goto('/#/lab');
  const item = lab.getByTestId('queue').getByRole('listitem').filter({ hasText: description });
  await expect(item).not.toContainText(SECONDS);
  await lab.screenshot({ path: join(SHOTS, 'lab-queue.png'), fullPage: true });
  await item.getByRole('link').click();
  await expect(lab.getByRole('heading', { level: 1, name: /Pomme de terre/ })).toBeVisible();
  const facts = lab.getByTestId('case-facts');
  await expect(facts.getByText('Pomme de terre', { exact: true })).toBeVisible();
  await expectStackedFacts(facts);
  await expect(lab.locator('main')).not.toContainText(SECONDS);
  await lab.screenshot({ path: join(SHOTS, 'lab-case.png'), fullPage: true });
  await labContext.close();

  // English labels fit too.
  await page.goto('/#/settings');
  await page.getByRole('radio', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expectReadableTabs(page);
  await page.screenshot({ path: join(SHOTS, 'settings-en.png') });

  // Smaller phones, down to the smallest common width.
  await page.getByRole('radio', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Réglages' })).toBeVisible();
  for (const width of [360, 320]) {
    await page.setViewportSize({ width, height: 640 });
    await expectReadableTabs(page);
    await page.screenshot({ path: join(SHOTS, `settings-${width}.png`) });
  }
});

// WCAG 2.2 AA 1.4.12: a reader's own spacing (line height 1.5, paragraphs 2em apart, letters
// 0.12em, words 0.16em) loses no content. With it, the tab bar's labels no longer fitted a phone
// and "Réglages" sat off the screen, out of reach; the bar now scrolls.
const TEXT_SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;

test('reader text spacing: every tab stays reachable on a phone', async ({ page }) => {
  await startApp(page, 'producer');
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 700 });
    await page.goto('/#/');
    await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
    await page.addStyleTag({ content: TEXT_SPACING });
    const tabs = page.locator('nav.tabbar').getByRole('link');
    await expect(tabs).toHaveCount(5);
    for (const tab of await tabs.all()) {
      await tab.scrollIntoViewIfNeeded();
      const box = (await tab.boundingBox())!;
      expect(box.x, await tab.innerText()).toBeGreaterThanOrEqual(-0.5);
      expect(box.x + box.width, await tab.innerText()).toBeLessThanOrEqual(width + 0.5);
    }
    await page.locator('nav.tabbar').getByRole('link', { name: 'Réglages' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Réglages' })).toBeVisible();
  }
});

test('reader text spacing: the library list and a sheet do not scroll sideways at 320 px', async ({
  page,
}) => {
  await startApp(page, 'producer');
  await waitForLibrary(page);
  await page.setViewportSize({ width: 320, height: 640 });
  // Long names: « Brûlure du nord (helminthosporiose) du maïs », « Gymnosporangium
  // juniperi-virginianae ».
  for (const hash of ['#/library', '#/library/apple_cedar_apple_rust']) {
    await page.goto(`/${hash}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.addStyleTag({ content: TEXT_SPACING });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, hash).toBe(0);
  }
});

test('the skip link takes the keyboard to the screen’s heading', async ({ page }) => {
  await startApp(page, 'producer');
  await page.goto('/#/library');
  await expect(page.getByRole('heading', { level: 1, name: 'Bibliothèque' })).toBeFocused();
  const skip = page.getByRole('link', { name: 'Aller au contenu' });
  await skip.focus();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Bibliothèque' })).toBeFocused();
});

type TabProbe = () => { name: string; fails: boolean } | null;

/**
 * Waits until the page stops growing or shrinking: what a screen fetches (the model's status, the
 * map, the library's counts) lands after its heading. The checks judge the settled screen; a
 * control that a late block pushes away is a layout-shift question, not one of these.
 */
async function waitForSteadyLayout(page: Page): Promise<void> {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 40 && same < 3; i++) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    same = height === last ? same + 1 : 0;
    last = height;
    await page.waitForTimeout(150);
  }
}

/**
 * Presses Tab `presses` times on each screen and asks `probe`, run in the page, about the focused
 * control (null: not one to judge). Each screen must have more than 5 stops and no failing one.
 */
async function expectEveryTabStop(
  page: Page,
  screens: readonly (readonly [hash: string, heading: string])[],
  presses: number,
  probe: TabProbe,
): Promise<void> {
  for (const [hash, heading] of screens) {
    await page.goto(`/${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await waitForSteadyLayout(page);
    const failing: string[] = [];
    let stops = 0;
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(probe);
      if (!focus) continue;
      stops += 1;
      if (focus.fails) failing.push(focus.name);
    }
    expect(stops, hash).toBeGreaterThan(5);
    expect(failing, hash).toEqual([]);
  }
}

// WCAG 2.2 AA 2.4.11 (focus not obscured): a control reached with Tab is never hidden under the
// fixed tab bar. Before the fix, the crop field, the region list and the period list were.
test('keyboard: no focused control hides under the tab bar', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 700 });
  await startApp(page, 'producer');
  // The settings screen shows the model's status: loading, then ready (another height).
  await waitForModel(page);
  const screens = [
    ['#/escalate', 'Demander à un spécialiste'],
    ['#/settings', 'Réglages'],
    ['#/public', 'Situation phytosanitaire'],
  ] as const;
  await expectEveryTabStop(page, screens, 40, () => {
    const el = document.activeElement;
    const bar = document.querySelector('nav.tabbar');
    if (!el || el === document.body || !bar || bar.contains(el)) return null;
    const box = el.getBoundingClientRect();
    const barTop = bar.getBoundingClientRect().top;
    const visible = Math.min(box.bottom, barTop) - Math.max(box.top, 0);
    // A map region (SVG) has no innerText. Where it was tells a failure's cause.
    const name = el.id || (el.textContent ?? '').trim().slice(0, 40);
    const where = `${Math.round(box.top)}–${Math.round(box.bottom)} px, bar at ${Math.round(barTop)}, scrolled ${Math.round(scrollY)}`;
    return { name: `${name} (${where})`, fails: visible <= 0 };
  });
});

// WCAG 2.2 AA 2.4.7 (focus visible): every Tab stop shows the focus ring. A file input is
// visually hidden behind its button-like label, so the label must show it: it did not, and the
// first Tab on the diagnosis screen landed on « Prendre ou choisir une photo » with no ring.
test('keyboard: every control reached with Tab shows the focus ring', async ({ page }) => {
  await startApp(page, 'producer');
  const screens = [
    ['#/diagnose', 'Diagnostiquer une photo'],
    ['#/escalate', 'Demander à un spécialiste'],
    ['#/settings', 'Réglages'],
  ] as const;
  await expectEveryTabStop(page, screens, 25, () => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) return null;
    // A visually hidden control (clipped away) is seen through its label.
    const seen =
      getComputedStyle(el).clip === 'rect(0px, 0px, 0px, 0px)' && 'labels' in el
        ? Array.from((el as HTMLInputElement).labels ?? [])
        : [el];
    const ringed = seen.some((e) => {
      const s = getComputedStyle(e);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    });
    return { name: el.id || (el.textContent ?? '').trim().slice(0, 40), fails: !ringed };
  });
});
