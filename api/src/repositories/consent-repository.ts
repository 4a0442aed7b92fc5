import type { Queryable } from '../db/types';
import type { Consents, ConsentsView } from '../contract/surveillance';

/** Consent names as recorded in consent_events (the contract's field names). */
const COLUMN: Record<keyof Consents, string> = {
  location: 'consent_location',
  shareDetections: 'consent_share_detections',
};

export function consentRepository(db: Queryable) {
  return {
    /** null for an unknown user. */
    async get(userId: string): Promise<Consents | null> {
      const row = await db.maybeOne<{ location: boolean; share: boolean }>(
        `SELECT consent_location AS location, consent_share_detections AS share
           FROM users WHERE id = $1`,
        [userId],
      );
      return row && { location: row.location, shareDetections: row.share };
    },

    /** Locks the user row: concurrent changes of one person's consents are serialised. */
    async lock(userId: string): Promise<Consents | null> {
      const row = await db.maybeOne<{ location: boolean; share: boolean }>(
        `SELECT consent_location AS location, consent_share_detections AS share
           FROM users WHERE id = $1 FOR UPDATE`,
        [userId],
      );
      return row && { location: row.location, shareDetections: row.share };
    },

    async set(userId: string, consent: keyof Consents, granted: boolean): Promise<void> {
      await db.query(`UPDATE users SET ${COLUMN[consent]} = $2 WHERE id = $1`, [userId, granted]);
      await db.query('INSERT INTO consent_events (user_id, consent, granted) VALUES ($1, $2, $3)', [
        userId,
        consent,
        granted,
      ]);
    },

    /** Most recent first. */
    async history(userId: string): Promise<ConsentsView['history']> {
      const rows = await db.query<{ consent: string; granted: boolean; at: Date }>(
        'SELECT consent, granted, at FROM consent_events WHERE user_id = $1 ORDER BY at DESC, id DESC',
        [userId],
      );
      return rows.map((r) => ({ consent: r.consent, granted: r.granted, at: r.at.toISOString() }));
    },
  };
}
export type ConsentRepository = ReturnType<typeof consentRepository>;
