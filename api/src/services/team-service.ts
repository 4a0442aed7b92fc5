import { AppError } from '../errors';
import type { Db } from '../db/types';
import { createRepositories, type Repositories } from '../repositories';
import type { MemberRecord } from '../repositories/user-repository';
import type { Role, TeamMember, TeamMemberList, User } from '../contract/user';
import { ANONYMISED_EMAIL } from './auth-service';

/** Enough for a screen; more matches ask the admin for more of the e-mail or name. */
const MAX_LISTED = 50;

const toMember = (u: MemberRecord): TeamMember => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  createdAt: u.createdAt,
  roleChange: u.roleChange && {
    at: u.roleChange.at,
    // A deleted admin's anonymised address says nothing to the reader.
    by:
      u.roleChange.byEmail === null || ANONYMISED_EMAIL.test(u.roleChange.byEmail)
        ? null
        : u.roleChange.byEmail,
    commandLine: u.roleChange.byId === null,
  },
  passwordLink: u.passwordLink && {
    at: u.passwordLink.at,
    by: ANONYMISED_EMAIL.test(u.passwordLink.byEmail) ? null : u.passwordLink.byEmail,
  },
});

/**
 * The lab's team: admins give an account its role (register always makes a producer). A person
 * makes their own account first, so no password ever passes through an admin.
 */
export function createTeamService(deps: {
  db: Db;
  repos: Repositories;
  /** Who gave which role to whom, for the server log too (role_changes keeps it in the database). */
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
        // Every admin row locked first: two admins demoting each other at once leave one, and
        // role changes run one at a time (role_changes records each from the role the last left).
        const admins = await r.users.lockAdmins();
        const target = await r.users.findById(id);
        if (!target || ANONYMISED_EMAIL.test(target.email)) throw new AppError('NOT_FOUND');
        if (target.role === 'admin' && role !== 'admin' && admins.length <= 1) {
          throw new AppError('LAST_ADMIN');
        }
        if (!(await r.users.setRole(id, role, viewer.id))) throw new AppError('NOT_FOUND');
        if (target.role !== role) {
          deps.onRoleChanged?.({ by: viewer.id, user: id, from: target.role, to: role });
        }
        const member = await r.users.findMember(id);
        if (!member) throw new AppError('NOT_FOUND');
        return toMember(member);
      });
    },
  };
}
export type TeamService = ReturnType<typeof createTeamService>;
