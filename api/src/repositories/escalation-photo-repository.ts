import type { Queryable } from '../db/types';

export function escalationPhotoRepository(db: Queryable) {
  return {
    /**
     * The `index`-th photo of a case (0-based, in position order, as listed in the Escalation
     * contract) with the case owner, or null.
     */
    async find(
      escalationId: string,
      index: number,
    ): Promise<{ ownerId: string; mediaKey: string } | null> {
      const row = await db.maybeOne<{ user_id: string; media_key: string }>(
        `SELECT e.user_id, p.media_key
           FROM escalation_photos p JOIN escalations e ON e.id = p.escalation_id
          WHERE p.escalation_id = $1
          ORDER BY p.position OFFSET $2 LIMIT 1`,
        [escalationId, index],
      );
      return row && { ownerId: row.user_id, mediaKey: row.media_key };
    },
  };
}
export type EscalationPhotoRepository = ReturnType<typeof escalationPhotoRepository>;
