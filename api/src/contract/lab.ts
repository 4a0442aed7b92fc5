import { Type, type Static } from '@sinclair/typebox';
import { FilledText, RegionCode, Uuid } from './common';
import { EscalationActor, EscalationPhoto, EscalationStatus } from './escalation';
import { LibraryKind } from './library';
import { LibraryEntryEdit } from './library-edit';
import { ProfileKind } from './user';
import { WeekStart } from './week';

/** GET /api/escalations filters (all optional, combined with AND). */
export const EscalationQueueQuery = Type.Object(
  {
    status: Type.Optional(EscalationStatus),
    crop: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    regionCode: Type.Optional(RegionCode),
    /**
     * The sample reference written on a bag that reached the lab (« PD-2026-000005 »), or its
     * beginning; case and spaces ignored.
     */
    ref: Type.Optional(Type.String({ minLength: 1, maxLength: 30, pattern: '^[A-Za-z0-9 -]+$' })),
    /** Kind (disease/insect/weed/healthy) of the model's top suggestion. */
    kind: Type.Optional(LibraryKind),
    /** Slug of the model's top suggestion. */
    suggestion: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Only the caller's own cases, staff included: a device's "Mes demandes". */
    mine: Type.Optional(Type.Boolean()),
    /** The `nextCursor` of the previous page (opaque; staff queue or own cases). */
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 400, pattern: '^[A-Za-z0-9_-]+$' }),
    ),
    /** Cases per page: staff queue 200 by default, own cases 50; at most 200. */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type EscalationQueueQuery = Static<typeof EscalationQueueQuery>;

/** POST /api/escalations/:id/sample-request (specialist/admin). */
export const SampleRequestBody = Type.Object(
  { instructions: FilledText(5000) },
  { additionalProperties: false },
);
export type SampleRequestBody = Static<typeof SampleRequestBody>;

/**
 * POST /api/escalations/:id/close. The lab closing a case it never answered must tell the
 * requester why (`message`, posted to the thread, the owner notified): a request is never
 * dropped in silence. The owner withdrawing their own case needs none.
 */
export const CloseBody = Type.Object(
  { message: Type.Optional(FilledText(5000)) },
  { additionalProperties: false },
);
export type CloseBody = Static<typeof CloseBody>;

/**
 * PUT /api/escalations/:id/requester-kind (staff): who the lab finds the requester to be. The
 * profile is self-declared and sets the queue's order (agricultural clients first): the lab puts
 * a producer who picked « jardinier » back among the priority cases, and the reverse.
 */
export const RequesterKindBody = Type.Object(
  { profileKind: ProfileKind },
  { additionalProperties: false },
);
export type RequesterKindBody = Static<typeof RequesterKindBody>;

/**
 * `?takeOver=true` on claim, answer and sample request: the specialist knowingly takes a case a
 * colleague holds (without it: 409 CASE_CLAIMED, naming the colleague).
 */
export const TakeOverQuery = Type.Object(
  { takeOver: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type TakeOverQuery = Static<typeof TakeOverQuery>;

/** Thread message, both directions. */
export const EscalationMessage = Type.Object({
  id: Uuid,
  body: Type.String(),
  author: EscalationActor,
  /** true when written by the case owner, false when by the lab. */
  fromOwner: Type.Boolean(),
  photos: Type.Array(EscalationPhoto),
  createdAt: Type.String({ format: 'date-time' }),
});
export type EscalationMessage = Static<typeof EscalationMessage>;

export const EscalationMessageList = Type.Object({ items: Type.Array(EscalationMessage) });
export type EscalationMessageList = Static<typeof EscalationMessageList>;

/**
 * POST /api/escalations/:id/messages: this JSON body, or multipart with a `body` field and 0–5
 * `photo` file parts.
 */
export const MessageBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 5000 }) },
  { additionalProperties: false },
);
export type MessageBody = Static<typeof MessageBody>;

export const MESSAGE_LIMITS = {
  maxPhotos: 5,
  /**
   * The requester writing on a closed case reopens it, this many days after its closing at most
   * (and only when the lab had responded): a follow-up (« the treatment did not work ») keeps its
   * photos and answer; later, or never answered, a new request.
   */
  reopenDays: 30,
} as const;

export const NotificationKind = Type.Union([
  Type.Literal('answer'),
  Type.Literal('sample_request'),
  Type.Literal('message'),
  /** A confirmed detection in a region the user subscribed to (see AlertSubscription). */
  Type.Literal('alert'),
]);
export type NotificationKind = Static<typeof NotificationKind>;

/** What an alert notification says: never the case, its owner or its location. */
export const AlertInfo = Type.Object({
  slug: Type.String(),
  regionCode: RegionCode,
  crop: Type.Union([Type.String(), Type.Null()]),
  week: WeekStart,
});
export type AlertInfo = Static<typeof AlertInfo>;

export const Notification = Type.Object({
  id: Uuid,
  kind: NotificationKind,
  /** The case concerned; null for an alert (an alert never points at someone else's case). */
  escalationId: Type.Union([Uuid, Type.Null()]),
  /** The case's crop; for an alert, the alert's crop ('' when it has none). */
  crop: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Set for kind 'alert' only. */
  alert: Type.Union([AlertInfo, Type.Null()]),
});
export type Notification = Static<typeof Notification>;

/** GET /api/notifications: latest 100, newest first; `unread` counts all unread. */
export const NotificationList = Type.Object({
  unread: Type.Integer(),
  items: Type.Array(Notification),
});
export type NotificationList = Static<typeof NotificationList>;

/** POST /api/notifications/read: given ids, or every notification of a case, or all. */
export const MarkReadBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
    escalationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type MarkReadBody = Static<typeof MarkReadBody>;

/** POST /api/escalations/:id/rating (owner only, once, when answered or closed). */
export const RatingBody = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;

const CannedText = Type.Object({
  title: Type.String(),
  message: Type.String(),
  recommendations: Type.String(),
});

/** GET /api/canned-answers (specialist/admin): both languages, the producer's is used. */
export const CannedAnswer = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  fr: CannedText,
  en: CannedText,
  /** Who last wrote it in the app, and when; null for those that came with the app. */
  lastEdit: Type.Union([LibraryEntryEdit, Type.Null()]),
});
export type CannedAnswer = Static<typeof CannedAnswer>;

export const CannedAnswerList = Type.Object({ items: Type.Array(CannedAnswer) });
export type CannedAnswerList = Static<typeof CannedAnswerList>;

export const CANNED_ANSWER_LIMITS = { title: 120, text: 5000 } as const;

const CannedTextBody = Type.Object(
  {
    title: FilledText(CANNED_ANSWER_LIMITS.title),
    message: FilledText(CANNED_ANSWER_LIMITS.text),
    recommendations: FilledText(CANNED_ANSWER_LIMITS.text),
  },
  { additionalProperties: false },
);

/**
 * POST /api/canned-answers → 201 CannedAnswer, PUT /api/canned-answers/:id → CannedAnswer,
 * DELETE /api/canned-answers/:id → 204 (specialist/admin). Both languages: the requester reads
 * theirs. 422 UNKNOWN_SLUG when the class is not a library entry. An answer already sent keeps
 * its text when its canned answer changes or goes.
 */
export const CannedAnswerBody = Type.Object(
  {
    slug: Type.String({ minLength: 1, maxLength: 100 }),
    fr: CannedTextBody,
    en: CannedTextBody,
  },
  { additionalProperties: false },
);
export type CannedAnswerBody = Static<typeof CannedAnswerBody>;

export const CannedAnswerParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
});
export type CannedAnswerParams = Static<typeof CannedAnswerParams>;

export const AgreementRow = Type.Object({
  /** Specialist's diagnosis (library slug). */
  slug: Type.String(),
  /** Answered cases of that class that carried an on-device prediction. */
  n: Type.Integer(),
  /**
   * Of those, the ones where the device said « not sure » (abstained) rather than naming a class.
   * Its ranking still counts in top1Agree/top3Agree: this says how often the person was told so.
   */
  abstained: Type.Integer(),
  top1Agree: Type.Integer(),
  top3Agree: Type.Integer(),
});
export type AgreementRow = Static<typeof AgreementRow>;

/** GET /api/stats/agreement (specialist/admin). */
export const AgreementStats = Type.Object({
  total: Type.Object({
    n: Type.Integer(),
    abstained: Type.Integer(),
    top1Agree: Type.Integer(),
    top3Agree: Type.Integer(),
  }),
  classes: Type.Array(AgreementRow),
});
export type AgreementStats = Static<typeof AgreementStats>;
