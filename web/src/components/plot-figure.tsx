import { useEffect, useRef, type ReactNode } from 'react';
import { plot, type PlotOptions } from '@observablehq/plot';
import './map.css';

/**
 * An Observable Plot chart inside a captioned figure. Plot builds its own DOM: it is rebuilt when
 * `options` change (callers memoise them), never on unrelated re-renders.
 */
export function PlotFigure({
  options,
  caption,
  description,
  testId,
  children,
}: {
  options: PlotOptions;
  caption: string;
  /** Read by screen readers as the chart's description (what it shows, where the numbers are). */
  description: string;
  testId?: string;
  /** Key or notes shown under the chart. */
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = ref.current;
    // Drawn at the width it gets (a phone or a desk), not scaled: text keeps its size.
    const width = host && host.clientWidth > 0 ? host.clientWidth : options.width;
    const el = plot({ ...options, width, ariaLabel: caption, ariaDescription: description });
    // One image with a name and a description (the numbers are in a table nearby): Plot's
    // per-mark group labels ("line", "dot") would be noise, and are invalid ARIA on a bare <g>.
    el.setAttribute('role', 'img');
    for (const g of el.querySelectorAll('[aria-label]'))
      if (g !== el) g.removeAttribute('aria-label');
    host?.replaceChildren(el);
    return () => el.remove();
  }, [options, caption, description]);
  return (
    <figure className="chart-figure" data-testid={testId}>
      <figcaption>{caption}</figcaption>
      <div ref={ref} />
      {children}
    </figure>
  );
}
