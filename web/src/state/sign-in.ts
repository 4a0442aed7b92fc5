import type { User } from '@phytodiag/api/contract';
import { db } from '../db/db';
import { canTriage } from '../lab/roles';
import { refreshMyCases } from '../outbox/my-cases';
import { syncConsentsAfterSignIn } from '../privacy/consents';
import { adoptSignedInUser } from '../privacy/local-data';
import { settleLanguageOnSignIn } from '../screens/language-switch';
import { kickBankUploads } from './bank-uploads-runner';
import { kickMessages } from './messages-runner';
import { kickRatings } from './ratings-runner';
import { kickDetections } from './detections-runner';
import { kickOutbox } from './outbox-runner';
import { navigate } from './router';

/**
 * What follows any sign-in (login, registration, a new password from an e-mailed link), once the
 * server has opened the session for `u`.
 */
export async function completeSignIn(u: User): Promise<void> {
  // Before anything of this account is fetched: a previous person's data leaves first.
  await adoptSignedInUser(u);
  await settleLanguageOnSignIn(u);
  // Cases drafted while signed out were waiting for exactly this.
  void kickOutbox(true);
  // Photos for the bank, thread messages and ratings this account queued before its session ended.
  void kickBankUploads(true);
  void kickMessages(true);
  void kickRatings(true);
  void refreshMyCases(db).catch(() => undefined);
  // The account's consents apply on this device (or a choice made here offline is pushed).
  void syncConsentsAfterSignIn(db)
    .then(() => kickDetections(true))
    .catch(() => undefined);
  // Lab staff come to work the queue; everyone else to their requests.
  navigate({ name: canTriage(u) ? 'lab' : 'cases' });
}
