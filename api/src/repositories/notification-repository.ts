import type { Queryable } from '../db/types';
import type { Language } from '../contract/common';
import type { AlertInfo, Notification, NotificationKind } from '../contract/lab';

/** As served: escalationId is null and `alert` set for an alert. */
export type NotificationRecord = Notification;

export interface CaseMailRecipient {
  email: string;
  language: Language;
  crop: string;
  askedAt: string;
}

export function notificationRepository(db: Queryable) {
  return {
    /**
     * A lab notification about a case (alerts are written by the alert fan-out). Returns whether
     * it is the case's only unread one: the person had read everything before, so this one is
     * news worth an e-mail; the next ones, until they read it, are not.
     */
    async insert(userId: string, escalationId: string, kind: NotificationKind): Promise<boolean> {
      const row = await db.one<{ first: boolean }>(
        `WITH earlier AS (SELECT 1 FROM notifications
                           WHERE user_id = $1 AND escalation_id = $2 AND read_at IS NULL LIMIT 1),
              added AS (INSERT INTO notifications (user_id, escalation_id, kind)
                        VALUES ($1, $2, $3) RETURNING 1)
         SELECT NOT EXISTS (SELECT 1 FROM earlier) AS first FROM added`,
        [userId, escalationId, kind],
      );
      return row.first;
    },

    /**
     * Who to e-mail about news on a case, and the little the e-mail says of it: the owner's
     * address and language, the crop they typed and when they asked. Null when they said no
     * e-mails, or the account was deleted (anonymised).
     */
    async caseMailRecipient(escalationId: string): Promise<CaseMailRecipient | null> {
      const row = await db.maybeOne<{
        email: string;
        language: Language;
        crop: string;
        created_at: Date;
      }>(
        `SELECT u.email, u.language, e.crop, e.created_at
           FROM escalations e JOIN users u ON u.id = e.user_id
          WHERE e.id = $1 AND u.mail_case_updates
            AND u.email NOT LIKE '%@phytodiag.invalid'`,
        [escalationId],
      );
      return (
        row && {
          email: row.email,
          language: row.language,
          crop: row.crop,
          askedAt: row.created_at.toISOString(),
        }
      );
    },

    async list(userId: string, limit = 100): Promise<NotificationRecord[]> {
      const rows = await db.query<{
        id: string;
        kind: NotificationKind;
        escalation_id: string | null;
        crop: string;
        created_at: Date;
        read_at: Date | null;
        alert: AlertInfo | null;
      }>(
        // Alerts have no case: their crop comes from the alert itself.
        `SELECT n.id, n.kind, n.escalation_id, COALESCE(e.crop, n.alert ->> 'crop', '') AS crop,
                n.created_at, n.read_at, n.alert
           FROM notifications n LEFT JOIN escalations e ON e.id = n.escalation_id
          WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id LIMIT $2`,
        [userId, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        escalationId: r.escalation_id,
        crop: r.crop,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
        alert: r.alert,
      }));
    },

    async countUnread(userId: string): Promise<number> {
      const row = await db.one<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
        [userId],
      );
      return Number(row.n);
    },

    /** Marks the user's own notifications read (others' ids are silently ignored). */
    async markRead(
      userId: string,
      filter: { ids?: readonly string[]; escalationId?: string },
    ): Promise<void> {
      await db.query(
        `UPDATE notifications SET read_at = now()
          WHERE user_id = $1 AND read_at IS NULL
            AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
            AND ($3::uuid IS NULL OR escalation_id = $3::uuid)`,
        [userId, filter.ids ?? null, filter.escalationId ?? null],
      );
    },
  };
}
export type NotificationRepository = ReturnType<typeof notificationRepository>;
