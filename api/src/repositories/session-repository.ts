import type { Queryable } from '../db/types';
import { toUserRecord, userColumns, type UserRecord, type UserRow } from './user-repository';

export function sessionRepository(db: Queryable) {
  return {
    async insert(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
      await db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
        tokenHash,
        userId,
        expiresAt,
      ]);
    },

    /** The user of a live (not expired) session. */
    async findUser(tokenHash: string): Promise<UserRecord | null> {
      const row = await db.maybeOne<UserRow>(
        `SELECT ${userColumns('u')}
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.expires_at > now()`,
        [tokenHash],
      );
      return row && toUserRecord(row);
    },

    async delete(tokenHash: string): Promise<void> {
      await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },

    /** Ends every session of a user but `keepTokenHash`'s; how many ended. */
    async deleteOthers(userId: string, keepTokenHash: string): Promise<number> {
      const rows = await db.query<{ token_hash: string }>(
        'DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING token_hash',
        [userId, keepTokenHash],
      );
      return rows.length;
    },

    async deleteExpired(): Promise<number> {
      const rows = await db.query<{ token_hash: string }>(
        'DELETE FROM sessions WHERE expires_at <= now() RETURNING token_hash',
      );
      return rows.length;
    },
  };
}
export type SessionRepository = ReturnType<typeof sessionRepository>;
