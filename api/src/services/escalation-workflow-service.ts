import { AppError, rethrowAboutPhoto } from '../errors';
import type { MediaService } from '../media/media-service';
import type { ProcessedImage } from '../media/image-processor';
import { createRepositories, type Repositories } from '../repositories';
import type { MessageRecord } from '../repositories/escalation-message-repository';
import type { WeekRange } from '../repositories/indicators-repository';
import type { Db, Queryable } from '../db/types';
import type { ProfileKind, User } from '../contract/user';
import {
  OTHER_DIAGNOSIS,
  type AnswerBody,
  type Escalation,
  type EscalationStatus,
  type Prediction,
} from '../contract/escalation';
import {
  MESSAGE_LIMITS,
  type AgreementStats,
  type EscalationMessage,
  type RatingBody,
  type SampleRequestBody,
  type CloseBody,
} from '../contract/lab';
import { assertTransition } from './escalation-state-machine';
import { isOwnerOrStaff, isStaff } from './access';
import type { EscalationService } from './escalation-service';
import type { DetectionService } from './detection-service';
import type { CaseNews } from './case-update-mail';

/** Whether the on-device prediction agreed with the specialist (null: nothing to compare). */
export function agreement(
  prediction: Prediction | null,
  slug: string | null,
): { top1: boolean | null; top3: boolean | null } {
  if (!prediction || slug === null || prediction.top.length === 0) {
    return { top1: null, top3: null };
  }
  const ranked = [...prediction.top].sort((a, b) => b.p - a.p).map((t) => t.slug);
  return { top1: ranked[0] === slug, top3: ranked.slice(0, 3).includes(slug) };
}

/** Private URL of a thread photo (owner and staff only, like the case photos). */
export function messagePhotoUrls(escalationId: string, messageId: string, position: number) {
  const url = `/api/escalations/${escalationId}/messages/${messageId}/photos/${position}`;
  return { url, thumbUrl: `${url}?size=thumb` };
}

function toMessage(m: MessageRecord, escalationId: string, ownerId: string): EscalationMessage {
  return {
    id: m.id,
    body: m.body,
    author: m.author,
    fromOwner: m.author.id === ownerId,
    photos: m.photos.map((p, position) => ({
      ...messagePhotoUrls(escalationId, m.id, position),
      width: p.width,
      height: p.height,
    })),
    createdAt: m.createdAt,
    writtenAt: m.writtenAt,
  };
}

/** A device's « written at » is kept when believable: not ahead of now, at most 30 days back. */
const WRITTEN_AT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** A device clock a little ahead (minutes) is still its message's time (the insert caps it at now). */
const WRITTEN_AT_SKEW_MS = 5 * 60 * 1000;
function believableWrittenAt(writtenAt: string | null | undefined, now = Date.now()) {
  const t = writtenAt ? Date.parse(writtenAt) : NaN;
  if (!Number.isFinite(t) || t > now + WRITTEN_AT_SKEW_MS || t < now - WRITTEN_AT_MAX_AGE_MS)
    return null;
  return new Date(t);
}

/**
 * The lab side of a case once it exists: claim, answer, sample request/reception, close, the
 * message thread, the owner's rating and notifications. Every status change goes through the
 * state machine under a row lock and is written to the history with its actor.
 */
export function createEscalationWorkflowService(deps: {
  db: Db;
  repos: Repositories;
  media: MediaService;
  escalations: EscalationService;
  detections: DetectionService;
  /** After a library diagnosis has COMMITTED (alerts); must not throw. */
  afterConfirmedAnswer?: (escalationId: string) => Promise<void>;
  /**
   * After a notification of the owner has COMMITTED, when it was the case's first unread one
   * (the e-mail, case-update-mail.ts); must not throw.
   */
  afterOwnerNotified?: (escalationId: string, news: CaseNews) => Promise<void>;
  /** A requester's messages in one case per window; the lab's are not limited. */
  messageRateLimit: { max: number; windowHours: number };
}) {
  const { db, repos, media, escalations, detections, afterConfirmedAnswer, messageRateLimit } =
    deps;

  /**
   * Notifies the owner inside the caller's transaction; returns the news to e-mail once it has
   * committed, or null when an earlier notification of the case is still unread.
   */
  async function notifyOwner(
    r: Repositories,
    ownerId: string,
    id: string,
    news: CaseNews,
  ): Promise<CaseNews | null> {
    return (await r.notifications.insert(ownerId, id, news)) ? news : null;
  }

  /** Owner or staff may see the case; anyone else gets 404 (no existence leak). */
  async function access(
    viewer: User,
    id: string,
  ): Promise<{ ownerId: string; status: EscalationStatus }> {
    const found = await repos.escalations.ownerAndStatus(id);
    if (!found || !isOwnerOrStaff(viewer, found.userId)) {
      throw new AppError('NOT_FOUND');
    }
    return { ownerId: found.userId, status: found.status };
  }

  /**
   * Whether the owner's message may reopen this closed case, and to which status: the one it was
   * closed from. The staff write on open cases only; a case closed with no response from the lab
   * (withdrawn, or closed with a reason) or too long ago calls for a new request.
   */
  async function reopenable(
    r: Repositories,
    viewer: User,
    ownerId: string,
    id: string,
  ): Promise<EscalationStatus> {
    if (viewer.id !== ownerId) throw new AppError('CASE_CLOSED');
    const closing = await r.escalations.lastClosing(id);
    if (!closing || !(await r.escalations.hasResponded(id))) {
      throw new AppError('CASE_CLOSED_UNANSWERED');
    }
    const days = (Date.now() - closing.at.getTime()) / (24 * 3600 * 1000);
    if (days > MESSAGE_LIMITS.reopenDays) {
      throw new AppError('CASE_CLOSED_TOO_LONG', undefined, { days: MESSAGE_LIMITS.reopenDays });
    }
    return closing.from;
  }

  /** In the message's transaction: a closed case goes back to where it was, by its owner. */
  async function reopenIfClosed(r: Repositories, viewer: User, ownerId: string, id: string) {
    const current = await r.escalations.lockCase(id);
    if (!current) throw new AppError('NOT_FOUND');
    if (current.status !== 'closed') return;
    const to = await reopenable(r, viewer, ownerId, id);
    await r.escalations.reopen(id, to);
    await r.escalations.insertHistory(id, 'closed', to, viewer.id);
  }

  async function notifications(viewer: User) {
    const [unread, items] = await Promise.all([
      repos.notifications.countUnread(viewer.id),
      repos.notifications.list(viewer.id),
    ]);
    return { unread, items };
  }

  /**
   * Locks the case, checks the transition, runs `apply`, then records the status and history.
   * `notify`: a notification for the owner, in the same transaction.
   */
  async function transition(
    viewer: User,
    id: string,
    to: EscalationStatus,
    options: {
      allowOwner?: boolean;
      notify?: CaseNews;
      /**
       * Lab work that belongs to whoever claimed the case (answer, sample request): refused with
       * CASE_CLAIMED when a colleague holds it, unless the viewer takes it over.
       */
      claimed?: { takeOver: boolean };
      /** Returns the news to e-mail the owner of, when it notified them (notifyOwner). */
      apply?: (
        tx: Repositories,
        current: { caseRef: string | null; userId: string; status: EscalationStatus },
      ) => Promise<CaseNews | null | void>;
    } = {},
  ): Promise<Escalation> {
    const mail = await db.transaction(async (tx: Queryable) => {
      const r = createRepositories(tx);
      const current = await r.escalations.lockCase(id);
      const isOwner = current?.userId === viewer.id;
      if (!current || !isOwnerOrStaff(viewer, current.userId)) throw new AppError('NOT_FOUND');
      if (!isStaff(viewer) && !(options.allowOwner && isOwner)) throw new AppError('FORBIDDEN');
      assertTransition(current.status, to);
      if (options.claimed) {
        assertNotClaimedByOther(viewer, current.claimedBy, options.claimed.takeOver);
        await r.escalations.setClaimedBy(id, viewer.id);
      }
      const applied = await options.apply?.(r, current);
      await r.escalations.setStatus(id, to);
      if (isStaff(viewer) && !isOwner) await r.escalations.setReplyWaiting(id, false);
      await r.escalations.insertHistory(id, current.status, to, viewer.id);
      if (options.notify && !isOwner) {
        return notifyOwner(r, current.userId, id, options.notify);
      }
      return applied ?? null;
    });
    if (mail) await deps.afterOwnerNotified?.(id, mail);
    // Without the exact location: only the logged case view discloses it to the lab.
    return escalations.get(id, viewer, false);
  }

  /** Two specialists must not answer one case unknowingly: the second is told who holds it. */
  function assertNotClaimedByOther(
    viewer: User,
    claimedBy: { id: string; name: string | null } | null,
    takeOver: boolean,
  ): void {
    if (claimedBy && claimedBy.id !== viewer.id && !takeOver) {
      throw new AppError('CASE_CLAIMED', undefined, {
        name: claimedBy.name ?? { fr: 'Un collègue', en: 'A colleague' },
      });
    }
  }

  return {
    /**
     * received → in_review, the viewer holding it. A case a colleague holds is refused
     * (CASE_CLAIMED) unless `takeOver`, which moves the claim without changing the status.
     */
    async claim(viewer: User, id: string, takeOver = false): Promise<Escalation> {
      if (!isStaff(viewer)) throw new AppError('FORBIDDEN');
      const moved = await db.transaction(async (tx: Queryable) => {
        const r = createRepositories(tx);
        const current = await r.escalations.lockCase(id);
        if (!current) throw new AppError('NOT_FOUND');
        if (current.status !== 'in_review') return false;
        if (current.claimedBy?.id !== viewer.id) {
          assertNotClaimedByOther(viewer, current.claimedBy, takeOver);
          await r.escalations.setClaimedBy(id, viewer.id);
        }
        return true;
      });
      if (moved) return escalations.get(id, viewer, false);
      return transition(viewer, id, 'in_review', {
        apply: (r) => r.escalations.setClaimedBy(id, viewer.id),
      });
    },

    async answer(
      viewer: User,
      id: string,
      body: AnswerBody,
      takeOver = false,
    ): Promise<Escalation> {
      if (!isStaff(viewer)) throw new AppError('FORBIDDEN');
      const canned = body.cannedAnswerId
        ? await repos.lab.findCannedAnswer(body.cannedAnswerId)
        : null;
      if (body.cannedAnswerId && !canned) {
        throw new AppError('UNKNOWN_CANNED_ANSWER', undefined, { id: body.cannedAnswerId });
      }
      const requested = body.diagnosisSlug ?? canned?.slug;
      if (requested === undefined) throw new AppError('DIAGNOSIS_REQUIRED');
      const isOther = requested === OTHER_DIAGNOSIS;
      if (isOther && !body.diagnosisText) throw new AppError('DIAGNOSIS_REQUIRED');
      if (!isOther) {
        const known = await repos.library.existingSlugs([requested]);
        if (!known.has(requested)) throw new AppError('UNKNOWN_SLUG', 422, { slug: requested });
      }
      const slug = isOther ? null : requested;
      const answered = await transition(viewer, id, 'answered', {
        notify: 'answer',
        claimed: { takeOver },
        apply: async (r) => {
          const record = await r.escalations.findById(id);
          if (!record) throw new AppError('NOT_FOUND');
          // Canned text in the language of the producer who will read it.
          const owner = await r.users.findById(record.userId);
          const text = canned ? canned[owner?.language ?? 'fr'] : null;
          const message = body.message ?? text?.message;
          if (!message) throw new AppError('MESSAGE_REQUIRED');
          const agree = agreement(record.prediction, slug);
          await r.escalations.upsertAnswer({
            escalationId: id,
            specialistId: viewer.id,
            diagnosisSlug: slug,
            diagnosisText: body.diagnosisText ?? null,
            message,
            recommendations: body.recommendations ?? text?.recommendations ?? null,
            cannedAnswerId: canned?.id ?? null,
            modelVersion: record.prediction?.modelVersion ?? null,
            top1Agree: agree.top1,
            top3Agree: agree.top3,
          });
          // Surveillance: a library diagnosis is a confirmed detection (one per case).
          await detections.recordConfirmed(
            r,
            { ...record, modelVersion: record.prediction?.modelVersion ?? null },
            slug,
          );
        },
      });
      if (slug !== null) await afterConfirmedAnswer?.(id);
      return answered;
    },

    sampleRequest: (viewer: User, id: string, body: SampleRequestBody, takeOver = false) =>
      transition(viewer, id, 'sample_requested', {
        notify: 'sample_request',
        claimed: { takeOver },
        apply: async (r, current) => {
          // Keep an existing reference: the producer may already have written it on a bag.
          const ref =
            current.caseRef ?? (await r.escalations.nextCaseRef(new Date().getFullYear()));
          await r.escalations.setSampleRequest(id, ref, body.instructions);
        },
      }),

    /**
     * Staff: corrects the requester's self-declared profile on this case (the queue's priority).
     * Not a status change, and the requester's account keeps its own profile.
     */
    async setRequesterKind(viewer: User, id: string, kind: ProfileKind): Promise<Escalation> {
      if (!isStaff(viewer)) throw new AppError('FORBIDDEN');
      await db.transaction(async (tx: Queryable) => {
        const r = createRepositories(tx);
        if (!(await r.escalations.lockCase(id))) throw new AppError('NOT_FOUND');
        await r.escalations.setProfileKind(id, kind);
      });
      return escalations.get(id, viewer, false);
    },

    sampleReceived: (viewer: User, id: string) =>
      transition(viewer, id, 'sample_received', {
        apply: (r) => r.escalations.setSampleReceived(id),
      }),

    /**
     * Owner (withdrawing) or staff. Staff closing a case that never got a response must say
     * why: the message goes to the thread and the owner is notified, in the same transaction.
     */
    close: (viewer: User, id: string, body: CloseBody = {}) =>
      transition(viewer, id, 'closed', {
        allowOwner: true,
        apply: async (r, current) => {
          if (current.userId === viewer.id || !isStaff(viewer)) return;
          const message = body.message?.trim();
          if (!message && !(await r.escalations.hasResponded(id))) {
            throw new AppError('CLOSE_MESSAGE_REQUIRED');
          }
          if (!message) return null;
          await r.messages.insert(id, viewer.id, message);
          return notifyOwner(r, current.userId, id, 'message');
        },
      }),

    async listMessages(viewer: User, id: string): Promise<EscalationMessage[]> {
      const { ownerId } = await access(viewer, id);
      return (await repos.messages.list(id)).map((m) => toMessage(m, id, ownerId));
    },

    /**
     * Adds a message (and up to 5 photos, stored like case photos) to the thread. A lab message
     * notifies the owner; the owner's marks the case as waiting for the lab (queue). A closed
     * case takes no more messages, but for its owner's within MESSAGE_LIMITS.reopenDays of the
     * closing when the lab had responded: that one reopens it (see reopenIfClosed). A requester
     * writes at most `messageRateLimit` messages per case and window.
     *
     * Idempotent per (author, clientId) when the device sends one: a resend (its outbox, after an
     * answer lost on the way back) returns the message written the first time with
     * created=false, also when the two copies race.
     */
    async postMessage(
      viewer: User,
      id: string,
      input: { body: string; photos: Buffer[]; clientId?: string | null; writtenAt?: string },
    ): Promise<{ message: EscalationMessage; created: boolean }> {
      const { ownerId, status } = await access(viewer, id);
      const clientId = input.clientId ?? null;
      const written = async (messageId: string, created: boolean) => {
        const [message] = await repos.messages.list(id, messageId);
        if (!message) throw new Error('message vanished after insert');
        return { message: toMessage(message, id, ownerId), created };
      };
      const alreadyWritten = async () => {
        if (clientId === null) return null;
        const found = await repos.messages.findByClientId(viewer.id, clientId);
        // The same id in another case is the device's mistake: never a message moved between cases.
        if (found && found.escalationId !== id) throw new AppError('MESSAGE_ID_REUSED');
        return found && written(found.id, false);
      };
      // Before any other check: the first copy may have reopened the case, or been the last word
      // before the lab closed it again; its resend is still that message.
      const earlier = await alreadyWritten();
      if (earlier) return earlier;
      const body = input.body.trim();
      if (body.length === 0) throw new AppError('MESSAGE_REQUIRED');
      // Do not drown the lab: a requester's flood (or a device's queue gone wrong) waits. Checked
      // here to refuse before the photos are processed, and again under the case's lock below.
      const limited = viewer.id === ownerId && !isStaff(viewer);
      const refuseOverLimit = async (r: Repositories, thisOneIn: boolean) => {
        const { max, windowHours } = messageRateLimit;
        const recent = await r.messages.countRecent(id, viewer.id, windowHours);
        if (recent - (thisOneIn ? 1 : 0) >= max) {
          throw new AppError('MESSAGE_RATE_LIMITED', undefined, { max, hours: windowHours });
        }
      };
      if (limited) await refuseOverLimit(repos, false);
      // Checked before the photos are processed, and again under the case's lock below.
      if (status === 'closed') await reopenable(repos, viewer, ownerId, id);
      if (input.photos.length > MESSAGE_LIMITS.maxPhotos) {
        throw new AppError('TOO_MANY_PHOTOS', undefined, { max: MESSAGE_LIMITS.maxPhotos });
      }
      const processed: ProcessedImage[] = [];
      for (const [i, photo] of input.photos.entries()) {
        processed.push(await media.process(photo).catch(rethrowAboutPhoto(i + 1)));
      }
      const stored = await Promise.all(processed.map((p) => media.save(p)));
      let messageId: string;
      let mail: CaseNews | null = null;
      try {
        messageId = await db.transaction(async (tx) => {
          const r = createRepositories(tx);
          // The case's lock first: messages written at once on one case take turns, so none passes
          // the limit's last place. (Locked after the insert, whose foreign key share-locks the
          // case, two at once on PostgreSQL would each wait for the other: a deadlock.)
          await reopenIfClosed(r, viewer, ownerId, id);
          const mid = await r.messages.insert(id, viewer.id, body, {
            clientId,
            writtenAt: believableWrittenAt(input.writtenAt),
          });
          // A copy with the same clientId landed since the look above: rolled back (no reopening,
          // no notification), and that copy is the answer (below).
          if (mid === null) throw new Error('message clientId already written');
          if (limited) await refuseOverLimit(r, true);
          for (const [position, p] of stored.entries()) {
            await r.messages.insertPhoto(mid, position, {
              mediaKey: p.key,
              sha256: p.sha256,
              width: p.width,
              height: p.height,
            });
          }
          mail = viewer.id === ownerId ? null : await notifyOwner(r, ownerId, id, 'message');
          // The owner's words wait for the lab (the queue shows it) until staff write or act.
          await r.escalations.setReplyWaiting(id, viewer.id === ownerId);
          return mid;
        });
      } catch (err) {
        // Whatever this copy ran into (a conflict, a case closed since), one that landed first is
        // the message its device wrote.
        const winner = await alreadyWritten();
        if (winner) return winner;
        throw err;
      }
      if (mail) await deps.afterOwnerNotified?.(id, mail);
      return written(messageId, true);
    },

    async rate(viewer: User, id: string, body: RatingBody): Promise<Escalation> {
      const { ownerId, status } = await access(viewer, id);
      if (ownerId !== viewer.id) throw new AppError('FORBIDDEN');
      if (status !== 'answered' && status !== 'closed') throw new AppError('NOT_ANSWERED_YET');
      const inserted = await repos.lab.insertRating(
        id,
        viewer.id,
        body.score,
        body.comment ?? null,
      );
      if (!inserted) throw new AppError('ALREADY_RATED');
      return escalations.get(id, viewer, false);
    },

    notifications,

    async markRead(viewer: User, filter: { ids?: string[]; escalationId?: string }) {
      await repos.notifications.markRead(viewer.id, filter);
      return notifications(viewer);
    },

    /** Base media key of a thread photo, for the owner and staff only (404 otherwise). */
    async messagePhotoKey(
      viewer: User | null,
      id: string,
      messageId: string,
      position: number,
    ): Promise<string> {
      if (!viewer) throw new AppError('NOT_FOUND');
      await access(viewer, id);
      const key = await repos.messages.findPhotoKey(id, messageId, position);
      if (key === null) throw new AppError('NOT_FOUND');
      return key;
    },

    async agreementStats(range?: WeekRange): Promise<AgreementStats> {
      const classes = await repos.lab.agreement(range);
      const sum = (k: 'n' | 'abstained' | 'top1Agree' | 'top3Agree') =>
        classes.reduce((s, c) => s + c[k], 0);
      return {
        total: {
          n: sum('n'),
          abstained: sum('abstained'),
          top1Agree: sum('top1Agree'),
          top3Agree: sum('top3Agree'),
        },
        classes,
      };
    },
  };
}
export type EscalationWorkflowService = ReturnType<typeof createEscalationWorkflowService>;
