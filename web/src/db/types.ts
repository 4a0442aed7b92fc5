// Row types of the on-device database. Blobs stay Blobs (IndexedDB stores them natively).

import type {
  BankSubmissionMeta,
  ContactPreference,
  ContextPriors,
  DetectionReport,
  EscalationCase,
  EscalationMessage,
  EscalationPhoto,
  EscalationRatingView,
  EscalationStatus,
  FactSheetContent,
  LibrarySyncEntry,
  ProfileKind,
} from '@phytodiag/api/contract';
import type { EntryForm } from '../library/entry-form';
import type { UserQueueRow } from '../outbox/user-queue';

export type Lang = 'fr' | 'en';
export type Profile = ProfileKind;

export type FactSheetText = FactSheetContent;

/** A library entry as synced (both languages) plus the offline search index. */
export interface LibraryEntryRow extends LibrarySyncEntry {
  /** Crop key used for the diagnosis context ("potato"), from the English crop name. */
  cropSlug: string;
  /** Lower-cased, accent-free words from both languages, for offline search (v2). */
  searchTokens: string[];
}

export interface LibraryImageRow {
  url: string;
  blob: Blob;
  bytes: number;
}

export interface SettingsRow {
  id: 'settings';
  profile: Profile | null;
  lang: Lang;
  /**
   * The language was picked on this device (not the French default): at sign-in the account
   * follows it; otherwise the device takes the account's. Absent on rows from before (v4).
   */
  langChosen?: boolean;
  crop: string | null;
  regionCode: string | null;
  priorsEnabled: boolean;
  libraryRevision: number;
  libraryDownloadedAt: string | null;
  /** May the device read GPS (case location, region of a detection)? Filled by v3 for old rows. */
  consentLocation: boolean;
  /** Report on-device diagnoses (no coordinates) for surveillance; only when signed in. */
  consentShareDetections: boolean;
  /** A consent changed while the server could not be told (offline): push it on next send. */
  consentsPending: boolean;
  /**
   * The share-detections question was answered (first-result prompt or Settings): never asked
   * again on this device. Absent from rows written before it existed (= not asked).
   */
  shareDetectionsAsked?: boolean;
  /**
   * Where the signed-in person's older cases start on the server (the next page after the last
   * one loaded); null or absent: no older page. Forgotten at sign-out.
   */
  olderCasesCursor?: string | null;
  /**
   * The account whose cases, notifications and photos this device holds (and whose requests the
   * outbox may send now); null when signed out. Absent on rows from before: unknown.
   */
  privateDataOwner?: string | null;
  /**
   * « Se déconnecter » was pressed offline: the server's session (and the browser's cookie) is
   * still alive until the sign-out reaches it. Nothing is sent under it meanwhile.
   */
  signOutPending?: boolean;
}

export interface RankedClass {
  slug: string;
  probability: number;
}

export interface DiagnosisResult {
  ranked: RankedClass[];
  abstained: boolean;
  abstainReason: string | null;
  confidence: 'probable' | 'possible' | 'unsure';
  modelVersion: string;
  backend: string;
  elapsedMs: number;
  /** The whole photo was refused and a centred close-up was read (absent in older rows). */
  closeUp?: boolean;
}

export interface DiagnosisRow {
  id: string;
  createdAt: string;
  photos: Blob[];
  takenAt: string | null;
  location: { lat: number; lon: number } | null;
  context: {
    crop: string | null;
    regionCode: string | null;
    month: number;
    priorsEnabled: boolean;
    /**
     * Whose season weighed on the answer: the region's, Quebec's, none (too few confirmations
     * for this month); null when the context was off or the device had no table yet; absent in
     * rows written before the context priors.
     */
    season?: SeasonScope | null;
    /** The season's factors by slug that weighed (absent in older rows, null when none). */
    factors?: Record<string, number> | null;
  };
  result: DiagnosisResult;
}

export type OutboxState = 'draft' | 'queued' | 'sending' | 'sent' | 'failed';

export type OutboxCase = EscalationCase;

/**
 * The escalation form as the user left it (a 'draft' row): what the API case cannot hold, such as
 * the location consent and each photo's EXIF. Not indexed, so no schema version: rows written
 * before it simply lack it.
 */
export interface DraftForm {
  diagnosisId: string | null;
  /** The fact sheet the form was opened from (absent on drafts saved before it existed). */
  about?: string | null;
  crop: string;
  description: string;
  shareLocation: boolean;
  location: { lat: number; lon: number; accuracyM?: number } | null;
  contact: ContactPreference;
  /** The number typed for a call back (drafts saved before it existed have none). */
  contactPhone?: string;
  /** Photo-reuse consent (bank); absent in drafts saved before it existed. */
  consentPhotoReuse?: boolean;
  photoMeta: { takenAt: string | null; gps: { lat: number; lon: number } | null }[];
}

export interface OutboxRow {
  clientId: string;
  createdAt: string;
  updatedAt: string;
  state: OutboxState;
  case: OutboxCase;
  photos: Blob[];
  attempts: number;
  /** ISO time before which the sender leaves this row alone (backoff), v2. */
  nextAttemptAt: string;
  lastError: string | null;
  /** True when lastError is the server's 4xx message (not retried automatically). */
  permanentError: boolean;
  /**
   * Refused as DUPLICATE_CASE: the server's id of the open case holding these photos (not
   * indexed, so no schema version: older rows simply lack it).
   */
  duplicateOf?: string | null;
  serverId: string | null;
  /**
   * The account signed in when it was written: sent only under that account (a shared tablet
   * never sends one person's request as another's). null or absent: written signed out, sent
   * under whoever signs in.
   */
  ownerId?: string | null;
  /** Draft rows: the form to restore on the escalation screen. */
  form?: DraftForm;
}

export interface MyCaseRow {
  id: string;
  clientId: string | null;
  createdAt: string;
  updatedAt: string;
  status: EscalationStatus | 'pending';
  crop: string;
  description: string;
  answer: {
    message: string;
    diagnosisSlug: string;
    specialistName: string | null;
    at: string;
    /** Lab-workflow fields: absent on rows synced by an older app version. */
    diagnosisText?: string | null;
    recommendations?: string | null;
  } | null;
  // Lab workflow (not indexed, so no schema version: older rows simply lack them).
  photos?: EscalationPhoto[];
  caseRef?: string | null;
  sampleInstructions?: string | null;
  /** Where to send the sample, while one is awaited. */
  sampleAddress?: string | null;
  rating?: EscalationRatingView | null;
  /** The thread as last synced, so answers and messages read offline. */
  messages?: EscalationMessage[];
  /** The case carries an exact location (then its owner may see who viewed it). */
  hasLocation?: boolean;
  /** The owner lets the lab put the photos in the image bank (withdrawable from the case). */
  consentPhotoReuse?: boolean;
  /** When this device last changed that consent (ms): a read that left before keeps it. */
  consentSetAt?: number;
  /** Closed after a response from the lab: until when its requester's message reopens it. */
  reopenableUntil?: string | null;
  /** When the lab's service commitment says the answer is due (absent on older rows). */
  dueAt?: string | null;
}

export type DetectionState = 'queued' | 'sending' | 'failed';

/**
 * An on-device diagnosis waiting to be reported (v3). Holds only what is sent: codes, never
 * coordinates or photos. Deleted once the server has it, or when the consent is withdrawn.
 */
export interface DetectionRow {
  clientId: string;
  createdAt: string;
  updatedAt: string;
  state: DetectionState;
  /** Who it belongs to: another account signing in on this device must not send it. */
  userId: string;
  report: DetectionReport;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** The server refused this very report (4xx): kept for inspection, never retried. */
  permanentError: boolean;
}

/** Where the season factors of a diagnosis came from (see classifier/context-priors.ts). */
export type SeasonScope = 'region' | 'province' | 'none';

/** The lab's region and season factors as last fetched (one row, id 'current'). */
export interface ContextPriorsRow {
  id: 'current';
  fetchedAt: string;
  priors: ContextPriors;
}

export type BankUploadState = 'queued' | 'sending' | 'failed';

/**
 * Photos for the image bank waiting on this device (v5): written in a field with no signal, or
 * kept when an upload failed. Deleted once the server has them. The clientId travels in the meta,
 * so a resend after a lost answer returns the submission already made (never a second one).
 */
export interface BankUploadRow extends UserQueueRow {
  state: BankUploadState;
  meta: BankSubmissionMeta & { clientId: string };
  photos: Blob[];
}

/**
 * A message of the requester's thread written on the device (v7), kept until the server has it:
 * no signal in the field, a failed send, the app closed. The clientId travels with it, so a resend
 * after a lost answer returns the message already written (never a second one).
 */
export interface MessageOutboxRow extends UserQueueRow {
  escalationId: string;
  body: string;
  photos: Blob[];
  /** The refusal's code (CASE_CLOSED_TOO_LONG…) when the server refused it, for the screen. */
  errorCode?: string;
}

/**
 * The requester's rating of an answer (v8), kept until the server has it: the answer is read in
 * the field, often with no signal. A case is rated once, so a resend after a lost answer meets
 * 409 ALREADY_RATED, which means the server has it.
 */
export interface RatingOutboxRow extends UserQueueRow {
  escalationId: string;
  score: number;
  comment: string;
}

/**
 * A library entry being edited by the lab, kept as it is typed (v6): a locked phone, a reload
 * or a wrong tap does not lose a fact sheet half written. `edition` is the one the editor opened:
 * a colleague's save since then is a conflict, not a silent overwrite.
 */
export interface EntryDraftRow {
  slug: string;
  userId: string;
  edition: number;
  form: EntryForm;
  savedAt: string;
}
