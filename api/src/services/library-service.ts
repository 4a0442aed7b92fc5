import { AppError } from '../errors';
import { imageUrl } from '../media/media-keys';
import type { Repositories } from '../repositories';
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
  const listCache = new Map<string, LibraryList>();
  // Single flight: requests arriving while a revision query is running share its answer rather
  // than queueing one query each (PGlite runs them one at a time on the event loop). Such an
  // answer is at most one query old, never older.
  let revisionInFlight: Promise<number> | null = null;
  function currentRevision(): Promise<number> {
    revisionInFlight ??= repos.library.currentRevision().finally(() => {
      revisionInFlight = null;
    });
    return revisionInFlight;
  }
  return {
    async list(lang: Language): Promise<LibraryList> {
      // Every change to what the list shows moves the library revision (entries are upserted
      // with a new revision, image validation touches its entry), so a list built for a
      // revision stays right until the revision moves. Keyed on the database's revision, the
      // cache stays coherent across several API instances.
      const revision = await currentRevision();
      const key = `${revision}:${lang}`;
      const cached = listCache.get(key);
      if (cached) return cached;
      const records = await repos.library.listSummaries();
      const list: LibraryList = {
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
      for (const k of listCache.keys()) if (!k.startsWith(`${revision}:`)) listCache.delete(k);
      listCache.set(key, list);
      return list;
    },

    async get(slug: string, lang: Language): Promise<LibraryEntry> {
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
    },

    async sync(since: number): Promise<LibrarySync> {
      // Revision read first: an entry changed meanwhile comes back next time rather than never.
      const revision = await repos.library.currentRevision();
      const records = await repos.library.listChangedSince(since);
      const images = imagesBySlug(await repos.bankImages.listValidated(records.map((r) => r.slug)));
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
    },
  };
}
export type LibraryService = ReturnType<typeof createLibraryService>;
