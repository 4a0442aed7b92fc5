import type { PhytoDb } from './db';
import type { DiagnosisRow } from './types';

/**
 * Diagnoses kept on the device. Each holds its photos (up to 2048 px) and maybe the photo's GPS
 * position: an unbounded history would fill a phone over a season and keep every field's
 * position for anyone who picks the phone up. Home lists the latest five, « Mes diagnostics » all
 * of them; a request made from a diagnosis carries its own copy of the photos, so dropping the
 * oldest loses no request.
 */
export const DIAGNOSIS_HISTORY_MAX = 50;

/** Keeps a new diagnosis, dropping the oldest beyond DIAGNOSIS_HISTORY_MAX in the same step. */
export async function addDiagnosis(db: PhytoDb, row: DiagnosisRow): Promise<void> {
  await db.transaction('rw', db.diagnoses, async () => {
    await db.diagnoses.add(row);
    const excess = (await db.diagnoses.count()) - DIAGNOSIS_HISTORY_MAX;
    if (excess > 0) {
      await db.diagnoses.bulkDelete(
        await db.diagnoses.orderBy('createdAt').limit(excess).primaryKeys(),
      );
    }
  });
}

/** « Supprimer de l'appareil »: the diagnosis and its photos (a request already made keeps its own). */
export async function deleteDiagnosis(db: PhytoDb, id: string): Promise<void> {
  await db.diagnoses.delete(id);
}

/**
 * « Tout effacer de l'appareil »: every diagnosis and its photos and positions. Requests and
 * drafts made from them keep their own copies (and a draft its prediction).
 */
export async function clearDiagnoses(db: PhytoDb): Promise<void> {
  await db.diagnoses.clear();
}
