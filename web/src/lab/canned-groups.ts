import type { CannedAnswer } from '@phytodiag/api/contract';
import { cropKey } from '@phytodiag/model/classifier-core';
import type { Lang, LibraryEntryRow } from '../db/types';
import { displayName } from '../state/library-hooks';

export interface CannedGroup {
  crop: string;
  items: CannedAnswer[];
}

/**
 * The canned answers by crop, for the answer form's list: the case's crop first, then the others
 * alphabetically; titles alphabetically within. Never by the model's guess, which a specialist
 * must not be nudged towards (it is what their answer is measured against).
 */
export function cannedGroups(
  canned: readonly CannedAnswer[],
  entries: Map<string, LibraryEntryRow>,
  lang: Lang,
  caseCrop: string,
): CannedGroup[] {
  const groups = new Map<string, CannedGroup>();
  for (const c of canned) {
    const entry = entries.get(c.slug);
    const crop = entry?.crop[lang] ?? displayName(c.slug, entries, lang);
    const group = groups.get(crop) ?? { crop, items: [] };
    group.items.push(c);
    groups.set(crop, group);
  }
  const mine = (g: CannedGroup) => {
    const entry = entries.get(g.items[0]!.slug);
    const key = cropKey(caseCrop);
    return (
      entry !== undefined && (cropKey(entry.crop.fr) === key || cropKey(entry.crop.en) === key)
    );
  };
  const byName = (a: string, b: string) => a.localeCompare(b, lang);
  return [...groups.values()]
    .map((g) => ({
      ...g,
      items: [...g.items].sort((a, b) => byName(a[lang].title, b[lang].title)),
    }))
    .sort((a, b) => Number(mine(b)) - Number(mine(a)) || byName(a.crop, b.crop));
}
