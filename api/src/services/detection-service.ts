import { AppError } from '../errors';
import type { Db } from '../db/types';
import type { GeoService, QuebecGeo } from '../geo/quebec-geo';
import { createRepositories, type Repositories } from '../repositories';
import type { NewDetection } from '../repositories/detection-repository';
import type { GeoLocation } from '../contract/escalation';
import type { User } from '../contract/user';
import {
  DEVICE_REPORTS_PER_DAY,
  SURVEILLANCE_LIMITS,
  type DetectionBatch,
  type DetectionBatchResult,
  type DetectionReport,
} from '../contract/surveillance';
import { canonicalCrop } from '../lib/crop-key';
import { addWeeks, isMonday, weekOf } from '../lib/iso-week';

/** What a confirmed detection is made of: the answered case (its location stays in the case). */
export interface ConfirmedCase {
  id: string;
  userId: string;
  crop: string;
  regionCode: string | null;
  location: GeoLocation | null;
  createdAt: string;
  modelVersion: string | null;
}

type Invalid = { path: string; message: string };

const HOUR_MS = 3_600_000;

/**
 * Weeks a device may report at an instant: not after the week it is anywhere on Earth, and at
 * most `maxWeeks` before the week it still is anywhere. Both ends are taken from the device's
 * side of the date line: a device in UTC+14 starts its Monday on Sunday 10:00 UTC, one in
 * UTC−12 is still in last week's Sunday until Monday 12:00 UTC. A window taken from UTC alone
 * refused either of them for part of every week.
 */
export function reportableWeeks(at: Date): { oldest: string; latest: string } {
  const latest = weekOf(new Date(at.getTime() + 14 * HOUR_MS), 'UTC');
  const earliestCurrent = weekOf(new Date(at.getTime() - 12 * HOUR_MS), 'UTC');
  return { oldest: addWeeks(earliestCurrent, -SURVEILLANCE_LIMITS.maxWeeks), latest };
}

/**
 * Detections: on-device reports (consent `shareDetections`, idempotent by clientId) and the
 * confirmed detection written when a specialist answers a case with a library diagnosis.
 */
export function createDetectionService(deps: {
  db: Db;
  repos: Repositories;
  geo: GeoService;
  /** Decides which week a case belongs to (the lab's calendar). */
  timeZone: string;
  now?: () => Date;
}) {
  const { repos, geo, timeZone } = deps;
  const now = deps.now ?? (() => new Date());

  /** Region and MRC of a report, checked against the territory files; throws on a mismatch. */
  function territory(
    g: QuebecGeo | null,
    item: DetectionReport,
    index: number,
  ): { regionCode: string | null; mrcCode: string | null } {
    const mrcCode = item.mrcCode ?? null;
    if (mrcCode === null || g === null) return { regionCode: item.regionCode, mrcCode: null };
    const ofMrc = g.regionOfMrc(mrcCode);
    const details = [{ path: `/items/${index}/mrcCode`, message: mrcCode }];
    if (ofMrc === null) throw new AppError('UNKNOWN_MRC', undefined, { mrcCode }, details);
    if (item.regionCode !== null && item.regionCode !== ofMrc) {
      throw new AppError(
        'MRC_REGION_MISMATCH',
        undefined,
        { mrcCode, regionCode: item.regionCode },
        details,
      );
    }
    return { regionCode: ofMrc, mrcCode };
  }

  return {
    /**
     * A batch from a device outbox. All or nothing: one invalid item refuses the whole batch
     * (4xx, `details` points at it) so nothing half-written needs reconciling.
     */
    async report(user: User, batch: DetectionBatch): Promise<DetectionBatchResult> {
      const consents = await repos.consents.get(user.id);
      if (!consents?.shareDetections) throw new AppError('CONSENT_REQUIRED');
      const { oldest, latest } = reportableWeeks(now());
      const slugs = batch.items.flatMap((i) => (i.slug === null ? [] : [i.slug]));
      const classes = await repos.detections.libraryClasses(slugs);
      const crops = await repos.detections.libraryCrops();
      // The territory files are only needed to check MRC codes.
      const g = batch.items.some((i) => i.mrcCode) ? await geo.get() : null;
      const rows = batch.items.map((item, index): NewDetection => {
        const invalid = (field: string, message: string): Invalid[] => [
          { path: `/items/${index}/${field}`, message },
        ];
        if (!isMonday(item.week) || item.week < oldest || item.week > latest) {
          throw new AppError(
            'INVALID_WEEK',
            undefined,
            { week: item.week, maxWeeks: SURVEILLANCE_LIMITS.maxWeeks },
            invalid('week', item.week),
          );
        }
        if (item.slug === null && !item.abstained) {
          throw new AppError('INVALID_DETECTION', undefined, {}, invalid('slug', 'null'));
        }
        // The kind comes from the library, never from the client.
        const cls = item.slug === null ? null : classes.get(item.slug);
        if (cls === undefined) {
          throw new AppError(
            'UNKNOWN_SLUG',
            422,
            { slug: item.slug ?? '' },
            invalid('slug', item.slug ?? ''),
          );
        }
        const place = territory(g, item, index);
        return {
          clientId: item.clientId,
          userId: user.id,
          source: 'device',
          escalationId: null,
          slug: item.slug,
          kind: cls?.kind ?? null,
          crop: canonicalCrop(item.crop, crops) ?? cls?.crop ?? null,
          regionCode: place.regionCode,
          mrcCode: place.mrcCode,
          week: item.week,
          confidence: item.confidence,
          abstained: item.abstained,
          modelVersion: item.modelVersion,
        };
      });
      return deps.db.transaction(async (tx) => {
        const r = createRepositories(tx);
        // One batch of an account at a time: two parallel batches could each pass the quota.
        await r.users.lockForUpdate(user.id);
        const accepted = await r.detections.insertMany(rows);
        // Counted after the insert, so a resent batch (duplicates, already counted) is free;
        // over the quota, the whole batch is rolled back and waits on the device.
        if ((await r.detections.deviceReportsLastDay(user.id)) > DEVICE_REPORTS_PER_DAY) {
          throw new AppError('DETECTION_QUOTA', undefined, { max: DEVICE_REPORTS_PER_DAY });
        }
        return { accepted, duplicates: rows.length - accepted };
      });
    },

    /**
     * Called inside the answer's transaction (`r` bound to it): exactly one confirmed detection
     * per case, replaced when the case is answered again, removed when the new answer is not a
     * library diagnosis (slug null). Region: the case's, else derived from its exact location;
     * MRC from the location. The coordinates themselves are never copied.
     */
    async recordConfirmed(r: Repositories, c: ConfirmedCase, slug: string | null): Promise<void> {
      await r.detections.removeConfirmed(c.id);
      if (slug === null) return;
      const cls = (await r.detections.libraryClasses([slug])).get(slug);
      if (!cls) return;
      const crops = await r.detections.libraryCrops();
      // Missing territory files must not stop a specialist's answer: the case region is kept.
      const g = c.location ? await geo.get().catch(() => null) : null;
      const at = c.location && g ? { lon: c.location.lon, lat: c.location.lat } : null;
      const regionCode = c.regionCode ?? (at && g ? g.regionOf(at.lon, at.lat) : null);
      const mrc = at && g ? g.mrcOf(at.lon, at.lat) : null;
      // An MRC outside the case's declared region would contradict it: keep the region only.
      const mrcCode = mrc !== null && g?.regionOfMrc(mrc) === regionCode ? mrc : null;
      await r.detections.insertMany([
        {
          clientId: null,
          userId: c.userId,
          source: 'confirmed',
          escalationId: c.id,
          slug,
          kind: cls.kind,
          crop: canonicalCrop(c.crop, crops) ?? cls.crop,
          regionCode,
          mrcCode,
          week: weekOf(new Date(c.createdAt), timeZone),
          confidence: null,
          abstained: false,
          modelVersion: c.modelVersion,
        },
      ]);
    },

    /** On-device reports per week (abstentions included), for the service indicators. */
    weeklyReports: (from: string, to: string) => repos.detections.weeklyReports(from, to),
  };
}
export type DetectionService = ReturnType<typeof createDetectionService>;
