import { barX, barY, dot, lineY, pointerX, ruleX, ruleY, text, tip } from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import type { ServiceIndicators, SurveillanceSeries } from '@phytodiag/api/contract';
import type { Lang } from '../db/types';
import { formatDayMonth } from '../state/format';
import { seriesData } from './query';

/**
 * Observable Plot options of the dashboard's charts. Two kinds of data are told apart by mark
 * style, not only by hue: solid line + filled dots vs dashed line + hollow triangles; classes get
 * one panel each (small multiples) with their name written on it.
 */

const SOLID = '#0a5c1f';
const DASHED = '#8a3b00';
const date = (week: string) => new Date(`${week}T00:00:00Z`);

/**
 * A count axis: whole numbers only (half a rating means nothing), written in the UI language.
 * `max`: the largest count shown.
 */
function countAxis(max: number, locale: string, label: string | null) {
  const step = Math.max(1, Math.ceil(max / 5));
  const top = Math.max(step, Math.ceil(max / step) * step);
  return {
    grid: true,
    label,
    zero: true,
    domain: [0, top],
    ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step),
    tickFormat: (d: number) => d.toLocaleString(locale),
  };
}

/** Week axis in the UI language (« 1er oct. », « 30 nov. » / "Nov 30"), dates being UTC midnights. */
function weekAxis(locale: string) {
  const lang: Lang = locale.startsWith('fr') ? 'fr' : 'en';
  return {
    type: 'utc' as const,
    label: null,
    ticks: 5,
    tickFormat: (d: Date) => formatDayMonth(d, lang),
  };
}

export function seriesChart(
  series: SurveillanceSeries,
  nameOf: (slug: string) => string,
  labels: { confirmed: string; device: string },
  locale: string,
  width = 700,
): { options: PlotOptions; classes: number } {
  const { slugs, data } = seriesData(series.points, series.from, series.to);
  const rows = data.map((d) => ({
    date: date(d.week),
    week: d.week,
    name: nameOf(d.slug),
    source: labels[d.source],
    count: d.count,
    confirmed: d.source === 'confirmed',
  }));
  const confirmed = rows.filter((r) => r.confirmed);
  const device = rows.filter((r) => !r.confirmed);
  const names = slugs.map(nameOf);
  const options: PlotOptions = {
    width,
    height: 40 + names.length * 130,
    marginLeft: 48,
    marginTop: 24,
    style: { fontSize: '13px', color: '#111', background: 'transparent' },
    fy: { domain: names, axis: null, padding: 0.25 },
    x: weekAxis(locale),
    // The unit is in the caption: an axis label would collide with the panel titles.
    y: countAxis(Math.max(0, ...rows.map((r) => r.count)), locale, null),
    marks: [
      ruleY([0], { stroke: '#111' }),
      text(
        names.map((name) => ({ name })),
        {
          fy: 'name',
          text: 'name',
          frameAnchor: 'top-left',
          dy: -14,
          fontWeight: 'bold',
          fill: '#111',
        },
      ),
      lineY(confirmed, { x: 'date', y: 'count', fy: 'name', stroke: SOLID, strokeWidth: 2.5 }),
      dot(confirmed, { x: 'date', y: 'count', fy: 'name', fill: SOLID, r: 3.5 }),
      lineY(device, {
        x: 'date',
        y: 'count',
        fy: 'name',
        stroke: DASHED,
        strokeWidth: 2,
        strokeDasharray: '6 4',
      }),
      dot(device, {
        x: 'date',
        y: 'count',
        fy: 'name',
        stroke: DASHED,
        fill: '#fff',
        symbol: 'triangle',
        r: 4,
      }),
      tip(
        rows,
        pointerX({
          x: 'date',
          y: 'count',
          fy: 'name',
          title: (d: (typeof rows)[number]) => `${d.name}\n${d.week} · ${d.source} : ${d.count}`,
        }),
      ),
    ],
  };
  return { options, classes: names.length };
}

export function channelsChart(
  weeks: ServiceIndicators['weeks'],
  labels: { onDevice: string; escalated: string; y: string },
  locale: string,
  width = 700,
): PlotOptions {
  const escalated = weeks.map((w) => ({ date: date(w.week), count: w.escalated }));
  const onDevice = weeks.map((w) => ({ date: date(w.week), count: w.onDevice }));
  return {
    width,
    height: 260,
    marginLeft: 48,
    style: { fontSize: '13px', color: '#111', background: 'transparent' },
    x: weekAxis(locale),
    y: countAxis(Math.max(0, ...weeks.flatMap((w) => [w.onDevice, w.escalated])), locale, labels.y),
    marks: [
      ruleY([0], { stroke: '#111' }),
      lineY(escalated, { x: 'date', y: 'count', stroke: SOLID, strokeWidth: 2.5 }),
      dot(escalated, { x: 'date', y: 'count', fill: SOLID, r: 3.5 }),
      lineY(onDevice, {
        x: 'date',
        y: 'count',
        stroke: DASHED,
        strokeWidth: 2,
        strokeDasharray: '6 4',
      }),
      dot(onDevice, {
        x: 'date',
        y: 'count',
        stroke: DASHED,
        fill: '#fff',
        symbol: 'triangle',
        r: 4,
      }),
    ],
  };
}

/** Median and 90th percentile of the time to a first answer, in days, against the commitment. */
export function firstAnswerChart(
  first: ServiceIndicators['firstAnswer'],
  commitmentDays: number,
  labels: { median: string; p90: string; x: string; commitment: string },
  locale: string,
  width = 700,
): PlotOptions | null {
  const days = (d: number) =>
    d.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (first.medianHours === null || first.p90Hours === null) return null;
  const bars = [
    { label: labels.median, days: first.medianHours / 24 },
    { label: labels.p90, days: first.p90Hours / 24 },
  ];
  // Room on the right so neither the longest bar's value nor the commitment label is cut.
  const xMax = Math.max(commitmentDays, ...bars.map((b) => b.days)) * 1.3;
  return {
    width,
    height: 170,
    marginLeft: 110,
    marginRight: 24,
    marginTop: 32,
    style: { fontSize: '13px', color: '#111', background: 'transparent' },
    x: {
      grid: true,
      label: labels.x,
      domain: [0, xMax],
      nice: true,
      tickFormat: (d: number) => d.toLocaleString(locale),
    },
    y: { label: null, domain: bars.map((b) => b.label) },
    marks: [
      barX(bars, { x: 'days', y: 'label', fill: '#3b6ea5' }),
      text(bars, {
        x: 'days',
        y: 'label',
        text: (d: (typeof bars)[number]) => days(d.days),
        dx: 4,
        textAnchor: 'start',
        fill: '#111',
      }),
      ruleX([commitmentDays], { stroke: '#111', strokeWidth: 3, strokeDasharray: '2 3' }),
      text([commitmentDays], {
        x: (d: number) => d,
        frameAnchor: 'top',
        text: () => labels.commitment,
        dy: -18,
        textAnchor: 'middle',
        fill: '#111',
      }),
    ],
  };
}

export function satisfactionChart(
  distribution: readonly number[],
  labels: { x: string; y: string },
  locale: string,
  width = 700,
): PlotOptions {
  const bars = distribution.map((count, i) => ({ score: String(i + 1), count }));
  return {
    width,
    height: 220,
    marginLeft: 48,
    style: { fontSize: '13px', color: '#111', background: 'transparent' },
    x: { label: labels.x, domain: ['1', '2', '3', '4', '5'] },
    y: countAxis(Math.max(0, ...distribution), locale, labels.y),
    marks: [
      barY(bars, { x: 'score', y: 'count', fill: '#3b6ea5' }),
      text(bars, {
        x: 'score',
        y: 'count',
        text: (d: (typeof bars)[number]) => String(d.count),
        dy: -8,
        fill: '#111',
      }),
      ruleY([0], { stroke: '#111' }),
    ],
  };
}
