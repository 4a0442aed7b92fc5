import type { LibraryKind } from '@phytodiag/api/contract';
import type { Lang } from '../db/types';

/** Quebec administrative regions (codes as in GEO_DIR/quebec-regions.geojson). */
export const REGIONS: [code: string, name: string][] = [
  ['01', 'Bas-Saint-Laurent'],
  ['02', 'Saguenay–Lac-Saint-Jean'],
  ['03', 'Capitale-Nationale'],
  ['04', 'Mauricie'],
  ['05', 'Estrie'],
  ['06', 'Montréal'],
  ['07', 'Outaouais'],
  ['08', 'Abitibi-Témiscamingue'],
  ['09', 'Côte-Nord'],
  ['10', 'Nord-du-Québec'],
  ['11', 'Gaspésie–Îles-de-la-Madeleine'],
  ['12', 'Chaudière-Appalaches'],
  ['13', 'Laval'],
  ['14', 'Lanaudière'],
  ['15', 'Laurentides'],
  ['16', 'Montérégie'],
  ['17', 'Centre-du-Québec'],
];

export function regionName(code: string | null | undefined): string | undefined {
  return REGIONS.find(([c]) => c === code)?.[1];
}

/**
 * "In the region" as French writes it: the preposition and article depend on the name
 * (« au Bas-Saint-Laurent », « dans les Laurentides », « sur la Côte-Nord », « à Laval »).
 */
const FRENCH_IN: Record<string, string> = {
  '01': 'au Bas-Saint-Laurent',
  '02': 'au Saguenay–Lac-Saint-Jean',
  '03': 'dans la Capitale-Nationale',
  '04': 'en Mauricie',
  '05': 'en Estrie',
  '06': 'à Montréal',
  '07': 'en Outaouais',
  '08': 'en Abitibi-Témiscamingue',
  '09': 'sur la Côte-Nord',
  '10': 'dans le Nord-du-Québec',
  '11': 'en Gaspésie–Îles-de-la-Madeleine',
  '12': 'en Chaudière-Appalaches',
  '13': 'à Laval',
  '14': 'dans Lanaudière',
  '15': 'dans les Laurentides',
  '16': 'en Montérégie',
  '17': 'au Centre-du-Québec',
};

/** "in <region>" in the UI language, for the middle of a sentence: « au Centre-du-Québec ». */
export function inRegion(code: string, lang: Lang): string {
  const name = regionName(code) ?? code;
  return lang === 'fr' ? (FRENCH_IN[code] ?? `dans la région ${name}`) : `in ${name}`;
}

/** Library kinds, in the order every filter and form lists them. */
export const KINDS: readonly LibraryKind[] = ['disease', 'insect', 'weed', 'healthy'];
