import type { Queryable } from '../db/types';
import type { AlertInfo } from '../contract/lab';
import type { AlertSubscription } from '../contract/surveillance';
import type { Language } from '../contract/common';

interface SubscriptionRow {
  id: string;
  region_code: string;
  crop: string | null;
  email: boolean;
  created_at: Date;
}

const toSubscription = (r: SubscriptionRow): AlertSubscription => ({
  id: r.id,
  regionCode: r.region_code,
  crop: r.crop,
  email: r.email,
  createdAt: r.created_at.toISOString(),
});

/** What the fan-out needs to know about a freshly confirmed case (never sent to anyone). */
/** What an alert needs of a confirmed case: nothing of the case itself but its cell. */
export interface ConfirmedCase {
  ownerId: string;
  slug: string | null;
  /** The confirmed detection (same region/week as the surveillance counts), when present. */
  detection: { regionCode: string | null; week: string } | null;
}

/** A subscriber who just received an alert notification and asked for e-mail too. */
export interface AlertRecipient {
  email: string;
  language: Language;
}

export function alertRepository(db: Queryable) {
  return {
    async list(userId: string): Promise<AlertSubscription[]> {
      const rows = await db.query<SubscriptionRow>(
        `SELECT id, region_code, crop, email, created_at FROM alert_subscriptions
          WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows.map(toSubscription);
    },

    /**
     * Creates the subscription, or updates the e-mail choice of the user's existing one for the
     * same (region, crop): `created` tells which.
     */
    async upsert(
      userId: string,
      s: { regionCode: string; crop: string | null; email: boolean },
    ): Promise<{ subscription: AlertSubscription; created: boolean }> {
      const inserted = await db.query<SubscriptionRow>(
        `INSERT INTO alert_subscriptions (user_id, region_code, crop, email)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
         RETURNING id, region_code, crop, email, created_at`,
        [userId, s.regionCode, s.crop, s.email],
      );
      if (inserted[0]) return { subscription: toSubscription(inserted[0]), created: true };
      const row = await db.one<SubscriptionRow>(
        `UPDATE alert_subscriptions SET email = $4
          WHERE user_id = $1 AND region_code = $2
            AND lower(btrim(coalesce(crop, ''))) = lower(btrim(coalesce($3::text, '')))
          RETURNING id, region_code, crop, email, created_at`,
        [userId, s.regionCode, s.crop, s.email],
      );
      return { subscription: toSubscription(row), created: false };
    },

    /** false when there is no such subscription OF THIS USER. */
    async delete(userId: string, id: string): Promise<boolean> {
      const rows = await db.query(
        'DELETE FROM alert_subscriptions WHERE id = $1 AND user_id = $2 RETURNING id',
        [id, userId],
      );
      return rows.length > 0;
    },

    async confirmedCase(escalationId: string): Promise<ConfirmedCase | null> {
      const row = await db.maybeOne<{
        user_id: string;
        slug: string | null;
        d_region: string | null;
        d_week: string | null;
      }>(
        `SELECT e.user_id, a.diagnosis_slug AS slug,
                d.region_code AS d_region, to_char(d.week_start, 'YYYY-MM-DD') AS d_week
           FROM escalations e
           JOIN escalation_answers a ON a.escalation_id = e.id
           LEFT JOIN detections d ON d.escalation_id = e.id AND d.source = 'confirmed'
          WHERE e.id = $1`,
        [escalationId],
      );
      if (!row) return null;
      return {
        ownerId: row.user_id,
        slug: row.slug,
        detection: row.d_week !== null ? { regionCode: row.d_region, week: row.d_week } : null,
      };
    },

    /**
     * One alert notification per matching subscriber (region; crop equal, trimmed and
     * case-insensitive, or a subscription for every crop), except `excludeUserId`. A user who
     * already had this alert (same slug, region, week) gets nothing new (unique index). Returns
     * the newly notified users who asked for e-mail, with their address and language.
     */
    /** `crops`: lower-case crop names a one-crop subscription may match. */
    async fanOut(
      alert: AlertInfo,
      excludeUserId: string,
      crops: readonly string[],
    ): Promise<AlertRecipient[]> {
      const rows = await db.query<{ email: string; language: Language }>(
        `WITH matching AS (
           SELECT user_id, bool_or(email) AS wants_email FROM alert_subscriptions
            WHERE region_code = $2 AND user_id <> $3
              AND (crop IS NULL OR lower(btrim(crop)) = ANY ($4::text[]))
            GROUP BY user_id
         ), inserted AS (
           INSERT INTO notifications (user_id, kind, alert)
           SELECT user_id, 'alert', $1::jsonb FROM matching
           ON CONFLICT DO NOTHING
           RETURNING user_id
         )
         SELECT u.email, u.language FROM inserted i
           JOIN matching m ON m.user_id = i.user_id
           JOIN users u ON u.id = i.user_id
          WHERE m.wants_email`,
        [JSON.stringify(alert), alert.regionCode, excludeUserId, crops],
      );
      return rows;
    },
  };
}
export type AlertRepository = ReturnType<typeof alertRepository>;
