import { afterCasePhotosLeftBank } from './bank-service';
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../errors';
import type { Db } from '../db/types';
import type { MediaService } from '../media/media-service';
import { createRepositories, type Repositories } from '../repositories';
import { escalationPhotoUrls } from '../contract/escalation';
import type { Escalation } from '../contract/escalation';
import type { LocationAccessList } from '../contract/surveillance';
import type { User } from '../contract/user';
import type { AppConfig } from '../config';
import { isOwnerOrStaff, isStaff } from './access';
import { toPublicUser } from './auth-service';
import { messagePhotoUrls } from './escalation-workflow-service';
import { addWeeks, weekOf } from '../lib/iso-week';

export const EXPORT_FORMAT_VERSION = 1;

/**
 * The person's side of privacy (Quebec Law 25): a copy of everything about them, deletion of
 * their account, and who looked at their cases' exact locations. Also the retention purge.
 */
export function createPrivacyService(deps: {
  db: Db;
  repos: Repositories;
  media: MediaService;
  log: FastifyBaseLogger;
  timeZone: string;
  retention: AppConfig['retention'];
  /** The library's readers rebuild what they cached (photos left the bank). */
  onLibraryChanged: () => void;
}) {
  const { db, repos, media, log, timeZone, retention, onLibraryChanged } = deps;

  return {
    /**
     * GET /api/escalations/:id by lab staff returns the exact location: that look is recorded
     * for the owner to see. The owner's own views are not (nothing to disclose to themselves).
     */
    async recordLocationView(viewer: User, escalation: Escalation): Promise<void> {
      if (!isStaff(viewer) || escalation.location === null) return;
      await repos.privacy.recordLocationAccess(escalation.id, viewer.id, viewer.role);
    },

    /** Owner and admin. A specialist (who may see the case) gets 403; anyone else 404. */
    async locationAccess(viewer: User, escalationId: string): Promise<LocationAccessList> {
      const found = await repos.escalations.ownerAndStatus(escalationId);
      if (!found || !isOwnerOrStaff(viewer, found.userId)) throw new AppError('NOT_FOUND');
      if (found.userId !== viewer.id && viewer.role !== 'admin') throw new AppError('FORBIDDEN');
      return { items: await repos.privacy.locationAccess(escalationId) };
    },

    /** Everything stored about the person, for GET /api/privacy/export. Never credentials. */
    async exportData(viewer: User) {
      const record = await repos.users.findById(viewer.id);
      if (!record) throw new AppError('UNAUTHENTICATED');
      const p = repos.privacy;
      const [
        consents,
        sessions,
        cases,
        detections,
        subscriptions,
        notifications,
        authored,
        roleChanges,
        passwordLinksGiven,
      ] = await Promise.all([
        p.consents(viewer.id),
        p.sessions(viewer.id),
        repos.escalations.listByOwner(viewer.id, {}, { limit: 100_000 }).then((r) => r.records),
        p.detections(viewer.id),
        repos.alerts.list(viewer.id),
        p.notifications(viewer.id),
        p.authoredElsewhere(viewer.id),
        p.roleChanges(viewer.id),
        p.passwordLinksGiven(viewer.id),
      ]);
      const casesOut = [];
      for (const c of cases) {
        const [messages, locationAccess] = await Promise.all([
          repos.messages.list(c.id),
          p.locationAccess(c.id),
        ]);
        casesOut.push({
          id: c.id,
          clientId: c.clientId,
          status: c.status,
          crop: c.crop,
          description: c.description,
          prediction: c.prediction,
          location: c.location,
          regionCode: c.regionCode,
          profileKind: c.profileKind,
          contactPreference: c.contactPreference,
          contactPhone: c.contactPhone,
          consentPhotoReuse: c.consentPhotoReuse,
          caseRef: c.caseRef,
          sampleInstructions: c.sampleInstructions,
          createdAt: c.createdAt,
          photos: c.photos.map((ph, i) => ({
            ...escalationPhotoUrls(c.id, i),
            width: ph.width,
            height: ph.height,
          })),
          answer: c.answer,
          history: c.history.map((h) => ({ from: h.from, to: h.to, at: h.at })),
          rating: c.rating,
          messages: messages.map((m) => ({
            id: m.id,
            body: m.body,
            fromOwner: m.author.id === viewer.id,
            author: m.author.id === viewer.id ? null : { name: m.author.name, role: m.author.role },
            photos: m.photos.map((_, i) => messagePhotoUrls(c.id, m.id, i)),
            createdAt: m.createdAt,
          })),
          locationAccess,
        });
      }
      return {
        format: 'phytodiag-export',
        version: EXPORT_FORMAT_VERSION,
        exportedAt: new Date().toISOString(),
        profile: toPublicUser(record),
        roleChanges,
        passwordLinksGiven,
        consents,
        sessions,
        cases: casesOut,
        detections,
        alertSubscriptions: subscriptions,
        notifications,
        authored,
      };
    },

    /**
     * POST /api/privacy/delete. The password is asked again (a stolen session alone cannot
     * erase an account). The person's own data goes in one transaction; stored photos are
     * deleted after it commits, when nothing references them. An account whose work is part of
     * other people's cases or of the image bank (answers, messages, bank submissions…) keeps
     * its row for those records, anonymised: nothing left identifies or reaches the person.
     */
    async deleteAccount(viewer: User, password: string): Promise<Record<string, number>> {
      const record = await repos.users.findById(viewer.id);
      if (!record) throw new AppError('UNAUTHENTICATED');
      if (!(await verify(record.passwordHash, password))) throw new AppError('WRONG_PASSWORD');
      // A valid hash of a secret nobody keeps: the anonymised row can never be signed in to.
      const unusable = await hash(randomBytes(32).toString('base64'));
      let libraryChanged = false;
      const { deleted, keys } = await db.transaction(async (tx) => {
        const r = createRepositories(tx);
        // The lab keeps an administrator: the last one gives the role to someone else first.
        const admins = await r.users.lockAdmins();
        if (admins.includes(viewer.id) && admins.length <= 1) throw new AppError('LAST_ADMIN');
        const mediaKeys = await r.privacy.caseMediaKeys(viewer.id);
        // Photos of their cases given to the bank go with the account, as a withdrawn consent
        // takes them (the delete screen says « your requests with their photos »): out of the
        // library, and out of the next model's training.
        const slugs = await r.bankSubmissions.deleteFromOwnerCases(viewer.id);
        await afterCasePhotosLeftBank(
          r,
          slugs,
          'case photos withdrawn from the bank: their owner deleted the account',
        );
        libraryChanged = slugs.length > 0;
        const deleted = (await r.privacy.hasLabRecords(viewer.id))
          ? await r.privacy.anonymiseUser(viewer.id, unusable)
          : await r.privacy.deleteUser(viewer.id);
        return { deleted, keys: mediaKeys };
      });
      if (libraryChanged) onLibraryChanged();
      const orphans = await repos.privacy.unreferencedMediaKeys(keys);
      const results = await Promise.allSettled(orphans.map((k) => media.remove(k)));
      const failed = results.filter((x) => x.status === 'rejected').length;
      // The account is gone either way; a file left behind is logged for the operator.
      if (failed > 0) log.error({ failed }, 'account deleted but some stored photos were not');
      return { ...deleted, mediaFiles: orphans.length - failed };
    },

    /**
     * Retention: expired sessions and reset links, on-device detections older than the retention (the weekly
     * rollup keeps their anonymous counts), old location-access rows, and the exact location
     * and phone number of cases closed long enough ago (the diagnosis, its region and the
     * thread stay: the lab's record and the person's own history).
     */
    async purge(now = new Date()) {
      const keepFrom = addWeeks(weekOf(now, timeZone), -retention.deviceDetectionWeeks);
      const sessions = await repos.sessions.deleteExpired();
      const passwordResets = await repos.passwordResets.deleteExpired();
      const deviceDetections = await repos.privacy.purgeDeviceDetections(keepFrom);
      const accessLog = await repos.privacy.purgeAccessLog(retention.accessLogDays);
      const closedCaseContacts = await repos.privacy.purgeClosedCaseContacts(
        retention.closedCaseContactDays,
      );
      return { sessions, passwordResets, deviceDetections, accessLog, closedCaseContacts };
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;
