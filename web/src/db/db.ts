import Dexie, { type EntityTable } from 'dexie';
import { declareSchema } from './schema';
import type {
  BankUploadRow,
  EntryDraftRow,
  ContextPriorsRow,
  DetectionRow,
  DiagnosisRow,
  LibraryEntryRow,
  LibraryImageRow,
  MessageOutboxRow,
  MyCaseRow,
  OutboxRow,
  RatingOutboxRow,
  SettingsRow,
} from './types';

export class PhytoDb extends Dexie {
  libraryEntries!: EntityTable<LibraryEntryRow, 'slug'>;
  libraryImages!: EntityTable<LibraryImageRow, 'url'>;
  settings!: EntityTable<SettingsRow, 'id'>;
  diagnoses!: EntityTable<DiagnosisRow, 'id'>;
  outbox!: EntityTable<OutboxRow, 'clientId'>;
  myCases!: EntityTable<MyCaseRow, 'id'>;
  detections!: EntityTable<DetectionRow, 'clientId'>;
  contextPriors!: EntityTable<ContextPriorsRow, 'id'>;
  bankUploads!: EntityTable<BankUploadRow, 'clientId'>;
  entryDrafts!: EntityTable<EntryDraftRow, 'slug'>;
  messageOutbox!: EntityTable<MessageOutboxRow, 'clientId'>;
  ratingOutbox!: EntityTable<RatingOutboxRow, 'clientId'>;

  constructor(name = 'phytodiag') {
    // No optimistic query cache: with it (Dexie 4.4), a live query opened again after an update()
    // inside a transaction read the row as it was before (a failed upload shown « Envoi en
    // cours » forever). Screens re-read IndexedDB after each commit instead; the data is small.
    super(name, { cache: 'disabled' });
    declareSchema(this);
  }
}

/** The app's single database (also opened by the service worker for Background Sync). */
export const db = new PhytoDb();
