import { AppError } from '../errors';
import { imageUrl } from '../media/media-keys';
import type { Repositories } from '../repositories';
import { createRevisionCache } from './revision-cache';
import type { BankImageRecord } from '../repositories/bank-image-repository';
import type { LibraryRecord } from '../repositories/library-repository';
import type { Language } from '../contract/common';
import type {
  LibraryEntry,
  LibraryImage,
  LibraryList,
  LibrarySync,
  LibrarySyncEntry,
} from '../contract/library';

function toImage(img: BankImageRecord): LibraryImage {
  return {
    url: imageUrl(img.mediaKey, 'full'),
    thumbUrl: imageUrl(img.mediaKey, 'thumb'),
    width: img.width,
    height: img.height,
    credit: img.credit,
    licence: img.licence,
  };
}

function imagesBySlug(images: BankImageRecord[]): Map<string, LibraryImage[]> {
  const map = new Map<string, LibraryImage[]>();
  for (const img of images) {
    const list = map.get(img.classSlug) ?? [];
    list.push(toImage(img));
    map.set(img.classSlug, list);
  }
  return map;
}

export function createLibraryService(deps: { repos: Repositories }) {
  const { repos } = deps;
  // Every answer below is a function of the library revision (entries are upserted with a new
  // revision, image validation touches its entry), so it is built once per revision and
  // language. Keyed on the database's revision, the cache stays coherent across API instances.
  const cache = createRevisionCache(() => repos.library.currentRevision());
  return {
    /** Keeps the cache fresh from change notifications (see revision-cache.ts). */
    cache,

    list(lang: Language): Promise<LibraryList> {
      return cache.get(`list:${lang}`, async (revision) => {
        const records = await repos.library.listSummaries();
        return {
          revision,
          items: records.map((r) => ({
            slug: r.slug,
            kind: r.kind,
            crop: r.crop[lang],
            name: r.name[lang],
            scientificName: r.scientificName,
            iconUrl: r.firstImageKey ? imageUrl(r.firstImageKey, 'icon') : null,
            hasFactSheet: r.hasFactSheet,
            revision: r.revision,
          })),
        };
      });
    },

    /** The subset of `slugs` that are library entries. */
    async existingSlugs(slugs: readonly string[]): Promise<Set<string>> {
      const all = await cache.get('slugs', async () => {
        const records = await repos.library.listSummaries();
        return new Set(records.map((r) => r.slug));
      });
      return new Set(slugs.filter((s) => all.has(s)));
    },

    get(slug: string, lang: Language): Promise<LibraryEntry> {
      return cache.get(`entry:${lang}:${slug}`, async () => {
        const r = await repos.library.findBySlug(slug);
        if (!r) throw new AppError('UNKNOWN_SLUG', 404, { slug });
        const images = await repos.bankImages.listValidated([slug]);
        return {
          slug: r.slug,
          kind: r.kind,
          crop: r.crop[lang],
          name: r.name[lang],
          scientificName: r.scientificName,
          lookAlikes: r.lookAlikes,
          factSheet: r.factSheet ? r.factSheet[lang] : null,
          images: images.map(toImage),
          revision: r.revision,
          updatedAt: r.updatedAt,
        };
      });
    },

    sync(since: number): Promise<LibrarySync> {
      // The revision is read before the entries: an entry changed meanwhile comes back next
      // time rather than never.
      return cache.get(`sync:${since}`, async (revision) => {
        const records = await repos.library.listChangedSince(since);
        const images = imagesBySlug(
          await repos.bankImages.listValidated(records.map((r) => r.slug)),
        );
        return {
          revision: Math.max(revision, ...records.map((r) => r.revision)),
          items: records.map((r: LibraryRecord): LibrarySyncEntry => ({
            slug: r.slug,
            kind: r.kind,
            crop: r.crop,
            name: r.name,
            scientificName: r.scientificName,
            lookAlikes: r.lookAlikes,
            factSheet: r.factSheet ? { fr: r.factSheet.fr, en: r.factSheet.en } : null,
            images: images.get(r.slug) ?? [],
            revision: r.revision,
            updatedAt: r.updatedAt,
          })),
        };
      });
    },
  };
}
export type LibraryService = ReturnType<typeof createLibraryService>;
