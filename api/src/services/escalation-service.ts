import '../lib/typebox-formats';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../errors';
import { imageUrl } from '../media/media-keys';
import type { MediaService } from '../media/media-service';
import type { ProcessedImage } from '../media/image-processor';
import { createRepositories, type Repositories } from '../repositories';
import type { EscalationRecord } from '../repositories/escalation-repository';
import type { Db } from '../db/types';
import type { User } from '../contract/user';
import {
  ESCALATION_LIMITS,
  EscalationCase,
  type AnswerBody,
  type Escalation,
  type EscalationStatus,
} from '../contract/escalation';

const STAFF_ROLES: ReadonlySet<User['role']> = new Set(['specialist', 'admin']);

export function isStaff(user: User): boolean {
  return STAFF_ROLES.has(user.role);
}

function canView(viewer: User, record: EscalationRecord): boolean {
  return record.userId === viewer.id || isStaff(viewer);
}

/** The exact field location is personal data: owner and lab staff only. */
function canSeeLocation(viewer: User, record: EscalationRecord): boolean {
  return record.userId === viewer.id || isStaff(viewer);
}

export function toEscalation(record: EscalationRecord, viewer: User): Escalation {
  return {
    id: record.id,
    clientId: record.clientId,
    status: record.status,
    crop: record.crop,
    description: record.description,
    prediction: record.prediction,
    location: canSeeLocation(viewer, record) ? record.location : null,
    regionCode: record.regionCode,
    profileKind: record.profileKind,
    contactPreference: record.contactPreference,
    photos: record.photos.map((p) => ({
      url: imageUrl(p.mediaKey, 'full'),
      thumbUrl: imageUrl(p.mediaKey, 'thumb'),
      width: p.width,
      height: p.height,
    })),
    answer: record.answer,
    history: record.history,
    createdAt: record.createdAt,
  };
}

/** Statuses from which a specialist may (re)answer. */
const ANSWERABLE: ReadonlySet<EscalationStatus> = new Set([
  'received',
  'in_review',
  'sample_requested',
  'answered',
]);

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
}) {
  const { db, repos, media } = deps;

  async function load(id: string, viewer: User): Promise<Escalation> {
    const record = await repos.escalations.findById(id);
    // Someone else's case is "not found", never "forbidden": no existence leak.
    if (!record || !canView(viewer, record)) throw new AppError('NOT_FOUND');
    return toEscalation(record, viewer);
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

      const existing = await repos.escalations.findIdByClientId(user.id, body.clientId);
      if (existing) return { escalation: await load(existing, user), created: false };

      if (input.photos.length < ESCALATION_LIMITS.minPhotos) throw new AppError('PHOTO_REQUIRED');
      if (input.photos.length > ESCALATION_LIMITS.maxPhotos) {
        throw new AppError('TOO_MANY_PHOTOS', undefined, { max: ESCALATION_LIMITS.maxPhotos });
      }

      const prediction = body.prediction ?? null;
      if (prediction) {
        const slugs = [...new Set(prediction.top.map((t) => t.slug))];
        const known = await repos.library.existingSlugs(slugs);
        const unknown = slugs.find((s) => !known.has(s));
        if (unknown !== undefined) throw new AppError('UNKNOWN_SLUG', 422, { slug: unknown });
      }

      // Sequential: bounds memory (one decoded photo at a time) for up to 5 large uploads.
      const processed: ProcessedImage[] = [];
      for (const photo of input.photos) processed.push(await media.process(photo));
      // Media first: files are content-addressed and idempotent, so a failed transaction only
      // leaves unreferenced files, never a case pointing at missing images.
      const stored = await Promise.all(processed.map((p) => media.save(p)));

      const id = await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        const newId = await r.escalations.insert({
          clientId: body.clientId,
          userId: user.id,
          crop: body.crop,
          description: body.description,
          prediction,
          location: body.location ?? null,
          regionCode: body.regionCode ?? null,
          profileKind: user.profileKind,
          contactPreference: body.contactPreference ?? null,
        });
        if (newId === null) return null;
        for (const [position, photo] of stored.entries()) {
          await r.escalations.insertPhoto(newId, position, {
            mediaKey: photo.key,
            sha256: photo.sha256,
            width: photo.width,
            height: photo.height,
          });
        }
        await r.escalations.insertHistory(newId, null, 'received', user.id);
        return newId;
      });
      if (id === null) {
        // Lost a race with an identical submission: answer with the winner.
        const winner = await repos.escalations.findIdByClientId(user.id, body.clientId);
        if (!winner) throw new Error('escalation vanished after unique conflict');
        return { escalation: await load(winner, user), created: false };
      }
      return { escalation: await load(id, user), created: true };
    },

    async list(viewer: User): Promise<Escalation[]> {
      const records = isStaff(viewer)
        ? await repos.escalations.listQueue()
        : await repos.escalations.listByOwner(viewer.id);
      return records.map((r) => toEscalation(r, viewer));
    },

    get: load,

    async answer(viewer: User, id: string, body: AnswerBody): Promise<Escalation> {
      if (!isStaff(viewer)) throw new AppError('FORBIDDEN');
      const known = await repos.library.existingSlugs([body.diagnosisSlug]);
      if (!known.has(body.diagnosisSlug)) {
        throw new AppError('UNKNOWN_SLUG', 422, { slug: body.diagnosisSlug });
      }
      await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        const from = await r.escalations.lockStatus(id);
        if (from === null) throw new AppError('NOT_FOUND');
        if (!ANSWERABLE.has(from)) {
          throw new AppError('INVALID_STATUS_TRANSITION', undefined, { from, to: 'answered' });
        }
        await r.escalations.upsertAnswer(id, viewer.id, body.diagnosisSlug, body.message);
        await r.escalations.setStatus(id, 'answered');
        await r.escalations.insertHistory(id, from, 'answered', viewer.id);
      });
      return load(id, viewer);
    },
  };
}
export type EscalationService = ReturnType<typeof createEscalationService>;
