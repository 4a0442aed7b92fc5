import { Type, type Static } from '@sinclair/typebox';
import { FilledText, LocalizedText, RegionCode, Uuid } from './common';
import { LibraryKind } from './library';

export const BankImageStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('validated'),
  Type.Literal('rejected'),
]);
export type BankImageStatus = Static<typeof BankImageStatus>;

const Slug = Type.String({ pattern: '^[a-z][a-z0-9_]{2,99}$' });

/** A class the library does not have yet; validating its first image creates the entry. */
export const ProposedClass = Type.Object(
  {
    slug: Slug,
    nameFr: FilledText(200),
    nameEn: FilledText(200),
    kind: LibraryKind,
    crop: FilledText(100),
  },
  { additionalProperties: false },
);
export type ProposedClass = Static<typeof ProposedClass>;

/**
 * JSON of the multipart field `meta` of POST /api/bank/submissions (with 1–20 `photo` parts).
 * Exactly one of `classSlug` (an existing library entry) or `proposedClass`.
 */
/**
 * The licences a contributor may give bank photos (SPDX ids where they exist). `lab-use-only`
 * photos train the lab's model but are never published: not in the library, not served to
 * anyone outside the lab.
 */
export const BANK_LICENCES = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC0-1.0', 'lab-use-only'] as const;
export type BankLicence = (typeof BANK_LICENCES)[number];
export const LAB_USE_ONLY_LICENCE: BankLicence = 'lab-use-only';
export const BankLicence = Type.Union(BANK_LICENCES.map((id) => Type.Literal(id)));

export const BankSubmissionMeta = Type.Object(
  {
    /**
     * The device's id for this submission (a queued upload sent later, or again after a lost
     * answer): a resend by the same account returns the submission it made, with 200.
     */
    clientId: Type.Optional(Uuid),
    classSlug: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    proposedClass: Type.Optional(ProposedClass),
    crop: FilledText(100),
    date: Type.Optional(Type.String({ format: 'date' })),
    regionCode: Type.Optional(RegionCode),
    authorCredit: FilledText(200),
    licence: BankLicence,
  },
  { additionalProperties: false },
);
export type BankSubmissionMeta = Static<typeof BankSubmissionMeta>;

export const BANK_SUBMISSION_LIMITS = { minPhotos: 1, maxPhotos: 20 } as const;

export const BankSubmissionImage = Type.Object({
  id: Uuid,
  status: BankImageStatus,
  url: Type.String(),
  thumbUrl: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  rejectReason: Type.Union([Type.String(), Type.Null()]),
  /** Set when a curator took the photo back out of the bank after validating it (then rejected). */
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type BankSubmissionImage = Static<typeof BankSubmissionImage>;

export const BankSubmission = Type.Object({
  id: Uuid,
  /** pending while any image awaits review; else validated when any was kept, else rejected. */
  status: BankImageStatus,
  classSlug: Type.Union([Type.String(), Type.Null()]),
  proposedClass: Type.Union([ProposedClass, Type.Null()]),
  crop: Type.String(),
  date: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  authorCredit: Type.String(),
  licence: Type.String(),
  submitter: Type.Object({ id: Uuid, name: Type.Union([Type.String(), Type.Null()]) }),
  images: Type.Array(BankSubmissionImage),
  createdAt: Type.String({ format: 'date-time' }),
});
export type BankSubmission = Static<typeof BankSubmission>;

/**
 * POST /api/bank/submissions result: the submission, and the numbers (1-based, in the order sent)
 * of the photos left out because the bank already had them (or they were sent twice).
 */
export const BankSubmissionCreated = Type.Composite([
  BankSubmission,
  Type.Object({ alreadyInBank: Type.Array(Type.Integer({ minimum: 1 })) }),
]);
export type BankSubmissionCreated = Static<typeof BankSubmissionCreated>;

export const BankSubmissionList = Type.Object({ items: Type.Array(BankSubmission) });
export type BankSubmissionList = Static<typeof BankSubmissionList>;

export const BankSubmissionQuery = Type.Object(
  {
    status: Type.Optional(BankImageStatus),
    /** Only the viewer's own submissions (agronomists only ever see theirs). */
    mine: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type BankSubmissionQuery = Static<typeof BankSubmissionQuery>;

/** POST /api/bank/submissions/:id/validate: every pending image, or only `imageIds`. */
export const ValidateSubmissionBody = Type.Object(
  { imageIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 20 })) },
  { additionalProperties: false },
);
export type ValidateSubmissionBody = Static<typeof ValidateSubmissionBody>;

export const RejectSubmissionBody = Type.Object(
  {
    reason: FilledText(1000),
    imageIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type RejectSubmissionBody = Static<typeof RejectSubmissionBody>;

/**
 * POST /api/bank/submissions/:id/withdraw: validated images (all, or `imageIds`) leave the bank,
 * with the reason their author reads. The next model is trained without them.
 */
export const WithdrawSubmissionBody = RejectSubmissionBody;
export type WithdrawSubmissionBody = RejectSubmissionBody;

/** POST /api/escalations/:id/to-bank result. */
export const ToBankResult = Type.Object({
  classSlug: Type.String(),
  added: Type.Integer(),
  alreadyInBank: Type.Integer(),
  trainingRequestId: Type.Union([Uuid, Type.Null()]),
});
export type ToBankResult = Static<typeof ToBankResult>;

/** PUT /api/escalations/:id/photo-reuse: the owner gives, or withdraws, the photo-reuse consent. */
export const PhotoReuseBody = Type.Object(
  { consent: Type.Boolean() },
  { additionalProperties: false },
);
export type PhotoReuseBody = Static<typeof PhotoReuseBody>;

export const PhotoReuseResult = Type.Object({
  consentPhotoReuse: Type.Boolean(),
  /** Photos of this case taken out of the image bank by a withdrawal (the next model is trained without them). */
  removedFromBank: Type.Integer({ minimum: 0 }),
  trainingRequestId: Type.Union([Uuid, Type.Null()]),
});
export type PhotoReuseResult = Static<typeof PhotoReuseResult>;

export const TrainingRequestStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  /** Trained, but the gate refused the new model (migration 003): the served one stays. */
  Type.Literal('rejected'),
]);
export type TrainingRequestStatus = Static<typeof TrainingRequestStatus>;

export const TrainingRequest = Type.Object({
  id: Uuid,
  status: TrainingRequestStatus,
  reason: Type.String(),
  newImages: Type.Integer(),
  /** Validated photos taken back out of the bank (withdrawn, or their consent withdrawn). */
  removedImages: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type TrainingRequest = Static<typeof TrainingRequest>;

export const TrainingRequestList = Type.Object({
  items: Type.Array(TrainingRequest),
  /**
   * Library classes with validated photos, but fewer than MIN_TRAINING_IMAGES_PER_CLASS: every
   * training leaves them out, so the model does not know them yet.
   */
  waitingClasses: Type.Array(
    // Named here: a class just created by a validation is not yet in the device's library copy.
    Type.Object({ slug: Type.String(), name: LocalizedText, images: Type.Integer() }),
  ),
  /** MIN_TRAINING_IMAGES_PER_CLASS, for the screen that says how many more a class needs. */
  minimumImages: Type.Integer(),
});
export type TrainingRequestList = Static<typeof TrainingRequestList>;
