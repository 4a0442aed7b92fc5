import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/types';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** Personal-data queries: export, account deletion, location access log, retention purge. */
export function privacyRepository(db: Queryable) {
  const count = async (sql: string, ...params: unknown[]) => (await db.query(sql, params)).length;

  /** What is the person's alone, whether the account row goes or is anonymised. */
  async function deletePersonalRows(userId: string): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    deleted.sessions = await count('DELETE FROM sessions WHERE user_id = $1 RETURNING 1', userId);
    // A reset link still in a mailbox must not give a password to an anonymised account.
    deleted.passwordResets = await count(
      'DELETE FROM password_resets WHERE user_id = $1 RETURNING 1',
      userId,
    );
    deleted.notifications = await count(
      'DELETE FROM notifications WHERE user_id = $1 RETURNING 1',
      userId,
    );
    deleted.alertSubscriptions = await count(
      'DELETE FROM alert_subscriptions WHERE user_id = $1 RETURNING 1',
      userId,
    );
    deleted.consentEvents = await count(
      'DELETE FROM consent_events WHERE user_id = $1 RETURNING 1',
      userId,
    );
    // The person's own device reports go (the weekly rollups keep their anonymous counts);
    // detections their cases confirmed are the lab's record and only lose the link.
    deleted.deviceDetections = await count(
      `DELETE FROM detections WHERE user_id = $1 AND source = 'device' RETURNING 1`,
      userId,
    );
    // Their rows still count as one farm in the public thresholds, under a random contributor id
    // that no longer names the account (migration 010).
    deleted.detectionsUnlinked = await count(
      'UPDATE detections SET user_id = NULL, contributor = $2 WHERE user_id = $1 RETURNING 1',
      userId,
      randomUUID(),
    );
    // Ratings are of their own cases.
    deleted.ratings = await count(
      'DELETE FROM escalation_ratings WHERE user_id = $1 RETURNING 1',
      userId,
    );
    return deleted;
  }

  return {
    /** Records a look at someone else's case (a staff member's own case is not logged). */
    async recordLocationAccess(escalationId: string, viewerId: string, role: string) {
      await db.query(
        `INSERT INTO location_access_log (escalation_id, viewer_id, viewer_role)
         SELECT id, $2, $3 FROM escalations WHERE id = $1 AND user_id <> $2`,
        [escalationId, viewerId, role],
      );
    },

    /** Newest first; the viewer's name is null once their account is gone. */
    async locationAccess(
      escalationId: string,
    ): Promise<{ viewer: { id: string; name: string | null }; role: string; at: string }[]> {
      const rows = await db.query<{
        viewer_id: string;
        display_name: string | null;
        viewer_role: string;
        at: Date;
      }>(
        `SELECT l.viewer_id, u.display_name, l.viewer_role, l.at
           FROM location_access_log l LEFT JOIN users u ON u.id = l.viewer_id
          WHERE l.escalation_id = $1 ORDER BY l.at DESC, l.id DESC LIMIT 1000`,
        [escalationId],
      );
      return rows.map((r) => ({
        viewer: { id: r.viewer_id, name: r.display_name },
        role: r.viewer_role,
        at: r.at.toISOString(),
      }));
    },

    /** The account's roles over time (who gave them is the admin's data, not exported). */
    async roleChanges(userId: string) {
      const rows = await db.query<{ from_role: string; to_role: string; changed_at: Date }>(
        `SELECT from_role, to_role, changed_at FROM role_changes WHERE user_id = $1
          ORDER BY changed_at, id`,
        [userId],
      );
      return rows.map((r) => ({ from: r.from_role, to: r.to_role, at: iso(r.changed_at) }));
    },

    /** When an admin handed out a password link for the account (who did is the admin's data). */
    async passwordLinksGiven(userId: string) {
      const rows = await db.query<{ given_at: Date }>(
        'SELECT given_at FROM password_links_given WHERE user_id = $1 ORDER BY given_at, id',
        [userId],
      );
      return rows.map((r) => ({ at: iso(r.given_at) }));
    },

    /** Consents as stored by migration 004 (current values + every change). */
    async consents(userId: string) {
      const current = await db.maybeOne<{
        consent_location: boolean;
        consent_share_detections: boolean;
      }>('SELECT consent_location, consent_share_detections FROM users WHERE id = $1', [userId]);
      const history = await db.query<{ consent: string; granted: boolean; at: Date }>(
        'SELECT consent, granted, at FROM consent_events WHERE user_id = $1 ORDER BY at, id',
        [userId],
      );
      return {
        location: current?.consent_location ?? false,
        shareDetections: current?.consent_share_detections ?? false,
        history: history.map((h) => ({
          consent: h.consent,
          granted: h.granted,
          at: h.at.toISOString(),
        })),
      };
    },

    async sessions(userId: string) {
      // Metadata only: the token hash is a credential, never exported.
      const rows = await db.query<{ created_at: Date; expires_at: Date }>(
        'SELECT created_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at',
        [userId],
      );
      return rows.map((r) => ({ createdAt: iso(r.created_at), expiresAt: iso(r.expires_at) }));
    },

    async detections(userId: string) {
      const rows = await db.query<{
        id: string;
        client_id: string | null;
        source: string;
        escalation_id: string | null;
        class_slug: string | null;
        crop: string | null;
        region_code: string | null;
        mrc_code: string | null;
        week: string;
        confidence: number | null;
        abstained: boolean;
        model_version: string | null;
        created_at: Date;
      }>(
        `SELECT id, client_id, source, escalation_id, class_slug, crop, region_code, mrc_code,
                to_char(week_start, 'YYYY-MM-DD') AS week, confidence, abstained, model_version,
                created_at
           FROM detections WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows.map((r) => ({
        id: r.id,
        clientId: r.client_id,
        source: r.source,
        escalationId: r.escalation_id,
        slug: r.class_slug,
        crop: r.crop,
        regionCode: r.region_code,
        mrcCode: r.mrc_code,
        week: r.week,
        confidence: r.confidence,
        abstained: r.abstained,
        modelVersion: r.model_version,
        createdAt: iso(r.created_at),
      }));
    },

    /** Every notification (the API lists only the latest 100). */
    async notifications(userId: string) {
      const rows = await db.query<{
        id: string;
        kind: string;
        escalation_id: string | null;
        alert: unknown;
        created_at: Date;
        read_at: Date | null;
      }>(
        `SELECT id, kind, escalation_id, alert, created_at, read_at FROM notifications
          WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        escalationId: r.escalation_id,
        alert: r.alert,
        createdAt: iso(r.created_at),
        readAt: iso(r.read_at),
      }));
    },

    /** What a staff member or agronomist wrote on OTHER people's cases (their own words). */
    async authoredElsewhere(userId: string) {
      const messages = await db.query<{ escalation_id: string; body: string; created_at: Date }>(
        `SELECT m.escalation_id, m.body, m.created_at FROM escalation_messages m
           JOIN escalations e ON e.id = m.escalation_id
          WHERE m.author_id = $1 AND e.user_id <> $1 ORDER BY m.created_at, m.id`,
        [userId],
      );
      const answers = await db.query<{
        escalation_id: string;
        diagnosis_slug: string | null;
        diagnosis_text: string | null;
        message: string;
        recommendations: string | null;
        created_at: Date;
      }>(
        `SELECT a.escalation_id, a.diagnosis_slug, a.diagnosis_text, a.message, a.recommendations,
                a.created_at
           FROM escalation_answers a JOIN escalations e ON e.id = a.escalation_id
          WHERE a.specialist_id = $1 AND e.user_id <> $1 ORDER BY a.created_at`,
        [userId],
      );
      const submissions = await db.query<{ id: string; crop: string; created_at: Date }>(
        'SELECT id, crop, created_at FROM bank_submissions WHERE submitter_id = $1 ORDER BY created_at',
        [userId],
      );
      return {
        messages: messages.map((m) => ({
          escalationId: m.escalation_id,
          body: m.body,
          createdAt: iso(m.created_at),
        })),
        answers: answers.map((a) => ({
          escalationId: a.escalation_id,
          diagnosisSlug: a.diagnosis_slug,
          diagnosisText: a.diagnosis_text,
          message: a.message,
          recommendations: a.recommendations,
          createdAt: iso(a.created_at),
        })),
        bankSubmissions: submissions.map((s) => ({
          id: s.id,
          crop: s.crop,
          createdAt: iso(s.created_at),
        })),
      };
    },

    /**
     * Whether the person left records in the lab's shared history that deleting the account
     * would have to rewrite or destroy: answers, messages, status changes or a claim on someone
     * else's case, image-bank submissions or reviews, retraining requests, library edits.
     */
    async hasLabRecords(userId: string): Promise<boolean> {
      const row = await db.one<{ found: boolean }>(
        `SELECT (
           EXISTS (SELECT 1 FROM escalation_answers a JOIN escalations e ON e.id = a.escalation_id
                    WHERE a.specialist_id = $1 AND e.user_id <> $1)
        OR EXISTS (SELECT 1 FROM escalation_messages m JOIN escalations e ON e.id = m.escalation_id
                    WHERE m.author_id = $1 AND e.user_id <> $1)
        OR EXISTS (SELECT 1 FROM escalation_status_history h
                     JOIN escalations e ON e.id = h.escalation_id
                    WHERE h.actor_id = $1 AND e.user_id <> $1)
        OR EXISTS (SELECT 1 FROM escalations WHERE claimed_by = $1 AND user_id <> $1)
        OR EXISTS (SELECT 1 FROM bank_submissions WHERE submitter_id = $1)
        OR EXISTS (SELECT 1 FROM bank_images WHERE reviewed_by = $1)
        OR EXISTS (SELECT 1 FROM training_requests WHERE requested_by = $1)
        OR EXISTS (SELECT 1 FROM role_changes WHERE changed_by = $1 AND user_id <> $1)
        OR EXISTS (SELECT 1 FROM password_links_given WHERE given_by = $1 AND user_id <> $1)
        OR EXISTS (SELECT 1 FROM library_entries WHERE edited_by = $1)
        OR EXISTS (SELECT 1 FROM library_entry_editions WHERE edited_by = $1)
        OR EXISTS (SELECT 1 FROM canned_answers WHERE edited_by = $1)
        ) AS found`,
        [userId],
      );
      return row.found;
    },

    /** Base media keys of the photos of the user's cases and of their threads. */
    async caseMediaKeys(userId: string): Promise<string[]> {
      const rows = await db.query<{ media_key: string }>(
        `SELECT p.media_key FROM escalation_photos p
           JOIN escalations e ON e.id = p.escalation_id WHERE e.user_id = $1
         UNION
         SELECT mp.media_key FROM escalation_message_photos mp
           JOIN escalation_messages m ON m.id = mp.message_id
           JOIN escalations e ON e.id = m.escalation_id WHERE e.user_id = $1`,
        [userId],
      );
      return rows.map((r) => r.media_key);
    },

    /**
     * Deletes the person and everything that is theirs. Cases go with their photos rows,
     * messages, history, answers, ratings, notifications and access log (ON DELETE CASCADE);
     * device reports are deleted and confirmed detections unlinked (the rollups keep the
     * anonymous counts); an image already sent to the bank with the owner's consent stays
     * there, unlinked from the case. Returns rows deleted per table.
     */
    async deleteUser(userId: string): Promise<Record<string, number>> {
      const deleted = await deletePersonalRows(userId);
      deleted.messages = await count(
        'DELETE FROM escalation_messages WHERE author_id = $1 RETURNING 1',
        userId,
      );
      deleted.escalations = await count(
        'DELETE FROM escalations WHERE user_id = $1 RETURNING 1',
        userId,
      );
      deleted.users = await count('DELETE FROM users WHERE id = $1 RETURNING 1', userId);
      return deleted;
    },

    /**
     * For an account whose work is part of the lab's shared record (hasLabRecords): what is the
     * person's own goes as in deleteUser (their cases, sessions, notifications, consents,
     * reports), and the account row stays, for the records that point at it, without anything
     * that identifies or reaches the person: e-mail replaced, name, crops and region emptied, a
     * password nobody knows. Their answers, messages and bank work then read as the lab's.
     */
    async anonymiseUser(userId: string, unusablePasswordHash: string) {
      const deleted = await deletePersonalRows(userId);
      deleted.escalations = await count(
        'DELETE FROM escalations WHERE user_id = $1 RETURNING 1',
        userId,
      );
      // A colleague answering a case the person had taken would be told « a colleague has it »
      // and asked to take it over from someone who is gone. Answered and closed cases keep who
      // handled them.
      deleted.claimsReleased = await count(
        `UPDATE escalations SET claimed_by = NULL
          WHERE claimed_by = $1 AND status NOT IN ('answered', 'closed') RETURNING 1`,
        userId,
      );
      deleted.usersAnonymised = await count(
        `UPDATE users SET email = 'deleted-' || id || '@phytodiag.invalid', display_name = NULL,
                password_hash = $2, crops = '{}', region_code = NULL,
                consent_location = false, consent_share_detections = false
          WHERE id = $1 RETURNING 1`,
        userId,
        unusablePasswordHash,
      );
      return deleted;
    },

    /** Of these base keys, those no row references any more (safe to delete from the store). */
    async unreferencedMediaKeys(keys: readonly string[]): Promise<string[]> {
      if (keys.length === 0) return [];
      const rows = await db.query<{ key: string }>(
        `SELECT k AS key FROM unnest($1::text[]) AS k
          WHERE NOT EXISTS (SELECT 1 FROM escalation_photos WHERE media_key = k)
            AND NOT EXISTS (SELECT 1 FROM escalation_message_photos WHERE media_key = k)
            AND NOT EXISTS (SELECT 1 FROM bank_images WHERE media_key = k)`,
        [keys],
      );
      return rows.map((r) => r.key);
    },

    // ── Retention ──

    async purgeDeviceDetections(olderThanWeek: string): Promise<number> {
      const row = await db.one<{ n: number | string }>(
        `WITH gone AS (DELETE FROM detections WHERE source = 'device' AND week_start < $1::date
                       RETURNING 1)
         SELECT COUNT(*) AS n FROM gone`,
        [olderThanWeek],
      );
      return Number(row.n);
    },

    async purgeAccessLog(days: number): Promise<number> {
      const row = await db.one<{ n: number | string }>(
        `WITH gone AS (DELETE FROM location_access_log
                        WHERE at < now() - make_interval(days => $1::int) RETURNING 1)
         SELECT COUNT(*) AS n FROM gone`,
        [days],
      );
      return Number(row.n);
    },

    /**
     * Erases the exact location and phone number of cases closed more than `days` ago, and of
     * cases left without any activity (status change, message) for as long: nothing closes an
     * answered case by itself, and most are never closed by hand, so « closed » alone would keep
     * farm coordinates and phone numbers for ever.
     */
    async purgeClosedCaseContacts(days: number): Promise<number> {
      const row = await db.one<{ n: number | string }>(
        `WITH gone AS (
           UPDATE escalations e
              SET location_lat = NULL, location_lon = NULL, location_accuracy_m = NULL,
                  contact_phone = NULL
            WHERE (e.location_lat IS NOT NULL OR e.contact_phone IS NOT NULL)
              AND greatest(
                    e.created_at,
                    (SELECT max(h.at) FROM escalation_status_history h
                      WHERE h.escalation_id = e.id),
                    (SELECT max(m.created_at) FROM escalation_messages m
                      WHERE m.escalation_id = e.id)
                  ) < now() - make_interval(days => $1::int)
           RETURNING 1)
         SELECT COUNT(*) AS n FROM gone`,
        [days],
      );
      return Number(row.n);
    },
  };
}
export type PrivacyRepository = ReturnType<typeof privacyRepository>;
