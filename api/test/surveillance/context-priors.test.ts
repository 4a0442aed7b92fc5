import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextPriors } from '../../src/contract/surveillance';
import { addWeeks } from '../../src/lib/iso-week';
import type { NewDetection } from '../../src/repositories/detection-repository';
import type { MonthCell } from '../../src/repositories/surveillance-repository';
import { contextPriorTable } from '../../src/services/context-priors';
import { CONTEXT_PRIOR_WEEKS } from '../../src/services/surveillance-service';
import { createSurveillanceWorld, thisWeek, type SurveillanceWorld } from './world';

const cell = (regionCode: string, month: number, slug: string, count: number): MonthCell => ({
  regionCode,
  month,
  slug,
  count,
});

describe('contextPriorTable (factors worked out by hand)', () => {
  // Two classes, 30 confirmations each over the year: a year share of 31/62 = 0.5 each.
  const table = contextPriorTable([cell('16', 7, 'a', 30), cell('', 1, 'b', 30)]);

  it('a season with enough confirmations shifts towards what was seen then', () => {
    // July (June–August): N = (30, 0) → π = ((30 + 20·0.5) / 50, (0 + 20·0.5) / 50) = (0.8, 0.2)
    // → factors 1.6 and 0.4, the latter raised to the lower bound 0.5.
    expect(table.province[6]).toEqual({ a: 1.6, b: 0.5 });
    // June's season (May–July) holds July too; January's holds only b.
    expect(table.province[5]).toEqual({ a: 1.6, b: 0.5 });
    expect(table.province[0]).toEqual({ a: 0.5, b: 1.6 });
  });

  it('a season with too few confirmations gives no factor at all', () => {
    // April (March–May): nothing confirmed.
    expect(table.province[3]).toBeNull();
    expect(table.province).toHaveLength(12);
  });

  it('a region refines its season, starting from Quebec’s', () => {
    // Region 16 in July: N = (30, 0) → π = ((30 + 20·0.8) / 50, (20·0.2) / 50) = (0.92, 0.08)
    // → 1.84 and 0.16, raised to 0.5.
    expect(table.regions['16'][6]).toEqual({ a: 1.84, b: 0.5 });
    // Its January holds no confirmation: the device falls back on Quebec's season.
    expect(table.regions['16'][0]).toBeNull();
    // Confirmations without a region count for Quebec only.
    expect(Object.keys(table.regions)).toEqual(['16']);
  });

  it('a factor of 1 is left out, and nothing comes from nothing', () => {
    const even = contextPriorTable([cell('16', 7, 'a', 20), cell('16', 7, 'b', 20)]);
    expect(even.province[6]).toEqual({});
    expect(contextPriorTable([])).toEqual({ province: Array(12).fill(null), regions: {} });
  });
});

/** The Monday, `years` back at most, of a week whose Thursday falls in `month` (1–12). */
function weekIn(month: number, yearsBack = 0): string {
  for (let w = 52 * yearsBack; w < CONTEXT_PRIOR_WEEKS; w++) {
    const monday = addWeeks(thisWeek(), -w);
    const thursday = new Date(`${monday}T00:00:00Z`);
    thursday.setUTCDate(thursday.getUTCDate() + 3);
    if (thursday.getUTCMonth() + 1 === month) return monday;
  }
  throw new Error(`no week in month ${month}`);
}

function confirmed(slug: string, regionCode: string | null, week: string): NewDetection {
  return {
    clientId: null,
    userId: null,
    source: 'confirmed',
    escalationId: null,
    slug,
    kind: slug.includes('healthy') ? 'healthy' : slug.startsWith('insect_') ? 'insect' : 'disease',
    crop: null,
    regionCode,
    mrcCode: null,
    week,
    confidence: null,
    abstained: false,
    modelVersion: null,
  };
}

const times = (n: number, d: NewDetection) => Array.from({ length: n }, () => d);

describe('GET /api/public/context-priors', () => {
  let w: SurveillanceWorld;

  beforeAll(async () => {
    w = await createSurveillanceWorld();
    const july = weekIn(7);
    const january = weekIn(1);
    await w.t.app.repos.detections.insertMany([
      // The scenario worked out above, spread over two years and two Julys.
      ...times(20, confirmed('potato_late_blight', '16', july)),
      ...times(10, confirmed('potato_late_blight', '16', weekIn(7, 1))),
      ...times(30, confirmed('insect_armyworm', null, january)),
      // Counted as none: a cell under the public minimum, healthy plants, device reports, and
      // confirmations older than three years.
      ...times(2, confirmed('apple_scab', '05', july)),
      ...times(40, confirmed('potato_healthy', '16', january)),
      ...times(40, {
        ...confirmed('tomato_late_blight', '16', january),
        source: 'device',
        clientId: null,
      }).map((d, i) => ({
        ...d,
        clientId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      })),
      ...times(
        40,
        confirmed('tomato_late_blight', '16', addWeeks(thisWeek(), -CONTEXT_PRIOR_WEEKS)),
      ),
    ]);
  });
  afterAll(() => w.close());

  it('serves the factors to anyone, cacheable, from confirmations only', async () => {
    const res = await w.call('GET', '/api/public/context-priors');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    const body = res.json() as ContextPriors;
    expect(body.to).toBe(thisWeek());
    expect(body.from).toBe(addWeeks(thisWeek(), -(CONTEXT_PRIOR_WEEKS - 1)));
    expect(body.range).toEqual({ min: 0.5, max: 2 });
    expect(body.province[6]).toEqual({ potato_late_blight: 1.6, insect_armyworm: 0.5 });
    expect(body.province[0]).toEqual({ potato_late_blight: 0.5, insect_armyworm: 1.6 });
    expect(body.province[3]).toBeNull();
    expect(body.regions).toEqual({
      '16': [
        null,
        null,
        null,
        null,
        null,
        ...Array(3).fill({ potato_late_blight: 1.84, insect_armyworm: 0.5 }),
        null,
        null,
        null,
        null,
      ],
    });
  });

  it('changes when the lab confirms more', async () => {
    await w.t.app.repos.detections.insertMany(
      times(30, confirmed('insect_armyworm', '16', weekIn(7))),
    );
    const body = (await w.call('GET', '/api/public/context-priors')).json() as ContextPriors;
    // Year 30 : 60 → shares 31/92, 61/92; July N = (30, 30) → π = (0.5 + …): both move toward 1.
    const july = body.province[6] as Record<string, number>;
    expect(july.potato_late_blight).toBeLessThan(1.6);
    expect(july.insect_armyworm).toBeGreaterThan(0.5);
    expect(Object.keys(body.regions)).toEqual(['16']);
  });
});
