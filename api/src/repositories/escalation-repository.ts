import type { Queryable } from '../db/types';
import type {
  ContactPreference,
  EscalationStatus,
  GeoLocation,
  Prediction,
} from '../contract/escalation';
import type { ProfileKind, Role } from '../contract/user';
import type { Language } from '../contract/common';
import type { EscalationQueueQuery } from '../contract/lab';

export interface ActorRecord {
  id: string;
  name: string | null;
  role: Role;
}

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
  contactPhone: string | null;
  /** The owner's language (users.language, followed from the app's language switch). */
  ownerLanguage: Language;
  createdAt: string;
  photos: { mediaKey: string; width: number; height: number }[];
  answer: {
    /** null for a diagnosis outside the library (then `diagnosisText`). */
    diagnosisSlug: string | null;
    diagnosisText: string | null;
    message: string;
    recommendations: string | null;
    cannedAnswerId: string | null;
    specialistName: string | null;
    at: string;
  } | null;
  history: {
    from: EscalationStatus | null;
    to: EscalationStatus;
    at: string;
    by: ActorRecord | null;
  }[];
  consentPhotoReuse: boolean;
  caseRef: string | null;
  sampleInstructions: string | null;
  sampleReceivedAt: string | null;
  /** Since when a message of the owner waits for the lab (migration 011); null when none. */
  replyWaitingSince: string | null;
  assignee: ActorRecord | null;
  rating: { score: number; comment: string | null; at: string } | null;
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
  contact_phone: string | null;
  owner_language: Language;
  created_at: Date;
  consent_photo_reuse: boolean;
  case_ref: string | null;
  sample_instructions: string | null;
  sample_received_at: Date | null;
  reply_waiting_since: Date | null;
  assignee_id: string | null;
  assignee_name: string | null;
  assignee_role: Role | null;
  // Details, aggregated as JSON by the same query (see DETAILS); times in epoch milliseconds.
  photos: { media_key: string; width: number; height: number }[];
  answer: {
    diagnosis_slug: string | null;
    diagnosis_text: string | null;
    message: string;
    recommendations: string | null;
    canned_answer_id: string | null;
    display_name: string | null;
    at_ms: number;
  } | null;
  history: {
    from_status: EscalationStatus | null;
    to_status: EscalationStatus;
    at_ms: number;
    actor_id: string | null;
    actor_name: string | null;
    actor_role: Role | null;
  }[];
  rating: { score: number; comment: string | null; at_ms: number } | null;
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
  contactPhone: string | null;
  consentPhotoReuse: boolean;
}

export interface NewEscalationPhoto {
  mediaKey: string;
  sha256: string;
  width: number;
  height: number;
}

const COLUMNS = `e.id, e.client_id, e.user_id, e.status, e.crop, e.description, e.prediction,
  e.location_lat, e.location_lon, e.location_accuracy_m, e.region_code, e.profile_kind,
  e.contact_preference, e.contact_phone, e.created_at, e.consent_photo_reuse, e.case_ref, e.sample_instructions,
  e.sample_received_at, e.reply_waiting_since, e.claimed_by AS assignee_id, a.display_name AS assignee_name,
  a.role AS assignee_role,
  (SELECT o.language FROM users o WHERE o.id = e.user_id) AS owner_language`;
const FROM = 'escalations e LEFT JOIN users a ON a.id = e.claimed_by';

/** Epoch milliseconds, truncated like the drivers' own timestamptz → Date conversion. */
const MS = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;

/** A case's photos as the JSON array EscalationRow.photos, from `source` (alias p). */
const PHOTOS_JSON = (source: string) => `(SELECT COALESCE(json_agg(json_build_object(
    'media_key', p.media_key, 'width', p.width, 'height', p.height) ORDER BY p.position),
    '[]'::json) FROM ${source})`;

/** A case's history as the JSON array EscalationRow.history, from `table` (alias h). */
const HISTORY_JSON = (table: string, where = '') => `(SELECT COALESCE(json_agg(json_build_object(
    'from_status', h.from_status, 'to_status', h.to_status, 'at_ms', ${MS('h.at')},
    'actor_id', h.actor_id, 'actor_name', hu.display_name, 'actor_role', hu.role)
    ORDER BY h.id), '[]'::json)
  FROM ${table} LEFT JOIN users hu ON hu.id = h.actor_id ${where})`;

/**
 * A case's photos, answer, history and rating in the same query as the case (one round trip
 * whatever the number of cases; each subquery is an index lookup). One answer and one rating
 * per case at most (primary keys).
 */
const DETAILS = `
  ${PHOTOS_JSON('escalation_photos p WHERE p.escalation_id = e.id')} AS photos,
  (SELECT json_build_object('diagnosis_slug', an.diagnosis_slug,
            'diagnosis_text', an.diagnosis_text, 'message', an.message,
            'recommendations', an.recommendations, 'canned_answer_id', an.canned_answer_id,
            'display_name', au.display_name, 'at_ms', ${MS('an.created_at')})
     FROM escalation_answers an JOIN users au ON au.id = an.specialist_id
    WHERE an.escalation_id = e.id) AS answer,
  ${HISTORY_JSON('escalation_status_history h', 'WHERE h.escalation_id = e.id')} AS history,
  (SELECT json_build_object('score', r.score, 'comment', r.comment,
            'at_ms', ${MS('r.created_at')})
     FROM escalation_ratings r WHERE r.escalation_id = e.id) AS rating`;

/**
 * Specialist queue order: cases the lab owes a response first, a reply of the requester waiting
 * for the lab included (then those waiting for a sample,
 * then answered/closed); among them the agricultural clientele (producers and advisors) before
 * home gardeners; then by the start of the service-commitment clock (reception, or arrival of
 * the sample). The due time is a monotonic function of that start, so this is "least time left
 * first" without computing business days in SQL.
 */
/** The queue's sort key of one case, as the database writes it (JSON): a page's keyset. */
export type QueueKey = [bucket: number, gardener: boolean, since: string, id: string];
/** A client's own cases: newest first (created_at DESC, id DESC), the keyset of their pages. */
export type OwnerKey = [createdAt: string, id: string];

/** Queue order, also the keyset of its pages (see services/page-cursors.ts). */
const QUEUE_KEY = `(CASE WHEN e.status IN ('received', 'in_review', 'sample_received')
      OR e.reply_waiting_since IS NOT NULL THEN 0
    WHEN e.status = 'sample_requested' THEN 1 ELSE 2 END),
  (e.profile_kind = 'gardener'), COALESCE(e.sample_received_at, e.created_at), e.id`;

/** WHERE clause and parameters of the queue filters (the model's top suggestion is top[0]). */
function queueFilter(
  q: EscalationQueueQuery,
  opts: { ignoreStatus?: boolean; ownerId?: string } = {},
): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (opts.ownerId !== undefined) add((p) => `e.user_id = ${p}`, opts.ownerId);
  if (q.status !== undefined && !opts.ignoreStatus) add((p) => `e.status = ${p}`, q.status);
  // A crop the library knows matches under either of its names: "Grape" finds the cases typed
  // "Vigne" too.
  if (q.crop !== undefined) {
    add(
      (p) => `lower(e.crop) IN (
        SELECT lower(${p}::text)
        UNION SELECT lower(n) FROM library_entries l, LATERAL (VALUES (l.crop_fr), (l.crop_en)) v(n)
         WHERE lower(l.crop_fr) = lower(${p}::text) OR lower(l.crop_en) = lower(${p}::text))`,
      q.crop,
    );
  }
  if (q.regionCode !== undefined) add((p) => `e.region_code = ${p}`, q.regionCode);
  if (q.ref !== undefined) {
    // Typed from a bag: « pd-2026-5 » is not the reference, « pd 2026 000005 » is.
    const ref = q.ref.toUpperCase().replace(/\s+/g, '-');
    add((p) => `e.case_ref LIKE ${p} || '%'`, ref.replace(/[%_]/g, ''));
  }
  if (q.suggestion !== undefined) {
    add((p) => `e.prediction -> 'top' -> 0 ->> 'slug' = ${p}`, q.suggestion);
  }
  if (q.kind !== undefined) {
    add(
      (p) => `EXISTS (SELECT 1 FROM library_entries l
        WHERE l.slug = e.prediction -> 'top' -> 0 ->> 'slug' AND l.kind = ${p})`,
      q.kind,
    );
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function escalationRepository(db: Queryable) {
  const iso = (ms: number) => new Date(ms).toISOString();
  function toRecord(r: EscalationRow): EscalationRecord {
    const { answer, rating } = r;
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
      contactPhone: r.contact_phone,
      ownerLanguage: r.owner_language,
      createdAt: r.created_at.toISOString(),
      photos: r.photos.map((p) => ({ mediaKey: p.media_key, width: p.width, height: p.height })),
      answer: answer
        ? {
            diagnosisSlug: answer.diagnosis_slug,
            diagnosisText: answer.diagnosis_text,
            message: answer.message,
            recommendations: answer.recommendations,
            cannedAnswerId: answer.canned_answer_id,
            specialistName: answer.display_name,
            at: iso(answer.at_ms),
          }
        : null,
      history: r.history.map((h) => ({
        from: h.from_status,
        to: h.to_status,
        at: iso(h.at_ms),
        by:
          h.actor_id === null || h.actor_role === null
            ? null
            : { id: h.actor_id, name: h.actor_name, role: h.actor_role },
      })),
      consentPhotoReuse: r.consent_photo_reuse,
      caseRef: r.case_ref,
      sampleInstructions: r.sample_instructions,
      sampleReceivedAt: r.sample_received_at?.toISOString() ?? null,
      replyWaitingSince: r.reply_waiting_since?.toISOString() ?? null,
      assignee:
        r.assignee_id === null || r.assignee_role === null
          ? null
          : { id: r.assignee_id, name: r.assignee_name, role: r.assignee_role },
      rating: rating
        ? { score: rating.score, comment: rating.comment, at: iso(rating.at_ms) }
        : null,
    };
  }

  /**
   * One keyset page of cases: `key` (a row expression, `keyTypes` its SQL types) is the sort
   * order and what the next page starts after; `before`: the order is descending. One row more
   * than the page tells whether another follows, without a count.
   */
  async function keysetPage<K extends unknown[]>(q: {
    where: string;
    params: unknown[];
    key: string;
    keyTypes: readonly string[];
    orderBy: string;
    before: boolean;
    limit: number;
    after: K | null;
  }): Promise<{ records: EscalationRecord[]; next: K | null }> {
    const params = [...q.params];
    let clause = q.where;
    if (q.after) {
      const first = params.length + 1;
      params.push(...q.after);
      const values = q.keyTypes.map((type, i) => `$${first + i}::${type}`).join(', ');
      const after = `(${q.key}) ${q.before ? '<' : '>'} (${values})`;
      clause = clause ? `${clause} AND ${after}` : `WHERE ${after}`;
    }
    const rows = await db.query<EscalationRow & { page_key: K }>(
      `SELECT ${COLUMNS}, ${DETAILS}, json_build_array(${q.key}) AS page_key
         FROM ${FROM} ${clause}
        ORDER BY ${q.orderBy} LIMIT $${params.length + 1}`,
      [...params, q.limit + 1],
    );
    const shown = rows.slice(0, q.limit);
    const last = shown.at(-1);
    return {
      records: shown.map(toRecord),
      next: rows.length > q.limit && last ? last.page_key : null,
    };
  }

  return {
    async findIdByClientId(userId: string, clientId: string): Promise<string | null> {
      const row = await db.maybeOne<{ id: string }>(
        'SELECT id FROM escalations WHERE user_id = $1 AND client_id = $2',
        [userId, clientId],
      );
      return row?.id ?? null;
    },

    /**
     * The case, its photos (in position order) and its first history step ('received', by the
     * owner) in one statement, which also answers the new case as findById would. null when
     * (user, clientId) already exists: the unique constraint decides races, and then nothing is
     * written.
     */
    async insert(
      e: NewEscalation,
      photos: readonly NewEscalationPhoto[],
    ): Promise<EscalationRecord | null> {
      // Rows written by a statement are not visible to its own subqueries: the details come from
      // the RETURNING of each insert, in the same shape as DETAILS (no answer or rating yet).
      const row = await db.maybeOne<EscalationRow>(
        `WITH e AS (
           INSERT INTO escalations (client_id, user_id, crop, description, prediction,
             location_lat, location_lon, location_accuracy_m, region_code, profile_kind,
             contact_preference, consent_photo_reuse, contact_phone)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $17)
           ON CONFLICT (user_id, client_id) DO NOTHING
           RETURNING *
         ), photos AS (
           INSERT INTO escalation_photos (escalation_id, position, media_key, sha256, width, height)
           SELECT e.id, p.ord - 1, p.media_key, p.sha256, p.width, p.height
             FROM e, unnest($13::text[], $14::text[], $15::int[], $16::int[])
                     WITH ORDINALITY AS p (media_key, sha256, width, height, ord)
           RETURNING position, media_key, width, height
         ), history AS (
           INSERT INTO escalation_status_history (escalation_id, from_status, to_status, actor_id)
           SELECT e.id, NULL, 'received', $2 FROM e
           RETURNING id, from_status, to_status, at, actor_id
         )
         SELECT ${COLUMNS},
           ${PHOTOS_JSON('photos p')} AS photos,
           NULL::json AS answer,
           ${HISTORY_JSON('history h')} AS history,
           NULL::json AS rating
         FROM e LEFT JOIN users a ON a.id = e.claimed_by`,
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
          e.consentPhotoReuse,
          photos.map((p) => p.mediaKey),
          photos.map((p) => p.sha256),
          photos.map((p) => p.width),
          photos.map((p) => p.height),
          e.contactPhone,
        ],
      );
      return row ? toRecord(row) : null;
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
      const row = await db.maybeOne<EscalationRow>(
        `SELECT ${COLUMNS}, ${DETAILS} FROM ${FROM} WHERE e.id = $1`,
        [id],
      );
      return row ? toRecord(row) : null;
    },

    /** The case's latest closing: the status it was closed from, and when. */
    async lastClosing(id: string): Promise<{ from: EscalationStatus; at: Date } | null> {
      const row = await db.maybeOne<{ from_status: EscalationStatus; at: Date }>(
        `SELECT from_status, at FROM escalation_status_history
          WHERE escalation_id = $1 AND to_status = 'closed'
          ORDER BY id DESC LIMIT 1`,
        [id],
      );
      return row ? { from: row.from_status, at: row.at } : null;
    },

    /** Back to the status it was closed from; the answer keeps its own time. */
    async reopen(id: string, status: EscalationStatus): Promise<void> {
      await db.query(`UPDATE escalations SET status = $2 WHERE id = $1`, [id, status]);
    },

    async setStatus(id: string, status: EscalationStatus): Promise<void> {
      await db.query(
        `UPDATE escalations SET status = $2,
           answered_at = CASE WHEN $2 = 'answered' THEN now() ELSE answered_at END
         WHERE id = $1`,
        [id, status],
      );
    },

    async upsertAnswer(a: {
      escalationId: string;
      specialistId: string;
      diagnosisSlug: string | null;
      diagnosisText: string | null;
      message: string;
      recommendations: string | null;
      cannedAnswerId: string | null;
      modelVersion: string | null;
      top1Agree: boolean | null;
      top3Agree: boolean | null;
    }): Promise<void> {
      await db.query(
        `INSERT INTO escalation_answers (escalation_id, specialist_id, diagnosis_slug, message,
           diagnosis_text, recommendations, canned_answer_id, model_version, top1_agree, top3_agree)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (escalation_id) DO UPDATE SET specialist_id = EXCLUDED.specialist_id,
           diagnosis_slug = EXCLUDED.diagnosis_slug, message = EXCLUDED.message,
           diagnosis_text = EXCLUDED.diagnosis_text, recommendations = EXCLUDED.recommendations,
           canned_answer_id = EXCLUDED.canned_answer_id, model_version = EXCLUDED.model_version,
           top1_agree = EXCLUDED.top1_agree, top3_agree = EXCLUDED.top3_agree, created_at = now()`,
        [
          a.escalationId,
          a.specialistId,
          a.diagnosisSlug,
          a.message,
          a.diagnosisText,
          a.recommendations,
          a.cannedAnswerId,
          a.modelVersion,
          a.top1Agree,
          a.top3Agree,
        ],
      );
    },

    /** One page of a client's own cases, newest first, after `after` (see OwnerKey). */
    listByOwner(
      userId: string,
      filters: EscalationQueueQuery = {},
      page: { limit: number; after?: OwnerKey | null },
    ): Promise<{ records: EscalationRecord[]; next: OwnerKey | null }> {
      return keysetPage({
        ...queueFilter(filters, { ownerId: userId }),
        key: 'e.created_at, e.id',
        keyTypes: ['timestamptz', 'uuid'],
        orderBy: 'e.created_at DESC, e.id DESC',
        before: true,
        limit: page.limit,
        after: page.after ?? null,
      });
    },

    /** One page of the queue, after `after` (the key of the previous page's last case). */
    listQueue(
      filters: EscalationQueueQuery = {},
      page: { limit?: number; after?: QueueKey | null } = {},
    ): Promise<{ records: EscalationRecord[]; next: QueueKey | null }> {
      return keysetPage({
        ...queueFilter(filters),
        key: QUEUE_KEY,
        keyTypes: ['int', 'boolean', 'timestamptz', 'uuid'],
        orderBy: QUEUE_KEY,
        before: false,
        limit: page.limit ?? 200,
        after: page.after ?? null,
      });
    },

    /** Cases per status under the queue filters, the status filter itself ignored. */
    async countByStatus(filters: EscalationQueueQuery = {}): Promise<Record<string, number>> {
      const { where, params } = queueFilter(filters, { ignoreStatus: true });
      const rows = await db.query<{ status: string; n: number | string }>(
        `SELECT e.status, COUNT(*) AS n FROM escalations e ${where} GROUP BY e.status`,
        params,
      );
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    /** Current status and owner, locking the row until the end of the transaction. */
    async lockCase(id: string): Promise<{
      status: EscalationStatus;
      userId: string;
      caseRef: string | null;
      claimedBy: { id: string; name: string | null } | null;
    } | null> {
      const row = await db.maybeOne<{
        status: EscalationStatus;
        user_id: string;
        case_ref: string | null;
        claimed_by: string | null;
        claimed_by_name: string | null;
      }>(
        `SELECT e.status, e.user_id, e.case_ref, e.claimed_by,
                (SELECT display_name FROM users WHERE id = e.claimed_by) AS claimed_by_name
           FROM escalations e WHERE e.id = $1 FOR UPDATE OF e`,
        [id],
      );
      return row
        ? {
            status: row.status,
            userId: row.user_id,
            caseRef: row.case_ref,
            claimedBy: row.claimed_by ? { id: row.claimed_by, name: row.claimed_by_name } : null,
          }
        : null;
    },

    async setConsentPhotoReuse(id: string, consent: boolean): Promise<void> {
      await db.query('UPDATE escalations SET consent_photo_reuse = $2 WHERE id = $1', [
        id,
        consent,
      ]);
    },

    async ownerAndStatus(id: string): Promise<{ userId: string; status: EscalationStatus } | null> {
      const row = await db.maybeOne<{ user_id: string; status: EscalationStatus }>(
        'SELECT user_id, status FROM escalations WHERE id = $1',
        [id],
      );
      return row ? { userId: row.user_id, status: row.status } : null;
    },

    /** Whether the lab ever gave the case a first response (an answer or a sample request). */
    async hasResponded(id: string): Promise<boolean> {
      const row = await db.maybeOne<{ one: number }>(
        `SELECT 1 AS one FROM escalation_status_history
          WHERE escalation_id = $1 AND to_status IN ('answered', 'sample_requested') LIMIT 1`,
        [id],
      );
      return row !== null;
    },

    /**
     * The owner wrote (waiting since now, or since earlier), or the lab acted (nothing waits).
     * Called on every lab action: the row is only written when the flag really changes.
     */
    async setReplyWaiting(id: string, waiting: boolean): Promise<void> {
      await db.query(
        `UPDATE escalations
            SET reply_waiting_since = CASE WHEN $2 THEN now() END
          WHERE id = $1 AND (reply_waiting_since IS NOT NULL) <> $2`,
        [id, waiting],
      );
    },

    /** The case's requester profile (the queue's priority), as the lab corrected it. */
    async setProfileKind(id: string, kind: ProfileKind): Promise<void> {
      await db.query('UPDATE escalations SET profile_kind = $2 WHERE id = $1', [id, kind]);
    },

    async setClaimedBy(id: string, userId: string): Promise<void> {
      await db.query('UPDATE escalations SET claimed_by = $2 WHERE id = $1', [id, userId]);
    },

    /** Next human reference, e.g. PD-2026-000123 (sequence: unique across years too). */
    async nextCaseRef(year: number): Promise<string> {
      const row = await db.one<{ n: string | number }>(
        "SELECT nextval('escalation_case_ref_seq') AS n",
      );
      return `PD-${year}-${String(row.n).padStart(6, '0')}`;
    },

    async setSampleRequest(id: string, caseRef: string, instructions: string): Promise<void> {
      await db.query(
        'UPDATE escalations SET case_ref = $2, sample_instructions = $3 WHERE id = $1',
        [id, caseRef, instructions],
      );
    },

    async setSampleReceived(id: string): Promise<void> {
      await db.query('UPDATE escalations SET sample_received_at = now() WHERE id = $1', [id]);
    },

    /** Whether any case exists (the demo seed only fills an empty database). */
    async any(): Promise<boolean> {
      const row = await db.one<{ any: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM escalations) AS any',
      );
      return row.any;
    },

    /** Demo seed only: moves a case's reception `hours` back in time (case and its history). */
    async backdate(id: string, hours: number): Promise<void> {
      await db.query(
        `WITH e AS (
           UPDATE escalations SET created_at = created_at - make_interval(hours => $2::int)
            WHERE id = $1 RETURNING id
         )
         UPDATE escalation_status_history SET at = at - make_interval(hours => $2::int)
          WHERE escalation_id IN (SELECT id FROM e)`,
        [id, hours],
      );
    },

    /**
     * Demo history only: moves what happened to a case at or after `since` (claim, sample,
     * answer, notifications and their reading, rating) `hours` back, so a seeded case shows a
     * real response time.
     */
    async backdateSince(id: string, since: Date, hours: number): Promise<void> {
      const shift = `- $3::float8 * interval '1 hour'`;
      await db.query(
        `WITH h AS (
           UPDATE escalation_status_history SET at = at ${shift}
            WHERE escalation_id = $1 AND at >= $2 RETURNING 1
         ), e AS (
           UPDATE escalations
              SET answered_at = CASE WHEN answered_at >= $2 THEN answered_at ${shift}
                                     ELSE answered_at END,
                  sample_received_at = CASE WHEN sample_received_at >= $2
                                            THEN sample_received_at ${shift}
                                            ELSE sample_received_at END
            WHERE id = $1 RETURNING 1
         ), a AS (
           UPDATE escalation_answers SET created_at = created_at ${shift}
            WHERE escalation_id = $1 AND created_at >= $2 RETURNING 1
         ), n AS (
           UPDATE notifications
              SET created_at = CASE WHEN created_at >= $2 THEN created_at ${shift}
                                    ELSE created_at END,
                  read_at = CASE WHEN read_at >= $2 THEN read_at ${shift} ELSE read_at END
            WHERE escalation_id = $1 AND (created_at >= $2 OR read_at >= $2) RETURNING 1
         )
         UPDATE escalation_ratings SET created_at = created_at ${shift}
          WHERE escalation_id = $1 AND created_at >= $2`,
        [id, since, hours],
      );
    },

    /** Serialises case creation per user (rate limit and duplicate checks are then exact). */
    async lockUser(userId: string): Promise<void> {
      // PGlite has one connection and its transaction() holds it exclusively (queries outside
      // wait too): transactions are already serialised, and the lock would be a round trip for
      // nothing on the busiest write path.
      if (db.kind === 'pglite') return;
      await db.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
    },

    /**
     * What decides whether `userId` may create a case now, in one round trip: the case already
     * made from this clientId (a resubmission), the newest open case whose photo set is exactly
     * `sha256s` (a duplicate), and how many cases they created in the last `windowHours`.
     */
    async creationGuards(q: {
      userId: string;
      clientId: string;
      sha256s: readonly string[];
      openStatuses: readonly EscalationStatus[];
      windowHours: number;
    }): Promise<{
      existingId: string | null;
      duplicate: { id: string; caseRef: string | null; crop: string; createdAt: Date } | null;
      createdInWindow: number;
    }> {
      const sorted = [...new Set(q.sha256s)].sort();
      const row = await db.one<{
        existing_id: string | null;
        duplicate_id: string | null;
        duplicate_ref: string | null;
        duplicate_crop: string | null;
        duplicate_created_at: Date | string | null;
        recent: number | string;
      }>(
        `SELECT
           (SELECT id FROM escalations WHERE user_id = $1 AND client_id = $2) AS existing_id,
           dup.id AS duplicate_id, dup.case_ref AS duplicate_ref, dup.crop AS duplicate_crop,
           dup.created_at AS duplicate_created_at,
           (SELECT COUNT(*) FROM escalations
             WHERE user_id = $1 AND created_at > now() - make_interval(secs => $5::float8)) AS recent
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (
           -- Candidates share the first photo: the sha256 index drives, and each candidate's case
           -- is read by primary key (the LATERAL + OFFSET 0 fence fixes that join order). Left to
           -- itself, the planner could walk all of the user's cases and aggregate the photos of
           -- each (it did on PGlite, which has no autovacuum and so no column statistics: 9 ms
           -- at 320 cases instead of 0.2 ms).
           SELECT e.id, e.case_ref, e.crop, e.created_at
             FROM escalation_photos first
             CROSS JOIN LATERAL (
               SELECT e.id, e.case_ref, e.crop, e.created_at, e.user_id, e.status FROM escalations e
                WHERE e.id = first.escalation_id OFFSET 0
             ) AS e
            WHERE first.sha256 = ($3::text[])[1]
              AND e.user_id = $1 AND e.status = ANY($4::text[])
              AND (SELECT array_agg(DISTINCT p.sha256 ORDER BY p.sha256) FROM escalation_photos p
                    WHERE p.escalation_id = e.id) = $3::text[]
            ORDER BY e.created_at DESC LIMIT 1
         ) AS dup ON true`,
        [q.userId, q.clientId, sorted, q.openStatuses, q.windowHours * 3600],
      );
      return {
        existingId: row.existing_id,
        duplicate: row.duplicate_id
          ? {
              id: row.duplicate_id,
              caseRef: row.duplicate_ref,
              crop: row.duplicate_crop ?? '',
              createdAt: new Date(row.duplicate_created_at ?? 0),
            }
          : null,
        createdInWindow: Number(row.recent),
      };
    },

    /**
     * The `index`-th photo of a case (0-based, in position order, as listed in the Escalation
     * contract) with the case owner, or null.
     */
    async findPhoto(
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

    async photosOf(
      escalationId: string,
    ): Promise<{ mediaKey: string; sha256: string; width: number; height: number }[]> {
      const rows = await db.query<{
        media_key: string;
        sha256: string;
        width: number;
        height: number;
      }>(
        `SELECT media_key, sha256, width, height FROM escalation_photos
          WHERE escalation_id = $1 ORDER BY position`,
        [escalationId],
      );
      return rows.map((r) => ({
        mediaKey: r.media_key,
        sha256: r.sha256,
        width: r.width,
        height: r.height,
      }));
    },
  };
}
export type EscalationRepository = ReturnType<typeof escalationRepository>;
