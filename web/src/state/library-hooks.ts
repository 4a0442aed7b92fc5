import { cropIdOf, cropKey } from '@phytodiag/model/classifier-core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import type { Lang, LibraryEntryRow } from '../db/types';

export function useEntryMap(): Map<string, LibraryEntryRow> {
  const rows = useLiveQuery(() => db.libraryEntries.toArray(), []);
  // Rebuilt only when the table changes, not on every render of the screen using it.
  return useMemo(() => new Map((rows ?? []).map((r) => [r.slug, r])), [rows]);
}

export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'fr';
}

/** Display name in the UI language; falls back to a readable slug if the library is not synced. */
export function displayName(
  slug: string,
  entries: Map<string, LibraryEntryRow>,
  lang: Lang,
): string {
  return entries.get(slug)?.name[lang] ?? slug.replace(/_/g, ' ');
}

/** Entries in alphabetical order of their name in the UI language (pickers and lists). */
export function sortedByName(entries: Iterable<LibraryEntryRow>, lang: Lang): LibraryEntryRow[] {
  return [...entries].sort((a, b) => a.name[lang].localeCompare(b.name[lang], lang));
}

/**
 * A crop the library knows, under either of its names and however it was typed ("Grape",
 * "vigne ", the surveillance's French name), in the UI language; any other crop as typed.
 */
export function cropName(crop: string, entries: Map<string, LibraryEntryRow>, lang: Lang): string {
  return cropIndex(entries).get(cropKey(crop))?.crop[lang] ?? crop;
}

// Each crop name's key, made once per library (a queue of 50 requests names a crop 50 times a
// render), not once per name per call.
const CROP_INDEX = new WeakMap<Map<string, LibraryEntryRow>, Map<string, LibraryEntryRow>>();

function cropIndex(entries: Map<string, LibraryEntryRow>): Map<string, LibraryEntryRow> {
  let index = CROP_INDEX.get(entries);
  if (!index) {
    index = new Map();
    for (const entry of entries.values()) {
      for (const name of [entry.crop.fr, entry.crop.en]) {
        if (!index.has(cropKey(name))) index.set(cropKey(name), entry);
      }
    }
    CROP_INDEX.set(entries, index);
  }
  return index;
}

/** A crop the classifier knows: its context id (cropIdOf) and its name in the UI language. */
export interface CropChoice {
  id: string;
  name: string;
}

/**
 * The crops of the bank's crop-specific classes (diseases, healthy leaves), from the library, so
 * that they follow the image bank; alphabetical in the UI language. Insects and weeds list
 * several crops in words, not one crop, so they add none.
 */
export function cropsOf(entries: Iterable<LibraryEntryRow>, lang: Lang): CropChoice[] {
  const byId = new Map<string, string>();
  for (const entry of entries) {
    const id = cropIdOf(entry);
    if (id !== null && !byId.has(id)) byId.set(id, entry.crop[lang]);
  }
  return [...byId]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
}

export function useCrops(): CropChoice[] {
  const entries = useEntryMap();
  const lang = useLang();
  return useMemo(() => cropsOf(entries.values(), lang), [entries, lang]);
}
