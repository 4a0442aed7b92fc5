import { describe, expect, it } from 'vitest';
import { gateModel, type GateMetrics } from '../src/train/gate';

const base: GateMetrics = {
  n: 100,
  top1: 0.9,
  ece: 0.03,
  per_class: { a: { n: 50, top1: 0.9 }, b: { n: 50, top1: 0.9 } },
};

describe('non-regression gate', () => {
  it('passes the first model (nothing served yet)', () => {
    expect(gateModel(base, null)).toMatchObject({ passed: true, note: 'no current model' });
  });

  it('passes an equal or better model, and a drop within one test photo', () => {
    expect(gateModel(base, base).passed).toBe(true);
    const slightlyWorse: GateMetrics = {
      ...base,
      top1: 0.89,
      per_class: { a: { n: 50, top1: 0.88 }, b: { n: 50, top1: 0.9 } },
    };
    expect(gateModel(slightlyWorse, base).passed).toBe(true);
  });

  it('refuses a worse overall top-1 or ECE', () => {
    const r = gateModel({ ...base, top1: 0.85, ece: 0.08 }, base);
    expect(r.passed).toBe(false);
    expect(r.reasons).toEqual([
      'top1 dropped from 0.9 to 0.85 (-0.05, tolerance 0.01)',
      'ece rose from 0.03 to 0.08 (+0.05, tolerance 0.01)',
    ]);
  });

  it('names the class that dropped and by how much, even when overall top-1 holds', () => {
    const r = gateModel(
      { ...base, per_class: { a: { n: 50, top1: 1 }, b: { n: 50, top1: 0.8 } } },
      base,
    );
    expect(r.passed).toBe(false);
    expect(r.reasons).toEqual(['class b top-1 dropped from 0.9 to 0.8 (-0.1, tolerance 0.02)']);
    expect(r.checks.find((c) => c.slug === 'b')).toMatchObject({ delta: -0.1, ok: false });
  });

  it('does not gate new classes, but fails a class that vanished from the test split', () => {
    const withNew = { ...base, per_class: { ...base.per_class, c: { n: 3, top1: 0 } } };
    expect(gateModel(withNew, base).passed).toBe(true);
    const missing = { ...base, per_class: { a: base.per_class.a } };
    expect(gateModel(missing, base).reasons[0]).toMatch(/^class b top-1 dropped from 0.9 to 0/);
  });

  it('scales tolerance with the split size: one photo of three is noise, two are not', () => {
    const tiny: GateMetrics = { n: 6, top1: 1, ece: 0.1, per_class: { a: { n: 3, top1: 1 } } };
    const oneMiss = { ...tiny, top1: 0.8333, per_class: { a: { n: 3, top1: 0.6667 } } };
    expect(gateModel(oneMiss, tiny).passed).toBe(true);
    const twoMiss = { ...tiny, top1: 0.6667, per_class: { a: { n: 3, top1: 0.3333 } } };
    expect(gateModel(twoMiss, tiny).passed).toBe(false);
  });
});
