import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { ChoroplethMap, type ChoroplethValue } from '../components/choropleth-map';
import { loadMrcs, loadRegions } from './geo-data';

/**
 * bench:web's map timing, with the component the screens use: `runs` first renders (a copy of
 * the boundaries each time, so the memoised paths are recomputed: the cost of opening the screen)
 * and as many re-renders with new counts (a filter change: paths reused), each until layout done.
 */
export async function benchMap(
  level: 'region' | 'mrc',
  runs = 20,
): Promise<{ shapes: number; firstMs: number[]; updateMs: number[] }> {
  const geo = level === 'region' ? await loadRegions() : await loadMrcs();
  const host = document.createElement('div');
  host.style.width = '412px';
  document.body.append(host);
  const root = createRoot(host);
  const values = (seed: number) =>
    new Map<string, ChoroplethValue>(
      geo.features.map((f, j) => [
        f.properties.code,
        { value: (seed + j) % 9, hatched: j % 3 === 0 },
      ]),
    );
  const draw = (g: typeof geo, v: Map<string, ChoroplethValue>) => {
    const t0 = performance.now();
    flushSync(() =>
      root.render(
        <ChoroplethMap
          geo={g}
          values={v}
          labelOf={(code) => code}
          caption="bench"
          legendTitle="n"
          hatchLabel="h"
        />,
      ),
    );
    host.getBoundingClientRect(); // style and layout included
    return performance.now() - t0;
  };
  const firstMs: number[] = [];
  const updateMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const copy = structuredClone(geo);
    firstMs.push(draw(copy, values(i)));
    updateMs.push(draw(copy, values(i + 1)));
    flushSync(() => root.render(null));
  }
  root.unmount();
  host.remove();
  return { shapes: geo.features.length, firstMs, updateMs };
}
