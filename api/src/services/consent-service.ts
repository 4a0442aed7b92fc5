import { AppError } from '../errors';
import type { Db } from '../db/types';
import { createRepositories, type Repositories } from '../repositories';
import type { Consents, ConsentsView } from '../contract/surveillance';
import type { User } from '../contract/user';

const NAMES: readonly (keyof Consents)[] = ['location', 'shareDetections'];

/** The person's consents (opt-in, default off) and the record of every change (law 25). */
export function createConsentService(deps: { db: Db; repos: Repositories }) {
  const { db, repos } = deps;

  async function view(r: Repositories, userId: string): Promise<ConsentsView> {
    const current = await r.consents.get(userId);
    if (!current) throw new AppError('UNAUTHENTICATED');
    return { ...current, history: await r.consents.history(userId) };
  }

  return {
    get: (user: User) => view(repos, user.id),

    /** Writes one consent_events row per value that really changed; a no-op PUT writes none. */
    async update(user: User, wanted: Consents): Promise<ConsentsView> {
      return db.transaction(async (tx) => {
        const r = createRepositories(tx);
        const current = await r.consents.lock(user.id);
        if (!current) throw new AppError('UNAUTHENTICATED');
        for (const name of NAMES) {
          if (current[name] !== wanted[name]) await r.consents.set(user.id, name, wanted[name]);
        }
        return view(r, user.id);
      });
    },
  };
}
export type ConsentService = ReturnType<typeof createConsentService>;
