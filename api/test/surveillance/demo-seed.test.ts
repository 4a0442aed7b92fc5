import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { seedDemoDetections } from '../../src/seed/seed-demo-detections';
import type { SurveillanceTable } from '../../src/contract/surveillance';
import { addWeeks } from '../../src/lib/iso-week';
import { createSurveillanceWorld, thisWeek, type SurveillanceWorld } from './world';

describe('demo detections for a new user', () => {
  let w: SurveillanceWorld;
  beforeAll(async () => {
    w = await createSurveillanceWorld();
  });
  afterAll(() => w.close());

  it('are on by default under npm start only, never in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).demoDetections).toBe(20_000);
    expect(loadConfig({ NODE_ENV: 'test' }).demoDetections).toBe(0);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DETECTIONS: '500' }).demoDetections).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', DEMO_DETECTIONS: '500' }).demoDetections).toBe(500);
  });

  it('fill an empty database once, counted in the rollups the dashboards read', async () => {
    const config = { ...w.t.config, demoDetections: 800 };
    expect(await seedDemoDetections(w.t.app.db, config)).toBe(800);
    const raw = await w.t.app.db.one<{ n: number }>('SELECT count(*)::int AS n FROM detections');
    expect(raw.n).toBe(800);
    // The generator spreads them over the last 104 weeks.
    const from = addWeeks(thisWeek(), -103);
    const res = await w.call('GET', `/api/surveillance/table?from=${from}`, w.as.specialist);
    expect(res.statusCode).toBe(200);
    const rows = (res.json() as SurveillanceTable).rows;
    expect(rows.length).toBeGreaterThan(0);
    // A second start leaves existing data alone.
    expect(await seedDemoDetections(w.t.app.db, config)).toBe(0);
    const again = await w.t.app.db.one<{ n: number }>('SELECT count(*)::int AS n FROM detections');
    expect(again.n).toBe(800);
  });
});
