import Dexie, { type EntityTable } from 'dexie';
import { declareSchema } from './schema';
import type {
  ContextPriorsRow,
  DetectionRow,
  DiagnosisRow,
  LibraryEntryRow,
  LibraryImageRow,
  MyCaseRow,
  OutboxRow,
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

  constructor(name = 'phytodiag') {
    super(name);
    declareSchema(this);
  }
}

/** The app's single database (also opened by the service worker for Background Sync). */
export const db = new PhytoDb();
