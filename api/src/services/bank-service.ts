import '../lib/typebox-formats';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../errors';
import type { MediaService } from '../media/media-service';
import type { ProcessedImage } from '../media/image-processor';
import { createRepositories, type Repositories } from '../repositories';
import type { SubmissionRecord } from '../repositories/bank-submission-repository';
import type { Db } from '../db/types';
import type { User } from '../contract/user';
import {
  BANK_SUBMISSION_LIMITS,
  BankSubmissionMeta,
  type BankImageStatus,
  type BankSubmission,
  type BankSubmissionCreated,
  type ProposedClass,
  type PhotoReuseResult,
  type ToBankResult,
  type TrainingRequestList,
} from '../contract/bank';
import { OTHER_DIAGNOSIS } from '../contract/escalation';
import { PRODUCER_CONSENT_LICENCE } from '../contract/library';
import { MIN_TRAINING_IMAGES_PER_CLASS } from '../contract/training';
import { assertSafeJson } from '../lib/json-guards';
import { cropKey } from '../lib/crop-key';
import { nameKey } from '../lib/name-key';
import { isOwnerOrStaff, isStaff } from './access';

/** Credit of producer photos added to the bank with their consent (licence: PRODUCER_CONSENT_LICENCE). */
const PRODUCER_CREDIT = 'Producteur·rice Phytodiag (photo partagée avec consentement)';

/** Private URL of a submitted image: pending ones are not public (/images/ serves validated). */
export function bankImageUrls(imageId: string) {
  const url = `/api/bank/images/${imageId}`;
  return { url, thumbUrl: `${url}?size=thumb` };
}

/**
 * The library entry a proposed class would duplicate: the same slug, or the same name in either
 * language. Two classes for one crop enemy would split its photos between them and teach the
 * model a distinction that does not exist.
 */
async function duplicateOf(repos: Repositories, p: ProposedClass) {
  const fr = nameKey(p.nameFr);
  const en = nameKey(p.nameEn);
  const entries = await repos.library.names();
  return (
    entries.find(
      (e) => e.slug === p.slug || nameKey(e.name.fr) === fr || nameKey(e.name.en) === en,
    ) ?? null
  );
}

/**
 * A proposed class's crop in both languages: the proposer types it once, in the language they
 * use; when the library already names that crop (« Pomme de terre » or « potato »), the new
 * entry takes both of its names, so an English reader does not see the French one.
 */
async function cropOf(repos: Repositories, typed: string): Promise<{ fr: string; en: string }> {
  const key = cropKey(typed);
  const known = (await repos.library.cropNames()).find(
    (c) => cropKey(c.fr) === key || cropKey(c.en) === key,
  );
  const tidy = typed.replace(/\s+/g, ' ').trim();
  return known ?? { fr: tidy, en: tidy };
}

function submissionStatus(images: { status: BankImageStatus }[]): BankImageStatus {
  if (images.some((i) => i.status === 'pending')) return 'pending';
  return images.some((i) => i.status === 'validated') ? 'validated' : 'rejected';
}

function toSubmission(s: SubmissionRecord): BankSubmission {
  return {
    id: s.id,
    status: submissionStatus(s.images),
    classSlug: s.classSlug,
    proposedClass: s.proposedClass,
    crop: s.crop,
    date: s.date,
    regionCode: s.regionCode,
    authorCredit: s.authorCredit,
    licence: s.licence,
    submitter: { id: s.submitterId, name: s.submitterName },
    images: s.images.map((i) => ({
      id: i.id,
      status: i.status,
      ...bankImageUrls(i.id),
      width: i.width,
      height: i.height,
      rejectReason: i.rejectReason,
      withdrawnAt: i.withdrawnAt,
    })),
    createdAt: s.createdAt,
  };
}

/**
 * Photo ids named in a review must be this submission's: another's (or a made-up one) is a 404,
 * not a silent success that decided nothing. An image already decided is left as it is (a second
 * curator's click, or a double click) and the answer shows its status.
 */
function assertImagesOf(s: SubmissionRecord, imageIds: readonly string[] | null): void {
  if (imageIds?.some((i) => !s.images.some((image) => image.id === i))) {
    throw new AppError('NOT_FOUND');
  }
}

function parseMeta(value: unknown): BankSubmissionMeta {
  let json: unknown = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw new AppError('INVALID_SUBMISSION');
    }
  }
  // NUL characters, lone surrogates and hostile nesting, as for every JSON body.
  assertSafeJson(json);
  if (value === undefined || !Value.Check(BankSubmissionMeta, json)) {
    const details =
      value === undefined
        ? undefined
        : [...Value.Errors(BankSubmissionMeta, json)]
            .slice(0, 10)
            .map((e) => ({ path: e.path || '/', message: e.message }));
    throw new AppError('INVALID_SUBMISSION', undefined, {}, details);
  }
  if ((json.classSlug === undefined) === (json.proposedClass === undefined)) {
    throw new AppError('INVALID_SUBMISSION', undefined, {}, [
      { path: '/classSlug', message: 'exactly one of classSlug or proposedClass' },
    ]);
  }
  return json;
}

/**
 * After a person's case photos left the bank (a withdrawn consent, a deleted account), in the same
 * transaction: the library entries that showed them get a new revision (devices drop them), and a
 * retraining is queued so the next model is trained without them. It names no requester: a
 * producer's withdrawal is not lab work, and would keep their account row (anonymised, not
 * deleted) if they later delete it (hasLabRecords). The retraining request's id, or null.
 */
export async function afterCasePhotosLeftBank(
  r: Repositories,
  slugs: readonly string[],
  reason: string,
): Promise<string | null> {
  if (slugs.length === 0) return null;
  for (const slug of new Set(slugs)) await r.library.touch(slug);
  return r.trainingRequests.enqueue(reason, { added: 0, removed: slugs.length }, null);
}

/**
 * The image bank fed by the field: agronomists submit photos (pending), curators (specialists,
 * admins) validate or reject them; only validated images reach the library and the training
 * set, and each validation queues a retraining request.
 */
export function createBankService(deps: {
  db: Db;
  repos: Repositories;
  media: MediaService;
  /** Called after a committed change to the library (see library-service.ts). */
  onLibraryChanged: () => void;
}) {
  const { db, repos, media, onLibraryChanged } = deps;

  async function getVisible(viewer: User, id: string): Promise<BankSubmission> {
    const [found] = await repos.bankSubmissions.list({ id });
    if (!found || !isOwnerOrStaff(viewer, found.submitterId)) {
      throw new AppError('NOT_FOUND');
    }
    return toSubmission(found);
  }

  return {
    /** Photos are already decoded and normalised (EXIF stripped) by the caller's media.process. */
    /**
     * Idempotent per (submitter, clientId) when the client sends one: a resend (a queued upload
     * whose first answer was lost) returns the submission it made with created=false, also when
     * the two copies race (unique constraint), and writes nothing.
     */
    async submit(
      viewer: User,
      input: { metaValue: unknown; photos: ProcessedImage[] },
    ): Promise<{ submission: BankSubmissionCreated; created: boolean }> {
      const meta = parseMeta(input.metaValue);
      const clientId = meta.clientId ?? null;
      const answerExisting = async (id: string) => {
        // The photos it left out are those of the first copy: the same numbers, sent again.
        const kept = await repos.bankSubmissions.keptPositions(id);
        const alreadyInBank = input.photos.map((_, i) => i + 1).filter((n) => !kept.has(n));
        return { submission: { ...(await getVisible(viewer, id)), alreadyInBank }, created: false };
      };
      if (clientId !== null) {
        const existing = await repos.bankSubmissions.findIdByClientId(viewer.id, clientId);
        if (existing !== null) return answerExisting(existing);
      }
      if (input.photos.length < BANK_SUBMISSION_LIMITS.minPhotos) {
        throw new AppError('PHOTO_REQUIRED');
      }
      if (input.photos.length > BANK_SUBMISSION_LIMITS.maxPhotos) {
        throw new AppError('TOO_MANY_PHOTOS', undefined, { max: BANK_SUBMISSION_LIMITS.maxPhotos });
      }
      if (meta.classSlug !== undefined) {
        const known = await repos.library.existingSlugs([meta.classSlug]);
        if (!known.has(meta.classSlug)) {
          throw new AppError('UNKNOWN_SLUG', 422, { slug: meta.classSlug });
        }
      }
      if (meta.proposedClass) {
        const p = meta.proposedClass;
        const existing =
          p.slug === OTHER_DIAGNOSIS
            ? { name: { fr: p.nameFr, en: p.nameEn } }
            : await duplicateOf(repos, p);
        if (existing) {
          throw new AppError('CLASS_EXISTS', undefined, {
            nameFr: existing.name.fr,
            nameEn: existing.name.en,
          });
        }
      }
      // A photo already in the bank (or twice in this batch) is left out and reported, not a
      // reason to refuse the batch: the rest came up a slow field connection.
      const inBank = await repos.bankSubmissions.existingSha256(input.photos.map((p) => p.sha256));
      const seen = new Set<string>();
      const alreadyInBank: number[] = [];
      const fresh: { photo: ProcessedImage; number: number }[] = [];
      for (const [i, photo] of input.photos.entries()) {
        if (inBank.has(photo.sha256) || seen.has(photo.sha256)) alreadyInBank.push(i + 1);
        else fresh.push({ photo, number: i + 1 });
        seen.add(photo.sha256);
      }
      if (fresh.length === 0) throw new AppError('IMAGE_ALREADY_IN_BANK');
      const stored = await Promise.all(
        fresh.map(async ({ photo, number }) => ({ number, saved: await media.save(photo) })),
      );
      const record = {
        submitterId: viewer.id,
        clientId,
        classSlug: meta.classSlug ?? null,
        proposedClass: meta.proposedClass ?? null,
        crop: meta.crop,
        date: meta.date ?? null,
        regionCode: meta.regionCode ?? null,
        authorCredit: meta.authorCredit,
        licence: meta.licence,
      };
      const id = await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        const sid = await r.bankSubmissions.insert(record);
        // A copy with the same clientId landed since the check above: it is the submission.
        if (sid === null) return null;
        let added = 0;
        for (const { number, saved } of stored) {
          const ok = await r.bankSubmissions.insertImage(sid, record, {
            mediaKey: saved.key,
            sha256: saved.sha256,
            width: saved.width,
            height: saved.height,
            position: number,
          });
          // Lost a race with another upload of the same photo since the check above.
          if (ok) added += 1;
          else alreadyInBank.push(number);
        }
        if (added === 0) throw new AppError('IMAGE_ALREADY_IN_BANK');
        return sid;
      });
      if (id === null) {
        const winner =
          clientId && (await repos.bankSubmissions.findIdByClientId(viewer.id, clientId));
        if (!winner) throw new Error('bank submission vanished after unique conflict');
        return answerExisting(winner);
      }
      const submission = await getVisible(viewer, id);
      return {
        submission: { ...submission, alreadyInBank: alreadyInBank.sort((a, b) => a - b) },
        created: true,
      };
    },

    async list(
      viewer: User,
      filter: { status?: BankImageStatus; mine?: boolean },
    ): Promise<BankSubmission[]> {
      const records = await repos.bankSubmissions.list({
        status: filter.status,
        submitterId: isStaff(viewer) && filter.mine !== true ? undefined : viewer.id,
      });
      return records.map(toSubmission);
    },

    get: getVisible,

    /**
     * Validates pending images (all or some). A proposed class becomes a library entry first
     * (no fact sheet yet). The library revision moves so offline clients fetch the new
     * reference photos, and a retraining request is queued.
     */
    async validate(viewer: User, id: string, imageIds: string[] | null): Promise<BankSubmission> {
      await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        if (!(await r.bankSubmissions.lock(id))) throw new AppError('NOT_FOUND');
        const [s] = await r.bankSubmissions.list({ id });
        if (!s) throw new AppError('NOT_FOUND');
        assertImagesOf(s, imageIds);
        let slug = s.classSlug;
        if (slug === null && s.proposedClass) {
          const p = s.proposedClass;
          // The same class may have been proposed under another slug and validated since, or
          // be being validated right now.
          await r.library.lockNewClasses();
          const existing = await duplicateOf(r, p);
          slug = existing?.slug ?? p.slug;
          if (!existing) {
            await r.library.upsert({
              slug: p.slug,
              kind: p.kind,
              crop: await cropOf(r, p.crop),
              name: { fr: p.nameFr, en: p.nameEn },
              scientificName: null,
              factSheet: null,
              lookAlikes: [],
            });
          }
          await r.bankSubmissions.attachClass(id, slug);
        }
        const changed = await r.bankSubmissions.review(
          id,
          { status: 'validated', reason: null, reviewerId: viewer.id },
          imageIds,
        );
        if (changed > 0 && slug !== null) {
          await r.library.touch(slug);
          await r.trainingRequests.enqueue(
            `bank images validated (${slug})`,
            { added: changed, removed: 0 },
            viewer.id,
          );
        }
      });
      onLibraryChanged();
      return getVisible(viewer, id);
    },

    async reject(
      viewer: User,
      id: string,
      reason: string,
      imageIds: string[] | null,
    ): Promise<BankSubmission> {
      await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        if (!(await r.bankSubmissions.lock(id))) throw new AppError('NOT_FOUND');
        const [s] = await r.bankSubmissions.list({ id });
        if (!s) throw new AppError('NOT_FOUND');
        assertImagesOf(s, imageIds);
        await r.bankSubmissions.review(
          id,
          { status: 'rejected', reason, reviewerId: viewer.id },
          imageIds,
        );
      });
      return getVisible(viewer, id);
    },

    /**
     * Takes validated photos of a submission back out of the bank — a mislabelled batch found
     * after its validation would otherwise stay in every later training, and the gate would keep
     * refusing the models trained on it. They leave the library's reference photos; the reason
     * reaches their author; a retraining is queued so the served model stops being the one
     * trained on them. Photos not (or no longer) validated are left as they are.
     */
    async withdraw(
      viewer: User,
      id: string,
      reason: string,
      imageIds: string[] | null,
    ): Promise<BankSubmission> {
      const slugs = await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        if (!(await r.bankSubmissions.lock(id))) throw new AppError('NOT_FOUND');
        const [s] = await r.bankSubmissions.list({ id });
        if (!s) throw new AppError('NOT_FOUND');
        assertImagesOf(s, imageIds);
        const changed = await r.bankSubmissions.withdraw(
          id,
          { reason, reviewerId: viewer.id },
          imageIds,
        );
        const classes = [...new Set(changed)];
        for (const slug of classes) await r.library.touch(slug);
        if (classes.length > 0) {
          await r.trainingRequests.enqueue(
            `bank images withdrawn (${classes.join(', ')})`,
            { added: 0, removed: changed.length },
            viewer.id,
          );
        }
        return classes;
      });
      if (slugs.length > 0) onLibraryChanged();
      return getVisible(viewer, id);
    },

    /**
     * The photos of an answered case join the bank as validated images of the diagnosed class,
     * only if the producer consented when creating the case.
     */
    async escalationToBank(viewer: User, escalationId: string): Promise<ToBankResult> {
      const result = await db.transaction(async (tx): Promise<ToBankResult> => {
        const r = createRepositories(tx);
        const locked = await r.escalations.lockCase(escalationId);
        if (!locked) throw new AppError('NOT_FOUND');
        const record = await r.escalations.findById(escalationId);
        if (!record) throw new AppError('NOT_FOUND');
        if (!record.answer || (record.status !== 'answered' && record.status !== 'closed')) {
          throw new AppError('NOT_ANSWERED_YET');
        }
        if (!record.consentPhotoReuse) throw new AppError('NO_PHOTO_REUSE_CONSENT');
        const slug = record.answer.diagnosisSlug;
        if (slug === null) throw new AppError('NO_LIBRARY_DIAGNOSIS');
        const photos = await r.escalations.photosOf(escalationId);
        const added = await r.bankSubmissions.insertFromEscalation(
          escalationId,
          slug,
          viewer.id,
          photos,
          PRODUCER_CREDIT,
          PRODUCER_CONSENT_LICENCE,
        );
        let trainingRequestId: string | null = null;
        if (added > 0) {
          await r.library.touch(slug);
          trainingRequestId = await r.trainingRequests.enqueue(
            `case photos added to the bank (${slug})`,
            { added, removed: 0 },
            viewer.id,
          );
        }
        return { classSlug: slug, added, alreadyInBank: photos.length - added, trainingRequestId };
      });
      if (result.added > 0) onLibraryChanged();
      return result;
    },

    /**
     * The owner of a case gives or withdraws the photo-reuse consent (Law 25: a consent can be
     * withdrawn as easily as it was given). Withdrawn after the lab put the photos in the bank,
     * they leave it — the library's reference photos and the next training — and a retraining is
     * queued so the served model stops being the one trained on them.
     */
    async setPhotoReuse(
      viewer: User,
      escalationId: string,
      consent: boolean,
    ): Promise<PhotoReuseResult> {
      const result = await db.transaction(async (tx): Promise<PhotoReuseResult> => {
        const r = createRepositories(tx);
        const locked = await r.escalations.lockCase(escalationId);
        // As for a rating: staff see the case but only its owner decides; others do not see it.
        if (!locked || !isOwnerOrStaff(viewer, locked.userId)) throw new AppError('NOT_FOUND');
        if (locked.userId !== viewer.id) throw new AppError('FORBIDDEN');
        await r.escalations.setConsentPhotoReuse(escalationId, consent);
        const slugs = consent ? [] : await r.bankSubmissions.deleteFromEscalation(escalationId);
        const trainingRequestId = await afterCasePhotosLeftBank(
          r,
          slugs,
          'case photos withdrawn from the bank by their owner',
        );
        return { consentPhotoReuse: consent, removedFromBank: slugs.length, trainingRequestId };
      });
      if (result.removedFromBank > 0) onLibraryChanged();
      return result;
    },

    async trainingRequests(): Promise<TrainingRequestList> {
      return {
        items: await repos.trainingRequests.list(),
        waitingClasses: await repos.trainingRequests.classesBelow(MIN_TRAINING_IMAGES_PER_CLASS),
        minimumImages: MIN_TRAINING_IMAGES_PER_CLASS,
      };
    },

    /** Media key of a submitted image for curators and its submitter (404 for anyone else). */
    async imageKey(viewer: User, imageId: string): Promise<string> {
      const img = await repos.bankSubmissions.findImage(imageId);
      if (!img || !isOwnerOrStaff(viewer, img.submitterId)) {
        throw new AppError('NOT_FOUND');
      }
      return img.mediaKey;
    },
  };
}
export type BankService = ReturnType<typeof createBankService>;
