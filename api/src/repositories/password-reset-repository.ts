import type { Queryable } from '../db/types';

/** One-time password-reset links (their token's hash), see migrations/009. */
export function passwordResetRepository(db: Queryable) {
  return {
    /** The new link replaces any earlier one of the user: only the latest e-mail works. */
    async replace(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
      await db.query('DELETE FROM password_resets WHERE user_id = $1', [userId]);
      await db.query(
        'INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)',
        [tokenHash, userId, expiresAt],
      );
    },

    /**
     * The same, for a link an admin hands out (`givenBy`), recorded in password_links_given in the
     * same statement: no link given unrecorded.
     */
    async replaceGivenBy(
      tokenHash: string,
      userId: string,
      expiresAt: Date,
      givenBy: string,
    ): Promise<void> {
      await db.query(
        `WITH gone AS (DELETE FROM password_resets WHERE user_id = $2),
              link AS (INSERT INTO password_resets (token_hash, user_id, expires_at)
                       VALUES ($1, $2, $3))
         INSERT INTO password_links_given (user_id, given_by) VALUES ($2, $4)`,
        [tokenHash, userId, expiresAt, givenBy],
      );
    },

    /** The user a live (unexpired) link belongs to, or null. */
    async findUserId(tokenHash: string): Promise<string | null> {
      const row = await db.maybeOne<{ user_id: string }>(
        'SELECT user_id FROM password_resets WHERE token_hash = $1 AND expires_at > now()',
        [tokenHash],
      );
      return row?.user_id ?? null;
    },

    /**
     * Uses the link: true for the one request that deletes it (two clicks racing each other, or a
     * replay, get false). The user's other links go with it.
     */
    async consume(tokenHash: string, userId: string): Promise<boolean> {
      const used = await db.query(
        `DELETE FROM password_resets
          WHERE token_hash = $1 AND user_id = $2 AND expires_at > now() RETURNING 1`,
        [tokenHash, userId],
      );
      await db.query('DELETE FROM password_resets WHERE user_id = $1', [userId]);
      return used.length === 1;
    },

    async deleteExpired(): Promise<number> {
      const rows = await db.query(
        'DELETE FROM password_resets WHERE expires_at <= now() RETURNING 1',
      );
      return rows.length;
    },
  };
}
export type PasswordResetRepository = ReturnType<typeof passwordResetRepository>;
