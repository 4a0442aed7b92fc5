import { AppError } from '../errors';
import type { Db } from '../db/types';
import { createRepositories, type Repositories } from '../repositories';
import type { UserRecord } from '../repositories/user-repository';
import type { Role, TeamMember, TeamMemberList, User } from '../contract/user';
import { ANONYMISED_EMAIL } from './auth-service';

/** Enough for a screen; more matches ask the admin for more of the e-mail. */
const MAX_LISTED = 50;

const toMember = (u: UserRecord): TeamMember => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  createdAt: u.createdAt,
});

/**
 * The lab's team: admins give an account its role (register always makes a producer). A person
 * makes their own account first, so no password ever passes through an admin.
 */
export function createTeamService(deps: {
  db: Db;
  repos: Repositories;
  /** Who gave which role to whom: written to the server log (an access right changed). */
  onRoleChanged?: (change: { by: string; user: string; from: Role; to: Role }) => void;
}) {
  const { db, repos } = deps;
  return {
    async list(q: string | undefined): Promise<TeamMemberList> {
      const rows = await repos.users.listMembers(q?.trim() || undefined, MAX_LISTED);
      return {
        items: rows.slice(0, MAX_LISTED).map(toMember),
        truncated: rows.length > MAX_LISTED,
      };
    },

    /** The new role applies from the account's next request (sessions read it from the row). */
    async setRole(viewer: User, id: string, role: Role): Promise<TeamMember> {
      return db.transaction(async (tx) => {
        const r = createRepositories(tx);
        // Every admin row locked first: two admins demoting each other at once leave one.
        const admins = await r.users.lockAdmins();
        const target = await r.users.findById(id);
        if (!target || ANONYMISED_EMAIL.test(target.email)) throw new AppError('NOT_FOUND');
        if (target.role === 'admin' && role !== 'admin' && admins.length <= 1) {
          throw new AppError('LAST_ADMIN');
        }
        const changed = await r.users.setRole(id, role);
        if (!changed) throw new AppError('NOT_FOUND');
        if (target.role !== role) {
          deps.onRoleChanged?.({ by: viewer.id, user: id, from: target.role, to: role });
        }
        return toMember(changed);
      });
    },
  };
}
export type TeamService = ReturnType<typeof createTeamService>;
