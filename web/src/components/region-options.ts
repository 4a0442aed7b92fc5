import type { LibraryKind } from '@phytodiag/api/contract';

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

/** Library kinds, in the order every filter and form lists them. */
export const KINDS: readonly LibraryKind[] = ['disease', 'insect', 'weed', 'healthy'];
