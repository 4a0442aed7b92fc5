import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  PublicDetections,
  SurveillanceMap,
  SurveillanceRow,
  SurveillanceSeries,
  SurveillanceTable,
} from '../../src/contract/surveillance';
import { PUBLIC_MIN_CELL_COUNT } from '../../src/contract/surveillance';
import { addWeeks } from '../../src/lib/iso-week';
import { createRepositories } from '../../src/repositories';
import type { NewDetection } from '../../src/repositories/detection-repository';
import { generateDetections } from '../../src/seed/detection-generator';
import { generatorClasses, readMrcs } from '../../src/seed/load-detections';
import { CSV_HEADER } from '../../src/routes/surveillance';
import { createSurveillanceWorld, thisWeek, type SurveillanceWorld } from './world';

/** RFC 4180 reader (the test's own, independent of the API's writer). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  expect(field).toBe('');
  return rows;
}

type Query = Record<string, string>;
const WEEKS = 30;

describe('surveillance aggregates equal counts computed from the generated rows', () => {
  let w: SurveillanceWorld;
  const rows: NewDetection[] = [];

  beforeAll(async () => {
    w = await createSurveillanceWorld();
    const classes = await generatorClasses(w.t.app.db, w.t.config.imagebankDir);
    expect(classes.map((c) => c.slug).sort()).toHaveLength(5);
    const mrcs = await readMrcs(w.t.config.geoDir);
    const options = { seed: 7, count: 4000, classes, mrcs, lastWeek: thisWeek(), weeks: WEEKS };
    for (const batch of generateDetections(options, 500)) {
      rows.push(...batch);
      // The incremental path (rollup updated with each insert), as the API writes.
      await w.t.app.repos.detections.insertMany(batch);
    }
    // Crops as producers type them: a comma, quotes, a leading formula sign, another case.
    const odd: NewDetection[] = ['Maïs, "sucré"', '=HYPERLINK("x")', 'pomme de terre'].map(
      (crop, i) => ({
        ...(rows[i] as NewDetection),
        clientId: `00000000-0000-4000-8000-00000000000${i}`,
        source: 'device',
        abstained: false,
        slug: 'potato_late_blight',
        kind: 'disease',
        crop,
        regionCode: '16',
        mrcCode: '54',
        week: thisWeek(),
      }),
    );
    await w.t.app.repos.detections.insertMany(odd);
    rows.push(...odd);
  });
  afterAll(() => w.close());

  /** The expected cells, computed here from the raw generated rows. */
  function expected(q: Query) {
    const to = q.to ?? thisWeek();
    const from = q.from ?? addWeeks(to, -11);
    return rows.filter(
      (r) =>
        !r.abstained &&
        r.slug !== null &&
        r.week >= from &&
        r.week <= to &&
        (q.slug === undefined || r.slug === q.slug) &&
        (q.kind === undefined || r.kind === q.kind) &&
        (q.slug !== undefined || q.kind !== undefined || r.kind !== 'healthy') &&
        (q.crop === undefined || r.crop?.toLowerCase() === q.crop.trim().toLowerCase()) &&
        (q.regionCode === undefined || r.regionCode === q.regionCode) &&
        (q.source === undefined || q.source === 'all' || r.source === q.source),
    );
  }
  function tally(list: NewDetection[], key: (r: NewDetection) => string | null) {
    const out = new Map<string, { confirmed: number; device: number }>();
    for (const r of list) {
      const k = key(r);
      if (k === null) continue;
      const cell = out.get(k) ?? { confirmed: 0, device: 0 };
      cell[r.source] += 1;
      out.set(k, cell);
    }
    return out;
  }
  const get = async <T>(path: string, q: Query): Promise<T> => {
    const res = await w.call(
      'GET',
      `${path}?${new URLSearchParams(q).toString()}`,
      w.as.specialist,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  const QUERIES: Query[] = [
    {},
    { from: addWeeks(thisWeek(), -(WEEKS - 1)) },
    { from: addWeeks(thisWeek(), -20), to: addWeeks(thisWeek(), -5) },
    { slug: 'potato_late_blight', from: addWeeks(thisWeek(), -(WEEKS - 1)) },
    { kind: 'insect', from: addWeeks(thisWeek(), -(WEEKS - 1)) },
    { kind: 'healthy', from: addWeeks(thisWeek(), -(WEEKS - 1)) },
    { crop: ' POMME DE TERRE', from: addWeeks(thisWeek(), -(WEEKS - 1)) },
    { regionCode: '16', source: 'confirmed', from: addWeeks(thisWeek(), -(WEEKS - 1)) },
    { source: 'device', regionCode: '12' },
  ];

  it('generated a realistic mix (so the comparisons below mean something)', () => {
    const share = (p: (r: NewDetection) => boolean) => rows.filter(p).length / rows.length;
    expect(share((r) => r.abstained)).toBeGreaterThan(0.03);
    expect(share((r) => r.abstained)).toBeLessThan(0.12);
    expect(share((r) => r.source === 'confirmed')).toBeGreaterThan(0.04);
    expect(share((r) => r.regionCode === '16')).toBeGreaterThan(
      share((r) => r.regionCode === '09'),
    );
    expect(rows.every((r) => !('lat' in r) && !('lon' in r))).toBe(true);
  });

  it('map by region and by MRC', async () => {
    for (const q of QUERIES) {
      for (const level of ['region', 'mrc'] as const) {
        const map = await get<SurveillanceMap>('/api/surveillance/map', { ...q, level });
        const want = tally(expected(q), (r) => (level === 'mrc' ? r.mrcCode : r.regionCode));
        const got = new Map(
          map.cells.map((c) => [c.code, { confirmed: c.confirmed, device: c.device }]),
        );
        expect(want.size, JSON.stringify({ q, level })).toBeGreaterThan(0);
        expect(got, JSON.stringify({ q, level })).toEqual(want);
        expect(map.level).toBe(level);
      }
    }
  });

  it('series per week and class', async () => {
    for (const q of QUERIES) {
      const series = await get<SurveillanceSeries>('/api/surveillance/series', q);
      const want = tally(expected(q), (r) => `${r.week}|${r.slug}`);
      const got = new Map(
        series.points.map((p) => [
          `${p.week}|${p.slug}`,
          { confirmed: p.confirmed, device: p.device },
        ]),
      );
      expect(got, JSON.stringify(q)).toEqual(want);
      const weeks = series.points.map((p) => p.week);
      expect(weeks).toEqual([...weeks].sort());
    }
  });

  it('table rows, and the CSV holds exactly the same rows', async () => {
    for (const q of QUERIES) {
      const table = await get<SurveillanceTable>('/api/surveillance/table', q);
      expect(table.truncated).toBe(false);
      const key = (r: {
        week: string;
        regionCode: string | null;
        mrcCode: string | null;
        slug: string | null;
        kind: string | null;
        crop: string | null;
      }) => [r.week, r.regionCode, r.mrcCode, r.slug, r.kind, r.crop].join('|');
      const want = tally(expected(q), key);
      const got = new Map(
        table.rows.map((r) => [key(r), { confirmed: r.confirmed, device: r.device }]),
      );
      expect(got, JSON.stringify(q)).toEqual(want);
      const weeks = table.rows.map((r) => r.week);
      expect(weeks).toEqual([...weeks].sort().reverse());

      const res = await w.call(
        'GET',
        `/api/surveillance/table.csv?${new URLSearchParams(q).toString()}`,
        w.as.specialist,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, ...lines] = parseCsv(res.body);
      expect(header).toEqual([...CSV_HEADER]);
      const fromCsv = lines.map((l): SurveillanceRow => ({
        week: l[0] as string,
        regionCode: l[1] || null,
        mrcCode: l[2] || null,
        slug: l[3] as string,
        kind: l[4] as SurveillanceRow['kind'],
        // A formula-like crop is defused with a leading apostrophe (CSV injection).
        crop: l[5] === '' ? null : (l[5] as string).replace(/^'(?=[=+\-@\t\r])/, ''),
        confirmed: Number(l[6]),
        device: Number(l[7]),
      }));
      expect(fromCsv).toEqual(table.rows);
    }
  });

  it('finds a library crop by its English name or as typed, as the table stores its French name', async () => {
    const from = addWeeks(thisWeek(), -(WEEKS - 1));
    const french = await get<SurveillanceTable>('/api/surveillance/table', {
      crop: 'Pomme de terre',
      from,
    });
    expect(french.rows.length).toBeGreaterThan(0);
    for (const crop of ['Potato', ' potato ', 'POMME  DE TERRE']) {
      const table = await get<SurveillanceTable>('/api/surveillance/table', { crop, from });
      expect(table.rows, crop).toEqual(french.rows);
    }
    // A crop the library does not know is compared as typed.
    const typed = await get<SurveillanceTable>('/api/surveillance/table', {
      crop: 'maïs, "SUCRÉ"',
      regionCode: '16',
    });
    expect(typed.rows.map((r) => r.crop)).toEqual(['Maïs, "sucré"']);
  });

  it('defuses formula-like text in the CSV and quotes commas and quotes', async () => {
    const res = await w.call('GET', '/api/surveillance/table.csv?regionCode=16', w.as.specialist);
    expect(res.body).toContain(`"Maïs, ""sucré"""`);
    expect(res.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('the public view: confirmed only, by region × week × class, small cells suppressed', async () => {
    for (const q of [
      {},
      { from: addWeeks(thisWeek(), -(WEEKS - 1)) },
      { slug: 'apple_scab', from: addWeeks(thisWeek(), -(WEEKS - 1)) },
    ] as Query[]) {
      const res = await w.call(
        'GET',
        `/api/public/detections?${new URLSearchParams(q).toString()}`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      const body = res.json() as PublicDetections;
      expect(body.minCount).toBe(PUBLIC_MIN_CELL_COUNT);
      const all = tally(
        expected({ ...q, source: 'confirmed' }).filter((r) => r.kind !== 'healthy'),
        (r) => (r.regionCode === null ? null : `${r.regionCode}|${r.week}|${r.slug}`),
      );
      const want = new Map(
        [...all]
          .filter(([, c]) => c.confirmed >= PUBLIC_MIN_CELL_COUNT)
          .map(([k, c]) => [k, c.confirmed]),
      );
      const got = new Map(body.cells.map((c) => [`${c.regionCode}|${c.week}|${c.slug}`, c.count]));
      expect(got, JSON.stringify(q)).toEqual(want);
      // The data has small cells: suppression really happened.
      expect(
        [...all.values()].some((c) => c.confirmed > 0 && c.confirmed < PUBLIC_MIN_CELL_COUNT),
      ).toBe(true);
      expect(body.cells.every((c) => c.count >= PUBLIC_MIN_CELL_COUNT)).toBe(true);
    }
  });

  it('the rollup maintained insert by insert equals one rebuilt from the raw rows', async () => {
    const snapshot = () =>
      w.t.app.db.query(
        `SELECT week_start::text, region_code, mrc_code, class_slug, kind, crop, confirmed, device
           FROM detection_weekly ORDER BY 1, 2, 3, 4, 5, 6`,
      );
    const regional = () =>
      w.t.app.db.query(
        `SELECT week_start::text, region_code, class_slug, kind, crop, confirmed, device
           FROM detection_weekly_region ORDER BY 1, 2, 3, 4, 5`,
      );
    const reports = () =>
      w.t.app.db.query(
        'SELECT week_start::text, reports, abstained FROM detection_weekly_reports ORDER BY 1',
      );
    const [incremental, incrementalRegional, incrementalReports] = [
      await snapshot(),
      await regional(),
      await reports(),
    ];
    await w.t.app.db.transaction((tx) => createRepositories(tx).detections.rebuildRollups());
    expect(await snapshot()).toEqual(incremental);
    expect(await reports()).toEqual(incrementalReports);
    expect(await regional()).toEqual(incrementalRegional);
    expect(incremental.length).toBeGreaterThan(100);
  });

  it('refuses invalid periods with 400 and a code', async () => {
    const invalid: Query[] = [
      { from: thisWeek(), to: addWeeks(thisWeek(), -1) },
      { from: addWeeks(thisWeek(), -200) },
      { from: '2026-02-31' },
    ];
    for (const q of invalid) {
      const res = await w.call(
        'GET',
        `/api/surveillance/map?${new URLSearchParams(q).toString()}`,
        w.as.admin,
      );
      expect(res.statusCode).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('INVALID_PERIOD');
      const pub = await w.call(
        'GET',
        `/api/public/detections?${new URLSearchParams(q).toString()}`,
      );
      expect(pub.statusCode).toBe(400);
    }
    const unknown = await w.call('GET', '/api/surveillance/map?lat=45', w.as.admin);
    expect(unknown.statusCode).toBe(400);
  });
});
