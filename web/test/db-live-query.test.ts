import Dexie, { liveQuery } from 'dexie';
import { afterEach, expect, it } from 'vitest';
import { PhytoDb } from '../src/db/db';
import { failBankUpload, keepBankUpload } from '../src/bank/bank-upload-repo';

let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

/** The first value of a live query, as a screen mounting gets it. */
const firstValue = <T>(query: () => Promise<T>) =>
  new Promise<T>((resolve) => {
    const sub = liveQuery(query).subscribe((v) => {
      resolve(v);
      setTimeout(() => sub.unsubscribe(), 0);
    });
  });

it('a screen opened again reads a row as updated in a transaction, not as it was before', async () => {
  db = new PhytoDb(`live-${crypto.randomUUID()}`);
  const waiting = () => db.bankUploads.where('userId').equals('u-1').sortBy('createdAt');
  // « Mes contributions » was open once, then left.
  expect(await firstValue(waiting)).toEqual([]);
  const row = await keepBankUpload(
    db,
    'u-1',
    { classSlug: 'grape_esca', crop: 'Vigne', authorCredit: 'A', licence: 'CC-BY-4.0' },
    [new Blob([new Uint8Array([1])])],
    { state: 'sending' },
  );
  await failBankUpload(db, row.clientId, 'Network error', false);
  // Opened again: with Dexie's optimistic cache on, this read « sending ».
  expect((await firstValue(waiting)).map((r) => r.state)).toEqual(['failed']);
});
