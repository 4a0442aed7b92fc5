import type { Queryable } from '../db/types';
import type {
  ContactPreference,
  EscalationStatus,
  GeoLocation,
  Prediction,
} from '../contract/escalation';
import type { ProfileKind } from '../contract/user';

export interface EscalationRecord {
  id: string;
  clientId: string;
  userId: string;
  status: EscalationStatus;
  crop: string;
  description: string;
  prediction: Prediction | null;
  location: GeoLocation | null;
  regionCode: string | null;
  profileKind: ProfileKind;
  contactPreference: ContactPreference | null;
  createdAt: string;
  photos: { mediaKey: string; width: number; height: number }[];
  answer: {
    diagnosisSlug: string;
    message: string;
    specialistName: string | null;
    at: string;
  } | null;
  history: { from: EscalationStatus | null; to: EscalationStatus; at: string }[];
}

interface EscalationRow {
  id: string;
  client_id: string;
  user_id: string;
  status: EscalationStatus;
  crop: string;
  description: string;
  prediction: Prediction | null;
  location_lat: number | null;
  location_lon: number | null;
  location_accuracy_m: number | null;
  region_code: string | null;
  profile_kind: ProfileKind;
  contact_preference: ContactPreference | null;
  created_at: Date;
}

export interface NewEscalation {
  clientId: string;
  userId: string;
  crop: string;
  description: string;
  prediction: Prediction | null;
  location: GeoLocation | null;
  regionCode: string | null;
  profileKind: ProfileKind;
  contactPreference: ContactPreference | null;
}

const COLUMNS = `id, client_id, user_id, status, crop, description, prediction, location_lat,
  location_lon, location_accuracy_m, region_code, profile_kind, contact_preference, created_at`;

/**
 * Specialist queue order: open cases first; among them the agricultural clientele (producers and
 * advisors) before home gardeners; then oldest first.
 */
const QUEUE_ORDER = `(status IN ('answered', 'closed')), (profile_kind = 'gardener'), created_at, id`;

export function escalationRepository(db: Queryable) {
  async function withDetails(rows: EscalationRow[]): Promise<EscalationRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [photos, answers, history] = await Promise.all([
      db.query<{ escalation_id: string; media_key: string; width: number; height: number }>(
        `SELECT escalation_id, media_key, width, height FROM escalation_photos
          WHERE escalation_id = ANY($1::uuid[]) ORDER BY escalation_id, position`,
        [ids],
      ),
      db.query<{
        escalation_id: string;
        diagnosis_slug: string;
        message: string;
        display_name: string | null;
        created_at: Date;
      }>(
        `SELECT a.escalation_id, a.diagnosis_slug, a.message, u.display_name, a.created_at
           FROM escalation_answers a JOIN users u ON u.id = a.specialist_id
          WHERE a.escalation_id = ANY($1::uuid[])`,
        [ids],
      ),
      db.query<{
        escalation_id: string;
        from_status: EscalationStatus | null;
        to_status: EscalationStatus;
        at: Date;
      }>(
        `SELECT escalation_id, from_status, to_status, at FROM escalation_status_history
          WHERE escalation_id = ANY($1::uuid[]) ORDER BY escalation_id, id`,
        [ids],
      ),
    ]);
    return rows.map((r) => {
      const answer = answers.find((a) => a.escalation_id === r.id);
      return {
        id: r.id,
        clientId: r.client_id,
        userId: r.user_id,
        status: r.status,
        crop: r.crop,
        description: r.description,
        prediction: r.prediction,
        location:
          r.location_lat === null || r.location_lon === null
            ? null
            : {
                lat: r.location_lat,
                lon: r.location_lon,
                ...(r.location_accuracy_m === null ? {} : { accuracyM: r.location_accuracy_m }),
              },
        regionCode: r.region_code,
        profileKind: r.profile_kind,
        contactPreference: r.contact_preference,
        createdAt: r.created_at.toISOString(),
        photos: photos
          .filter((p) => p.escalation_id === r.id)
          .map((p) => ({ mediaKey: p.media_key, width: p.width, height: p.height })),
        answer: answer
          ? {
              diagnosisSlug: answer.diagnosis_slug,
              message: answer.message,
              specialistName: answer.display_name,
              at: answer.created_at.toISOString(),
            }
          : null,
        history: history
          .filter((h) => h.escalation_id === r.id)
          .map((h) => ({ from: h.from_status, to: h.to_status, at: h.at.toISOString() })),
      };
    });
  }

  return {
    async findIdByClientId(userId: string, clientId: string): Promise<string | null> {
      const row = await db.maybeOne<{ id: string }>(
        'SELECT id FROM escalations WHERE user_id = $1 AND client_id = $2',
        [userId, clientId],
      );
      return row?.id ?? null;
    },

    /** null when (user, clientId) already exists: the unique constraint decides races. */
    async insert(e: NewEscalation): Promise<string | null> {
      const row = await db.maybeOne<{ id: string }>(
        `INSERT INTO escalations (client_id, user_id, crop, description, prediction, location_lat,
           location_lon, location_accuracy_m, region_code, profile_kind, contact_preference)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (user_id, client_id) DO NOTHING
         RETURNING id`,
        [
          e.clientId,
          e.userId,
          e.crop,
          e.description,
          e.prediction === null ? null : JSON.stringify(e.prediction),
          e.location?.lat ?? null,
          e.location?.lon ?? null,
          e.location?.accuracyM ?? null,
          e.regionCode,
          e.profileKind,
          e.contactPreference,
        ],
      );
      return row?.id ?? null;
    },

    async insertPhoto(
      escalationId: string,
      position: number,
      photo: { mediaKey: string; sha256: string; width: number; height: number },
    ): Promise<void> {
      await db.query(
        `INSERT INTO escalation_photos (escalation_id, position, media_key, sha256, width, height)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [escalationId, position, photo.mediaKey, photo.sha256, photo.width, photo.height],
      );
    },

    async insertHistory(
      escalationId: string,
      from: EscalationStatus | null,
      to: EscalationStatus,
      actorId: string,
    ): Promise<void> {
      await db.query(
        `INSERT INTO escalation_status_history (escalation_id, from_status, to_status, actor_id)
         VALUES ($1, $2, $3, $4)`,
        [escalationId, from, to, actorId],
      );
    },

    async findById(id: string): Promise<EscalationRecord | null> {
      const rows = await db.query<EscalationRow>(
        `SELECT ${COLUMNS} FROM escalations WHERE id = $1`,
        [id],
      );
      return (await withDetails(rows))[0] ?? null;
    },

    /** Current status, locking the row until the end of the transaction. */
    async lockStatus(id: string): Promise<EscalationStatus | null> {
      const row = await db.maybeOne<{ status: EscalationStatus }>(
        'SELECT status FROM escalations WHERE id = $1 FOR UPDATE',
        [id],
      );
      return row?.status ?? null;
    },

    async setStatus(id: string, status: EscalationStatus): Promise<void> {
      await db.query(
        `UPDATE escalations SET status = $2,
           answered_at = CASE WHEN $2 = 'answered' THEN now() ELSE answered_at END
         WHERE id = $1`,
        [id, status],
      );
    },

    async upsertAnswer(
      escalationId: string,
      specialistId: string,
      diagnosisSlug: string,
      message: string,
    ): Promise<void> {
      await db.query(
        `INSERT INTO escalation_answers (escalation_id, specialist_id, diagnosis_slug, message)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (escalation_id) DO UPDATE SET specialist_id = EXCLUDED.specialist_id,
           diagnosis_slug = EXCLUDED.diagnosis_slug, message = EXCLUDED.message, created_at = now()`,
        [escalationId, specialistId, diagnosisSlug, message],
      );
    },

    async listByOwner(userId: string, limit = 200): Promise<EscalationRecord[]> {
      const rows = await db.query<EscalationRow>(
        `SELECT ${COLUMNS} FROM escalations WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
        [userId, limit],
      );
      return withDetails(rows);
    },

    async listQueue(limit = 200): Promise<EscalationRecord[]> {
      const rows = await db.query<EscalationRow>(
        `SELECT ${COLUMNS} FROM escalations ORDER BY ${QUEUE_ORDER} LIMIT $1`,
        [limit],
      );
      return withDetails(rows);
    },
  };
}
export type EscalationRepository = ReturnType<typeof escalationRepository>;
