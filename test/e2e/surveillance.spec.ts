import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  expect,
  request as apiRequest,
  test,
  type APIRequestContext,
  type Locator,
} from '@playwright/test';
import {
  catalog,
  diagnose,
  expectFitsNarrowScreen,
  expectNoViolations,
  tableFit,
  IMAGEBANK,
  signIn,
  startApp,
  waitForLibrary,
  waitForServiceWorker,
} from './helpers';

// Data made through the real API: on-device reports (POST /api/detections, with consent) and
// confirmed detections (cases answered by a specialist). One class no other spec answers with, so
// the numbers below are exact even when the whole suite shares the server.
const SLUG = 'apple_scab';
const SLUG_FR = 'Tavelure du pommier';
const SAINT_HYACINTHE = { lat: 45.6307, lon: -72.9566 }; // Montérégie (16), MRC Les Maskoutains
const QUEBEC_CITY = { lat: 46.8139, lon: -71.208 }; // Capitale-Nationale (03)
const PASSWORD = 'phytodiag-e2e-pass';

/** Monday of the week `weeksAgo` weeks before this one, "YYYY-MM-DD" (local calendar day). */
function weekStart(weeksAgo: number): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 7 * weeksAgo);
  return d.toISOString().slice(0, 10);
}

/** RFC 4180 records (quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function session(baseURL: string): Promise<APIRequestContext> {
  return apiRequest.newContext({ baseURL });
}

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()} → ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/** A new producer, signed in, who consented to share locations and on-device detections. */
async function sharingProducer(baseURL: string): Promise<APIRequestContext> {
  const producer = await session(baseURL);
  const email = `surv-${randomUUID()}@example.org`;
  await ok(
    await producer.post('/api/auth/register', {
      data: { email, password: PASSWORD, profileKind: 'producer' },
    }),
  );
  await ok(await producer.post('/api/auth/login', { data: { email, password: PASSWORD } }));
  await ok(
    await producer.put('/api/privacy/consents', {
      data: { location: true, shareDetections: true },
    }),
  );
  return producer;
}

async function seed(baseURL: string): Promise<{ locatedCaseId: string }> {
  const producer = await sharingProducer(baseURL);
  const report = (regionCode: string, mrcCode: string | null, week: string) => ({
    clientId: randomUUID(),
    slug: SLUG,
    confidence: 0.9,
    abstained: false,
    crop: 'apple',
    regionCode,
    mrcCode,
    week,
    modelVersion: 'e2e',
  });
  const items = [
    ...Array.from({ length: 5 }, () => report('16', '58', weekStart(1))), // Longueuil
    ...Array.from({ length: 2 }, () => report('03', null, weekStart(2))),
    // An abstention never counts as a detection.
    { ...report('16', '58', weekStart(1)), slug: null, abstained: true, confidence: 0.2 },
  ];
  const sent = await ok<{ accepted: number }>(
    await producer.post('/api/detections', { data: { items } }),
  );
  expect(sent.accepted).toBe(items.length);

  // Four cases, answered with the same class: three in Montérégie (one cell of 3), one in
  // Capitale-Nationale (a cell of 1, which the public view must hide). Each from its own farm:
  // the public view counts distinct farms, not cases.
  // Distinct photos: the API refuses the same photos in a second open case.
  const farms = [producer];
  for (let f = 1; f < 4; f += 1) farms.push(await sharingProducer(baseURL));
  const photos = readdirSync(join(IMAGEBANK, SLUG))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(-4)
    .map((f) => readFileSync(join(IMAGEBANK, SLUG, f)));
  const ids: string[] = [];
  for (const [i, [regionCode, at]] of (
    [
      ['16', SAINT_HYACINTHE],
      ['16', SAINT_HYACINTHE],
      ['16', SAINT_HYACINTHE],
      ['03', QUEBEC_CITY],
    ] as const
  ).entries()) {
    const created = await ok<{ id: string }>(
      await farms[i]!.post('/api/escalations', {
        multipart: {
          case: JSON.stringify({
            clientId: randomUUID(),
            crop: 'Pommier',
            description: 'Taches olive sur les feuilles (surveillance e2e)',
            regionCode,
            location: { ...at, accuracyM: 800 },
            // The model was right 3 times out of 4 at top-1, always within its top 3.
            prediction: {
              modelVersion: 'e2e',
              abstained: false,
              top:
                i < 3
                  ? [
                      { slug: SLUG, p: 0.8 },
                      { slug: 'apple_black_rot', p: 0.1 },
                    ]
                  : [
                      { slug: 'apple_black_rot', p: 0.5 },
                      { slug: SLUG, p: 0.4 },
                    ],
            },
          }),
          photo: { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photos[i] },
        },
      }),
    );
    ids.push(created.id);
  }
  const specialist = await session(baseURL);
  await ok(
    await specialist.post('/api/auth/login', {
      data: { email: 'specialiste@demo.local', password: 'phytodiag-demo' },
    }),
  );
  for (const id of ids)
    await ok(
      await specialist.post(`/api/escalations/${id}/answer`, {
        data: { diagnosisSlug: SLUG, message: 'Tavelure du pommier (e2e).' },
      }),
    );
  for (const farm of farms) await farm.dispose();
  await specialist.dispose();
  return { locatedCaseId: ids[0] };
}

// One data set for the three views; each view is its own test (own time budget, own browser
// context: the visitor has no profile, no account, nothing in common with the staff).
test.describe.configure({ mode: 'serial' });
let seeded: { locatedCaseId: string };
test.beforeAll(async ({ baseURL }) => {
  seeded = await seed(baseURL!);
});

test('specialist: map, weekly series, table = CSV export, case location map', async ({ page }) => {
  const { locatedCaseId } = seeded;
  // ── Specialist: map, series, table, CSV ──────────────────────────────────────────────────
  await startApp(page, 'advisor');
  await waitForLibrary(page);
  await signIn(page, 'specialiste@demo.local', 'phytodiag-demo');
  await page.goto('/#/lab');
  await page.getByRole('link', { name: 'Surveillance' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Surveillance' })).toBeVisible();
  // Specialists do not see the admin's indicators link.
  await expect(page.getByRole('link', { name: 'Indicateurs de service' })).toHaveCount(0);
  // On a desktop each choice group holds on one line.
  await page.setViewportSize({ width: 1280, height: 900 });
  const sourceTops = await page
    .getByRole('group', { name: 'Source' })
    .getByRole('radio')
    .evaluateAll((radios) => radios.map((r) => Math.round(r.getBoundingClientRect().top)));
  expect(sourceTops).toHaveLength(3);
  expect(new Set(sourceTops).size, `radio tops ${sourceTops.join(', ')}`).toBe(1);
  await page.getByLabel('Classe', { exact: true }).selectOption({ label: SLUG_FR });

  const map = page.getByTestId('surveillance-map');
  const region = (code: string) => map.locator(`path.map-shape[data-code="${code}"]`);
  await expect(region('16')).toHaveAttribute('data-count', '8'); // 3 confirmed + 5 on device
  await expect(region('03')).toHaveAttribute('data-count', '3'); // 1 + 2
  await expect(region('09')).toHaveAttribute('data-count', '0');
  await expect(map.locator('path.map-shape')).toHaveCount(17);
  // Coloured by count (darkest = largest), white where nothing was reported.
  const fills = await Promise.all(['16', '03', '09'].map((c) => region(c).getAttribute('fill')));
  expect(fills[0]).not.toBe(fills[1]);
  expect(fills[2]).toBe('#ffffff');
  // On-device detections are hatched, not just coloured; the legend says so.
  await expect(map.locator('path.map-hatch')).toHaveCount(2);
  await expect(map.getByText(/Hachures\s: comprend des détections sur l’appareil/)).toBeVisible();
  // Keyboard: a region is focusable and says its numbers.
  await region('16').focus();
  await expect(page.getByTestId('surveillance-map-info')).toHaveText(
    'Montérégie : 3 confirmées, 5 sur l’appareil',
  );
  // An attribute is compared as written (no whitespace folding): the no-break space of French.
  await expect(region('16')).toHaveAttribute(
    'aria-label',
    'Montérégie\u00a0: 3 confirmées, 5 sur l’appareil',
  );

  // Series: one panel (the one class), confirmed and on-device marks.
  const series = page.getByTestId('surveillance-series');
  await expect(series.locator('svg').first()).toBeVisible();
  await expect(series.getByText(SLUG_FR).first()).toBeVisible();

  // Table: rows for both sources; the abstention is nowhere. A desktop keeps eight columns.
  const table = page.getByTestId('surveillance-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table).not.toHaveClass(/(^|\s)stacked(\s|$)/);
  await expect(table.getByRole('columnheader').first()).toBeVisible();
  const shown = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '');
      return `${tr.getAttribute('data-key')}|${cells[6]}|${cells[7]}`;
    }),
  );
  const sum = (i: number) => shown.reduce((s, r) => s + Number(r.split('|')[i]), 0);
  expect(sum(6)).toBe(4); // confirmed
  expect(sum(7)).toBe(7); // on device

  await series.screenshot({ path: test.info().outputPath('series.png') });
  await expectNoViolations(page, 'surveillance');
  await page.screenshot({ path: test.info().outputPath('surveillance.png'), fullPage: true });

  // The CSV export is exactly the table shown (same filters, same rows, same numbers).
  const csvHref = await page.getByTestId('surveillance-csv').getAttribute('href');
  expect(csvHref).toContain(`slug=${SLUG}`);
  const csv = await page.request.get(csvHref!);
  expect(csv.ok()).toBe(true);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const [header, ...records] = parseCsv(await csv.text()).filter((r) => r.join('') !== '');
  expect(header).toEqual([
    'week',
    'regionCode',
    'mrcCode',
    'slug',
    'kind',
    'crop',
    'confirmed',
    'device',
  ]);
  expect(records.map((r) => r.join('|'))).toEqual(shown);

  // Confirmed only: no hatching, counts drop to the confirmed ones.
  await page.getByRole('radio', { name: 'Confirmées' }).check();
  await expect(region('16')).toHaveAttribute('data-count', '3');
  await expect(region('03')).toHaveAttribute('data-count', '1');
  await expect(map.locator('path.map-hatch')).toHaveCount(0);
  // MRC level: 104 shapes, the on-device reports land in Longueuil (58).
  await page.getByRole('radio', { name: 'Sur l’appareil' }).check();
  await page.getByRole('radio', { name: 'MRC' }).check();
  await expect(map.locator('path.map-shape')).toHaveCount(104);
  await expect(map.locator('path.map-shape[data-code="58"]')).toHaveAttribute('data-count', '5');

  // The specialist's case view: the exact location on a map, coordinates still as text.
  await page.goto(`/#/lab/${locatedCaseId}`);
  await expect(page.getByRole('heading', { level: 1, name: /Demande · Pommier/ })).toBeVisible();
  await expect(page.getByTestId('case-facts')).toContainText('45.63070, -72.95660');
  const locMap = page.getByTestId('location-map');
  await expect(locMap.getByTestId('location-marker')).toBeVisible();
  await expect(locMap.locator('svg')).toHaveAttribute('aria-label', /Montérégie/);
  await expect(locMap.getByText(/région Montérégie/)).toBeVisible();
  await expectNoViolations(page, 'lab case with location map');
  // An action answers without the location (only this logged view has it): the view keeps it.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Fermer la demande' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Demande fermée.' })).toBeVisible();
  await expect(page.getByTestId('case-facts')).toContainText('45.63070, -72.95660');

  // Indicators are for admins only.
  await page.goto('/#/indicators');
  await expect(page.getByRole('heading', { level: 1, name: 'Accès réservé' })).toBeVisible();
});

test('specialist: a long table comes 50 rows at a time; crops in the UI language', async ({
  page,
  baseURL,
}) => {
  // 55 rows: one on-device detection per (week, region), under a crop no other spec uses (and
  // a class that no count above or in another spec includes).
  const crop = `Bleuet e2e ${randomUUID().slice(0, 8)}`;
  const producer = await sharingProducer(baseURL!);
  const items = Array.from({ length: 55 }, (_, i) => ({
    clientId: randomUUID(),
    slug: 'grape_esca',
    confidence: 0.9,
    abstained: false,
    crop,
    regionCode: String(1 + (i % 5)).padStart(2, '0'),
    mrcCode: null,
    // Weeks 1–11 ago: inside the default 12 weeks even when the server's calendar (Quebec
    // time) is still on last week's Sunday.
    week: weekStart(1 + Math.floor(i / 5)),
    modelVersion: 'e2e',
  }));
  await ok(await producer.post('/api/detections', { data: { items } }));

  await startApp(page, 'advisor');
  await waitForLibrary(page);
  await signIn(page, 'specialiste@demo.local', 'phytodiag-demo');
  await page.goto('/#/surveillance');
  await page.getByLabel('Culture').fill(crop);
  await expect(page.getByTestId('surveillance-status')).toHaveText('55 lignes');
  const table = page.getByTestId('surveillance-table');
  await expect(table.locator('tbody tr')).toHaveCount(50);
  await expect(page.getByTestId('surveillance-table-shown')).toHaveText(
    '50 lignes affichées sur 55',
  );
  // Eight columns on a 412 px phone: each row is a block headed by its class, every value
  // named, no word cut, nothing wider than the screen (before: a sideways-scrolling table whose
  // class column showed one letter a line).
  await expectStackedRow(table, table.locator('tbody tr').first(), 'Semaine du', 8);
  await expect(table.locator('tbody tr').first().getByRole('cell').nth(5)).toHaveText(crop);
  // Weeks as a French reader writes them, the ISO day kept for machines.
  const first = table.locator('tbody tr').first().locator('time');
  await expect(first).toHaveAttribute('datetime', weekStart(1));
  await expect(first).toHaveText(/^\d{1,2}(er)?\u00a0\p{L}+\.? \d{4}$/u);
  const more = page.getByRole('button', { name: 'Afficher 5 lignes de plus' });
  // A real button for gloved hands (it was the browser's bare 20-px one).
  expect((await more.boundingBox())?.height).toBeGreaterThanOrEqual(48);
  await more.click();
  await expect(table.locator('tbody tr')).toHaveCount(55);
  await expect(page.getByTestId('surveillance-table-shown')).toHaveText(
    '55 lignes affichées sur 55',
  );
  await expect(page.getByTestId('surveillance-table-more')).toHaveCount(0);
  // New filters (the same 55 rows: all on the device), first page again.
  await page.getByRole('radio', { name: 'Sur l’appareil' }).check();
  await expect(page.getByTestId('surveillance-table-shown')).toHaveText(
    '50 lignes affichées sur 55',
  );
  await expect(table.locator('tbody tr')).toHaveCount(50);

  // In English, a library crop reads in English, filtered by its English name too.
  await page.goto('/#/settings');
  await page.getByRole('radio', { name: 'English' }).click();
  await page.goto('/#/surveillance');
  await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Apple scab' });
  await page.getByLabel('Crop').fill('apple');
  // Polled: the rows of the previous filters stay until the class and crop filters have
  // answered (the crop after a 400 ms pause in typing).
  await expect
    .poll(async () => [
      ...new Set(await table.locator('tbody tr td:nth-child(6)').allTextContents()),
    ])
    .toEqual(['Apple']);
  await expectNoViolations(page, 'surveillance, English');
});

test('admin: service indicators', async ({ page: admin }) => {
  await startApp(admin, 'advisor');
  await signIn(admin, 'admin@demo.local', 'phytodiag-demo');
  await admin.goto('/#/lab');
  await admin.getByRole('link', { name: 'Indicateurs de service' }).click();
  await expect(
    admin.getByRole('heading', { level: 1, name: 'Indicateurs de service' }),
  ).toBeVisible();
  const api = await admin.request.get('/api/indicators');
  const ind = (await api.json()) as {
    weeks: { escalated: number; onDevice: number }[];
    firstAnswer: { answered: number };
    backlog: { open: number };
    upcomingClosures: string[];
    agreement: { total: { n: number; abstained: number } };
  };
  // The closed weekdays ahead (holidays, closures), when the next 60 days have any, in words.
  const closures = admin.getByTestId('upcoming-closures');
  if (ind.upcomingClosures.length === 0) await expect(closures).toHaveCount(0);
  else {
    const first = new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'UTC' });
    await expect(closures).toContainText(
      first.format(new Date(`${ind.upcomingClosures[0]}T00:00:00Z`)),
    );
    await expect(closures).toContainText('Ils ne comptent pas dans l’engagement.');
  }
  const escalated = ind.weeks.reduce((s, w) => s + w.escalated, 0);
  expect(escalated).toBeGreaterThanOrEqual(4);
  expect(ind.firstAnswer.answered).toBeGreaterThanOrEqual(4);
  const figures = admin.getByTestId('key-figures');
  const figure = (text: string | RegExp) => figures.getByRole('listitem').filter({ hasText: text });
  await expect(figure(/demandes? reçues?/).locator('strong')).toHaveText(`${escalated}`);
  await expect(figure(/demandes? répondues?/).locator('strong')).toHaveText(
    `${ind.firstAnswer.answered}`,
  );
  await expect(figure(/demandes? ouvertes?/).locator('strong')).toHaveText(`${ind.backlog.open}`);
  // The week-by-week export, downloaded as the admin would: one row per week of the period,
  // adding up to the figures on screen.
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.getByRole('link', { name: 'Exporter semaine par semaine (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^indicateurs-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const [head, ...weeks] = parseCsv(readFileSync(await download.path(), 'utf8')).filter(
    (r) => r.join('') !== '',
  );
  expect(head!.slice(0, 4)).toEqual(['week', 'received', 'onDeviceReports', 'firstResponses']);
  expect(weeks).toHaveLength(ind.weeks.length);
  const column = (name: string) => weeks.map((r) => Number(r[head!.indexOf(name)]));
  expect(column('received')).toEqual(ind.weeks.map((w) => w.escalated));
  expect(column('onDeviceReports')).toEqual(ind.weeks.map((w) => w.onDevice));
  expect(column('firstResponses').reduce((a, b) => a + b, 0)).toBe(ind.firstAnswer.answered);
  await expect(admin.getByTestId('chart-channels').locator('svg').first()).toBeVisible();
  await expect(admin.getByTestId('chart-first-answer').locator('svg').first()).toBeVisible();
  await expect(
    admin.getByTestId('agreement').getByRole('row').filter({ hasText: SLUG_FR }),
  ).toHaveText(new RegExp(`${SLUG_FR}\\s*4\\s*75\\s%\\s*100\\s%`));
  // How often the device had said it could not tell, under the table.
  const { n: judged, abstained } = ind.agreement.total;
  await expect(admin.getByTestId('agreement-abstained')).toHaveText(
    abstained === 0
      ? `L’appareil a nommé une classe dans chacun de ces ${judged} cas.`
      : `Dans ${abstained} de ces ${judged} cas, l’appareil avait dit ne pas pouvoir se prononcer ; ses suggestions y comptent quand même.`,
  );
  // On a phone, the agreement table's headers and figures keep their words whole
  // (before: "Deman|des"), and its four columns fit.
  // The class column keeps 40 % of the width (before: 29 %, "Cherr|y powd|ery milde|w").
  await admin.setViewportSize({ width: 390, height: 844 });
  const agreement = admin.getByTestId('agreement');
  await expect(agreement).not.toHaveClass(/(^|\s)stacked(\s|$)/);
  expect(await tableFit(agreement)).toEqual({ cut: [], spill: [], overflow: 0 });
  const widths = await agreement.evaluate((table) => ({
    table: table.getBoundingClientRect().width,
    name: table.querySelector('tbody th.name')?.getBoundingClientRect().width ?? 0,
  }));
  expect(widths.name).toBeGreaterThan(0.38 * widths.table);
  // At 320 px (WCAG's reflow width) four columns cut words ("Légionnair|es"): each row is a
  // block instead, the class on its own line above its named counts, still a table.
  await admin.setViewportSize({ width: 320, height: 640 });
  await expectStackedRow(agreement, agreement.getByRole('row').filter({ hasText: SLUG_FR }), 'Cas');
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.getByTestId('chart-channels').screenshot({
    path: test.info().outputPath('channels.png'),
  });
  await expectNoViolations(admin, 'indicators');
  await admin.screenshot({ path: test.info().outputPath('indicators.png'), fullPage: true });
});

/**
 * A phone's table (`stacked`): no word cut, class names included, nothing wider than
 * its region; the row's name above its first value, which shows its column's name; the column
 * headers still there for assistive technology.
 */
async function expectStackedRow(
  table: Locator,
  row: Locator,
  label: string,
  columns = 4,
): Promise<void> {
  // The layout follows the viewport through matchMedia: wait for the switch.
  await expect(table).toHaveClass(/(^|\s)stacked(\s|$)/);
  expect(await tableFit(table, { stacked: true })).toEqual({ cut: [], spill: [], overflow: 0 });
  await expect(table.getByRole('columnheader')).toHaveCount(columns);
  const name = (await row.locator('.name').boundingBox())!;
  const first = row.getByRole('cell').first();
  expect((await first.boundingBox())!.y).toBeGreaterThanOrEqual(name.y + name.height - 1);
  const shown = await first.evaluate((cell) => getComputedStyle(cell, '::before').content);
  expect(shown).toContain(label);
}

test('public: safe aggregates only, no account, offline with the last data', async ({
  page: visitor,
  context: publicContext,
}) => {
  await visitor.goto('/');
  await visitor.getByRole('link', { name: 'Voir la situation phytosanitaire au Québec' }).click();
  await expect(
    visitor.getByRole('heading', { level: 1, name: 'Situation phytosanitaire' }),
  ).toBeVisible();
  await expect(visitor.getByTestId('public-privacy')).toContainText(
    'au moins 3 fermes différentes ont eu ce cas confirmé',
  );
  // In season the page opens on the last 12 weeks; from November to March on the last 52.
  const month = new Date().getMonth();
  await expect(visitor.getByLabel('Période', { exact: true })).toHaveValue(
    month >= 3 && month <= 9 ? 'last12' : 'last52',
  );
  // Crop enemies only: the public figures never count healthy leaves, so none is offered.
  // The classes come from the library, synced on this first visit: read them once it is in.
  await expect(
    visitor.getByLabel('Classe', { exact: true }).locator('option', { hasText: SLUG_FR }),
  ).toHaveCount(1);
  const offered = await visitor
    .getByLabel('Classe', { exact: true })
    .locator('option')
    .allInnerTexts();
  const healthy = catalog.classes.filter((c) => c.kind === 'healthy').map((c) => c.common_name.fr);
  expect(healthy.length).toBeGreaterThan(0);
  expect(offered.filter((o) => healthy.includes(o))).toEqual([]);
  expect(offered).toContain(SLUG_FR);
  await visitor.getByLabel('Classe', { exact: true }).selectOption({ label: SLUG_FR });
  const publicTable = visitor.getByTestId('public-table');
  await expect(publicTable.locator('tbody tr')).toHaveCount(1);
  await expect(publicTable.locator('tbody tr')).toContainText('16 – Montérégie');
  await expect(publicTable.locator('tbody tr td.num')).toHaveText('3');
  // The week as a reader writes it, wrapping between words on a phone; the ISO day for machines.
  const week = publicTable.locator('tbody tr time');
  await expect(week).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}$/);
  await expect(week).toHaveText(/^\d{1,2}(er)?\u00a0\p{L}+\.? \d{4}$/u);
  // On a phone, the four columns fit and no word of a week, region or count is cut in two
  // (before: "Montér|égie", "202|6-08-10"); only a long class name may be.
  await visitor.setViewportSize({ width: 390, height: 844 });
  await expect(publicTable).not.toHaveClass(/(^|\s)stacked(\s|$)/);
  const phone = await tableFit(publicTable);
  expect(phone).toEqual({ cut: [], spill: [], overflow: 0 });
  await visitor.setViewportSize({ width: 320, height: 640 });
  await expectStackedRow(publicTable, publicTable.locator('tbody tr'), 'Semaine du');
  await visitor.setViewportSize({ width: 412, height: 915 });
  // The cell of 1 in Capitale-Nationale is hidden, on the table and on the map.
  await expect(publicTable).not.toContainText('Capitale-Nationale');
  const publicMap = visitor.getByTestId('public-map');
  await expect(publicMap.locator('path[data-code="16"]')).toHaveAttribute('data-count', '3');
  await expect(publicMap.locator('path[data-code="03"]')).toHaveAttribute('data-count', '0');
  // Whatever the filters, the API gives only safe aggregates: no cell under 3, no MRC, no text.
  const all = (await (await visitor.request.get('/api/public/detections')).json()) as {
    cells: Record<string, unknown>[];
  };
  for (const cell of all.cells) {
    expect(Object.keys(cell).sort()).toEqual(['count', 'regionCode', 'slug', 'week']);
    expect(cell.count as number).toBeGreaterThanOrEqual(3);
  }
  await expectNoViolations(visitor, 'public situation');
  await visitor.screenshot({ path: test.info().outputPath('public.png'), fullPage: true });

  // Offline with the last data seen.
  await waitForServiceWorker(visitor);
  await visitor.reload();
  await visitor.getByLabel('Classe', { exact: true }).selectOption({ label: SLUG_FR });
  await expect(publicTable.locator('tbody tr')).toHaveCount(1);
  await publicContext.setOffline(true);
  await visitor.reload();
  await visitor.getByLabel('Classe', { exact: true }).selectOption({ label: SLUG_FR });
  // Other specs' public cells (other classes) may show for a moment before the filter applies.
  await expect(publicTable.locator('tbody tr')).toHaveCount(1);
  await expect(publicTable.locator('tbody tr td.num')).toHaveText('3');
  await expect(publicMap.locator('path[data-code="16"]')).toHaveAttribute('data-count', '3');
  await expect(
    visitor.getByText('Hors ligne : données de votre dernière consultation.'),
  ).toBeVisible();
});

test('result and home: what the lab confirmed lately in the grower’s region, offline too', async ({
  page,
  context,
}) => {
  await startApp(page, 'advisor');
  await waitForLibrary(page);
  await waitForServiceWorker(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Diagnostic' }).click();
  await page.getByText('Contexte (facultatif)').click();
  const region = page.getByLabel('Région', { exact: true });
  await expect(region).toHaveAccessibleDescription(
    /la région et le mois pèsent un peu sur la réponse/,
  );
  await region.selectOption('16');
  // A bank photo of the seeded class, which the model names with confidence.
  await diagnose(page, join(IMAGEBANK, SLUG, '022.jpg'));
  await expect(page.getByTestId('top-name')).toHaveText(SLUG_FR);
  // Three confirmations are far too few for a season (context-priors.spec): nothing weighed.
  await expect(page.locator('.meta').first()).toContainText('Contexte non utilisé');
  // The three cases answered this week in Montérégie; the model's probabilities are untouched.
  const note = page.getByTestId('regional-confirmed');
  await expect(note).toContainText(
    'Le laboratoire a confirmé au moins 3 cas de ce problème en Montérégie au cours des 4 semaines précédant ce diagnostic.',
  );
  await expect(note.getByRole('link', { name: 'Voir la situation au Québec' })).toHaveAttribute(
    'href',
    '#/public',
  );
  // The advisor's differential: each hypothesis the lab confirmed in the region, and how often.
  const candidates = page.getByTestId('regional-candidates');
  await expect(candidates.getByRole('heading')).toHaveText(
    'Confirmés en Montérégie (4 semaines précédant le diagnostic)',
  );
  await expect(candidates.getByRole('listitem').filter({ hasText: SLUG_FR })).toHaveText(
    `${SLUG_FR} : au moins 3 cas`,
  );
  await expect(candidates).toContainText('Une semaine où moins de 3 fermes ont eu ce cas');
  await expectNoViolations(page, 'result with the regional situation');
  // At 320 CSS px (WCAG reflow) the new lines wrap: the page does not scroll sideways.
  await expectFitsNarrowScreen(page);

  // Offline: the service worker's last copy of the public figures still answers.
  const resultUrl = page.url();
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('top-name')).toHaveText(SLUG_FR);
  await expect(note).toContainText('au moins 3 cas');
  // The home screen, offline too: what the lab confirmed lately in the grower's region.
  await page.getByRole('navigation').getByRole('link', { name: 'Accueil' }).click();
  const watch = page.getByTestId('regional-watch');
  await expect(watch.getByRole('heading')).toHaveText(
    'Confirmés récemment en Montérégie (4 dernières semaines)',
  );
  await expect(watch.getByRole('link', { name: `${SLUG_FR} : au moins 3 cas` })).toHaveAttribute(
    'href',
    `#/library/${SLUG}`,
  );
  await expectNoViolations(page, 'home with the regional situation');
  await context.setOffline(false);

  // Capitale-Nationale had one case: under the public minimum, so nothing is claimed there.
  await page.getByRole('navigation').getByRole('link', { name: 'Diagnostic' }).click();
  await page.getByText('Contexte (facultatif)').click();
  await page.getByLabel('Région', { exact: true }).selectOption('03');
  await diagnose(page, join(IMAGEBANK, SLUG, '022.jpg'));
  await expect(page).not.toHaveURL(resultUrl);
  await expect(page.getByTestId('top-name')).toHaveText(SLUG_FR);
  await expect(candidates.getByRole('heading')).toHaveText(
    'Confirmés dans la Capitale-Nationale (4 semaines précédant le diagnostic)',
  );
  await expect(candidates).not.toContainText(SLUG_FR);
  await expect(note).toHaveCount(0);
});
