import '../lib/typebox-formats';
import { Value } from '@sinclair/typebox/value';
import { AppError, rethrowAboutPhoto } from '../errors';
import { assertSafeJson } from '../lib/json-guards';
import type { MediaService } from '../media/media-service';
import { sha256Hex, type ProcessedImage } from '../media/image-processor';
import { decodeOwnerCursor, decodeQueueCursor, encodeCursor } from './page-cursors';
import { createRepositories, type Repositories } from '../repositories';
import type { EscalationRecord } from '../repositories/escalation-repository';
import type { Db } from '../db/types';
import type { User } from '../contract/user';
import {
  ESCALATION_LIMITS,
  EscalationCase,
  escalationPhotoUrls,
  OTHER_DIAGNOSIS,
  type Escalation,
  type EscalationList,
} from '../contract/escalation';
import type { EscalationQueueQuery } from '../contract/lab';
import { isOwnerOrStaff, isStaff } from './access';
import { OPEN_STATUSES } from './escalation-state-machine';
import type { LibraryService } from './library-service';
import { dueAt, type Commitment } from './service-commitment';
import { frenchFirstOfMonth } from '../i18n/french-spacing';

/** What the lab promises on every case: its response time, and where samples go. */
export interface LabTerms {
  commitment: Commitment;
  sampleAddress: string | null;
}

export function toEscalation(
  record: EscalationRecord,
  viewer: User,
  lab: LabTerms,
  now = new Date(),
  /** false in lists: staff see an exact location only in the case view, where it is logged. */
  staffSeesLocation = true,
): Escalation {
  const due = dueAt(record, lab.commitment);
  return {
    id: record.id,
    clientId: record.clientId,
    status: record.status,
    crop: record.crop,
    description: record.description,
    prediction: record.prediction,
    // The exact field location is personal data: owner and lab staff only.
    location:
      viewer.id === record.userId || (staffSeesLocation && isOwnerOrStaff(viewer, record.userId))
        ? record.location
        : null,
    regionCode: record.regionCode,
    profileKind: record.profileKind,
    contactPreference: record.contactPreference,
    contactPhone: record.contactPhone,
    requesterLanguage: record.ownerLanguage,
    // Private URLs (owner and staff only), never the public /images/ of the bank.
    photos: record.photos.map((p, position) => ({
      ...escalationPhotoUrls(record.id, position),
      width: p.width,
      height: p.height,
    })),
    answer: record.answer && {
      ...record.answer,
      diagnosisSlug: record.answer.diagnosisSlug ?? OTHER_DIAGNOSIS,
    },
    history: record.history,
    createdAt: record.createdAt,
    consentPhotoReuse: record.consentPhotoReuse,
    caseRef: record.caseRef,
    sampleInstructions: record.sampleInstructions,
    sampleAddress: record.status === 'sample_requested' ? lab.sampleAddress : null,
    assignee: record.assignee,
    replyWaitingSince: record.replyWaitingSince,
    dueAt: due?.toISOString() ?? null,
    overdue: due !== null && due.getTime() < now.getTime(),
    rating: record.rating,
  };
}

/**
 * A client's own cases per page by default: what a device mirrors for offline reading (with
 * their photos), the older ones on request.
 */
const OWN_CASES_PAGE = 50;

/** `value`: the raw text of the `case` field, or already parsed when sent as application/json. */
function parseCase(value: unknown): EscalationCase {
  if (value === undefined || value === null) throw new AppError('INVALID_CASE');
  let json: unknown = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch {
      throw new AppError('INVALID_CASE');
    }
  }
  // NUL characters and hostile nesting are refused before validation and the database.
  assertSafeJson(json);
  if (!Value.Check(EscalationCase, json)) {
    const details = [...Value.Errors(EscalationCase, json)]
      .slice(0, 10)
      .map((e) => ({ path: e.path || '/', message: e.message }));
    throw new AppError('INVALID_CASE', undefined, {}, details);
  }
  return json;
}

export function createEscalationService(deps: {
  db: Db;
  repos: Repositories;
  media: MediaService;
  commitment: Commitment;
  /** LAB_SAMPLE_ADDRESS, given with each sample request. */
  sampleAddress: string | null;
  caseRateLimit: { max: number; windowHours: number };
  /** Which prediction slugs exist (answered from the library cache). */
  library: Pick<LibraryService, 'existingSlugs'>;
}) {
  const { db, repos, media, caseRateLimit, library } = deps;
  const lab: LabTerms = { commitment: deps.commitment, sampleAddress: deps.sampleAddress };

  /**
   * `staffSeesLocation`: true only for the case view (GET /api/escalations/:id), which logs the
   * look for the owner; the lab's actions answer without the exact location.
   */
  async function load(id: string, viewer: User, staffSeesLocation = true): Promise<Escalation> {
    const record = await repos.escalations.findById(id);
    // Someone else's case is "not found", never "forbidden": no existence leak.
    if (!record || !isOwnerOrStaff(viewer, record.userId)) throw new AppError('NOT_FOUND');
    return toEscalation(record, viewer, lab, new Date(), staffSeesLocation);
  }

  const guardsFor = (r: Repositories, userId: string, clientId: string, sha256s: string[]) =>
    r.escalations.creationGuards({
      userId,
      clientId,
      sha256s,
      openStatuses: OPEN_STATUSES,
      windowHours: caseRateLimit.windowHours,
    });

  /**
   * Guards against drowning the lab: the same photos as an open case → 409 DUPLICATE_CASE (the
   * producer should add to that case); more than the allowed new cases in the window → 429
   * CASE_RATE_LIMITED.
   */
  function assertMayCreate(guards: Awaited<ReturnType<typeof guardsFor>>): void {
    const duplicate = guards.duplicate;
    if (duplicate) {
      // Named as the person knows it (their crop, the day they sent it), not by a raw id; the
      // id is in the details for the app's link to it.
      const timeZone = lab.commitment.calendar.timeZone;
      const day = (locale: string) =>
        new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(
          duplicate.createdAt,
        );
      // French writes the first of the month as an ordinal: « 1er décembre », as the PWA does.
      const dayFr = frenchFirstOfMonth(day('fr-CA'));
      throw new AppError(
        'DUPLICATE_CASE',
        undefined,
        {
          crop: duplicate.crop,
          date: { fr: dayFr, en: day('en-CA') },
          ref: duplicate.caseRef ? ` · ${duplicate.caseRef}` : '',
        },
        [{ path: 'existingCaseId', message: duplicate.id }],
      );
    }
    if (guards.createdInWindow >= caseRateLimit.max) {
      throw new AppError('CASE_RATE_LIMITED', undefined, {
        max: caseRateLimit.max,
        hours: caseRateLimit.windowHours,
      });
    }
  }

  return {
    /**
     * Creates a case from the multipart parts. Idempotent per (user, clientId): a repeat returns
     * the existing case with created=false, also when two copies race (unique constraint).
     * Everything is validated before anything is written; the rows go in one transaction.
     */
    async create(
      user: User,
      input: { caseValue: unknown; photos: Buffer[] },
    ): Promise<{ escalation: Escalation; created: boolean }> {
      const body = parseCase(input.caseValue);
      // Minimum data: a number only where the client asked to be called, and then it is needed.
      const contactPhone =
        body.contactPreference === 'phone' ? (body.contactPhone?.trim() ?? null) : null;
      if (body.contactPreference === 'phone' && !contactPhone) throw new AppError('PHONE_REQUIRED');
      const answerExisting = async (id: string) => ({
        escalation: await load(id, user),
        created: false,
      });

      // Hashes of the original bytes (= media keys): cheap, so checked before any decoding.
      const sha256s = input.photos.map(sha256Hex);
      // Early answer, before the costly decoding: a resubmission, a duplicate, too many cases.
      // Not under the lock (nothing is written yet): the transaction below checks again.
      const early = await guardsFor(repos, user.id, body.clientId, sha256s);
      if (early.existingId) return answerExisting(early.existingId);
      if (input.photos.length < ESCALATION_LIMITS.minPhotos) throw new AppError('PHOTO_REQUIRED');
      if (input.photos.length > ESCALATION_LIMITS.maxPhotos) {
        throw new AppError('TOO_MANY_PHOTOS', undefined, { max: ESCALATION_LIMITS.maxPhotos });
      }
      assertMayCreate(early);

      const prediction = body.prediction ?? null;
      if (prediction) {
        const slugs = [...new Set(prediction.top.map((t) => t.slug))];
        const known = await library.existingSlugs(slugs);
        const unknown = slugs.find((s) => !known.has(s));
        if (unknown !== undefined) throw new AppError('UNKNOWN_SLUG', 422, { slug: unknown });
      }

      // Sequential: bounds memory (one decoded photo at a time) for up to 5 large uploads.
      const processed: ProcessedImage[] = [];
      for (const [i, photo] of input.photos.entries()) {
        processed.push(await media.process(photo, sha256s[i]).catch(rethrowAboutPhoto(i + 1)));
      }
      // Media first: files are content-addressed and idempotent, so a failed transaction only
      // leaves unreferenced files, never a case pointing at missing images.
      const stored = await Promise.all(processed.map((p) => media.save(p)));

      const created = await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        // Serialises this user's creations: the rate limit and duplicate checks are exact.
        await r.escalations.lockUser(user.id);
        // Checked again under the lock: media processing took time, another case may have landed.
        const guards = await guardsFor(r, user.id, body.clientId, sha256s);
        // A resubmission that raced us is answered with the case it made.
        if (guards.existingId) return { existingId: guards.existingId, record: null };
        assertMayCreate(guards);
        const record = await r.escalations.insert(
          {
            clientId: body.clientId,
            userId: user.id,
            crop: body.crop,
            description: body.description,
            prediction,
            location: body.location ?? null,
            regionCode: body.regionCode ?? null,
            profileKind: user.profileKind,
            contactPreference: body.contactPreference ?? null,
            contactPhone,
            consentPhotoReuse: body.consentPhotoReuse ?? false,
          },
          stored.map((p) => ({ ...p, mediaKey: p.key })),
        );
        return record && { existingId: null, record };
      });
      if (created === null) {
        // Lost a race with an identical submission: answer with the winner.
        const winner = await repos.escalations.findIdByClientId(user.id, body.clientId);
        if (!winner) throw new Error('escalation vanished after unique conflict');
        return answerExisting(winner);
      }
      if (created.record === null) return answerExisting(created.existingId);
      return { escalation: toEscalation(created.record, user, lab), created: true };
    },

    async list(viewer: User, filters: EscalationQueueQuery = {}): Promise<EscalationList> {
      const { cursor, limit, mine, ...query } = filters;
      if (!isStaff(viewer) || mine === true) {
        const own = await repos.escalations.listByOwner(viewer.id, query, {
          limit: limit ?? OWN_CASES_PAGE,
          after: cursor === undefined ? null : decodeOwnerCursor(cursor),
        });
        return {
          items: own.records.map((r) => toEscalation(r, viewer, lab)),
          nextCursor: own.next && encodeCursor(own.next),
        };
      }
      const after = cursor === undefined ? null : decodeQueueCursor(cursor);
      const [page, counts] = await Promise.all([
        repos.escalations.listQueue(query, { limit, after }),
        repos.escalations.countByStatus(query),
      ]);
      const now = new Date();
      return {
        items: page.records.map((r) => toEscalation(r, viewer, lab, now, false)),
        counts,
        nextCursor: page.next && encodeCursor(page.next),
      };
    },

    get: load,

    /** Base media key of a case photo, for the owner and staff only (404 for anyone else). */
    async photoKey(viewer: User | null, id: string, index: number): Promise<string> {
      if (!viewer) throw new AppError('NOT_FOUND');
      const photo = await repos.escalations.findPhoto(id, index);
      if (!photo || !isOwnerOrStaff(viewer, photo.ownerId)) throw new AppError('NOT_FOUND');
      return photo.mediaKey;
    },
  };
}
export type EscalationService = ReturnType<typeof createEscalationService>;
