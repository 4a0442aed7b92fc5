import { describe, expect, it } from 'vitest';
import { firstAnswerChart, satisfactionChart, seriesChart } from '../src/surveillance/charts';

type Axis = { ticks?: number[]; tickFormat?: (d: number) => string; domain?: number[] };

describe('indicator charts', () => {
  it('count axes tick whole numbers only, in the UI language', () => {
    const few = satisfactionChart([0, 1, 0, 2, 0], { x: 'Note', y: 'Évaluations' }, 'fr-CA');
    expect((few.y as Axis).ticks).toEqual([0, 1, 2]);
    const many = satisfactionChart([3, 40, 1200, 7, 0], { x: 'Note', y: 'Évaluations' }, 'fr-CA');
    const axis = many.y as Axis;
    expect(axis.ticks?.every((d) => Number.isInteger(d))).toBe(true);
    expect(axis.ticks?.at(-1)).toBeGreaterThanOrEqual(1200);
    expect(axis.tickFormat?.(1200)).toBe('1\u00a0200');
    const none = satisfactionChart([0, 0, 0, 0, 0], { x: 'Score', y: 'Ratings' }, 'en-CA');
    expect((none.y as Axis).ticks).toEqual([0, 1]);
  });

  it('days are written with a decimal comma in French', () => {
    const options = firstAnswerChart(
      { answered: 3, medianHours: 30, p90Hours: 60, withinCommitment: 1 } as never,
      2,
      { median: 'Médiane', p90: '90e centile', x: 'Jours', commitment: 'Engagement' },
      'fr-CA',
    );
    expect((options?.x as Axis).tickFormat?.(2.5)).toBe('2,5');
  });

  it('week ticks write the first of the month « 1er » in French', () => {
    const series = { points: [], from: '2026-09-28', to: '2026-10-26' } as never;
    const labels = { confirmed: 'Confirmées', device: 'Sur l’appareil' };
    const tick = (locale: string) =>
      (
        seriesChart(series, (s) => s, labels, locale).options.x as {
          tickFormat: (d: Date) => string;
        }
      ).tickFormat(new Date('2026-10-01T00:00:00Z'));
    expect(tick('fr-CA')).toBe('1er\u00a0oct.');
    expect(tick('en-CA')).toBe('Oct\u00a01');
  });
});
