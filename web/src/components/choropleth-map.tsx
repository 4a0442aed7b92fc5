import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection, Geometry } from 'geojson';
import { binLabel, countBins, fillFor, ZERO_FILL } from '../geo/count-scale';
import { fitGeometry } from '../geo/map-geometry';
import './map.css';

export interface ChoroplethValue {
  value: number;
  /** Drawn with hatching on top of the fill (e.g. includes unverified on-device detections). */
  hatched?: boolean;
}

export interface ChoroplethProps {
  geo: FeatureCollection<Geometry, { code: string }>;
  /** By shape code; a missing code counts 0. */
  values: ReadonlyMap<string, ChoroplethValue>;
  /** Accessible name and hover/focus text of a shape: its name and its numbers, in words. */
  labelOf: (code: string) => string;
  caption: string;
  legendTitle: string;
  /** Legend entry explaining the hatching; shown when at least one shape is hatched. */
  hatchLabel?: string;
  /** Smallest count a shape can show (the public view masks fewer than 3): the legend starts there. */
  minCount?: number;
  /** Legend text of the empty shade (default "0"). */
  zeroLabel?: string;
  /** viewBox width; the SVG scales to its container. */
  width?: number;
  testId?: string;
}

/**
 * Choropleth of Quebec regions or MRCs. Colour is never the only carrier: every shape is
 * focusable with a spoken name that says its numbers, hovering/focusing prints them under the map,
 * classes are listed in the legend, and hatching (not a hue) marks the second layer.
 */
export function ChoroplethMap({
  geo,
  values,
  labelOf,
  caption,
  legendTitle,
  hatchLabel,
  minCount = 1,
  zeroLabel = '0',
  width = 600,
  testId,
}: ChoroplethProps) {
  const { t } = useTranslation();
  const uid = useId();
  const captionId = `${uid}-caption`;
  const hatchId = `${uid}-hatch`;
  const geometry = useMemo(() => fitGeometry(geo, width), [geo, width]);
  const max = useMemo(() => Math.max(0, ...[...values.values()].map((v) => v.value)), [values]);
  const bins = useMemo(() => countBins(max), [max]);
  // Keyboard focus wins over a resting mouse pointer: the focused shape is the one being read.
  const [focused, setFocused] = useState<string | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const active = focused ?? hovered;
  const anyHatched = [...values.values()].some((v) => v.hatched && v.value > 0);

  const activeShape = active ? geometry.shapes.find((s) => s.code === active) : undefined;
  return (
    <figure className="map-figure" data-testid={testId}>
      <figcaption id={captionId}>{caption}</figcaption>
      <svg
        className="choropleth"
        viewBox={`0 0 ${geometry.width} ${geometry.height}`}
        role="group"
        aria-labelledby={captionId}
        onMouseLeave={() => setHovered(null)}
      >
        <defs>
          <pattern
            id={hatchId}
            patternUnits="userSpaceOnUse"
            width="7"
            height="7"
            patternTransform="rotate(45)"
          >
            <rect width="7" height="7" fill="none" />
            <line x1="0" y1="0" x2="0" y2="7" stroke="#000" strokeWidth="2.2" />
          </pattern>
        </defs>
        <g>
          {geometry.shapes.map((s) => {
            const v = values.get(s.code);
            const count = v?.value ?? 0;
            return (
              <path
                key={s.code}
                d={s.d}
                fill={fillFor(bins, count)}
                className="map-shape"
                data-code={s.code}
                data-count={count}
                tabIndex={0}
                role="img"
                aria-label={labelOf(s.code)}
                onFocus={() => setFocused(s.code)}
                onBlur={() => setFocused((a) => (a === s.code ? null : a))}
                onMouseEnter={() => setHovered(s.code)}
              />
            );
          })}
        </g>
        <g aria-hidden="true" pointerEvents="none">
          {geometry.shapes.map((s) => {
            const v = values.get(s.code);
            return v?.hatched && v.value > 0 ? (
              <path key={s.code} d={s.d} fill={`url(#${hatchId})`} className="map-hatch" />
            ) : null;
          })}
          {activeShape && (
            <>
              <path d={activeShape.d} className="map-active-outer" />
              <path d={activeShape.d} className="map-active-inner" />
            </>
          )}
        </g>
      </svg>
      <p className="map-info" aria-hidden="true" data-testid={testId && `${testId}-info`}>
        {active ? labelOf(active) : t('map.hint')}
      </p>
      <div className="map-legend">
        <p className="map-legend-title">{legendTitle}</p>
        <ul>
          <li>
            <span className="swatch" style={{ background: ZERO_FILL }} />
            {zeroLabel}
          </li>
          {bins
            .filter((b) => b.max >= minCount)
            .map((b) => (
              <li key={b.min}>
                <span className="swatch" style={{ background: b.color }} />
                {binLabel({ ...b, min: Math.max(b.min, minCount) })}
              </li>
            ))}
          {hatchLabel && anyHatched && (
            <li>
              <svg className="swatch" viewBox="0 0 20 20" aria-hidden="true">
                <rect width="20" height="20" fill={ZERO_FILL} />
                <rect width="20" height="20" fill={`url(#${hatchId})`} />
              </svg>
              {hatchLabel}
            </li>
          )}
        </ul>
      </div>
    </figure>
  );
}
