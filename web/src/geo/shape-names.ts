import type { FeatureCollection, Geometry } from 'geojson';
import type { Lang } from '../db/types';

type Named = { code: string } & ({ name_fr: string; name_en: string } | { name: string });

/** Code → display name of every shape (regions are named per language, MRCs have one name). */
export function shapeNames(
  geo: FeatureCollection<Geometry, Named> | null,
  lang: Lang,
): Map<string, string> {
  const names = new Map<string, string>();
  for (const f of geo?.features ?? []) {
    const p = f.properties;
    names.set(p.code, 'name' in p ? p.name : lang === 'en' ? p.name_en : p.name_fr);
  }
  return names;
}
