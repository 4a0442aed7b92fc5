// Row types of the on-device database. Blobs stay Blobs (IndexedDB stores them natively).

export type Lang = 'fr' | 'en';
export type Profile = 'producer' | 'advisor' | 'gardener';

export interface FactSheetText {
  summary: string;
  symptoms: string;
  lookAlikes: string;
  biology: string;
  scouting: string;
  management: string[];
  callLab: string;
  producer: { actNow: string[] };
  gardener: { plain: string; homeGarden: string[] };
}

export interface LibraryImageRef {
  /** Key under /images/<key>; the same key identifies the Blob in libraryImages. */
  thumb96?: string;
  thumb320?: string;
  jpeg?: string;
}

export interface LibraryEntryRow {
  slug: string;
  kind: string;
  crop: { fr: string; en: string };
  cropSlug: string;
  scientificName: string;
  commonName: { fr: string; en: string };
  lookAlikes: string[];
  factSheet: Partial<Record<Lang, FactSheetText>>;
  images: LibraryImageRef[];
  revision: number;
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
  crop: string | null;
  regionCode: string | null;
  priorsEnabled: boolean;
  libraryRevision: number;
  libraryDownloadedAt: string | null;
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
}

export interface DiagnosisRow {
  id: string;
  createdAt: string;
  photos: Blob[];
  takenAt: string | null;
  location: { lat: number; lon: number } | null;
  context: { crop: string | null; regionCode: string | null; month: number; priorsEnabled: boolean };
  result: DiagnosisResult;
}

export type OutboxState = 'draft' | 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxCase {
  clientId: string;
  crop: string;
  description: string;
  prediction?: { slug: string; probability: number; modelVersion: string; abstained: boolean };
  location?: { lat: number; lon: number };
  regionCode?: string;
  contactPreference?: 'email' | 'phone' | 'none';
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
  serverId: string | null;
}

export interface MyCaseRow {
  id: string;
  clientId: string | null;
  createdAt: string;
  updatedAt: string;
  status: string;
  crop: string;
  description: string;
  answer: string | null;
  answeredAt: string | null;
}
