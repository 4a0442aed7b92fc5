import type { Queryable } from '../db/types';
import { groupBy } from '../lib/group-by';
import type { Role } from '../contract/user';

export interface MessageRecord {
  id: string;
  body: string;
  author: { id: string; name: string | null; role: Role };
  photos: { mediaKey: string; width: number; height: number }[];
  createdAt: string;
  writtenAt: string | null;
}

export function escalationMessageRepository(db: Queryable) {
  return {
    /** Null: this author already wrote a message with this clientId (a resend that raced). */
    async insert(
      escalationId: string,
      authorId: string,
      body: string,
      from: { clientId?: string | null; writtenAt?: Date | null } = {},
    ): Promise<string | null> {
      const row = await db.maybeOne<{ id: string }>(
        // Never after its own arrival (the server's clock and the database's may differ a little).
        `INSERT INTO escalation_messages (escalation_id, author_id, body, client_id, written_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $5::timestamptz IS NOT NULL
                                      THEN LEAST($5::timestamptz, now()) END)
         ON CONFLICT (author_id, client_id) DO NOTHING RETURNING id`,
        [escalationId, authorId, body, from.clientId ?? null, from.writtenAt ?? null],
      );
      return row?.id ?? null;
    },

    /** Messages this author wrote in this case within the last `windowHours`. */
    async countRecent(escalationId: string, authorId: string, windowHours: number) {
      const row = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM escalation_messages
          WHERE escalation_id = $1 AND author_id = $2
            AND created_at > now() - make_interval(secs => $3::float8)`,
        [escalationId, authorId, windowHours * 3600],
      );
      return row.n;
    },

    /** The message this author already sent with this clientId, and its case. */
    async findByClientId(
      authorId: string,
      clientId: string,
    ): Promise<{ id: string; escalationId: string } | null> {
      const row = await db.maybeOne<{ id: string; escalation_id: string }>(
        'SELECT id, escalation_id FROM escalation_messages WHERE author_id = $1 AND client_id = $2',
        [authorId, clientId],
      );
      return row && { id: row.id, escalationId: row.escalation_id };
    },

    async insertPhoto(
      messageId: string,
      position: number,
      photo: { mediaKey: string; sha256: string; width: number; height: number },
    ): Promise<void> {
      await db.query(
        `INSERT INTO escalation_message_photos
           (message_id, position, media_key, sha256, width, height)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [messageId, position, photo.mediaKey, photo.sha256, photo.width, photo.height],
      );
    },

    /** Oldest first (a conversation reads top to bottom); only `messageId` when given. */
    async list(escalationId: string, messageId?: string): Promise<MessageRecord[]> {
      const rows = await db.query<{
        id: string;
        body: string;
        author_id: string;
        display_name: string | null;
        role: Role;
        created_at: Date;
        written_at: Date | null;
      }>(
        `SELECT m.id, m.body, m.author_id, u.display_name, u.role, m.created_at, m.written_at
           FROM escalation_messages m JOIN users u ON u.id = m.author_id
          WHERE m.escalation_id = $1 AND ($2::uuid IS NULL OR m.id = $2::uuid)
          ORDER BY m.created_at, m.id`,
        [escalationId, messageId ?? null],
      );
      if (rows.length === 0) return [];
      const photos = await db.query<{
        message_id: string;
        media_key: string;
        width: number;
        height: number;
      }>(
        `SELECT message_id, media_key, width, height FROM escalation_message_photos
          WHERE message_id = ANY($1::uuid[]) ORDER BY message_id, position`,
        [rows.map((r) => r.id)],
      );
      const photosById = groupBy(photos, (p) => p.message_id);
      return rows.map((r) => ({
        id: r.id,
        body: r.body,
        author: { id: r.author_id, name: r.display_name, role: r.role },
        photos: (photosById.get(r.id) ?? []).map((p) => ({
          mediaKey: p.media_key,
          width: p.width,
          height: p.height,
        })),
        createdAt: r.created_at.toISOString(),
        writtenAt: r.written_at?.toISOString() ?? null,
      }));
    },

    /** Media key of the `index`-th photo (0-based, position order) of a message of this case. */
    async findPhotoKey(
      escalationId: string,
      messageId: string,
      index: number,
    ): Promise<string | null> {
      const row = await db.maybeOne<{ media_key: string }>(
        `SELECT p.media_key
           FROM escalation_message_photos p JOIN escalation_messages m ON m.id = p.message_id
          WHERE m.escalation_id = $1 AND p.message_id = $2
          ORDER BY p.position OFFSET $3 LIMIT 1`,
        [escalationId, messageId, index],
      );
      return row?.media_key ?? null;
    },
  };
}
export type EscalationMessageRepository = ReturnType<typeof escalationMessageRepository>;
