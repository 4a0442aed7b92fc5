import type { Repositories } from '../repositories';
import type { AuthService } from '../services/auth-service';
import type { ProfileKind, Role } from '../contract/user';

export const DEMO_ACCOUNTS: readonly {
  email: string;
  role: Role;
  profileKind: ProfileKind;
  displayName: string;
}[] = [
  {
    email: 'producteur@demo.local',
    role: 'producer',
    profileKind: 'producer',
    displayName: 'Productrice démo',
  },
  {
    email: 'agronome@demo.local',
    role: 'agronomist',
    profileKind: 'advisor',
    displayName: 'Agronome démo',
  },
  {
    email: 'specialiste@demo.local',
    role: 'specialist',
    profileKind: 'advisor',
    displayName: 'Spécialiste démo',
  },
  { email: 'admin@demo.local', role: 'admin', profileKind: 'advisor', displayName: 'Admin démo' },
];

/** Creates missing demo accounts (existing ones are left as they are). Returns their emails. */
export async function seedDemoUsers(
  auth: AuthService,
  repos: Repositories,
  password: string,
): Promise<string[]> {
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (await repos.users.findByEmail(account.email)) continue;
    await auth.createUser({ ...account, password, language: 'fr' });
    created.push(account.email);
  }
  return created;
}
