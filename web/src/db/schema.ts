import type Dexie from 'dexie';
import { searchTokensOf } from './search-tokens';
import type { LibraryEntryRow, OutboxRow, SettingsRow } from './types';

/**
 * Versioned IndexedDB schema. Never edit a shipped version: add a new one with an upgrade()
 * so that data written by an older app (photos in the outbox!) survives every update.
 */
export const SCHEMA_V1 = {
  libraryEntries: 'slug, kind, cropSlug, revision',
  libraryImages: 'url',
  settings: 'id',
  diagnoses: 'id, createdAt',
  outbox: 'clientId, state, createdAt',
  myCases: 'id, clientId, updatedAt',
};

// v2: offline search index on library entries and a backoff time on the outbox.
export const SCHEMA_V2 = {
  libraryEntries: 'slug, kind, cropSlug, revision, *searchTokens',
  outbox: 'clientId, state, createdAt, nextAttemptAt',
};

// v3: on-device diagnoses waiting to be reported for surveillance (opt-in), and the consents.
export const SCHEMA_V3 = {
  detections: 'clientId, state, createdAt, nextAttemptAt',
};

// v4: the region and season factors of the lab (context priors), kept for offline diagnoses.
export const SCHEMA_V4 = {
  contextPriors: 'id',
};

// v5: photos for the image bank queued on the device (no signal in the field, a failed upload).
export const SCHEMA_V5 = {
  bankUploads: 'clientId, userId, createdAt',
};

// v6: the lab's fact-sheet edits in progress, kept as they are typed.
export const SCHEMA_V6 = {
  entryDrafts: 'slug, userId',
};

// v7: thread messages written with no signal, waiting to be sent (the requester's own).
export const SCHEMA_V7 = {
  messageOutbox: 'clientId, userId, escalationId, createdAt',
};

// v8: ratings of an answer given with no signal, waiting to be sent (the requester's own).
export const SCHEMA_V8 = {
  ratingOutbox: 'clientId, userId, escalationId, createdAt',
};

export function declareV1(db: Dexie): void {
  db.version(1).stores(SCHEMA_V1);
}

export function declareSchema(db: Dexie): void {
  declareV1(db);
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx) => {
      await tx
        .table<LibraryEntryRow>('libraryEntries')
        .toCollection()
        .modify((entry) => {
          entry.searchTokens = searchTokensOf(entry);
        });
      const now = new Date().toISOString();
      await tx
        .table<OutboxRow>('outbox')
        .toCollection()
        .modify((row) => {
          row.nextAttemptAt ??= now;
          row.permanentError ??= false;
          // A v1 app killed mid-send left rows in 'sending': retry them (clientId makes it safe).
          if (row.state === 'sending') row.state = 'queued';
        });
    });
  db.version(3)
    .stores(SCHEMA_V3)
    .upgrade(async (tx) => {
      // Consents start OFF: an update must never turn on GPS reads or reporting by itself.
      await tx
        .table<SettingsRow>('settings')
        .toCollection()
        .modify((row) => {
          row.consentLocation ??= false;
          row.consentShareDetections ??= false;
          row.consentsPending ??= false;
        });
    });
  db.version(4).stores(SCHEMA_V4);
  db.version(5).stores(SCHEMA_V5);
  db.version(6).stores(SCHEMA_V6);
  db.version(7).stores(SCHEMA_V7);
  db.version(8).stores(SCHEMA_V8);
}
